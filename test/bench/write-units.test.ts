import { describe, expect, it } from 'vitest';
import { measureDoorWriteUnits, writeUnitLines } from '../../bench/write-units.js';

describe('write units per claim at each door', () => {
  it('a batch claim costs what a single claim costs, a duplicate nothing, a refused bulk line one put', () => {
    // Act
    const units = measureDoorWriteUnits(40, 3);
    const lines = writeUnitLines(units);

    // Assess: at the door the accepted put (1) and its order-index entry (1); then the totals put (1) and the
    // record's update into the settlement (1), no transaction and no other index. A rejected claim is a link too.
    expect(units.settled).toEqual([4, 4]);
    expect(units.batchClaim).toEqual(units.settled);
    expect(units.rejected).toEqual([4, 4]);
    expect(units.duplicate).toBe(0);
    expect(units.bulkRefusedLine).toBe(1);
    expect(lines.find((l) => l.includes('batch or bulk claim'))).toContain('4');
    expect(lines.find((l) => l.includes('settled claim'))).toContain('target ≤ 4: met');
  });
});
