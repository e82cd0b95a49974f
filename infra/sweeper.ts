/**
 * The sweeper function and its schedule: every 5 minutes it queues again the claims accepted but
 * neither settled nor failed after 15 minutes (functions/sweeper/, docs/storage.md).
 */
import { Duration } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { SWEEP_WATERMARK_KEY } from '../functions/storage/accepted.js';
import { HOSPITAL_DIRECTORY_KEY, leadingKeyPattern } from '../functions/storage/keys.js';
import { ORDER_INDEX } from '../functions/storage/table.js';
import { SWEEP_EVERY_MS } from '../functions/sweeper/app.js';
import type { StageConfig } from './config.js';
import { KMS_WRITE } from './functions.js';
import { ClaimsFunction } from './handler-function.js';

/** The sweeper with only the permissions it uses, run by an EventBridge schedule. */
export function sweeperFunction(
  scope: Construct,
  props: { config: StageConfig; table: Table; claimsQueue: Queue; dataKey: IKey; logKey: IKey },
): ClaimsFunction {
  const { config, table, claimsQueue, dataKey, logKey } = props;
  const tableEnv = { TABLE_NAME: table.tableName };
  const sweeper = new ClaimsFunction(scope, 'Sweeper', {
    config,
    name: 'sweeper',
    description: 'Queues again claims accepted but neither settled nor failed after 15 minutes (EventBridge, every 5 minutes)',
    timeout: Duration.minutes(2),
    memorySize: 512,
    environment: { ...tableEnv, QUEUE_URL: claimsQueue.queueUrl },
    logKey,
  });
  // functions/sweeper/app.ts: a query on the order index, batch reads of accepted records, their
  // failure keys and totals with a pending correction, an update of a re-queued record, the
  // watermark's get and put; each on its keys only.
  sweeper.allowIndexQuery(table, ORDER_INDEX.name);
  const leadingKeys = (actions: string[], prefixes: string[]): PolicyStatement =>
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions,
      resources: [table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes } },
    });
  sweeper.role.addToPrincipalPolicy(leadingKeys(['dynamodb:BatchGetItem'], [leadingKeyPattern('settlement'), leadingKeyPattern('failure'), leadingKeyPattern('totals')]));
  sweeper.role.addToPrincipalPolicy(leadingKeys(['dynamodb:UpdateItem'], [leadingKeyPattern('settlement')]));
  // Its watermark, and the hospitals whose order it reads (the directory the registry load keeps).
  sweeper.role.addToPrincipalPolicy(leadingKeys(['dynamodb:GetItem'], [SWEEP_WATERMARK_KEY, HOSPITAL_DIRECTORY_KEY]));
  sweeper.role.addToPrincipalPolicy(leadingKeys(['dynamodb:PutItem'], [SWEEP_WATERMARK_KEY]));
  sweeper.role.addToPrincipalPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['sqs:SendMessage'], resources: [claimsQueue.queueArn] }));
  sweeper.allowKey(dataKey, KMS_WRITE);
  new Rule(scope, 'SweepSchedule', {
    description: 'Runs the sweeper: no accepted claim stays queued longer than 15 + 5 minutes without being queued again',
    schedule: Schedule.rate(Duration.millis(SWEEP_EVERY_MS)),
    targets: [new LambdaFunction(sweeper.function, { retryAttempts: 0 })],
  });
  return sweeper;
}
