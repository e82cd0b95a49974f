/**
 * Synthetic registry and claims for the integration tests and the benchmark: reproducible from a
 * seed, large enough amounts that members reach the annual caps.
 */
import type { ClaimInput } from '../shared/contract/claim.js';
import type { RegistryFileInput } from '../shared/registry/registry.js';
import { mulberry32 } from '../cli/sample/generate.js';

/** The seeded PRNG shared with `claims generate` (mulberry32): the same seed gives the same claims. */
export const random: (seed: number) => () => number = mulberry32;

export const GENERATED_HOSPITALS = ['H-GEN-A', 'H-GEN-B', 'H-GEN-C'] as const;
const TIERS = ['class2-county', 'class1-city', 'class3'] as const;

export const memberId = (index: number): string => `M-GEN-${String(index).padStart(4, '0')}`;

/** A registry of `members` members (jinzhong, enrolled for 2018) and three hospitals, plus one operator. */
export function generatedRegistry(members: number): RegistryFileInput {
  return {
    hospitals: GENERATED_HOSPITALS.map((id, i) => ({
      id,
      name: `Generated hospital ${i + 1}`,
      poolingArea: 'jinzhong',
      designated: true,
      primaryCare: false,
      tiers: { jinzhong: TIERS[i] as string },
    })),
    members: Array.from({ length: members }, (_, i) => ({
      id: memberId(i),
      name: `测试${i}`,
      idNumber: `14070219800101${String(i).padStart(4, '0')}`,
      region: 'jinzhong' as const,
      poolingArea: 'jinzhong',
      birthDate: i % 10 === 0 ? '2010-06-01' : '1975-03-15',
      categories: i % 7 === 0 ? ['minimum-living' as const] : [],
      enrolments: [{ year: 2018, kind: 'regular' as const, paidOn: '2017-11-15' }],
    })),
    operators: [{ id: 'OPS-1', name: 'Operator' }],
  };
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** One inpatient claim of 2018 for the member, at one of the generated hospitals. */
export function generatedClaim(memberIndex: number, sequence: number, rand: () => number): ClaimInput {
  const which = Math.floor(rand() * GENERATED_HOSPITALS.length);
  const hospital = GENERATED_HOSPITALS[which] as string;
  const month = 1 + Math.floor(rand() * 12);
  const day = 1 + Math.floor(rand() * 20);
  const stay = Math.floor(rand() * 8);
  const amount = (yuan: number): string => `${Math.floor(yuan)}.${pad(Math.floor(rand() * 100))}`;
  return {
    claimId: `G-${memberIndex}-${sequence}`,
    member: {
      id: memberId(memberIndex),
      region: 'jinzhong',
      birthDate: '1975-03-15',
      categories: [],
      enrolment: { year: 2018, kind: 'regular', paidOn: '2017-11-15' },
    },
    hospital: { id: hospital, tier: TIERS[which] as string, designated: true, primaryCare: false, outsidePoolingArea: false },
    visit: {
      type: 'inpatient',
      admittedOn: `2018-${pad(month)}-${pad(day)}`,
      dischargedOn: `2018-${pad(month)}-${pad(day + stay)}`,
      emergency: false,
      referral: false,
      cause: 'illness',
    },
    items: [
      { code: 'D001', name: 'catalogue drugs and services', category: 'catalogue', amount: amount(500 + rand() * 30_000) },
      { code: 'B001', name: 'class-b drugs', category: 'class-b', amount: amount(rand() * 5_000), selfPayRatio: '0.10' },
      { code: 'X001', name: 'out-of-catalogue', category: 'out-of-catalogue', amount: amount(rand() * 800) },
    ],
  };
}

/** `perMember` claims for each of `members` members. */
export function generatedClaims(members: number, perMember: number, seed = 42): ClaimInput[] {
  const rand = random(seed);
  const claims: ClaimInput[] = [];
  for (let m = 0; m < members; m++) for (let s = 0; s < perMember; s++) claims.push(generatedClaim(m, s, rand));
  return claims;
}
