import { describe, expect, it } from 'vitest';
import { measureDoorWriteUnits, writeUnitLines } from '../../bench/write-units.js';

describe('write units per claim at each door', () => {
  it('a batch claim costs what a single claim costs, a duplicate nothing, a refused bulk line one put', () => {
    // Act
    const units = measureDoorWriteUnits(40, 3);
    const lines = writeUnitLines(units);

    // Assess: settlement (< 1 KB, 2) + totals (2) + two keys-only index entries (1 + 1).
    expect(units.settled).toEqual([6, 6]);
    expect(units.batchClaim).toEqual(units.settled);
    expect(units.duplicate).toBe(0);
    expect(units.bulkRefusedLine).toBe(1);
    expect(lines.find((l) => l.includes('batch or bulk claim'))).toContain('6');
  });
});
