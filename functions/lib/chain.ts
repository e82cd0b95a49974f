/**
 * Keeping a member-year's chain whole in the store: finishing a last claim whose settlement write was
 * cut off, and carrying out a pending correction (re-settling every later claim, each change a new
 * version). Both are idempotent, so whoever meets an unfinished chain first finishes it: the claim's
 * own redelivery, the next claim of that member-year, the correction's message, or the sweeper's.
 * The arithmetic is the pure ledger's (shared/ledger/member-year.ts); this file only reads and writes.
 * docs/storage.md, "Settling without a transaction" and "Corrections", has the protocol.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { type Claim, type YearToDate, parseClaim } from '../../shared/contract/claim.js';
import { settle } from '../../shared/engine/settle.js';
import { type Settlement, yearToDateToJson } from '../../shared/engine/settlement.js';
import { adjustmentToJson } from '../../shared/ledger/adjustment.js';
import { type Correction, type LedgerEntry, type SettlementVersion, applyCorrection } from '../../shared/ledger/member-year.js';
import { settlementFromJson } from '../../shared/national/stored.js';
import type { PolicyBook } from '../../shared/policy/book.js';
import { applyRegistry } from '../../shared/registry/registry.js';
import { VERSION_MOVED, asItem } from '../storage/dynamo.js';
import { type StoredSettlement, type VersionedTotals, readContent, revisionItem, settlementItem } from '../storage/items.js';
import { parseSettlementKey } from '../storage/keys.js';
import { type ChainLink, type SettlementStore, isQueued } from '../storage/settlements.js';
import type { CorrectionStore } from '../storage/corrections.js';
import { PoisonRecordError } from './errors.js';

export interface ChainDeps {
  readonly settlements: SettlementStore;
  readonly corrections: CorrectionStore;
  readonly book: PolicyBook;
  readonly logger: Logger;
  readonly now?: () => Date;
}

/** The totals a new claim settles against, once the chain is whole, and the claim just finished if any. */
export type ReadyChain = VersionedTotals & { readonly finished?: Settlement };

const sameTotals = (a: YearToDate, b: YearToDate): boolean => JSON.stringify(yearToDateToJson(a)) === JSON.stringify(yearToDateToJson(b));
const nowOf = (deps: ChainDeps): string => (deps.now?.() ?? new Date()).toISOString();

/**
 * Makes the member-year whole before a claim joins it: a pending correction is carried out, a last
 * claim named by the totals but not written is finished.
 * @returns the totals to settle against, or VERSION_MOVED when they changed (read them again).
 */
export async function readyChain(deps: ChainDeps, memberId: string, year: number, read: VersionedTotals): Promise<ReadyChain | typeof VERSION_MOVED> {
  if (read.pending) {
    await finishCorrection(deps, memberId, year, read);
    return VERSION_MOVED;
  }
  if (read.last === undefined) return read;
  const item = await deps.settlements.getClaimItem(read.last);
  if (!isQueued(item)) return read;
  return finishLast(deps, memberId, year, read, item);
}

/** The claim content stored on an accepted record, with the registry's facts applied as settling does. */
async function effectiveContent(deps: ChainDeps, key: string, item: ChainLink['item'] | undefined, year: number): Promise<Claim> {
  const raw = item ? readContent(asItem(item)) : undefined;
  if (raw === undefined) throw new PoisonRecordError('INVALID_CLAIM', `the chain names claim ${key}, whose content is not stored`);
  const submitted = parseClaim(raw);
  const { hospitalId, claimId } = parseSettlementKey(key);
  const facts = await deps.settlements.readForSettlement(hospitalId, claimId, submitted.member.id, year);
  if (!facts.member || !facts.hospital) throw new PoisonRecordError('UNKNOWN_MEMBER', `the registry no longer has the member or hospital of claim ${claimId}`);
  return applyRegistry(submitted, facts.member, facts.hospital);
}

/**
 * Finishes the chain's last claim when its settlement write was cut off: settles it again from the
 * totals before it (kept on the totals item) and writes it. Should the registry have changed in
 * between, so that it settles differently, the totals follow the settlement written.
 */
async function finishLast(deps: ChainDeps, memberId: string, year: number, read: VersionedTotals, item: ChainLink['item'] | undefined): Promise<ReadyChain | typeof VERSION_MOVED> {
  const key = read.last as string;
  const before = read.lastBefore as YearToDate;
  const claim = await effectiveContent(deps, key, item, year);
  const settlement = settle({ ...claim, yearToDate: before }, deps.book);
  const after = settlement.status === 'settled' ? settlement.yearToDate : before;
  let totals = read;
  if (!sameTotals(after, read.totals)) {
    const end = { last: key, lastBefore: before, ...(read.lastPrevious ? { lastPrevious: read.lastPrevious } : {}) };
    if (!(await deps.settlements.writeTotals(memberId, year, read, after, end))) return VERSION_MOVED;
    totals = { ...read, totals: after, version: read.version + 1 };
  }
  await deps.settlements.writeSettlement(key, settlementItem(settlement, before, claim, nowOf(deps), read.lastPrevious));
  deps.logger.info('finished the chain\'s last claim: its own settlement write had not landed', { key, memberYear: `${memberId}/${year}` });
  return { ...totals, finished: settlement };
}

/** One claim of the chain as it stood before the pending correction, with what the correction already wrote for it. */
interface ChainClaim {
  readonly entry: LedgerEntry;
  readonly before: YearToDate;
  /** The version this correction already made for it (a carried-out correction resumed after a crash). */
  readonly done?: number;
}

/** A chain link's settlement before the correction `correctionId` (skipping a version it already made). */
async function chainClaimOf(deps: ChainDeps, link: ChainLink, correctionId: string, year: number): Promise<ChainClaim> {
  const versions = await deps.settlements.versionsOfItem(link.item);
  const current = versions.at(-1) as StoredSettlement;
  const doneHere = current.cause?.correctionId === correctionId;
  const prior = doneHere ? (versions.at(-2) as StoredSettlement) : current;
  const { hospitalId, claimId } = parseSettlementKey(link.key);
  const content = await deps.settlements.contentOf(link.item) ?? (await effectiveContent(deps, link.key, link.item, year));
  const entry: LedgerEntry = {
    hospitalId,
    claimId,
    claim: content,
    settlement: settlementFromJson(prior.settlement),
    version: prior.version,
    reversed: prior.status === 'reversed',
  };
  return { entry, before: settlementFromJson({ ...prior.settlement, yearToDate: prior.before }).yearToDate, ...(doneHere ? { done: current.version } : {}) };
}

/**
 * Carries out the member-year's pending correction: the corrected claim's new version and a new
 * version of every later claim whose amounts change (each `R#` item put once, then its claim pointed
 * at it), then the totals, with the marker removed. Every step is idempotent, so a crash anywhere is
 * resumed by the next caller; new claims of the member-year wait behind the marker (readyChain).
 */
export async function finishCorrection(deps: ChainDeps, memberId: string, year: number, read: VersionedTotals): Promise<CorrectionDone | undefined> {
  const marker = read.pending;
  if (!marker) return undefined;
  let totals = read;
  if (read.last !== undefined) {
    const lastItem = await deps.settlements.getClaimItem(read.last);
    if (isQueued(lastItem)) {
      const finished = await finishLast(deps, memberId, year, read, lastItem);
      if (finished === VERSION_MOVED) return undefined;
      totals = finished;
    }
  }
  const links = await deps.settlements.chainOf(totals, marker.key);
  const claims = await Promise.all(links.map((link) => chainClaimOf(deps, link, marker.id, year)));
  const first = claims[0] as ChainClaim;
  const correction: Correction =
    marker.kind === 'reversal'
      ? { kind: 'reversal', hospitalId: first.entry.hospitalId, claimId: first.entry.claimId, at: marker.at }
      : { kind: 'replacement', claim: marker.content as Claim, at: marker.at };
  const memberYear = { memberId, year, entries: claims.map((c) => c.entry), totals: totals.totals, opening: first.before };
  const result = applyCorrection(memberYear, correction, deps.book);
  const made = [result.corrected, ...result.resettled];
  const befores = beforesOf(result.memberYear.entries, first.before);
  for (const version of made) {
    const at = claims.find((c) => c.entry.claimId === version.claimId && c.entry.hospitalId === version.hospitalId);
    if (at?.done === version.version) continue; // written before a crash
    await deps.corrections.writeVersion(
      revisionItem({
        hospitalId: version.hospitalId,
        claimId: version.claimId,
        version: version.version,
        status: version.status,
        settlement: version.settlement,
        before: befores.get(`${version.hospitalId}#${version.claimId}`) ?? first.before,
        dischargedOn: at?.entry.claim.visit.dischargedOn ?? '',
        at: marker.at,
        adjustment: adjustmentToJson(version.adjustment),
        cause: { ...version.cause, correctionId: marker.id },
        ...(version === result.corrected && marker.kind === 'replacement' ? { content: marker.content as Claim } : {}),
      }),
      version === result.corrected && marker.kind === 'replacement' ? (marker.contentHash ? { hash: marker.contentHash } : {}) : undefined,
    );
  }
  const lastEntry = result.memberYear.entries.at(-1) as LedgerEntry;
  const lastBefore = befores.get(`${lastEntry.hospitalId}#${lastEntry.claimId}`) ?? first.before;
  await deps.corrections.finish(memberId, year, totals, marker.id, result.memberYear.totals, lastBefore);
  deps.logger.info('correction carried out', { memberYear: `${memberId}/${year}`, kind: marker.kind, versions: made.length });
  return { corrected: result.corrected, resettled: result.resettled, totals: result.memberYear.totals };
}

/** What a carried-out correction made. */
export interface CorrectionDone {
  readonly corrected: SettlementVersion;
  readonly resettled: readonly SettlementVersion[];
  readonly totals: YearToDate;
}

/** The totals before each claim of the corrected chain (what each new version records as its `before`). */
function beforesOf(entries: readonly LedgerEntry[], opening: YearToDate): Map<string, YearToDate> {
  const befores = new Map<string, YearToDate>();
  let totals = opening;
  for (const entry of entries) {
    befores.set(`${entry.hospitalId}#${entry.claimId}`, totals);
    if (entry.reversed) continue;
    if (entry.settlement.status === 'settled') totals = entry.settlement.yearToDate;
  }
  return befores;
}

