/**
 * AWS Control Tower's proactive controls (the cfn-guard rules that `@cdklabs/cdk-validator-cfnguard`
 * ships) over the synthesized template: every finding this stack does not fix, acknowledged on the
 * narrowest construct with the reason, as infra/nag.ts does for cdk-nag. A test runs the validator
 * on every stage and expects a clean report; docs/deployment.md lists the same table.
 */
import { Validations } from 'aws-cdk-lib';
import { CfnPermission } from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { provinceRunOf } from './province-run.js';
import type { ClaimsStack } from './stack.js';

/** The prefix under which the validator reports (and accepts acknowledgements of) its rules. */
export const GUARD_PLUGIN = 'cdk-validator-cfnguard';

export interface GuardAcknowledgement {
  /** The guard rule name, e.g. `lambda_inside_vpc_check` (the control id is in `control`). */
  readonly rule: string;
  /** The Control Tower control, e.g. `CT.LAMBDA.PR.3`. */
  readonly control: string;
  readonly reason: string;
  readonly constructs: readonly IConstruct[];
}

/** The acknowledged guard findings of one stack (dev keeps logs shorter than the controls ask). */
export function guardAcknowledgements(stack: ClaimsStack): GuardAcknowledgement[] {
  const functions = stack.functions.all.map((fn) => fn.function);
  const apiPermissions = stack.node.findAll().filter((c): c is CfnPermission => c instanceof CfnPermission && c.principal === 'apigateway.amazonaws.com');
  const s3Permissions = stack.node.findAll().filter((c): c is CfnPermission => c instanceof CfnPermission && c.principal === 's3.amazonaws.com');
  const list: GuardAcknowledgement[] = [
    {
      rule: 'lambda_inside_vpc_check',
      control: 'CT.LAMBDA.PR.3',
      reason:
        'The functions call only DynamoDB, SQS, KMS, CloudWatch Logs and X-Ray, over TLS with SigV4-signed, IAM-authorised requests; ' +
        'no resource of this stack is in a VPC. A VPC would add NAT or interface endpoints and ENI cold starts without narrowing access.',
      constructs: functions,
    },
    {
      rule: 'lambda_function_public_access_prohibited_check',
      control: 'CT.LAMBDA.PR.2',
      reason:
        "Each permission's principal is apigateway.amazonaws.com with SourceArn set to this API's own execute-api ARN (an Fn::Join of " +
        'the REST API id, stage, method and path, which the rule cannot resolve at synth time): only this API may invoke, nothing is public. ' +
        "The bulk function's one permission is for s3.amazonaws.com with SourceAccount this account and SourceArn the bulk bucket's ARN.",
      constructs: [...apiPermissions, ...s3Permissions],
    },
    {
      rule: 's3_bucket_object_lock_enabled_check',
      control: 'CT.S3.PR.9',
      reason:
        'Uploads are transient input that must expire after 7 days (and access logs after a year); Object Lock would forbid that ' +
        'expiry. The record of what was settled is the table, under point-in-time recovery and (prod) backups.',
      constructs: [stack.bulk.bucket, stack.bulk.accessLogs],
    },
    {
      rule: 's3_bucket_default_encryption_kms_check',
      control: 'CT.S3.PR.10',
      reason:
        'The access-log bucket: S3 server access logging delivers only to an SSE-S3 bucket. It holds request metadata, no claim content.',
      constructs: [stack.bulk.accessLogs],
    },
    {
      rule: 's3_bucket_logging_enabled_check',
      control: 'CT.S3.PR.2',
      reason: 'The access-log bucket itself: logging it into itself would log its own log deliveries without end; the upload bucket is logged.',
      constructs: [stack.bulk.accessLogs],
    },
    {
      rule: 's3_event_notifications_enabled_check',
      control: 'CT.S3.PR.4',
      reason: 'The access-log bucket: nothing acts on a delivered log; the upload bucket notifies the bulk function of every new upload.',
      constructs: [stack.bulk.accessLogs],
    },
  ];
  if (stack.storage.backupPlan === undefined) {
    list.push({
      rule: 'cloudwatch_log_group_retention_period_check',
      control: 'CT.CLOUDWATCH.PR.2',
      reason: 'Dev holds synthetic test data only and keeps its logs two weeks; prod keeps function, API, WAF and province-run logs one year.',
      constructs: [...stack.functions.all.map((fn) => fn.logGroup), stack.api.accessLogs, stack.api.wafLogs, ...provinceRunOf(stack).logGroups],
    });
  }
  return list;
}

/** Acknowledges every finding of `guardAcknowledgements(stack)` on its constructs. */
export function acknowledgeGuardFindings(stack: ClaimsStack): void {
  for (const ack of guardAcknowledgements(stack)) {
    for (const construct of ack.constructs) Validations.of(construct).acknowledge({ id: `${GUARD_PLUGIN}::${ack.rule}`, reason: ack.reason });
  }
}
