/**
 * The cost of a correction as a function of how many later claims it re-settles: the reversal of a
 * member's first admission of the year, followed by N later admissions (each of which settles again,
 * and those that pay differently once the first is gone get a new version: the repeat-admission deductible, the cap
 * room and the catastrophic segments move). Time is the member-year ledger's (shared/ledger), the engine
 * run on every later claim; write units are modelled from the real items: each claim whose amounts
 * change writes its new version (a put and its order-index entry) and points its claim item at it (an
 * update), and the totals take the pending mark and the final put (docs/storage.md, "Corrections").
 */
import { performance } from 'node:perf_hooks';
import { parseClaim } from '../shared/contract/claim.js';
import { appendClaim, applyCorrection, emptyMemberYear, type MemberYear } from '../shared/ledger/member-year.js';
import { builtInPolicyBook } from '../shared/policy/book.js';
import { acceptedItem } from '../functions/storage/accepted.js';
import { revisionItem, settlementItem, totalsItem } from '../functions/storage/items.js';
import { adjustmentToJson } from '../shared/ledger/adjustment.js';
import type { LedgerEntry } from '../shared/ledger/member-year.js';
import { correctionMarkWriteCost, versionWriteCost } from './write-cost.js';
import { inpatientClaim } from './claims.js';

export interface CorrectionRow {
  /** Later claims re-settled (the engine ran on each). */
  readonly later: number;
  /** Later claims whose amounts changed: each gets a new version. */
  readonly changed: number;
  readonly ms: number;
  readonly writeUnits: number;
  /** TransactWriteItems calls the writes need: none, each write stands alone. */
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
    const claimOf = (claimId: string) => year.entries.find((entry) => entry.claimId === claimId) as LedgerEntry;
    const versionUnits = versions.reduce((sum, version) => {
      const entry = claimOf(version.claimId);
      const item = revisionItem({
        hospitalId: version.hospitalId,
        claimId: version.claimId,
        version: version.version,
        status: version.status,
        settlement: version.settlement,
        before: year.totals,
        dischargedOn: entry.claim.visit.dischargedOn,
        at: AT,
        adjustment: adjustmentToJson(version.adjustment),
        cause: { ...version.cause, correctionId: 'bench-correction-id-000000000000' },
      });
      const claimItem = { ...acceptedItem(entry.claim, entry.claim, AT), ...settlementItem(entry.settlement, year.totals, entry.claim, AT, 'C#H-0001#BENCH-C-0') };
      return sum + versionWriteCost(item, claimItem).units;
    }, 0);
    const totals = totalsItem(MEMBER, 2018, result.memberYear.totals, 1, { last: 'C#H-0001#BENCH-C-1', lastBefore: year.totals, lastPrevious: 'C#H-0001#BENCH-C-0' });
    const marker = { ...totals, h: { S: ' corrections' }, ao: { S: `${AT}#T#M-BENCH-CORRECTION#2018` }, pc: { B: new Uint8Array(150) } };
    const markUnits = correctionMarkWriteCost(marker, totals).units;
    // No transaction: each write is a standard write, in order (functions/lib/chain.ts).
    return { later, changed: result.resettled.length, ms: best, writeUnits: versionUnits + markUnits, transactions: 0 };
  });
}

/** The rows as the report's table. */
export function correctionTable(rows: readonly CorrectionRow[]): string[][] {
  return rows.map((row) => [String(row.later), String(row.changed), row.ms.toFixed(2), String(row.writeUnits), String(row.transactions)]);
}
