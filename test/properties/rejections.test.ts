/**
 * Claims the readings say must be rejected (steps 1–4): each gets its code in the contract's order of
 * checks, pays nothing and leaves the member's totals exactly as they were.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mustReject } from '../support/arbitraries.js';
import { beforeOf, expectAmountInvariants, expectPaysNothing, settleInput } from '../support/checks.js';

const RUNS = 3_000;

describe('claims that must be rejected (no policy, enrolment year, waiting period, newborn/mid-year cover incl. 山东 6 months, late submission, causes, non-designated, not covered, policy incomplete)', () => {
  it(`are rejected with the code the order of checks gives, pay nothing and leave the totals unchanged (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(mustReject, ({ code, claim: input }) => {
        // Prepare: a claim built to fail exactly one check, with random year-to-date totals
        // Act
        const { claim, settlement } = settleInput(input);
        // Assess
        expect(settlement.rejection?.code).toBe(code);
        expect(settlement.path).toBeNull();
        expect(settlement.year).toBe(Number(input.visit.dischargedOn.slice(0, 4)));
        if (code === 'NO_POLICY') expect(settlement.policy).toBeNull();
        expectAmountInvariants(settlement.amounts, settlement.status);
        expectPaysNothing(settlement, beforeOf(claim));
      }),
      { numRuns: RUNS, seed: 2019 },
    );
  });
});
