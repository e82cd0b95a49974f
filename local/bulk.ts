/**
 * The bulk upload on the local stack: a bucket on fauxqs's S3 emulation, the intake's presigner
 * pointed at it, and a watcher standing in for S3's ObjectCreated notification (fauxqs sends none):
 * it lists the `uploads/` prefix and hands each new object to the same `processUpload` the bulk Lambda
 * runs. An object whose reading fails is tried again on the next round, as Lambda retries an event.
 */
import { CreateBucketCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '@aws-lambda-powertools/logger';
import { type BulkDeps, type UploadOutcome, processUpload } from '../functions/bulk/app.js';
import { createS3Client } from '../functions/lib/s3-client.js';
import type { Stores } from '../functions/storage/stores.js';
import { S3UploadSigner, UPLOAD_PREFIX } from '../functions/storage/uploads.js';

export interface LocalBulkOptions {
  readonly s3Endpoint: string;
  readonly region: string;
  readonly stores: Stores;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly logger: Logger;
  readonly bucket?: string;
  /** How often the watcher lists the prefix. */
  readonly everyMs?: number;
}

export interface LocalBulk {
  readonly bucket: string;
  readonly s3: S3Client;
  readonly signer: S3UploadSigner;
  /** What each object read so far came to, by key. */
  readonly outcomes: ReadonlyMap<string, UploadOutcome>;
  stop(): Promise<void>;
}

/** Creates the bucket and starts the watcher. */
export async function startLocalBulk(options: LocalBulkOptions): Promise<LocalBulk> {
  const bucket = options.bucket ?? 'claims-uploads';
  const s3 = createS3Client({ region: options.region, s3Endpoint: options.s3Endpoint });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const deps: BulkDeps = { s3, stores: options.stores, sqs: options.sqs, queueUrl: options.queueUrl, logger: options.logger };
  const outcomes = new Map<string, UploadOutcome>();
  /** Objects already read, by key and ETag (a key written again is a new upload). */
  const seen = new Set<string>();
  let stopped = false;
  const round = async (): Promise<void> => {
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: UPLOAD_PREFIX, ...(token ? { ContinuationToken: token } : {}) }));
      for (const object of page.Contents ?? []) {
        const id = `${object.Key}@${object.ETag}`;
        if (stopped || object.Key === undefined || seen.has(id)) continue;
        try {
          outcomes.set(object.Key, await processUpload(deps, bucket, object.Key));
          seen.add(id);
        } catch (error) {
          options.logger.warn('upload not read yet; retried on the next round', { key: object.Key, error: error as Error });
        }
      }
      token = page.NextContinuationToken;
    } while (token && !stopped);
  };
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(round).catch((error: unknown) => options.logger.warn('upload watcher round failed', { error: error as Error }));
  }, options.everyMs ?? 250);
  return {
    bucket,
    s3,
    signer: new S3UploadSigner(s3, bucket),
    outcomes,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await running;
      s3.destroy();
    },
  };
}
