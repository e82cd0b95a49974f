/**
 * Lambda entry of the settle function (SQS event source with ReportBatchItemFailures).
 * Environment: TABLE_NAME, MAX_RECEIVE_COUNT, SETTLE_ATTEMPTS (see docs/pipeline.md), POWERTOOLS_METRICS_NAMESPACE.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { builtInPolicyBook } from '../../shared/policy/book.js';
import { createDynamoClient } from '../lib/clients.js';
import { readConfig } from '../lib/config.js';
import { createLogger } from '../lib/logger.js';
import { openStores } from '../storage/stores.js';
import { createSettleHandler, type SettleHandler } from './app.js';

let built: SettleHandler | undefined;

/** Built on first use, then reused by every invocation of the container (clients, policy book). */
function instance(): SettleHandler {
  if (!built) {
    const config = readConfig(process.env, { queue: false });
    built = createSettleHandler({
      stores: openStores(createDynamoClient(config), config.tableName),
      book: builtInPolicyBook(),
      logger: createLogger('claims-settle'),
      // Each record's lines are kept only when the invocation fails: one line per healthy invocation.
      recordLogger: createLogger('claims-settle', undefined, { bufferInfo: true }),
      maxReceiveCount: config.maxReceiveCount,
      settleAttempts: config.settleAttempts,
      // The stack sets POWERTOOLS_METRICS_NAMESPACE; its dashboard reads this namespace and service.
      metrics: new Metrics({ namespace: process.env['POWERTOOLS_METRICS_NAMESPACE'] ?? 'ResidentClaims', serviceName: 'claims-settle' }),
    });
  }
  return built;
}

/** The Lambda handler. */
export const handler = (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => instance()(event, context);
