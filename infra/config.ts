/**
 * The two stages the stack is deployed as, chosen with `-c stage=dev|prod`. Everything that differs
 * between them is here, so a reviewer can compare dev and prod in one place.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/** What a stage decides: data protection, log retention, capacity. */
export interface StageConfig {
  readonly stage: Stage;
  /**
   * For stateful resources (table, keys, queues, log groups, backup vault). Production data is never
   * deleted by a stack update or `cdk destroy`: RETAIN leaves the resource behind.
   */
  readonly dataRemovalPolicy: RemovalPolicy;
  /** DynamoDB deletion protection: a table that cannot be deleted even by hand without turning it off first. */
  readonly tableDeletionProtection: boolean;
  /** Function and API access logs; prod keeps them long enough for an audit of a claim year. */
  readonly logRetention: RetentionDays;
  /** An AWS Backup plan for the table in addition to point-in-time recovery (prod only: dev holds test data). */
  readonly backupPlan: boolean;
  /** Stage-wide API throttle (all hospitals together), requests per second and burst. */
  readonly apiRateLimit: number;
  readonly apiBurstLimit: number;
  /** Per-hospital throttle of the usage plan each hospital's usage key belongs to, and a daily quota. */
  readonly hospitalRateLimit: number;
  readonly hospitalBurstLimit: number;
  readonly hospitalDailyQuota: number;
  /** Reserved concurrency of the intake and authorizer (bounds what a flood of requests can cost). */
  readonly intakeConcurrency: number;
  /** The settle event source's maximum concurrency; the function reserves exactly this much. */
  readonly settleConcurrency: number;
  /** How long the authorizer's answer for one API key is cached: a revoked key works at most this long. */
  readonly authorizerCacheTtl: Duration;
}

const COMMON = {
  authorizerCacheTtl: Duration.minutes(5),
} as const;

const CONFIGS: Record<Stage, StageConfig> = {
  dev: {
    ...COMMON,
    stage: 'dev',
    dataRemovalPolicy: RemovalPolicy.DESTROY,
    tableDeletionProtection: false,
    logRetention: RetentionDays.TWO_WEEKS,
    backupPlan: false,
    apiRateLimit: 50,
    apiBurstLimit: 100,
    hospitalRateLimit: 10,
    hospitalBurstLimit: 20,
    hospitalDailyQuota: 50_000,
    intakeConcurrency: 5,
    settleConcurrency: 2,
  },
  prod: {
    ...COMMON,
    stage: 'prod',
    dataRemovalPolicy: RemovalPolicy.RETAIN,
    tableDeletionProtection: true,
    logRetention: RetentionDays.ONE_YEAR,
    backupPlan: true,
    apiRateLimit: 500,
    apiBurstLimit: 1000,
    hospitalRateLimit: 50,
    hospitalBurstLimit: 100,
    hospitalDailyQuota: 500_000,
    intakeConcurrency: 100,
    settleConcurrency: 20,
  },
};

/**
 * The configuration of a stage named on the command line.
 * @throws RangeError for anything but `dev` or `prod`, so a typo never deploys with guessed settings.
 */
export function stageConfig(stage: unknown): StageConfig {
  if (typeof stage !== 'string' || !(STAGES as readonly string[]).includes(stage)) {
    throw new RangeError(`stage must be one of ${STAGES.join(', ')} (cdk … -c stage=dev), got ${JSON.stringify(stage)}`);
  }
  return CONFIGS[stage as Stage];
}
