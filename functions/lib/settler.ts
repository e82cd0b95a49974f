/**
 * Settling one queued claim against the stored registry and totals, exactly once. The idempotency
 * key is hospital id + claim id (never the SQS message id): a redelivered or resent claim finds its
 * settlement and writes nothing.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { yearOf } from '../../shared/calendar/dates.js';
import { type Claim, parseClaim } from '../../shared/contract/claim.js';
import { InvalidClaimError } from '../../shared/contract/errors.js';
import { settle } from '../../shared/engine/settle.js';
import type { Settlement } from '../../shared/engine/settlement.js';
import type { PolicyBook } from '../../shared/policy/book.js';
import { claimFailureKey, messageFailureKey, settlementKey } from '../storage/keys.js';
import { settlementItem } from '../storage/items.js';
import { type ChainDeps, finishCorrection, readyChain } from './chain.js';
import { applyRegistry } from '../../shared/registry/registry.js';
import { PoisonRecordError } from './errors.js';
import { VERSION_MOVED, retryOnVersionConflict } from '../storage/dynamo.js';
import type { Stores } from '../storage/stores.js';

/** What became of one record. */
export interface SettleOutcome {
  readonly kind: 'settled' | 'rejected' | 'duplicate' | 'poison';
  /** The settlement key, or the failure key of a poison record. */
  readonly key: string;
  /** Transaction attempts (version conflicts + 1). */
  readonly attempts: number;
  /** The settlement written (settled or rejected): its amounts and rejection code feed the metrics. */
  readonly settlement?: Settlement;
}

/** The message as the settle handler sees it. */
export interface ClaimMessage {
  readonly messageId: string;
  readonly body: string;
  /** The claim's key as the intake stamped it on the message; lets a poison record be filed under its claim. */
  readonly hospitalId?: string;
  readonly claimId?: string;
}

export interface SettlerDeps {
  /** The stores the settler reads and writes: settlements with the ledger, and failure reasons. */
  readonly stores: Pick<Stores, 'settlements' | 'corrections' | 'failures'>;
  readonly book: PolicyBook;
  readonly logger: Logger;
  /** Transaction attempts on version conflicts before giving the record back to the queue. */
  readonly attempts: number;
  readonly now?: () => Date;
}

function failureKeyOf(message: ClaimMessage, raw?: unknown): string {
  const fromClaim = raw as { claimId?: unknown; hospital?: { id?: unknown } } | undefined;
  const hospitalId = message.hospitalId ?? (typeof fromClaim?.hospital?.id === 'string' ? fromClaim.hospital.id : undefined);
  const claimId = message.claimId ?? (typeof fromClaim?.claimId === 'string' ? fromClaim.claimId : undefined);
  return hospitalId !== undefined && claimId !== undefined ? claimFailureKey(hospitalId, claimId) : messageFailureKey(message.messageId);
}

/** The key a record's failure is stored under: its claim's when known, else its message's. */
export function failureKeyOfMessage(message: ClaimMessage): string {
  let raw: unknown;
  try {
    raw = JSON.parse(message.body);
  } catch {
    raw = undefined;
  }
  return failureKeyOf(message, raw);
}

function asPoison(error: unknown): PoisonRecordError | undefined {
  if (error instanceof PoisonRecordError) return error;
  if (error instanceof InvalidClaimError) return new PoisonRecordError('INVALID_CLAIM', error.message, error.issues, { cause: error });
  return undefined;
}

/**
 * Settles one message. A poison record (never settleable) has its reason stored and is reported as
 * done so it is not retried; any other error is thrown for the queue to redeliver.
 */
export async function settleMessage(deps: SettlerDeps, message: ClaimMessage): Promise<SettleOutcome> {
  let raw: unknown;
  try {
    raw = JSON.parse(message.body);
  } catch (cause) {
    return storePoison(deps, message, undefined, new PoisonRecordError('INVALID_JSON', `body is not JSON: ${(cause as Error).message}`, undefined, { cause }));
  }
  const trigger = correctionTriggerOf(raw);
  if (trigger) return carryOutCorrection(deps, trigger);
  try {
    return await settleClaim(deps, parseClaim(raw));
  } catch (error) {
    const poison = asPoison(error);
    if (poison) return storePoison(deps, message, raw, poison);
    throw error;
  }
}

async function storePoison(deps: SettlerDeps, message: ClaimMessage, raw: unknown, error: PoisonRecordError): Promise<SettleOutcome> {
  const key = failureKeyOf(message, raw);
  await deps.stores.failures.put(key, {
    code: error.code,
    message: error.message,
    ...(error.details === undefined ? {} : { details: error.details }),
    messageId: message.messageId,
    at: (deps.now?.() ?? new Date()).toISOString(),
  });
  deps.logger.warn('poison record: reason stored, not retried', { key, code: error.code, reason: error.message, messageId: message.messageId });
  return { kind: 'poison', key, attempts: 0 };
}

/** The chain-keeping dependencies of a settler. */
const chainDeps = (deps: SettlerDeps): ChainDeps => ({
  settlements: deps.stores.settlements,
  corrections: deps.stores.corrections,
  book: deps.book,
  logger: deps.logger,
  ...(deps.now ? { now: deps.now } : {}),
});

/** A queue message asking for a member-year's pending correction to be carried out (functions/lib/corrections.ts sends it). */
export interface CorrectionTrigger {
  readonly event: 'correction';
  readonly memberId: string;
  readonly year: number;
}

function correctionTriggerOf(raw: unknown): CorrectionTrigger | undefined {
  const trigger = raw as Partial<CorrectionTrigger> | null;
  if (typeof trigger !== 'object' || trigger === null || trigger.event !== 'correction') return undefined;
  return typeof trigger.memberId === 'string' && Number.isInteger(trigger.year) ? (trigger as CorrectionTrigger) : undefined;
}

/** Carries out a member-year's pending correction, if one is still pending (a resent trigger finds none). */
async function carryOutCorrection(deps: SettlerDeps, trigger: CorrectionTrigger): Promise<SettleOutcome> {
  const key = `${trigger.memberId}/${trigger.year}`;
  return retryOnVersionConflict(key, deps.attempts, async () => {
    const read = await deps.stores.settlements.getTotals(trigger.memberId, trigger.year);
    if (!read.pending) return { kind: 'duplicate' as const, key, attempts: 1 };
    await finishCorrection(chainDeps(deps), trigger.memberId, trigger.year, read);
    return VERSION_MOVED; // read again: done when no correction is pending
  });
}

/** Settles a claim that passed the contract: once against the registry's facts, retried on version conflicts. */
async function settleClaim(deps: SettlerDeps, submitted: Claim): Promise<SettleOutcome> {
  const { logger } = deps;
  const settlements = deps.stores.settlements;
  const hospitalId = submitted.hospital.id;
  const key = settlementKey(hospitalId, submitted.claimId);
  const year = yearOf(submitted.visit.dischargedOn);
  // One consistent batch read: a redelivery costs this read and no write.
  const inputs = await settlements.readForSettlement(hospitalId, submitted.claimId, submitted.member.id, year);
  if (inputs.existing) {
    logger.info('duplicate: already settled, nothing written', { key });
    return { kind: 'duplicate', key, attempts: 0 };
  }
  const { member, hospital } = inputs;
  if (!hospital) throw new PoisonRecordError('UNKNOWN_HOSPITAL', `hospital ${hospitalId} is not in the registry`);
  if (!member) throw new PoisonRecordError('UNKNOWN_MEMBER', `member ${submitted.member.id} is not in the registry`);
  const claim = applyRegistry(submitted, member, hospital);
  if (claim.hospital.tier !== submitted.hospital.tier) {
    logger.warn('claim states a tier the registry does not give this hospital; the registry wins', { key, stated: submitted.hospital.tier, registry: claim.hospital.tier });
  }
  const chain = chainDeps(deps);
  return retryOnVersionConflict(`${member.id}/${year}`, deps.attempts, async (attempt) => {
    const read = attempt === 1 ? inputs.totals : await settlements.getTotals(member.id, year);
    // The member-year must be whole before a claim joins it: a pending correction, an unfinished last claim.
    const ready = await readyChain(chain, member.id, year, read);
    if (ready === VERSION_MOVED) return VERSION_MOVED;
    if (ready.last === key) {
      // Our own totals write landed before a crash: the claim is in the chain, finished just now.
      return { kind: ready.finished?.status ?? 'settled', key, attempts: attempt, ...(ready.finished ? { settlement: ready.finished } : {}) };
    }
    const settlement = settle({ ...claim, yearToDate: ready.totals }, deps.book);
    const at = (deps.now?.() ?? new Date()).toISOString();
    const after = settlement.status === 'settled' ? settlement.yearToDate : ready.totals;
    const end = { last: key, lastBefore: ready.totals, ...(ready.last ? { lastPrevious: ready.last } : {}) };
    if (!(await settlements.writeTotals(member.id, year, ready, after, end))) return VERSION_MOVED; // settle afresh
    const outcome = await settlements.writeSettlement(key, settlementItem(settlement, ready.totals, claim, at, ready.last));
    if (outcome === 'duplicate') {
      logger.info('duplicate: settled concurrently, nothing written', { key, attempt });
      return { kind: 'duplicate', key, attempts: attempt };
    }
    logger.info('settled', { key, status: settlement.status, year, version: ready.version + 1, attempt });
    return { kind: settlement.status, key, attempts: attempt, settlement };
  });
}
