/**
 * What-if replay: the same policies report no difference; an overlay raising the 晋中 class2-county
 * deductible from 400 to 600 shifts exactly what a hand computation says, carried across a member's
 * second admission (whose deductible is halved under both).
 */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ClaimInput, parseClaim } from '../../shared/contract/claim.js';
import { BUILT_IN_PACKS, buildPolicyBook, builtInPolicyBook } from '../../shared/policy/book.js';
import { WhatIf, formatWhatIf, runWhatIf, whatIfToJson } from '../../shared/province/whatif.js';
import { generateClaims } from '../../cli/sample/generate.js';
import { claims, ensureBuilt } from '../cli/helpers.js';

const OVERLAY = { id: 'jinzhong-2017', version: '1.1.0', inpatient: { tiers: { 'class2-county': { deductible: '600.00' } } } };

/** The worked case JZ01 (policy scope 1634.50 at class2-county, 75%) for one member, admitted twice. */
function admission(claimId: string, admittedOn: string, dischargedOn: string): ClaimInput {
  return {
    claimId,
    member: { id: 'M-0001', region: 'jinzhong', birthDate: '1970-05-20', categories: [], enrolment: { year: 2018, kind: 'regular', paidOn: '2017-11-15' } },
    hospital: { id: 'H-0001', tier: 'class2-county', designated: true, primaryCare: false, outsidePoolingArea: false },
    visit: { type: 'inpatient', admittedOn, dischargedOn, emergency: false, referral: false, cause: 'illness' },
    items: [{ code: 'D001', name: 'catalogue drugs and services', category: 'catalogue', amount: '1634.50' }],
  };
}
const WORKED = [admission('JZ01-0001', '2018-03-05', '2018-03-14'), admission('JZ01-0002', '2018-06-01', '2018-06-09')];

describe('whatif (core)', () => {
  it('reports no difference when both sides have the same policies', async () => {
    // Prepare
    const claimStream = [...generateClaims({ count: 3000, seed: 5 })].map((c) => parseClaim(c));

    // Act
    const report = await runWhatIf(claimStream, builtInPolicyBook(), buildPolicyBook(BUILT_IN_PACKS), { top: 5 });

    // Assess
    expect(report.claimsChanged).toBe(0);
    expect(report.membersAffected).toBe(0);
    expect(report.topMembers).toEqual([]);
    expect(report.changed).toEqual(report.baseline);
    expect(Object.values(whatIfToJson(report).difference.amounts).every((d) => d === '0.00')).toBe(true);
  });

  it('shifts exactly the hand-computed amounts when the deductible rises 400 → 600', async () => {
    // Prepare: by hand, at 75% (R24 half up):
    //   first admission   in force (1634.50 − 400) × 0.75 = 925.875 → 925.88;  changed (1634.50 − 600) × 0.75 = 775.875 → 775.88
    //   second admission  halved (R03): (1634.50 − 200) × 0.75 = 1075.875 → 1075.88; (1634.50 − 300) × 0.75 = 1000.875 → 1000.88
    //   basic 2001.76 → 1776.76 (−225.00); patients 1267.24 → 1492.24 (+225.00); no catastrophic either way.
    const changedBook = buildPolicyBook(BUILT_IN_PACKS, [{ source: 'test overlay', document: OVERLAY }]);

    // Act
    const report = whatIfToJson(await runWhatIf(WORKED.map((c) => parseClaim(c)), builtInPolicyBook(), changedBook));

    // Assess
    expect(report.baseline.amounts).toMatchObject({ total: '3269.00', basic: '2001.76', catastrophic: '0.00', patient: '1267.24' });
    expect(report.changed.amounts).toMatchObject({ total: '3269.00', basic: '1776.76', catastrophic: '0.00', patient: '1492.24' });
    expect(report.difference.amounts).toMatchObject({ total: '0.00', basic: '-225.00', catastrophic: '0.00', patient: '+225.00' });
    expect(report.claimsChanged).toBe(2);
    expect(report.topMembers).toEqual([{ memberId: 'M-0001', year: 2018, patientBaseline: '1267.24', patientChanged: '1492.24', delta: '+225.00' }]);
  });

  it('counts members crossing the catastrophic threshold under each policy set', () => {
    // Prepare: one member, one large admission: compliant self-pay above 晋中's 10,000 in both.
    const big = { ...admission('BIG-1', '2018-03-05', '2018-03-14'), items: [{ category: 'catalogue' as const, amount: '80000.00' }] };
    const whatIf = new WhatIf(builtInPolicyBook(), buildPolicyBook(BUILT_IN_PACKS, [{ source: 'test overlay', document: OVERLAY }]));

    // Act
    whatIf.add(parseClaim(big));
    const report = whatIf.finish();

    // Assess: (80000 − 400) × 0.75 = 59700 basic; self-pay 20300 > 10000 in force; 20450 changed.
    expect(report.baseline.crossedCatastrophic).toBe(1);
    expect(report.changed.crossedCatastrophic).toBe(1);
    expect(report.changed.amounts.catastrophic - report.baseline.amounts.catastrophic).toBe(11250); // 150.00 × 0.75
  });

  it('is deterministic and lists the most affected members first', async () => {
    // Prepare
    const input = [...generateClaims({ count: 2000, seed: 9 })].map((c) => parseClaim(c));
    const changedBook = () => buildPolicyBook(BUILT_IN_PACKS, [{ source: 'test overlay', document: OVERLAY }]);

    // Act
    const first = formatWhatIf(await runWhatIf(input, builtInPolicyBook(), changedBook(), { top: 20 }));
    const report = await runWhatIf(input, builtInPolicyBook(), changedBook(), { top: 20 });

    // Assess
    expect(formatWhatIf(report)).toBe(first);
    const deltas = report.topMembers.map((m) => Math.abs(m.delta));
    expect(deltas).toEqual([...deltas].sort((a, b) => b - a));
    expect(report.changed.amounts.patient).toBeGreaterThan(report.baseline.amounts.patient);
  });
});

describe('claims whatif', () => {
  let dir: string;
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'claims-whatif-'));
    mkdirSync(join(dir, 'overlay'));
    mkdirSync(join(dir, 'none'));
    writeFileSync(join(dir, 'overlay', 'jinzhong-deductible.json'), JSON.stringify(OVERLAY));
    writeFileSync(join(dir, 'worked.jsonl'), WORKED.map((c) => JSON.stringify(c)).join('\n') + '\n');
  });

  it('prints the hand-computed shift as JSON', () => {
    // Act
    const run = claims(['whatif', join(dir, 'worked.jsonl'), '--policies', join(dir, 'overlay'), '--json']);

    // Assess
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.difference.amounts).toMatchObject({ basic: '-225.00', patient: '+225.00' });
    expect(run.stderr).toMatch(/claims whatif: 2 claims replayed twice/);
  });

  it('writes --report: one page with Chart.js inlined, the summary\'s numbers and the members masked, asking nothing from the network', () => {
    // Prepare
    const file = join(dir, 'report.html');

    // Act
    const run = claims(['whatif', join(dir, 'worked.jsonl'), '--policies', join(dir, 'overlay'), '--json', '--report', file]);

    // Assess
    expect(run.status).toBe(0);
    expect(run.stderr).toContain(`report written to ${file}`);
    const html = readFileSync(file, 'utf8');
    const json = JSON.parse(run.stdout);
    // Booleans, not the page itself, in the assertions: a failure would print 250 kB of Chart.js.
    expect(html.includes('Chart.js v4')).toBe(true);
    expect(/<script[^>]+src=|<link|https?:\/\/(?!www\.chartjs\.org|github\.com)/.test(html)).toBe(false);
    expect(html.includes(`data-value="difference.basic">${json.difference.amounts.basic}<`)).toBe(true);
    expect(html.includes(`data-value="months.2018-03.changed.basic">${json.months[0].changed.basic}<`)).toBe(true);
    expect(html.includes('>M-0*01</th>')).toBe(true);
    expect(html.includes('M-0001')).toBe(false);
  });

  it('adds up the months, the share bands and the crossings to the totals', async () => {
    // Prepare
    const claimStream = [...generateClaims({ count: 2000, seed: 9 })].map((c) => parseClaim(c));
    const changedBook = buildPolicyBook(BUILT_IN_PACKS, [{ source: 'test overlay', document: OVERLAY }]);

    // Act
    const report = await runWhatIf(claimStream, builtInPolicyBook(), changedBook);

    // Assess
    for (const scenario of [report.baseline, report.changed]) {
      for (const key of ['total', 'basic', 'catastrophic', 'patient'] as const) {
        expect(Object.values(scenario.months).reduce((sum, m) => sum + m[key], 0)).toBe(scenario.amounts[key]);
      }
      expect(scenario.patientShareBands.reduce((a, b) => a + b, 0)).toBe(scenario.claims);
      expect(Object.values(scenario.crossedByMonth).reduce((a, b) => a + b, 0)).toBe(scenario.crossedCatastrophic);
    }
  });

  it('prints a side-by-side table, no difference with an empty overlay directory', () => {
    // Act
    const run = claims(['whatif', join(dir, 'worked.jsonl'), '--policies', join(dir, 'none')]);

    // Assess
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('what-if over 2 claims: 0 settle differently');
    expect(run.stdout).toContain("no member's own share changes");
  });

  it('needs --policies, and names an invalid claim line', () => {
    // Prepare
    writeFileSync(join(dir, 'bad.jsonl'), `${JSON.stringify(WORKED[0])}\n{"claimId":1}\n`);

    // Act
    const missing = claims(['whatif', join(dir, 'worked.jsonl')]);
    const bad = claims(['whatif', join(dir, 'bad.jsonl'), '--policies', join(dir, 'none')]);

    // Assess
    expect(missing.status).toBe(64);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('line 2');
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
