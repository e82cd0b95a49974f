/**
 * The two stages the stack is deployed as, chosen with `-c stage=dev|prod`. Everything that differs
 * between them is here, so a reviewer can compare dev and prod in one place.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/**
 * How long copies of the table are kept, sized to what each is for. Point-in-time recovery (always
 * on) restores any second of the last 35 days: the recovery from a bad deploy or a wrong bulk
 * correction. The table itself keeps every settlement for as long as it exists; backups are not the
 * archive, they are the way back from a loss found late. A monthly copy, moved to cold storage once
 * PITR covers its month, is kept until the insurance year it closes has been through the annual
 * settlement (年度清算) and its audit; the January copy of each year, which holds the closed year, is
 * kept for `yearlyDays`.
 */
export interface BackupRetention {
  /** Days a monthly copy stays warm before it moves to cold storage (PITR covers the first 35 days anyway). */
  readonly coldAfterDays: number;
  /** Days a monthly copy is kept in all (cold storage keeps a copy at least 90 days). */
  readonly monthlyDays: number;
  /** Days the yearly (January) copy is kept. */
  readonly yearlyDays: number;
}

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
  /**
   * The table's AWS Backup copies beyond point-in-time recovery, or null for none (dev holds test
   * data). See `BackupRetention` and docs/deployment.md, "Backups".
   */
  readonly backups: BackupRetention | null;
  /** Stage-wide API throttle (all hospitals together), requests per second and burst. */
  readonly apiRateLimit: number;
  readonly apiBurstLimit: number;
  /** Per-hospital throttle of the usage plan each hospital's usage key belongs to, and a daily quota. */
  readonly hospitalRateLimit: number;
  readonly hospitalBurstLimit: number;
  readonly hospitalDailyQuota: number;
  /**
   * The settle event source's maximum concurrency: how many settle invocations run at once, and so
   * how hard the pipeline can write the table. Enforced by the event source mapping, which needs no
   * reserved concurrency of the account.
   */
  readonly settleConcurrency: number;
  /**
   * Concurrency reserved for the settle function, or null for none. Reserving guarantees settle its
   * share when other functions of the account are busy, and takes that much out of the account's
   * unreserved pool (which Lambda keeps at 100 at least): a stage deploys only where the account's
   * concurrency quota is at least `concurrencyQuotaNeeded(config)`. The intake and the authorizer
   * reserve nothing: API Gateway's stage and usage-plan throttles already bound them.
   */
  readonly settleReservedConcurrency: number | null;
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
    backups: null,
    apiRateLimit: 50,
    apiBurstLimit: 100,
    hospitalRateLimit: 10,
    hospitalBurstLimit: 20,
    hospitalDailyQuota: 50_000,
    settleConcurrency: 2,
    // New accounts start with a quota of 10: dev reserves nothing, so it deploys on any account.
    settleReservedConcurrency: null,
  },
  prod: {
    ...COMMON,
    stage: 'prod',
    dataRemovalPolicy: RemovalPolicy.RETAIN,
    tableDeletionProtection: true,
    logRetention: RetentionDays.ONE_YEAR,
    // 13 months of monthly copies: a whole insurance year plus the month its annual settlement closes.
    backups: { coldAfterDays: 35, monthlyDays: 400, yearlyDays: 10 * 365 },
    apiRateLimit: 500,
    apiBurstLimit: 1000,
    hospitalRateLimit: 50,
    hospitalBurstLimit: 100,
    hospitalDailyQuota: 500_000,
    settleConcurrency: 20,
    settleReservedConcurrency: 20,
  },
};

/** Lambda keeps at least this much of an account's concurrency unreserved. */
export const LAMBDA_UNRESERVED_MINIMUM = 100;

/**
 * The account concurrency quota a stage needs: what it reserves plus the pool Lambda keeps
 * unreserved. docs/deployment.md states it per stage (a test checks the figures agree).
 */
export function concurrencyQuotaNeeded(config: StageConfig): number {
  return config.settleReservedConcurrency === null ? 0 : config.settleReservedConcurrency + LAMBDA_UNRESERVED_MINIMUM;
}

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
