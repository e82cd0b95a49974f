import { describe, expect, it } from 'vitest';
import { parseClaim } from '../../shared/contract/claim.js';
import { settle } from '../../shared/engine/settle.js';
import { builtInPolicyBook } from '../../shared/policy/book.js';
import { itemSize, numberSize, transactionalWriteUnits, valueSize } from '../../functions/storage/item-size.js';
import { parseSettlementKey, settlementKey } from '../../functions/storage/keys.js';
import { acceptedWriteCost, settleOverAcceptedWriteCost } from '../../bench/write-cost.js';
import { acceptedItem } from '../../functions/storage/accepted.js';
import { readContent, readSettlementItem, readTotalsItem, settlementItem, totalsItem } from '../../functions/storage/items.js';
import { ATTR } from '../../functions/storage/table.js';
import { generatedClaims } from '../../local/generate.js';

const book = builtInPolicyBook();

describe('item sizes by the DynamoDB rules', () => {
  it('counts names and values: strings in UTF-8, numbers by significant digits, maps with overhead', () => {
    // Prepare
    const item = { pk: { S: 'C#H#1' }, v: { N: '12345' }, b: { BOOL: true }, m: { M: { a: { S: '中' } } } };

    // Act
    const size = itemSize(item);

    // Assess: pk 2+5, v 1+(3+1), b 1+1, m 1+(3 + 1 + 1 + 3)
    expect(size).toBe(7 + 5 + 2 + 9);
    expect(numberSize('100')).toBe(2);
    expect(numberSize('-0.00123')).toBe(3);
    expect(valueSize({ L: [{ N: '1' }, { N: '2' }] })).toBe(3 + 2 + 2 * 2);
    expect(transactionalWriteUnits(1024)).toBe(2);
    expect(transactionalWriteUnits(1025)).toBe(4);
  });
});

describe('stored settlements', () => {
  it('round-trips a settlement through its compressed item, and the key is unambiguous', () => {
    // Prepare
    const claim = parseClaim(generatedClaims(1, 1)[0]);
    const settlement = settle(claim, book);

    // Act
    const item = { [ATTR.key]: { S: settlementKey(settlement.hospitalId, settlement.claimId) }, ...settlementItem(settlement, claim.yearToDate, claim, '2026-01-01T00:00:00.000Z') };
    const stored = readSettlementItem(item);

    // Assess
    expect(stored.settlement.amounts.basic).toBe((settlement.amounts.basic / 100).toFixed(2));
    expect(stored.settlement.trace.length).toBe(settlement.trace.length);
    expect(stored.status).toBe('settled');
    expect(stored.version).toBe(1);
    expect(readContent(item)).toEqual(claim);
    expect(settlementKey('H#1', 'C')).not.toBe(settlementKey('H', '1#C'));
    expect(parseSettlementKey(settlementKey('H#1', 'C/2'))).toEqual({ hospitalId: 'H#1', claimId: 'C/2' });
  });

  it('keeps a settled claim within 4 write units all in: the accepted put and its index entry, the totals put, the update into the settlement', () => {
    // Prepare
    const claims = generatedClaims(20, 5, 7).map((input) => ({ input, claim: parseClaim(input) }));
    const at = new Date().toISOString();

    // Act
    const costs = claims.map(({ input, claim }) => {
      const settlement = settle(claim, book);
      const key = settlementKey(claim.hospital.id, claim.claimId);
      const accepted = acceptedItem(claim, input, at);
      const totals = totalsItem(settlement.memberId, settlement.year, settlement.yearToDate, 12, { last: key, lastBefore: claim.yearToDate, lastPrevious: 'C#H-1#PREVIOUS-CLAIM' });
      return { door: acceptedWriteCost(accepted), settle: settleOverAcceptedWriteCost(accepted, settlementItem(settlement, claim.yearToDate, claim, at, 'C#H-1#PREVIOUS-CLAIM'), totals) };
    });

    // Assess
    for (const cost of costs) {
      expect(cost.door.units + cost.settle.units).toBeLessThanOrEqual(4);
      expect(Math.max(...cost.door.itemBytes, ...cost.settle.itemBytes)).toBeLessThan(1024);
    }
  });

  it('reads the chain end and a pending correction back from the totals item', () => {
    // Prepare
    const [first] = generatedClaims(1, 1, 3).map((input) => parseClaim(input)) as [ReturnType<typeof parseClaim>];
    const a = settle(first, book);
    const end = { last: 'C#H-1#B', lastPrevious: 'C#H-1#A', lastBefore: first.yearToDate };

    // Act
    const totals = readTotalsItem(totalsItem(a.memberId, 2018, a.yearToDate, 3, end));

    // Assess
    expect(totals).toEqual({ totals: a.yearToDate, version: 3, ...end });
    expect(readTotalsItem(totalsItem(a.memberId, 2018, a.yearToDate, 1))).toEqual({ totals: a.yearToDate, version: 1 });
  });
});
