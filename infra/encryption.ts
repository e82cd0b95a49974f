/**
 * Customer-managed KMS keys. Two keys so that a grant on one purpose never opens the other: the data
 * key protects claims and settlements (table, queues, backups); the operations key protects logs and
 * the alarm topic, which CloudWatch services must be able to use.
 */
import { Stack } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { StageConfig } from './config.js';
import { logGroupPrefixes } from './names.js';

/**
 * The regional CloudWatch Logs principal, `logs.<region>.<url suffix>`: CloudWatch Logs is one of the
 * few services whose principal is regional and, in the China partition, ends in amazonaws.com.cn
 * (the rule aws-cdk-lib's region-info applies to `logs`).
 */
export function logsServicePrincipal(stack: Stack): ServicePrincipal {
  return new ServicePrincipal(`logs.${stack.region}.${stack.urlSuffix}`);
}

/**
 * Grants may be created on a key only for an AWS resource (DynamoDB, SQS and Lambda create them for
 * the table, the queues and the functions) or by an AWS service: nobody can hand a key's use to an
 * arbitrary principal by a grant, which a key policy review would not see.
 */
function denyGrantsOutsideAwsServices(): PolicyStatement {
  return new PolicyStatement({
    sid: 'DenyCreateGrantExceptForAwsResources',
    effect: Effect.DENY,
    principals: [new AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  });
}

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
    for (const key of [this.dataKey, this.operationsKey]) key.addToResourcePolicy(denyGrantsOutsideAwsServices());
    // CloudWatch Logs encrypts with the key itself, only for this stage's log groups (function, API
    // access and WAF logs: infra/names.ts), in this account and region.
    const logGroupArn = (prefix: string): string => `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:${prefix}*`;
    this.operationsKey.addToResourcePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        principals: [logsServicePrincipal(stack)],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Object.values(logGroupPrefixes(config.stage)).map(logGroupArn) },
        },
      }),
    );
    // CloudWatch alarms publish to the encrypted topic, so CloudWatch must create data keys with it
    // (the two actions AWS documents for alarms on an SSE-KMS topic): only for this stage's alarms in
    // this account (the confused-deputy conditions AWS recommends).
    this.operationsKey.addToResourcePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:resident-claims-${config.stage}-*` },
        },
      }),
    );
  }
}
