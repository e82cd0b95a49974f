/** The price model's arithmetic (bench/cost.ts), with round inputs: no timing, no speed. */
import { describe, expect, it } from 'vitest';
import {
  ASSUMPTIONS,
  type Measured,
  PRICES,
  STORAGE_PRICES,
  alternativeWriteUnits,
  costPerMillion,
  scalePlan,
  storageCostPerMillion,
  throughputWithGroups,
} from '../../bench/cost.js';
import { stageConfig } from '../../infra/config.js';

const measured: Measured = {
  writeUnitsPerSettled: 6,
  settleMsPerInvocation: 100,
  intakeMsPerRequest: 10,
  settleLogBytesPerClaim: 400,
  intakeLogBytesPerRequest: 300,
  settlementJsonBytes: 2900,
};

const usd = (model: ReturnType<typeof costPerMillion>, item: string): number => model.lines.find((l) => l.item === item)?.usd ?? Number.NaN;

describe('costPerMillion', () => {
  const model = costPerMillion(measured, 'this');

  it('prices DynamoDB writes and reads per million claims from the units', () => {
    // 6 WRU × 1e6 × $0.625/1e6; reads 4 + 0.5 + 1 = 5.5 RRU × $0.125/1e6 per claim.
    expect(usd(model, 'DynamoDB writes')).toBeCloseTo(3.75, 10);
    expect(usd(model, 'DynamoDB reads')).toBeCloseTo(0.6875, 10);
  });

  it('prices Lambda from GB-seconds and invocations, with the batch sharing one settle invocation', () => {
    // settle 0.1 s × 1 GB / 10 claims + intake 0.01 s × 1 GB × 2 requests = 0.03 GB-s per claim.
    expect(usd(model, 'Lambda compute')).toBeCloseTo(0.03 * 1e6 * PRICES.lambdaArmGbSecond.usd, 10);
    // 0.1 settle + 2 intake invocations per claim at $0.20 per million.
    expect(usd(model, 'Lambda requests')).toBeCloseTo(2.1 * 0.2, 10);
  });

  it('counts SQS requests with batching: one send per claim, receive + delete per batch of 10', () => {
    expect(usd(model, 'SQS FIFO requests')).toBeCloseTo(1.2 * 0.5, 10);
  });

  it('shows the total with and without the API front door (API Gateway REST, WAF)', () => {
    expect(usd(model, 'API Gateway REST')).toBeCloseTo(7, 10);
    expect(usd(model, 'WAF')).toBeCloseTo(1.2, 10);
    expect(model.totalUsd - model.withoutApiUsd).toBeCloseTo(8.2, 10);
    expect(model.totalUsd).toBeCloseTo(model.lines.reduce((s, l) => s + l.usd, 0), 10);
  });

  it('prices log ingestion per GB of measured and assumed bytes', () => {
    const bytes = 400 + 300 + 2 * ASSUMPTIONS.accessLogBytesPerRequest;
    expect(usd(model, 'CloudWatch Logs')).toBeCloseTo((bytes * 1e6 * 0.5) / 2 ** 30, 10);
  });
});

describe('the alternative design (separate idempotency record)', () => {
  it('adds an INPROGRESS put and a COMPLETED update holding the result, and charges a duplicate a write', () => {
    const units = alternativeWriteUnits(measured);
    expect(units.recordBytes).toBeGreaterThan(2900);
    expect(units.perSettled).toBe(6 + 1 + 3);
    expect(units.perDuplicate).toBe(1);
    const alternative = costPerMillion(measured, 'powertools');
    expect(usd(alternative, 'DynamoDB writes')).toBeCloseTo(10 * 0.625, 10);
    expect(usd(alternative, 'DynamoDB reads')).toBeCloseTo(4.5 * 0.125, 10);
    expect(alternative.withoutApiUsd).toBeGreaterThan(costPerMillion(measured, 'this').withoutApiUsd);
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
