/**
 * A sixth policy is a data change: a policy file with a new id and a new region, in an operator's
 * `--policies DIR`, settles claims of that region with no code change. (docs/adding-a-policy.md)
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { jinzhongInpatient } from '../support/claims.js';
import { ROOT, claims, ensureBuilt } from './helpers.js';

/** A synthetic policy for a region no built-in pack covers: 晋中's numbers under a new id, region and period. */
function datongPolicy(): Record<string, unknown> {
  const jinzhong = JSON.parse(readFileSync(join(ROOT, 'shared/policy/packs/jinzhong-2017.json'), 'utf8')) as Record<string, unknown>;
  const effective = jinzhong['effective'] as Record<string, unknown>;
  return { ...jinzhong, id: 'datong-2021', region: 'datong', title: '合成测试政策 (synthetic)', effective: { ...effective, from: '2021-01-01', to: null } };
}

const claimOf = (region: string) =>
  jinzhongInpatient({
    claimId: `${region.toUpperCase()}-2021-0001`,
    member: { region, enrolment: { year: 2021, kind: 'regular', paidOn: '2020-11-15' } },
    visit: { admittedOn: '2021-03-05', dischargedOn: '2021-03-14' },
  });

/** The operator's policy directory (the new policy file only) and a directory of claims beside it. */
let dir: string;
let claimsDir: string;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'claims-sixth-policies-'));
  claimsDir = mkdtempSync(join(tmpdir(), 'claims-sixth-claims-'));
  writeFileSync(join(dir, 'datong-2021.json'), JSON.stringify(datongPolicy(), null, 2));
  writeFileSync(join(claimsDir, 'datong.json'), JSON.stringify(claimOf('datong')));
  writeFileSync(join(claimsDir, 'jinzhong.json'), JSON.stringify(claimOf('jinzhong')));
});

describe('a sixth policy with a new region, from a directory', () => {
  it('settles a claim of the new region by the new policy, with the numbers it carries', () => {
    // Prepare: the same claim in 晋中, whose numbers the synthetic policy copies
    const reference = claims(['settle', join(claimsDir, 'jinzhong.json')]);

    // Act
    const run = claims(['settle', '--policies', dir, join(claimsDir, 'datong.json')]);

    // Assess
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const settlement = JSON.parse(run.stdout) as { status: string; policy: string; amounts: Record<string, string> };
    expect(settlement).toMatchObject({ status: 'settled', policy: 'datong-2021' });
    expect(settlement.amounts).toEqual((JSON.parse(reference.stdout) as { amounts: Record<string, string> }).amounts);
    expect(Number(settlement.amounts['basic'])).toBeGreaterThan(0);
  });

  it('lists the new policy beside the five built-in ones', () => {
    // Act
    const run = claims(['policies', '--json', '--policies', dir]);

    // Assess
    expect(run.status).toBe(0);
    const ids = (JSON.parse(run.stdout) as { id: string }[]).map((listing) => listing.id);
    expect(ids).toHaveLength(6);
    expect(ids).toContain('datong-2021');
  });

  it('refuses the same claim without the policy directory, naming member.region', () => {
    // Act
    const run = claims(['settle', join(claimsDir, 'datong.json')]);

    // Assess: no built-in policy covers datong, so the region is not one a claim may name
    expect(run.status).toBe(2);
    const error = JSON.parse(run.stdout) as { error: string; issues: { path: string; message: string }[] };
    expect(error.error).toBe('INVALID_CLAIM');
    expect(error.issues).toEqual([{ path: 'member.region', message: expect.stringContaining('is not a region of any policy') }]);
  });
});
