/**
 * The province's year on many machines (docs/scale.md): a Step Functions state machine whose
 * Distributed Map runs one CodeBuild build per member partition, each replaying its partition with the
 * `claims` command of the deployed release, then one build that merges the partition summaries.
 *
 * In the bulk bucket, under `runs/`:
 * - `runs/release.zip`: the repository at the deployed commit (`git archive`), the code every build runs;
 * - `runs/{runId}/partitions/part-IIII-of-NNNN.jsonl`: the input split by member (`claims partition split`);
 * - written by the run: `runs/{runId}/settlements/…jsonl` and `runs/{runId}/summaries/…json` per
 *   partition, `runs/{runId}/map/` (the Map's results), `runs/{runId}/province.json` (the merged summary).
 *
 * The state machine is started with `{"runId": "…"}`. The Map's ItemReader lists the partition objects
 * (S3 ListObjectsV2), so N is whatever the split wrote; at most {@link PROVINCE_RUN_CONCURRENCY} builds
 * run at once, and one failed partition fails the run (a province's summary needs every partition).
 * CodeBuild needs no VPC: a build runs in its own managed container, reaches S3 over TLS with its role.
 */
import { type CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { BuildSpec, type CfnProject, ComputeType, LinuxArmBuildImage, Project } from 'aws-cdk-lib/aws-codebuild';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import {
  DefinitionBody,
  DistributedMap,
  IntegrationPattern,
  JsonPath,
  LogLevel,
  ResultWriterV2,
  S3ObjectsItemReader,
  StateMachine,
  StateMachineType,
} from 'aws-cdk-lib/aws-stepfunctions';
import { CodeBuildStartBuild } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Construct, IConstruct } from 'constructs';
import { Construct as BaseConstruct } from 'constructs';
import type { BulkUpload } from './bulk.js';
import type { StageConfig } from './config.js';
import { logGroupPrefixes, stackInstanceSuffix } from './names.js';

/** The prefix of the bulk bucket a province run reads and writes. */
export const RUNS_PREFIX = 'runs/';
/** Partition builds at once: below CodeBuild's default quota of 60 concurrent builds per account and region. */
export const PROVINCE_RUN_CONCURRENCY = 50;
/** The longest one partition's build may take (a partition of 1,000,000 claims replays in a few minutes). */
export const PARTITION_TIMEOUT = Duration.hours(2);

/**
 * The shell of a build, one script (CodeBuild runs each command of a phase on its own): MODE=replay
 * replays the partition object PARTITION_KEY, MODE=merge adds the summaries of RUN_ID. A replay's exit 2
 * (invalid lines, counted in the summary) and 3 (a partition with no line) still give a summary.
 */
const BUILD_SCRIPT = [
  'set -euo pipefail',
  'run="s3://$RUN_BUCKET/runs/$RUN_ID"',
  'if [ "$MODE" = replay ]; then',
  '  name=$(basename "$PARTITION_KEY" .jsonl)',
  // part-0003-of-0064 → 3/64, the spec claims replay --partition reads.
  "  spec=$(echo \"$name\" | sed -E 's/^part-0*([0-9]+)-of-0*([0-9]+)$/\\1\\/\\2/')",
  '  aws s3 cp "s3://$RUN_BUCKET/$PARTITION_KEY" - | { s=0; npx claims replay - --partition "$spec" --summary summary.json || s=$?; case $s in 0|2|3) ;; *) exit "$s" ;; esac; } | aws s3 cp - "$run/settlements/$name.jsonl"',
  '  aws s3 cp summary.json "$run/summaries/$name.json"',
  'else',
  '  aws s3 cp --recursive "$run/summaries/" summaries/',
  '  npx claims summary merge summaries/*.json > province.json',
  '  aws s3 cp province.json "$run/province.json"',
  'fi',
].join('\n');

export interface ProvinceRunProps {
  readonly config: StageConfig;
  /** The bulk upload bucket: the run lives under its `runs/` prefix, under the same data key. */
  readonly bulk: BulkUpload;
  readonly dataKey: IKey;
  /** Encrypts the build and state machine logs. */
  readonly logKey: IKey;
}

export class ProvinceRun extends BaseConstruct {
  readonly project: Project;
  readonly bucket: Bucket;
  readonly stateMachine: StateMachine;
  readonly buildLogs: LogGroup;
  readonly stateMachineLogs: LogGroup;

  constructor(scope: Construct, id: string, props: ProvinceRunProps) {
    super(scope, id);
    const { config, bulk, dataKey, logKey } = props;
    const stack = Stack.of(this);
    this.bucket = bulk.bucket;
    // Under the stage's vended-logs prefix, which the operations key lets CloudWatch Logs encrypt with (infra/encryption.ts).
    const logPrefix = `${logGroupPrefixes(config.stage).vended}province-run-`;
    const logGroup = (name: string, kind: string): LogGroup =>
      new LogGroup(this, name, {
        logGroupName: `${logPrefix}${kind}-${stackInstanceSuffix()}`,
        retention: config.logRetention,
        encryptionKey: logKey,
        removalPolicy: config.dataRemovalPolicy,
      });
    this.buildLogs = logGroup('BuildLogs', 'builds');
    this.stateMachineLogs = logGroup('StateMachineLogs', 'executions');

    this.project = new Project(this, 'Replay', {
      description: `resident-claims ${config.stage}: replays one member partition of a province run, or merges the summaries`,
      environment: { buildImage: LinuxArmBuildImage.AMAZON_LINUX_2023_STANDARD_3_0, computeType: ComputeType.LARGE, privileged: false },
      environmentVariables: { RUN_BUCKET: { value: bulk.bucketName } },
      buildSpec: BuildSpec.fromObject({
        version: '0.2',
        env: { shell: 'bash' },
        phases: {
          // The release is read like the run's objects (not as a CodeBuild source, whose grant covers the whole bucket).
          install: { commands: [`aws s3 cp "s3://$RUN_BUCKET/${RUNS_PREFIX}release.zip" . && unzip -q release.zip && npm ci --no-audit --no-fund`] },
          build: { commands: [BUILD_SCRIPT] },
        },
      }),
      timeout: PARTITION_TIMEOUT,
      logging: { cloudWatch: { logGroup: this.buildLogs } },
      grantReportGroupPermissions: false,
    });
    // The build writes nothing but S3 objects (under the bucket's key); the project's own key setting is
    // declared without CDK's grant, which would allow every encrypt and re-encrypt action on the key.
    (this.project.node.defaultChild as CfnProject).encryptionKey = dataKey.keyArn;
    this.grantRunObjects(bulk, dataKey);

    const partitions = new DistributedMap(this, 'Partitions', {
      comment: 'One CodeBuild build per member partition object of the run',
      itemReader: new S3ObjectsItemReader({ bucket: bulk.bucket, prefix: JsonPath.format(`${RUNS_PREFIX}{}/partitions/`, JsonPath.stringAt('$.runId')) }),
      itemSelector: { key: JsonPath.stringAt('$$.Map.Item.Value.Key'), runId: JsonPath.stringAt('$.runId') },
      maxConcurrency: PROVINCE_RUN_CONCURRENCY,
      toleratedFailurePercentage: 0,
      resultWriterV2: new ResultWriterV2({ bucket: bulk.bucket, prefix: JsonPath.format(`${RUNS_PREFIX}{}/map/`, JsonPath.stringAt('$.runId')) }),
      resultPath: JsonPath.DISCARD,
    });
    partitions.itemProcessor(this.build('Replay partition', { MODE: 'replay', PARTITION_KEY: '$.key' }));
    const merge = this.build('Merge summaries', { MODE: 'merge' });

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      // The regional principal: the name Step Functions has in every partition (states.cn-north-1.amazonaws.com in China).
      role: new Role(this, 'StateMachineRole', { assumedBy: new ServicePrincipal(`states.${stack.region}.amazonaws.com`) }),
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(partitions.next(merge)),
      tracingEnabled: true,
      // Executions carry a run id and object keys, never claim content: the default (AWS-owned) key encrypts them.
      logs: { destination: this.stateMachineLogs, level: LogLevel.ALL, includeExecutionData: false },
      timeout: Duration.hours(12),
    });
  }

  /** The run's log groups: builds and state machine. */
  get logGroups(): LogGroup[] {
    return [this.buildLogs, this.stateMachineLogs];
  }

  /** A build of the project, RUN_ID from the input and the given variables (a value starting `$.` is read from the input). */
  private build(name: string, variables: Record<string, string>): CodeBuildStartBuild {
    const value = (text: string) => ({ value: text.startsWith('$.') ? JsonPath.stringAt(text) : text });
    return new CodeBuildStartBuild(this, name, {
      project: this.project,
      integrationPattern: IntegrationPattern.RUN_JOB,
      environmentVariablesOverride: Object.fromEntries(Object.entries({ RUN_ID: '$.runId', ...variables }).map(([key, text]) => [key, value(text)])),
      resultPath: JsonPath.DISCARD,
    });
  }

  /** The builds read the release and the run's objects and write the run's outputs; nothing else of the bucket. */
  private grantRunObjects(bulk: BulkUpload, dataKey: IKey): void {
    const objects = bulk.bucket.arnForObjects(`${RUNS_PREFIX}*`);
    this.project.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'], resources: [objects] }));
    this.project.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bulk.bucket.bucketArn], conditions: { StringLike: { 's3:prefix': [`${RUNS_PREFIX}*`] } } }),
    );
    this.project.addToRolePolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [dataKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.${Stack.of(this).urlSuffix}` } },
      }),
    );
  }
}

/** The province run of a stack (declared by infra/stack.ts as `ProvinceRun`). */
export const provinceRunOf = (stack: Construct): ProvinceRun => stack.node.findChild('ProvinceRun') as ProvinceRun;

/** Its cdk-nag findings that are not fixed, each with its reason (infra/nag.ts adds them to the stack's list). */
export function provinceRunAcknowledgements(stack: Construct): { rule: string; resource: string; reason: string; constructs: IConstruct[] }[] {
  const run = provinceRunOf(stack);
  const buildPolicy = run.project.role?.node.tryFindChild('DefaultPolicy') as IConstruct;
  const machinePolicy = run.stateMachine.role.node.tryFindChild('DefaultPolicy') as IConstruct;
  const mapPolicy = run.stateMachine.node.findChild('DistributedMapPolicy');
  const buildLogs = `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/codebuild/<${Stack.of(run).getLogicalId(run.project.node.defaultChild as CfnProject)}>:*]`;
  const machine = Stack.of(run).getLogicalId(run.stateMachine.node.defaultChild as CfnResource);
  const executions = `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${machine}"}]}]}`;
  const bucket = Stack.of(run).getLogicalId(run.bucket.node.defaultChild as CfnResource);
  return [
    {
      rule: 'AwsSolutions-IAM5[Resource::*]',
      resource: 'province run state machine role',
      reason:
        'X-Ray (xray:PutTraceSegments and the sampling reads) and the CloudWatch Logs delivery actions Step Functions needs to log to its ' +
        'log group (logs:CreateLogDelivery and the like) support no resource-level permissions; every other statement names its resource.',
      constructs: [machinePolicy],
    },
    {
      rule: `AwsSolutions-IAM5[Resource::<${bucket}.Arn>/runs/*]`,
      resource: 'province run build role',
      reason:
        'A run is named when it is started (runs/{runId}/…): the builds read the release and the partition objects and write settlements ' +
        'and summaries under the runs/ prefix of the bulk bucket only, never under uploads/, and list only that prefix.',
      constructs: [buildPolicy],
    },
    {
      rule: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::<${bucket}>/*]`,
      resource: 'province run state machine role',
      reason:
        "The Distributed Map's ResultWriter writes its result files under runs/{runId}/map/, a prefix known only when a run starts; CDK " +
        "grants the writer's putObject and multipart actions on the bucket's objects. The role can read no object.",
      constructs: [machinePolicy],
    },
    {
      rule: buildLogs,
      resource: 'province run build role',
      reason:
        'CodeBuild writes a log stream per build, named when the build starts, into the log group of the project; the statement names ' +
        'that one log group (its streams, :*) and the build logs go to the encrypted group of the run.',
      constructs: [buildPolicy],
    },
    ...[`${executions}:*`, `${executions}/*:*`].map((arn) => ({
      rule: `AwsSolutions-IAM5[Resource::${arn}]`,
      resource: 'province run Distributed Map policy',
      reason:
        'The Distributed Map starts one child execution per partition, named by Step Functions when the map runs; the statement allows ' +
        'starting, describing and stopping executions of this state machine only.',
      constructs: [mapPolicy],
    })),
    {
      rule: 'HIPAA.Security-IAMNoInlinePolicy',
      resource: 'province run build and state machine roles',
      reason:
        'Each role has its inline policies, created and deleted with it and attachable to nothing else; a customer-managed policy would ' +
        'add a reusable artifact that could be attached to other principals, with the same statements.',
      constructs: [buildPolicy, machinePolicy, mapPolicy],
    },
    {
      rule: 'HIPAA.Security-CodeBuildProjectSourceRepoUrl',
      resource: 'province run build project',
      reason:
        'The rule asks GitHub and Bitbucket sources to authenticate by OAuth. The project has no source repository at all (NO_SOURCE): ' +
        'each build copies the release from the bulk bucket with its role.',
      constructs: [run.project],
    },
  ];
}

