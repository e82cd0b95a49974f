/**
 * The settle handler's batch rules without servers: a repository in memory whose writes can be made
 * to conflict or fail, to show bounded retries, FIFO group order and partial batch failures.
 */
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { emptyYearToDate } from '../../shared/contract/claim.js';
import type { Item } from '../../functions/storage/item-size.js';
import { settlementKey } from '../../functions/storage/keys.js';
import { readSettlementItem } from '../../functions/storage/items.js';
import { ATTR } from '../../functions/storage/table.js';
import { parseRegistry } from '../../shared/registry/registry.js';
import { builtInPolicyBook } from '../../shared/policy/book.js';
import { createLogger } from '../../functions/lib/logger.js';
import type {} from '../../functions/storage/dynamo.js';
import type { FailureRecord } from '../../functions/storage/failures.js';
import type { SettlementInputs } from '../../functions/storage/settlements.js';
import { type SettleHandlerDeps, createSettleHandler } from '../../functions/settle/app.js';
import { generatedClaim, generatedRegistry, random } from '../../local/generate.js';

const registry = parseRegistry(generatedRegistry(5));

/** Just what the settler uses, in memory. `conflicts` makes the next N totals writes fail their version check. */
class MemoryRepository {
  readonly settlements = new Map<string, Item>();
  readonly failures = new Map<string, FailureRecord>();
  conflicts = 0;
  failing = new Set<string>();
  writes = 0;

  async readForSettlement(hospitalId: string, claimId: string, memberId: string): Promise<SettlementInputs> {
    const existing = this.settlements.get(settlementKey(hospitalId, claimId));
    return {
      existing: existing && readSettlementItem(existing),
      member: registry.members.find((m) => m.id === memberId),
      hospital: registry.hospitals.find((h) => h.id === hospitalId),
      totals: { totals: emptyYearToDate(), version: 0 },
    };
  }

  async getTotals() {
    return { totals: emptyYearToDate(), version: 0 };
  }

  /** The totals write that adds a claim to its chain: where a version conflict or an outage shows first. */
  async writeTotals(_memberId: string, _year: number, _read: unknown, _totals: unknown, end: { last: string }): Promise<boolean> {
    if (this.failing.has(end.last)) throw new Error(`injected failure for ${end.last}`);
    if (this.conflicts > 0) {
      this.conflicts--;
      return false;
    }
    return true;
  }

  async writeSettlement(key: string, settlement: Item): Promise<'written' | 'duplicate'> {
    if (this.settlements.has(key)) return 'duplicate';
    this.writes++;
    this.settlements.set(key, { ...settlement, [ATTR.key]: { S: key } });
    return 'written';
  }

  async putFailure(key: string, failure: FailureRecord): Promise<void> {
    this.failures.set(key, failure);
  }
}

const rand = random(9);
function record(id: string, body: unknown, group?: string, receiveCount = 1): SQSRecord {
  return {
    messageId: id,
    receiptHandle: id,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: '0',
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: '0',
      ...(group ? { MessageGroupId: group } : {}),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:claims',
    awsRegion: 'us-east-1',
  };
}
const context = { functionName: 'test', awsRequestId: 'r', getRemainingTimeInMillis: () => 1000 } as unknown as Context;

function handlerWith(repository: MemoryRepository, maxReceiveCount = 5) {
  return createSettleHandler({
    stores: {
      settlements: repository,
      failures: { put: (key: string, failure: FailureRecord) => repository.putFailure(key, failure) },
    } as unknown as SettleHandlerDeps['stores'],
    book: builtInPolicyBook(),
    logger: createLogger('test', 'SILENT'),
    maxReceiveCount,
    settleAttempts: 3,
  });
}

describe('the settle handler', () => {
  it('recomputes on a version conflict, and gives the record back after the bounded attempts', async () => {
    // Prepare
    const repository = new MemoryRepository();
    const handler = handlerWith(repository);
    const a = generatedClaim(1, 0, rand);
    const b = generatedClaim(2, 0, rand);

    // Act
    repository.conflicts = 2;
    const first = await handler({ Records: [record('a', a)] } as SQSEvent, context);
    repository.conflicts = 3;
    const second = await handler({ Records: [record('b', b)] } as SQSEvent, context);

    // Assess
    expect(first.batchItemFailures).toEqual([]);
    expect(repository.settlements.has(settlementKey(a.hospital.id, a.claimId))).toBe(true);
    expect(second.batchItemFailures).toEqual([{ itemIdentifier: 'b' }]);
    expect(repository.settlements.has(settlementKey(b.hospital.id, b.claimId))).toBe(false);
  });

  it('reports only the failed record of a standard batch; in a FIFO group, the records after a failure are not tried', async () => {
    // Prepare
    const repository = new MemoryRepository();
    const handler = handlerWith(repository);
    const claims = Array.from({ length: 4 }, (_, i) => generatedClaim(3, i, rand));
    repository.failing.add(settlementKey(claims[1]!.hospital.id, claims[1]!.claimId));

    // Act
    const standard = await handler({ Records: claims.map((c, i) => record(`s${i}`, c)) } as SQSEvent, context);
    repository.settlements.clear();
    const fifo = await handler(
      { Records: [...claims.map((c, i) => record(`f${i}`, c, 'member-3')), record('other', generatedClaim(4, 0, rand), 'member-4')] } as SQSEvent,
      context,
    );

    // Assess
    expect(standard.batchItemFailures).toEqual([{ itemIdentifier: 's1' }]);
    expect(fifo.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['f1', 'f2', 'f3']);
    expect([...repository.settlements.keys()]).toHaveLength(2);
  });

  it('stores the reason on the last delivery before the dead-letter queue, and a poison record is done at once', async () => {
    // Prepare
    const repository = new MemoryRepository();
    const handler = handlerWith(repository, 3);
    const doomed = generatedClaim(1, 9, rand);
    repository.failing.add(settlementKey(doomed.hospital.id, doomed.claimId));

    // Act
    const early = await handler({ Records: [record('d', doomed, undefined, 2)] } as SQSEvent, context);
    const stored = repository.failures.size;
    const last = await handler({ Records: [record('d', doomed, undefined, 3), record('p', 'not json')] } as SQSEvent, context);

    // Assess
    expect(early.batchItemFailures).toEqual([{ itemIdentifier: 'd' }]);
    expect(stored).toBe(0);
    expect(last.batchItemFailures).toEqual([{ itemIdentifier: 'd' }]);
    expect([...repository.failures.values()].map((f) => f.code).sort()).toEqual(['DEAD_LETTERED', 'INVALID_JSON']);
  });
});
