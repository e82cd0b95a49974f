/**
 * The price model per million settled claims, as data and pure functions: prices (each with its
 * source and date), the measured inputs (write units, durations, log bytes, message sizes), the
 * assumptions (each named), for the two doors a hospital can use — the single-claim door (`POST
 * /claims`, then `GET /claims/{h}/{c}` for the result) and the batch door (`POST /claims:batch` of
 * up to 500 claims, then the settlement feed at 100 settlements a page) — on on-demand and on
 * provisioned DynamoDB capacity; and the common alternative design that keeps a separate idempotency
 * record (Powertools idempotency) beside the settlement transaction. Keeping the claims (storage,
 * point-in-time recovery, backups over the configured retention) is priced apart, below.
 *
 * The prices are AWS's published us-east-1 list prices as known on the date given; this machine has
 * no network, so they are not fetched at run time. Check them before relying on the totals.
 *
 * size: the cost model's prices, assumptions and arithmetic side by side, so every figure of the report
 * is checked against its price and basis in one file.
 */
import { API_TRACE_SAMPLING, LAMBDA_OWN_TRACE_RATE } from '../infra/tracing.js';

export interface Price {
  /** US dollars per one `unit`. */
  readonly usd: number;
  readonly unit: string;
  readonly source: string;
  /** When the price was published or last confirmed (ISO month or day). */
  readonly asOf: string;
}

const MILLION = 1_000_000;
const HOURS_PER_MONTH = (365.25 * 24) / 12;

/** us-east-1 list prices (first pricing tier, no free tier, no savings plan). */
export const PRICES = {
  lambdaArmGbSecond: {
    usd: 0.0000133334,
    unit: 'GB-second, Arm (first 7.5 billion GB-s a month)',
    source: 'https://aws.amazon.com/lambda/pricing/',
    asOf: '2025-01 (unchanged since Arm launched, 2021-09)',
  },
  lambdaRequest: { usd: 0.2 / MILLION, unit: 'Lambda request (invocation)', source: 'https://aws.amazon.com/lambda/pricing/', asOf: '2025-01' },
  sqsFifoRequest: {
    usd: 0.5 / MILLION,
    unit: 'SQS FIFO request (each 64 KB chunk of a request or response payload is one request)',
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
  dynamoWcuHour: {
    usd: 0.00065,
    unit: 'provisioned write capacity unit-hour (Standard table class)',
    source: 'https://aws.amazon.com/dynamodb/pricing/provisioned/',
    asOf: '2025-01 (unchanged by the 2024-11 on-demand reduction)',
  },
  dynamoRcuHour: {
    usd: 0.00013,
    unit: 'provisioned read capacity unit-hour (Standard table class)',
    source: 'https://aws.amazon.com/dynamodb/pricing/provisioned/',
    asOf: '2025-01 (unchanged by the 2024-11 on-demand reduction)',
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
  logsStoredGbMonth: {
    usd: 0.03,
    unit: 'GB-month of CloudWatch Logs stored (archived, compressed)',
    source: 'https://aws.amazon.com/cloudwatch/pricing/',
    asOf: '2025-01',
  },
  xrayTrace: { usd: 5 / MILLION, unit: 'X-Ray trace recorded', source: 'https://aws.amazon.com/xray/pricing/', asOf: '2025-01' },
  kmsRequest: { usd: 0.03 / 10_000, unit: 'KMS API request', source: 'https://aws.amazon.com/kms/pricing/', asOf: '2025-01' },
} as const satisfies Record<string, Price>;

export type Prices = { readonly [K in keyof typeof PRICES]: Price };

/** What the run measured. */
export interface Measured {
  /** Write units of one settled claim, all in (bench/write-units.ts: accepted record at the door, settlement, totals, index entries). */
  readonly writeUnitsPerSettled: number;
  /** Write units of a duplicate (resend or redelivery). */
  readonly writeUnitsPerDuplicate: number;
  /** Wall time of one settle invocation of `recordsPerInvocation` records, ms (in-process against the local stack). */
  readonly settleMsPerInvocation: number;
  /** Log bytes per claim written by the settle handler (its line + its share of the EMF metrics). */
  readonly settleLogBytesPerClaim: number;
  /** Wall time of one `POST /claims`, ms, and the log bytes it writes. */
  readonly intakeMsPerRequest: number;
  readonly intakeLogBytesPerRequest: number;
  /** Wall time of one `GET /claims/{h}/{c}` of a settled claim, ms, and its log bytes. */
  readonly resultReadMs: number;
  readonly resultReadLogBytes: number;
  /** Wall time of one `POST /claims:batch` of `claimsPerBatch` claims, ms, and its log bytes. */
  readonly batchMsPerRequest: number;
  readonly batchLogBytesPerRequest: number;
  /** Wall time of one feed page of `feedPageSize` settlements, ms, and its log bytes. */
  readonly feedMsPerPage: number;
  readonly feedLogBytesPerPage: number;
  /** Bytes of one claim's SQS message (body and attributes), mean. */
  readonly claimMessageBytes: number;
  /** Bytes of one keys-only entry of the hospital feed index (what the feed's Query reads), mean. */
  readonly feedIndexEntryBytes: number;
  /** Bytes of one settlement's JSON with its trace (what an idempotency record stores as the result). */
  readonly settlementJsonBytes: number;
}

/** Every assumption of the model, named. */
export interface Assumptions {
  readonly settleMemoryMb: number;
  readonly intakeMemoryMb: number;
  readonly authorizerMemoryMb: number;
  /** Records per settle invocation (the event source's batch; 10 is the FIFO maximum, reached under load). */
  readonly recordsPerInvocation: number;
  /** Claims per `POST /claims:batch` (the door's maximum) and settlements per feed page. */
  readonly claimsPerBatch: number;
  readonly feedPageSize: number;
  /** Reads of the result per claim at the single door (GET /claims/{h}/{c}); each is an API request and an intake invocation. */
  readonly resultReadsPerClaim: number;
  /** Consistent read units of the settle handler per claim: one BatchGetItem of settlement, member, hospital, totals (each < 4 KB). */
  readonly settleReadUnits: number;
  /** Read units of the door per claim: the member check, an eventually consistent GetItem (0.5); the API key is cached. */
  readonly intakeReadUnits: number;
  /** Read units per result read: one consistent GetItem of the settlement. */
  readonly resultReadUnits: number;
  /** Read units per settlement the feed returns: an eventually consistent BatchGetItem entry (< 4 KB). */
  readonly feedReadUnitsPerItem: number;
  /** Authorizer invocations per API request: its answer is cached 5 minutes per key. */
  readonly authorizerPerRequest: { readonly single: number; readonly batch: number };
  readonly authorizerMs: number;
  /** API Gateway access log bytes per request (JSON line of request id, time, ip, caller, method, path, status, latency). */
  readonly accessLogBytesPerRequest: number;
  /** Days each log line is kept (prod's log retention, infra/config.ts). */
  readonly logRetentionDays: number;
  /** Share of API requests traced (the stack's sampling rule, infra/tracing.ts; no reservoir). */
  readonly apiTraceRate: number;
  /** Share of the invocations Lambda starts itself (settle, from SQS) that it traces (its fixed rule, beyond one a second). */
  readonly lambdaTraceRate: number;
  /** KMS requests per claim: SQS reuses data keys 5 minutes, DynamoDB caches its table key, S3 uses a bucket key: none grows with claims. */
  readonly kmsRequestsPerClaim: number;
  /** Provisioned capacity: the share of the provisioned units the traffic consumes, averaged over the day. */
  readonly provisionedUtilisation: number;
  /** The alternative's settle invocation takes this much longer (two more single-item writes per record). */
  readonly alternativeDurationFactor: number;
}

export const ASSUMPTIONS: Assumptions = {
  settleMemoryMb: 1024,
  intakeMemoryMb: 1024,
  authorizerMemoryMb: 256,
  recordsPerInvocation: 10,
  claimsPerBatch: 500,
  feedPageSize: 100,
  resultReadsPerClaim: 1,
  settleReadUnits: 4,
  intakeReadUnits: 0.5,
  resultReadUnits: 1,
  feedReadUnitsPerItem: 0.5,
  authorizerPerRequest: { single: 0, batch: 1 },
  authorizerMs: 10,
  accessLogBytesPerRequest: 350,
  logRetentionDays: 365,
  apiTraceRate: API_TRACE_SAMPLING.fixedRate,
  lambdaTraceRate: LAMBDA_OWN_TRACE_RATE,
  kmsRequestsPerClaim: 0,
  provisionedUtilisation: 0.5,
  alternativeDurationFactor: 1.5,
};

export type Door = 'single' | 'batch';
export type Capacity = 'on-demand' | 'provisioned';

export interface Scenario {
  readonly door: Door;
  readonly capacity: Capacity;
  /** 'this': the settlement is the idempotency record; 'powertools': a separate idempotency record. */
  readonly design?: 'this' | 'powertools';
}

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
  readonly scenario: Required<Scenario>;
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

/** SQS bills each 64 KB chunk of a request's (or a response's) payload as one request. */
export const SQS_CHUNK_BYTES = 64 * 1024;
export const sqsRequestsFor = (payloadBytes: number): number => Math.max(1, Math.ceil(payloadBytes / SQS_CHUNK_BYTES));

/** A unit consumed on provisioned capacity: the unit-hour's price spread over the unit-seconds actually used. */
export function provisionedUnitPrice(unitHour: Price, utilisation: number): Price {
  return {
    usd: unitHour.usd / 3600 / utilisation,
    unit: `${unitHour.unit.replace(/-hour.*/, '')} consumed at ${(utilisation * 100).toFixed(0)}% average utilisation`,
    source: unitHour.source,
    asOf: unitHour.asOf,
  };
}

/** Write units of the alternative: the same writes, plus Powertools' INPROGRESS put (1 KB) and its COMPLETED update holding the result. */
export function alternativeWriteUnits(measured: Measured): { perSettled: number; perDuplicate: number; recordBytes: number } {
  // Powertools' record: id (function name + '#' + a hash), expiration, in-progress expiry, status, data (the result JSON).
  const recordBytes = 'id'.length + 90 + 'expiration'.length + 6 + 'in_progress_expiration'.length + 8 + 'status'.length + 'COMPLETED'.length + 'data'.length + measured.settlementJsonBytes;
  const completedUpdate = Math.max(1, Math.ceil(recordBytes / 1024));
  return { perSettled: measured.writeUnitsPerSettled + 1 + completedUpdate, perDuplicate: 1, recordBytes };
}

/** Read units of a Query returning `bytes` of keys-only index entries: eventually consistent, 0.5 per started 4 KB. */
export const feedQueryUnits = (bytes: number): number => Math.max(1, Math.ceil(bytes / 4096)) * 0.5;

/** What one settled claim uses at a door, in each price's unit. */
export interface Quantities {
  readonly apiRequests: number;
  readonly apiBasis: string;
  readonly intakeGbSeconds: number;
  readonly settleGbSeconds: number;
  readonly invocations: number;
  readonly computeBasis: string;
  readonly sqsRequests: number;
  readonly sqsBasis: string;
  readonly writeUnits: number;
  readonly readUnits: number;
  readonly readBasis: string;
  readonly logBytes: number;
  readonly logBasis: string;
  readonly traces: number;
}

/** The quantities per settled claim of a door (pure: measured × assumed). */
export function quantitiesPerClaim(m: Measured, door: Door, alternative: boolean, a: Assumptions = ASSUMPTIONS): Quantities {
  const settleMs = m.settleMsPerInvocation * (alternative ? a.alternativeDurationFactor : 1);
  const settleInvocations = 1 / a.recordsPerInvocation;
  const gb = (ms: number, mb: number): number => (ms / 1000) * (mb / 1024);
  // The settle side is the same behind both doors: the event source receives 10 messages (one request per 64 KB of them) and deletes them in one batch.
  const receive = sqsRequestsFor(a.recordsPerInvocation * m.claimMessageBytes) / a.recordsPerInvocation;
  const settleReads = alternative ? a.settleReadUnits - 1 : a.settleReadUnits;
  const single = door === 'single';
  const apiRequests = single ? 1 + a.resultReadsPerClaim : 1 / a.claimsPerBatch + 1 / a.feedPageSize;
  const authorizer = apiRequests * (single ? a.authorizerPerRequest.single : a.authorizerPerRequest.batch);
  const send = single ? sqsRequestsFor(m.claimMessageBytes) : sqsRequestsFor(10 * m.claimMessageBytes) / 10;
  const doorReads = single ? a.resultReadUnits * a.resultReadsPerClaim : a.feedReadUnitsPerItem + feedQueryUnits(a.feedPageSize * m.feedIndexEntryBytes) / a.feedPageSize;
  const doorLogBytes = single
    ? m.intakeLogBytesPerRequest + a.resultReadsPerClaim * m.resultReadLogBytes
    : m.batchLogBytesPerRequest / a.claimsPerBatch + m.feedLogBytesPerPage / a.feedPageSize;
  const intakeMs = single ? m.intakeMsPerRequest + a.resultReadsPerClaim * m.resultReadMs : m.batchMsPerRequest / a.claimsPerBatch + m.feedMsPerPage / a.feedPageSize;
  const logBytes = m.settleLogBytesPerClaim + doorLogBytes + apiRequests * a.accessLogBytesPerRequest;
  const r = (n: number): string => (n >= 1 ? n.toFixed(0) : n.toPrecision(2));
  return {
    apiRequests,
    apiBasis: single ? `${r(apiRequests)} requests (POST the claim, GET its result)` : `1/${a.claimsPerBatch} POST /claims:batch + 1/${a.feedPageSize} feed page = ${r(apiRequests)} requests`,
    intakeGbSeconds: gb(intakeMs, a.intakeMemoryMb) + gb(authorizer * a.authorizerMs, a.authorizerMemoryMb),
    settleGbSeconds: gb(settleMs, a.settleMemoryMb) * settleInvocations,
    invocations: settleInvocations + apiRequests + authorizer,
    computeBasis: single
      ? `intake ${m.intakeMsPerRequest.toFixed(1)} ms POST + ${m.resultReadMs.toFixed(1)} ms GET × ${a.intakeMemoryMb} MB; settle ${settleMs.toFixed(1)} ms × ${a.settleMemoryMb} MB per ${a.recordsPerInvocation} claims`
      : `batch ${m.batchMsPerRequest.toFixed(0)} ms per ${a.claimsPerBatch} claims + feed ${m.feedMsPerPage.toFixed(1)} ms per ${a.feedPageSize} × ${a.intakeMemoryMb} MB; authorizer ${a.authorizerMs} ms × ${a.authorizerMemoryMb} MB per request; settle ${settleMs.toFixed(1)} ms per ${a.recordsPerInvocation} claims`,
    sqsRequests: send + receive + 1 / a.recordsPerInvocation,
    sqsBasis: `${single ? `${r(send)} SendMessage` : `${r(send)} SendMessageBatch (10 claims of ${m.claimMessageBytes.toFixed(0)} B a request)`} + ${r(receive)} receive + ${r(1 / a.recordsPerInvocation)} delete batch (64 KB chunks)`,
    writeUnits: alternative ? alternativeWriteUnits(m).perSettled : m.writeUnitsPerSettled,
    readUnits: settleReads + a.intakeReadUnits + doorReads,
    readBasis: `${settleReads} settle (consistent) + ${a.intakeReadUnits} member check + ${single ? `${a.resultReadUnits * a.resultReadsPerClaim} result read` : `${r(doorReads)} feed (BatchGetItem ${a.feedReadUnitsPerItem} + its share of the index Query)`}`,
    logBytes,
    logBasis: `${logBytes.toFixed(0)} B: settle ${m.settleLogBytesPerClaim.toFixed(0)} + door ${doorLogBytes.toFixed(0)} + ${r(apiRequests)} access log lines × ${a.accessLogBytesPerRequest}`,
    traces: a.apiTraceRate * apiRequests + a.lambdaTraceRate * settleInvocations,
  };
}

/** The model of one scenario: a door, a capacity mode, a design. */
export function costPerMillion(measured: Measured, scenario: Scenario, assumptions: Assumptions = ASSUMPTIONS, prices: Prices = PRICES): CostModel {
  const a = assumptions;
  const full: Required<Scenario> = { design: 'this', ...scenario };
  const alternative = full.design === 'powertools';
  const q = quantitiesPerClaim(measured, full.door, alternative, a);
  const provisioned = full.capacity === 'provisioned';
  const writePrice = provisioned ? provisionedUnitPrice(prices.dynamoWcuHour, a.provisionedUtilisation) : prices.dynamoWriteUnit;
  const readPrice = provisioned ? provisionedUnitPrice(prices.dynamoRcuHour, a.provisionedUtilisation) : prices.dynamoReadUnit;
  const logMonths = a.logRetentionDays / (HOURS_PER_MONTH / 24);
  const lines: CostLine[] = [
    line('Lambda compute', q.computeBasis, q.intakeGbSeconds + q.settleGbSeconds, prices.lambdaArmGbSecond),
    line('Lambda requests', 'settle, door and authorizer invocations', q.invocations, prices.lambdaRequest),
    line('SQS FIFO requests', q.sqsBasis, q.sqsRequests, prices.sqsFifoRequest),
    line(
      'DynamoDB writes',
      `${q.writeUnits} units per settled claim (bench/write-units.ts, item sizes)${alternative ? ' incl. the idempotency record' : ''}`,
      q.writeUnits,
      writePrice,
    ),
    line('DynamoDB reads', q.readBasis, q.readUnits, readPrice),
    line('CloudWatch Logs ingestion', q.logBasis, q.logBytes / 2 ** 30, prices.logsIngestGb),
    line('CloudWatch Logs storage', `the same bytes kept ${a.logRetentionDays} days (uncompressed: an upper bound)`, (q.logBytes / 2 ** 30) * logMonths, prices.logsStoredGbMonth),
    line('X-Ray traces', `${(a.apiTraceRate * 100).toFixed(0)}% of API requests (the stack's rule) + ${(a.lambdaTraceRate * 100).toFixed(0)}% of settle invocations (Lambda's own)`, q.traces, prices.xrayTrace),
    line('KMS requests', 'data keys reused 5 min (SQS), table key cached (DynamoDB), bucket key (S3): a fixed cost, not per claim', a.kmsRequestsPerClaim, prices.kmsRequest),
    line('API Gateway REST', q.apiBasis, q.apiRequests, prices.apiGatewayRest, true),
    line('WAF', `${q.apiRequests >= 1 ? q.apiRequests.toFixed(0) : q.apiRequests.toPrecision(2)} requests inspected`, q.apiRequests, prices.wafRequest, true),
  ];
  const totalUsd = lines.reduce((sum, l) => sum + l.usd, 0);
  const withoutApiUsd = lines.filter((l) => !l.api).reduce((sum, l) => sum + l.usd, 0);
  return {
    scenario: full,
    lines,
    totalUsd,
    withoutApiUsd,
    writeUnitsPerSettled: q.writeUnits,
    writeUnitsPerDuplicate: alternative ? 1 : measured.writeUnitsPerDuplicate,
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
