/**
 * The bulk function: reads one uploaded JSON Lines object of claims, streaming, and admits each line
 * exactly as `POST /claims` admits one claim, as the claim of the hospital whose prefix the object is
 * under (never the hospital a line names: a line of another hospital is refused like a foreign claim
 * at the door). Admitted claims go on with SendMessageBatch, 100 lines at a time; settled outcomes then
 * appear in the hospital's settlement feed. A line refused at admission is stored as the claim's
 * failure (under the uploader's hospital), which `GET /claims/{h}/{c}` reports.
 *
 * A claim whose send finally failed makes the invocation fail, so the object is read again (Lambda's
 * retries of an S3 event): a second reading is harmless, each claim settles once whatever happens.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { PolicyBook } from '../../shared/policy/book.js';
import { MAX_ID_LENGTH } from '../../shared/contract/limits.js';
import { type BatchResult, admitAndSend } from '../intake/batch.js';
import { claimFailureKey, messageFailureKey } from '../storage/keys.js';
import type { Stores } from '../storage/stores.js';
import { uploaderOf } from '../storage/uploads.js';

/** Lines admitted and sent together: 10 SendMessageBatch calls, memory for 100 claims. */
export const BULK_CHUNK_LINES = 100;

export interface BulkDeps {
  readonly s3: S3Client;
  readonly stores: Pick<Stores, 'registry' | 'failures' | 'accepted'>;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly logger: Logger;
  readonly book?: PolicyBook;
}

/** What one upload came to. */
export interface UploadOutcome {
  readonly bucket: string;
  readonly key: string;
  readonly hospitalId: string | undefined;
  readonly lines: number;
  readonly queued: number;
  readonly refused: number;
  readonly notQueued: number;
}

/** The failure raised when some admitted claims could not be sent: the event is retried. */
export class BulkSendError extends Error {
  constructor(
    readonly key: string,
    readonly notQueued: number,
  ) {
    super(`${notQueued} claims of ${key} could not be queued`);
    this.name = 'BulkSendError';
  }
}

/** The claim id a refused line names, when it names a usable one (to file its failure under). */
function claimIdOf(text: string): string | undefined {
  try {
    const value = (JSON.parse(text) as { claimId?: unknown } | null)?.claimId;
    return typeof value === 'string' && value !== '' && value.length <= MAX_ID_LENGTH ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Reads, admits and sends one uploaded object. @throws BulkSendError when a claim could not be queued. */
export async function processUpload(deps: BulkDeps, bucket: string, key: string): Promise<UploadOutcome> {
  const hospitalId = uploaderOf(key);
  if (hospitalId === undefined) {
    deps.logger.warn('object outside any hospital prefix ignored', { bucket, key });
    return { bucket, key, hospitalId, lines: 0, queued: 0, refused: 0, notQueued: 0 };
  }
  const caller = { role: 'hospital' as const, id: hospitalId };
  const object = await deps.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const lines = createInterface({ input: object.Body as Readable, crlfDelay: Infinity });
  const counts = { lines: 0, queued: 0, refused: 0, notQueued: 0 };
  let chunk: { text: string; line: number }[] = [];
  const flush = async (): Promise<void> => {
    if (chunk.length === 0) return;
    const texts = chunk.map((c) => c.text);
    const results = await admitAndSend({ registry: deps.stores.registry, accepted: deps.stores.accepted, book: deps.book, sqs: deps.sqs, queueUrl: deps.queueUrl, logger: deps.logger }, caller, texts);
    await Promise.all(results.map((result, i) => record(result, chunk[i]!)));
    chunk = [];
  };
  const record = async (result: BatchResult, source: { text: string; line: number }): Promise<void> => {
    if (result.status === 202 || result.status === 200) {
      counts.queued++;
      return;
    }
    if (result.status === 503) {
      counts.notQueued++;
      return;
    }
    counts.refused++;
    const refusal = result as Extract<BatchResult, { error: string }>;
    const claimId = claimIdOf(source.text);
    // Filed under the uploader's hospital, whatever the line names: an upload never writes into another hospital's claims.
    const failureKey = claimId === undefined ? messageFailureKey(`${key}#${source.line}`) : claimFailureKey(hospitalId, claimId);
    await deps.stores.failures.put(failureKey, {
      code: refusal.error,
      message: refusal.message ?? `line ${source.line} of the upload was refused`,
      details: { upload: key, line: source.line, ...(refusal.issues === undefined ? {} : { issues: refusal.issues }) },
      messageId: `${key}#${source.line}`,
      at: new Date().toISOString(),
    });
  };
  for await (const text of lines) {
    counts.lines++;
    if (text.trim() === '') continue;
    chunk.push({ text, line: counts.lines });
    if (chunk.length >= BULK_CHUNK_LINES) await flush();
  }
  await flush();
  const outcome = { bucket, key, hospitalId, ...counts };
  deps.logger.info('upload read', { ...outcome });
  if (counts.notQueued > 0) throw new BulkSendError(key, counts.notQueued);
  return outcome;
}

/** The S3 notification event as Lambda delivers it (only the fields read). */
export interface S3NotificationEvent {
  readonly Records?: readonly { readonly s3: { readonly bucket: { readonly name: string }; readonly object: { readonly key: string } } }[];
}

/** Builds the bulk handler: each record of the event is one uploaded object. */
export function createBulkHandler(deps: BulkDeps) {
  return async (event: S3NotificationEvent): Promise<UploadOutcome[]> => {
    const outcomes: UploadOutcome[] = [];
    for (const record of event.Records ?? []) {
      // Keys in S3 notifications are URL-encoded, spaces as '+'.
      const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
      outcomes.push(await processUpload(deps, record.s3.bucket.name, key));
    }
    return outcomes;
  };
}
