/**
 * Every validation rule of the claim contract (claim-contract.md): each bad claim raises
 * InvalidClaimError naming the exact field path.
 */
import { describe, expect, it } from 'vitest';
import { parseClaim, parseClaimJson } from '../../shared/contract/claim.js';
import { InvalidClaimError } from '../../shared/contract/errors.js';
import { settle } from '../../shared/engine/settle.js';
import { builtInPolicyBook } from '../../shared/policy/book.js';
import { type ClaimOverrides, catalogue, jinzhongInpatient, jinzhongOutpatient } from '../support/claims.js';

/** The issues of an invalid claim; fails the test when the claim is valid. */
function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    parseClaim(input);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidClaimError);
    return [...(error as InvalidClaimError).issues];
  }
  throw new Error('expected InvalidClaimError');
}

const pathsOf = (input: unknown): string[] => issuesOf(input).map((issue) => issue.path);

const withItem = (item: Record<string, unknown>, overrides: ClaimOverrides = {}): unknown =>
  jinzhongInpatient({ ...overrides, items: [catalogue('10.00'), item] } as ClaimOverrides);

describe('the base claims are valid', () => {
  it('parses the factory claim and fills in defaults', () => {
    // Prepare / Act
    const claim = parseClaim(jinzhongInpatient());
    // Assess: referredFromPrimary and died default false; yearToDate defaults to zeros / false
    expect(claim.visit.referredFromPrimary).toBe(false);
    expect(claim.visit.died).toBe(false);
    expect(claim.yearToDate).toEqual({
      admissions: 0,
      basicPaid: 0,
      outpatientPaid: 0,
      compliantSelfPay: 0,
      catastrophicPaid: 0,
      assistancePaid: 0,
      outpatientDeductibleUsed: 0,
      seriousDiseasePaid: 0,
      specialOutpatientDeductibleTaken: false,
    });
    expect(claim.items[0]?.amount).toBe(1_000_000);
  });

  it('fills in each missing yearToDate field on its own', () => {
    // Prepare / Act
    const claim = parseClaim(jinzhongInpatient({ yearToDate: { basicPaid: '12.34' } }));
    // Assess
    expect(claim.yearToDate.basicPaid).toBe(1234);
    expect(claim.yearToDate.admissions).toBe(0);
    expect(claim.yearToDate.specialOutpatientDeductibleTaken).toBe(false);
  });

  it('accepts one decimal, no decimals, and optional code and name', () => {
    const claim = parseClaim(jinzhongInpatient({ items: [{ category: 'catalogue', amount: '56.4' }, { category: 'catalogue', amount: '7', code: 'X', name: 'n' }] }));
    expect(claim.items.map((i) => i.amount)).toEqual([5640, 700]);
  });
});

describe('amounts', () => {
  it.each([
    ['more than two decimals', '10.001'],
    ['negative', '-10.00'],
    ['non-numeric', 'ten'],
    ['exponent notation', '1e3'],
    ['empty', ''],
    ['a leading plus', '+10.00'],
    ['a trailing dot', '10.'],
    ['a thousands separator', '1,000.00'],
  ])('%s is rejected at items.N.amount', (_name, amount) => {
    expect(pathsOf(withItem({ category: 'catalogue', amount }))).toEqual(['items.1.amount']);
  });

  it('a number instead of a string is rejected', () => {
    expect(pathsOf(withItem({ category: 'catalogue', amount: 10 }))).toEqual(['items.1.amount']);
  });

  it('yearToDate amounts follow the same rule', () => {
    expect(pathsOf(jinzhongInpatient({ yearToDate: { basicPaid: '1.234' } }))).toEqual(['yearToDate.basicPaid']);
    expect(pathsOf(jinzhongInpatient({ yearToDate: { compliantSelfPay: 5 } }))).toEqual(['yearToDate.compliantSelfPay']);
  });

  it('the serious-disease quota follows the same rule', () => {
    expect(pathsOf(jinzhongInpatient({ visit: { seriousDisease: { code: 'x', group: 'adult-class', quota: '-1' } } }))).toEqual([
      'visit.seriousDisease.quota',
    ]);
  });
});

describe('items', () => {
  it('an empty list is rejected', () => {
    expect(pathsOf(jinzhongInpatient({ items: [] }))).toEqual(['items']);
  });

  it('er-observation needs its date', () => {
    expect(pathsOf(withItem({ category: 'er-observation', amount: '1.00' }))).toEqual(['items.1.date']);
  });

  it('er-observation dated after admission is rejected', () => {
    expect(pathsOf(withItem({ category: 'er-observation', amount: '1.00', date: '2018-03-06' }))).toEqual(['items.1.date']);
  });

  it('er-observation dated on the admission date is valid', () => {
    expect(() => parseClaim(withItem({ category: 'er-observation', amount: '1.00', date: '2018-03-05' }))).not.toThrow();
  });

  it('er-observation on an outpatient claim is rejected', () => {
    const claim = jinzhongOutpatient({ items: [{ category: 'er-observation', amount: '1.00', date: '2018-04-09' }] });
    expect(pathsOf(claim)).toEqual(['items.0.category']);
  });

  it.each(['catalogue', 'class-b', 'blood', 'out-of-catalogue'])('a date on a %s item is rejected', (category) => {
    const item: Record<string, unknown> = { category, amount: '1.00', date: '2018-03-01' };
    if (category === 'class-b') item['selfPayRatio'] = '0.1';
    expect(pathsOf(withItem(item))).toEqual(['items.1.date']);
  });

  it('class-b needs selfPayRatio', () => {
    expect(pathsOf(withItem({ category: 'class-b', amount: '1.00' }))).toEqual(['items.1.selfPayRatio']);
  });

  it.each(['catalogue', 'large-equipment', 'out-of-catalogue'])('selfPayRatio on a %s item is rejected', (category) => {
    expect(pathsOf(withItem({ category, amount: '1.00', selfPayRatio: '0.1' }))).toEqual(['items.1.selfPayRatio']);
  });

  it.each([
    ['above 1', '1.01'],
    ['five decimals', '0.12345'],
    ['negative', '-0.1'],
    ['a number', 0.1],
  ])('selfPayRatio %s is rejected', (_name, selfPayRatio) => {
    expect(pathsOf(withItem({ category: 'class-b', amount: '1.00', selfPayRatio }))).toEqual(['items.1.selfPayRatio']);
  });

  it.each(['0', '1', '1.0000', '0.1234'])('selfPayRatio %s is valid', (selfPayRatio) => {
    expect(() => parseClaim(withItem({ category: 'class-b', amount: '1.00', selfPayRatio }))).not.toThrow();
  });
});

describe('dates', () => {
  it('discharge before admission is rejected at visit.dischargedOn', () => {
    expect(pathsOf(jinzhongInpatient({ visit: { dischargedOn: '2018-03-04' } }))).toEqual(['visit.dischargedOn']);
  });

  it('an outpatient discharge other than the visit date is rejected', () => {
    expect(pathsOf(jinzhongOutpatient({ visit: { dischargedOn: '2018-04-11' } }))).toEqual(['visit.dischargedOn']);
  });

  it('a special-outpatient discharge other than the visit date is rejected', () => {
    expect(pathsOf(jinzhongInpatient({ visit: { type: 'special-outpatient' } }))).toEqual(['visit.dischargedOn']);
  });

  it.each([
    ['2018-02-30', 'visit.admittedOn'],
    ['2019-02-29', 'visit.admittedOn'],
    ['2018-13-01', 'visit.admittedOn'],
    ['2018-3-05', 'visit.admittedOn'],
    ['05/03/2018', 'visit.admittedOn'],
  ])('impossible or malformed date %s is rejected', (admittedOn, path) => {
    expect(pathsOf(jinzhongInpatient({ visit: { admittedOn } }))).toContain(path);
  });

  it('29 February of a leap year is valid', () => {
    expect(() => parseClaim(jinzhongInpatient({ visit: { admittedOn: '2020-02-29', dischargedOn: '2020-03-01' } }))).not.toThrow();
  });

  it.each([
    ['member.birthDate', { member: { birthDate: '2018-02-30' } }],
    ['member.enrolment.paidOn', { member: { enrolment: { paidOn: '2019-02-29' } } }],
    ['submittedOn', { submittedOn: '2018-04-31' }],
    ['items.1.date', { items: [catalogue('1.00'), { category: 'er-observation', amount: '1.00', date: '2018-02-30' }] }],
  ])('an impossible date at %s is rejected', (path, overrides) => {
    expect(pathsOf(jinzhongInpatient(overrides as ClaimOverrides))).toContain(path);
  });
});

describe('enums', () => {
  it.each([
    ['member.region', { member: { region: 'Beijing' } }],
    ['member.region', { member: { region: 'jin zhong' } }],
    ['member.categories.0', { member: { categories: ['veteran'] } }],
    ['member.enrolment.kind', { member: { enrolment: { kind: 'annual' } } }],
    ['visit.type', { visit: { type: 'day-care' } }],
    ['visit.cause', { visit: { cause: 'accident' } }],
    ['visit.childbirth', { visit: { childbirth: 'water' } }],
    ['visit.seriousDisease.group', { visit: { seriousDisease: { code: 'x', group: 'teen-class', quota: '1.00' } } }],
    ['items.0.category', { items: [{ category: 'class-c', amount: '1.00' }] }],
  ])('an unknown value at %s is rejected', (path, overrides) => {
    expect(pathsOf(jinzhongInpatient(overrides as ClaimOverrides))).toEqual([path]);
  });
});

describe('regions are defined by the policies, not by the contract', () => {
  it('refuses a well-formed region that no policy of the book covers when the claim is settled, naming member.region', () => {
    // Prepare: 'beijing' has the form of a region id, but no built-in pack covers it
    const claim = parseClaim(jinzhongInpatient({ member: { region: 'beijing' } }));

    // Act
    const attempt = () => settle(claim, builtInPolicyBook());

    // Assess
    expect(attempt).toThrow(InvalidClaimError);
    expect(attempt).toThrow(/member\.region is not a region of any policy \(known: jincheng, jinzhong, pingyang, shandong, taiyuan\), got beijing/);
  });
});

describe('unknown fields are rejected at every level, naming the field', () => {
  it.each([
    ['claimID', { claimID: 'x' }],
    ['member.name', { member: { name: 'x' } }],
    ['member.enrolment.paid', { member: { enrolment: { paid: true } } }],
    ['hospital.level', { hospital: { level: 3 } }],
    ['visit.emergncy', { visit: { emergncy: true } }],
    ['visit.seriousDisease.limit', { visit: { seriousDisease: { code: 'x', group: 'adult-class', quota: '1.00', limit: '2.00' } } }],
    ['items.0.qty', { items: [{ category: 'catalogue', amount: '1.00', qty: 2 }] }],
    ['yearToDate.admission', { yearToDate: { admission: 1 } }],
  ])('%s', (path, overrides) => {
    expect(pathsOf(jinzhongInpatient(overrides as ClaimOverrides))).toEqual([path]);
  });
});

describe('structure', () => {
  it('duplicate member categories are rejected', () => {
    expect(pathsOf(jinzhongInpatient({ member: { categories: ['student', 'student'] } }))).toEqual(['member.categories']);
  });

  it('empty categories are valid', () => {
    expect(() => parseClaim(jinzhongInpatient({ member: { categories: [] } }))).not.toThrow();
  });

  it.each([
    ['member.enrolment.year', { member: { enrolment: { year: 2018.5 } } }],
    ['member.enrolment.year', { member: { enrolment: { year: '2018' } } }],
    ['yearToDate.admissions', { yearToDate: { admissions: 1.5 } }],
    ['yearToDate.admissions', { yearToDate: { admissions: -1 } }],
  ])('a non-integer or wrongly typed %s is rejected', (path, overrides) => {
    expect(pathsOf(jinzhongInpatient(overrides as ClaimOverrides))).toEqual([path]);
  });

  it.each([
    'claimId',
    'member',
    'member.id',
    'member.region',
    'member.birthDate',
    'member.categories',
    'member.enrolment',
    'member.enrolment.year',
    'member.enrolment.kind',
    'member.enrolment.paidOn',
    'hospital',
    'hospital.id',
    'hospital.tier',
    'hospital.designated',
    'hospital.primaryCare',
    'hospital.outsidePoolingArea',
    'visit',
    'visit.type',
    'visit.admittedOn',
    'visit.dischargedOn',
    'visit.emergency',
    'visit.referral',
    'visit.cause',
    'items',
    'items.0.category',
    'items.0.amount',
  ])('a missing %s "is required"', (path) => {
    // Prepare: delete the field from a valid claim
    const claim = structuredClone(jinzhongInpatient()) as Record<string, unknown>;
    const keys = path.split('.');
    let node: Record<string, unknown> = claim;
    for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
    delete node[keys.at(-1) as string];
    // Act
    const issues = issuesOf(claim);
    // Assess
    expect(issues).toContainEqual({ path, message: 'is required' });
  });

  it.each([
    ['submittedOn', { submittedOn: undefined }],
    ['visit.referredFromPrimary', { visit: { referredFromPrimary: undefined } }],
    ['visit.childbirth', { visit: { childbirth: undefined } }],
    ['visit.seriousDisease', { visit: { seriousDisease: undefined } }],
    ['visit.died', { visit: { died: undefined } }],
    ['yearToDate', { yearToDate: undefined }],
    ['an item code and name', { items: [{ category: 'catalogue', amount: '1.00' }] }],
  ])('optional %s may be left out', (_name, overrides) => {
    expect(() => parseClaim(jinzhongInpatient(overrides as ClaimOverrides))).not.toThrow();
  });

  it('lists every problem, not just the first', () => {
    const paths = pathsOf(jinzhongInpatient({ member: { region: 'x' }, items: [{ category: 'catalogue', amount: '1.001' }] }));
    expect(paths).toEqual(expect.arrayContaining(['member.region', 'items.0.amount']));
  });

  it('input that is not an object names the whole input', () => {
    expect(pathsOf(42)).toEqual(['']);
    expect(pathsOf(null)).toEqual(['']);
  });
});

describe('parseClaimJson', () => {
  it.each(['', '{', 'not json', "{'a':1}"])('text that is not JSON (%j) is INVALID_CLAIM with path ""', (text) => {
    // Act
    let caught: unknown;
    try {
      parseClaimJson(text);
    } catch (error) {
      caught = error;
    }
    // Assess
    expect(caught).toBeInstanceOf(InvalidClaimError);
    const error = caught as InvalidClaimError;
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.path).toBe('');
    expect(error.toJSON().error).toBe('INVALID_CLAIM');
  });

  it('valid JSON is validated like parseClaim', () => {
    expect(parseClaimJson(JSON.stringify(jinzhongInpatient())).claimId).toBe('T-JZ-IP');
    expect(() => parseClaimJson(JSON.stringify(jinzhongInpatient({ items: [] })))).toThrow(InvalidClaimError);
  });
});
