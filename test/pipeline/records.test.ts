import { describe, expect, it } from 'vitest';
import { parseClaim } from '../../shared/contract/claim.js';
import { settle } from '../../shared/engine/settle.js';
import { builtInPolicyBook } from '../../shared/policy/book.js';
import { itemSize, numberSize, transactionalWriteUnits, valueSize } from '../../functions/storage/item-size.js';
import { parseSettlementKey, settlementKey } from '../../functions/storage/keys.js';
import { reversalWriteCost, settlementWriteCost } from '../../bench/write-cost.js';
import { readSettlementItem, readTotalsItem, settlementItem, totalsItem } from '../../functions/storage/items.js';
import { ATTR } from '../../functions/storage/table.js';
import { reverseTotals } from '../../shared/engine/ledger.js';
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
    const item = settlementItem(settlement, claim.yearToDate, claim.visit.dischargedOn, '2026-01-01T00:00:00.000Z');
    const stored = readSettlementItem(item);

    // Assess
    expect(stored.settlement.amounts.basic).toBe((settlement.amounts.basic / 100).toFixed(2));
    expect(stored.settlement.trace.length).toBe(settlement.trace.length);
    expect(stored.status).toBe('settled');
    expect(item[ATTR.key]).toEqual({ S: settlementKey(settlement.hospitalId, settlement.claimId) });
    expect(settlementKey('H#1', 'C')).not.toBe(settlementKey('H', '1#C'));
    expect(parseSettlementKey(settlementKey('H#1', 'C/2'))).toEqual({ hospitalId: 'H#1', claimId: 'C/2' });
  });

  it('keeps a settled claim within 6 write units: settlement and totals under 1 KB each, two small index entries', () => {
    // Prepare
    const claims = generatedClaims(20, 5, 7).map((input) => parseClaim(input));

    // Act
    const costs = claims.map((claim) => {
      const settlement = settle(claim, book);
      return settlementWriteCost(
        settlementItem(settlement, claim.yearToDate, claim.visit.dischargedOn, new Date().toISOString()),
        totalsItem(settlement.memberId, settlement.year, settlement.yearToDate, 12),
      );
    });

    // Assess
    for (const cost of costs) {
      expect(cost.units).toBeLessThanOrEqual(6);
      expect(Math.max(...cost.itemBytes)).toBeLessThan(1024);
    }
  });

  it('reverses totals exactly, and a reversal costs 4 write units', () => {
    // Prepare
    const [first, second] = generatedClaims(1, 2, 3).map((input) => parseClaim(input)) as [ReturnType<typeof parseClaim>, ReturnType<typeof parseClaim>];
    const a = settle(first, book);
    const b = settle({ ...second, yearToDate: a.yearToDate }, book);

    // Act
    const restored = reverseTotals(b.yearToDate, first.yearToDate, a.yearToDate);
    const totals = totalsItem(a.memberId, 2018, restored, 3);

    // Assess
    expect(restored.basicPaid).toBe(b.yearToDate.basicPaid - a.amounts.basic);
    expect(restored.admissions).toBe(1);
    expect(readTotalsItem(totals)).toEqual({ totals: restored, version: 3 });
    const reversed = { ...settlementItem(a, first.yearToDate, first.visit.dischargedOn, 'x'), [ATTR.reversedAt]: { S: new Date().toISOString() } };
    expect(reversalWriteCost(reversed, totals).units).toBe(4);
  });
});
