/**
 * One Lambda function of the pipeline as the stack declares it: a NodejsFunction bundled on this machine
 * with the locally installed esbuild (never Docker), with its own role, its own encrypted log group,
 * X-Ray and JSON logs, and only the permissions its handler uses.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, ApplicationLogLevel, LoggingFormat, Runtime, SystemLogLevel, Tracing } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, Charset, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { StageConfig } from './config.js';
import { logGroupPrefixes, stackInstanceSuffix } from './names.js';
import { handlerEntry, projectRoot } from './paths.js';
import { policyBookDefine } from '../functions/lib/policy-book.js';
import { type ItemKind, leadingKeyPattern } from '../functions/storage/keys.js';

/** The DynamoDB item writes a role may be granted, always under a `dynamodb:LeadingKeys` condition. */
const WRITE_ACTIONS: ReadonlySet<string> = new Set(['dynamodb:PutItem', 'dynamodb:UpdateItem']);

/** The services through which a function may use a KMS key (`kms:ViaService`). */
export type KeyService = 'dynamodb' | 'sqs' | 's3';

/** CloudWatch namespace of the settle function's Powertools metrics (the dashboard reads it). */
export const METRICS_NAMESPACE = 'ResidentClaims';

/** How many records one settle invocation takes (FIFO event sources allow at most 10). */
export const SETTLE_BATCH_SIZE = 10;

/**
 * How every handler is bundled (exported so `npm run bench` builds its cold-start bundles with exactly
 * these options): ESM for nodejs24.x, minified, source maps without the sources, the AWS SDK included.
 */
export const HANDLER_BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node24',
  mainFields: ['module', 'main'],
  // Bundle everything, the AWS SDK included: no reliance on the SDK version the runtime happens to ship.
  externalModules: [],
  minify: true,
  // Source maps make stack traces point at the TypeScript; the sources themselves stay out of the bundle.
  sourceMap: true,
  sourcesContent: false,
  // The policy packs are Chinese text: UTF-8 instead of \u escapes keeps the bundle smaller.
  charset: Charset.UTF8,
  // Some bundled CommonJS dependencies call require(); ESM output needs it defined.
  banner: "import{createRequire}from'node:module';const require=createRequire(import.meta.url);",
};

/** The environment variable the stack gives every handler so stack traces go through the source maps. */
export const HANDLER_NODE_OPTIONS = '--enable-source-maps';

interface HandlerProps {
  readonly config: StageConfig;
  /** Folder under `functions/` whose `handler.ts` exports `handler`. */
  readonly name: string;
  readonly description: string;
  readonly timeout: Duration;
  readonly memorySize: number;
  /** Concurrency reserved for this function, or none (see `StageConfig.settleReservedConcurrency`). */
  readonly reservedConcurrency?: number;
  readonly environment: Record<string, string>;
  readonly logKey: IKey;
}

/**
 * A handler as deployed: ESM bundle for nodejs24.x on arm64 with source maps, the AWS SDK bundled (the
 * version we test is the version that runs, and one minified file loads faster than the runtime's SDK),
 * a role that starts empty, and an encrypted log group with the stage's retention.
 */
export class ClaimsFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  /** The TypeScript file bundled: `functions/<name>/handler.ts`. */
  readonly entry: string;

  constructor(scope: Construct, id: string, props: HandlerProps) {
    super(scope, id);
    const { config } = props;
    this.entry = handlerEntry(props.name);
    this.logGroup = new LogGroup(this, 'Logs', {
      // Kept on delete in prod, so the name carries the stack instance (infra/names.ts): a redeploy never collides.
      logGroupName: `${logGroupPrefixes(config.stage).lambda}${props.name}-${stackInstanceSuffix()}`,
      retention: config.logRetention,
      encryptionKey: props.logKey,
      removalPolicy: config.dataRemovalPolicy,
    });
    // No AWSLambdaBasicExecutionRole: it allows logs:CreateLogGroup and writing to every log group.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `resident-claims ${config.stage} ${props.name}: only what this handler uses`,
    });
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.function = new NodejsFunction(this, 'Function', {
      functionName: `resident-claims-${config.stage}-${props.name}`,
      description: props.description,
      entry: this.entry,
      handler: 'handler',
      projectRoot: projectRoot(),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      ...(props.reservedConcurrency === undefined ? {} : { reservedConcurrentExecutions: props.reservedConcurrency }),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      tracing: Tracing.ACTIVE,
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: `claims-${props.name}`,
        // Stack traces through the source maps: errors name the TypeScript file and line, not the minified bundle.
        NODE_OPTIONS: HANDLER_NODE_OPTIONS,
      },
      // The built-in policy book, validated now and embedded: a handler's cold start skips the validation.
      bundling: { ...HANDLER_BUNDLING, define: { ...HANDLER_BUNDLING.define, ...policyBookDefine() } },
    });
  }

  /**
   * Allows DynamoDB `actions` on the table itself: reads by key on any item, writes (`PutItem`,
   * `UpdateItem`, also inside a transaction) only on items of the kinds in `writes`, by the prefix of
   * their partition key (`dynamodb:LeadingKeys`, functions/storage/keys.ts). So no function can write
   * an API key, a hospital or a member, whatever its code does.
   */
  allowTable(table: Table, actions: readonly string[], writes: readonly ItemKind[]): void {
    const reads = actions.filter((action) => !WRITE_ACTIONS.has(action));
    const writeActions = actions.filter((action) => WRITE_ACTIONS.has(action));
    if (reads.length > 0) this.role.addToPrincipalPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: reads, resources: [table.tableArn] }));
    if (writeActions.length === 0) return;
    if (writes.length === 0) throw new RangeError(`${this.node.path}: ${writeActions.join(', ')} granted without the item kinds it writes`);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: writeActions,
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...new Set(writes)].sort().map(leadingKeyPattern) } },
      }),
    );
  }

  /** Allows `dynamodb:Query` on one named index only (a query on the table itself is never needed). */
  allowIndexQuery(table: Table, indexName: string): void {
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['dynamodb:Query'], resources: [`${table.tableArn}/index/${indexName}`] }),
    );
  }

  /**
   * Allows KMS `actions` on one key, only through the services that hold data under it (the key's own
   * policy delegates to IAM in this account): the function can use the key for DynamoDB and SQS
   * requests, never call KMS directly to decrypt something else.
   */
  allowKey(key: IKey, actions: readonly string[], services: readonly KeyService[] = ['dynamodb', 'sqs']): void {
    const stack = Stack.of(this);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: [...actions],
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': services.map((service) => `${service}.${stack.region}.${stack.urlSuffix}`) } },
      }),
    );
  }
}
