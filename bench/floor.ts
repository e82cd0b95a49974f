/**
 * The floor: the same inpatient split as the engine's for the benchmark claims, computed the cheapest
 * way we know — integer fen, plain numbers, no validation, no policy lookup, no trace. Per line:
 * the inclusion ratio (catalogue 100%, class-b 1 − self-pay ratio, large equipment and disposable
 * material 60%, out of catalogue 0%); then the deductible (500.00 at class2-city, halved for a repeat
 * admission), the 70% ratio, the 70,000 annual cap, catastrophic 75% of the cumulative compliant
 * self-pay above 10,000, and the patient's remainder. Rounding is the engine's: half up to the fen.
 *
 * Two floors, one for each engine figure:
 * - `floorSettle(prepared)` starts from amounts already in fen (as `settle` starts from a parsed Claim);
 * - `floorFromJson(text)` starts from the JSON text (JSON.parse, the amount strings to fen, the split),
 *   the floor of validation + settlement.
 * The benchmark checks that both give the engine's amounts before it times anything.
 */
import type { ClaimInput } from '../shared/contract/claim.js';

/** Ratios are integers over 10,000 (70% = 7000). */
const ONE = 10_000;
const CATEGORY_RATIO: Record<string, number> = {
  catalogue: ONE,
  'large-equipment': 6000,
  'disposable-material': 6000,
  'out-of-catalogue': 0,
};
const DEDUCTIBLE = 50_000; // 500.00 (class2-city)
const BASIC_RATIO = 7000;
const BASIC_CAP = 7_000_000; // 70,000.00
const CATASTROPHIC_FROM = 1_000_000; // 10,000.00
const CATASTROPHIC_RATE = 7500;

/** The claim as plain numbers: each line's amount in fen and its inclusion ratio, the year-to-date in fen. */
export interface FloorInput {
  readonly amounts: Int32Array;
  readonly ratios: Int32Array;
  readonly priorAdmissions: number;
  readonly basicPaid: number;
  readonly compliantSelfPay: number;
}

export interface FloorSplit {
  readonly total: number;
  readonly fullOwnPay: number;
  readonly preSelfPay: number;
  readonly policyScope: number;
  readonly deductible: number;
  readonly basic: number;
  readonly catastrophic: number;
  readonly patient: number;
}

/** amount × ratio / 10,000, half up (amounts and ratios are non-negative). */
const applyRatioRoundHalfUp = (fen: number, ratio: number): number => Math.floor((fen * ratio + ONE / 2) / ONE);

/** "123.45" → 12345 (the benchmark claims always carry two decimals). */
function toFen(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? Number(text) * 100 : Number(text.slice(0, dot)) * 100 + Number(text.slice(dot + 1, dot + 3).padEnd(2, '0'));
}

/** "0.10" → 1000 over 10,000. */
const toRatio = (text: string): number => Math.round(Number(text) * ONE);

function lineRatio(item: { category: string; selfPayRatio?: unknown }): number {
  if (item.category === 'class-b') return ONE - toRatio(String(item.selfPayRatio ?? '0'));
  const ratio = CATEGORY_RATIO[item.category];
  if (ratio === undefined) throw new Error(`floor: no ratio for category ${item.category}`);
  return ratio;
}

/** Converts a benchmark claim to the floor's plain numbers (outside the timed loop). */
export function prepareFloor(claim: ClaimInput): FloorInput {
  const amounts = new Int32Array(claim.items.length);
  const ratios = new Int32Array(claim.items.length);
  claim.items.forEach((item, i) => {
    amounts[i] = toFen(String(item.amount));
    ratios[i] = lineRatio(item);
  });
  const ytd = claim.yearToDate;
  return {
    amounts,
    ratios,
    priorAdmissions: ytd?.admissions ?? 0,
    basicPaid: toFen(String(ytd?.basicPaid ?? '0')),
    compliantSelfPay: toFen(String(ytd?.compliantSelfPay ?? '0')),
  };
}

/** The split of a class2-city inpatient claim under Jinzhong 2017, in fen. */
export function floorSettle(input: FloorInput): FloorSplit {
  let total = 0;
  let fullOwnPay = 0;
  let policyScope = 0;
  const { amounts, ratios } = input;
  for (let i = 0; i < amounts.length; i += 1) {
    const amount = amounts[i] as number;
    const ratio = ratios[i] as number;
    total += amount;
    if (ratio === 0) fullOwnPay += amount;
    else policyScope += ratio === ONE ? amount : applyRatioRoundHalfUp(amount, ratio);
  }
  const preSelfPay = total - fullOwnPay - policyScope;
  const deductible = Math.min(policyScope, input.priorAdmissions >= 1 ? DEDUCTIBLE / 2 : DEDUCTIBLE);
  const basic = Math.min(applyRatioRoundHalfUp(policyScope - deductible, BASIC_RATIO), Math.max(0, BASIC_CAP - input.basicPaid));
  const before = input.compliantSelfPay;
  const after = before + policyScope - basic;
  const overlap = after - Math.max(before, CATASTROPHIC_FROM);
  const catastrophic = overlap > 0 ? applyRatioRoundHalfUp(overlap, CATASTROPHIC_RATE) : 0;
  return { total, fullOwnPay, preSelfPay, policyScope, deductible, basic, catastrophic, patient: total - basic - catastrophic };
}

/** The floor of validation + settlement: JSON text → plain numbers → the split. */
export function floorFromJson(text: string): FloorSplit {
  return floorSettle(prepareFloor(JSON.parse(text) as ClaimInput));
}

/** Formats fen as the engine's money strings ("1245.46"), for the agreement check. */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
