/** `claims policies`, and the Taiyuan 2015 overlay that supplies the inpatient numbers the notice leaves out. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { claims, ensureBuilt, OVERLAYS } from './helpers.js';

let dir: string;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'claims-policies-'));
});

interface Listing {
  id: string;
  sources: string[];
  tiers: { key: string; inpatient: { deductible: string; ratio: string } | null }[];
  carePaths: { path: string; status: string; detail: string }[];
  clauses: string[];
}

/**
 * A Taiyuan 2015 inpatient claim at a class2 hospital: catalogue 40,000.00, class-b 5,000.00 with a
 * self-pay ratio of 0.20, out of catalogue 1,000.00.
 */
const taiyuanInpatient = {
  claimId: 'TY-2015-IN-0001',
  member: { id: 'M-140100-900001', region: 'taiyuan', birthDate: '1961-04-02', categories: [], enrolment: { year: 2015, kind: 'regular', paidOn: '2014-11-20' } },
  hospital: { id: 'H-140100-class2-1', tier: 'class2', designated: true, primaryCare: false, outsidePoolingArea: false },
  visit: { type: 'inpatient', admittedOn: '2015-04-06', dischargedOn: '2015-04-20', emergency: false, referral: false, cause: 'illness' },
  items: [
    { code: 'D001', name: '甲类药品及诊疗服务', category: 'catalogue', amount: '40000.00' },
    { code: 'B010', name: '乙类药品', category: 'class-b', amount: '5000.00', selfPayRatio: '0.20' },
    { category: 'out-of-catalogue', amount: '1000.00' },
  ],
};

describe('claims policies', () => {
  it('lists all five seed policies with their tiers, care paths and clauses', () => {
    // Act
    const run = claims(['policies', '--json']);

    // Assess
    expect(run.status).toBe(0);
    const listings = JSON.parse(run.stdout) as Listing[];
    expect(listings.map((l) => l.id).sort()).toEqual(['jincheng-2020', 'jinzhong-2017', 'pingyang-2019', 'shandong-2018', 'taiyuan-2015']);
    const jinzhong = listings.find((l) => l.id === 'jinzhong-2017') as Listing;
    expect(jinzhong.sources).toEqual(['built-in:jinzhong-2017']);
    expect(jinzhong.tiers.find((t) => t.key === 'class2-county')?.inpatient).toEqual({ deductible: '400.00', ratio: '0.75' });
    expect(jinzhong.carePaths.find((p) => p.path === 'special-outpatient')?.status).toBe('gap');
    expect(jinzhong.clauses).toContain('晋中 第十七条');
    expect(new Set(jinzhong.clauses).size).toBe(jinzhong.clauses.length);
    const taiyuan = listings.find((l) => l.id === 'taiyuan-2015') as Listing;
    expect(taiyuan.carePaths.find((p) => p.path === 'inpatient')).toMatchObject({ status: 'gap', detail: expect.stringContaining('并政发〔2007〕40号') });
  });

  it('prints a readable list naming every policy', () => {
    // Act
    const run = claims(['policies']);

    // Assess
    expect(run.status).toBe(0);
    for (const id of ['jincheng-2020', 'jinzhong-2017', 'pingyang-2019', 'shandong-2018', 'taiyuan-2015']) expect(run.stdout).toContain(id);
    expect(run.stdout).toContain('care paths:');
  });

  it('shows an overlay as a source, with the tiers and inpatient numbers it supplies', () => {
    // Act
    const run = claims(['policies', '--json', '--policies', OVERLAYS]);

    // Assess
    expect(run.status).toBe(0);
    const taiyuan = (JSON.parse(run.stdout) as Listing[]).find((l) => l.id === 'taiyuan-2015') as Listing;
    expect(taiyuan.sources).toEqual(['built-in:taiyuan-2015', join(OVERLAYS, 'taiyuan-2015.json')]);
    expect(taiyuan.tiers.find((t) => t.key === 'class2')?.inpatient).toEqual({ deductible: '500.00', ratio: '0.7' });
    expect(taiyuan.carePaths.find((p) => p.path === 'inpatient')?.status).toBe('paid');
    expect(taiyuan.clauses).toContain('operator: 并政发〔2007〕40号 (supplied)');
  });

  it('names the file and the field of an overlay that does not validate', () => {
    // Prepare
    const bad = join(dir, 'bad');
    mkdirSync(bad);
    writeFileSync(join(bad, 'taiyuan-2015.json'), JSON.stringify({ id: 'taiyuan-2015', inpatient: { clause: 'x', tiers: { campus: { deductible: 'lots', ratio: '0.5', clause: 'x' } }, annualCap: null } }));

    // Act
    const run = claims(['policies', '--policies', bad]);

    // Assess
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('taiyuan-2015.json');
    expect(run.stderr).toContain('inpatient.tiers.campus.deductible');
  });
});

describe('the Taiyuan 2015 overlay', () => {
  it('settles a Taiyuan inpatient claim with the numbers the overlay supplies', () => {
    // Prepare
    const file = join(dir, 'ty-inpatient.json');
    writeFileSync(file, JSON.stringify(taiyuanInpatient));

    // Act
    const run = claims(['settle', '--policies', OVERLAYS, file]);

    // Assess
    expect(run.status).toBe(0);
    const settlement = JSON.parse(run.stdout);
    expect(settlement).toMatchObject({ policy: 'taiyuan-2015', policyVersion: '1.1.0', status: 'settled', path: 'inpatient' });
    // Scope: catalogue 40,000.00 + class-b 5,000.00 × (1 − 0.20) = 4,000.00 → policy scope 44,000.00;
    //   pre-self-pay 1,000.00 (the class-b self-pay share); full own pay 1,000.00; total 46,000.00.
    // Deductible: the overlay's class2 standard, 500.00 (no relief in the Taiyuan data).
    // Basic: (44,000.00 − 500.00) × 0.70 = 30,450.00.
    // Compliant self-pay: 44,000.00 − 30,450.00 = 13,550.00; catastrophic (R22) pays above 10,000.00
    //   at 55% in the first segment: 3,550.00 × 0.55 = 1,952.50.
    // Patient: 46,000.00 − 30,450.00 − 1,952.50 = 13,597.50.
    expect(settlement.amounts).toEqual({
      total: '46000.00',
      fullOwnPay: '1000.00',
      preSelfPay: '1000.00',
      policyScope: '44000.00',
      deductible: '500.00',
      basic: '30450.00',
      catastrophic: '1952.50',
      assistance: '0.00',
      charity: '0.00',
      hospitalBorne: '0.00',
      patient: '13597.50',
    });
    expect(settlement.trace[0].detail).toContain('taiyuan-2015.json');
  });

  it('leaves the same claim POLICY_INCOMPLETE without the overlay', () => {
    // Prepare
    const file = join(dir, 'ty-inpatient-bare.json');
    writeFileSync(file, JSON.stringify(taiyuanInpatient));

    // Act
    const run = claims(['settle', file]);

    // Assess
    expect(run.status).toBe(0);
    const settlement = JSON.parse(run.stdout);
    expect(settlement.status).toBe('rejected');
    expect(settlement.rejection.code).toBe('POLICY_INCOMPLETE');
    expect(settlement.amounts.patient).toBe('46000.00');
  });
});
