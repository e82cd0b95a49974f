/** The sample generator: valid, deterministic, ordered, varied claims; and `claims generate`. */
import { beforeAll, describe, expect, it } from 'vitest';
import { type ClaimInput, parseClaim } from '../../shared/contract/claim.js';
import { YearToDateLedger, settleAgainstLedger } from '../../shared/engine/ledger.js';
import { builtInPolicyBook } from '../../shared/policy/book.js';
import { generateClaims, mulberry32 } from '../../cli/sample/generate.js';
import { claims, ensureBuilt, jsonLines } from './helpers.js';

beforeAll(() => {
  ensureBuilt();
});

describe('generateClaims', () => {
  it.each([1, 2, 42])('makes claims that all pass the contract (seed %i, 4000 claims)', (seed) => {
    // Prepare
    const generated = [...generateClaims({ count: 4000, seed })];

    // Act
    const failures = generated.flatMap((claim) => {
      try {
        parseClaim(claim);
        return [];
      } catch (error) {
        return [{ claimId: claim.claimId, error: (error as Error).message }];
      }
    });

    // Assess
    expect(generated).toHaveLength(4000);
    expect(failures).toEqual([]);
  });

  it('gives the same claims for the same seed and different claims for another', () => {
    // Act
    const a = JSON.stringify([...generateClaims({ count: 300, seed: 9 })]);
    const b = JSON.stringify([...generateClaims({ count: 300, seed: 9 })]);
    const c = JSON.stringify([...generateClaims({ count: 300, seed: 10 })]);

    // Assess
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it("puts each member's claims in discharge-date order and keeps each member's details fixed", () => {
    // Prepare
    const last = new Map<string, ClaimInput>();
    let outOfOrder = 0;
    let changed = 0;

    // Act
    for (const claim of generateClaims({ count: 5000, seed: 5 })) {
      const before = last.get(claim.member.id);
      if (before && before.visit.dischargedOn > claim.visit.dischargedOn) outOfOrder += 1;
      if (before && JSON.stringify(before.member) !== JSON.stringify(claim.member)) changed += 1;
      last.set(claim.member.id, claim);
    }

    // Assess
    expect(outOfOrder).toBe(0);
    expect(changed).toBe(0);
  });

  it('covers the paths and rejections of a real year, with totals that cross the catastrophic threshold and the cap', () => {
    // Prepare
    const book = builtInPolicyBook();
    const ledger = new YearToDateLedger();
    const seen = new Set<string>();
    let catastrophic = 0;

    // Act
    for (const input of generateClaims({ count: 20000, seed: 1 })) {
      const claim = parseClaim(input);
      const settlement = settleAgainstLedger(claim, book, ledger);
      seen.add(settlement.rejection ? settlement.rejection.code : `${settlement.policy}:${settlement.path}`);
      if (settlement.amounts.catastrophic > 0) catastrophic += 1;
      if (settlement.amounts.assistance > 0) seen.add('assistance');
      if (settlement.amounts.charity > 0) seen.add('charity');
      if (settlement.amounts.hospitalBorne > 0) seen.add('hospitalBorne');
    }
    const capped = [...ledger.entries()].filter(({ totals }) => totals.basicPaid >= 7_000_000).length;

    // Assess
    for (const expected of [
      'jinzhong-2017:inpatient',
      'jinzhong-2017:outpatient',
      'jinzhong-2017:childbirth',
      'jinzhong-2017:serious-disease',
      'pingyang-2019:inpatient',
      'pingyang-2019:outpatient',
      'pingyang-2019:special-outpatient',
      'pingyang-2019:emergency-death',
      'taiyuan-2015:outpatient',
      'WAITING_PERIOD',
      'EXCLUDED_CAUSE',
      'NON_DESIGNATED',
      'POLICY_INCOMPLETE',
      'assistance',
      'charity',
      'hospitalBorne',
    ]) {
      expect(seen, expected).toContain(expected);
    }
    expect(catastrophic).toBeGreaterThan(100);
    expect(capped).toBeGreaterThan(0);
  });

  it('gives every claim exactly linesPerClaim lines when asked', () => {
    // Act
    const sizes = new Set([...generateClaims({ count: 500, seed: 4, linesPerClaim: 12 })].map((claim) => claim.items.length));

    // Assess
    expect([...sizes]).toEqual([12]);
  });

  it('draws from mulberry32, a seeded PRNG in [0, 1)', () => {
    // Prepare
    const next = mulberry32(123);

    // Act
    const draws = Array.from({ length: 1000 }, next);

    // Assess
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mulberry32(123)()).toBe(draws[0]);
  });
});

describe('claims generate', () => {
  it('writes --count claims as JSON Lines', () => {
    // Act
    const run = claims(['generate', '--count', '25', '--seed', '2', '--members', '5', '--lines-per-claim', '3']);

    // Assess
    expect(run.status).toBe(0);
    const lines = jsonLines(run.stdout) as unknown as ClaimInput[];
    expect(lines).toHaveLength(25);
    expect(new Set(lines.map((claim) => claim.member.id)).size).toBeLessThanOrEqual(5);
    expect(lines.every((claim) => claim.items.length === 3)).toBe(true);
  });

  it('refuses a count that is not a whole number', () => {
    // Act
    const run = claims(['generate', '--count', 'many']);

    // Assess
    expect(run.status).toBe(64);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
