/** Configuration of the handlers, from environment variables (what the CDK stack sets). */
import { ConfigError } from './errors.js';

export interface PipelineConfig {
  /** TABLE_NAME: the single table of registry, totals, settlements and failures. */
  readonly tableName: string;
  /** QUEUE_URL: the claims queue (FIFO when it ends in `.fifo`). */
  readonly queueUrl: string;
  /** AWS_REGION (set by Lambda). */
  readonly region: string;
  /** DYNAMODB_ENDPOINT / SQS_ENDPOINT: only for the local stack. */
  readonly dynamoEndpoint?: string;
  readonly sqsEndpoint?: string;
  /** MAX_RECEIVE_COUNT: the queue's redrive maxReceiveCount; the last attempt stores its failure reason. */
  readonly maxReceiveCount: number;
  /** SETTLE_ATTEMPTS: transaction attempts on a totals version conflict before the record goes back to the queue. */
  readonly settleAttempts: number;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new ConfigError(`${name} must be a positive integer, got ${text}`);
  return value;
}

/**
 * Reads the configuration.
 * @throws ConfigError naming the missing or bad variable.
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env, need: { queue: boolean } = { queue: true }): PipelineConfig {
  const tableName = env['TABLE_NAME'];
  if (!tableName) throw new ConfigError('TABLE_NAME is not set');
  const queueUrl = env['QUEUE_URL'] ?? '';
  if (need.queue && !queueUrl) throw new ConfigError('QUEUE_URL is not set');
  return {
    tableName,
    queueUrl,
    region: env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? 'us-east-1',
    ...(env['DYNAMODB_ENDPOINT'] ? { dynamoEndpoint: env['DYNAMODB_ENDPOINT'] } : {}),
    ...(env['SQS_ENDPOINT'] ? { sqsEndpoint: env['SQS_ENDPOINT'] } : {}),
    maxReceiveCount: positiveInt(env, 'MAX_RECEIVE_COUNT', 5),
    settleAttempts: positiveInt(env, 'SETTLE_ATTEMPTS', 8),
  };
}
