/**
 * The worked cases of the steering repo (`../shared/cases`), each settled through the engine and
 * compared field by field: status, rejection code, every expected amount and year-to-date total.
 * New cases dropped into that folder run here without code changes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseClaim } from '../../shared/contract/claim.js';
import { settle } from '../../shared/engine/settle.js';
import { settlementToJson } from '../../shared/engine/settlement.js';
import { builtInPolicyBook } from '../../shared/policy/book.js';

interface WorkedCase {
  id: string;
  title: string;
  readings: string;
  claim: unknown;
  expected: {
    policy: string | null;
    year: number;
    status: 'settled' | 'rejected';
    rejection?: { code: string };
    amounts: Record<string, string>;
    yearToDate: Record<string, string | number | boolean>;
  };
}

const CASES_DIR = resolve(import.meta.dirname, '../../../shared/cases');

function loadCases(): WorkedCase[] {
  return readdirSync(CASES_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(CASES_DIR, name), 'utf8')) as WorkedCase);
}

const cases = loadCases();

describe('worked cases of shared/cases', () => {
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
