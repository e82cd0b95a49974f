/**
 * Reversal (冲正 / 结算撤销) of one settlement: the settlement is marked reversed (kept, never
 * deleted) and the member's totals lose exactly what it added, in one transaction guarded by the
 * totals version. Later settlements keep their amounts; the next claim settles against the restored totals.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { settlementKey } from '../storage/keys.js';
import { reverseTotals, yearToDateFromJson } from '../../shared/engine/ledger.js';
import { totalsItem } from '../storage/items.js';
import type { YearToDate } from '../../shared/contract/claim.js';
import { ReversalError, VersionConflictError } from './errors.js';
import type { ClaimsRepository } from './repository.js';

export interface ReversalResult {
  readonly hospitalId: string;
  readonly claimId: string;
  readonly reversedAt: string;
  /** The member's totals after the reversal. */
  readonly yearToDate: YearToDate;
}

/**
 * Reverses a settled claim.
 * @throws ReversalError `UNKNOWN_CLAIM`, `ALREADY_REVERSED` or `NOT_REVERSIBLE` (a rejected claim paid nothing).
 * @throws VersionConflictError when the member's totals kept changing; the caller may retry.
 */
export async function reverseSettlement(
  repository: ClaimsRepository,
  logger: Logger,
  hospitalId: string,
  claimId: string,
  attempts = 8,
): Promise<ReversalResult> {
  const key = settlementKey(hospitalId, claimId);
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const stored = await repository.getSettlement(hospitalId, claimId);
    if (!stored) throw new ReversalError('UNKNOWN_CLAIM', `no settlement for claim ${claimId} of hospital ${hospitalId}`);
    if (stored.status === 'reversed') throw new ReversalError('ALREADY_REVERSED', `claim ${claimId} was reversed at ${stored.reversedAt}`);
    if (stored.status !== 'settled') throw new ReversalError('NOT_REVERSIBLE', `claim ${claimId} was ${stored.status}: nothing was paid`);
    const { memberId, year } = stored.settlement;
    const current = await repository.getTotals(memberId, year);
    const restored = reverseTotals(current.totals, yearToDateFromJson(stored.before), yearToDateFromJson(stored.settlement.yearToDate));
    const reversedAt = new Date().toISOString();
    const outcome = await repository.writeReversal(key, reversedAt, {
      item: totalsItem(memberId, year, restored, current.version + 1),
      readVersion: current.version,
    });
    if (outcome === 'written') {
      logger.info('reversed', { key, memberYear: `${memberId}/${year}`, version: current.version + 1 });
      return { hospitalId, claimId, reversedAt, yearToDate: restored };
    }
    // 'duplicate' means the status changed under us: the next read reports it. 'conflict': read again.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
  }
  throw new VersionConflictError(key, attempts);
}
