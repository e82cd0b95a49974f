/**
 * What-if replay: the same year of claims settled twice, once under the policies in force and once
 * under a changed policy set (an overlay with another deductible, cap or catastrophic segment), each
 * with its own year-to-date ledger, so that a change early in the year carries into every later claim
 * of the member exactly as it would in production. The report sets the two side by side: spending per
 * fund, the patients' own share, the members whose compliant self-pay crossed the catastrophic
 * threshold, and the members most affected.
 *
 * Deterministic: the same claims and books give the same report, byte for byte (ties are broken by
 * member id and year). Memory grows with the number of member-years (two ledgers and one pair of
 * patient sums per member-year), not with the number of claims.
 */
import type { Claim } from '../contract/claim.js';
import { YearToDateLedger, settleAgainstLedger } from '../engine/ledger.js';
import { AMOUNT_KEYS, type Amounts, type Settlement } from '../engine/settlement.js';
import { type Fen, formatMoney, percentOf } from '../money/money.js';
import type { PolicyBook } from '../policy/book.js';

/** The amounts a scenario adds up: the medical total and every payer. */
export const WHATIF_KEYS = ['total', 'basic', 'catastrophic', 'assistance', 'charity', 'hospitalBorne', 'patient'] as const satisfies readonly (keyof Amounts)[];
export type WhatIfKey = (typeof WHATIF_KEYS)[number];

/**
 * The bounds (in fen) of the bands the patients' share per claim is counted in: a claim falls in the
 * band of the first bound above its share, or in the last, open band.
 */
export const PATIENT_SHARE_BANDS: readonly number[] = [10_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000, 5_000_000];

export interface ScenarioTotals {
  claims: number;
  settled: number;
  rejected: number;
  readonly amounts: Record<WhatIfKey, number>;
  /** Member-years whose cumulative compliant self-pay went above the first catastrophic segment. */
  crossedCatastrophic: number;
  /** The amounts by month of discharge (`YYYY-MM`). */
  readonly months: Record<string, Record<WhatIfKey, number>>;
  /** Member-years that crossed the catastrophic threshold, by the month of the claim that crossed it. */
  readonly crossedByMonth: Record<string, number>;
  /** Claims per band of the patient's share ({@link PATIENT_SHARE_BANDS}, then the open band). */
  readonly patientShareBands: number[];
}

export interface MemberImpact {
  readonly memberId: string;
  readonly year: number;
  readonly patientBaseline: Fen;
  readonly patientChanged: Fen;
  /** changed − baseline: positive when the member pays more under the changed policies. */
  readonly delta: Fen;
}

export interface WhatIfReport {
  readonly claims: number;
  /** Claims whose settlement differs in any amount or in status. */
  readonly claimsChanged: number;
  readonly baseline: ScenarioTotals;
  readonly changed: ScenarioTotals;
  /** Member-years whose own share changed. */
  readonly membersAffected: number;
  readonly topMembers: readonly MemberImpact[];
}

const zeroAmounts = (): Record<WhatIfKey, number> => Object.fromEntries(WHATIF_KEYS.map((key) => [key, 0])) as Record<WhatIfKey, number>;

const emptyScenario = (): ScenarioTotals => ({
  claims: 0,
  settled: 0,
  rejected: 0,
  amounts: zeroAmounts(),
  crossedCatastrophic: 0,
  months: {},
  crossedByMonth: {},
  patientShareBands: Array.from({ length: PATIENT_SHARE_BANDS.length + 1 }, () => 0),
});

/** The band of a patient's share: the index of the first bound above it, or the open band. */
export function patientShareBand(patient: number): number {
  const index = PATIENT_SHARE_BANDS.findIndex((bound) => patient < bound);
  return index < 0 ? PATIENT_SHARE_BANDS.length : index;
}

/** One policy set with its ledger and what it has added up. */
class Scenario {
  readonly ledger = new YearToDateLedger();
  readonly totals = emptyScenario();
  private readonly crossed = new Set<string>();
  private readonly thresholds = new Map<string, number | null>();

  constructor(private readonly book: PolicyBook) {}

  /** The first catastrophic segment's lower bound of a policy (null: no catastrophic benefit). */
  private threshold(policyId: string): number | null {
    let threshold = this.thresholds.get(policyId);
    if (threshold === undefined) {
      threshold = this.book.get(policyId)?.policy.catastrophic?.segments[0]?.from ?? null;
      this.thresholds.set(policyId, threshold);
    }
    return threshold;
  }

  settle(claim: Claim, key: string): Settlement {
    const settlement = settleAgainstLedger(claim, this.book, this.ledger);
    const totals = this.totals;
    const month = claim.visit.dischargedOn.slice(0, 7);
    const monthly = (totals.months[month] ??= zeroAmounts());
    totals.claims += 1;
    if (settlement.status === 'rejected') totals.rejected += 1;
    else totals.settled += 1;
    for (const amount of WHATIF_KEYS) {
      totals.amounts[amount] += settlement.amounts[amount];
      monthly[amount] += settlement.amounts[amount];
    }
    (totals.patientShareBands[patientShareBand(settlement.amounts.patient)] as number) += 1;
    if (settlement.status === 'settled' && settlement.policy !== null && !this.crossed.has(key)) {
      const threshold = this.threshold(settlement.policy);
      if (threshold !== null && settlement.yearToDate.compliantSelfPay > threshold) {
        this.crossed.add(key);
        totals.crossedCatastrophic += 1;
        totals.crossedByMonth[month] = (totals.crossedByMonth[month] ?? 0) + 1;
      }
    }
    return settlement;
  }
}

const sameSettlement = (a: Settlement, b: Settlement): boolean => a.status === b.status && AMOUNT_KEYS.every((key) => a.amounts[key] === b.amounts[key]);

/**
 * Replays claims, one at a time, under two policy books. Claims must come in discharge order per
 * member (as `claims replay` requires), since each scenario carries year-to-date totals.
 */
export class WhatIf {
  private readonly baseline: Scenario;
  private readonly changed: Scenario;
  /** Per member-year: [patient share under baseline, under changed]. */
  private readonly patients = new Map<string, [number, number]>();
  private claims = 0;
  private claimsChanged = 0;

  constructor(baselineBook: PolicyBook, changedBook: PolicyBook) {
    this.baseline = new Scenario(baselineBook);
    this.changed = new Scenario(changedBook);
  }

  /** Settles one claim under both policy sets. */
  add(claim: Claim): void {
    const year = Number(claim.visit.dischargedOn.slice(0, 4));
    const key = `${claim.member.id}\u0000${year}`;
    const a = this.baseline.settle(claim, key);
    const b = this.changed.settle(claim, key);
    this.claims += 1;
    if (!sameSettlement(a, b)) this.claimsChanged += 1;
    const pair = this.patients.get(key);
    if (pair) {
      pair[0] += a.amounts.patient;
      pair[1] += b.amounts.patient;
    } else this.patients.set(key, [a.amounts.patient, b.amounts.patient]);
  }

  /** The report, with the `top` members whose own share changed most (by absolute change). */
  finish(top = 10): WhatIfReport {
    const impacts: MemberImpact[] = [];
    for (const [key, [base, changed]] of this.patients) {
      if (base === changed) continue;
      const [memberId, year] = key.split('\u0000') as [string, string];
      impacts.push({ memberId, year: Number(year), patientBaseline: base as Fen, patientChanged: changed as Fen, delta: (changed - base) as Fen });
    }
    impacts.sort(
      (x, y) => Math.abs(y.delta) - Math.abs(x.delta) || (x.memberId < y.memberId ? -1 : x.memberId > y.memberId ? 1 : 0) || x.year - y.year,
    );
    return {
      claims: this.claims,
      claimsChanged: this.claimsChanged,
      baseline: structuredClone(this.baseline.totals),
      changed: structuredClone(this.changed.totals),
      membersAffected: impacts.length,
      topMembers: impacts.slice(0, Math.max(0, top)),
    };
  }
}

/** Replays a stream of claims under both books; `onProgress` is called after each claim. */
export async function runWhatIf(
  claims: AsyncIterable<Claim> | Iterable<Claim>,
  baselineBook: PolicyBook,
  changedBook: PolicyBook,
  options: { top?: number; onProgress?: (done: number) => void } = {},
): Promise<WhatIfReport> {
  const whatIf = new WhatIf(baselineBook, changedBook);
  let done = 0;
  for await (const claim of claims) {
    whatIf.add(claim);
    done += 1;
    options.onProgress?.(done);
  }
  return whatIf.finish(options.top);
}

/** A difference as yuan with its sign: +225.00, -225.00, 0.00. */
export const signed = (amount: number): string => (amount > 0 ? `+${formatMoney(amount as Fen)}` : formatMoney(amount as Fen));

/** The report as JSON: amounts as yuan strings, differences as signed strings (changed − baseline). */
export function whatIfToJson(report: WhatIfReport) {
  const scenario = (totals: ScenarioTotals) => ({
    claims: totals.claims,
    settled: totals.settled,
    rejected: totals.rejected,
    amounts: Object.fromEntries(WHATIF_KEYS.map((key) => [key, formatMoney(totals.amounts[key] as Fen)])),
    patientShare: percentOf(totals.amounts.patient as Fen, totals.amounts.total as Fen, 2),
    crossedCatastrophic: totals.crossedCatastrophic,
  });
  const months = [...new Set([...Object.keys(report.baseline.months), ...Object.keys(report.changed.months)])].sort();
  const monthAmounts = (totals: ScenarioTotals, month: string) =>
    Object.fromEntries(WHATIF_KEYS.map((key) => [key, formatMoney((totals.months[month]?.[key] ?? 0) as Fen)])) as Record<WhatIfKey, string>;
  return {
    claims: report.claims,
    claimsChanged: report.claimsChanged,
    /** Each month of discharge: the amounts under each policy set. */
    months: months.map((month) => ({ month, baseline: monthAmounts(report.baseline, month), changed: monthAmounts(report.changed, month) })),
    /** Claims per band of the patient's share, `to` excluded (null: no upper bound). */
    patientShare: report.baseline.patientShareBands.map((count, index) => ({
      from: formatMoney((index === 0 ? 0 : (PATIENT_SHARE_BANDS[index - 1] as number)) as Fen),
      to: index < PATIENT_SHARE_BANDS.length ? formatMoney(PATIENT_SHARE_BANDS[index] as Fen) : null,
      baseline: count,
      changed: report.changed.patientShareBands[index] ?? 0,
    })),
    /** Member-years crossing the catastrophic threshold, by the month of the crossing claim. */
    crossings: months.map((month) => ({ month, baseline: report.baseline.crossedByMonth[month] ?? 0, changed: report.changed.crossedByMonth[month] ?? 0 })),
    baseline: scenario(report.baseline),
    changed: scenario(report.changed),
    difference: {
      amounts: Object.fromEntries(WHATIF_KEYS.map((key) => [key, signed(report.changed.amounts[key] - report.baseline.amounts[key])])),
      crossedCatastrophic: report.changed.crossedCatastrophic - report.baseline.crossedCatastrophic,
      rejected: report.changed.rejected - report.baseline.rejected,
    },
    membersAffected: report.membersAffected,
    topMembers: report.topMembers.map((impact) => ({
      memberId: impact.memberId,
      year: impact.year,
      patientBaseline: formatMoney(impact.patientBaseline),
      patientChanged: formatMoney(impact.patientChanged),
      delta: signed(impact.delta),
    })),
  };
}
export type WhatIfJson = ReturnType<typeof whatIfToJson>;

/** The report as a side-by-side table for a terminal (whatif-text.ts). */
export { formatWhatIf } from './whatif-text.js';
