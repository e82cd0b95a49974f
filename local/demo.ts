/**
 * The demo: the project's worked cases (`test/cases/*.json`, their `claim` field) when that folder is
 * there, else a few built-in claims. Every case uses the same member and hospital ids with
 * different facts, so each demo claim gets its own member and hospital, registered with the facts the
 * case states (the registry is authoritative; the claim's own member and hospital fields are replaced).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ClaimInput } from '../shared/contract/claim.js';
import type { RegistryFileInput } from '../shared/pipeline/registry.js';

export interface Demo {
  readonly registry: RegistryFileInput;
  readonly claims: { title: string; claim: ClaimInput }[];
  readonly source: string;
}

/** The repository's worked cases; this module runs from dist/local/ (npm start) or local/ (sources). */
const WORKED_CASES = resolve(import.meta.dirname, import.meta.dirname.split(/[\\/]/).includes('dist') ? '../../test/cases' : '../test/cases');

const BUILT_IN: { title: string; claim: ClaimInput }[] = [
  {
    title: 'Jinzhong inpatient at a county class-2 hospital',
    claim: {
      claimId: 'DEMO-0001',
      member: { id: 'M-0001', region: 'jinzhong', birthDate: '1970-05-20', categories: [], enrolment: { year: 2018, kind: 'regular', paidOn: '2017-11-15' } },
      hospital: { id: 'H-0001', tier: 'class2-county', designated: true, primaryCare: false, outsidePoolingArea: false },
      visit: { type: 'inpatient', admittedOn: '2018-03-05', dischargedOn: '2018-03-14', emergency: false, referral: false, cause: 'illness' },
      items: [{ code: 'D001', name: 'catalogue drugs and services', category: 'catalogue', amount: '1634.50' }],
    },
  },
  {
    title: 'Pingyang inpatient at a county hospital, with class-B drugs',
    claim: {
      claimId: 'DEMO-0002',
      member: { id: 'M-0001', region: 'pingyang', birthDate: '1970-05-20', categories: [], enrolment: { year: 2019, kind: 'regular', paidOn: '2018-11-15' } },
      hospital: { id: 'H-0001', tier: 'county', designated: true, primaryCare: false, outsidePoolingArea: false },
      visit: { type: 'inpatient', admittedOn: '2019-03-01', dischargedOn: '2019-03-14', emergency: false, referral: false, cause: 'illness' },
      items: [
        { code: 'D001', name: 'catalogue drugs and services', category: 'catalogue', amount: '8200.00' },
        { code: 'B001', name: 'class-b drugs', category: 'class-b', amount: '1500.00', selfPayRatio: '0.10' },
      ],
    },
  },
];

function fromCases(folder: string): { title: string; claim: ClaimInput }[] {
  return readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const data = JSON.parse(readFileSync(join(folder, file), 'utf8')) as { id?: string; title?: string; claim: ClaimInput };
      return { title: `${data.id ?? file}: ${data.title ?? ''}`, claim: data.claim };
    });
}

/** The demo's claims and the registry that covers them. */
export function loadDemo(casesFolder = WORKED_CASES): Demo {
  const source = existsSync(casesFolder) ? casesFolder : 'built-in demo claims';
  const cases = existsSync(casesFolder) ? fromCases(casesFolder) : BUILT_IN;
  const registry: Required<RegistryFileInput> = { hospitals: [], members: [], operators: [{ id: 'OPS-DEMO', name: 'Demo operator' }] };
  const claims = cases.map(({ title, claim }) => {
    const tag = claim.claimId.replace(/[^A-Za-z0-9-]/g, '');
    const memberId = `M-${tag}`;
    const hospitalId = `H-${tag}`;
    const poolingArea = `${claim.member.region}-demo`;
    registry.members.push({
      id: memberId,
      name: '演示患者',
      region: claim.member.region,
      poolingArea,
      birthDate: claim.member.birthDate,
      categories: claim.member.categories,
      enrolments: [claim.member.enrolment],
    });
    registry.hospitals.push({
      id: hospitalId,
      name: `Demo hospital for ${tag}`,
      poolingArea: claim.hospital.outsidePoolingArea ? 'elsewhere' : poolingArea,
      designated: claim.hospital.designated,
      primaryCare: claim.hospital.primaryCare,
      tiers: { [claim.member.region]: claim.hospital.tier },
    });
    // The stored totals replace a case's own yearToDate, so it is dropped from the demo claim.
    const { yearToDate: _ignored, ...rest } = claim;
    return { title, claim: { ...rest, member: { ...claim.member, id: memberId }, hospital: { ...claim.hospital, id: hospitalId } } };
  });
  return { registry, claims, source };
}
