/**
 * One NodejsFunction per handler in `functions/`, bundled on this machine with the locally installed
 * esbuild (never Docker), each with its own role, log group and only the permissions it uses.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, ApplicationLogLevel, LoggingFormat, Runtime, SystemLogLevel, Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { type BundlingOptions, Charset, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StageConfig } from './config.js';
import { logGroupPrefixes, stackInstanceSuffix } from './names.js';
import { handlerEntry, projectRoot } from './paths.js';
import { MAX_RECEIVE_COUNT, SETTLE_TIMEOUT } from './queues.js';
import { intakeTableAccess } from '../functions/intake/routes.js';
import { type ItemKind, SETTLE_WRITES, leadingKeyPattern } from '../functions/storage/keys.js';
import { ACCEPTED_INDEX, MEMBER_YEAR_INDEX } from '../functions/storage/table.js';
import type { BulkUpload } from './bulk.js';
import { SWEEP_WATERMARK_KEY } from '../functions/storage/accepted.js';
import { SWEEP_EVERY_MS } from '../functions/sweeper/app.js';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';

/** The services through which a function may use a KMS key (`kms:ViaService`). */
export type KeyService = 'dynamodb' | 'sqs' | 's3';

/** CloudWatch namespace of the settle function's Powertools metrics (the dashboard reads it). */
export const METRICS_NAMESPACE = 'ResidentClaims';

/** How many records one settle invocation takes (FIFO event sources allow at most 10). */
export const SETTLE_BATCH_SIZE = 10;

/**
 * How every handler is bundled (exported so `npm run bench` builds its cold-start bundles with exactly
 * these options): ESM for nodejs24.x, minified, source maps without the sources, the AWS SDK included.
 */
export const HANDLER_BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node24',
  mainFields: ['module', 'main'],
  // Bundle everything, the AWS SDK included: no reliance on the SDK version the runtime happens to ship.
  externalModules: [],
  minify: true,
  // Source maps make stack traces point at the TypeScript; the sources themselves stay out of the bundle.
  sourceMap: true,
  sourcesContent: false,
  // The policy packs are Chinese text: UTF-8 instead of \u escapes keeps the bundle smaller.
  charset: Charset.UTF8,
  // Some bundled CommonJS dependencies call require(); ESM output needs it defined.
  banner: "import{createRequire}from'node:module';const require=createRequire(import.meta.url);",
};

/** The environment variable the stack gives every handler so stack traces go through the source maps. */
export const HANDLER_NODE_OPTIONS = '--enable-source-maps';

interface HandlerProps {
  readonly config: StageConfig;
  /** Folder under `functions/` whose `handler.ts` exports `handler`. */
  readonly name: string;
  readonly description: string;
  readonly timeout: Duration;
  readonly memorySize: number;
  /** Concurrency reserved for this function, or none (see `StageConfig.settleReservedConcurrency`). */
  readonly reservedConcurrency?: number;
  readonly environment: Record<string, string>;
  readonly logKey: IKey;
}

/**
 * A handler as deployed: ESM bundle for nodejs24.x on arm64 with source maps, the AWS SDK bundled (the
 * version we test is the version that runs, and one minified file loads faster than the runtime's SDK),
 * a role that starts empty, and an encrypted log group with the stage's retention.
 */
export class ClaimsFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  /** The TypeScript file bundled: `functions/<name>/handler.ts`. */
  readonly entry: string;

  constructor(scope: Construct, id: string, props: HandlerProps) {
    super(scope, id);
    const { config } = props;
    this.entry = handlerEntry(props.name);
    this.logGroup = new LogGroup(this, 'Logs', {
      // Kept on delete in prod, so the name carries the stack instance (infra/names.ts): a redeploy never collides.
      logGroupName: `${logGroupPrefixes(config.stage).lambda}${props.name}-${stackInstanceSuffix()}`,
      retention: config.logRetention,
      encryptionKey: props.logKey,
      removalPolicy: config.dataRemovalPolicy,
    });
    // No AWSLambdaBasicExecutionRole: it allows logs:CreateLogGroup and writing to every log group.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `resident-claims ${config.stage} ${props.name}: only what this handler uses`,
    });
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.function = new NodejsFunction(this, 'Function', {
      functionName: `resident-claims-${config.stage}-${props.name}`,
      description: props.description,
      entry: this.entry,
      handler: 'handler',
      projectRoot: projectRoot(),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      ...(props.reservedConcurrency === undefined ? {} : { reservedConcurrentExecutions: props.reservedConcurrency }),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      tracing: Tracing.ACTIVE,
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: `claims-${props.name}`,
        // Stack traces through the source maps: errors name the TypeScript file and line, not the minified bundle.
        NODE_OPTIONS: HANDLER_NODE_OPTIONS,
      },
      bundling: HANDLER_BUNDLING,
    });
  }

  /**
   * Allows DynamoDB `actions` on the table itself: reads by key on any item, writes (`PutItem`,
   * `UpdateItem`, also inside a transaction) only on items of the kinds in `writes`, by the prefix of
   * their partition key (`dynamodb:LeadingKeys`, functions/storage/keys.ts). So no function can write
   * an API key, a hospital or a member, whatever its code does.
   */
  allowTable(table: Table, actions: readonly string[], writes: readonly ItemKind[]): void {
    const reads = actions.filter((action) => !WRITE_ACTIONS.has(action));
    const writeActions = actions.filter((action) => WRITE_ACTIONS.has(action));
    if (reads.length > 0) this.role.addToPrincipalPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: reads, resources: [table.tableArn] }));
    if (writeActions.length === 0) return;
    if (writes.length === 0) throw new RangeError(`${this.node.path}: ${writeActions.join(', ')} granted without the item kinds it writes`);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: writeActions,
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...new Set(writes)].sort().map(leadingKeyPattern) } },
      }),
    );
  }

  /** Allows `dynamodb:Query` on one named index only (a query on the table itself is never needed). */
  allowIndexQuery(table: Table, indexName: string): void {
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['dynamodb:Query'], resources: [`${table.tableArn}/index/${indexName}`] }),
    );
  }

  /**
   * Allows KMS `actions` on one key, only through the services that hold data under it (the key's own
   * policy delegates to IAM in this account): the function can use the key for DynamoDB and SQS
   * requests, never call KMS directly to decrypt something else.
   */
  allowKey(key: IKey, actions: readonly string[], services: readonly KeyService[] = ['dynamodb', 'sqs']): void {
    const stack = Stack.of(this);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: [...actions],
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': services.map((service) => `${service}.${stack.region}.${stack.urlSuffix}`) } },
      }),
    );
  }
}

/** The DynamoDB item writes a role may be granted, always under a `dynamodb:LeadingKeys` condition. */
const WRITE_ACTIONS: ReadonlySet<string> = new Set(['dynamodb:PutItem', 'dynamodb:UpdateItem']);

/**
 * KMS actions on the data key. DynamoDB with a customer-managed key decrypts (and, for writes, encrypts)
 * the table key with the caller's permissions; an SQS producer makes data keys, a consumer decrypts them.
 */
export const KMS_READ = ['kms:Decrypt', 'kms:DescribeKey'] as const;
export const KMS_WRITE = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'] as const;

export interface FunctionsProps {
  readonly config: StageConfig;
  readonly table: Table;
  readonly claimsQueue: Queue;
  readonly dataKey: IKey;
  readonly logKey: IKey;
  /** The bulk upload bucket (infra/bulk.ts): the intake presigns PUTs to it, the bulk function reads it. */
  readonly uploads: BulkUpload;
}

/** The pipeline's handlers with their permissions and the settle function's event source. */
export class Functions extends Construct {
  readonly intake: ClaimsFunction;
  readonly settle: ClaimsFunction;
  readonly authorizer: ClaimsFunction;
  readonly bulk: ClaimsFunction;
  readonly sweeper: ClaimsFunction;
  readonly all: readonly ClaimsFunction[];
  /** The settle function's reserved concurrency, if the stage reserves any. */
  readonly settleReservedConcurrency: number | undefined;

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    const { config, table, claimsQueue, dataKey, logKey, uploads } = props;
    const uploadObjects = uploads.uploadObjectsArn();
    const tableEnv = { TABLE_NAME: table.tableName };
    this.settleReservedConcurrency = config.settleReservedConcurrency ?? undefined;

    this.authorizer = new ClaimsFunction(this, 'Authorizer', {
      config,
      name: 'authorizer',
      description: 'API Gateway REQUEST authorizer: x-api-key → hospital or operator id (hash lookup in the registry)',
      timeout: Duration.seconds(5),
      memorySize: 256,
      environment: tableEnv,
      logKey,
    });
    // Only API key items: the authorizer can read no claim, member or settlement.
    this.authorizer.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:GetItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [leadingKeyPattern('apiKey')] } },
      }),
    );
    this.authorizer.allowKey(dataKey, KMS_READ, ['dynamodb']);

    this.intake = new ClaimsFunction(this, 'Intake', {
      config,
      name: 'intake',
      description: 'Claims API: submit a claim to the queue, read a settlement, reverse one, a member year',
      timeout: Duration.seconds(10),
      memorySize: 1024,
      environment: { ...tableEnv, QUEUE_URL: claimsQueue.queueUrl, UPLOAD_BUCKET: uploads.bucketName },
      logKey,
    });
    // What the routes of the route table do (functions/intake/routes.ts, docs/deployment.md): the
    // union of their table actions and index queries, and SendMessage.
    const access = intakeTableAccess();
    this.intake.allowTable(table, access.actions, access.writes);
    for (const index of access.indexes) this.intake.allowIndexQuery(table, index);
    this.intake.role.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['sqs:SendMessage'], resources: [claimsQueue.queueArn] }),
    );
    this.intake.allowKey(dataKey, KMS_WRITE);
    if (access.signsUploads) {
      // A presigned PUT is made with the intake's credentials: it may put objects under uploads/ only
      // (the route chooses the hospital's own prefix), encrypted by the bucket's default SSE-KMS.
      this.intake.role.addToPrincipalPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['s3:PutObject'], resources: [uploadObjects] }));
      this.intake.allowKey(dataKey, ['kms:GenerateDataKey', 'kms:Decrypt'], ['s3']);
    }

    this.settle = new ClaimsFunction(this, 'Settle', {
      config,
      name: 'settle',
      description: 'Settles queued claims: registry, policy, engine, one conditional transaction per claim',
      timeout: SETTLE_TIMEOUT,
      memorySize: 1024,
      ...(config.settleReservedConcurrency === null ? {} : { reservedConcurrency: config.settleReservedConcurrency }),
      environment: {
        ...tableEnv,
        MAX_RECEIVE_COUNT: String(MAX_RECEIVE_COUNT),
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      },
      logKey,
    });
    // functions/lib/settler.ts: one consistent BatchGetItem (settlement, member, hospital, totals), GetItem
    // (totals again after a version conflict), UpdateItem (the settlement over the claim's accepted
    // record), PutItem (the totals, failure reasons). No query, no delete; its writes only on the item
    // kinds it owns (SETTLE_WRITES).
    this.settle.allowTable(table, ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], SETTLE_WRITES);
    this.settle.allowKey(dataKey, KMS_WRITE);
    // The event source grants receive/delete/visibility on this queue and kms:Decrypt on its key.
    this.settle.function.addEventSource(
      new SqsEventSource(claimsQueue, {
        batchSize: SETTLE_BATCH_SIZE,
        reportBatchItemFailures: true,
        maxConcurrency: config.settleConcurrency,
      }),
    );

    this.sweeper = new ClaimsFunction(this, 'Sweeper', {
      config,
      name: 'sweeper',
      description: 'Queues again claims accepted but neither settled nor failed after 15 minutes (EventBridge, every 5 minutes)',
      timeout: Duration.minutes(2),
      memorySize: 512,
      environment: { ...tableEnv, QUEUE_URL: claimsQueue.queueUrl },
      logKey,
    });
    // functions/sweeper/app.ts: a query on the acceptance index, batch reads of accepted records and
    // their failure keys, an update of a re-queued record, the watermark's get and put; each on its keys only.
    this.sweeper.allowIndexQuery(table, ACCEPTED_INDEX.name);
    const leadingKeys = (actions: string[], prefixes: string[]): PolicyStatement =>
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions,
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes } },
      });
    this.sweeper.role.addToPrincipalPolicy(leadingKeys(['dynamodb:BatchGetItem'], [leadingKeyPattern('settlement'), leadingKeyPattern('failure')]));
    this.sweeper.role.addToPrincipalPolicy(leadingKeys(['dynamodb:UpdateItem'], [leadingKeyPattern('settlement')]));
    this.sweeper.role.addToPrincipalPolicy(leadingKeys(['dynamodb:GetItem', 'dynamodb:PutItem'], [SWEEP_WATERMARK_KEY]));
    this.sweeper.role.addToPrincipalPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['sqs:SendMessage'], resources: [claimsQueue.queueArn] }));
    this.sweeper.allowKey(dataKey, KMS_WRITE);
    new Rule(this, 'SweepSchedule', {
      description: 'Runs the sweeper: no accepted claim stays queued longer than 15 + 5 minutes without being queued again',
      schedule: Schedule.rate(Duration.millis(SWEEP_EVERY_MS)),
      targets: [new LambdaFunction(this.sweeper.function, { retryAttempts: 0 })],
    });

    this.bulk = new ClaimsFunction(this, 'Bulk', {
      config,
      name: 'bulk',
      description: 'Bulk upload: reads an uploaded JSON Lines file of claims, admits each line as the uploading hospital’s, sends them on',
      timeout: Duration.minutes(5),
      memorySize: 1024,
      environment: { ...tableEnv, QUEUE_URL: claimsQueue.queueUrl },
      logKey,
    });
    // functions/bulk/app.ts: the registry's member (GetItem), accepted records and refused lines' failures (PutItem on C# and F# keys only),
    // the object (GetObject under uploads/), SendMessageBatch (sqs:SendMessage).
    this.bulk.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:GetItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [leadingKeyPattern('member')] } },
      }),
    );
    this.bulk.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:PutItem'],
        resources: [table.tableArn],
        // A refused line's failure; an admitted line's accepted record (under its claim's settlement key).
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [leadingKeyPattern('failure'), leadingKeyPattern('settlement')] } },
      }),
    );
    this.bulk.role.addToPrincipalPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['s3:GetObject'], resources: [uploadObjects] }));
    this.bulk.role.addToPrincipalPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['sqs:SendMessage'], resources: [claimsQueue.queueArn] }));
    this.bulk.allowKey(dataKey, KMS_WRITE);
    this.bulk.allowKey(dataKey, KMS_READ, ['s3']);
    uploads.notify(this.bulk.function);

    this.all = [this.authorizer, this.intake, this.settle, this.sweeper, this.bulk];
  }
}
