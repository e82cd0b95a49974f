/**
 * Property test: any valid claim, under any seed policy, either settles with the contract's invariants
 * intact (settleChecked-style checks) or raises InvalidClaimError at `hospital.tier`. An
 * InvariantViolationError here would be an engine defect.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ClaimInput, parseClaim } from '../../shared/contract/claim.js';
import { InvalidClaimError } from '../../shared/contract/errors.js';
import { settle } from '../../shared/engine/settle.js';
import { settlementToJson } from '../../shared/engine/settlement.js';
import { parseMoney } from '../../shared/money/money.js';
import { builtInPolicyBook } from '../../shared/policy/book.js';

const money = fc.integer({ min: 0, max: 50_000_000 }).map((f) => `${Math.trunc(f / 100)}.${String(f % 100).padStart(2, '0')}`);
const date = (fromYear: number, toYear: number) =>
  fc.date({ min: new Date(Date.UTC(fromYear, 0, 1)), max: new Date(Date.UTC(toYear, 11, 31)), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

const item = fc.oneof(
  fc.record({ category: fc.constantFrom('catalogue', 'large-equipment', 'implant-domestic', 'implant-imported', 'disposable-material', 'blood', 'out-of-catalogue'), amount: money }),
  fc.record({ category: fc.constant('class-b'), amount: money, selfPayRatio: fc.integer({ min: 0, max: 10_000 }).map((r) => (r / 10_000).toFixed(4)) }),
);

/** Per region: the years its seed policy is in force and its tier keys (plus one it does not know). */
const REGIONS = {
  taiyuan: { years: [2015, 2015], tiers: ['campus', 'city-hospital'] },
  jinzhong: { years: [2018, 2021], tiers: ['class3', 'class2-county', 'class2-city', 'class1-city', 'out-of-province', 'township'] },
  pingyang: { years: [2019, 2019], tiers: ['township', 'county', 'city', 'out-of-city', 'class3'] },
  shandong: { years: [2019, 2022], tiers: ['city-hospital'] },
  jincheng: { years: [2020, 2020], tiers: ['county'] },
} as const;

const claimArb = fc
  .constantFrom(...(Object.keys(REGIONS) as (keyof typeof REGIONS)[]))
  .chain((region) =>
    fc.record({
      region: fc.constant(region),
      tier: fc.constantFrom(...REGIONS[region].tiers),
      type: fc.constantFrom('inpatient', 'inpatient', 'outpatient', 'special-outpatient'),
      admittedOn: date(REGIONS[region].years[0], REGIONS[region].years[1]),
      stay: fc.integer({ min: 0, max: 20 }),
      birthDate: date(1940, 2015),
      kind: fc.constantFrom('regular', 'regular', 'regular', 'late', 'newborn', 'mid-year'),
      paidOffset: fc.integer({ min: -10, max: 90 }),
      flags: fc.record({
        designated: fc.constantFrom(true, true, true, false),
        primaryCare: fc.boolean(),
        outsidePoolingArea: fc.boolean(),
        emergency: fc.boolean(),
        referral: fc.boolean(),
        died: fc.boolean(),
        referredFromPrimary: fc.boolean(),
      }),
      categories: fc.subarray(['minimum-living', 'extreme-poverty', 'registered-poor', 'low-income', 'severe-disability', 'orphan', 'student']),
      childbirth: fc.option(fc.constantFrom('natural', 'caesarean', 'complicated'), { nil: undefined, freq: 3 }),
      serious: fc.option(fc.record({ code: fc.constant('x'), group: fc.constantFrom('child-class1', 'adult-class'), quota: money }), { nil: undefined, freq: 3 }),
      items: fc.array(item, { minLength: 1, maxLength: 5 }),
      ytd: fc.record({
        admissions: fc.integer({ min: 0, max: 3 }),
        basicPaid: money,
        outpatientPaid: fc.constantFrom('0.00', '150.00', '790.00', '1000.00'),
        compliantSelfPay: money,
        catastrophicPaid: money,
        outpatientDeductibleUsed: fc.constantFrom('0.00', '20.00', '30.00'),
        specialOutpatientDeductibleTaken: fc.boolean(),
      }),
    }),
  )
  .filter((r) => r.birthDate <= r.admittedOn)
  .map((r): ClaimInput => {
    const add = (d: string, n: number) => new Date(Date.parse(d) + n * 86_400_000).toISOString().slice(0, 10);
    const dischargedOn = r.type === 'inpatient' ? add(r.admittedOn, r.stay) : r.admittedOn;
    return {
      claimId: 'P-1',
      member: {
        id: 'M-1',
        region: r.region,
        birthDate: r.birthDate,
        categories: r.categories,
        enrolment: { year: Number(dischargedOn.slice(0, 4)), kind: r.kind, paidOn: add(r.admittedOn, -r.paidOffset) },
      },
      hospital: { id: 'H-1', tier: r.tier, ...{ designated: r.flags.designated, primaryCare: r.flags.primaryCare, outsidePoolingArea: r.flags.outsidePoolingArea } },
      visit: {
        type: r.type,
        admittedOn: r.admittedOn,
        dischargedOn,
        emergency: r.flags.emergency,
        referral: r.flags.referral,
        referredFromPrimary: r.flags.referredFromPrimary,
        died: r.flags.died,
        cause: 'illness',
        ...(r.childbirth ? { childbirth: r.childbirth } : {}),
        ...(r.serious ? { seriousDisease: r.serious } : {}),
      },
      items: r.items,
      yearToDate: r.ytd,
    } as ClaimInput;
  });

const outcomes = new Map<string, number>();
describe("invariants on random claims", () => {
  it('settle keeps total = payers = scope pieces, nothing negative, and caps never overrun', () => {
    fc.assert(
      fc.property(claimArb, (input) => {
        const claim = parseClaim(input);
        let s;
        try {
          s = settlementToJson(settle(claim, builtInPolicyBook()));
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidClaimError);
          expect((error as InvalidClaimError).issues[0]?.path).toBe('hospital.tier');
          return;
        }
        outcomes.set(s.rejection?.code ?? s.path ?? "", (outcomes.get(s.rejection?.code ?? s.path ?? "") ?? 0) + 1);
        const f = (t: string) => parseMoney(t);
        const a = s.amounts;
        expect(f(a.basic) + f(a.catastrophic) + f(a.assistance) + f(a.charity) + f(a.hospitalBorne) + f(a.patient)).toBe(f(a.total));
        if (s.status === 'rejected') {
          expect(a.patient).toBe(a.total);
          expect(s.yearToDate.basicPaid).toBe(input.yearToDate?.basicPaid);
          return;
        }
        expect(f(a.fullOwnPay) + f(a.preSelfPay) + f(a.policyScope) + f(a.hospitalBorne)).toBe(f(a.total));
        expect(f(a.deductible)).toBeLessThanOrEqual(f(a.policyScope));
        expect(f(a.basic)).toBeLessThanOrEqual(f(a.policyScope));
        // The basic caps: never more than the room left (70,000 晋中, 150,000 平阳).
        const cap = s.policy === 'jinzhong-2017' ? 7_000_000 : s.policy === 'pingyang-2019' ? 15_000_000 : undefined;
        if (cap !== undefined && s.path !== 'serious-disease' && s.path !== 'outpatient') {
          expect(f(a.basic)).toBeLessThanOrEqual(Math.max(0, cap - f(input.yearToDate?.basicPaid ?? '0')));
        }
        for (const e of s.trace) expect(e.clause.length).toBeGreaterThan(0);
      }),
      { numRuns: 3000 },
    );
    // The generator must reach the settling paths, not only rejections.
    for (const path of ['inpatient', 'outpatient', 'serious-disease', 'emergency-death', 'special-outpatient']) expect(outcomes.get(path) ?? 0).toBeGreaterThan(0);
  });
});
