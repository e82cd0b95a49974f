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
import { ReversalError } from './errors.js';
import { VERSION_MOVED, retryOnVersionConflict } from '../storage/dynamo.js';
import type { SettlementStore } from '../storage/settlements.js';

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
  settlements: SettlementStore,
  logger: Logger,
  hospitalId: string,
  claimId: string,
  attempts = 8,
): Promise<ReversalResult> {
  const key = settlementKey(hospitalId, claimId);
  return retryOnVersionConflict(key, attempts, async () => {
    const stored = await settlements.getSettlement(hospitalId, claimId);
    if (!stored) throw new ReversalError('UNKNOWN_CLAIM', `no settlement for claim ${claimId} of hospital ${hospitalId}`);
    if (stored.status === 'reversed') throw new ReversalError('ALREADY_REVERSED', `claim ${claimId} was reversed at ${stored.reversedAt}`);
    if (stored.status !== 'settled') throw new ReversalError('NOT_REVERSIBLE', `claim ${claimId} was ${stored.status}: nothing was paid`);
    const { memberId, year } = stored.settlement;
    const current = await settlements.getTotals(memberId, year);
    const restored = reverseTotals(current.totals, yearToDateFromJson(stored.before), yearToDateFromJson(stored.settlement.yearToDate));
    const reversedAt = new Date().toISOString();
    const outcome = await settlements.writeReversal(key, reversedAt, {
      item: totalsItem(memberId, year, restored, current.version + 1),
      readVersion: current.version,
    });
    if (outcome !== 'written') return VERSION_MOVED; // 'duplicate': the status changed under us, the next read reports it
    logger.info('reversed', { key, memberYear: `${memberId}/${year}`, version: current.version + 1 });
    return { hospitalId, claimId, reversedAt, yearToDate: restored };
  });
}
