/**
 * The admission of one claim, the same for every door: `POST /claims`, each claim of
 * `POST /claims:batch` and each line of a bulk upload. A claim is admitted when it is a valid claim
 * under the contract, of a region the policy book covers, of the caller's own hospital, for a member
 * the registry knows; then it is sent on as one queue message (`queueEntryOf`).
 */
import { type Claim, parseClaimJson } from '../../shared/contract/claim.js';
import { InvalidClaimError } from '../../shared/contract/errors.js';
import { unknownRegionIssue } from '../../shared/engine/settle.js';
import { type PolicyBook, builtInPolicyBook } from '../../shared/policy/book.js';
import { deduplicationId, messageGroupId } from '../lib/claim-queue.js';
import { type AcceptedStore, QUEUED, acceptedItem, claimHash, sameHash } from '../storage/accepted.js';
import type { Caller } from '../storage/keys-store.js';
import type { RegistryStore } from '../storage/registry-store.js';
import { MAX_CLAIM_BYTES } from './routes.js';

export interface AdmissionDeps {
  readonly registry: Pick<RegistryStore, 'getMember'>;
  /** The policies the settle handler settles by (default: the built-in packs). */
  readonly book?: PolicyBook;
}

/** A claim let in, with the exact text to send on. */
export interface Admitted {
  readonly kind: 'admitted';
  readonly claim: Claim;
  readonly body: string;
}

/** A claim refused: the HTTP status and the answer body the single door gives for it. */
export interface Refused {
  readonly kind: 'refused';
  readonly status: number;
  readonly answer: { readonly error: string; readonly message?: string; readonly issues?: unknown };
}

/**
 * Admits one claim's JSON text for a caller. Never throws on client input: every refusal is a 4xx
 * answer naming what was wrong; a store failure is thrown.
 */
export async function admitClaim(deps: AdmissionDeps, caller: Caller, body: string): Promise<Admitted | Refused> {
  const refuse = (status: number, error: string, message: string): Refused => ({ kind: 'refused', status, answer: { error, message } });
  if (caller.role !== 'hospital') return refuse(403, 'FORBIDDEN', 'only a hospital key may submit claims');
  if (Buffer.byteLength(body) > MAX_CLAIM_BYTES) return refuse(413, 'TOO_LARGE', `a claim must be at most ${MAX_CLAIM_BYTES} bytes`);
  let claim: Claim;
  try {
    claim = parseClaimJson(body);
  } catch (cause) {
    if (cause instanceof InvalidClaimError) return { kind: 'refused', status: 400, answer: cause.toJSON() };
    throw cause;
  }
  const book = deps.book ?? builtInPolicyBook();
  if (!book.coversRegion(claim.member.region)) return { kind: 'refused', status: 400, answer: new InvalidClaimError([unknownRegionIssue(claim.member.region, book)]).toJSON() };
  if (claim.hospital.id !== caller.id) return refuse(403, 'FORBIDDEN', `this key belongs to hospital ${caller.id}, not ${claim.hospital.id}`);
  // Read from the registry in this request, never from a cache: a member removed a second ago is refused.
  if (!(await deps.registry.getMember(claim.member.id, true))) return refuse(422, 'UNKNOWN_MEMBER', `member ${claim.member.id} is not in the registry`);
  return { kind: 'admitted', claim, body };
}

/** The queue message of an admitted claim, as both SendMessage and SendMessageBatch entries take it. */
export function queueEntryOf(admitted: Admitted, fifo: boolean) {
  const { claim } = admitted;
  return {
    MessageBody: admitted.body,
    MessageAttributes: {
      hospitalId: { DataType: 'String', StringValue: claim.hospital.id },
      claimId: { DataType: 'String', StringValue: claim.claimId },
    },
    // FIFO: one member's claims in order, and SQS drops a resend within 5 minutes. Correctness does not
    // depend on either: the settle handler's DynamoDB conditions decide.
    ...(fifo ? { MessageGroupId: messageGroupId(claim.member.id), MessageDeduplicationId: deduplicationId(claim.hospital.id, claim.claimId) } : {}),
  };
}

/** Where the status of an admitted claim is read. */
export function claimLocation(claim: Claim): string {
  return `/claims/${encodeURIComponent(claim.hospital.id)}/${encodeURIComponent(claim.claimId)}`;
}

/** What recording an admitted claim as accepted decided: send it, it is already past the queue, or a conflicting resend. */
export type Acceptance = { readonly kind: 'send' } | { readonly kind: 'known'; readonly status: string } | Refused;

/**
 * Records an admitted claim as accepted before it is queued (so a claim answered 202 is both recorded
 * and queued), as `POST /claims` does: a new claim is sent; the same claim again is sent again while
 * still queued (its first message may be the lost one) and otherwise answered where it stands; other
 * content under the same ids is `409 CONFLICTING_RESEND`.
 */
export async function acceptAdmitted(accepted: Pick<AcceptedStore, 'accept'>, admitted: Admitted, at: string): Promise<Acceptance> {
  const { claim } = admitted;
  const outcome = await accepted.accept(acceptedItem(claim, JSON.parse(admitted.body) as unknown, at));
  if (outcome.kind === 'accepted') return { kind: 'send' };
  const { record } = outcome;
  if (record.hash && !sameHash(record.hash, claimHash(claim))) {
    return {
      kind: 'refused',
      status: 409,
      answer: { error: 'CONFLICTING_RESEND', message: `claim ${claim.claimId} of hospital ${claim.hospital.id} was already accepted with different content (status ${record.status})` },
    };
  }
  return record.status === QUEUED ? { kind: 'send' } : { kind: 'known', status: record.status };
}
