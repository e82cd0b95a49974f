/**
 * The price model per million settled claims, as data and pure functions: prices (each with its
 * source and date), the measured inputs (write units, durations, log bytes), the assumptions (each
 * named), and the same model for the common alternative design that keeps a separate idempotency
 * record (Powertools idempotency) beside the settlement transaction.
 *
 * The prices are AWS's published us-east-1 list prices as known on the date given; this machine has
 * no network, so they are not fetched at run time. Check them before relying on the totals.
 *
 * size: the cost model's prices, assumptions and arithmetic side by side, so every figure of the report
 * is checked against its price and basis in one file.
 */

export interface Price {
  /** US dollars per one `unit`. */
  readonly usd: number;
  readonly unit: string;
  readonly source: string;
  /** When the price was published or last confirmed (ISO month or day). */
  readonly asOf: string;
}

const MILLION = 1_000_000;

/** us-east-1 list prices (first pricing tier, no free tier, no savings plan). */
export const PRICES = {
  lambdaArmGbSecond: {
    usd: 0.0000133334,
    unit: 'GB-second, Arm (first 7.5 billion GB-s a month)',
    source: 'https://aws.amazon.com/lambda/pricing/',
    asOf: '2025-01 (unchanged since Arm launched, 2021-09)',
  },
  lambdaRequest: { usd: 0.2 / MILLION, unit: 'request', source: 'https://aws.amazon.com/lambda/pricing/', asOf: '2025-01' },
  sqsFifoRequest: {
    usd: 0.5 / MILLION,
    unit: 'FIFO request (each 64 KB chunk of a payload is one request)',
    source: 'https://aws.amazon.com/sqs/pricing/',
    asOf: '2025-01',
  },
  dynamoWriteUnit: {
    usd: 0.625 / MILLION,
    unit: 'on-demand write request unit (Standard table class)',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    asOf: '2024-11-01 (the on-demand price reduction)',
  },
  dynamoReadUnit: {
    usd: 0.125 / MILLION,
    unit: 'on-demand read request unit (Standard table class)',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    asOf: '2024-11-01 (the on-demand price reduction)',
  },
  apiGatewayRest: {
    usd: 3.5 / MILLION,
    unit: 'REST API request (first 333 million a month)',
    source: 'https://aws.amazon.com/api-gateway/pricing/',
    asOf: '2025-01',
  },
  wafRequest: { usd: 0.6 / MILLION, unit: 'web ACL request inspected', source: 'https://aws.amazon.com/waf/pricing/', asOf: '2025-01' },
  logsIngestGb: {
    usd: 0.5,
    unit: 'GB of CloudWatch Logs ingested (Standard class)',
    source: 'https://aws.amazon.com/cloudwatch/pricing/',
    asOf: '2025-01',
  },
  xrayTrace: { usd: 5 / MILLION, unit: 'trace recorded', source: 'https://aws.amazon.com/xray/pricing/', asOf: '2025-01' },
  kmsRequest: { usd: 0.03 / 10_000, unit: 'KMS API request', source: 'https://aws.amazon.com/kms/pricing/', asOf: '2025-01' },
} as const satisfies Record<string, Price>;

export type Prices = { readonly [K in keyof typeof PRICES]: Price };

/** What the run measured. */
export interface Measured {
  /** Write units of one settled claim (settlement + totals in one transaction, two index entries). */
  readonly writeUnitsPerSettled: number;
  /** Wall time of one settle invocation of `recordsPerInvocation` records, ms (in-process against the local stack). */
  readonly settleMsPerInvocation: number;
  /** Wall time of one intake request (POST /claims), ms. */
  readonly intakeMsPerRequest: number;
  /** Log bytes per claim written by the settle handler (log lines + its share of the EMF metrics). */
  readonly settleLogBytesPerClaim: number;
  /** Log bytes per POST written by the intake handler. */
  readonly intakeLogBytesPerRequest: number;
  /** Bytes of one settlement's JSON with its trace (what an idempotency record stores as the result). */
  readonly settlementJsonBytes: number;
}

/** Every assumption of the model, named. */
export interface Assumptions {
  readonly settleMemoryMb: number;
  readonly intakeMemoryMb: number;
  /** Records per settle invocation (the event source's batch; 10 is the FIFO maximum, reached under load). */
  readonly recordsPerInvocation: number;
  /** Reads of the result per claim by the HIS (GET /claims/{h}/{c}); each is an API request and an intake invocation. */
  readonly resultReadsPerClaim: number;
  /** Consistent read units of the settle handler per claim: one BatchGetItem of settlement, member, hospital, totals (each < 4 KB). */
  readonly settleReadUnits: number;
  /** Read units of the intake per POST: the member check, an eventually consistent GetItem (0.5); the API key is cached. */
  readonly intakeReadUnits: number;
  /** Read units per result read: one consistent GetItem of the settlement. */
  readonly resultReadUnits: number;
  /** SQS requests per claim besides the batch's receive and delete: the intake's SendMessage (one claim < 64 KB). */
  readonly sqsSendsPerClaim: number;
  /** SQS requests per settle batch: one ReceiveMessage and one DeleteMessageBatch (the event source's). */
  readonly sqsRequestsPerBatch: number;
  /** API Gateway access log bytes per request (JSON line of request id, time, ip, caller, method, path, status, latency). */
  readonly accessLogBytesPerRequest: number;
  /** Log bytes per result read (the intake logs nothing at INFO for a GET that finds its settlement). */
  readonly resultReadLogBytes: number;
  /** X-Ray: the default sampling rule's 5% (its 1-a-second reservoir is a fixed cost, left out). */
  readonly xraySampledFraction: number;
  /** KMS requests per claim: SQS reuses data keys for 5 minutes and DynamoDB caches its table key, so none grows with claims. */
  readonly kmsRequestsPerClaim: number;
  /** The alternative's settle invocation takes this much longer (two more single-item writes per record). */
  readonly alternativeDurationFactor: number;
}

export const ASSUMPTIONS: Assumptions = {
  settleMemoryMb: 1024,
  intakeMemoryMb: 1024,
  recordsPerInvocation: 10,
  resultReadsPerClaim: 1,
  settleReadUnits: 4,
  intakeReadUnits: 0.5,
  resultReadUnits: 1,
  sqsSendsPerClaim: 1,
  sqsRequestsPerBatch: 2,
  accessLogBytesPerRequest: 350,
  resultReadLogBytes: 0,
  xraySampledFraction: 0.05,
  kmsRequestsPerClaim: 0,
  alternativeDurationFactor: 1.5,
};

export interface CostLine {
  readonly item: string;
  /** How the quantity per claim comes about. */
  readonly basis: string;
  /** Quantity per million settled claims, in the price's unit. */
  readonly quantity: number;
  readonly price: Price;
  /** US dollars per million settled claims. */
  readonly usd: number;
  /** Part of the API front door (API Gateway, WAF): shown with and without. */
  readonly api: boolean;
}

export interface CostModel {
  readonly design: string;
  readonly lines: readonly CostLine[];
  readonly totalUsd: number;
  readonly withoutApiUsd: number;
  readonly writeUnitsPerSettled: number;
  readonly writeUnitsPerDuplicate: number;
}

const line = (item: string, basis: string, quantityPerClaim: number, price: Price, api = false): CostLine => ({
  item,
  basis,
  quantity: quantityPerClaim * MILLION,
  price,
  usd: quantityPerClaim * MILLION * price.usd,
  api,
});

/** Write units of the alternative: the same transaction, plus Powertools' INPROGRESS put (1 KB) and its COMPLETED update holding the result. */
export function alternativeWriteUnits(measured: Measured): { perSettled: number; perDuplicate: number; recordBytes: number } {
  // Powertools' record: id (function name + '#' + a hash), expiration, in-progress expiry, status, data (the result JSON).
  const recordBytes = 'id'.length + 90 + 'expiration'.length + 6 + 'in_progress_expiration'.length + 8 + 'status'.length + 'COMPLETED'.length + 'data'.length + measured.settlementJsonBytes;
  const completedUpdate = Math.max(1, Math.ceil(recordBytes / 1024));
  return { perSettled: measured.writeUnitsPerSettled + 1 + completedUpdate, perDuplicate: 1, recordBytes };
}

/**
 * The model for one design. `design: 'this'` is the pipeline as built (the settlement item is the
 * idempotency record, a duplicate costs a read); `'powertools'` adds a separate idempotency record.
 */
export function costPerMillion(measured: Measured, design: 'this' | 'powertools', assumptions: Assumptions = ASSUMPTIONS, prices: Prices = PRICES): CostModel {
  const a = assumptions;
  const alternative = design === 'powertools';
  const writeUnits = alternative ? alternativeWriteUnits(measured).perSettled : measured.writeUnitsPerSettled;
  // The alternative reads member, hospital and totals (the idempotency record answers "already done?").
  const settleReads = alternative ? a.settleReadUnits - 1 : a.settleReadUnits;
  const settleMs = measured.settleMsPerInvocation * (alternative ? a.alternativeDurationFactor : 1);
  const invocationsPerClaim = 1 / a.recordsPerInvocation;
  const requestsPerClaim = 1 + a.resultReadsPerClaim;
  const gbSeconds =
    (settleMs / 1000) * (a.settleMemoryMb / 1024) * invocationsPerClaim + (measured.intakeMsPerRequest / 1000) * (a.intakeMemoryMb / 1024) * requestsPerClaim;
  const logBytes =
    measured.settleLogBytesPerClaim + measured.intakeLogBytesPerRequest + a.resultReadsPerClaim * a.resultReadLogBytes + requestsPerClaim * a.accessLogBytesPerRequest;
  const lines: CostLine[] = [
    line(
      'Lambda compute',
      `settle ${settleMs.toFixed(1)} ms × ${a.settleMemoryMb} MB per ${a.recordsPerInvocation} claims + intake ${measured.intakeMsPerRequest.toFixed(1)} ms × ${a.intakeMemoryMb} MB × ${requestsPerClaim} requests`,
      gbSeconds,
      prices.lambdaArmGbSecond,
    ),
    line('Lambda requests', `${invocationsPerClaim} settle + ${requestsPerClaim} intake invocations (authorizer answers cached 5 min per key)`, invocationsPerClaim + requestsPerClaim, prices.lambdaRequest),
    line(
      'SQS FIFO requests',
      `${a.sqsSendsPerClaim} SendMessage + ${a.sqsRequestsPerBatch} (receive, delete batch) per ${a.recordsPerInvocation} claims`,
      a.sqsSendsPerClaim + a.sqsRequestsPerBatch * invocationsPerClaim,
      prices.sqsFifoRequest,
    ),
    line(
      'DynamoDB writes',
      alternative
        ? `${measured.writeUnitsPerSettled} (transaction) + 1 (idempotency INPROGRESS put) + ${writeUnits - measured.writeUnitsPerSettled - 1} (COMPLETED update with the ${measured.settlementJsonBytes} B result)`
        : `${measured.writeUnitsPerSettled} per settled claim (measured item sizes)`,
      writeUnits,
      prices.dynamoWriteUnit,
    ),
    line(
      'DynamoDB reads',
      `${settleReads} (settle, consistent) + ${a.intakeReadUnits} (intake member check) + ${a.resultReadUnits * a.resultReadsPerClaim} (result read)`,
      settleReads + a.intakeReadUnits + a.resultReadUnits * a.resultReadsPerClaim,
      prices.dynamoReadUnit,
    ),
    line(
      'CloudWatch Logs',
      `${logBytes.toFixed(0)} B per claim: settle ${measured.settleLogBytesPerClaim.toFixed(0)} + intake ${measured.intakeLogBytesPerRequest.toFixed(0)} + ${requestsPerClaim} access log lines × ${a.accessLogBytesPerRequest}`,
      logBytes / 2 ** 30,
      prices.logsIngestGb,
    ),
    line(
      'X-Ray traces',
      `${(a.xraySampledFraction * 100).toFixed(0)}% of ${requestsPerClaim} API requests + ${invocationsPerClaim} settle invocations`,
      a.xraySampledFraction * (requestsPerClaim + invocationsPerClaim),
      prices.xrayTrace,
    ),
    line('KMS requests', 'data keys reused 5 min (SQS), table key cached (DynamoDB): a fixed cost, not per claim', a.kmsRequestsPerClaim, prices.kmsRequest),
    line('API Gateway REST', `${requestsPerClaim} requests (POST the claim, GET the result)`, requestsPerClaim, prices.apiGatewayRest, true),
    line('WAF', `${requestsPerClaim} requests inspected`, requestsPerClaim, prices.wafRequest, true),
  ];
  const totalUsd = lines.reduce((sum, l) => sum + l.usd, 0);
  const withoutApiUsd = lines.filter((l) => !l.api).reduce((sum, l) => sum + l.usd, 0);
  return {
    design: alternative ? 'separate idempotency record (Powertools idempotency + transaction)' : 'this pipeline (the settlement is the idempotency record)',
    lines,
    totalUsd,
    withoutApiUsd,
    writeUnitsPerSettled: writeUnits,
    writeUnitsPerDuplicate: alternative ? 1 : 0,
  };
}

/** Scale on paper: the inputs, and what a peak needs. */
export interface ScaleInputs {
  readonly claimsPerDay: number;
  /** Share of the day's claims in the peak window, and the window's length in hours. */
  readonly peakShare: number;
  readonly peakHours: number;
  /** Burst factor over the window's mean. */
  readonly burst: number;
  /** Measured: ms per settle invocation of `recordsPerInvocation` concurrent records (one record per group). */
  readonly settleMsPerInvocation: number;
  readonly recordsPerInvocation: number;
  readonly writeUnitsPerSettled: number;
  readonly readUnitsPerClaim: number;
  /** The stack's settle maximum concurrency and intake reserved concurrency (prod), the API stage throttle. */
  readonly settleConcurrency: number;
  readonly intakeConcurrency: number;
  readonly intakeMsPerRequest: number;
  readonly apiRateLimit: number;
}

export interface ScalePlan {
  readonly peakMeanPerSecond: number;
  readonly peakBurstPerSecond: number;
  /** Settle throughput at the configured concurrency with full batches, claims/s. */
  readonly settleCapacity: number;
  /** Concurrent settle invocations the burst needs. */
  readonly settleInvocationsNeeded: number;
  /** Message groups (members with a claim waiting) needed in flight at the burst. */
  readonly groupsNeeded: number;
  readonly writeUnitsPerSecond: number;
  readonly readUnitsPerSecond: number;
  /** Intake concurrency the burst needs (POST + result read). */
  readonly intakeConcurrencyNeeded: number;
  /** API requests per second at the burst (POST + result read). */
  readonly apiRequestsPerSecond: number;
}

/** Throughput with `groups` message groups active: each group settles one record at a time. */
export function throughputWithGroups(groups: number, s: Pick<ScaleInputs, 'settleMsPerInvocation' | 'recordsPerInvocation' | 'settleConcurrency'>): number {
  const inFlight = Math.min(groups, s.settleConcurrency * s.recordsPerInvocation);
  return inFlight / (s.settleMsPerInvocation / 1000);
}

export function scalePlan(s: ScaleInputs): ScalePlan {
  const peakMeanPerSecond = (s.claimsPerDay * s.peakShare) / (s.peakHours * 3600);
  const peakBurstPerSecond = peakMeanPerSecond * s.burst;
  const perInvocationSeconds = s.settleMsPerInvocation / 1000;
  return {
    peakMeanPerSecond,
    peakBurstPerSecond,
    settleCapacity: throughputWithGroups(Number.POSITIVE_INFINITY, s),
    settleInvocationsNeeded: Math.ceil((peakBurstPerSecond * perInvocationSeconds) / s.recordsPerInvocation),
    groupsNeeded: Math.ceil(peakBurstPerSecond * perInvocationSeconds),
    writeUnitsPerSecond: peakBurstPerSecond * s.writeUnitsPerSettled,
    readUnitsPerSecond: peakBurstPerSecond * s.readUnitsPerClaim,
    intakeConcurrencyNeeded: Math.ceil(2 * peakBurstPerSecond * (s.intakeMsPerRequest / 1000)),
    apiRequestsPerSecond: 2 * peakBurstPerSecond,
  };
}

/** us-east-1 list prices of keeping the data: the table's storage, point-in-time recovery and AWS Backup copies. */
export const STORAGE_PRICES = {
  dynamoStorageGbMonth: {
    usd: 0.25,
    unit: 'GB-month of DynamoDB table storage (Standard table class, after the first 25 GB; items and index entries, 100 B overhead each)',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    asOf: '2025-01',
  },
  dynamoPitrGbMonth: {
    usd: 0.2,
    unit: 'GB-month of point-in-time recovery (continuous backups, on the table size without global secondary indexes)',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    asOf: '2025-01',
  },
  backupWarmGbMonth: {
    usd: 0.1,
    unit: 'GB-month of an AWS Backup copy of a DynamoDB table, warm storage',
    source: 'https://aws.amazon.com/backup/pricing/',
    asOf: '2025-01',
  },
  backupColdGbMonth: {
    usd: 0.03,
    unit: 'GB-month of an AWS Backup copy of a DynamoDB table, cold storage (advanced DynamoDB backup; 90 days at least)',
    source: 'https://aws.amazon.com/backup/pricing/',
    asOf: '2025-01',
  },
} as const satisfies Record<string, Price>;

export type StoragePrices = { readonly [K in keyof typeof STORAGE_PRICES]: Price };

/** DynamoDB's storage overhead per item and per index entry. */
export const ITEM_OVERHEAD_BYTES = 100;

/** What one settled claim leaves in the table, from the run's measured item sizes. */
export interface StoredPerClaim {
  /** Bytes of the settlement item (measured, mean). */
  readonly settlementBytes: number;
  /** Bytes of a member-year's totals item (measured, mean). */
  readonly totalsBytes: number;
  /** Bytes of each keys-only index entry of a settlement (measured, mean), one per index. */
  readonly indexEntryBytes: readonly number[];
  /**
   * Settled claims per totals item (one per member and insurance year). 1 is the upper bound of the
   * storage: every claim its own member-year.
   */
  readonly claimsPerTotalsItem: number;
}

/** How long each copy is kept (the shape of `backups` in infra/config.ts), and the horizon priced. */
export interface KeptFor {
  /** Days the claim stays in the table (and so in PITR and in every copy taken meanwhile). */
  readonly horizonDays: number;
  readonly pitr: boolean;
  readonly backups: { readonly coldAfterDays: number; readonly monthlyDays: number; readonly yearlyDays: number } | null;
}

export interface StorageModel {
  readonly lines: readonly CostLine[];
  /** US dollars per million settled claims over the horizon. */
  readonly totalUsd: number;
  /** The same per year kept (the total ÷ the horizon in years). */
  readonly perYearUsd: number;
  readonly tableBytesPerClaim: number;
  readonly indexBytesPerClaim: number;
  readonly horizonYears: number;
}

const DAYS_PER_MONTH = 365.25 / 12;
const GB = 2 ** 30;

/**
 * Storage and backups of a million settled claims kept `horizonDays` in the table: the table's items
 * and index entries every month; point-in-time recovery on the table's size every month; every
 * monthly and yearly copy taken while the claims are in the table, each for its whole retention,
 * warm for `coldAfterDays` and cold for the rest. A DynamoDB backup is a full copy of the table (not
 * incremental), without the global secondary indexes.
 */
export function storageCostPerMillion(stored: StoredPerClaim, kept: KeptFor, prices: StoragePrices = STORAGE_PRICES): StorageModel {
  const tableBytesPerClaim = stored.settlementBytes + ITEM_OVERHEAD_BYTES + (stored.totalsBytes + ITEM_OVERHEAD_BYTES) / stored.claimsPerTotalsItem;
  const indexBytesPerClaim = stored.indexEntryBytes.reduce((sum, bytes) => sum + bytes + ITEM_OVERHEAD_BYTES, 0);
  const months = kept.horizonDays / DAYS_PER_MONTH;
  const tableGb = tableBytesPerClaim / GB;
  const years = kept.horizonDays / 365.25;
  const kb = (bytes: number): string => `${(bytes / 1000).toFixed(2)} KB`;
  const lines: CostLine[] = [
    line(
      'DynamoDB storage',
      `${kb(tableBytesPerClaim)} of items + ${kb(indexBytesPerClaim)} of index entries per claim × ${months.toFixed(0)} months`,
      ((tableBytesPerClaim + indexBytesPerClaim) / GB) * months,
      prices.dynamoStorageGbMonth,
    ),
  ];
  if (kept.pitr) lines.push(line('Point-in-time recovery', `${kb(tableBytesPerClaim)} per claim × ${months.toFixed(0)} months`, tableGb * months, prices.dynamoPitrGbMonth));
  if (kept.backups) {
    const { coldAfterDays, monthlyDays, yearlyDays } = kept.backups;
    const copies = (name: string, count: number, keptDays: number): void => {
      const warmDays = Math.min(coldAfterDays, keptDays);
      const coldDays = Math.max(0, keptDays - coldAfterDays);
      lines.push(
        line(`${name} copies, warm`, `${count.toFixed(0)} copies × ${warmDays} days warm × ${kb(tableBytesPerClaim)}`, tableGb * count * (warmDays / DAYS_PER_MONTH), prices.backupWarmGbMonth),
        line(`${name} copies, cold`, `${count.toFixed(0)} copies × ${coldDays} days cold × ${kb(tableBytesPerClaim)}`, tableGb * count * (coldDays / DAYS_PER_MONTH), prices.backupColdGbMonth),
      );
    };
    copies('Monthly', months, monthlyDays);
    copies('Yearly', years, yearlyDays);
  }
  const totalUsd = lines.reduce((sum, l) => sum + l.usd, 0);
  return { lines, totalUsd, perYearUsd: totalUsd / years, tableBytesPerClaim, indexBytesPerClaim, horizonYears: years };
}
