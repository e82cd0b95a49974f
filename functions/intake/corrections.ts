/**
 * `POST /claims/{h}/{c}/reversal` and `POST /claims/{h}/{c}/replacement`: corrections of a settled
 * claim (functions/lib/corrections.ts), each re-settling the later claims of its member-year. The
 * answer names the corrected claim's new version and every later claim whose amounts changed, with
 * the difference per fund (补付 / 追回).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { yearToDateToJson, settlementToJson } from '../../shared/engine/settlement.js';
import { adjustmentToJson } from '../../shared/ledger/adjustment.js';
import type { SettlementVersion } from '../../shared/ledger/member-year.js';
import { type PolicyBook, builtInPolicyBook } from '../../shared/policy/book.js';
import { type CorrectionRequest, requestCorrection } from '../lib/corrections.js';
import { CorrectionError, VersionConflictError } from '../lib/errors.js';
import type { Caller } from '../storage/keys-store.js';
import type { Stores } from '../storage/stores.js';
import { admitClaim } from './admission.js';

export interface CorrectionRouteDeps {
  readonly stores: Pick<Stores, 'settlements' | 'corrections' | 'registry'>;
  readonly logger: Logger;
  readonly book?: PolicyBook;
  readonly now?: () => Date;
}

const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
});
const refuse = (statusCode: number, code: string, message: string) => json(statusCode, { error: code, message });

/** A version as the answer lists it. */
export function versionToJson(version: SettlementVersion) {
  return {
    hospitalId: version.hospitalId,
    claimId: version.claimId,
    version: version.version,
    status: version.status,
    adjustment: adjustmentToJson(version.adjustment),
    notes: version.notes,
    cause: version.cause,
    settlement: settlementToJson(version.settlement),
  };
}

/** Answers a correction route for an authenticated caller: only the claim's own hospital may correct it. */
export async function answerCorrectionRoute(
  deps: CorrectionRouteDeps,
  caller: Caller,
  kind: 'reverse' | 'replace',
  ids: { readonly hospitalId: string; readonly claimId: string },
  body: string,
): Promise<APIGatewayProxyStructuredResultV2> {
  const { hospitalId, claimId } = ids;
  if (caller.role !== 'hospital' || caller.id !== hospitalId) return refuse(403, 'FORBIDDEN', `only hospital ${hospitalId} may correct its settlements`);
  let request: CorrectionRequest = { kind: 'reversal', hospitalId, claimId };
  if (kind === 'replace') {
    const admission = await admitClaim({ registry: deps.stores.registry, book: deps.book }, caller, body);
    if (admission.kind === 'refused') return json(admission.status, admission.answer);
    const { claim } = admission;
    if (claim.claimId !== claimId) return json(400, { error: 'INVALID_CLAIM', issues: [{ path: 'claimId', message: `must be ${claimId}, the claim the path names` }] });
    request = { kind: 'replacement', hospitalId, claimId, claim };
  }
  try {
    const answer = await requestCorrection({ stores: deps.stores, book: deps.book ?? builtInPolicyBook(), logger: deps.logger, ...(deps.now ? { now: deps.now } : {}) }, request);
    const location = `/claims/${encodeURIComponent(hospitalId)}/${encodeURIComponent(claimId)}`;
    if (answer.status === 'unchanged') return json(200, { status: 'unchanged', hospitalId, claimId, message: 'the replacement is the stored content: nothing changed', location });
    if (answer.status === 'pending') return json(202, { status: 'pending', hospitalId, claimId, correctionId: answer.correctionId, at: answer.at, location });
    return json(200, {
      status: answer.status,
      hospitalId,
      claimId,
      correctionId: answer.correctionId,
      at: answer.at,
      // Kept for callers of the reversal before versions existed.
      ...(answer.status === 'reversed' ? { reversedAt: answer.at } : {}),
      version: answer.corrected ? versionToJson(answer.corrected) : undefined,
      resettled: answer.resettled.map(versionToJson),
      yearToDate: answer.yearToDate ? yearToDateToJson(answer.yearToDate) : undefined,
      location,
    });
  } catch (cause) {
    if (cause instanceof CorrectionError) return refuse(cause.status, cause.code, cause.message);
    if (cause instanceof VersionConflictError) return refuse(503, cause.code, `${cause.message}; retry`);
    throw cause;
  }
}
