/** The tally of a replay: how many claims went which way, and what each fund paid. */
import { REJECTION_CODES, type RejectionCode, type Settlement } from '../shared/engine/settlement.js';
import { ADJUSTED_FUNDS, type AdjustedFund, type Adjustment, addAdjustment, zeroAdjustment } from '../shared/ledger/adjustment.js';
import { type Fen, formatMoney } from '../shared/money/money.js';
import { alignRows } from './text.js';

/** The funds the summary adds up, the one-stop order then the total. */
export const SUMMARY_FUNDS = ['basic', 'catastrophic', 'assistance', 'charity', 'hospitalBorne', 'patient', 'total'] as const;
export type SummaryFund = (typeof SUMMARY_FUNDS)[number];

/** The summary as `--summary FILE` writes it. */
export interface ReplaySummaryJson {
  readonly claimsRead: number;
  readonly settled: number;
  readonly rejected: number;
  readonly rejectedByCode: Partial<Record<RejectionCode, number>>;
  readonly invalid: number;
  /** Claim lines whose hospital + claim id came before with identical content: no-ops. */
  readonly duplicates: number;
  /** Claim lines whose hospital + claim id came before with different content: refused, nothing changed. */
  readonly conflictingResends: number;
  /** Correction events read (reversals and replacements), applied or not. */
  readonly corrections: number;
  /** Corrections refused (an unknown or already reversed claim, a replacement that moves the claim): nothing changed. */
  readonly correctionsRefused: number;
  /** Later claims that got a new settlement version because of a correction. */
  readonly resettled: number;
  /** Net adjustment per fund of every new version (signed yuan): the first settlements' amounts plus these are what is paid now. */
  readonly adjustments: Record<AdjustedFund, string>;
  /** Sums over every settlement written (rejected ones included: their patient part is their total), in yuan. */
  readonly amounts: Record<SummaryFund, string>;
  readonly members: number;
  readonly seconds: number;
  readonly claimsPerSecond: number;
}

const FUND_LABELS: Readonly<Record<SummaryFund, string>> = {
  basic: '统筹基金 basic',
  catastrophic: '大病保险 catastrophic',
  assistance: '医疗救助 assistance',
  charity: '慈善 charity',
  hospitalBorne: '医院负担 hospitalBorne',
  patient: '个人负担 patient',
  total: '医疗费总额 total',
};

/** A tally as plain data. */
export interface TallySnapshot {
  readonly read: number;
  readonly settled: number;
  readonly invalid: number;
  readonly duplicates: number;
  readonly conflicts: number;
  readonly corrections: number;
  readonly refused: number;
  readonly resettled: number;
  readonly rejectedByCode: Partial<Record<RejectionCode, number>>;
  readonly sums: Record<SummaryFund, number>;
  readonly adjustments: Record<AdjustedFund, number>;
}

/** Running counts and sums; sums are integer fen, which stay exact far beyond any county's year. */
export class ReplayTally {
  read = 0;
  settled = 0;
  invalid = 0;
  duplicates = 0;
  conflicts = 0;
  corrections = 0;
  refused = 0;
  resettled = 0;
  readonly adjustments: Record<AdjustedFund, number> = zeroAdjustment();
  readonly rejectedByCode: Partial<Record<RejectionCode, number>> = {};
  readonly sums: Record<SummaryFund, number> = { basic: 0, catastrophic: 0, assistance: 0, charity: 0, hospitalBorne: 0, patient: 0, total: 0 };

  /** Counts one settlement and adds its amounts. */
  add(settlement: Settlement): void {
    const { amounts } = settlement;
    if (settlement.rejection) this.rejectedByCode[settlement.rejection.code] = (this.rejectedByCode[settlement.rejection.code] ?? 0) + 1;
    else this.settled += 1;
    this.sums.basic += amounts.basic;
    this.sums.catastrophic += amounts.catastrophic;
    this.sums.assistance += amounts.assistance;
    this.sums.charity += amounts.charity;
    this.sums.hospitalBorne += amounts.hospitalBorne;
    this.sums.patient += amounts.patient;
    this.sums.total += amounts.total;
  }

  /** Adds the adjustment of one new settlement version. */
  addAdjustment(adjustment: Adjustment): void {
    addAdjustment(this.adjustments, adjustment);
  }

  /** The counts and sums as plain data, to send from a worker thread. */
  snapshot(): TallySnapshot {
    const { read, settled, invalid, duplicates, conflicts, corrections, refused, resettled } = this;
    return { read, settled, invalid, duplicates, conflicts, corrections, refused, resettled, rejectedByCode: { ...this.rejectedByCode }, sums: { ...this.sums }, adjustments: { ...this.adjustments } };
  }

  /** Adds another tally's counts and sums (a worker's share of the claims). */
  absorb(other: TallySnapshot): void {
    this.read += other.read;
    this.settled += other.settled;
    this.invalid += other.invalid;
    this.duplicates += other.duplicates;
    this.conflicts += other.conflicts;
    this.corrections += other.corrections;
    this.refused += other.refused;
    this.resettled += other.resettled;
    addAdjustment(this.adjustments, other.adjustments as Adjustment);
    for (const [code, count] of Object.entries(other.rejectedByCode) as [RejectionCode, number][]) {
      this.rejectedByCode[code] = (this.rejectedByCode[code] ?? 0) + count;
    }
    for (const fund of SUMMARY_FUNDS) this.sums[fund] += other.sums[fund];
  }

  get rejected(): number {
    return Object.values(this.rejectedByCode).reduce((sum, count) => sum + count, 0);
  }

  /** The counts per rejection code in the contract's order of codes: the same object whatever order (or worker) they were counted in. */
  private rejectedByCodeInOrder(): Partial<Record<RejectionCode, number>> {
    const counts: Partial<Record<RejectionCode, number>> = {};
    for (const code of REJECTION_CODES) {
      const count = this.rejectedByCode[code];
      if (count !== undefined) counts[code] = count;
    }
    return counts;
  }

  /** The summary, given how long the replay took and how many member-years the ledger holds. */
  toJSON(seconds: number, members: number): ReplaySummaryJson {
    const amounts = {} as Record<SummaryFund, string>;
    for (const fund of SUMMARY_FUNDS) amounts[fund] = formatMoney(this.sums[fund] as Fen);
    const adjustments = {} as Record<AdjustedFund, string>;
    for (const fund of ADJUSTED_FUNDS) adjustments[fund] = formatMoney(this.adjustments[fund] as Fen);
    return {
      claimsRead: this.read,
      settled: this.settled,
      rejected: this.rejected,
      rejectedByCode: this.rejectedByCodeInOrder(),
      invalid: this.invalid,
      duplicates: this.duplicates,
      conflictingResends: this.conflicts,
      corrections: this.corrections,
      correctionsRefused: this.refused,
      resettled: this.resettled,
      adjustments,
      amounts,
      members,
      seconds: Math.round(seconds * 1000) / 1000,
      claimsPerSecond: seconds > 0 ? Math.round(this.read / seconds) : 0,
    };
  }
}

/** The summary as the lines written to stderr at the end of a replay. */
export function formatSummary(summary: ReplaySummaryJson): string {
  const codes = Object.entries(summary.rejectedByCode)
    .sort(([, a], [, b]) => b - a)
    .map(([code, count]) => `${code} ${count}`)
    .join(', ');
  const counts = alignRows([
    ['claims read', String(summary.claimsRead)],
    ['settled', String(summary.settled)],
    ['rejected', String(summary.rejected)],
    ['invalid', String(summary.invalid)],
    ['member-years', String(summary.members)],
  ]);
  if (codes) counts.splice(3, 0, `    by code: ${codes}`);
  const resends = summary.duplicates + summary.conflictingResends;
  const corrections =
    summary.corrections === 0
      ? []
      : [
          `corrections: ${summary.corrections} (${summary.correctionsRefused} refused), ${summary.resettled} later claims re-settled; net adjustment per fund (yuan, 补付 + / 追回 −):`,
          ...alignRows(ADJUSTED_FUNDS.map((fund) => [FUND_LABELS[fund], summary.adjustments[fund]] as const)),
        ];
  return [
    `claims replay: ${summary.claimsRead} claims in ${summary.seconds.toFixed(2)} s, ${summary.claimsPerSecond} claims/s`,
    ...counts,
    'paid per fund (yuan):',
    ...alignRows(SUMMARY_FUNDS.map((fund) => [FUND_LABELS[fund], summary.amounts[fund]] as const)),
    ...(resends === 0 ? [] : [`resends: ${summary.duplicates} identical (no-op), ${summary.conflictingResends} conflicting (refused)`]),
    ...corrections,
  ].join('\n');
}
