/**
 * The whole pipeline as one stack: keys, table, queues, functions, API, alarms and dashboard.
 */
import { CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ClaimsApi } from './api.js';
import type { StageConfig } from './config.js';
import { Encryption } from './encryption.js';
import { Functions } from './functions.js';
import { BulkUpload } from './bulk.js';
import { acknowledgeGuardFindings } from './guard.js';
import { acknowledgeFindings } from './nag.js';
import { Observability } from './observability.js';
import { ProvinceRun } from './province-run.js';
import { Queues } from './queues.js';
import { Storage } from './storage.js';
import { sampleApiTraces } from './tracing.js';

export interface ClaimsStackProps extends StackProps {
  readonly config: StageConfig;
  readonly alarmEmail?: string;
  /** Acknowledge the cdk-nag findings of infra/nag.ts (default true; false only to test that each is still needed). */
  readonly acknowledgeNagFindings?: boolean;
}

export class ClaimsStack extends Stack {
  readonly encryption: Encryption;
  readonly storage: Storage;
  readonly queues: Queues;
  readonly functions: Functions;
  readonly bulk: BulkUpload;
  readonly api: ClaimsApi;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: ClaimsStackProps) {
    super(scope, id, props);
    const { config } = props;
    Tags.of(this).add('project', 'resident-claims');
    Tags.of(this).add('stage', config.stage);
    // Health data: lets account-wide policies (backup, Config) find every resource that holds it.
    Tags.of(this).add('data-classification', 'health');

    this.encryption = new Encryption(this, 'Encryption', config);
    this.storage = new Storage(this, 'Storage', { config, key: this.encryption.dataKey });
    this.queues = new Queues(this, 'Queues', { config, key: this.encryption.dataKey });
    this.bulk = new BulkUpload(this, 'Bulk', { config, key: this.encryption.dataKey });
    this.functions = new Functions(this, 'Functions', {
      uploads: this.bulk,
      config,
      table: this.storage.table,
      claimsQueue: this.queues.claims,
      dataKey: this.encryption.dataKey,
      logKey: this.encryption.operationsKey,
    });
    new ProvinceRun(this, 'ProvinceRun', { config, bulk: this.bulk, dataKey: this.encryption.dataKey, logKey: this.encryption.operationsKey });
    this.api = new ClaimsApi(this, 'Api', {
      config,
      intake: this.functions.intake.function,
      authorizer: this.functions.authorizer.function,
      logKey: this.encryption.operationsKey,
    });
    // Traces at a low fixed rate (infra/tracing.ts), not X-Ray's default 5% and one a second.
    sampleApiTraces(this, this.api.api, config);
    this.observability = new Observability(this, 'Observability', {
      config,
      table: this.storage.table,
      claimsQueue: this.queues.claims,
      deadLetterQueue: this.queues.deadLetter,
      functions: this.functions.all,
      settle: this.functions.settle,
      api: this.api.api,
      webAclName: this.api.webAclName,
      topicKey: this.encryption.operationsKey,
      ...(props.alarmEmail ? { alarmEmail: props.alarmEmail } : {}),
    });
    if (props.acknowledgeNagFindings ?? true) {
      acknowledgeFindings(this);
      acknowledgeGuardFindings(this);
    }

    new CfnOutput(this, 'ApiUrl', { value: this.api.api.url, description: 'Base URL of the claims API (stage included)' });
    new CfnOutput(this, 'TableName', { value: this.storage.table.tableName, description: 'TABLE_NAME for `claims registry load`' });
    new CfnOutput(this, 'FieldKeyArn', { value: this.encryption.dataKey.keyArn, description: 'FIELD_KEY_ARN (--kms-key) for `claims registry load`: encrypts members\' names and ID numbers' });
    new CfnOutput(this, 'HospitalUsagePlanId', { value: this.api.hospitalPlan.usagePlanId, description: 'Usage plan every hospital key joins' });
    new CfnOutput(this, 'OperatorUsagePlanId', { value: this.api.operatorPlan.usagePlanId, description: 'Usage plan of operator keys' });
    new CfnOutput(this, 'UploadBucketName', { value: this.bulk.bucketName, description: 'Bucket of the bulk uploads (presigned by POST /hospitals/{id}/uploads)' });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.queues.deadLetter.queueUrl });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.observability.topic.topicArn });
  }
}
