/**
 * The slip as terminal text, Chinese first: label blocks, the amounts in one right-aligned column with
 * their capital numerals beside them, the year so far, and the explanation one sentence per step.
 * No blank line inside a slip, so slips of many claims can be told apart by the blank line between them.
 */
import { displayWidth, padEndColumns, padStartColumns } from './columns.js';
import type { Slip, SlipAmount, SlipField } from './slip.js';

const INDENT = '  ';

function fieldLines(fields: readonly SlipField[]): string[] {
  const labels = fields.map((f) => `${f.zh} ${f.en}`);
  const width = Math.max(0, ...labels.map(displayWidth));
  return fields.map((f, index) => `${INDENT}${padEndColumns(labels[index] as string, width)}  ${f.value}`);
}

function amountLines(groups: readonly (readonly SlipAmount[])[]): string[][] {
  const all = groups.flat();
  const labelWidth = Math.max(0, ...all.map((a) => displayWidth(`${a.zh} ${a.en}`)));
  const amountWidth = Math.max(0, ...all.map((a) => a.yuan.length));
  return groups.map((rows) => rows.map((a) => `${INDENT}${padEndColumns(`${a.zh} ${a.en}`, labelWidth)}  ${padStartColumns(a.yuan, amountWidth)}  ${a.capital}`));
}

/** Renders the slip as plain text for a terminal or a text printer. */
export function slipText(slip: Slip): string {
  const [scope, payers] = amountLines([slip.scope, slip.payers]) as [string[], string[]];
  const lines = [
    `${slip.title}  One-stop settlement slip`,
    ...fieldLines([
      { zh: '结算编号', en: 'Settlement', value: slip.settlementId },
      { zh: '结算时间', en: 'Settled at', value: slip.settledAt },
      { zh: '结算状态', en: 'Status', value: `${slip.statusText} ${slip.status}` },
    ]),
    '【参保人 Patient】',
    ...fieldLines(slip.patient),
    '【就诊 Visit】',
    ...fieldLines(slip.visit),
    '【费用 Costs（元 yuan）】',
    ...scope,
    '【支付 Who pays（元 yuan）】',
    ...payers,
    '【本年累计 Year so far（元 yuan）】',
    ...fieldLines(slip.year.map((row) => ({ zh: row.zh, en: row.en, value: row.value }))),
  ];
  if (slip.rejection) {
    lines.push(
      '【拒付 Rejection】',
      ...fieldLines([
        { zh: '拒付代码', en: 'Code', value: slip.rejection.code },
        { zh: '原因', en: 'Reason', value: slip.rejection.message },
        { zh: '依据', en: 'Clause', value: slip.rejection.clause },
      ]),
    );
  }
  const numberWidth = String(slip.explanation.length).length;
  lines.push(
    '【结算说明 Explanation】',
    ...slip.explanation.map((line, index) => `${INDENT}${String(index + 1).padStart(numberWidth)}. ${line.text}`),
  );
  return lines.join('\n');
}
