import { describe, expect, it } from 'vitest';
import { measureDoorWriteUnits, writeUnitLines } from '../../bench/write-units.js';

describe('write units per claim at each door', () => {
  it('a batch claim costs what a single claim costs, a duplicate nothing, a refused bulk line one put', () => {
    // Act
    const units = measureDoorWriteUnits(40, 3);
    const lines = writeUnitLines(units);

    // Assess: at the door the accepted put (1) and its index entry (1); then the settlement update (< 1 KB, 2),
    // the totals (2) and two keys-only index entries (1 + 1). A rejected claim writes no totals.
    expect(units.settled).toEqual([8, 8]);
    expect(units.batchClaim).toEqual(units.settled);
    expect(units.rejected).toEqual([6, 6]);
    expect(units.duplicate).toBe(0);
    expect(units.bulkRefusedLine).toBe(1);
    expect(lines.find((l) => l.includes('batch or bulk claim'))).toContain('8');
  });
});
