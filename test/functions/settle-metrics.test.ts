/** The settle function's business metrics: the names and units the CDK dashboard reads. */
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it, vi } from 'vitest';
import { FAILURE_METRICS, FUND_METRICS, recordFailedDelivery, recordOutcome } from '../../functions/settle/metrics.js';
import type { SettleOutcome } from '../../functions/lib/settler.js';
import type { Settlement } from '../../shared/engine/settlement.js';
import { FUNDS } from '../../infra/observability.js';

function recorder() {
  const calls: { name: string; unit: string; value: number; dimensions: Record<string, string> }[] = [];
  const make = (dimensions: Record<string, string>) => ({
    addMetric: (name: string, unit: string, value: number) => calls.push({ name, unit, value, dimensions: { ...dimensions } }),
    addDimension: (key: string, value: string) => {
      dimensions[key] = value;
    },
    singleMetric: () => make({}),
  });
  return { metrics: make({}) as unknown as Metrics, calls };
}

const amounts = { basic: 92_588, catastrophic: 10_000, assistance: 2_550, charity: 0 } as unknown as Settlement['amounts'];

describe('settle metrics', () => {
  it.each([
    [{ lastDelivery: false, conflict: false }, []],
    [{ lastDelivery: false, conflict: true }, ['TransactionConflicts']],
    [{ lastDelivery: true, conflict: false }, ['ClaimsDeadLettered']],
    [{ lastDelivery: true, conflict: true }, ['TransactionConflicts', 'ClaimsDeadLettered']],
  ])('a failed delivery %j counts %j, each once (the alarms count occurrences)', (failure, names) => {
    // Prepare
    const { metrics, calls } = recorder();
    // Act
    recordFailedDelivery(metrics, failure);
    // Assess
    expect(calls.map((c) => [c.name, c.unit, c.value])).toEqual(names.map((name) => [name, 'Count', 1]));
    expect(Object.values(FAILURE_METRICS)).toEqual(expect.arrayContaining(names));
  });

  it('a settled claim: one ClaimsSettled and the yuan paid by each fund', () => {
    // Prepare
    const { metrics, calls } = recorder();
    const outcome: SettleOutcome = { kind: 'settled', key: 'C#H#1', attempts: 1, settlement: { amounts, rejection: null } as unknown as Settlement };
    // Act
    recordOutcome(metrics, outcome);
    // Assess
    expect(calls).toEqual([
      { name: 'ClaimsSettled', unit: 'Count', value: 1, dimensions: {} },
      { name: 'PaidBasic', unit: 'None', value: 925.88, dimensions: {} },
      { name: 'PaidCatastrophic', unit: 'None', value: 100, dimensions: {} },
      { name: 'PaidAssistance', unit: 'None', value: 25.5, dimensions: {} },
      { name: 'PaidCharity', unit: 'None', value: 0, dimensions: {} },
    ]);
  });

  it('a rejected claim: ClaimsRejected, and ClaimsRejectedByCode with its code as a dimension', () => {
    // Prepare
    const { metrics, calls } = recorder();
    const settlement = { amounts, rejection: { code: 'NOT_ENROLLED', message: '', clause: '' } } as unknown as Settlement;
    // Act
    recordOutcome(metrics, { kind: 'rejected', key: 'C#H#2', attempts: 1, settlement });
    // Assess
    expect(calls).toEqual([
      { name: 'ClaimsRejected', unit: 'Count', value: 1, dimensions: {} },
      { name: 'ClaimsRejectedByCode', unit: 'Count', value: 1, dimensions: { code: 'NOT_ENROLLED' } },
    ]);
  });

  it('duplicates and poison records are counted', () => {
    // Prepare
    const { metrics, calls } = recorder();
    // Act
    recordOutcome(metrics, { kind: 'duplicate', key: 'C#H#3', attempts: 0 });
    recordOutcome(metrics, { kind: 'poison', key: 'F#msg#4', attempts: 0 });
    // Assess
    expect(calls.map((c) => c.name)).toEqual(['ClaimsDuplicate', 'ClaimsPoison']);
  });

  it('the dashboard graphs exactly the fund metrics the function writes', () => {
    // Act / Assess
    expect(Object.values(FUND_METRICS)).toEqual(FUNDS.map((fund) => `Paid${fund}`));
  });
});

describe('settle handler with metrics', () => {
  it('records each settled record and flushes the metrics once per invocation', async () => {
    // Prepare
    const { Metrics } = await import('@aws-lambda-powertools/metrics');
    const { emptyYearToDate } = await import('../../shared/contract/claim.js');
    const { parseRegistry } = await import('../../shared/registry/registry.js');
    const { builtInPolicyBook } = await import('../../shared/policy/book.js');
    const { createLogger } = await import('../../functions/lib/logger.js');
    const { createSettleHandler } = await import('../../functions/settle/app.js');
    const { generatedClaim, generatedRegistry, random } = await import('../../local/generate.js');
    const registry = parseRegistry(generatedRegistry(2));
    const settlements = {
      readForSettlement: async (hospitalId: string, _claimId: string, memberId: string) => ({
        existing: undefined,
        member: registry.members.find((m) => m.id === memberId),
        hospital: registry.hospitals.find((h) => h.id === hospitalId),
        totals: { totals: emptyYearToDate(), version: 0 },
      }),
      getTotals: async () => ({ totals: emptyYearToDate(), version: 0 }),
      writeTotals: async () => true,
      writeSettlement: async () => 'written' as const,
    };
    const failures = { put: async () => undefined };
    const metrics = new Metrics({ namespace: 'Test', serviceName: 'claims-settle' });
    const added = vi.spyOn(metrics, 'addMetric');
    const flushed = vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => metrics);
    const handler = createSettleHandler({
      stores: { settlements, failures } as never,
      book: builtInPolicyBook(),
      logger: createLogger('test', 'SILENT'),
      maxReceiveCount: 5,
      settleAttempts: 3,
      metrics,
    });
    const rand = random(3);
    const records = [0, 1].map((member) => ({
      messageId: `m${member}`,
      body: JSON.stringify(generatedClaim(member, 0, rand)),
      attributes: { ApproximateReceiveCount: '1', MessageGroupId: `g${member}` },
      messageAttributes: {},
    }));
    const context = { functionName: 'settle', awsRequestId: 'r', getRemainingTimeInMillis: () => 1000 };
    // Act
    const result = await handler({ Records: records } as never, context as never);
    // Assess
    expect(result.batchItemFailures).toEqual([]);
    const names = added.mock.calls.map((call) => call[0]);
    expect(names.filter((name) => name === 'ClaimsSettled' || name === 'ClaimsRejected')).toHaveLength(2);
    expect(flushed).toHaveBeenCalledTimes(1);
  });
});
