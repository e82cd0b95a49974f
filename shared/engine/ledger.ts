/**
 * A member's running totals across claims, in memory: what `claims replay` carries from claim to claim
 * and what the pipeline keeps in DynamoDB. Totals are per member and insurance year (the discharge year).
 * The rules for giving a settlement back (a reversal) live here too, so the storage adapter only stores.
 */
import { yearOf } from '../calendar/dates.js';
import { type Claim, YEAR_TO_DATE_AMOUNTS, type YearToDate, emptyYearToDate } from '../contract/claim.js';
import { type Fen, parseMoney } from '../money/money.js';
import type { PolicyBook } from '../policy/book.js';
import { NegativeTotalsError } from './errors.js';
import { settle } from './settle.js';
import type { Settlement, YearToDateJson } from './settlement.js';

/** The year-to-date totals of many members, keyed by member id and insurance year. */
export class YearToDateLedger {
  private readonly totals = new Map<string, YearToDate>();

  private static key(memberId: string, year: number): string {
    return `${memberId}\u0000${year}`;
  }

  /** The member's totals for the year, zero when the member has no settled claim in it yet. */
  get(memberId: string, year: number): YearToDate {
    return this.totals.get(YearToDateLedger.key(memberId, year)) ?? emptyYearToDate();
  }

  set(memberId: string, year: number, totals: YearToDate): void {
    this.totals.set(YearToDateLedger.key(memberId, year), totals);
  }

  /** How many member-years the ledger holds. */
  get size(): number {
    return this.totals.size;
  }

  /** Every member-year with its totals. */
  *entries(): IterableIterator<{ memberId: string; year: number; totals: YearToDate }> {
    for (const [key, totals] of this.totals) {
      const [memberId, year] = key.split('\u0000') as [string, string];
      yield { memberId, year: Number(year), totals };
    }
  }
}

/**
 * Settles a claim against the ledger's totals for its member and year, ignoring the claim's own
 * `yearToDate`, and records the totals after it when it is settled (a rejected claim changes nothing).
 */
export function settleAgainstLedger(claim: Claim, book: PolicyBook, ledger: YearToDateLedger): Settlement {
  const year = yearOf(claim.visit.dischargedOn);
  const settlement = settle({ ...claim, yearToDate: ledger.get(claim.member.id, year) }, book);
  if (settlement.status === 'settled') ledger.set(claim.member.id, year, settlement.yearToDate);
  return settlement;
}

/** Year-to-date totals from the contract's JSON (exact fen): the inverse of `yearToDateToJson`. */
export function yearToDateFromJson(json: YearToDateJson): YearToDate {
  const fen = (text: string): Fen => parseMoney(text);
  return {
    admissions: json.admissions,
    basicPaid: fen(json.basicPaid),
    outpatientPaid: fen(json.outpatientPaid),
    compliantSelfPay: fen(json.compliantSelfPay),
    catastrophicPaid: fen(json.catastrophicPaid),
    assistancePaid: fen(json.assistancePaid),
    outpatientDeductibleUsed: fen(json.outpatientDeductibleUsed),
    seriousDiseasePaid: fen(json.seriousDiseasePaid),
    specialOutpatientDeductibleTaken: json.specialOutpatientDeductibleTaken,
  };
}

/** The year-to-date counters a reversal gives back: the admissions and every money total. */
export const TOTALS_COUNTERS = ['admissions', ...YEAR_TO_DATE_AMOUNTS] as const;

/**
 * The totals after reversing one settlement: each counter minus what that settlement added
 * (`after - before`), to the fen. The special-outpatient deductible flag is cleared only when this
 * settlement was the one that set it. Later settlements keep their amounts; a later claim settles
 * against the restored totals.
 * @throws NegativeTotalsError when a counter would go below zero (the stored totals are inconsistent).
 */
export function reverseTotals(current: YearToDate, before: YearToDate, after: YearToDate): YearToDate {
  const restored: Record<string, number | boolean> = { ...current };
  for (const field of TOTALS_COUNTERS) {
    const value = current[field] - (after[field] - before[field]);
    if (value < 0) throw new NegativeTotalsError(field);
    restored[field] = value;
  }
  if (after.specialOutpatientDeductibleTaken && !before.specialOutpatientDeductibleTaken) {
    restored['specialOutpatientDeductibleTaken'] = false;
  }
  return restored as unknown as YearToDate;
}

/** What one settlement added to the totals, per counter: the sum over a member's settlements is their totals. */
export function totalsDelta(before: YearToDate, after: YearToDate): Record<(typeof TOTALS_COUNTERS)[number], number> {
  const delta = {} as Record<(typeof TOTALS_COUNTERS)[number], number>;
  for (const field of TOTALS_COUNTERS) delta[field] = after[field] - before[field];
  return delta;
}
