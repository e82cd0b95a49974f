/**
 * Lambda entry of the sweeper, run by an EventBridge schedule every 5 minutes.
 * Environment: TABLE_NAME, QUEUE_URL (see docs/pipeline.md).
 */
import { createDynamoClient, createSqsClient } from '../lib/clients.js';
import { readConfig } from '../lib/config.js';
import { createLogger } from '../lib/logger.js';
import { AcceptedStore } from '../storage/accepted.js';
import { type SweepResult, createSweeper } from './app.js';

let built: (() => Promise<SweepResult>) | undefined;

/** The Lambda handler: one sweep; a failure throws, and the next scheduled sweep repeats the window. */
export const handler = (): Promise<SweepResult> => {
  if (!built) {
    const config = readConfig();
    built = createSweeper({
      accepted: new AcceptedStore(createDynamoClient(config), config.tableName),
      sqs: createSqsClient(config),
      queueUrl: config.queueUrl,
      logger: createLogger('claims-sweeper'),
    });
  }
  return built();
};
