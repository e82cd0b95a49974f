/**
 * The properties every policy and care path must keep, as one suite that each policy's test file runs
 * over its own generators. Caps are read from the policy book, so a pack change moves the test with it.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { Claim, ClaimInput } from '../../shared/contract/claim.js';
import type { SettlementJson, YearToDateJson } from '../../shared/engine/settlement.js';
import type { Policy } from '../../shared/policy/schema.js';
import {
  INPATIENT_CAP_PATHS,
  beforeOf,
  expectAmountInvariants,
  expectPaysNothing,
  expectTotalsNeverDecrease,
  expectedYearToDateAfter,
  fen,
  policyOf,
  roomOf,
  settleInput,
} from './checks.js';

/** Runs per property: enough to reach the rarer branches (caps already used up, age exactly 14...). */
export const RUNS = { invariants: 2_000, caps: 2_000, determinism: 1_000, totals: 2_000 } as const;

const SEED = 20_180_315;

/** The outpatient annual deductible of the claim's tier, if the policy has one (太原 students, R22). */
function outpatientDeductibleCap(policy: Policy, tier: string): number | undefined {
  const rule = policy.outpatient?.tiers[tier] ?? policy.outpatient?.default;
  return rule && rule.covered ? rule.annualDeductible?.amount : undefined;
}

function expectAtMost(what: string, value: bigint, limit: bigint): void {
  if (value > limit) expect.fail(`${what}: ${value} fen is above the limit ${limit} fen`);
}

/** The caps the readings set on a settled claim's payers (R11, R12, R13, R18, R19, R22, step 8). */
function expectWithinCaps(claim: Claim, settlement: SettlementJson, policy: Policy): void {
  const before = beforeOf(claim);
  const used = (key: Exclude<keyof YearToDateJson, 'admissions' | 'specialOutpatientDeductibleTaken'>): string => before[key];
  const input = claim;
  const basic = fen(settlement.amounts.basic);
  const path = settlement.path;
  const inpatientCap = policy.inpatient?.annualCap?.amount;
  if (path && INPATIENT_CAP_PATHS.includes(path) && inpatientCap !== undefined) {
    expectAtMost('basic (inpatient cap room)', basic, roomOf(inpatientCap, used('basicPaid')));
  }
  if (path === 'outpatient' && policy.outpatient) {
    expectAtMost('basic (outpatient cap room)', basic, roomOf(policy.outpatient.annualCap.amount, used('outpatientPaid')));
    const deductibleCap = outpatientDeductibleCap(policy, input.hospital.tier);
    const deductible = fen(settlement.amounts.deductible);
    if (deductibleCap === undefined) expect(deductible).toBe(0n);
    else expectAtMost('outpatient deductible (annual room)', deductible, roomOf(deductibleCap, used('outpatientDeductibleUsed')));
  }
  if (path === 'childbirth' && policy.childbirth) {
    const standard = input.hospital.primaryCare ? policy.childbirth.standard.primaryCare : policy.childbirth.standard.other;
    expectAtMost('basic (childbirth standard)', basic, BigInt(standard));
    expectAtMost('basic (childbirth policy scope)', basic, fen(settlement.amounts.policyScope));
  }
  const catastrophic = fen(settlement.amounts.catastrophic);
  const catastrophicCap = policy.catastrophic?.annualCap?.amount;
  if (catastrophicCap !== undefined) {
    expectAtMost('catastrophic (annual cap room)', catastrophic, roomOf(catastrophicCap, used('catastrophicPaid')));
  }
  // Outside the policy's catastrophic scope nothing is paid by catastrophic insurance at all.
  if (path && !(policy.catastrophic?.paths.includes(path) ?? false)) expect(catastrophic).toBe(0n);
}

/** The property suite over one generator of valid claims. */
export function settlementProperties(arbitrary: fc.Arbitrary<ClaimInput>): void {
  it(`the payers and the scope pieces add up to the total to the fen, nothing negative (${RUNS.invariants} runs)`, () => {
    fc.assert(
      fc.property(arbitrary, (input) => {
        // Prepare: a generated valid claim
        // Act
        const { settlement } = settleInput(input);
        // Assess
        expectAmountInvariants(settlement.amounts, settlement.status);
      }),
      { numRuns: RUNS.invariants, seed: SEED },
    );
  });

  it(`basic and catastrophic stay within the room their annual caps leave (${RUNS.caps} runs)`, () => {
    fc.assert(
      fc.property(arbitrary, (input) => {
        // Prepare
        // Act
        const { claim, settlement } = settleInput(input);
        // Assess
        const policy = policyOf(settlement);
        if (policy && settlement.status === 'settled') expectWithinCaps(claim, settlement, policy);
        if (settlement.status === 'rejected') expect(fen(settlement.amounts.basic) + fen(settlement.amounts.catastrophic)).toBe(0n);
      }),
      { numRuns: RUNS.caps, seed: SEED + 1 },
    );
  });

  it(`settling is deterministic: the same claim twice gives deep-equal JSON (${RUNS.determinism} runs)`, () => {
    fc.assert(
      fc.property(arbitrary, (input) => {
        // Prepare: two independent copies, so that nothing shared between the calls can leak
        const copy = structuredClone(input);
        // Act
        const first = JSON.stringify(settleInput(input).settlement);
        const second = JSON.stringify(settleInput(copy).settlement);
        // Assess
        expect(second).toBe(first);
      }),
      { numRuns: RUNS.determinism, seed: SEED + 2 },
    );
  });

  it(`the totals never decrease and move by this claim's amounts as step 11 says; a rejection moves nothing (${RUNS.totals} runs)`, () => {
    fc.assert(
      fc.property(arbitrary, (input) => {
        // Prepare
        // Act
        const { claim, settlement } = settleInput(input);
        // Assess
        const before = beforeOf(claim);
        expectTotalsNeverDecrease(before, settlement.yearToDate);
        const policy = policyOf(settlement);
        if (settlement.status === 'rejected') expectPaysNothing(settlement, before);
        else expect(settlement.yearToDate).toEqual(expectedYearToDateAfter(before, settlement, policy as Policy));
      }),
      { numRuns: RUNS.totals, seed: SEED + 3 },
    );
  });
}
