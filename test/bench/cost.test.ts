/** The price model's arithmetic (bench/cost.ts): prices × quantities with round inputs; no timing, no speed. */
import { describe, expect, it } from 'vitest';
import {
  ASSUMPTIONS,
  type Assumptions,
  type CostModel,
  type Measured,
  PRICES,
  STORAGE_PRICES,
  alternativeWriteUnits,
  costPerMillion,
  provisionedUnitPrice,
  scalePlan,
  sqsRequestsFor,
  storageCostPerMillion,
  throughputWithGroups,
} from '../../bench/cost.js';
import { stageConfig } from '../../infra/config.js';
import { API_TRACE_SAMPLING } from '../../infra/tracing.js';

/** Round measured inputs: every figure below can be worked out by hand. */
const measured: Measured = {
  writeUnitsPerSettled: 4,
  writeUnitsPerDuplicate: 0,
  settleMsPerInvocation: 100,
  settleLogBytesPerClaim: 50,
  intakeMsPerRequest: 10,
  intakeLogBytesPerRequest: 300,
  resultReadMs: 5,
  resultReadLogBytes: 200,
  batchMsPerRequest: 1000,
  batchLogBytesPerRequest: 500,
  feedMsPerPage: 50,
  feedLogBytesPerPage: 400,
  claimMessageBytes: 5000,
  feedIndexEntryBytes: 160,
  settlementJsonBytes: 2900,
};

/** Assumptions as the stack's, with round memory sizes and log retention. */
const assumptions: Assumptions = { ...ASSUMPTIONS, authorizerMemoryMb: 256, authorizerMs: 10, logRetentionDays: 365, provisionedUtilisation: 0.5 };

const usd = (model: CostModel, item: string): number => model.lines.find((l) => l.item === item)?.usd ?? Number.NaN;
const M = 1e6;

describe('costPerMillion at the single-claim door, on-demand', () => {
  const model = costPerMillion(measured, { door: 'single', capacity: 'on-demand' }, assumptions);

  it('prices DynamoDB writes from the measured units and reads from the units of each read', () => {
    // 4 WRU × $0.625/M; reads 4 (settle) + 0.5 (member) + 1 (result read) = 5.5 RRU × $0.125/M.
    expect(usd(model, 'DynamoDB writes')).toBeCloseTo(4 * 0.625, 10);
    expect(usd(model, 'DynamoDB reads')).toBeCloseTo(5.5 * 0.125, 10);
  });

  it('prices Lambda from GB-seconds and invocations: two intake requests a claim, a tenth of a settle invocation', () => {
    // intake (10 + 5 ms) × 1 GB + settle 100 ms × 1 GB / 10 = 0.025 GB-s a claim; the authorizer is cached.
    expect(usd(model, 'Lambda compute')).toBeCloseTo(0.025 * M * PRICES.lambdaArmGbSecond.usd, 10);
    expect(usd(model, 'Lambda requests')).toBeCloseTo(2.1 * 0.2, 10);
  });

  it('counts SQS FIFO requests by 64 KB chunk: one send, one receive and one delete per 10 claims', () => {
    // 10 messages of 5,000 B = 50,000 B: one receive request.
    expect(usd(model, 'SQS FIFO requests')).toBeCloseTo((1 + 0.1 + 0.1) * 0.5, 10);
  });

  it('charges the front door two requests a claim: API Gateway REST and WAF', () => {
    expect(usd(model, 'API Gateway REST')).toBeCloseTo(7, 10);
    expect(usd(model, 'WAF')).toBeCloseTo(1.2, 10);
    expect(model.totalUsd - model.withoutApiUsd).toBeCloseTo(8.2, 10);
    expect(model.totalUsd).toBeCloseTo(model.lines.reduce((s, l) => s + l.usd, 0), 10);
  });

  it('prices log ingestion and a year of storage per GB of the bytes of each line', () => {
    const bytes = 50 + 300 + 200 + 2 * assumptions.accessLogBytesPerRequest;
    expect(usd(model, 'CloudWatch Logs ingestion')).toBeCloseTo((bytes * M * 0.5) / 2 ** 30, 10);
    expect(usd(model, 'CloudWatch Logs storage')).toBeCloseTo(((bytes * M) / 2 ** 30) * (365 / (365.25 / 12)) * 0.03, 10);
  });

  it('traces the sampled share of API requests (the stack’s rule) and Lambda’s own share of settle invocations', () => {
    expect(usd(model, 'X-Ray traces')).toBeCloseTo((API_TRACE_SAMPLING.fixedRate * 2 + assumptions.lambdaTraceRate * 0.1) * 5, 10);
  });

  it('counts no KMS request per claim (data keys reused, table key cached, bucket key), at its listed price', () => {
    expect(usd(model, 'KMS requests')).toBe(0);
    expect(model.lines.find((l) => l.item === 'KMS requests')?.price.usd).toBeCloseTo(3 / M, 15);
  });
});

describe('costPerMillion at the batch door (500 claims a request, the feed at 100 a page)', () => {
  const batch = costPerMillion(measured, { door: 'batch', capacity: 'on-demand' }, assumptions);
  const single = costPerMillion(measured, { door: 'single', capacity: 'on-demand' }, assumptions);

  it('shares one API request among 500 claims and one feed page among 100', () => {
    const requests = 1 / 500 + 1 / 100;
    expect(usd(batch, 'API Gateway REST')).toBeCloseTo(requests * 3.5, 10);
    expect(usd(batch, 'WAF')).toBeCloseTo(requests * 0.6, 10);
  });

  it('amortises the batch and the feed page over their claims, and counts an authorizer call per request', () => {
    // 1000 ms / 500 + 50 ms / 100 = 2.5 ms × 1 GB; authorizer 10 ms × 0.25 GB × 0.012; settle 10 ms × 1 GB.
    const gbSeconds = 0.0025 + 0.01 * 0.25 * (1 / 500 + 1 / 100) + 0.01;
    expect(usd(batch, 'Lambda compute')).toBeCloseTo(gbSeconds * M * PRICES.lambdaArmGbSecond.usd, 10);
    expect(usd(batch, 'Lambda requests')).toBeCloseTo((0.1 + 2 * (1 / 500 + 1 / 100)) * 0.2, 10);
  });

  it('sends 10 claims a SendMessageBatch request while they fit in one 64 KB chunk', () => {
    expect(usd(batch, 'SQS FIFO requests')).toBeCloseTo((0.1 + 0.1 + 0.1) * 0.5, 10);
    const large = costPerMillion({ ...measured, claimMessageBytes: 13_000 }, { door: 'batch', capacity: 'on-demand' }, assumptions);
    // 130,000 B: 2 chunks to send and 2 to receive per 10 claims.
    expect(usd(large, 'SQS FIFO requests')).toBeCloseTo((0.2 + 0.2 + 0.1) * 0.5, 10);
  });

  it('reads the feed instead of each claim: half a unit a settlement and the page’s index Query', () => {
    // 100 entries × 160 B = 16,000 B: 4 started 4 KB at 0.5 = 2 units a page.
    expect(usd(batch, 'DynamoDB reads')).toBeCloseTo((4 + 0.5 + 0.5 + 2 / 100) * 0.125, 10);
  });

  it('writes what a single claim writes (the measured units follow whatever the records cost)', () => {
    expect(usd(batch, 'DynamoDB writes')).toBeCloseTo(usd(single, 'DynamoDB writes'), 12);
    const eight = costPerMillion({ ...measured, writeUnitsPerSettled: 8 }, { door: 'batch', capacity: 'on-demand' }, assumptions);
    expect(usd(eight, 'DynamoDB writes')).toBeCloseTo(8 * 0.625, 10);
    expect(eight.writeUnitsPerSettled).toBe(8);
  });

  it('costs less than the single door, by the front door above all', () => {
    expect(batch.totalUsd).toBeLessThan(single.totalUsd);
    expect(single.totalUsd - single.withoutApiUsd - (batch.totalUsd - batch.withoutApiUsd)).toBeCloseTo((2 - 0.012) * 4.1, 10);
  });
});

describe('provisioned capacity', () => {
  it('prices a unit consumed as the unit-hour spread over the seconds used at the utilisation assumed', () => {
    expect(provisionedUnitPrice(PRICES.dynamoWcuHour, 1).usd).toBeCloseTo(0.00065 / 3600, 15);
    expect(provisionedUnitPrice(PRICES.dynamoWcuHour, 0.5).usd).toBeCloseTo((2 * 0.00065) / 3600, 15);
    expect(provisionedUnitPrice(PRICES.dynamoRcuHour, 0.5).unit).toMatch(/50% average utilisation/);
  });

  it('changes only the DynamoDB lines', () => {
    const onDemand = costPerMillion(measured, { door: 'batch', capacity: 'on-demand' }, assumptions);
    const provisioned = costPerMillion(measured, { door: 'batch', capacity: 'provisioned' }, assumptions);
    expect(usd(provisioned, 'DynamoDB writes')).toBeCloseTo(4 * M * ((2 * 0.00065) / 3600), 10);
    expect(usd(provisioned, 'DynamoDB reads')).toBeCloseTo((4 + 0.5 + 0.5 + 0.02) * M * ((2 * 0.00013) / 3600), 10);
    const others = (m: CostModel) => m.lines.filter((l) => !l.item.startsWith('DynamoDB')).map((l) => l.usd);
    expect(others(provisioned)).toEqual(others(onDemand));
  });
});

describe('sqsRequestsFor', () => {
  it('bills every started 64 KB chunk, at least one request', () => {
    expect([0, 1, 65_536, 65_537, 200_000].map(sqsRequestsFor)).toEqual([1, 1, 1, 2, 4]);
  });
});

describe('the alternative design (separate idempotency record)', () => {
  it('adds an INPROGRESS put and a COMPLETED update holding the result, and charges a duplicate a write', () => {
    const units = alternativeWriteUnits(measured);
    expect(units.recordBytes).toBeGreaterThan(2900);
    expect(units.perSettled).toBe(4 + 1 + 3);
    expect(units.perDuplicate).toBe(1);
    const alternative = costPerMillion(measured, { door: 'single', capacity: 'on-demand', design: 'powertools' }, assumptions);
    expect(usd(alternative, 'DynamoDB writes')).toBeCloseTo(8 * 0.625, 10);
    expect(usd(alternative, 'DynamoDB reads')).toBeCloseTo(4.5 * 0.125, 10);
    expect(alternative.writeUnitsPerDuplicate).toBe(1);
    expect(alternative.withoutApiUsd).toBeGreaterThan(costPerMillion(measured, { door: 'single', capacity: 'on-demand' }, assumptions).withoutApiUsd);
  });
});

describe('the prices', () => {
  it('each has its source on aws.amazon.com and the date it was read', () => {
    for (const price of Object.values(PRICES)) {
      expect(price.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
      expect(price.asOf).toMatch(/^\d{4}-\d{2}/);
    }
  });
});

describe('scale on paper', () => {
  const inputs = {
    claimsPerDay: 2_000_000,
    peakShare: 0.5,
    peakHours: 4,
    burst: 2,
    settleMsPerInvocation: 100,
    recordsPerInvocation: 10,
    writeUnitsPerSettled: 6,
    readUnitsPerClaim: 5.5,
    settleConcurrency: 20,
    intakeConcurrency: 100,
    intakeMsPerRequest: 30,
    apiRateLimit: 500,
  };

  it('turns a day into a peak rate and the capacity it needs', () => {
    const plan = scalePlan(inputs);
    expect(plan.peakMeanPerSecond).toBeCloseTo(1_000_000 / 14_400, 10);
    expect(plan.peakBurstPerSecond).toBeCloseTo((2 * 1_000_000) / 14_400, 10);
    expect(plan.settleCapacity).toBeCloseTo(2000, 10);
    expect(plan.writeUnitsPerSecond).toBeCloseTo(plan.peakBurstPerSecond * 6, 10);
    expect(plan.groupsNeeded).toBe(Math.ceil(plan.peakBurstPerSecond * 0.1));
    expect(plan.apiRequestsPerSecond).toBeCloseTo(2 * plan.peakBurstPerSecond, 10);
  });

  it('grows with active message groups until the concurrency × batch bound', () => {
    expect(throughputWithGroups(1, inputs)).toBeCloseTo(10, 10);
    expect(throughputWithGroups(50, inputs)).toBeCloseTo(500, 10);
    expect(throughputWithGroups(10_000, inputs)).toBeCloseTo(2000, 10);
  });
});

describe('storageCostPerMillion: keeping the claims', () => {
  // 400 B settlement + 300 B totals (+100 B each) = 900 B of items; two 100 B index entries (+100 B each) = 400 B.
  const stored = { settlementBytes: 400, totalsBytes: 300, indexEntryBytes: [100, 100], claimsPerTotalsItem: 1 };
  const TEN_YEARS = 3652.5; // 120 months of 30.4375 days
  const GB_PER_MILLION = 1e6 / 2 ** 30;
  const month = 365.25 / 12;
  const of = (model: ReturnType<typeof storageCostPerMillion>, item: string): number => model.lines.find((l) => l.item === item)?.usd ?? Number.NaN;

  it('prices the table (items and index entries) and PITR (items only) every month of the horizon', () => {
    // Act
    const model = storageCostPerMillion(stored, { horizonDays: TEN_YEARS, pitr: true, backups: null });
    // Assess
    expect(model.tableBytesPerClaim).toBe(900);
    expect(model.indexBytesPerClaim).toBe(400);
    expect(of(model, 'DynamoDB storage')).toBeCloseTo(1300 * GB_PER_MILLION * 120 * 0.25, 9);
    expect(of(model, 'Point-in-time recovery')).toBeCloseTo(900 * GB_PER_MILLION * 120 * 0.2, 9);
    expect(model.lines).toHaveLength(2);
    expect(model.perYearUsd).toBeCloseTo(model.totalUsd / 10, 9);
  });

  it('prices every monthly and yearly copy taken while the claims are kept, warm then cold, without the indexes', () => {
    // Act
    const model = storageCostPerMillion(stored, { horizonDays: TEN_YEARS, pitr: true, backups: { coldAfterDays: 35, monthlyDays: 400, yearlyDays: 3650 } });
    // Assess: 120 monthly copies, 10 yearly copies, each 900 B per claim
    const copyGb = 900 * GB_PER_MILLION;
    expect(of(model, 'Monthly copies, warm')).toBeCloseTo(120 * copyGb * (35 / month) * 0.1, 9);
    expect(of(model, 'Monthly copies, cold')).toBeCloseTo(120 * copyGb * (365 / month) * 0.03, 9);
    expect(of(model, 'Yearly copies, warm')).toBeCloseTo(10 * copyGb * (35 / month) * 0.1, 9);
    expect(of(model, 'Yearly copies, cold')).toBeCloseTo(10 * copyGb * (3615 / month) * 0.03, 9);
    expect(model.totalUsd).toBeCloseTo(model.lines.reduce((sum, l) => sum + l.usd, 0), 9);
  });

  it('cold storage costs less than keeping the same copies warm, and shared totals items shrink the table', () => {
    // Prepare
    const retention = { coldAfterDays: 35, monthlyDays: 400, yearlyDays: 3650 };
    // Act
    const cold = storageCostPerMillion(stored, { horizonDays: TEN_YEARS, pitr: true, backups: retention });
    const warm = storageCostPerMillion(stored, { horizonDays: TEN_YEARS, pitr: true, backups: { ...retention, coldAfterDays: 3650 } });
    const shared = storageCostPerMillion({ ...stored, claimsPerTotalsItem: 4 }, { horizonDays: TEN_YEARS, pitr: true, backups: retention });
    // Assess
    expect(cold.totalUsd).toBeLessThan(warm.totalUsd);
    expect(shared.tableBytesPerClaim).toBe(500 + 400 / 4);
    expect(shared.totalUsd).toBeLessThan(cold.totalUsd);
  });

  it('prod’s configured backups are priced, each price with its source and date', () => {
    // Prepare
    const backups = stageConfig('prod').backups;
    // Act
    const model = storageCostPerMillion(stored, { horizonDays: backups?.yearlyDays ?? 0, pitr: true, backups });
    // Assess
    expect(backups).not.toBeNull();
    expect(model.lines.map((l) => l.item)).toEqual(['DynamoDB storage', 'Point-in-time recovery', 'Monthly copies, warm', 'Monthly copies, cold', 'Yearly copies, warm', 'Yearly copies, cold']);
    for (const price of Object.values(STORAGE_PRICES)) {
      expect(price.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
      expect(price.asOf).toMatch(/^\d{4}-\d{2}/);
    }
  });
});
