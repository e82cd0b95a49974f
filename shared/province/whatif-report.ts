/**
 * The what-if report as one self-contained page for the agency's analysts: four charts — spending per
 * fund by month under each policy set, the distribution of the patients' share per claim, the member-
 * years crossing the catastrophic threshold, the most affected members (masked) — each with its numbers
 * in a table beside it, all drawn from the report's JSON summary so the page and `--json` agree.
 *
 * The charting library's source is handed in by the caller (the command line reads Chart.js from its
 * installed package) and inlined into the page: nothing is fetched when the page is opened.
 */
import { parseMoney } from '../money/money.js';
import { maskIdNumber } from '../registry/mask.js';
import { CJK_FONTS, escapeHtml } from './html.js';
import type { WhatIfJson, WhatIfKey } from './whatif.js';

export interface WhatIfReportOptions {
  /** The source of Chart.js's UMD build (it defines the global `Chart`), inlined as is. */
  readonly chartLibrary: string;
  /** What the changed policy set is, for the page's title (e.g. the overlay folder). */
  readonly changedLabel?: string | undefined;
}

const e = escapeHtml;

/** The funds the spending chart stacks (the patient's part is the share chart's business). */
const FUNDS: readonly (readonly [WhatIfKey, string, string])[] = [
  ['basic', '统筹基金', '#2f6fb0'],
  ['catastrophic', '大病保险', '#d9822b'],
  ['assistance', '医疗救助', '#3c9a5f'],
  ['charity', '其他/慈善', '#9b59b6'],
  ['hospitalBorne', '医院负担', '#7f8c8d'],
];

const ROWS: readonly (readonly [WhatIfKey, string])[] = [
  ['total', '医疗费总额 Total'],
  ['basic', '统筹基金 Basic fund'],
  ['catastrophic', '大病保险 Catastrophic'],
  ['assistance', '医疗救助 Assistance'],
  ['charity', '其他/慈善 Charity'],
  ['hospitalBorne', '医院负担 Hospital'],
  ['patient', '个人负担 Patients'],
];

/**
 * A script's text made safe inside `<script>`: no `</script` can close it early (`<\/` means the same
 * in a JS string, template or regular expression).
 */
const scriptSafe = (source: string): string => source.replace(/<\/(script)/gi, '<\\/$1');

const cell = (path: string, value: string | number): string => `<td class="n" data-value="${e(path)}">${e(String(value))}</td>`;

/** Yuan text as a number of yuan for the charts (the tables keep the exact text). */
const yuan = (text: string): number => {
  const negative = text.startsWith('-');
  const fen = parseMoney(text.replace(/^[+-]/, ''));
  return (negative ? -fen : fen) / 100;
};

function summaryTable(json: WhatIfJson): string {
  const rows = ROWS.map(
    ([key, label]) => `<tr><th>${e(label)}</th>${cell(`baseline.${key}`, json.baseline.amounts[key] as string)}${cell(`changed.${key}`, json.changed.amounts[key] as string)}${cell(`difference.${key}`, json.difference.amounts[key] as string)}</tr>`,
  ).join('');
  return `<table class="summary"><thead><tr><th></th><th>现行政策 in force</th><th>调整后 changed</th><th>差额 difference</th></tr></thead><tbody>${rows}
<tr><th>个人负担占比 Patients' share</th>${cell('baseline.patientShare', json.baseline.patientShare)}${cell('changed.patientShare', json.changed.patientShare)}<td></td></tr>
<tr><th>进入大病保险 Crossed catastrophic</th>${cell('baseline.crossedCatastrophic', json.baseline.crossedCatastrophic)}${cell('changed.crossedCatastrophic', json.changed.crossedCatastrophic)}${cell('difference.crossedCatastrophic', json.difference.crossedCatastrophic)}</tr>
<tr><th>拒付 Rejected</th>${cell('baseline.rejected', json.baseline.rejected)}${cell('changed.rejected', json.changed.rejected)}${cell('difference.rejected', json.difference.rejected)}</tr>
</tbody></table>`;
}

function monthsTable(json: WhatIfJson): string {
  const head = FUNDS.map(([, label]) => `<th colspan="2">${e(label)}</th>`).join('');
  const sub = FUNDS.map(() => '<th>现行</th><th>调整</th>').join('');
  const rows = json.months
    .map(
      (m) =>
        `<tr><th>${e(m.month)}</th>${FUNDS.map(([key]) => `${cell(`months.${m.month}.baseline.${key}`, m.baseline[key])}${cell(`months.${m.month}.changed.${key}`, m.changed[key])}`).join('')}</tr>`,
    )
    .join('');
  return `<table class="wide"><thead><tr><th rowspan="2">月份</th>${head}</tr><tr>${sub}</tr></thead><tbody>${rows}</tbody></table>`;
}

const bandLabel = (band: WhatIfJson['patientShare'][number]): string => (band.to === null ? `≥ ${band.from}` : `${band.from} – ${band.to}`);

function shareTable(json: WhatIfJson): string {
  const rows = json.patientShare.map((band, index) => `<tr><th>${e(bandLabel(band))}</th>${cell(`share.${index}.baseline`, band.baseline)}${cell(`share.${index}.changed`, band.changed)}</tr>`).join('');
  return `<table><thead><tr><th>个人负担（元/人次）</th><th>现行</th><th>调整</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function crossingsTable(json: WhatIfJson): string {
  const rows = json.crossings.map((c) => `<tr><th>${e(c.month)}</th>${cell(`crossings.${c.month}.baseline`, c.baseline)}${cell(`crossings.${c.month}.changed`, c.changed)}</tr>`).join('');
  return `<table><thead><tr><th>月份</th><th>现行</th><th>调整</th></tr></thead><tbody>${rows}
<tr class="total"><th>合计 Total</th>${cell('baseline.crossedCatastrophic', json.baseline.crossedCatastrophic)}${cell('changed.crossedCatastrophic', json.changed.crossedCatastrophic)}</tr></tbody></table>`;
}

function membersTable(json: WhatIfJson): string {
  if (json.topMembers.length === 0) return '<p>没有参保人的个人负担发生变化 · No member\'s own share changes.</p>';
  const rows = json.topMembers
    .map(
      (m, index) =>
        `<tr><th data-value="top.${index}.member">${e(maskIdNumber(m.memberId))}</th>${cell(`top.${index}.year`, m.year)}${cell(`top.${index}.patientBaseline`, m.patientBaseline)}${cell(`top.${index}.patientChanged`, m.patientChanged)}${cell(`top.${index}.delta`, m.delta)}</tr>`,
    )
    .join('');
  return `<table><thead><tr><th>参保人 Member</th><th>年度</th><th>现行</th><th>调整</th><th>差额</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The data the charts draw, in yuan and counts. */
function chartData(json: WhatIfJson) {
  return {
    months: json.months.map((m) => m.month),
    funds: FUNDS.map(([key, label, color]) => ({
      key,
      label,
      color,
      baseline: json.months.map((m) => yuan(m.baseline[key])),
      changed: json.months.map((m) => yuan(m.changed[key])),
    })),
    bands: json.patientShare.map(bandLabel),
    share: { baseline: json.patientShare.map((b) => b.baseline), changed: json.patientShare.map((b) => b.changed) },
    crossings: {
      baseline: json.crossings.reduce<number[]>((acc, c) => [...acc, (acc.at(-1) ?? 0) + c.baseline], []),
      changed: json.crossings.reduce<number[]>((acc, c) => [...acc, (acc.at(-1) ?? 0) + c.changed], []),
    },
    members: json.topMembers.map((m) => ({ label: `${maskIdNumber(m.memberId)} ${m.year}`, delta: yuan(m.delta) })),
  };
}

/** The page's own script: four charts from the data block, no animation, so they are drawn at once. */
const CHARTS_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('whatif-data').textContent);
  Chart.defaults.animation = false;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.maintainAspectRatio = false;
  var yuan = function (v) { return Number(v).toLocaleString('zh-CN'); };
  var datasets = [];
  data.funds.forEach(function (f) {
    datasets.push({ label: f.label + ' 现行', data: f.baseline, backgroundColor: f.color, stack: 'baseline' });
    datasets.push({ label: f.label + ' 调整', data: f.changed, backgroundColor: f.color + '88', borderColor: f.color, borderWidth: 1, stack: 'changed' });
  });
  new Chart(document.getElementById('chart-months'), { type: 'bar', data: { labels: data.months, datasets: datasets },
    options: { scales: { x: { stacked: true }, y: { stacked: true, ticks: { callback: yuan }, title: { display: true, text: '元' } } }, plugins: { legend: { position: 'bottom', labels: { boxWidth: 10 } } } } });
  new Chart(document.getElementById('chart-share'), { type: 'bar', data: { labels: data.bands, datasets: [
    { label: '现行政策', data: data.share.baseline, backgroundColor: '#2f6fb0' },
    { label: '调整后', data: data.share.changed, backgroundColor: '#d9822b' }] },
    options: { scales: { y: { title: { display: true, text: '人次 claims' } }, x: { title: { display: true, text: '个人负担（元）' } } } } });
  new Chart(document.getElementById('chart-crossings'), { type: 'line', data: { labels: data.months, datasets: [
    { label: '现行政策（累计）', data: data.crossings.baseline, borderColor: '#2f6fb0', backgroundColor: '#2f6fb0', stepped: true },
    { label: '调整后（累计）', data: data.crossings.changed, borderColor: '#d9822b', backgroundColor: '#d9822b', stepped: true }] },
    options: { scales: { y: { beginAtZero: true, title: { display: true, text: '人年 member-years' } } } } });
  new Chart(document.getElementById('chart-members'), { type: 'bar', data: { labels: data.members.map(function (m) { return m.label; }), datasets: [
    { label: '个人负担差额（元）', data: data.members.map(function (m) { return m.delta; }),
      backgroundColor: data.members.map(function (m) { return m.delta > 0 ? '#c0392b' : '#27ae60'; }) }] },
    options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { ticks: { callback: yuan } } } } });
  document.body.dataset.charts = 'drawn';
})();
`;

const STYLE = `
* { box-sizing: border-box; }
body { margin: 0; padding: 16px 24px 32px; font-family: ${CJK_FONTS}; font-size: 13px; color: #111; background: #f5f6f8; }
h1 { font-size: 20px; margin: 0 0 4px; }
.lead { color: #444; margin: 0 0 12px; }
section { background: #fff; border: 1px solid #dde; border-radius: 4px; padding: 12px 14px; margin: 12px 0; break-inside: avoid; }
h2 { font-size: 15px; margin: 0 0 8px; }
h2 small { color: #666; font-weight: normal; }
.pair { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 16px; align-items: start; }
.chart { position: relative; height: 320px; }
table { border-collapse: collapse; width: 100%; font-size: 12px; }
th, td { border: 1px solid #ccd; padding: 2px 6px; text-align: left; }
thead th { background: #eef0f4; font-weight: normal; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total th, tr.total td { font-weight: bold; }
.wide { font-size: 11px; }
.scroll { overflow-x: auto; }
@media print { body { background: none; } section { border: none; } }
`;

/** Renders the what-if summary as a self-contained HTML page with charts. */
export function whatIfReportHtml(json: WhatIfJson, options: WhatIfReportOptions): string {
  const data = JSON.stringify(chartData(json)).replace(/</g, '\\u003c');
  const changed = options.changedLabel ? `（${options.changedLabel}）` : '';
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>政策测算报告 What-if report</title>
<style>${STYLE}</style>
</head>
<body>
<h1>政策测算报告 <small>What-if report</small></h1>
<p class="lead">同一批 <b data-value="claims">${json.claims}</b> 人次住院/门诊结算，分别按现行政策与调整后政策${e(changed)}重算；<b data-value="claimsChanged">${json.claimsChanged}</b> 人次结算结果不同，<b data-value="membersAffected">${json.membersAffected}</b> 人年个人负担发生变化。金额单位：元。</p>
<section><h2>总览 <small>Totals</small></h2>${summaryTable(json)}</section>
<section><h2>各基金按月支出 <small>Spending per fund by month, in force (solid) and changed (light)</small></h2>
<div class="chart"><canvas id="chart-months" aria-label="各基金按月支出"></canvas></div>
<div class="scroll">${monthsTable(json)}</div></section>
<section><h2>个人负担分布 <small>Patients' share per claim</small></h2><div class="pair"><div class="chart"><canvas id="chart-share" aria-label="个人负担分布"></canvas></div>${shareTable(json)}</div></section>
<section><h2>进入大病保险的参保人 <small>Member-years crossing the catastrophic threshold</small></h2><div class="pair"><div class="chart"><canvas id="chart-crossings" aria-label="进入大病保险"></canvas></div>${crossingsTable(json)}</div></section>
<section><h2>受影响最大的参保人 <small>Most affected members (masked), own share per year</small></h2><div class="pair"><div class="chart"><canvas id="chart-members" aria-label="受影响最大的参保人"></canvas></div>${membersTable(json)}</div></section>
<script type="application/json" id="whatif-data">${data}</script>
<script>${scriptSafe(options.chartLibrary)}</script>
<script>${CHARTS_SCRIPT}</script>
</body>
</html>
`;
}
