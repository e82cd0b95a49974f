/**
 * The settle handler's logic, built from its dependencies so tests and the local stack can wire it to
 * their own servers. Partial batch failures are reported (`ReportBatchItemFailures`): one bad record
 * never fails or repeats the good ones.
 */
import middy from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { PolicyBook } from '../../shared/policy/book.js';
import type { Stores } from '../storage/stores.js';
import { type ClaimMessage, failureKeyOfMessage, settleMessage, type SettleOutcome } from '../lib/settler.js';
import { VersionConflictError } from '../lib/errors.js';
import { recordFailedDelivery, recordOutcome } from './metrics.js';

export interface SettleHandlerDeps {
  readonly stores: Pick<Stores, 'settlements' | 'corrections' | 'failures'>;
  readonly book: PolicyBook;
  /** The invocation's own lines: one summary per invocation, the failures. */
  readonly logger: Logger;
  /**
   * Where the settler writes each record's lines ('settled', 'duplicate'…). In Lambda it buffers them
   * (Powertools log buffering at INFO) and prints them only when a record of the invocation fails, so
   * a healthy invocation costs one log line; by default the same as `logger`.
   */
  readonly recordLogger?: Logger;
  /** The queue's maxReceiveCount: a record failing on its last receive has its reason stored before it is dead-lettered. */
  readonly maxReceiveCount: number;
  readonly settleAttempts: number;
  /** Business metrics (settled, rejected by code, paid per fund); flushed after every invocation. */
  readonly metrics?: Metrics;
}

export type SettleHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

function messageOf(record: SQSRecord): ClaimMessage {
  const hospitalId = record.messageAttributes?.['hospitalId']?.stringValue;
  const claimId = record.messageAttributes?.['claimId']?.stringValue;
  return {
    messageId: record.messageId,
    body: record.body,
    ...(hospitalId === undefined ? {} : { hospitalId }),
    ...(claimId === undefined ? {} : { claimId }),
  };
}

/**
 * Records of one FIFO message group run in order and stop at the first failure (the rest of the group
 * is reported failed untried, as SQS FIFO requires); different groups, and all records of a standard
 * queue, run concurrently.
 */
function groupsOf(records: readonly SQSRecord[]): SQSRecord[][] {
  const groups = new Map<string, SQSRecord[]>();
  for (const record of records) {
    const group = record.attributes?.MessageGroupId ?? `#${record.messageId}`;
    groups.set(group, [...(groups.get(group) ?? []), record]);
  }
  return [...groups.values()];
}

/**
 * The one line of an invocation: how many records of each outcome, and their keys (hospital and claim
 * ids, no personal data), so one claim can still be followed from the intake's 'claim queued' line.
 */
export function summaryOf(records: number, outcomes: readonly SettleOutcome[], failed: number): Record<string, unknown> {
  const count = (kind: SettleOutcome['kind']): number => outcomes.filter((outcome) => outcome.kind === kind).length;
  return {
    records,
    settled: count('settled'),
    rejected: count('rejected'),
    duplicate: count('duplicate'),
    poison: count('poison'),
    failed,
    keys: outcomes.map((outcome) => outcome.key),
  };
}

/** Builds the SQS-triggered settle handler. */
export function createSettleHandler(deps: SettleHandlerDeps): SettleHandler {
  const { logger } = deps;
  const recordLogger = deps.recordLogger ?? logger;
  const settleOne = async (record: SQSRecord): Promise<SettleOutcome> => {
    const outcome = await settleMessage({ stores: deps.stores, book: deps.book, logger: recordLogger, attempts: deps.settleAttempts }, messageOf(record));
    if (deps.metrics) recordOutcome(deps.metrics, outcome);
    return outcome;
  };

  const recordFailure = async (record: SQSRecord, error: unknown): Promise<void> => {
    const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? '1');
    // Something failed: the records' buffered lines of this invocation are worth their cost now.
    if (recordLogger !== logger) recordLogger.flushBuffer();
    logger.error('record failed; the queue will redeliver it', { messageId: record.messageId, receiveCount, error: error as Error });
    const lastDelivery = receiveCount >= deps.maxReceiveCount;
    if (deps.metrics) recordFailedDelivery(deps.metrics, { lastDelivery, conflict: error instanceof VersionConflictError });
    if (!lastDelivery) return;
    // Last delivery before the dead-letter queue: store why, so the DLQ message can be explained.
    try {
      const message = messageOf(record);
      await deps.stores.failures.put(failureKeyOfMessage(message), {
        code: 'DEAD_LETTERED',
        message: `failed ${receiveCount} deliveries; last error: ${(error as Error).message ?? String(error)}`,
        messageId: record.messageId,
        at: new Date().toISOString(),
      });
    } catch (storeError) {
      logger.error('could not store the failure reason', { messageId: record.messageId, error: storeError as Error });
    }
  };

  const run = async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const failed: string[] = [];
    const outcomes: SettleOutcome[] = [];
    await Promise.all(
      groupsOf(event.Records).map(async (group) => {
        for (const [index, record] of group.entries()) {
          try {
            outcomes.push(await settleOne(record));
          } catch (error) {
            await recordFailure(record, error);
            for (const rest of group.slice(index)) failed.push(rest.messageId);
            return;
          }
        }
      }),
    );
    if (failed.length > 0) logger.warn('partial batch failure', { failed: failed.length, of: event.Records.length });
    logger.info('batch', summaryOf(event.Records.length, outcomes, failed.length));
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  };

  const loggers = recordLogger === logger ? [logger] : [logger, recordLogger];
  const handler = middy(run).use(injectLambdaContext(loggers, { resetKeys: true, flushBufferOnUncaughtError: true }));
  return deps.metrics ? handler.use(logMetrics(deps.metrics)) : handler;
}
