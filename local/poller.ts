/**
 * What Lambda's SQS event source mapping does, on one machine: long-poll the queue, hand batches of
 * real SQS records to the settle handler, delete the records it did not report as failed, and leave
 * the failed ones to reappear when their visibility timeout ends (and reach the DLQ by redrive).
 */
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

export interface PollerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
  readonly handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
  /** Concurrent receive loops (Lambda's concurrent invocations). */
  readonly concurrency?: number;
  readonly batchSize?: number;
  /**
   * Called after the handler returned and before the deletes: return false to simulate an invocation
   * that dies there (nothing deleted, every record redelivered).
   */
  readonly beforeDelete?: (event: SQSEvent, result: SQSBatchResponse) => boolean;
  readonly onError?: (error: unknown) => void;
}

export interface PollerStats {
  batches: number;
  records: number;
  failedRecords: number;
  crashedBatches: number;
  handlerErrors: number;
}

export interface Poller {
  readonly stats: PollerStats;
  stop(): Promise<void>;
}

function recordOf(message: Message, queueArn: string, region: string): SQSRecord {
  const attributes = (message.Attributes ?? {}) as Record<string, string>;
  const messageAttributes: SQSRecord['messageAttributes'] = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      dataType: value.DataType ?? 'String',
      ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
    };
  }
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes['ApproximateReceiveCount'] ?? '1',
      SentTimestamp: attributes['SentTimestamp'] ?? String(Date.now()),
      SenderId: attributes['SenderId'] ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes['ApproximateFirstReceiveTimestamp'] ?? String(Date.now()),
      ...(attributes['MessageGroupId'] ? { MessageGroupId: attributes['MessageGroupId'] } : {}),
      ...(attributes['MessageDeduplicationId'] ? { MessageDeduplicationId: attributes['MessageDeduplicationId'] } : {}),
      ...(attributes['SequenceNumber'] ? { SequenceNumber: attributes['SequenceNumber'] } : {}),
    },
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

function contextOf(invocation: number): Context {
  const start = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'claims-settle-local',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:claims-settle-local',
    memoryLimitInMB: '512',
    awsRequestId: `local-${invocation}-${start}`,
    logGroupName: 'local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, 30_000 - (Date.now() - start)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Starts polling; `stop()` ends the loops after their current batch. */
export function startPoller(options: PollerOptions): Poller {
  const stats: PollerStats = { batches: 0, records: 0, failedRecords: 0, crashedBatches: 0, handlerErrors: 0 };
  let running = true;
  let invocations = 0;
  const abort = new AbortController();

  const loop = async (): Promise<void> => {
    while (running) {
      let messages: Message[];
      try {
        const out = await options.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: options.batchSize ?? 10,
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: abort.signal },
        );
        messages = out.Messages ?? [];
      } catch (error) {
        if (!running) return;
        options.onError?.(error);
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      if (messages.length === 0) continue;
      const event: SQSEvent = { Records: messages.map((m) => recordOf(m, options.queueArn, options.region)) };
      stats.batches++;
      stats.records += messages.length;
      let result: SQSBatchResponse;
      try {
        result = await options.handler(event, contextOf(++invocations));
      } catch (error) {
        // A thrown invocation fails the whole batch: every record comes back after its visibility timeout.
        stats.handlerErrors++;
        options.onError?.(error);
        continue;
      }
      if (options.beforeDelete && !options.beforeDelete(event, result)) {
        stats.crashedBatches++;
        continue;
      }
      const failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
      stats.failedRecords += failed.size;
      const done = messages.filter((m) => !failed.has(m.MessageId ?? ''));
      if (done.length === 0) continue;
      try {
        await options.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: options.queueUrl,
            Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
          }),
        );
      } catch (error) {
        options.onError?.(error);
      }
    }
  };

  const loops = Array.from({ length: options.concurrency ?? 4 }, () => loop());
  return {
    stats,
    async stop() {
      running = false;
      abort.abort();
      await Promise.allSettled(loops);
    },
  };
}
