/**
 * The province run (infra/province-run.ts, docs/scale.md): a Distributed Map over the member-partition
 * objects of a run in S3, one CodeBuild build per partition, then one merge; least privilege on the
 * bulk bucket's runs/ prefix.
 */
import { describe, expect, it } from 'vitest';
import { PROVINCE_RUN_CONCURRENCY, RUNS_PREFIX } from '../../infra/province-run.js';
import { built } from './fixture.js';

type Json = Record<string, any>;

/** The state machine's definition, its CloudFormation Fn::Join resolved with placeholders for the references. */
function definition(stage: 'dev' | 'prod'): Json {
  const { template } = built(stage);
  const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine')) as Json[];
  expect(machines).toHaveLength(1);
  const [, parts] = (machines[0] as Json)['Properties'].DefinitionString['Fn::Join'] as [string, unknown[]];
  const text = parts.map((part) => (typeof part === 'string' ? part : `<${JSON.stringify(part).replace(/"/g, "'")}>`)).join('');
  return JSON.parse(text) as Json;
}

/** The statements of the role whose logical id starts with `prefix`. */
function statements(prefix: string): Json[] {
  const { template } = built('dev');
  return Object.entries(template.findResources('AWS::IAM::Policy'))
    .filter(([id]) => id.startsWith(prefix))
    .flatMap(([, policy]) => (policy as Json)['Properties'].PolicyDocument.Statement as Json[]);
}

describe('province run', () => {
  it('a Distributed Map over the partition objects of the run (S3 ListObjectsV2), bounded concurrency, no failed partition tolerated, then the merge', () => {
    // Act
    const machine = definition('dev');
    const map = machine['States'].Partitions as Json;
    // Assess
    expect(machine['StartAt']).toBe('Partitions');
    expect(map['Type']).toBe('Map');
    expect(map['ItemProcessor'].ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    expect(map['ItemReader'].Resource).toMatch(/:states:::s3:listObjectsV2$/);
    expect(map['ItemReader'].Parameters['Bucket']).toMatch(/BulkUploads/);
    expect(map['ItemReader'].Parameters['Prefix.$']).toBe(`States.Format('${RUNS_PREFIX}{}/partitions/', $.runId)`);
    expect(map['MaxConcurrency']).toBe(PROVINCE_RUN_CONCURRENCY);
    // No tolerated failure (the default, 0): one failed partition fails the run.
    expect(map['ToleratedFailurePercentage']).toBeUndefined();
    expect(map['ToleratedFailureCount']).toBeUndefined();
    expect(map['ResultWriter'].Parameters['Prefix.$']).toBe(`States.Format('${RUNS_PREFIX}{}/map/', $.runId)`);
    expect(map['ItemSelector']).toEqual({ 'key.$': '$$.Map.Item.Value.Key', 'runId.$': '$.runId' });
    expect(map['Next']).toBe('Merge summaries');
    expect(machine['States']['Merge summaries'].End).toBe(true);
  });

  it('each partition is one CodeBuild build, run to completion (.sync), told its object and run; the merge is a build of the same project', () => {
    // Act
    const machine = definition('prod');
    const replay = (machine['States'].Partitions as Json)['ItemProcessor'].States['Replay partition'] as Json;
    const merge = machine['States']['Merge summaries'] as Json;
    // Assess
    expect(replay['Resource']).toMatch(/:states:::codebuild:startBuild\.sync$/);
    expect(replay['Parameters'].EnvironmentVariablesOverride).toEqual([
      { Name: 'RUN_ID', Type: 'PLAINTEXT', 'Value.$': '$.runId' },
      { Name: 'MODE', Type: 'PLAINTEXT', Value: 'replay' },
      { Name: 'PARTITION_KEY', Type: 'PLAINTEXT', 'Value.$': '$.key' },
    ]);
    expect(merge['Resource']).toBe(replay['Resource']);
    expect(merge['Parameters'].ProjectName).toBe(replay['Parameters'].ProjectName);
    expect(merge['Parameters'].EnvironmentVariablesOverride).toContainEqual({ Name: 'MODE', Type: 'PLAINTEXT', Value: 'merge' });
  });

  it('the build replays with claims replay --partition and merges with claims summary merge, in a managed container without privileges or a VPC', () => {
    // Prepare
    const { template } = built('prod');
    // Act
    const [project] = Object.values(template.findResources('AWS::CodeBuild::Project')) as Json[];
    const properties = (project as Json)['Properties'];
    const spec = String(properties.Source.BuildSpec);
    // Assess
    expect(properties.Source.Type).toBe('NO_SOURCE');
    expect(properties.Environment.PrivilegedMode).toBe(false);
    expect(properties.VpcConfig).toBeUndefined();
    expect(properties.EncryptionKey).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^EncryptionDataKey/), 'Arn'] });
    expect(spec).toContain('npx claims replay - --partition \\"$spec\\" --summary summary.json');
    expect(spec).toContain('npx claims summary merge summaries/*.json > province.json');
  });

  it('the build may read and write only under runs/ of the bulk bucket, and use the data key only through S3', () => {
    // Act
    const build = statements('ProvinceRunReplayRole');
    const s3 = build.filter((s) => JSON.stringify(s['Action']).includes('s3:'));
    const kms = build.filter((s) => JSON.stringify(s['Action']).includes('kms:'));
    // Assess
    expect(s3).toEqual([
      expect.objectContaining({ Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'], Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^BulkUploads/), 'Arn'] }, `/${RUNS_PREFIX}*`]] } }),
      expect.objectContaining({ Action: 's3:ListBucket', Condition: { StringLike: { 's3:prefix': [`${RUNS_PREFIX}*`] } } }),
    ]);
    expect(kms).toEqual([expect.objectContaining({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Condition: { StringEquals: { 'kms:ViaService': expect.anything() } } })]);
    expect(JSON.stringify(build)).not.toMatch(/"(s3|kms):[A-Za-z]*\*"/);
  });

  it('logs of builds and executions go to encrypted groups, kept as long as the stage keeps logs; tracing on', () => {
    // Prepare
    const { template } = built('prod');
    // Act
    const groups = Object.entries(template.findResources('AWS::Logs::LogGroup')).filter(([id]) => id.startsWith('ProvinceRun')) as [string, Json][];
    const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine')) as Json[];
    // Assess
    expect(groups).toHaveLength(2);
    for (const [, group] of groups) {
      expect(group['Properties'].KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^EncryptionOperationsKey/), 'Arn'] });
      expect(group['Properties'].RetentionInDays).toBe(365);
      expect(group['DeletionPolicy']).toBe('Retain');
    }
    expect((machine as Json)['Properties'].TracingConfiguration).toEqual({ Enabled: true });
    expect((machine as Json)['Properties'].LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
  });
});
