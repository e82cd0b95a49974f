/**
 * The whole pipeline on one machine: DynamoDB Local and fauxqs on 127.0.0.1, the table and queues
 * (with a dead-letter queue by redrive), the intake handler behind an HTTP server and the settle
 * handler fed by a poller. The handlers are the same code that runs in Lambda.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtInPolicyBook } from '../shared/policy/book.js';
import { REQUEST_PATH_ATTEMPTS, createDynamoClient, createSqsClient } from '../functions/lib/clients.js';
import { createLogger, type LogLevel } from '../functions/lib/logger.js';
import { fileFieldCipher } from '../functions/storage/field-crypto.js';
import { type Stores, openStores } from '../functions/storage/stores.js';
import { tableDefinition } from '../functions/storage/table.js';
import { type IntakeDeps, createAdmission, createIntakeHandler } from '../functions/intake/app.js';
import { createSettleHandler, type SettleHandler } from '../functions/settle/app.js';
import { type SweepResult, createSweeper } from '../functions/sweeper/app.js';
import { type Poller, type PollerOptions, startPoller } from './poller.js';
import { serveHttp } from './http.js';
import { type LocalBulk, startLocalBulk } from './bulk.js';
import { type RunningServer, startDynamoDbLocal, startFauxqs } from './servers.js';

export const REGION = 'us-east-1';

export interface StackOptions {
  /**
   * Keep the data in this folder (in memory when absent): DynamoDB's in `dynamodb/`, the queues'
   * messages in `sqs/`, so a restart on the same folder resumes every accepted, unsettled claim.
   */
  readonly dataDir?: string;
  /** A FIFO queue (message group = member, deduplication = hospital + claim) or a standard one. */
  readonly fifo?: boolean;
  /** HTTP port of the intake API; 0 for any free port. */
  readonly port?: number;
  readonly tableName?: string;
  readonly visibilityTimeoutSeconds?: number;
  readonly maxReceiveCount?: number;
  readonly settleAttempts?: number;
  /** Concurrent settle invocations. */
  readonly concurrency?: number;
  readonly logLevel?: LogLevel;
  /** Start polling the queue at once (else call `startPolling`). */
  readonly poll?: boolean;
  /** Lets a test wrap the settle handler's DynamoDB client (fault injection). */
  readonly settleDynamo?: (client: DynamoDBClient) => void;
  /** Lets a test wrap the intake's DynamoDB client (fault injection in corrections). */
  readonly intakeDynamo?: (client: DynamoDBClient) => void;
  readonly beforeDelete?: PollerOptions['beforeDelete'];
  /**
   * The sweeper's timer: every `sweepEveryMs` (default 10 s; 0: never, call `sweep()`), claims accepted
   * more than `staleAfterMs` ago (default 60 s) and still queued are queued again. Shorter than in AWS
   * (5 and 15 minutes) because a local stack is restarted more often than a queue loses a message.
   */
  readonly sweepEveryMs?: number;
  readonly staleAfterMs?: number;
  /** The national gateway's settings (bounded settlement wait, signing secret). */
  readonly national?: IntakeDeps['national'];
  /** How far the settlement feed stays behind the clock (default 1 s here; 5 s deployed). */
  readonly feedLagMs?: number;
}

export interface LocalStack {
  readonly dynamoEndpoint: string;
  readonly sqsEndpoint: string;
  readonly apiUrl: string;
  readonly tableName: string;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly dlqUrl: string;
  /**
   * The key file (0600) of the members' names and ID numbers: `field-key` in the data folder, or in a
   * temporary folder removed on stop for a stack in memory. `claims registry load --key-file` takes it.
   */
  readonly fieldKeyFile: string;
  readonly db: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly stores: Stores;
  readonly settleHandler: SettleHandler;
  /** The bulk upload: its bucket on fauxqs's S3 and the watcher that reads new uploads. */
  readonly bulk: LocalBulk;
  /** The local servers themselves: a test stops one to see the pipeline fail closed. */
  readonly servers: { readonly dynamo: RunningServer; readonly sqs: RunningServer };
  poller: Poller | undefined;
  startPolling(): Poller;
  /** One sweep now (the timer runs them too). */
  sweep(): Promise<SweepResult>;
  /** Messages visible or in flight in the queue. */
  queueDepth(url?: string): Promise<number>;
  stop(): Promise<void>;
}

async function ensureTable(db: DynamoDBClient, tableName: string): Promise<void> {
  const definition = tableDefinition(tableName);
  try {
    const existing = await db.send(new DescribeTableCommand({ TableName: tableName }));
    // A data folder from before an index existed: add the missing indexes.
    const present = new Set((existing.Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
    for (const index of definition.GlobalSecondaryIndexes ?? []) {
      if (present.has(index.IndexName)) continue;
      await db.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: definition.AttributeDefinitions,
          GlobalSecondaryIndexUpdates: [{ Create: { IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection } }],
        }),
      );
    }
    if (present.size === (definition.GlobalSecondaryIndexes ?? []).length) return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await db.send(new CreateTableCommand(definition));
  }
  for (;;) {
    const out = await db.send(new DescribeTableCommand({ TableName: tableName }));
    if (out.Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function createQueues(sqs: SQSClient, fifo: boolean, visibility: number, maxReceiveCount: number) {
  const suffix = fifo ? '.fifo' : '';
  const fifoAttributes: Record<string, string> = fifo ? { FifoQueue: 'true' } : {};
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `claims-dlq${suffix}`, Attributes: { ...fifoAttributes } }));
  const dlqUrl = dlq.QueueUrl ?? '';
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))).Attributes?.['QueueArn'] ?? '';
  const main = await sqs.send(
    new CreateQueueCommand({
      QueueName: `claims${suffix}`,
      Attributes: {
        ...fifoAttributes,
        VisibilityTimeout: String(visibility),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }),
      },
    }),
  );
  const queueUrl = main.QueueUrl ?? '';
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.['QueueArn'] ?? '';
  return { queueUrl, queueArn, dlqUrl };
}

/** Starts the local stack. Stop it with `stop()`; on a failed start everything started is stopped. */
export async function startLocalStack(options: StackOptions = {}): Promise<LocalStack> {
  const started: RunningServer[] = [];
  try {
    // The field key: with the data (a restart reads the names it wrote), else for this stack's life only.
    const keyDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'claims-field-key-'));
    if (!options.dataDir) started.push({ endpoint: keyDir, stop: async () => rmSync(keyDir, { recursive: true, force: true }) });
    mkdirSync(keyDir, { recursive: true, mode: 0o700 });
    const fieldKeyFile = join(keyDir, 'field-key');
    const fieldCipher = fileFieldCipher(fieldKeyFile, { create: true });
    const [dynamo, fauxqs] = await Promise.all([
      startDynamoDbLocal(options.dataDir ? { dataDir: join(options.dataDir, 'dynamodb') } : {}).then((s) => (started.push(s), s)),
      startFauxqs(options.dataDir ? { dataDir: join(options.dataDir, 'sqs') } : {}).then((s) => (started.push(s), s)),
    ]);
    const tableName = options.tableName ?? 'claims';
    const maxReceiveCount = options.maxReceiveCount ?? 5;
    const settleAttempts = options.settleAttempts ?? 8;
    const db = createDynamoClient({ region: REGION, dynamoEndpoint: dynamo.endpoint }, REQUEST_PATH_ATTEMPTS);
    const sqs = createSqsClient({ region: REGION, sqsEndpoint: fauxqs.endpoint }, REQUEST_PATH_ATTEMPTS);
    await ensureTable(db, tableName);
    const queues = await createQueues(sqs, options.fifo ?? true, options.visibilityTimeoutSeconds ?? 30, maxReceiveCount);
    options.intakeDynamo?.(db);
    const stores = openStores(db, tableName, fieldCipher);
    const settleDb = createDynamoClient({ region: REGION, dynamoEndpoint: dynamo.endpoint });
    options.settleDynamo?.(settleDb);
    const settleHandler = createSettleHandler({
      stores: openStores(settleDb, tableName),
      book: builtInPolicyBook(),
      logger: createLogger('claims-settle', options.logLevel),
      maxReceiveCount,
      settleAttempts,
    });
    const bulk = await startLocalBulk({ s3Endpoint: fauxqs.endpoint, region: REGION, stores, sqs, queueUrl: queues.queueUrl, logger: createLogger('claims-bulk', options.logLevel) });
    started.push({ endpoint: fauxqs.endpoint, stop: () => bulk.stop() });
    const intake = createIntakeHandler({
      stores,
      sqs,
      queueUrl: queues.queueUrl,
      logger: createLogger('claims-intake', options.logLevel),
      ...(options.national ? { national: options.national } : {}),
      feedLagMs: options.feedLagMs ?? 1_000,
      uploads: bulk.signer,
    });
    const http = await serveHttp(intake, options.port ?? 0, { admit: createAdmission(stores.keys) });
    const sweep = createSweeper({
      accepted: stores.accepted,
      sqs,
      queueUrl: queues.queueUrl,
      logger: createLogger('claims-sweeper', options.logLevel),
      staleAfterMs: options.staleAfterMs ?? 60_000,
    });
    const sweepEvery = options.sweepEveryMs ?? 10_000;
    let sweeping: Promise<unknown> = Promise.resolve();
    // One sweep at a time; a failed sweep (a store down) is repeated by the next tick.
    const timer = sweepEvery > 0 ? setInterval(() => (sweeping = sweeping.then(sweep).catch(() => undefined)), sweepEvery) : undefined;
    timer?.unref();
    const stack: LocalStack = {
      dynamoEndpoint: dynamo.endpoint,
      sqsEndpoint: fauxqs.endpoint,
      apiUrl: http.url,
      tableName,
      ...queues,
      fieldKeyFile,
      db,
      sqs,
      stores,
      settleHandler,
      bulk,
      servers: { dynamo, sqs: fauxqs },
      poller: undefined,
      sweep,
      startPolling() {
        stack.poller ??= startPoller({
          sqs,
          queueUrl: queues.queueUrl,
          queueArn: queues.queueArn,
          region: REGION,
          handler: settleHandler,
          concurrency: options.concurrency ?? 4,
          ...(options.beforeDelete ? { beforeDelete: options.beforeDelete } : {}),
        });
        return stack.poller;
      },
      async queueDepth(url = queues.queueUrl) {
        const out = await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: url,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
          }),
        );
        const a = out.Attributes ?? {};
        return (
          Number(a['ApproximateNumberOfMessages'] ?? 0) +
          Number(a['ApproximateNumberOfMessagesNotVisible'] ?? 0) +
          Number(a['ApproximateNumberOfMessagesDelayed'] ?? 0)
        );
      },
      async stop() {
        clearInterval(timer);
        await sweeping;
        await stack.poller?.stop();
        await bulk.stop();
        await http.close();
        db.destroy();
        settleDb.destroy();
        sqs.destroy();
        await Promise.allSettled(started.map((s) => s.stop()));
      },
    };
    if (options.poll ?? true) stack.startPolling();
    return stack;
  } catch (error) {
    await Promise.allSettled(started.map((s) => s.stop()));
    throw error;
  }
}

/** Waits until `done()` holds, polling; throws after `timeoutMs`. */
export async function waitFor(done: () => Promise<boolean>, timeoutMs = 120_000, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
