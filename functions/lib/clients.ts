/** AWS SDK clients, created once per container and reused across invocations. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { PipelineConfig } from './config.js';

/** Local servers accept any credentials; never use these against AWS. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** A DynamoDB client for the configured region, or for the local endpoint when one is set. */
export function createDynamoClient(config: Pick<PipelineConfig, 'region' | 'dynamoEndpoint'>, maxAttempts = 3): DynamoDBClient {
  return new DynamoDBClient({
    region: config.region,
    maxAttempts,
    ...(config.dynamoEndpoint ? { endpoint: config.dynamoEndpoint, credentials: LOCAL_CREDENTIALS } : {}),
  });
}

/**
 * An SQS client. Locally the queue URL's host (`sqs.<region>.localhost`) does not resolve, so the
 * client must send to the configured endpoint rather than to the queue URL's host.
 */
export function createSqsClient(config: Pick<PipelineConfig, 'region' | 'sqsEndpoint'>): SQSClient {
  return new SQSClient({
    region: config.region,
    ...(config.sqsEndpoint ? { endpoint: config.sqsEndpoint, credentials: LOCAL_CREDENTIALS, useQueueUrlAsEndpoint: false } : {}),
  });
}
