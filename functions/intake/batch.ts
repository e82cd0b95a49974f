/**
 * `POST /claims:batch`: up to MAX_BATCH_CLAIMS claims in one request, `{"claims":[…]}`. Each claim is
 * admitted on its own exactly as `POST /claims` admits one (admission.ts) and has its own result in
 * the answer, by its index: `202` queued, or the 4xx the single door would give it. The admitted
 * claims are sent on with SendMessageBatch (10 messages and 256 KiB a call); entries SQS fails are
 * retried, and a claim whose send still failed is answered `503 NOT_QUEUED` (not accepted: send it
 * again), never dropped silently.
 */
import { type SQSClient, SendMessageBatchCommand, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { AcceptedStore } from '../storage/accepted.js';
import type { Caller } from '../storage/keys-store.js';
import { type AdmissionDeps, type Admitted, acceptAdmitted, admitClaim, claimLocation, queueEntryOf } from './admission.js';
import { MAX_BATCH_BYTES, MAX_BATCH_CLAIMS } from './routes.js';

/** SQS's limits on one SendMessageBatch call. */
export const SQS_BATCH_ENTRIES = 10;
export const SQS_BATCH_BYTES = 256 * 1024;
/** Attempts at sending an entry before its claim is reported as not accepted. */
export const SEND_ATTEMPTS = 4;
/** Claims admitted at once (each may read the registry once, a cached GetItem). */
const ADMIT_CONCURRENCY = 16;

export interface QueueTarget {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
}

/** What the batch door and the bulk function need: admission, the accepted records, the queue. */
export interface BatchDeps extends AdmissionDeps, QueueTarget {
  readonly accepted: Pick<AcceptedStore, 'accept'>;
  readonly logger?: Pick<Logger, 'warn'>;
  readonly now?: () => Date;
}

/**
 * Requests the batch door makes for `claims` claims (all admitted, none retried): what the cost model
 * prices. One API request, one SendMessageBatch per 10 claims (more when large claims meet the
 * 256 KiB a call first), and at most one registry read per claim (the registry cache usually answers).
 */
export function batchDoorRequests(claims: number): { api: number; sqsSendBatch: number; registryReadsAtMost: number } {
  return { api: 1, sqsSendBatch: Math.ceil(claims / SQS_BATCH_ENTRIES), registryReadsAtMost: claims };
}

const entryBytes = (entry: SendMessageBatchRequestEntry): number =>
  Buffer.byteLength(entry.MessageBody ?? '') +
  Object.entries(entry.MessageAttributes ?? {}).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? '') + Buffer.byteLength(value.StringValue ?? ''), 0);

/** Packs entries into calls of at most 10 entries and 256 KiB. */
function packCalls(entries: readonly SendMessageBatchRequestEntry[]): SendMessageBatchRequestEntry[][] {
  const calls: SendMessageBatchRequestEntry[][] = [];
  let current: SendMessageBatchRequestEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = entryBytes(entry);
    if (current.length === SQS_BATCH_ENTRIES || (current.length > 0 && bytes + size > SQS_BATCH_BYTES)) {
      calls.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) calls.push(current);
  return calls;
}

const pause = (attempt: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt) * Math.random()));

/**
 * Sends admitted claims with SendMessageBatch; retries the entries SQS fails (and calls that fail as a
 * whole) up to SEND_ATTEMPTS times, except entries SQS refuses as the sender's fault.
 * @returns for each claim, in order, whether SQS took it.
 */
export async function sendAdmitted(target: QueueTarget, admitted: readonly Admitted[], logger?: Pick<Logger, 'warn'>): Promise<boolean[]> {
  const fifo = target.queueUrl.endsWith('.fifo');
  const sent = admitted.map(() => false);
  let pending: SendMessageBatchRequestEntry[] = admitted.map((a, index) => ({ Id: String(index), ...queueEntryOf(a, fifo) }));
  for (let attempt = 0; attempt < SEND_ATTEMPTS && pending.length > 0; attempt++) {
    if (attempt > 0) await pause(attempt);
    const retry: SendMessageBatchRequestEntry[] = [];
    for (const call of packCalls(pending)) {
      try {
        const out = await target.sqs.send(new SendMessageBatchCommand({ QueueUrl: target.queueUrl, Entries: call }));
        for (const ok of out.Successful ?? []) if (ok.Id !== undefined) sent[Number(ok.Id)] = true;
        for (const failed of out.Failed ?? []) {
          logger?.warn('batch entry not sent', { code: failed.Code, senderFault: failed.SenderFault, attempt });
          if (!failed.SenderFault) retry.push(...call.filter((e) => e.Id === failed.Id));
        }
        // An entry SQS named in neither list was not taken: send it again.
        const answered = new Set([...(out.Successful ?? []), ...(out.Failed ?? [])].map((e) => e.Id));
        retry.push(...call.filter((e) => !answered.has(e.Id)));
      } catch (cause) {
        logger?.warn('batch call failed', { error: cause as Error, attempt, entries: call.length });
        retry.push(...call);
      }
    }
    pending = retry;
  }
  return sent;
}

/** One claim's result in a batch answer. */
export type BatchResult =
  | { readonly index: number; readonly status: 202; readonly state: 'queued'; readonly hospitalId: string; readonly claimId: string; readonly location: string }
  /** Accepted before and already past the queue (settled, rejected, reversed…): not sent again. */
  | { readonly index: number; readonly status: 200; readonly state: string; readonly hospitalId: string; readonly claimId: string; readonly location: string }
  | { readonly index: number; readonly status: number; readonly error: string; readonly message?: string; readonly issues?: unknown };

/** Runs `task` over items with at most `limit` in flight, results in order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await task(items[index] as T, index);
      }
    }),
  );
  return results;
}

/**
 * Admits each text and sends the admitted ones on: the shared core of the batch door and the bulk
 * upload. Results are in input order, indexed from `firstIndex`.
 */
export async function admitAndSend(deps: BatchDeps, caller: Caller, texts: readonly string[], firstIndex = 0): Promise<BatchResult[]> {
  const at = (deps.now?.() ?? new Date()).toISOString();
  // Admitted, then recorded as accepted (as POST /claims does) before anything is queued.
  const admissions = await mapLimited(texts, ADMIT_CONCURRENCY, async (text) => {
    const admission = await admitClaim(deps, caller, text);
    if (admission.kind === 'refused') return admission;
    const acceptance = await acceptAdmitted(deps.accepted, admission, at);
    return acceptance.kind === 'send' ? admission : acceptance.kind === 'known' ? { kind: 'known' as const, admission, status: acceptance.status } : acceptance;
  });
  const admitted = admissions.filter((a): a is Admitted => a.kind === 'admitted');
  const sent = await sendAdmitted(deps, admitted, deps.logger);
  let position = 0;
  return admissions.map((admission, i): BatchResult => {
    const index = firstIndex + i;
    if (admission.kind === 'refused') return { index, status: admission.status, ...admission.answer };
    if (admission.kind === 'known') {
      const known = admission.admission.claim;
      return { index, status: 200, state: admission.status, hospitalId: known.hospital.id, claimId: known.claimId, location: claimLocation(known) };
    }
    const { claim } = admission;
    if (!sent[position++]) return { index, status: 503, error: 'NOT_QUEUED', message: `claim ${claim.claimId} was not accepted (the queue refused it); send it again` };
    return { index, status: 202, state: 'queued', hospitalId: claim.hospital.id, claimId: claim.claimId, location: claimLocation(claim) };
  });
}

const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
});
const invalid = (path: string, message: string) => json(400, { error: 'INVALID_REQUEST', issues: [{ path, message }] });

/**
 * Answers `POST /claims:batch`: `200` with `{accepted, refused, results}` whenever the batch itself is
 * readable (each result says its claim's own fate), `400` naming the field when it is not.
 */
export async function answerBatchRoute(deps: BatchDeps, caller: Caller, body: string): Promise<APIGatewayProxyStructuredResultV2> {
  if (caller.role !== 'hospital') return json(403, { error: 'FORBIDDEN', message: 'only a hospital key may submit claims' });
  if (Buffer.byteLength(body) > MAX_BATCH_BYTES) return json(413, { error: 'TOO_LARGE', message: `a batch must be at most ${MAX_BATCH_BYTES} bytes` });
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return invalid('', 'is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return invalid('', 'must be an object {"claims": [...]}');
  const extra = Object.keys(parsed).find((name) => name !== 'claims');
  if (extra !== undefined) return invalid(extra, 'is not a field of a batch');
  const claims = (parsed as { claims?: unknown }).claims;
  if (!Array.isArray(claims)) return invalid('claims', 'is required, an array of claims');
  if (claims.length === 0) return invalid('claims', 'must hold at least one claim');
  if (claims.length > MAX_BATCH_CLAIMS) return invalid('claims', `must hold at most ${MAX_BATCH_CLAIMS} claims (got ${claims.length})`);
  // Each claim is admitted from its own JSON text, as if it had come alone (MAX_CLAIM_BYTES each).
  const results = await admitAndSend(deps, caller, claims.map((claim) => JSON.stringify(claim)));
  const accepted = results.filter((r) => r.status === 202 || r.status === 200).length;
  return json(200, { accepted, refused: results.length - accepted, results });
}
