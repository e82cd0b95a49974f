/** The benchmark's floor computes the engine's split for the benchmark claims (else its speed proves nothing). No timing. */
import { describe, expect, it } from 'vitest';
import { inpatientClaim } from '../../bench/claims.js';
import { checkFloorAgrees } from '../../bench/engine.js';
import { floorFromJson, floorSettle, prepareFloor } from '../../bench/floor.js';

describe('bench floor', () => {
  it.each([1, 20, 200])('gives the engine amounts for the %i-line claim', (lines) => {
    expect(() => checkFloorAgrees(lines)).not.toThrow();
  });

  it('starts from JSON text with the same result as from prepared numbers', () => {
    const claim = inpatientClaim(20);
    expect(floorFromJson(JSON.stringify(claim))).toEqual(floorSettle(prepareFloor(claim)));
  });

  it('pays catastrophic above 10,000 of cumulative compliant self-pay on the 200-line claim', () => {
    const split = floorSettle(prepareFloor(inpatientClaim(200)));
    expect(split.catastrophic).toBeGreaterThan(0);
    expect(split.patient).toBe(split.total - split.basic - split.catastrophic);
  });
});
