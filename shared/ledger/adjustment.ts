/**
 * The difference a new settlement version makes per fund against the version before it, and its
 * explanation in English and Chinese: 补付 (paid in addition) when a fund pays more, 追回 (recovered)
 * when it pays less; for the patient's part, 补收 (collected) and 退还 (refunded).
 */
import { type Fen, ZERO, formatMoney } from '../money/money.js';
import { type Amounts, PAYER_KEYS } from '../engine/settlement.js';

/** The parts an adjustment is counted in: the payers of the one-stop order and the patient. */
export const ADJUSTED_FUNDS = PAYER_KEYS;
export type AdjustedFund = (typeof ADJUSTED_FUNDS)[number];

/** Signed fen per fund: new version minus previous version. */
export type Adjustment = Readonly<Record<AdjustedFund, Fen>>;

/** Which correction of which claim made a new version, and when. */
export interface CorrectionCause {
  readonly kind: 'reversal' | 'replacement';
  readonly hospitalId: string;
  readonly claimId: string;
  /** When the correction was made (ISO timestamp, given by the caller: the core has no clock). */
  readonly at: string;
}

/** One line of an adjustment's explanation: the fund, the signed amount, and the sentences. */
export interface AdjustmentNote {
  readonly fund: AdjustedFund;
  readonly amount: string;
  readonly detail: string;
  readonly zh: string;
}

const FUND_ZH: Readonly<Record<AdjustedFund, string>> = {
  basic: '统筹基金',
  catastrophic: '大病保险',
  assistance: '医疗救助',
  charity: '慈善',
  hospitalBorne: '医院负担',
  patient: '个人负担',
};

/** The zero adjustment. */
export function zeroAdjustment(): Record<AdjustedFund, Fen> {
  return { basic: ZERO, catastrophic: ZERO, assistance: ZERO, charity: ZERO, hospitalBorne: ZERO, patient: ZERO };
}

/** `next − previous` per fund; a reversal passes the zero amounts as `next`. */
export function adjustmentBetween(previous: Amounts, next: Pick<Amounts, AdjustedFund>): Adjustment {
  const out = zeroAdjustment();
  for (const fund of ADJUSTED_FUNDS) out[fund] = (next[fund] - previous[fund]) as Fen;
  return out;
}

/** Adds an adjustment into running sums (the replay's summary, the statement's period totals). */
export function addAdjustment(into: Record<AdjustedFund, number>, adjustment: Adjustment): void {
  for (const fund of ADJUSTED_FUNDS) into[fund] += adjustment[fund];
}

/** The adjustment as the contract's JSON: signed yuan strings with two decimals. */
export function adjustmentToJson(adjustment: Adjustment): Record<AdjustedFund, string> {
  const out = {} as Record<AdjustedFund, string>;
  for (const fund of ADJUSTED_FUNDS) out[fund] = formatMoney(adjustment[fund]);
  return out;
}

function causeEnglish(cause: CorrectionCause): string {
  return `${cause.kind} of claim ${cause.claimId} of hospital ${cause.hospitalId} at ${cause.at}`;
}

function causeChinese(cause: CorrectionCause): string {
  return `${cause.hospitalId} 医院 ${cause.claimId} 号结算于 ${cause.at} ${cause.kind === 'reversal' ? '冲销' : '更正'}`;
}

/** The word of a change: what the fund does with the difference. */
function wordsOf(fund: AdjustedFund, amount: Fen): { en: string; zh: string } {
  if (fund === 'patient') return amount > 0 ? { en: 'collected from the patient', zh: '补收' } : { en: 'refunded to the patient', zh: '退还' };
  return amount > 0 ? { en: 'paid in addition (补付)', zh: '补付' } : { en: 'recovered (追回)', zh: '追回' };
}

/**
 * One note per fund whose amount changed: `basic 7350.00 → 7200.00: −150.00 recovered (追回) after the
 * reversal of claim R1…`, and the same in Chinese for the counter.
 */
export function explainAdjustment(previous: Pick<Amounts, AdjustedFund>, next: Pick<Amounts, AdjustedFund>, cause: CorrectionCause): AdjustmentNote[] {
  const notes: AdjustmentNote[] = [];
  for (const fund of ADJUSTED_FUNDS) {
    const amount = (next[fund] - previous[fund]) as Fen;
    if (amount === 0) continue;
    const words = wordsOf(fund, amount);
    const magnitude = formatMoney(Math.abs(amount) as Fen);
    const from = formatMoney(previous[fund]);
    const to = formatMoney(next[fund]);
    notes.push({
      fund,
      amount: formatMoney(amount),
      detail: `${fund} ${from} → ${to}: ${formatMoney(amount)} ${words.en} after the ${causeEnglish(cause)}`,
      zh: `${FUND_ZH[fund]} 由 ${from} 元调整为 ${to} 元，${words.zh} ${magnitude} 元（因${causeChinese(cause)}）`,
    });
  }
  return notes;
}
