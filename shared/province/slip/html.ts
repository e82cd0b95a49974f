/**
 * The slip as one self-contained, printable HTML page: inline CSS, no script, no font or image to
 * fetch. Print CSS lays it out on A4 (the default) or on an 80 mm receipt roll. Every amount carries
 * `data-amount` (and its capital numerals `data-capital`) with the settlement's key, so a reader or a
 * test can find each figure by what it is.
 */
import { CJK_FONTS, escapeHtml } from '../html.js';
import type { Slip, SlipAmount, SlipField } from './slip.js';

/** The paper a slip is printed on. */
export type SlipPaper = 'a4' | 'receipt';
export const SLIP_PAPERS: readonly SlipPaper[] = ['a4', 'receipt'];

export interface SlipHtmlOptions {
  /** `a4` (default): a sheet at the counter; `receipt`: an 80 mm roll, one column. */
  readonly paper?: SlipPaper;
}

const e = escapeHtml;

const PAGE_RULES: Readonly<Record<SlipPaper, string>> = {
  a4: '@page { size: A4; margin: 12mm; }',
  receipt: '@page { size: 80mm 297mm; margin: 3mm; }',
};

function style(paper: SlipPaper): string {
  const receipt = paper === 'receipt';
  return `
${PAGE_RULES[paper]}
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #eef0f2; color: #111; font-family: ${CJK_FONTS}; font-size: ${receipt ? '8.5pt' : '9.5pt'}; line-height: 1.3; }
.sheet { width: ${receipt ? '74mm' : '186mm'}; margin: 8mm auto; padding: ${receipt ? '3mm' : '7mm 8mm'}; background: #fff; box-shadow: 0 1px 4px rgba(0,0,0,.25); }
header { text-align: center; border-bottom: 2px solid #111; padding-bottom: 1.5mm; }
h1 { font-size: ${receipt ? '10.5pt' : '14pt'}; margin: 0; letter-spacing: .06em; }
.subtitle { font-size: 8pt; color: #444; }
.meta { display: flex; flex-wrap: wrap; justify-content: space-between; gap: .5mm 4mm; font-size: 8.5pt; margin: 1mm 0; }
.status-rejected { color: #b00020; font-weight: bold; }
section { margin-top: 1.6mm; break-inside: avoid; }
h2 { font-size: 9.5pt; margin: 0 0 .8mm; padding: .4mm 1.5mm; background: #e6e9ee; border-left: 3px solid #2f4f7f; }
small { color: #666; font-weight: normal; font-size: 7pt; }
.fields { display: grid; grid-template-columns: ${receipt ? '1fr' : '1fr 1fr'}; gap: 0 5mm; margin: 0; padding: 0 1.5mm; }
.fields div { display: flex; gap: 1.5mm; border-bottom: 1px dotted #ccc; padding: .2mm 0; }
.fields dt { flex: none; width: ${receipt ? '24mm' : '33mm'}; white-space: nowrap; color: #333; }
.fields dd { margin: 0; overflow-wrap: anywhere; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 1px solid #999; padding: .3mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #f4f5f7; font-weight: normal; width: ${receipt ? '36%' : '32%'}; ${receipt ? '' : 'white-space: nowrap;'} }
td.amount { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; width: ${receipt ? '26%' : '15%'}; }
td.capital { font-size: ${receipt ? '7.5pt' : '9pt'}; letter-spacing: .02em; }
tr.patient th, tr.patient td { font-weight: bold; background: #fff7e0; }
.year { display: grid; grid-template-columns: ${receipt ? '1fr 1fr' : 'repeat(4, 1fr)'}; border: 1px solid #999; }
.year div { padding: .3mm 1.5mm; border-right: 1px solid #ccc; }
.year div:last-child { border-right: none; }
.year small { display: block; }
.year b { display: block; text-align: right; font-variant-numeric: tabular-nums; }
ol.explanation { margin: 0; padding-left: 6mm; font-size: ${receipt ? '7pt' : '8pt'}; line-height: 1.28; }
ol.explanation li { margin: .15mm 0; }
.rejection { border: 1px solid #b00020; padding: .8mm 1.5mm; }
footer { margin-top: 2.5mm; display: flex; justify-content: space-between; font-size: 8.5pt; border-top: 1px solid #111; padding-top: 1.5mm; }
@media print {
  body { background: none; }
  .sheet { margin: 0; box-shadow: none; width: auto; padding: 0; }
}`;
}

function fields(list: readonly SlipField[], attribute: string): string {
  return `<dl class="fields">${list
    .map((f) => `<div><dt>${e(f.zh)} <small>${e(f.en)}</small></dt><dd ${attribute}="${e(f.en)}">${e(f.value)}</dd></div>`)
    .join('')}</dl>`;
}

function amountTable(rows: readonly SlipAmount[]): string {
  return `<table>${rows
    .map(
      (a) =>
        `<tr class="${a.key === 'patient' ? 'patient' : ''}"><th>${e(a.zh)} <small>${e(a.en)}</small></th><td class="amount" data-amount="${a.key}">${e(a.yuan)}</td><td class="capital" data-capital="${a.key}">${e(a.capital)}</td></tr>`,
    )
    .join('')}</table>`;
}

/** Renders the slip as a printable HTML page. */
export function slipHtml(slip: Slip, options: SlipHtmlOptions = {}): string {
  const paper = options.paper ?? 'a4';
  const statusClass = slip.status === 'settled' ? '' : 'status-rejected';
  const rejection = slip.rejection
    ? `<section><h2>拒付 <small>Rejection</small></h2><div class="rejection" data-rejection="${e(slip.rejection.code)}">${e(slip.rejection.code)}：${e(slip.rejection.message)}（${e(slip.rejection.clause)}）</div></section>`
    : '';
  const year = `<div class="year">${slip.year
    .map((row) => `<div>${e(row.zh)} <small>${e(row.en)}</small><b data-year="${row.key}">${e(row.value)}</b></div>`)
    .join('')}</div>`;
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(slip.title)} ${e(slip.settlementId)}</title>
<style>${style(paper)}
</style>
</head>
<body class="paper-${paper}">
<main class="sheet">
<header><h1>${e(slip.title)}</h1><div class="subtitle">一单制结算单 · One-stop settlement slip · 金额单位：元</div></header>
<div class="meta"><span>结算编号 <b data-field="settlementId">${e(slip.settlementId)}</b></span><span>结算时间 <span data-field="settledAt">${e(slip.settledAt)}</span></span><span class="${statusClass}" data-field="status">${e(slip.statusText)} ${e(slip.status)}</span></div>
<section><h2>参保人信息 <small>Patient</small></h2>${fields(slip.patient, 'data-patient')}</section>
<section><h2>就诊信息 <small>Visit</small></h2>${fields(slip.visit, 'data-visit')}</section>
<section><h2>费用构成 <small>Costs</small></h2>${amountTable(slip.scope)}</section>
<section><h2>基金及个人支付 <small>Who pays</small></h2>${amountTable(slip.payers)}</section>
<section><h2>本年累计 <small>Year so far</small></h2>${year}</section>
${rejection}
<section><h2>结算说明 <small>Explanation</small></h2><ol class="explanation">${slip.explanation.map((line) => `<li data-step="${e(line.step)}">${e(line.text)}</li>`).join('')}</ol></section>
<footer><span>参保人签字：</span><span>经办人：</span><span>医疗机构（盖章）</span></footer>
</main>
</body>
</html>
`;
}
