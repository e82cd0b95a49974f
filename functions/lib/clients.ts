/** AWS SDK clients, created once per container and reused across invocations. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { PipelineConfig } from './config.js';

/** Local servers accept any credentials; never use these against AWS. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * Every call's time limits: a connection not made within 1 s or an answer not begun within 5 s
 * fails the attempt (the SDK's defaults wait minutes), so an unreachable store or queue becomes a
 * `503` within `callBoundMs` instead of a hung request. DynamoDB and SQS answer in milliseconds.
 */
export const CALL_TIMEOUTS = { connectionTimeout: 1_000, requestTimeout: 5_000 } as const;

/** Attempts of each call on a request path (the intake, the authorizer): one retry. */
export const REQUEST_PATH_ATTEMPTS = 2;

/** The longest one call can take with `attempts` attempts: each attempt's limits plus the SDK's capped backoff (< 1 s here). */
export const callBoundMs = (attempts: number): number => attempts * (CALL_TIMEOUTS.connectionTimeout + CALL_TIMEOUTS.requestTimeout) + 1_000;

/** A DynamoDB client for the configured region, or for the local endpoint when one is set. */
export function createDynamoClient(config: Pick<PipelineConfig, 'region' | 'dynamoEndpoint'>, maxAttempts = 3): DynamoDBClient {
  return new DynamoDBClient({
    region: config.region,
    maxAttempts,
    requestHandler: { ...CALL_TIMEOUTS, throwOnRequestTimeout: true },
    ...(config.dynamoEndpoint ? { endpoint: config.dynamoEndpoint, credentials: LOCAL_CREDENTIALS } : {}),
  });
}

/**
 * An SQS client. Locally the queue URL's host (`sqs.<region>.localhost`) does not resolve, so the
 * client must send to the configured endpoint rather than to the queue URL's host.
 */
export function createSqsClient(config: Pick<PipelineConfig, 'region' | 'sqsEndpoint'>, maxAttempts = 3): SQSClient {
  return new SQSClient({
    region: config.region,
    maxAttempts,
    requestHandler: { ...CALL_TIMEOUTS, throwOnRequestTimeout: true },
    ...(config.sqsEndpoint ? { endpoint: config.sqsEndpoint, credentials: LOCAL_CREDENTIALS, useQueueUrlAsEndpoint: false } : {}),
  });
}
