/**
 * The engine against an independent model of "Settlement, step by step" (test/support/oracle.ts):
 * for every settled claim of 晋中, 平阳 and 太原 campus outpatient, the path and every amount must be
 * what the readings compute, to the fen.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClaimInput } from '../../shared/contract/claim.js';
import { jinzhongAny, pingyangAny, taiyuanCampusOutpatient } from '../support/arbitraries.js';
import { formatFen, settleInput } from '../support/checks.js';
import { expectedPath, expectedSettlement } from '../support/oracle.js';

const RUNS = 3_000;
const AMOUNTS = ['fullOwnPay', 'preSelfPay', 'policyScope', 'deductible', 'basic', 'catastrophic', 'assistance', 'charity', 'hospitalBorne'] as const;

function expectAsTheReadingsCompute(input: ClaimInput): void {
  // Act
  const { claim, settlement } = settleInput(input);
  // Assess
  if (settlement.status !== 'settled') return;
  expect(settlement.path).toBe(expectedPath(claim));
  const expected = expectedSettlement(claim, settlement.path as string);
  if (!expected) return;
  const got = Object.fromEntries(AMOUNTS.map((key) => [key, settlement.amounts[key]]));
  const want = Object.fromEntries(AMOUNTS.map((key) => [key, formatFen(expected[key])]));
  expect(got).toEqual(want);
}

describe.each([
  ['晋中 (ordinary inpatient, childbirth, serious diseases, outpatient)', jinzhongAny],
  ['平阳 (inpatient, outpatient, special-outpatient, emergency death)', pingyangAny],
  ['太原 campus outpatient', taiyuanCampusOutpatient],
] as const)('%s', (_name, arbitrary) => {
  it(`settles every payable claim to the fen as the readings compute it (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(arbitrary as fc.Arbitrary<ClaimInput>, (input) => {
        // Prepare: a generated valid claim
        expectAsTheReadingsCompute(input);
      }),
      { numRuns: RUNS, seed: 315 },
    );
  });
});
