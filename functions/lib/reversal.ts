/**
 * Reversal (冲正 / 结算撤销) of one settlement, as the national gateway asks for it: a correction
 * (functions/lib/corrections.ts) that gives the claim a reversed version and re-settles every later
 * claim of its member-year.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { YearToDate } from '../../shared/contract/claim.js';
import { builtInPolicyBook } from '../../shared/policy/book.js';
import { CorrectionStore } from '../storage/corrections.js';
import type { SettlementStore } from '../storage/settlements.js';
import { requestCorrection } from './corrections.js';
import { CorrectionError } from './errors.js';

export interface ReversalResult {
  readonly hospitalId: string;
  readonly claimId: string;
  readonly reversedAt: string;
  /** The member's totals after the reversal. */
  readonly yearToDate: YearToDate;
}

/**
 * Reverses a settled claim and re-settles what came after it.
 * @throws CorrectionError `UNKNOWN_CLAIM`, `ALREADY_REVERSED`, `NOT_REVERSIBLE` or `CORRECTION_IN_PROGRESS`.
 */
export async function reverseSettlement(settlements: SettlementStore, logger: Logger, hospitalId: string, claimId: string): Promise<ReversalResult> {
  const corrections = new CorrectionStore(settlements.table.db, settlements.table.name);
  const answer = await requestCorrection({ stores: { settlements, corrections }, book: builtInPolicyBook(), logger }, { kind: 'reversal', hospitalId, claimId });
  if (!answer.yearToDate) throw new CorrectionError('CORRECTION_IN_PROGRESS', `the reversal of claim ${claimId} is recorded and not carried out yet; retry`);
  return { hospitalId, claimId, reversedAt: answer.at, yearToDate: answer.yearToDate };
}
