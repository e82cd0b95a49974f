/**
 * In-process handler timing against the local stack, for the cost model: how long one intake request
 * and one settle invocation (a batch of 10 records from 10 members, as a FIFO event source delivers
 * them) take, wall time as Lambda bills it, and how many log bytes each writes at the deployed log
 * level (INFO, with the settle function's Powertools metrics flushed as EMF each invocation).
 *
 * The handlers are the deployed code (createIntakeHandler, createSettleHandler); DynamoDB Local and
 * fauxqs answer on 127.0.0.1, so their latency stands in for DynamoDB's and SQS's.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { performance } from 'node:perf_hooks';
import { createIntakeHandler } from '../functions/intake/app.js';
import { createLogger } from '../functions/lib/logger.js';
import { openStores } from '../functions/storage/stores.js';
import { createSettleHandler } from '../functions/settle/app.js';
import { generatedClaim, random } from '../local/generate.js';
import type { LocalStack } from '../local/stack.js';
import type { ClaimInput } from '../shared/contract/claim.js';
import { builtInPolicyBook } from '../shared/policy/book.js';
import { type DoorTimings, timeDoors } from './door-timings.js';

export interface HandlerTiming {
  readonly invocations: number;
  readonly recordsPerInvocation: number;
  /** Median wall time of one invocation, ms. */
  readonly medianMs: number;
  /** Mean wall time, ms (Lambda bills each invocation: the mean is what the bill sees). */
  readonly meanMs: number;
  /** Log bytes written per record (application log lines + metrics EMF). */
  readonly logBytesPerRecord: number;
}

export interface HandlerTimings {
  readonly intake: HandlerTiming;
  readonly settle: HandlerTiming;
  /** The same settle batches sent again: every record a duplicate. */
  readonly settleDuplicates: HandlerTiming;
  /** Bytes of one settlement's JSON (with its trace), as a separate idempotency record would store it. */
  readonly settlementJsonBytes: number;
  /** The result read, the batch door and the feed (door-timings.ts). */
  readonly doors: DoorTimings;
}

export const lambdaContext = (id: string): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'bench',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:bench',
  memoryLimitInMB: '1024',
  awsRequestId: id,
  logGroupName: 'bench',
  logStreamName: 'bench',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/** Runs `work` with stdout and stderr counted instead of written; returns the bytes. */
export async function countingOutput<T>(work: () => Promise<T>): Promise<{ value: T; bytes: number }> {
  let bytes = 0;
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const count = (chunk: unknown): boolean => {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : (chunk as Uint8Array).byteLength;
    return true;
  };
  process.stdout.write = count as typeof process.stdout.write;
  process.stderr.write = count as typeof process.stderr.write;
  try {
    const value = await work();
    return { value, bytes };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

export const summary = (times: number[], records: number, logBytes: number): HandlerTiming => {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    invocations: times.length,
    recordsPerInvocation: records,
    medianMs: sorted[Math.floor(sorted.length / 2)] ?? 0,
    meanMs: times.reduce((s, t) => s + t, 0) / Math.max(1, times.length),
    logBytesPerRecord: logBytes / Math.max(1, times.length * records),
  };
};

function httpEvent(claim: ClaimInput, apiKey: string, n: number): APIGatewayProxyEventV2 {
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/claims',
    rawQueryString: '',
    headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      domainName: '127.0.0.1',
      domainPrefix: 'bench',
      http: { method: 'POST', path: '/claims', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: `bench-${n}`,
      routeKey: '$default',
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now,
    },
    body: JSON.stringify(claim),
    isBase64Encoded: false,
  };
}

function sqsRecord(claim: ClaimInput, n: number, queueArn: string): SQSRecord {
  return {
    messageId: `bench-${n}`,
    receiptHandle: `bench-${n}`,
    body: JSON.stringify(claim),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.now()),
      SenderId: 'bench',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
      MessageGroupId: claim.member.id,
    },
    messageAttributes: {
      hospitalId: { dataType: 'String', stringValue: claim.hospital.id },
      claimId: { dataType: 'String', stringValue: claim.claimId },
    },
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: 'us-east-1',
  };
}

/**
 * Times `intakeRequests` sequential intake requests and `settleBatches` sequential settle invocations of
 * 10 records (10 members each), then the same batches again as duplicates. `members` must be loaded
 * in the stack's registry (generatedRegistry), and `keys` maps hospital id → API key.
 */
export async function timeHandlers(
  stack: LocalStack,
  keys: ReadonlyMap<string, string>,
  members: number,
  { intakeRequests = 100, settleBatches = 20 } = {},
): Promise<HandlerTimings> {
  const rand = random(7);
  // Fresh stores: the stack's own has the members cached from the end-to-end run, and a
  // province's intake rarely sees the same member twice within the cache's 60 seconds.
  const intakeStores = openStores(stack.db, stack.tableName);
  const intake = createIntakeHandler({ stores: intakeStores, sqs: stack.sqs, queueUrl: stack.queueUrl, logger: createLogger('claims-intake', 'INFO') });
  const settle = createSettleHandler({
    stores: openStores(stack.db, stack.tableName),
    book: builtInPolicyBook(),
    logger: createLogger('claims-settle', 'INFO'),
    // As deployed (functions/settle/handler.ts): each record's lines buffered, printed only on a failure.
    recordLogger: createLogger('claims-settle', 'INFO', { bufferInfo: true }),
    maxReceiveCount: 5,
    settleAttempts: 8,
    metrics: new Metrics({ namespace: 'ResidentClaims', serviceName: 'claims-settle' }),
  });

  // Warm-up: one request and one batch, so the figures are of a warm container (the cold start is measured apart).
  const warm = generatedClaim(0, 9000, rand);
  await countingOutput(() => intake(httpEvent(warm, keys.get(warm.hospital.id) ?? '', 0), lambdaContext('warm')));
  await countingOutput(() => settle({ Records: [sqsRecord(warm, 0, stack.queueArn)] }, lambdaContext('warm')));

  const intakeTimes: number[] = [];
  const intakeRun = await countingOutput(async () => {
    for (let n = 0; n < intakeRequests; n += 1) {
      const claim = generatedClaim(n % members, 10_000 + n, rand);
      const start = performance.now();
      const result = await intake(httpEvent(claim, keys.get(claim.hospital.id) ?? '', n), lambdaContext(`intake-${n}`));
      intakeTimes.push(performance.now() - start);
      if (result.statusCode !== 202) throw new Error(`intake answered ${result.statusCode}: ${String(result.body)}`);
    }
  });

  const batches: SQSEvent[] = Array.from({ length: settleBatches }, (_, b) => ({
    Records: Array.from({ length: 10 }, (_, r) => sqsRecord(generatedClaim((b * 10 + r) % members, 20_000 + b * 10 + r, rand), b * 10 + r, stack.queueArn)),
  }));
  const settleOnce = async (times: number[]): Promise<number> =>
    (
      await countingOutput(async () => {
        for (const [b, event] of batches.entries()) {
          // Lambda sets a trace id per invocation; Powertools keys its log buffer by it.
          process.env['_X_AMZN_TRACE_ID'] = `Root=1-00000000-${String(b).padStart(24, '0')};Sampled=0`;
          const start = performance.now();
          const result = await settle(event, lambdaContext(`settle-${b}`));
          times.push(performance.now() - start);
          if (result.batchItemFailures.length > 0) throw new Error(`settle failed ${result.batchItemFailures.length} records`);
        }
        delete process.env['_X_AMZN_TRACE_ID'];
      })
    ).bytes;
  const settleTimes: number[] = [];
  const settleBytes = await settleOnce(settleTimes);
  const duplicateTimes: number[] = [];
  const duplicateBytes = await settleOnce(duplicateTimes);

  const first = batches[0]?.Records[0];
  const stored = first ? await stack.stores.settlements.getSettlement(first.messageAttributes['hospitalId']?.stringValue ?? '', first.messageAttributes['claimId']?.stringValue ?? '') : undefined;
  return {
    intake: summary(intakeTimes, 1, intakeRun.bytes),
    settle: summary(settleTimes, 10, settleBytes),
    settleDuplicates: summary(duplicateTimes, 10, duplicateBytes),
    settlementJsonBytes: stored ? Buffer.byteLength(JSON.stringify(stored.settlement)) : 0,
    doors: await timeDoors(stack, keys, members),
  };
}
