/**
 * Customer-managed KMS keys. Two keys so that a grant on one purpose never opens the other: the data
 * key protects claims and settlements (table, queues, backups); the operations key protects logs and
 * the alarm topic, which CloudWatch services must be able to use.
 */
import { Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { StageConfig } from './config.js';

export class Encryption extends Construct {
  /** Table, queues, backup vault. */
  readonly dataKey: Key;
  /** Log groups (function and API access logs) and the alarm topic. */
  readonly operationsKey: Key;

  constructor(scope: Construct, id: string, config: StageConfig) {
    super(scope, id);
    const stack = Stack.of(this);
    this.dataKey = new Key(this, 'DataKey', {
      alias: `alias/resident-claims-${config.stage}-data`,
      description: `Resident claims (${config.stage}): claims, settlements, registry, queues, backups`,
      enableKeyRotation: true,
      // A deleted key makes every backup and retained table unreadable: never schedule it in prod.
      removalPolicy: config.dataRemovalPolicy,
    });
    this.operationsKey = new Key(this, 'OperationsKey', {
      alias: `alias/resident-claims-${config.stage}-operations`,
      description: `Resident claims (${config.stage}): logs and alarm notifications`,
      enableKeyRotation: true,
      removalPolicy: config.dataRemovalPolicy,
    });
    // CloudWatch Logs encrypts with the key itself, only for this account's log groups in this region.
    this.operationsKey.addToResourcePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*` },
        },
      }),
    );
    // CloudWatch alarms publish to the encrypted topic, so CloudWatch must create data keys with it
    // (the two actions AWS documents for alarms on an SSE-KMS topic).
    this.operationsKey.addToResourcePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
      }),
    );
  }
}
