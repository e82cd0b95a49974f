/**
 * The stack, resource by resource: what the issue asks of queues, functions, table, API, permissions,
 * observability and stages. The template is built in process without bundling (see fixture.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ATTR, ORDER_INDEX } from '../../functions/storage/table.js';
import { concurrencyQuotaNeeded, stageConfig } from '../../infra/config.js';
import { MAX_RECEIVE_COUNT, SETTLE_TIMEOUT } from '../../infra/queues.js';
import { ROUTES } from '../../functions/intake/routes.js';
import { built } from './fixture.js';

type Json = Record<string, any>;

function onlyResource(template: ReturnType<typeof built>['template'], type: string, props: Json = {}): [string, Json] {
  const found = Object.entries(template.findResources(type, props === undefined ? undefined : { Properties: props }));
  expect(found, `${type} matching ${JSON.stringify(props)}`).toHaveLength(1);
  return found[0] as [string, Json];
}

/** The role policy statements of the function whose name ends in `-<name>`. */
function statementsOf(name: string, stage: 'dev' | 'prod' = 'dev'): Json[] {
  const { template } = built(stage);
  const [, fn] = onlyResource(template, 'AWS::Lambda::Function', { FunctionName: `resident-claims-${stage}-${name}` });
  const roleId = fn['Properties'].Role['Fn::GetAtt'][0] as string;
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy: Json) =>
    policy['Properties'].Roles.some((role: Json) => role['Ref'] === roleId),
  );
  return policies.flatMap((policy: Json) => policy['Properties'].PolicyDocument.Statement as Json[]);
}

const actionsOf = (statements: Json[]): string[] => statements.flatMap((s) => [s['Action']].flat() as string[]).sort();

describe('queues', () => {
  it('claims queue: FIFO, high throughput, deduplication by the intake, KMS, redrive to the dead-letter queue', () => {
    // Prepare
    const { template } = built('dev');
    // Act
    const [, queue] = onlyResource(template, 'AWS::SQS::Queue', { RedrivePolicy: Match.anyValue() });
    // Assess
    expect(queue['Properties']).toMatchObject({
      FifoQueue: true,
      ContentBasedDeduplication: false,
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
      KmsMasterKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^EncryptionDataKey/), 'Arn'] },
      RedrivePolicy: { maxReceiveCount: MAX_RECEIVE_COUNT, deadLetterTargetArn: { 'Fn::GetAtt': [expect.stringMatching(/^QueuesDeadLetter/), 'Arn'] } },
    });
  });

  it('visibility timeout is at least six times the settle timeout', () => {
    // Prepare
    const { template } = built('dev');
    const [, settle] = onlyResource(template, 'AWS::Lambda::Function', { FunctionName: 'resident-claims-dev-settle' });
    // Act
    const [, queue] = onlyResource(template, 'AWS::SQS::Queue', { RedrivePolicy: Match.anyValue() });
    // Assess
    expect(settle['Properties'].Timeout).toBe(SETTLE_TIMEOUT.toSeconds());
    expect(queue['Properties'].VisibilityTimeout).toBeGreaterThanOrEqual(6 * settle['Properties'].Timeout);
  });

  it('dead-letter queue: FIFO, KMS, kept 14 days', () => {
    // Prepare
    const { template } = built('dev');
    // Act
    const queues = Object.values(template.findResources('AWS::SQS::Queue')).filter((q: Json) => !q['Properties'].RedrivePolicy);
    // Assess
    expect(queues).toHaveLength(1);
    expect(queues[0]!['Properties']).toMatchObject({ FifoQueue: true, MessageRetentionPeriod: 14 * 24 * 3600, KmsMasterKeyId: expect.anything() });
  });

  it('both queues refuse requests without TLS', () => {
    // Prepare
    const { template } = built('dev');
    // Act
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
    // Assess
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      expect(policy['Properties'].PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });
});

describe('functions', () => {
  const names = ['authorizer', 'intake', 'settle'];

  it.each(names)('%s: nodejs24.x on arm64, source maps, JSON logs into its own encrypted log group named per stack instance, tracing', (name) => {
    // Prepare
    const { template } = built('dev');
    // Act
    const [, fn] = onlyResource(template, 'AWS::Lambda::Function', { FunctionName: `resident-claims-dev-${name}` });
    const logId = (fn['Properties'].LoggingConfig.LogGroup as { Ref: string }).Ref;
    const logs = template.toJSON()['Resources'][logId];
    // Assess
    expect(fn['Properties']).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogFormat: 'JSON' },
      Environment: { Variables: expect.objectContaining({ NODE_OPTIONS: '--enable-source-maps', TABLE_NAME: { Ref: expect.stringMatching(/^StorageTable/) } }) },
    });
    expect(logs['Properties']).toMatchObject({ RetentionInDays: 14, KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^EncryptionOperationsKey/), 'Arn'] } });
    expect(JSON.stringify(logs['Properties'].LogGroupName)).toContain(`/aws/lambda/resident-claims-dev-${name}-`);
    expect(JSON.stringify(logs['Properties'].LogGroupName)).toContain('AWS::StackId');
  });

  it('reserves concurrency only for prod settle, and docs/deployment.md states the quota each stage needs', () => {
    // Prepare
    const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'deployment.md'), 'utf8');
    for (const stage of ['dev', 'prod'] as const) {
      const { template } = built(stage);
      const config = stageConfig(stage);
      // Act
      const reserved = Object.values(template.findResources('AWS::Lambda::Function'))
        .map((fn: Json) => [fn['Properties'].FunctionName, fn['Properties'].ReservedConcurrentExecutions])
        .filter(([, value]) => value !== undefined);
      // Assess
      expect(reserved).toEqual(config.settleReservedConcurrency === null ? [] : [[`resident-claims-${stage}-settle`, config.settleReservedConcurrency]]);
      expect(doc).toContain(`| ${stage} | ${config.settleReservedConcurrency ?? 'none'} | ${concurrencyQuotaNeeded(config) || 'any'} |`);
    }
  });

  it('each function bundles the real handler file in functions/', () => {
    // Prepare
    const { stack } = built('dev');
    const root = join(import.meta.dirname, '..', '..');
    // Act
    const entries = stack.functions.all.map((fn) => relative(root, fn.entry));
    // Assess
    expect(entries).toEqual(['functions/authorizer/handler.ts', 'functions/intake/handler.ts', 'functions/settle/handler.ts', 'functions/sweeper/handler.ts', 'functions/bulk/handler.ts']);
    for (const entry of entries) expect(existsSync(join(root, entry))).toBe(true);
  });

  it('settle reads the queue with ReportBatchItemFailures, a bounded batch and maximum concurrency', () => {
    // Prepare
    const { template } = built('dev');
    const config = stageConfig('dev');
    // Act
    const [, mapping] = onlyResource(template, 'AWS::Lambda::EventSourceMapping');
    // Assess
    expect(mapping['Properties']).toMatchObject({
      FunctionName: { Ref: expect.stringMatching(/^FunctionsSettle/) },
      EventSourceArn: { 'Fn::GetAtt': [expect.stringMatching(/^QueuesClaims/), 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
      ScalingConfig: { MaximumConcurrency: config.settleConcurrency },
    });
  });

  it('settle gets MAX_RECEIVE_COUNT equal to the redrive policy and the metrics namespace', () => {
    // Prepare
    const { template } = built('dev');
    // Act
    const [, fn] = onlyResource(template, 'AWS::Lambda::Function', { FunctionName: 'resident-claims-dev-settle' });
    // Assess
    expect(fn['Properties'].Environment.Variables).toMatchObject({
      MAX_RECEIVE_COUNT: String(MAX_RECEIVE_COUNT),
      POWERTOOLS_METRICS_NAMESPACE: 'ResidentClaims',
      POWERTOOLS_SERVICE_NAME: 'claims-settle',
    });
  });

  it('intake gets the queue URL', () => {
    // Prepare
    const { template } = built('dev');
    // Act
    const [, fn] = onlyResource(template, 'AWS::Lambda::Function', { FunctionName: 'resident-claims-dev-intake' });
    // Assess
    expect(fn['Properties'].Environment.Variables.QUEUE_URL).toEqual({ Ref: expect.stringMatching(/^QueuesClaims/) });
  });
});

describe('least privilege', () => {
  it('no role has a managed policy: logs are writable only to the function’s own log group', () => {
    // Prepare
    const { template } = built('dev');
    // Act
    const roles = Object.values(template.findResources('AWS::IAM::Role')).filter((role: Json) =>
      JSON.stringify(role['Properties'].AssumeRolePolicyDocument).includes('lambda.amazonaws.com'),
    );
    // Assess
    expect(roles).toHaveLength(5);
    for (const role of roles) expect(role['Properties'].ManagedPolicyArns).toBeUndefined();
    for (const name of ['authorizer', 'intake', 'settle', 'sweeper', 'bulk']) {
      const logs = statementsOf(name).filter((s) => actionsOf([s]).includes('logs:PutLogEvents'));
      expect(logs).toEqual([expect.objectContaining({ Resource: { 'Fn::GetAtt': [expect.stringMatching(/Logs/), 'Arn'] } })]);
    }
  });

  it('only X-Ray has Resource "*"', () => {
    for (const name of ['authorizer', 'intake', 'settle', 'bulk']) {
      // Act
      const wildcard = statementsOf(name).filter((s) => JSON.stringify(s['Resource']) === '"*"');
      // Assess
      expect(actionsOf(wildcard)).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    }
  });

  it('no action wildcards anywhere, and no function may scan or delete', () => {
    for (const name of ['authorizer', 'intake', 'settle']) {
      // Act
      const actions = actionsOf(statementsOf(name));
      // Assess
      expect(actions.filter((a) => a.includes('*'))).toEqual([]);
      expect(actions.filter((a) => /^dynamodb:(Scan|DeleteItem|BatchWriteItem)$/.test(a))).toEqual([]);
    }
  });

  it('authorizer: GetItem on API key items and the signing secret only, PutItem on nonces only, and the data key', () => {
    // Act
    const statements = statementsOf('authorizer');
    // Assess
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: 'dynamodb:GetItem',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^StorageTable/), 'Arn'] },
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['K#*', 'KS#*'] } },
    });
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: 'dynamodb:PutItem',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^StorageTable/), 'Arn'] },
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['N#*'] } },
    });
    expect(actionsOf(statements).filter((a) => a.startsWith('dynamodb:') || a.startsWith('sqs:'))).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
  });

  it('intake: reads, the corrections\' writes, a query on the order index only, SendMessage on the claims queue', () => {
    // Act
    const statements = statementsOf('intake');
    // Assess
    expect(actionsOf(statements).filter((a) => a.startsWith('dynamodb:') || a.startsWith('sqs:'))).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
      'sqs:SendMessage',
    ]);
    const query = statements.find((s) => s['Action'] === 'dynamodb:Query');
    expect(JSON.stringify(query?.['Resource'])).toContain(`/index/${ORDER_INDEX.name}`);
    expect(statements.find((s) => s['Action'] === 'sqs:SendMessage')?.['Resource']).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^QueuesClaims/), 'Arn'],
    });
  });

  it('sweeper: run every 5 minutes by EventBridge; queries only the order index, reads and updates claims, keeps its watermark, sends to the claims queue', () => {
    // Prepare
    const { template } = built('dev');
    // Act
    const statements = statementsOf('sweeper');
    const [, rule] = onlyResource(template, 'AWS::Events::Rule');
    // Assess
    expect(rule['Properties'].ScheduleExpression).toBe('rate(5 minutes)');
    expect(actionsOf(statements).filter((a) => a.startsWith('dynamodb:') || a.startsWith('sqs:'))).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
      'sqs:SendMessage',
    ]);
    const query = statements.find((s) => s['Action'] === 'dynamodb:Query');
    expect(JSON.stringify(query?.['Resource'])).toContain(`/index/${ORDER_INDEX.name}`);
    for (const statement of statements.filter((s) => actionsOf([s]).some((a) => a !== 'dynamodb:Query' && a.startsWith('dynamodb:')))) {
      expect(statement['Condition']?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']).toBeDefined();
    }
  });

  it('settle: BatchGetItem, GetItem, PutItem and UpdateItem on the table, consume on the claims queue, nothing else', () => {
    // Act
    const statements = statementsOf('settle');
    // Assess
    expect(actionsOf(statements).filter((a) => a.startsWith('dynamodb:') || a.startsWith('sqs:'))).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
    ]);
  });

  it('KMS actions are on the data key only, never on the operations key', () => {
    for (const name of ['authorizer', 'intake', 'settle']) {
      // Act
      const kms = statementsOf(name).filter((s) => actionsOf([s]).some((a) => a.startsWith('kms:')));
      // Assess
      for (const statement of kms) expect(statement['Resource']).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^EncryptionDataKey/), 'Arn'] });
    }
  });

  it('each function uses the data key only through DynamoDB and SQS (kms:ViaService), the authorizer through DynamoDB only', () => {
    for (const [name, services] of [['authorizer', ['dynamodb']], ['intake', ['dynamodb', 'sqs']], ['settle', ['dynamodb', 'sqs']]] as const) {
      // Act
      const granted = statementsOf(name).filter((s) => actionsOf([s]).includes('kms:DescribeKey'));
      // Assess
      expect(granted, name).toHaveLength(1);
      const via = JSON.stringify(granted[0]!['Condition']['StringEquals']['kms:ViaService']);
      for (const service of ['dynamodb', 'sqs']) expect(via.includes(`${service}.`), `${name} ${service}`).toBe((services as readonly string[]).includes(service));
    }
  });
});

describe('table', () => {
  it('on demand, customer-managed KMS key, point-in-time recovery, the pipeline’s key and indexes', () => {
    // Prepare
    const { template } = built('dev');
    // Act
    const [, table] = onlyResource(template, 'AWS::DynamoDB::Table');
    // Assess
    expect(table['Properties']).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: ATTR.key, KeyType: 'HASH' }],
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^EncryptionDataKey/), 'Arn'] } },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    expect(table['Properties'].GlobalSecondaryIndexes).toEqual(
      [ORDER_INDEX].map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partition, KeyType: 'HASH' },
          { AttributeName: index.sort, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      })),
    );
  });

  it('matches the table the local stack creates (functions/storage/table.ts)', async () => {
    // Prepare
    const { tableDefinition } = await import('../../functions/storage/table.js');
    const local = tableDefinition('t');
    const { template } = built('dev');
    // Act
    const [, table] = onlyResource(template, 'AWS::DynamoDB::Table');
    // Assess
    expect(table['Properties'].KeySchema).toEqual(local.KeySchema);
    expect([...table['Properties'].AttributeDefinitions].sort((a: Json, b: Json) => a['AttributeName'].localeCompare(b['AttributeName']))).toEqual(
      [...(local.AttributeDefinitions ?? [])].sort((a, b) => String(a.AttributeName).localeCompare(String(b.AttributeName))),
    );
    expect(table['Properties'].GlobalSecondaryIndexes).toEqual(local.GlobalSecondaryIndexes);
  });

  it('dev: deleted with the stack; prod: deletion protection, retained, and in a backup plan', () => {
    // Prepare
    const dev = built('dev').template;
    const prod = built('prod').template;
    // Act
    const [, devTable] = onlyResource(dev, 'AWS::DynamoDB::Table');
    const [prodId, prodTable] = onlyResource(prod, 'AWS::DynamoDB::Table');
    // Assess
    expect(devTable['DeletionPolicy']).toBe('Delete');
    expect(devTable['Properties'].DeletionProtectionEnabled).toBe(false);
    expect(prodTable['DeletionPolicy']).toBe('Retain');
    expect(prodTable['UpdateReplacePolicy']).toBe('Retain');
    expect(prodTable['Properties'].DeletionProtectionEnabled).toBe(true);
    expect(dev.findResources('AWS::Backup::BackupPlan')).toEqual({});
    const [, selection] = onlyResource(prod, 'AWS::Backup::BackupSelection');
    expect(JSON.stringify(selection['Properties'].BackupSelection.Resources)).toContain(prodId);
  });
});

describe('deploy twice', () => {
  it.each(['dev', 'prod'] as const)('%s: every fixed physical name of a log group, vault or queue ends in the stack instance (AWS::StackId)', (stage) => {
    // Prepare
    const { template } = built(stage);
    const named: [string, string][] = [
      ['AWS::Logs::LogGroup', 'LogGroupName'],
      ['AWS::Backup::BackupVault', 'BackupVaultName'],
      ['AWS::SQS::Queue', 'QueueName'],
    ];
    for (const [type, property] of named) {
      for (const [id, resource] of Object.entries(template.findResources(type))) {
        // Act
        const name = resource['Properties'][property];
        // Assess: a name is either generated by CloudFormation (absent) or carries the stack id
        if (name !== undefined) expect(JSON.stringify(name), `${type} ${id}`).toContain('AWS::StackId');
      }
    }
  });

  it('prod backups: monthly and yearly, both moved to cold storage after 35 days, kept 400 days and 10 years', () => {
    // Prepare
    const { template } = built('prod');
    // Act
    const [, plan] = onlyResource(template, 'AWS::Backup::BackupPlan');
    const rules = (plan['Properties'].BackupPlan.BackupPlanRule as Json[]).map((r) => [r['RuleName'], r['Lifecycle']]);
    // Assess
    expect(rules).toEqual([
      ['Monthly', { MoveToColdStorageAfterDays: 35, DeleteAfterDays: 400 }],
      ['Yearly', { MoveToColdStorageAfterDays: 35, DeleteAfterDays: 3650 }],
    ]);
  });
});

describe('stages never delete production data', () => {
  it('every stateful resource of prod is retained', () => {
    // Prepare
    const { template } = built('prod');
    for (const type of ['AWS::DynamoDB::Table', 'AWS::SQS::Queue', 'AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::Backup::BackupVault']) {
      // Act
      const resources = Object.entries(template.findResources(type));
      // Assess
      expect(resources.length, type).toBeGreaterThan(0);
      for (const [id, resource] of resources) expect(resource['DeletionPolicy'], `${type} ${id}`).toBe('Retain');
    }
  });

  it('prod keeps logs a year and has termination protection; dev keeps two weeks', () => {
    // Prepare
    const prod = built('prod');
    const dev = built('dev');
    // Act
    const prodRetention = Object.values(prod.template.findResources('AWS::Logs::LogGroup')).map((g: Json) => g['Properties'].RetentionInDays);
    const devRetention = Object.values(dev.template.findResources('AWS::Logs::LogGroup')).map((g: Json) => g['Properties'].RetentionInDays);
    // Assess
    expect(new Set(prodRetention)).toEqual(new Set([365]));
    expect(new Set(devRetention)).toEqual(new Set([14]));
    expect(prod.stack.terminationProtection).toBe(true);
    expect(dev.stack.terminationProtection).toBe(false);
  });

  it('an unknown stage is refused', () => {
    // Act / Assess
    expect(() => stageConfig('staging')).toThrow(/stage must be one of dev, prod/);
  });
});

describe('keys', () => {
  it('two customer-managed keys, both rotated', () => {
    // Prepare
    const { template } = built('dev');
    // Act
    const keys = Object.values(template.findResources('AWS::KMS::Key'));
    // Assess
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(key['Properties'].EnableKeyRotation).toBe(true);
  });

  it('both keys deny CreateGrant unless the grant is for an AWS resource or by an AWS service', () => {
    // Prepare
    const { template } = built('prod');
    for (const key of Object.values(template.findResources('AWS::KMS::Key'))) {
      // Act
      const deny = (key['Properties'].KeyPolicy.Statement as Json[]).filter((s) => s['Effect'] === 'Deny');
      // Assess
      expect(deny).toEqual([
        expect.objectContaining({
          Action: 'kms:CreateGrant',
          Principal: { AWS: '*' },
          Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
        }),
      ]);
    }
  });

  it('CloudWatch may use the operations key only for this account and stage (aws:SourceAccount, aws:SourceArn); Logs only for its log groups', () => {
    // Prepare
    const { template } = built('prod');
    const statements = Object.values(template.findResources('AWS::KMS::Key')).flatMap((k) => k['Properties'].KeyPolicy.Statement as Json[]);
    // Act
    const cloudwatch = statements.find((s) => JSON.stringify(s['Principal']).includes('cloudwatch.amazonaws.com'))!;
    const logs = statements.find((s) => JSON.stringify(s['Principal']).includes('logs.'))!;
    // Assess
    expect(cloudwatch['Condition']['StringEquals']).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
    expect(JSON.stringify(cloudwatch['Condition']['ArnLike']['aws:SourceArn'])).toContain(':alarm:resident-claims-prod-*');
    const arns = JSON.stringify(logs['Condition']['ArnLike']['kms:EncryptionContext:aws:logs:arn']);
    for (const prefix of ['/aws/lambda/resident-claims-prod-', '/aws/apigateway/resident-claims-prod-', 'aws-waf-logs-resident-claims-prod-']) expect(arns).toContain(prefix);
    expect(arns).not.toContain('log-group:*');
  });
});

describe('API', () => {
  it('REST API, regional, usage keys from the authorizer', () => {
    // Prepare
    const { template } = built('dev');
    // Act
    const [, api] = onlyResource(template, 'AWS::ApiGateway::RestApi');
    // Assess
    expect(api['Properties']).toMatchObject({ ApiKeySourceType: 'AUTHORIZER', EndpointConfiguration: { Types: ['REGIONAL'] }, MinimumCompressionSize: 1024 });
  });

  it('a REQUEST authorizer on the x-api-key header, cached, and one for the national routes that caches nothing, both backed by the authorizer function', () => {
    // Prepare
    const { template } = built('dev');
    // Act
    const [, byKey] = onlyResource(template, 'AWS::ApiGateway::Authorizer', { Name: 'api-key' });
    const [, national] = onlyResource(template, 'AWS::ApiGateway::Authorizer', { Name: 'national-key-or-signature' });
    // Assess
    const uri = { 'Fn::Join': ['', expect.arrayContaining([{ 'Fn::GetAtt': [expect.stringMatching(/^FunctionsAuthorizer/), 'Arn'] }])] };
    expect(byKey['Properties']).toMatchObject({ Type: 'REQUEST', IdentitySource: 'method.request.header.x-api-key', AuthorizerResultTtlInSeconds: 300, AuthorizerUri: uri });
    // Uncached: a cached Allow would let a replayed signature in, and could serve one hospital's answer to another.
    expect(national['Properties']).toMatchObject({ Type: 'REQUEST', AuthorizerResultTtlInSeconds: 0, AuthorizerUri: uri });
    expect(national['Properties'].IdentitySource ?? '').toBe('');
    expect(Object.keys(template.findResources('AWS::ApiGateway::Authorizer'))).toHaveLength(2);
  });

  it('every method: custom authorizer, API key required (per-hospital usage plan), validated, Lambda proxy to intake', () => {
    // Prepare
    const { template } = built('dev');
    // Act
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method'));
    // Assess
    expect(methods.map((m: Json) => m['Properties'].HttpMethod).sort()).toEqual(ROUTES.map((r) => r.method).sort());
    for (const method of methods) {
      expect(method['Properties']).toMatchObject({
        AuthorizationType: 'CUSTOM',
        ApiKeyRequired: true,
        RequestValidatorId: { Ref: expect.stringMatching(/Validator/) },
        Integration: { Type: 'AWS_PROXY' },
      });
      expect(JSON.stringify(method['Properties'].Integration.Uri)).toMatch(/FunctionsIntake/);
    }
  });

  it('the national gateway’s two routes use the uncached REQUEST authorizer and do not require x-api-key; every other route uses the key authorizer and requires it', () => {
    // Prepare
    const { template } = built('dev');
    const authorizers = template.findResources('AWS::ApiGateway::Authorizer');
    const idOf = (name: string) => Object.entries(authorizers).find(([, a]: [string, Json]) => a['Properties'].Name === name)![0];
    const resources = template.findResources('AWS::ApiGateway::Resource');
    const pathOf = (ref: Json): string => {
      if (!ref?.Ref || !resources[ref.Ref]) return '';
      const resource = resources[ref.Ref] as Json;
      return `${pathOf(resource['Properties'].ParentId)}/${resource['Properties'].PathPart}`;
    };
    // Act
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method')).map((m: Json) => ({ path: pathOf(m['Properties'].ResourceId), properties: m['Properties'] }));
    // Assess
    const national = methods.filter((m) => m.path.startsWith('/fsi/'));
    expect(national.map((m) => m.path).sort()).toEqual(['/fsi/api/rsfComIfsService/callService', '/fsi/api/rsfComIfsService/callService/{infno}']);
    for (const method of methods) {
      const signed = method.path.startsWith('/fsi/');
      expect(method.properties.AuthorizerId, method.path).toEqual({ Ref: idOf(signed ? 'national-key-or-signature' : 'api-key') });
      expect(method.properties.RequestParameters?.['method.request.header.x-api-key'], method.path).toBe(signed ? undefined : true);
    }
  });

  it('POST /claims and a replacement validate the body against the claim model', () => {
    // Prepare
    const { template } = built('dev');
    // Act
    const [, model] = onlyResource(template, 'AWS::ApiGateway::Model');
    const [, validator] = onlyResource(template, 'AWS::ApiGateway::RequestValidator');
    // Assess
    expect(validator['Properties']).toMatchObject({ ValidateRequestBody: true, ValidateRequestParameters: true });
    expect(model['Properties'].Schema).toMatchObject({ type: 'object', required: ['claimId', 'member', 'hospital', 'visit', 'items'] });
    const posts = Object.values(template.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'POST' } }));
    const withModel = posts.filter((m: Json) => m['Properties'].RequestModels !== undefined);
    // The claim door and the replacement of a claim: both bodies are one claim of the contract.
    expect(withModel).toHaveLength(2);
    for (const method of withModel) expect(method['Properties'].RequestModels['application/json'].Ref).toMatch(/^ApiClaim/);
  });

  it('gateway errors answer in the intake’s error shape', () => {
    // Prepare
    const { template } = built('dev');
    // Act
    const responses = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse')).map((r: Json) => r['Properties']);
    // Assess
    const byType = Object.fromEntries(responses.map((r) => [r['ResponseType'], r]));
    expect(Object.keys(byType).sort()).toEqual(
      ['ACCESS_DENIED', 'BAD_REQUEST_BODY', 'INVALID_API_KEY', 'MISSING_AUTHENTICATION_TOKEN', 'QUOTA_EXCEEDED', 'REQUEST_TOO_LARGE', 'THROTTLED', 'UNAUTHORIZED'],
    );
    expect(byType['THROTTLED']).toMatchObject({ StatusCode: '429' });
    expect(byType['INVALID_API_KEY']).toMatchObject({ StatusCode: '403' });
    expect(byType['MISSING_AUTHENTICATION_TOKEN']).toMatchObject({ StatusCode: '404' });
    for (const response of responses) expect(response['ResponseTemplates']['application/json']).toMatch(/^\{"error":"[A-Z_]+","message":/);
  });

  it('usage plans throttle each hospital key, with a daily quota', () => {
    // Prepare
    const { template } = built('prod');
    const config = stageConfig('prod');
    // Act
    const [, plan] = onlyResource(template, 'AWS::ApiGateway::UsagePlan', { UsagePlanName: 'resident-claims-prod-hospitals' });
    // Assess
    expect(plan['Properties']).toMatchObject({
      Throttle: { RateLimit: config.hospitalRateLimit, BurstLimit: config.hospitalBurstLimit },
      Quota: { Limit: config.hospitalDailyQuota, Period: 'DAY' },
      ApiStages: [expect.objectContaining({ Stage: { Ref: expect.stringMatching(/DeploymentStage/) } })],
    });
  });

  it('stage: JSON access logs to an encrypted group, error execution logs without data trace, X-Ray, stage throttle', () => {
    // Prepare
    const { template } = built('dev');
    const config = stageConfig('dev');
    // Act
    const [, stage] = onlyResource(template, 'AWS::ApiGateway::Stage');
    // Assess
    expect(stage['Properties']).toMatchObject({
      StageName: 'dev',
      TracingEnabled: true,
      MethodSettings: [
        expect.objectContaining({
          DataTraceEnabled: false,
          LoggingLevel: 'ERROR',
          MetricsEnabled: true,
          ThrottlingRateLimit: config.apiRateLimit,
          ThrottlingBurstLimit: config.apiBurstLimit,
        }),
      ],
    });
    expect(JSON.stringify(stage['Properties'].AccessLogSetting.DestinationArn)).toMatch(/"ApiAccessLogs[0-9A-F]+"/);
    const format = JSON.parse(stage['Properties'].AccessLogSetting.Format) as Record<string, string>;
    expect(format).toMatchObject({ caller: '$context.authorizer.principalId', keyId: '$context.authorizer.keyId', status: '$context.status' });
    expect(JSON.stringify(format)).not.toMatch(/header|body|apiKey/i);
  });

  it('WAF web ACL on the stage with managed rules, a flood limit and logging without the API key', () => {
    // Prepare
    const { template } = built('dev');
    // Act
    const [, acl] = onlyResource(template, 'AWS::WAFv2::WebACL');
    const [, logging] = onlyResource(template, 'AWS::WAFv2::LoggingConfiguration');
    // Assess
    expect(acl['Properties'].Rules.map((r: Json) => r['Name'])).toEqual(['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'PerIpFlood']);
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { ResourceArn: Match.anyValue() });
    expect(logging['Properties'].RedactedFields).toEqual([{ SingleHeader: { Name: 'x-api-key' } }]);
    const common = acl['Properties'].Rules[0].Statement.ManagedRuleGroupStatement;
    expect(common.RuleActionOverrides.map((o: Json) => o['Name'])).toEqual(['SizeRestrictions_BODY', 'NoUserAgent_HEADER']);
    // Only what it blocks is logged: the two counted rules match most claims, and logging each would cost more than settling it.
    expect(logging['Properties'].LoggingFilter).toEqual({
      DefaultBehavior: 'DROP',
      Filters: [{ Behavior: 'KEEP', Requirement: 'MEETS_ANY', Conditions: [{ ActionCondition: { Action: 'BLOCK' } }] }],
    });
  });
});

describe('observability', () => {
  const alarmsOf = (stage: 'dev' | 'prod' = 'dev'): Json[] => Object.values(built(stage).template.findResources('AWS::CloudWatch::Alarm'));
  const alarmNamed = (suffix: string): Json => {
    const found = alarmsOf().filter((a) => a['Properties'].AlarmName === `resident-claims-dev-${suffix}`);
    expect(found, suffix).toHaveLength(1);
    return found[0]!['Properties'];
  };

  it('every dead letter alarms: the settle function counts each one per minute, not the queue depth that alarms only once', () => {
    // Act
    const alarm = alarmNamed('DeadLetters');
    // Assess
    expect(alarm).toMatchObject({
      MetricName: 'ClaimsDeadLettered',
      Namespace: 'ResidentClaims',
      Statistic: 'Sum',
      Period: 60,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('a dead letter left 7 days (half the queue retention) alarms by its age', () => {
    // Act
    const alarm = alarmNamed('DeadLetterAge');
    // Assess
    expect(alarm).toMatchObject({ MetricName: 'ApproximateAgeOfOldestMessage', Namespace: 'AWS/SQS', Threshold: 7 * 24 * 3600 });
    expect(JSON.stringify(alarm['Dimensions'])).toMatch(/QueuesDeadLetter/);
  });

  it.each([
    ['PoisonRecords', 'ResidentClaims', 'ClaimsPoison', 1],
    ['TransactionConflicts', 'ResidentClaims', 'TransactionConflicts', 5],
    ['ApiLatencyP99', 'AWS/ApiGateway', 'Latency', 1000],
    ['WafBlocks', 'AWS/WAFV2', 'BlockedRequests', 50],
  ])('%s watches %s %s at %d', (name, namespace, metric, threshold) => {
    // Act
    const alarm = alarmNamed(name);
    // Assess
    expect(alarm).toMatchObject({ Namespace: namespace, MetricName: metric, Threshold: threshold });
  });

  it('the 4xx share of API requests is watched, only once there is traffic', () => {
    // Act
    const alarm = alarmNamed('Api4xx');
    // Assess
    expect(alarm['Threshold']).toBe(0.2);
    expect(JSON.stringify(alarm['Metrics'])).toContain('IF(requests > 100, errors / requests, 0)');
  });

  it('age of the oldest claim in the queue', () => {
    // Act
    const alarm = alarmNamed('OldestClaim');
    // Assess
    expect(alarm).toMatchObject({ MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 300, EvaluationPeriods: 3 });
    expect(JSON.stringify(alarm['Dimensions'])).toMatch(/QueuesClaims/);
  });

  it.each(['Authorizer', 'Intake', 'Settle', 'Sweeper'])('%s errors and throttles', (name) => {
    // Act
    const errors = alarmNamed(`${name}Errors`);
    const throttles = alarmNamed(`${name}Throttles`);
    // Assess
    expect(errors).toMatchObject({ MetricName: 'Errors', Namespace: 'AWS/Lambda', Threshold: 1 });
    expect(throttles).toMatchObject({ MetricName: 'Throttles', Namespace: 'AWS/Lambda', Threshold: 1 });
  });

  it('DynamoDB read and write throttles', () => {
    // Act
    const alarm = alarmNamed('TableThrottles');
    // Assess
    const metrics = JSON.stringify(alarm['Metrics']);
    expect(metrics).toMatch(/ReadThrottleEvents/);
    expect(metrics).toMatch(/WriteThrottleEvents/);
  });

  it('every alarm notifies the encrypted, SSL-only topic on alarm and on recovery, and names its runbook', () => {
    // Prepare
    const { template } = built('dev');
    // Act
    const [topicId, topic] = onlyResource(template, 'AWS::SNS::Topic');
    // Assess
    expect(topic['Properties'].KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^EncryptionOperationsKey/), 'Arn'] });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    const alarms = alarmsOf();
    expect(alarms.length).toBe(20);
    for (const alarm of alarms) {
      expect(alarm['Properties'].AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm['Properties'].OKActions).toEqual([{ Ref: topicId }]);
      expect(alarm['Properties'].AlarmDescription).toMatch(/Runbook: docs\/deployment\.md#/);
    }
  });

  it('an alarm e-mail from context subscribes to the topic', () => {
    // Prepare
    const { template } = built('dev', { alarmEmail: 'oncall@example.org' });
    // Act / Assess
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.org' });
  });

  it('the dashboard shows the settle function’s Powertools metrics and the pipeline’s health', () => {
    // Prepare
    const { template } = built('dev');
    // Act
    const [, dashboard] = onlyResource(template, 'AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(dashboard['Properties'].DashboardBody);
    // Assess
    for (const metric of ['ClaimsSettled', 'ClaimsRejected', 'ClaimsRejectedByCode', 'ClaimsDuplicate', 'ClaimsPoison', 'PaidBasic', 'PaidCatastrophic', 'PaidAssistance', 'PaidCharity', 'ApproximateAgeOfOldestMessage', 'ConcurrentExecutions', 'ReadThrottleEvents', 'Latency']) {
      expect(body, metric).toContain(metric);
    }
    expect(body).toContain('ResidentClaims');
  });
});
