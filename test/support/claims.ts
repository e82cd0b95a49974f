/**
 * Test claim factory: one valid base claim per policy and care path, so that a test states only what
 * it varies. Overrides are deep-merged: objects merge key by key, arrays and scalars replace, and
 * `undefined` removes a key (to test a missing required field).
 */
import { parseClaim, type ClaimInput } from '../../shared/contract/claim.js';
import { settle } from '../../shared/engine/settle.js';
import { type SettlementJson, settlementToJson } from '../../shared/engine/settlement.js';
import { type PolicyBook, builtInPolicyBook } from '../../shared/policy/book.js';

/** A deep partial of a claim input: what a test varies. */
export type DeepPartial<T> = T extends readonly (infer _U)[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> | undefined }
    : T;

/** Overrides accepted by the factories: a deep partial, loose enough to write invalid claims too. */
export type ClaimOverrides = DeepPartial<ClaimInput> | Record<string, unknown>;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Deep-merges `overrides` into `base` without mutating either. Arrays replace rather than merge,
 * because a claim's items or categories are a list the test states whole; an `undefined` value
 * deletes the key.
 */
export function deepMerge<T>(base: T, overrides: unknown): T {
  if (!isPlainObject(overrides)) return (overrides === undefined ? base : overrides) as T;
  const result: Record<string, unknown> = isPlainObject(base) ? structuredClone(base) : {};
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete result[key];
    else result[key] = isPlainObject(value) ? deepMerge(result[key], value) : structuredClone(value);
  }
  return result as T;
}

/** One catalogue line (甲类, wholly in scope) of `amount` yuan. */
export const catalogue = (amount: string): ClaimInput['items'][number] => ({ category: 'catalogue', amount });

function build(base: ClaimInput, overrides: ClaimOverrides): ClaimInput {
  return deepMerge(base, overrides);
}

/**
 * 晋中 ordinary inpatient: an adult of 47 with a regular 2018 enrolment, at a designated county class-2
 * hospital inside the pooling area, 10,000.00 of catalogue items, no earlier totals.
 */
export function jinzhongInpatient(overrides: ClaimOverrides = {}): ClaimInput {
  return build(
    {
      claimId: 'T-JZ-IP',
      member: {
        id: 'M-JZ-1',
        region: 'jinzhong',
        birthDate: '1970-05-20',
        categories: [],
        enrolment: { year: 2018, kind: 'regular', paidOn: '2017-11-15' },
      },
      hospital: { id: 'H-JZ-1', tier: 'class2-county', designated: true, primaryCare: false, outsidePoolingArea: false },
      visit: {
        type: 'inpatient',
        admittedOn: '2018-03-05',
        dischargedOn: '2018-03-14',
        emergency: false,
        referral: false,
        cause: 'illness',
      },
      items: [catalogue('10000.00')],
    },
    overrides,
  );
}

/** 晋中 general outpatient at a primary-care township centre (tier class3), 100.00 of catalogue items. */
export function jinzhongOutpatient(overrides: ClaimOverrides = {}): ClaimInput {
  return build(
    jinzhongInpatient({
      claimId: 'T-JZ-OP',
      hospital: { tier: 'class3', primaryCare: true },
      visit: { type: 'outpatient', admittedOn: '2018-04-10', dischargedOn: '2018-04-10' },
      items: [catalogue('100.00')],
    }),
    overrides,
  );
}

/** 晋中 natural childbirth at a county hospital (not primary care), 3,000.00 of catalogue items. */
export function jinzhongChildbirth(overrides: ClaimOverrides = {}): ClaimInput {
  return build(
    jinzhongInpatient({
      claimId: 'T-JZ-CB',
      member: { birthDate: '1992-02-10' },
      visit: { childbirth: 'natural', admittedOn: '2018-06-01', dischargedOn: '2018-06-04' },
      items: [catalogue('3000.00')],
    }),
    overrides,
  );
}

/** 晋中 22-serious-disease claim: adult class, quota 30,000.00, total 20,000.00, no assistance category. */
export function jinzhongSerious(overrides: ClaimOverrides = {}): ClaimInput {
  return build(
    jinzhongInpatient({
      claimId: 'T-JZ-SD',
      visit: { seriousDisease: { code: 'lung-cancer', group: 'adult-class', quota: '30000.00' } },
      items: [catalogue('20000.00')],
    }),
    overrides,
  );
}

/**
 * 平阳 ordinary inpatient: an adult with a regular 2019 enrolment at a designated county hospital inside
 * the pooling area, 10,000.00 of catalogue items.
 */
export function pingyangInpatient(overrides: ClaimOverrides = {}): ClaimInput {
  return build(
    {
      claimId: 'T-PY-IP',
      member: {
        id: 'M-PY-1',
        region: 'pingyang',
        birthDate: '1965-09-01',
        categories: [],
        enrolment: { year: 2019, kind: 'regular', paidOn: '2018-12-01' },
      },
      hospital: { id: 'H-PY-1', tier: 'county', designated: true, primaryCare: false, outsidePoolingArea: false },
      visit: {
        type: 'inpatient',
        admittedOn: '2019-04-01',
        dischargedOn: '2019-04-10',
        emergency: false,
        referral: false,
        cause: 'illness',
      },
      items: [catalogue('10000.00')],
    },
    overrides,
  );
}

/** 平阳 general outpatient at a township centre, 100.00 of catalogue items. */
export function pingyangOutpatient(overrides: ClaimOverrides = {}): ClaimInput {
  return build(
    pingyangInpatient({
      claimId: 'T-PY-OP',
      hospital: { tier: 'township', primaryCare: true },
      visit: { type: 'outpatient', admittedOn: '2019-05-06', dischargedOn: '2019-05-06' },
      items: [catalogue('100.00')],
    }),
    overrides,
  );
}

/** 平阳 special-disease outpatient (R20) at a county hospital, 2,000.00, the first of the year. */
export function pingyangSpecialOutpatient(overrides: ClaimOverrides = {}): ClaimInput {
  return build(
    pingyangInpatient({
      claimId: 'T-PY-SO',
      visit: { type: 'special-outpatient', admittedOn: '2019-05-06', dischargedOn: '2019-05-06' },
      items: [catalogue('2000.00')],
    }),
    overrides,
  );
}

/** 太原 2015 student outpatient at the campus clinic, 100.00 of catalogue items. */
export function taiyuanStudentOutpatient(overrides: ClaimOverrides = {}): ClaimInput {
  return build(
    {
      claimId: 'T-TY-OP',
      member: {
        id: 'M-TY-1',
        region: 'taiyuan',
        birthDate: '1996-03-15',
        categories: ['student'],
        enrolment: { year: 2015, kind: 'regular', paidOn: '2014-11-20' },
      },
      hospital: { id: 'H-TY-CAMPUS', tier: 'campus', designated: true, primaryCare: true, outsidePoolingArea: false },
      visit: {
        type: 'outpatient',
        admittedOn: '2015-03-10',
        dischargedOn: '2015-03-10',
        emergency: false,
        referral: false,
        cause: 'illness',
      },
      items: [catalogue('100.00')],
    },
    overrides,
  );
}

/** 太原 2015 inpatient (R23: POLICY_INCOMPLETE with the seed pack), tier `campus` as the only known key. */
export function taiyuanInpatient(overrides: ClaimOverrides = {}): ClaimInput {
  return build(
    taiyuanStudentOutpatient({
      claimId: 'T-TY-IP',
      member: { categories: [] },
      hospital: { id: 'H-TY-1', tier: 'city-hospital', primaryCare: false },
      visit: { type: 'inpatient', admittedOn: '2015-05-01', dischargedOn: '2015-05-08' },
      items: [catalogue('10000.00')],
    }),
    overrides,
  );
}

/** 山东 2018 inpatient, a regular 2019 enrolment (every benefit is left to the cities: R23). */
export function shandongInpatient(overrides: ClaimOverrides = {}): ClaimInput {
  return build(
    {
      claimId: 'T-SD-IP',
      member: {
        id: 'M-SD-1',
        region: 'shandong',
        birthDate: '1980-01-01',
        categories: [],
        enrolment: { year: 2019, kind: 'regular', paidOn: '2018-12-01' },
      },
      hospital: { id: 'H-SD-1', tier: 'city-hospital', designated: true, primaryCare: false, outsidePoolingArea: false },
      visit: {
        type: 'inpatient',
        admittedOn: '2019-06-01',
        dischargedOn: '2019-06-05',
        emergency: false,
        referral: false,
        cause: 'illness',
      },
      items: [catalogue('5000.00')],
    },
    overrides,
  );
}

/** 晋城 2020 inpatient, a regular 2020 enrolment (R23). */
export function jinchengInpatient(overrides: ClaimOverrides = {}): ClaimInput {
  return build(
    shandongInpatient({
      claimId: 'T-JC-IP',
      member: { id: 'M-JC-1', region: 'jincheng', enrolment: { year: 2020, paidOn: '2019-12-01' } },
      hospital: { id: 'H-JC-1' },
      visit: { admittedOn: '2020-06-01', dischargedOn: '2020-06-05' },
    }),
    overrides,
  );
}

/**
 * Validates and settles a claim input against a policy book (the built-in seeds by default) and
 * returns the settlement in the contract's JSON form, so that tests compare decimal strings.
 */
export function settleInput(input: unknown, book: PolicyBook = builtInPolicyBook()): SettlementJson {
  return settlementToJson(settle(parseClaim(input), book));
}
