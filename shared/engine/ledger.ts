/**
 * A member's running totals across claims, in memory: what `claims replay` carries from claim to claim
 * and what the pipeline keeps in DynamoDB. Totals are per member and insurance year (the discharge year).
 */
import { yearOf } from '../calendar/dates.js';
import { type Claim, type YearToDate, emptyYearToDate } from '../contract/claim.js';
import type { PolicyBook } from '../policy/book.js';
import { settle } from './settle.js';
import type { Settlement } from './settlement.js';

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
