/** The one-stop settlement slip (一单制结算单): a readable rendering of a Settlement. */
import type { Amounts, Settlement } from '../shared/engine/settlement.js';
import { formatMoney } from '../shared/money/money.js';
import { alignRows, labelRows } from './text.js';

/** What the slip shows that the settlement does not carry: it comes from the claim. */
export interface SlipContext {
  readonly hospitalTier?: string;
}

const SCOPE_ROWS: readonly (readonly [keyof Amounts, string])[] = [
  ['total', '医疗费总额 total'],
  ['fullOwnPay', '全自费 fullOwnPay'],
  ['preSelfPay', '先行自付 preSelfPay'],
  ['policyScope', '政策范围内 policyScope'],
  ['deductible', '起付线 deductible'],
];

const PAYER_ROWS: readonly (readonly [keyof Amounts, string])[] = [
  ['basic', '统筹基金 basic'],
  ['catastrophic', '大病保险 catastrophic'],
  ['assistance', '医疗救助 assistance'],
  ['charity', '慈善 charity'],
  ['hospitalBorne', '医院负担 hospitalBorne'],
  ['patient', '个人负担 patient'],
];

const STATUS_WORDS: Readonly<Record<Settlement['status'], string>> = { settled: '已结算 settled', rejected: '拒付 rejected' };

function header(settlement: Settlement, context: SlipContext): string[] {
  const hospital = context.hospitalTier ? `${settlement.hospitalId} (${context.hospitalTier})` : settlement.hospitalId;
  const policy = settlement.policy === null ? '— (no policy in force)' : `${settlement.policy} ${settlement.policyVersion ?? ''}`.trim();
  return labelRows([
      ['结算单号 claim', settlement.claimId],
      ['参保人 member', settlement.memberId],
      ['医疗机构 hospital', hospital],
      ['政策 policy', policy],
      ['保险年度 year', String(settlement.year)],
      ['状态 status', STATUS_WORDS[settlement.status]],
    ['就医路径 care path', settlement.path ?? '—'],
  ]);
}

/** Labels left, amounts right-aligned in one column across both money sections. */
function moneySections(amounts: Amounts): { scope: string[]; payers: string[] } {
  const rows = [...SCOPE_ROWS, ...PAYER_ROWS].map(([key, label]) => [label, formatMoney(amounts[key])] as const);
  const lines = alignRows(rows);
  return { scope: lines.slice(0, SCOPE_ROWS.length), payers: lines.slice(SCOPE_ROWS.length) };
}

function traceLines(settlement: Settlement): string[] {
  const numberWidth = String(settlement.trace.length).length;
  const indent = ' '.repeat(numberWidth + 4);
  return settlement.trace.flatMap((entry, index) => {
    const reading = entry.reading ? ` [${entry.reading}]` : '';
    const amount = entry.amount !== undefined ? ` = ${entry.amount}` : '';
    return [`  ${String(index + 1).padStart(numberWidth)}. ${entry.step} · ${entry.clause}${reading}${amount}`, `${indent}${entry.detail}`];
  });
}

/**
 * Renders a settlement as a plain-text slip: header, scope breakdown, who pays what, the rejection
 * when there is one, and the trace that explains every amount.
 */
export function formatSlip(settlement: Settlement, context: SlipContext = {}): string {
  const { scope, payers } = moneySections(settlement.amounts);
  const lines = ['一单制结算单 One-stop settlement slip', ...header(settlement, context), '费用构成 Scope (yuan)', ...scope, '支付 Who pays (yuan)', ...payers];
  if (settlement.rejection) {
    lines.push(
      '拒付 Rejection',
      ...labelRows([
        ['code', settlement.rejection.code],
        ['message', settlement.rejection.message],
        ['clause', settlement.rejection.clause],
      ]),
    );
  }
  lines.push('计算过程 Trace', ...traceLines(settlement));
  return lines.join('\n');
}
