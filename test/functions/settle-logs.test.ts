/**
 * Logs that cost cents: a healthy settle invocation writes one structured line (its summary), each
 * record's own lines are buffered as deployed and printed only when a record of the invocation fails.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { emptyYearToDate } from '../../shared/contract/claim.js';
import { builtInPolicyBook } from '../../shared/policy/book.js';
import { parseRegistry } from '../../shared/registry/registry.js';
import { createLogger } from '../../functions/lib/logger.js';
import { createSettleHandler } from '../../functions/settle/app.js';
import { generatedClaim, generatedRegistry, random } from '../../local/generate.js';
import { linesOf } from '../support/logs.js';

const registry = parseRegistry(generatedRegistry(3));
const context = { functionName: 'settle', awsRequestId: 'r', getRemainingTimeInMillis: () => 1000 };

/** Settlement stores that find each member and hospital, and write (or fail to write) the claims named. */
function storesFailing(failingClaims: ReadonlySet<string>) {
  return {
    settlements: {
      readForSettlement: async (hospitalId: string, _claimId: string, memberId: string) => ({
        existing: undefined,
        member: registry.members.find((m) => m.id === memberId),
        hospital: registry.hospitals.find((h) => h.id === hospitalId),
        totals: { totals: emptyYearToDate(), version: 0 },
      }),
      getTotals: async () => ({ totals: emptyYearToDate(), version: 0 }),
      writeTotals: async (_m: string, _y: number, _read: unknown, _totals: unknown, end: { last: string }) => {
        if ([...failingClaims].some((claimId) => end.last.endsWith(`#${claimId}`))) throw new Error('DynamoDB is unreachable');
        return true;
      },
      writeSettlement: async () => 'written' as const,
    },
    failures: { put: async () => undefined },
  };
}

function batchOf(count: number) {
  const rand = random(5);
  const claims = Array.from({ length: count }, (_, member) => generatedClaim(member, member, rand));
  const records = claims.map((claim, member) => ({
    messageId: `m${member}`,
    body: JSON.stringify(claim),
    attributes: { ApproximateReceiveCount: '1', MessageGroupId: `g${member}` },
    messageAttributes: {},
  }));
  return { claims, event: { Records: records } };
}

function handlerWith(failing: ReadonlySet<string>) {
  return createSettleHandler({
    stores: storesFailing(failing) as never,
    book: builtInPolicyBook(),
    // Created inside the capture: Powertools binds stdout when the logger is made.
    logger: createLogger('claims-settle', 'INFO'),
    recordLogger: createLogger('claims-settle', 'INFO', { bufferInfo: true }),
    maxReceiveCount: 5,
    settleAttempts: 3,
  });
}

afterEach(() => {
  delete process.env['_X_AMZN_TRACE_ID'];
});

describe('settle logs', () => {
  it('a healthy invocation writes one line: the counts of each outcome and the records’ keys', async () => {
    // Prepare
    const { claims, event } = batchOf(3);
    // Act
    const lines = await linesOf(async () => {
      const result = await handlerWith(new Set())(event as never, context as never);
      expect(result.batchItemFailures).toEqual([]);
    });
    // Assess
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line).toMatchObject({ level: 'INFO', message: 'batch', service: 'claims-settle', records: 3, failed: 0, poison: 0, duplicate: 0 });
    expect(Number(line?.['settled']) + Number(line?.['rejected'])).toBe(3);
    expect(line?.['keys']).toEqual(claims.map((claim) => expect.stringContaining(claim.claimId)));
    expect(JSON.stringify(lines)).not.toMatch(/测试|idNumber/);
  });

  it('an invocation with a failed record prints the buffered lines of its records, the error and the summary', async () => {
    // Prepare
    const { claims, event } = batchOf(3);
    const failing = claims[2]?.claimId ?? '';
    // Act
    const lines = await linesOf(async () => {
      const result = await handlerWith(new Set([failing]))(event as never, context as never);
      expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm2' }]);
    });
    // Assess
    const messages = lines.map((line) => String(line['message']));
    expect(messages.filter((message) => message === 'settled')).toHaveLength(2);
    expect(messages).toContain('record failed; the queue will redeliver it');
    expect(messages.at(-1)).toBe('batch');
    expect(lines.at(-1)).toMatchObject({ records: 3, failed: 1 });
  });
});
