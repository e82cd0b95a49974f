/**
 * The cost of a correction as a function of how many later claims it re-settles: the reversal of a
 * member's first admission of the year, followed by N later admissions (each of which settles again,
 * and those that pay differently once the first is gone get a new version: the repeat-admission deductible, the cap
 * room and the catastrophic segments move). Time is the member-year ledger's (shared/ledger), the engine
 * run on every later claim; write units are modelled from the real items: each claim whose amounts
 * change writes its new version and its head item (2 transactional puts of a settlement item), and the
 * totals are written once, in transactions of at most 100 items.
 */
import { performance } from 'node:perf_hooks';
import { parseClaim } from '../shared/contract/claim.js';
import { appendClaim, applyCorrection, emptyMemberYear, type MemberYear } from '../shared/ledger/member-year.js';
import { builtInPolicyBook } from '../shared/policy/book.js';
import { itemSize, transactionalWriteUnits } from '../functions/storage/item-size.js';
import { settlementItem, totalsItem } from '../functions/storage/items.js';
import { inpatientClaim } from './claims.js';

export interface CorrectionRow {
  /** Later claims re-settled (the engine ran on each). */
  readonly later: number;
  /** Later claims whose amounts changed: each gets a new version. */
  readonly changed: number;
  readonly ms: number;
  readonly writeUnits: number;
  /** TransactWriteItems calls of at most 100 items the writes need. */
  readonly transactions: number;
}

const MEMBER = 'M-BENCH-CORRECTION';
const AT = '2018-12-31T00:00:00.000Z';

function memberYearWith(later: number): MemberYear {
  const book = builtInPolicyBook();
  let year = emptyMemberYear(MEMBER, 2018);
  for (let i = 0; i <= later; i += 1) {
    const input = inpatientClaim(i === 0 ? 20 : 5, i);
    const claim = parseClaim({ ...input, claimId: `BENCH-C-${i}`, member: { ...input.member, id: MEMBER }, yearToDate: undefined });
    year = appendClaim(year, claim, book).memberYear;
  }
  return year;
}

/** Reverses the first of `later + 1` admissions, for each size; a few runs each, the fastest kept. */
export function benchCorrections(sizes: readonly number[] = [1, 10, 100, 500]): CorrectionRow[] {
  const book = builtInPolicyBook();
  return sizes.map((later) => {
    const year = memberYearWith(later);
    const first = year.entries[0];
    if (!first) throw new Error('empty member-year');
    let best = Number.POSITIVE_INFINITY;
    let result = applyCorrection(year, { kind: 'reversal', hospitalId: first.hospitalId, claimId: first.claimId, at: AT }, book);
    for (let run = 0; run < 5; run += 1) {
      const started = performance.now();
      result = applyCorrection(year, { kind: 'reversal', hospitalId: first.hospitalId, claimId: first.claimId, at: AT }, book);
      best = Math.min(best, performance.now() - started);
    }
    const versions = [result.corrected, ...result.resettled];
    const settlementUnits = versions.reduce((sum, version) => {
      const size = itemSize(settlementItem(version.settlement, year.totals, '2018-05-11', AT));
      return sum + 2 * transactionalWriteUnits(size);
    }, 0);
    const totalsUnits = transactionalWriteUnits(itemSize(totalsItem(MEMBER, 2018, result.memberYear.totals, 1)));
    const items = versions.length * 2 + 1;
    return { later, changed: result.resettled.length, ms: best, writeUnits: settlementUnits + totalsUnits, transactions: Math.ceil(items / 100) };
  });
}

/** The rows as the report's table. */
export function correctionTable(rows: readonly CorrectionRow[]): string[][] {
  return rows.map((row) => [String(row.later), String(row.changed), row.ms.toFixed(2), String(row.writeUnits), String(row.transactions)]);
}
