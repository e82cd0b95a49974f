/**
 * Lambda entry of the bulk function: S3 ObjectCreated notifications of the bulk bucket's `uploads/`
 * prefix. Environment: TABLE_NAME, QUEUE_URL (see docs/pipeline.md).
 */
import { createDynamoClient, createSqsClient } from '../lib/clients.js';
import { readConfig } from '../lib/config.js';
import { createLogger } from '../lib/logger.js';
import { createS3Client } from '../lib/s3-client.js';
import { openStores } from '../storage/stores.js';
import { type S3NotificationEvent, type UploadOutcome, createBulkHandler } from './app.js';

let built: ((event: S3NotificationEvent) => Promise<UploadOutcome[]>) | undefined;

/** The Lambda handler, built on first use. */
export const handler = (event: S3NotificationEvent): Promise<UploadOutcome[]> => {
  if (!built) {
    const config = readConfig();
    built = createBulkHandler({
      s3: createS3Client(config),
      stores: openStores(createDynamoClient(config), config.tableName),
      sqs: createSqsClient(config),
      queueUrl: config.queueUrl,
      logger: createLogger('claims-bulk'),
    });
  }
  return built(event);
};
