/**
 * Benchmark claims: a Jinzhong 2018 inpatient claim of a given number of lines, with the mix of item
 * categories a real discharge has (catalogue drugs and services, class-b with a self-pay ratio, partly
 * included equipment and materials, out-of-catalogue items).
 */
import type { ClaimInput } from '../shared/contract/claim.js';

type Item = ClaimInput['items'][number];

const LINE_KINDS: readonly ((n: number) => Item)[] = [
  (n) => ({ code: `D${n}`, name: 'catalogue drug', category: 'catalogue', amount: `${120 + (n % 17) * 13}.${String(n % 100).padStart(2, '0')}` }),
  (n) => ({ code: `B${n}`, name: 'class-b drug', category: 'class-b', amount: `${80 + (n % 11) * 7}.35`, selfPayRatio: '0.10' }),
  (n) => ({ code: `S${n}`, name: 'bed and nursing', category: 'catalogue', amount: `${60 + (n % 5) * 10}.00` }),
  (n) => ({ code: `E${n}`, name: 'CT scan', category: 'large-equipment', amount: `${300 + (n % 3) * 50}.00` }),
  (n) => ({ code: `M${n}`, name: 'disposable material', category: 'disposable-material', amount: `${45 + (n % 9)}.55` }),
  (n) => ({ code: `X${n}`, name: 'out-of-catalogue item', category: 'out-of-catalogue', amount: `${20 + (n % 7)}.00` }),
];

/** An inpatient claim with `lines` item lines. */
export function inpatientClaim(lines: number, id = 1): ClaimInput {
  return {
    claimId: `BENCH-${lines}-${id}`,
    member: {
      id: `M-BENCH-${id}`,
      region: 'jinzhong',
      birthDate: '1968-04-02',
      categories: [],
      enrolment: { year: 2018, kind: 'regular', paidOn: '2017-11-15' },
    },
    hospital: { id: 'H-BENCH-1', tier: 'class2-city', designated: true, primaryCare: false, outsidePoolingArea: false },
    visit: {
      type: 'inpatient',
      admittedOn: '2018-05-02',
      dischargedOn: '2018-05-11',
      emergency: false,
      referral: false,
      cause: 'illness',
    },
    items: Array.from({ length: lines }, (_, n) => (LINE_KINDS[n % LINE_KINDS.length] as (n: number) => Item)(n)),
    yearToDate: { admissions: 1, basicPaid: '8000.00', compliantSelfPay: '6500.00' },
  };
}
