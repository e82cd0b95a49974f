/**
 * One NodejsFunction per handler in `functions/`, bundled on this machine with the locally installed
 * esbuild (never Docker), each with its own role, log group and only the permissions it uses.
 * Every role's grants are here (the sweeper's in sweeper.ts), so a reviewer reads each role's
 * permissions (table actions, item kinds, indexes, queues, keys) in one place beside the others.
 */
import { Duration } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StageConfig } from './config.js';
import { MAX_RECEIVE_COUNT, SETTLE_TIMEOUT } from './queues.js';
import { intakeTableAccess } from '../functions/intake/routes.js';
import { FIELD_PURPOSE } from '../functions/storage/field-crypto.js';
import { SETTLE_WRITES, leadingKeyPattern } from '../functions/storage/keys.js';
import { ClaimsFunction, METRICS_NAMESPACE, SETTLE_BATCH_SIZE } from './handler-function.js';
import { sweeperFunction } from './sweeper.js';
import type { BulkUpload } from './bulk.js';

// The handler construct and its settings live in handler-function.ts; their importers read them here too.
export { type KeyService, METRICS_NAMESPACE, SETTLE_BATCH_SIZE, HANDLER_BUNDLING, HANDLER_NODE_OPTIONS, ClaimsFunction } from './handler-function.js';

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
      description: 'API Gateway REQUEST authorizer: x-api-key → hospital or operator id (hash lookup); x-tif signature → hospital on the national routes',
      timeout: Duration.seconds(5),
      memorySize: 256,
      environment: tableEnv,
      logKey,
    });
    // Only API key items and the national signing secret: the authorizer can read no claim, member or settlement.
    this.authorizer.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:GetItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [leadingKeyPattern('apiKey'), leadingKeyPattern('signingSecret')] } },
      }),
    );
    // A signed national request's nonce, recorded once (a conditional put, functions/storage/keys-store.ts).
    this.authorizer.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:PutItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [leadingKeyPattern('nonce')] } },
      }),
    );
    this.authorizer.allowKey(dataKey, KMS_WRITE, ['dynamodb']);

    this.intake = new ClaimsFunction(this, 'Intake', {
      config,
      name: 'intake',
      description: 'Claims API: submit a claim to the queue, read a settlement, reverse one, a member year',
      timeout: Duration.seconds(10),
      memorySize: 1024,
      environment: { ...tableEnv, QUEUE_URL: claimsQueue.queueUrl, UPLOAD_BUCKET: uploads.bucketName, FIELD_KEY_ARN: dataKey.keyArn },
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
    // Members' names and ID numbers are Encryption SDK messages under the data key (functions/storage/
    // field-crypto.ts). The slip and the national interface show them masked, so the intake alone may
    // decrypt, and only messages of that purpose; the settle path never reads them. The registry is
    // loaded by an operator (`claims registry load`), whose role needs kms:GenerateDataKey under the
    // same condition (docs/deployment.md).
    this.intake.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['kms:Decrypt'],
        resources: [dataKey.keyArn],
        conditions: { StringEquals: { 'kms:EncryptionContext:purpose': FIELD_PURPOSE } },
      }),
    );
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

    this.sweeper = sweeperFunction(this, { config, table, claimsQueue, dataKey, logKey });

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
    // The queue's consumer grant (and any later one) is a kms:Decrypt on the whole data key; this deny
    // keeps the personal fields out of every function but the intake whatever the other grants say.
    for (const fn of this.all) {
      if (fn === this.intake) continue;
      fn.role.addToPrincipalPolicy(
        new PolicyStatement({
          effect: Effect.DENY,
          actions: ['kms:Decrypt'],
          resources: [dataKey.keyArn],
          conditions: { StringEquals: { 'kms:EncryptionContext:purpose': FIELD_PURPOSE } },
        }),
      );
    }
  }
}
