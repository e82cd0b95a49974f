/**
 * The hospital statement's two renderings: JSON (amounts as yuan strings with two decimals) and CSV
 * (RFC 4180). statement.ts computes the statement; this file only writes it out.
 */
import { adjustmentToJson } from '../ledger/adjustment.js';
import { type Fen, formatMoney, formatPercent } from '../money/money.js';
import { FUND_PAY_TYPES } from './exports/nhsa.js';
import type { NettedAmount, Statement } from './statement.js';

const nettedJson = (amount: NettedAmount) => ({ settled: formatMoney(amount.settled), reversed: formatMoney(amount.reversed), adjusted: formatMoney(amount.adjusted), net: formatMoney(amount.net) });

/** The statement as JSON: amounts as yuan strings with two decimals. */
export function statementToJson(statement: Statement) {
  return {
    hospitalId: statement.hospitalId,
    period: { from: statement.from, to: statement.to },
    claims: statement.claims,
    rejections: statement.rejections,
    funds: statement.funds.map((fund) => ({ fundPayType: fund.fundPayType, name: fund.name, field: fund.field, ...nettedJson(fund) })),
    fundTotal: nettedJson(statement.fundTotal),
    hospitalBorne: nettedJson(statement.hospitalBorne),
    patient: nettedJson(statement.patient),
    medicalTotal: nettedJson(statement.medicalTotal),
    qualityDeposit: {
      appliesTo: '390100 hifp_pay',
      lines: statement.deposit.lines.map((line) => ({
        policy: line.policy,
        clause: line.clause,
        ratio: formatPercent(line.ratio),
        base: formatMoney(line.base),
        withheld: formatMoney(line.withheld),
      })),
      withheld: formatMoney(statement.deposit.withheld),
    },
    netToPay: formatMoney(statement.netToPay),
    adjustments: statement.adjustments.map((line) => ({ claimId: line.claimId, version: line.version, status: line.status, madeAt: line.madeAt, adjustment: adjustmentToJson(line.adjustment) })),
  };
}
export type StatementJson = ReturnType<typeof statementToJson>;

/** One CSV field, quoted when it must be (RFC 4180). */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const CSV_HEADER = ['hospital', 'from', 'to', 'section', 'key', 'name', 'count', 'settled', 'reversed', 'adjusted', 'net'] as const;

/**
 * The statement as CSV (RFC 4180, CRLF line ends, header first): one row per fund, the fund total,
 * one row per deposit line, the net to pay, then the claim counts and rejection codes. Amount columns
 * are yuan with two decimals; `count` is filled on count rows only.
 */
export function statementToCsv(statement: Statement): string {
  const rows: (string | number)[][] = [];
  const head = [statement.hospitalId, statement.from, statement.to];
  const money = (amount: NettedAmount) => [formatMoney(amount.settled), formatMoney(amount.reversed), formatMoney(amount.adjusted), formatMoney(amount.net)];
  for (const fund of statement.funds) rows.push([...head, 'fund', fund.fundPayType, `${fund.name} (${fund.field})`, '', ...money(fund)]);
  rows.push([...head, 'fund-total', '', 'all funds', '', ...money(statement.fundTotal)]);
  for (const line of statement.deposit.lines) {
    rows.push([...head, 'quality-deposit', line.policy, `${line.clause}: ${formatPercent(line.ratio)} of hifp_pay ${formatMoney(line.base)}`, '', '', '', '', formatMoney(-line.withheld as Fen)]);
  }
  rows.push([...head, 'net-to-pay', '', 'all funds less the quality deposit', '', '', '', '', formatMoney(statement.netToPay)]);
  rows.push([...head, 'hospital-borne', '', '医院负担 (hosp_part_amt)', '', ...money(statement.hospitalBorne)]);
  rows.push([...head, 'patient', '', '个人负担 (psn_part_amt)', '', ...money(statement.patient)]);
  rows.push([...head, 'medical-total', '', '医疗费总额 (medfee_sumamt)', '', ...money(statement.medicalTotal)]);
  for (const status of ['total', 'settled', 'rejected', 'reversed', 'adjusted'] as const) rows.push([...head, 'claims', status, '', statement.claims[status], '', '', '', '']);
  for (const { code, count } of statement.rejections) rows.push([...head, 'rejections', code, '', count, '', '', '', '']);
  for (const line of statement.adjustments) {
    const total = FUND_PAY_TYPES.reduce((sum, fund) => sum + line.adjustment[fund.amount], 0) as Fen;
    rows.push([...head, 'adjustment', `${line.claimId} v${line.version}`, line.madeAt ?? '', '', '', '', formatMoney(total), '']);
  }
  return [CSV_HEADER.join(','), ...rows.map((row) => row.map(csvField).join(','))].join('\r\n') + '\r\n';
}

