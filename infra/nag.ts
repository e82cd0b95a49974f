/**
 * Every cdk-nag finding this stack does not fix, acknowledged on the narrowest construct with the
 * reason a security reviewer needs. docs/deployment.md lists the same table; a test checks that the
 * AwsSolutions and HIPAA Security packs report nothing else.
 */
import { Token, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { provinceRunAcknowledgements } from './province-run.js';
import type { ClaimsStack } from './stack.js';

/** One acknowledged rule on some constructs. */
export interface Acknowledgement {
  /** The finding id as cdk-nag reports it, e.g. `AwsSolutions-IAM5[Resource::*]`. */
  readonly rule: string;
  /** What it is acknowledged on, in words (for the docs table). */
  readonly resource: string;
  readonly reason: string;
  readonly constructs: readonly IConstruct[];
}

/** The acknowledgements of one stack (they depend on its stage: prod has a backup plan, dev does not). */
export function acknowledgements(stack: ClaimsStack): Acknowledgement[] {
  const functions = stack.functions.all;
  const roles = functions.map((fn) => fn.role);
  const list: Acknowledgement[] = [
    {
      rule: 'AwsSolutions-IAM5[Resource::*]',
      resource: 'each function role (authorizer, intake, settle)',
      reason:
        'Only the X-Ray statement (xray:PutTraceSegments, xray:PutTelemetryRecords) has Resource "*": these actions support no ' +
        'resource-level permissions. Every other statement names its table, index, queue, key or log group.',
      constructs: roles,
    },
    {
      rule: 'HIPAA.Security-IAMNoInlinePolicy',
      resource: 'each function role (authorizer, intake, settle)',
      reason:
        'Each role has exactly one inline policy, created and deleted with it and attachable to nothing else; a customer-managed ' +
        'policy per function would add a reusable artifact that could be attached to other principals, with the same statements.',
      constructs: roles,
    },
    {
      rule: 'HIPAA.Security-LambdaDLQ',
      resource: 'authorizer and intake functions',
      reason:
        'Invoked synchronously by API Gateway: a failure is returned to the HIS, which retries; there is no asynchronous event ' +
        'that a function dead-letter queue could keep.',
      constructs: [stack.functions.authorizer.function, stack.functions.intake.function],
    },
    {
      rule: 'HIPAA.Security-LambdaDLQ',
      resource: 'settle function',
      reason:
        'Invoked only by the SQS event source mapping, never asynchronously: a claim that fails every delivery goes to the claims ' +
        "queue's redrive dead-letter queue (encrypted, 14 days, alarmed by DeadLetters) with its failure reason stored in the table.",
      constructs: [stack.functions.settle.function],
    },
    {
      rule: 'HIPAA.Security-LambdaDLQ',
      resource: 'sweeper function',
      reason:
        'Invoked by its EventBridge schedule every 5 minutes and carries no data: a failed sweep moves no watermark, so the next ' +
        'scheduled one repeats its window; the claims it re-sends stay recorded in the table. Failures are alarmed by SweeperErrors.',
      constructs: [stack.functions.sweeper.function],
    },
    {
      rule: 'HIPAA.Security-LambdaInsideVPC',
      resource: 'all functions',
      reason:
        'The functions call only DynamoDB, SQS, KMS, CloudWatch Logs and X-Ray, over TLS with SigV4-signed, IAM-authorised ' +
        'requests; no resource of this stack is in a VPC. Access to the data is decided by IAM, the KMS key policies and the ' +
        'SSL-only queue policies; a VPC would add NAT or interface endpoints and ENI cold starts without narrowing it.',
      constructs: functions.map((fn) => fn.function),
    },
    {
      rule: 'AwsSolutions-COG4',
      resource: 'every API method',
      reason:
        'Callers are hospital HIS machines and bureau operators, not Cognito users. Every method has the Lambda REQUEST ' +
        'authorizer, which checks the x-api-key against the SHA-256 hashes in the registry (or, on the national gateway routes, the ' +
        'x-tif signature) and binds the request to one hospital (or operator) id; see docs/deployment.md, "How a HIS authenticates".',
      constructs: [stack.api.api],
    },
    {
      rule: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      resource: 'API Gateway account CloudWatch role',
      reason:
        'The account-level role API Gateway assumes to write the access and execution logs that APIG1/APIG6 require; the AWS ' +
        'managed policy is the one AWS maintains for this service role and grants CloudWatch Logs actions only.',
      constructs: [stack.api.api.node.findChild('CloudWatchRole')],
    },
    {
      rule: 'HIPAA.Security-APIGWCacheEnabledAndEncrypted',
      resource: 'API stage',
      reason:
        'Caching is off on purpose: responses are per-caller health data and a claim moves from queued to settled to reversed, ' +
        'so a cache would serve stale status. Nothing is cached, so nothing rests unencrypted in a cache.',
      constructs: [stack.api.api.deploymentStage],
    },
    {
      rule: 'HIPAA.Security-APIGWSSLEnabled',
      resource: 'API stage',
      reason:
        'The rule asks for the client certificate API Gateway presents to an HTTP backend. The only integration is Lambda proxy, ' +
        'invoked through the Lambda API with SigV4, where such a certificate is never used; clients reach the API over HTTPS only.',
      constructs: [stack.api.api.deploymentStage],
    },
  ];
  // The bulk upload (infra/bulk.ts). The suffix token is the one infra/names.ts puts in every kept name, as cdk-nag prints it.
  const suffixToken = JSON.stringify({ 'Fn::Select': [4, { 'Fn::Split': ['-', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }] }] });
  list.push(
    {
      rule: `AwsSolutions-IAM5[Resource::arn:${Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition}:s3:::${stack.bulk.bucketNamePrefix}${Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account}-${suffixToken}/uploads/*]`,
      resource: 'intake and bulk function roles',
      reason:
        'Object keys are made per upload (uploads/{hospitalId}/{date}/{uuid}.jsonl), so the statement names the upload prefix of ' +
        'the one bulk bucket: the intake may only PutObject there (its presigned URLs, each for a key the route chose under the ' +
        "caller's own prefix) and the bulk function may only GetObject there. Nothing else in any bucket.",
      constructs: [stack.functions.intake.role, stack.functions.bulk.role],
    },
    {
      rule: 'HIPAA.Security-S3BucketReplicationEnabled',
      resource: 'bulk upload bucket and its access-log bucket',
      reason:
        'Uploads are transient input, read within minutes and expired after 7 days; the claims they carry are kept in the table ' +
        '(point-in-time recovery, backups in prod). A replica in a second region would be a second copy of health data for no ' +
        'recovery need: a lost upload is sent again by the HIS, and reading it twice settles nothing twice.',
      constructs: [stack.bulk.bucket, stack.bulk.accessLogs],
    },
    {
      rule: 'HIPAA.Security-S3DefaultEncryptionKMS',
      resource: 'access-log bucket of the bulk upload bucket',
      reason:
        'S3 server access logging delivers only to a target bucket encrypted with SSE-S3 (AES-256), not SSE-KMS. The logs hold ' +
        'request metadata (keys, callers, times), no claim content; the bucket blocks public access, is SSL-only and versioned.',
      constructs: [stack.bulk.accessLogs],
    },
    {
      rule: 'HIPAA.Security-LambdaDLQ',
      resource: 'bulk function',
      reason:
        'Invoked asynchronously by the S3 notification: a failed reading is retried twice by Lambda, the Errors alarm fires, and ' +
        'the object itself stays in the bucket for 7 days, so it can be read again (harmless: each claim settles once). A ' +
        'dead-letter queue would keep only the event, which names the object and nothing more.',
      constructs: [stack.functions.bulk.function],
    },
  );
  const unreserved = stack.functions.all.filter((fn) => fn !== stack.functions.settle || stack.functions.settleReservedConcurrency === undefined);
  list.push({
    rule: 'HIPAA.Security-LambdaConcurrency',
    resource: unreserved.map((fn) => fn.node.id.toLowerCase()).join(', ') + ' function',
    reason:
      'No reserved concurrency: the API stage throttle and each hospital usage plan bound the intake and the authorizer, and the settle ' +
      "event source's maximum concurrency bounds settle. Reserving would take concurrency out of the account's unreserved pool and make " +
      'the stack fail to deploy on accounts with the default quota (docs/deployment.md, "Concurrency and quota").',
    constructs: unreserved.map((fn) => fn.function),
  });
  list.push(...provinceRunAcknowledgements(stack));
  if (stack.storage.backupPlan) {
    list.push({
      rule: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      resource: 'AWS Backup role of the table backup selection (prod only)',
      reason:
        'The role AWS Backup assumes to snapshot the table; AWS maintains this managed policy for exactly that service role, ' +
        'and the backup selection limits what it is used on to the claims table.',
      constructs: [stack.storage.backupPlan],
    });
  } else {
    list.push({
      rule: 'HIPAA.Security-DynamoDBInBackupPlan',
      resource: 'claims table (dev only)',
      reason:
        'Dev holds synthetic test data only and is deleted with the stack; point-in-time recovery is still on. Prod puts the ' +
        'table in an AWS Backup plan (monthly copies kept 13 months, yearly copies 10 years, both in cold storage after 35 days).',
      constructs: [stack.storage.table],
    });
  }
  return list;
}

/** Acknowledges every finding of `acknowledgements(stack)` on its constructs. */
export function acknowledgeFindings(stack: ClaimsStack): void {
  for (const ack of acknowledgements(stack)) {
    for (const construct of ack.constructs) Validations.of(construct).acknowledge({ id: ack.rule, reason: ack.reason });
  }
}
