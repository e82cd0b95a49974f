/**
 * The sweeper: finds claims accepted but neither settled nor failed after `staleAfterMs`, and queues
 * each again, so no accepted claim stays `queued` forever whatever became of its first message (a
 * send that failed after the record was written, a message lost with a local queue, a dead-lettered
 * message whose reason could not be stored). A re-sent claim is settled at most once: the settle
 * path's conditions decide, as for any redelivery.
 *
 * Each sweep looks at the claims accepted (and corrections asked for) after the watermark and at least
 * `staleAfterMs` ago, then moves the watermark; a correction still pending is sent to the settle
 * function to be carried out; a claim it queues again gets a new acceptance time, so a later sweep looks at
 * it once more only if it is still not settled then. See docs/storage.md, "Accepted claims and the sweeper".
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { AcceptedStore } from '../storage/accepted.js';
import { queueClaim, queueCorrection } from '../lib/claim-queue.js';

/** A claim accepted this long ago and still queued is queued again (15 minutes). */
export const STALE_AFTER_MS = 15 * 60_000;
/** How often the stack runs the sweeper (5 minutes): a lost claim is queued again within STALE_AFTER_MS + SWEEP_EVERY_MS. */
export const SWEEP_EVERY_MS = 5 * 60_000;
/** Where a first sweep (no watermark yet) starts: SQS keeps a message at most 14 days. */
const FIRST_LOOKBACK_MS = 14 * 24 * 3_600_000;

export interface SweeperDeps {
  readonly accepted: Pick<AcceptedStore, 'staleBetween' | 'requeued' | 'watermark' | 'setWatermark'>;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly logger: Logger;
  readonly staleAfterMs?: number;
  readonly now?: () => Date;
}

export interface SweepResult {
  /** The window looked at: claims accepted after `after`, at or before `upTo`. */
  readonly after: string;
  readonly upTo: string;
  /** Claims found still queued (failed ones included). */
  readonly stale: number;
  /** Claims queued again. */
  readonly requeued: number;
  /** Member-years whose pending correction was sent to be carried out. */
  readonly corrections: number;
}

function memberIdOf(body: string): string {
  const member = (JSON.parse(body) as { member?: { id?: unknown } }).member;
  return typeof member?.id === 'string' ? member.id : '';
}

/** Builds one sweep. */
export function createSweeper(deps: SweeperDeps): () => Promise<SweepResult> {
  const staleAfter = deps.staleAfterMs ?? STALE_AFTER_MS;
  return async () => {
    const now = deps.now?.() ?? new Date();
    const upTo = new Date(now.getTime() - staleAfter).toISOString();
    const after = (await deps.accepted.watermark()) ?? new Date(now.getTime() - staleAfter - FIRST_LOOKBACK_MS).toISOString();
    if (after >= upTo) {
      deps.logger.info('sweep', { after, upTo, stale: 0, requeued: 0, corrections: 0 });
      return { after, upTo, stale: 0, requeued: 0, corrections: 0 };
    }
    const { queued: stale, corrections } = await deps.accepted.staleBetween(after, upTo);
    let requeued = 0;
    for (const claim of stale) {
      // A claim with a stored failure stays failed: GET says why, and sending it again would fail again.
      if (claim.failed) continue;
      await queueClaim(deps, claim.body, claim.hospitalId, claim.claimId, memberIdOf(claim.body), undefined, now.toISOString());
      await deps.accepted.requeued(claim.hospitalId, claim.claimId, now.toISOString());
      requeued++;
    }
    // A correction left pending (its caller crashed) is carried out by the settle function.
    for (const { memberId, year } of corrections) await queueCorrection(deps, memberId, year, now.toISOString());
    // Only after every stale claim was queued again: a sweep that fails midway is repeated whole.
    await deps.accepted.setWatermark(upTo);
    // One line per sweep: a warning when it had to queue claims again (their first message was lost)
    // or send a pending correction to be carried out (its caller crashed).
    const line = { after, upTo, stale: stale.length, requeued, corrections: corrections.length };
    if (requeued > 0 || corrections.length > 0) deps.logger.warn('accepted claims or corrections not finished in time: queued again', line);
    else deps.logger.info('sweep', line);
    return line;
  };
}
