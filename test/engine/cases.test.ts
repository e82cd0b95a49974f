/**
 * The worked cases (`test/cases/`, and any beside the clone: see support/cases.ts), each settled
 * through the engine and compared field by field: status, rejection code, every expected amount and
 * year-to-date total. A new case file runs here without code changes.
 */
import { describe, expect, it } from 'vitest';
import { parseClaim } from '../../shared/contract/claim.js';
import { settle } from '../../shared/engine/settle.js';
import { settlementToJson } from '../../shared/engine/settlement.js';
import { builtInPolicyBook } from '../../shared/policy/book.js';
import { workedCases } from '../support/cases.js';

const cases = workedCases();

describe('worked cases', () => {
  it('finds the cases folder', () => {
    expect(cases.length).toBeGreaterThanOrEqual(36);
  });

  it.each(cases.map((c) => [`${c.id}: ${c.title} [${c.readings}]`, c] as const))('%s', (_name, workedCase) => {
    // Prepare
    const claim = parseClaim(workedCase.claim);

    // Act
    const got = settlementToJson(settle(claim, builtInPolicyBook()));

    // Assess
    const { expected } = workedCase;
    expect(got.policy).toBe(expected.policy);
    expect(got.year).toBe(expected.year);
    expect(got.status).toBe(expected.status);
    if (expected.rejection) expect(got.rejection?.code).toBe(expected.rejection.code);
    for (const [key, value] of Object.entries(expected.amounts)) {
      expect({ [key]: got.amounts[key as keyof typeof got.amounts] }).toEqual({ [key]: value });
    }
    for (const [key, value] of Object.entries(expected.yearToDate)) {
      expect({ [key]: got.yearToDate[key as keyof typeof got.yearToDate] }).toEqual({ [key]: value });
    }
    expect(got.trace.length).toBeGreaterThan(0);
  });
});
