/**
 * Asking for a correction of a settled claim (a reversal, 冲正 / 结算撤销, or a replacement with
 * corrected content): checked against the claim's current version, recorded as the member-year's
 * pending correction, and carried out at once (functions/lib/chain.ts). Should the caller crash
 * before it is carried out, the pending correction is carried out by the next claim of the
 * member-year or by the sweeper; a second, different correction meanwhile is refused.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import { yearOf } from '../../shared/calendar/dates.js';
import type { Claim, YearToDate } from '../../shared/contract/claim.js';
import type { SettlementVersion } from '../../shared/ledger/member-year.js';
import type { PolicyBook } from '../../shared/policy/book.js';
import { applyRegistry } from '../../shared/registry/registry.js';
import { claimHash, sameHash } from '../storage/accepted.js';
import { asItem } from '../storage/dynamo.js';
import type { PendingCorrection, StoredSettlement } from '../storage/items.js';
import { versionsOf } from '../storage/items.js';
import { parseMemberYearTag, settlementKey } from '../storage/keys.js';
import { isQueued } from '../storage/settlements.js';
import type { Stores } from '../storage/stores.js';
import { ATTR } from '../storage/table.js';
import { finishCorrection } from './chain.js';
import { CorrectionError } from './errors.js';

export interface CorrectionDeps {
  readonly stores: Pick<Stores, 'settlements' | 'corrections'>;
  readonly book: PolicyBook;
  readonly logger: Logger;
  readonly now?: () => Date;
}

/** A correction asked for: reverse the claim, or replace it with `claim` (as sent, validated by the contract). */
export type CorrectionRequest =
  | { readonly kind: 'reversal'; readonly hospitalId: string; readonly claimId: string }
  | { readonly kind: 'replacement'; readonly hospitalId: string; readonly claimId: string; readonly claim: Claim };

/** What a correction did. */
export interface CorrectionAnswer {
  /** `unchanged`: the replacement is the stored content again (a no-op); `pending`: recorded, not yet carried out. */
  readonly status: 'reversed' | 'replaced' | 'unchanged' | 'pending';
  readonly correctionId?: string;
  readonly at: string;
  /** The corrected claim's new version. */
  readonly corrected?: SettlementVersion;
  /** Later claims of the member-year whose amounts changed, each with its new version. */
  readonly resettled: readonly SettlementVersion[];
  /** The member's totals after the correction. */
  readonly yearToDate?: YearToDate;
}

/** How many times a correction re-reads the totals when a settlement moved them meanwhile. */
const MARK_ATTEMPTS = 8;

/** The correction's id: the same request of the same version is the same correction (a resend finds it). */
function correctionId(kind: string, key: string, base: number, contentHash: string): string {
  return createHash('sha256').update(`${kind}\n${key}\n${base}\n${contentHash}`).digest('base64url').slice(0, 32);
}

/** The claim's current settlement, refused when it cannot be corrected the way asked. */
async function correctable(deps: CorrectionDeps, request: CorrectionRequest) {
  const key = settlementKey(request.hospitalId, request.claimId);
  const item = await deps.stores.settlements.getClaimItem(key);
  if (item === undefined) throw new CorrectionError('UNKNOWN_CLAIM', `no settlement for claim ${request.claimId} of hospital ${request.hospitalId}`);
  if (isQueued(item)) throw new CorrectionError('NOT_SETTLED', `claim ${request.claimId} is accepted and not settled yet; correct it once GET /claims/${request.hospitalId}/${request.claimId} shows its settlement`);
  const tag = item[ATTR.memberYear]?.S;
  if (tag === undefined) throw new CorrectionError('NOT_CORRECTABLE', `claim ${request.claimId} was settled before member-year chains were kept; it cannot be corrected here`);
  const current: StoredSettlement = await deps.stores.settlements.currentOf(item);
  if (current.status === 'reversed') throw new CorrectionError('ALREADY_REVERSED', `claim ${request.claimId} was reversed at ${current.settledAt}`);
  if (request.kind === 'reversal' && current.status !== 'settled') throw new CorrectionError('NOT_REVERSIBLE', `claim ${request.claimId} was ${current.status}: nothing was paid`);
  return { key, item, current, ...parseMemberYearTag(tag) };
}

/**
 * Makes a correction: checks it, records it as the member-year's pending correction and carries it out.
 * @throws CorrectionError naming why it cannot be made (nothing written).
 */
export async function requestCorrection(deps: CorrectionDeps, request: CorrectionRequest): Promise<CorrectionAnswer> {
  const { key, item, current, memberId, year } = await correctable(deps, request);
  const at = (deps.now?.() ?? new Date()).toISOString();
  let content: Claim | undefined;
  let hash = '';
  if (request.kind === 'replacement') {
    if (request.claim.member.id !== memberId || yearOf(request.claim.visit.dischargedOn) !== year) {
      throw new CorrectionError('REPLACEMENT_MOVES_CLAIM', `a replacement keeps the member and the insurance year (${memberId} ${year}); reverse the claim and send a new one instead`);
    }
    const stored = item[ATTR.claimHash]?.B;
    const sent = claimHash(request.claim);
    if (stored && sameHash(stored, sent)) return { status: 'unchanged', at, resettled: [] };
    const facts = await deps.stores.settlements.readForSettlement(request.hospitalId, request.claimId, memberId, year);
    if (!facts.member || !facts.hospital) throw new CorrectionError('NOT_CORRECTABLE', `the registry no longer has member ${memberId} or hospital ${request.hospitalId}`);
    content = applyRegistry(request.claim, facts.member, facts.hospital);
    hash = Buffer.from(sent).toString('base64');
  }
  const base = versionsOf(asItem(item)).current;
  const marker: PendingCorrection = { id: correctionId(request.kind, key, base, hash), kind: request.kind, key, base, at, ...(content ? { content, contentHash: hash } : {}) };
  for (let attempt = 1; attempt <= MARK_ATTEMPTS; attempt++) {
    const read = await deps.stores.settlements.getTotals(memberId, year);
    if (read.pending && read.pending.id !== marker.id) {
      throw new CorrectionError('CORRECTION_IN_PROGRESS', `another correction of ${memberId}'s ${year} (claim ${read.pending.key}) is being carried out; retry in a few seconds`);
    }
    if (!read.pending && !(await deps.stores.corrections.mark(memberId, year, read, marker))) continue;
    const mine = read.pending ? read : await deps.stores.settlements.getTotals(memberId, year);
    const done = await finishCorrection({ ...deps, settlements: deps.stores.settlements, corrections: deps.stores.corrections }, memberId, year, mine);
    if (!done) return { status: 'pending', correctionId: marker.id, at, resettled: [] };
    deps.logger.info('correction made', { key, kind: request.kind, correctionId: marker.id, resettled: done.resettled.length });
    return { status: request.kind === 'reversal' ? 'reversed' : 'replaced', correctionId: marker.id, at, corrected: done.corrected, resettled: done.resettled, yearToDate: done.totals };
  }
  throw new CorrectionError('CORRECTION_IN_PROGRESS', `the totals of ${memberId}'s ${year} kept changing; retry`);
}
