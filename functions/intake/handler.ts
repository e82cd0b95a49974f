/**
 * Lambda entry of the intake API: API Gateway REST API events (payload 1.0, deployed) and HTTP API
 * events (payload 2.0, local stack), the former converted to the latter.
 * Environment: TABLE_NAME, QUEUE_URL, UPLOAD_BUCKET (the bulk bucket; without it uploads answer 503), FIELD_KEY_ARN
 * (the KMS key of the members' names and ID numbers, which the slip and the national interface show masked) (see docs/pipeline.md).
 */
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { REQUEST_PATH_ATTEMPTS, createDynamoClient, createSqsClient } from '../lib/clients.js';
import { readConfig } from '../lib/config.js';
import { createLogger } from '../lib/logger.js';
import { deployedPolicyBook } from '../lib/policy-book.js';
import { fieldCipherFromEnv } from '../storage/field-crypto.js';
import { openStores } from '../storage/stores.js';
import { toHttpApiEvent } from '../lib/rest-event.js';
import { createS3Client } from '../lib/s3-client.js';
import { S3UploadSigner } from '../storage/uploads.js';
import { createIntakeHandler, type IntakeHandler } from './app.js';

let built: IntakeHandler | undefined;

/** Built on first use, then reused by every invocation of the container. */
function instance(): IntakeHandler {
  if (!built) {
    const config = readConfig();
    const bucket = process.env['UPLOAD_BUCKET'];
    built = createIntakeHandler({
      ...(bucket ? { uploads: new S3UploadSigner(createS3Client(config), bucket) } : {}),
      // One retry per call: an unreachable store answers 503 within callBoundMs(2) per call, never a hung request.
      stores: openStores(createDynamoClient(config, REQUEST_PATH_ATTEMPTS), config.tableName, fieldCipherFromEnv()),
      sqs: createSqsClient(config, REQUEST_PATH_ATTEMPTS),
      queueUrl: config.queueUrl,
      logger: createLogger('claims-intake'),
      // Validated when the bundle was built (functions/lib/policy-book.ts).
      book: deployedPolicyBook(),
    });
  }
  return built;
}

/** The Lambda handler. */
export const handler = (
  event: APIGatewayProxyEvent | APIGatewayProxyEventV2,
  context: Context,
): Promise<APIGatewayProxyStructuredResultV2> => instance()(toHttpApiEvent(event), context);
