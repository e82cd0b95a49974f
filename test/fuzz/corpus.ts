/**
 * The fuzz corpus: 10,000 single-line inputs for `claims settle --lines`, built deterministically
 * (fixed seeds) from the worked cases, the claim generators, random JSON, non-JSON text and a few
 * huge or deeply nested values. Each entry says what the command line must answer for it, where that
 * is certain.
 */
import fc from 'fast-check';
import type { ClaimInput } from '../../shared/contract/claim.js';
import { anyClaim } from '../support/arbitraries.js';
import { workedCases } from '../support/cases.js';

export interface FuzzInput {
  /** Where the input comes from, for the report and failure messages. */
  kind: string;
  /** One line of text: never contains \n or \r (readline would split it). */
  line: string;
  /** What the answer must be when it is certain: a settlement of this claimId, or an INVALID_CLAIM. */
  expect?: { settlement: string } | 'invalid';
}

export const CORPUS_SIZE = 10_000;
const SEED = 424_242;

export function workedCaseClaims(): unknown[] {
  return workedCases().map((workedCase) => workedCase.claim);
}

// ---------------------------------------------------------------------------------------------
// Mutations of a claim object at a path.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

/** Every path in a JSON value, the root excluded. */
function pathsOf(value: Json, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string | number, Json][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

function parentOf(root: Json, path: Path): { parent: Record<string | number, Json>; key: string | number } | undefined {
  let node: Json = root;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, Json>)[key] as Json;
  }
  if (node === null || typeof node !== 'object') return undefined;
  return { parent: node as Record<string | number, Json>, key: path[path.length - 1] as string | number };
}

const BAD_AMOUNTS: Json[] = [
  '-1', '1.234', '1e5', 1e308, '9'.repeat(400), '', ' 1.00', '1,000.00', '0x10', 'NaN', 'Infinity', 100, '１００', '+1.00',
  '.5', '5.', '00012.30', '-0.00', '99999999.99', '100000000.00', '1e308', null, true, [], {},
];
const BAD_DATES: Json[] = [
  '2018-02-30', '2018-13-01', '2018-2-3', '20180203', '2019-02-29', '2018-00-10', '', '2018-02-03T00:00:00Z', '0000-01-01',
  '9999-12-31', '2018-02-03 ', 20180203, null,
];
const BAD_ENUMS: Record<string, Json[]> = {
  region: ['beijing', 'Jinzhong', '', 'jinzhong '],
  tier: ['class9', '', 'CLASS3', 'campus', 'x'.repeat(65)],
  category: ['catalog', 'class-c', '', 'CATALOGUE'],
  kind: ['Regular', 'renewal', ''],
  type: ['Inpatient', 'day-surgery', ''],
  cause: ['', 'Illness', 'accident'],
  group: ['kid', 'child-class2', ''],
  childbirth: ['home', 'Natural', ''],
};
const OTHER_TYPES: Json[] = [null, 0, -1, 1.5, true, false, '', 'text', [], [1, 2], {}, { a: 1 }];

/** One mutation: where (an index into the claim's paths) and what. */
const mutation = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('delete', 'rename', 'retype', 'amount', 'date', 'enum', 'duplicate-category', 'ratio', 'unknown-field', 'items'),
  pick: fc.nat(),
});

function choose<T>(list: readonly T[], pick: number): T {
  return list[pick % list.length] as T;
}

/** Applies one mutation in place; keys whose name says what they hold get the matching bad values. */
function mutate(root: Json, { at, op, pick }: { at: number; op: string; pick: number }): void {
  const paths = pathsOf(root);
  if (paths.length === 0) return;
  const path = choose(paths, at);
  const place = parentOf(root, path);
  if (!place) return;
  const { parent, key } = place;
  const name = String(key);
  switch (op) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      return;
    case 'rename':
      if (!Array.isArray(parent)) {
        parent[choose([`${name}s`, name.toUpperCase(), `${name}_`, name.slice(1), 'extra'], pick)] = parent[key] as Json;
        delete parent[key];
      }
      return;
    case 'retype':
      parent[key] = choose(OTHER_TYPES, pick);
      return;
    case 'amount': {
      const amountPaths = paths.filter((p) => /amount|Paid|quota|SelfPay|Used$/.test(String(p[p.length - 1])));
      const target = amountPaths.length > 0 ? parentOf(root, choose(amountPaths, at)) : place;
      if (target) target.parent[target.key] = choose(BAD_AMOUNTS, pick);
      return;
    }
    case 'date': {
      const datePaths = paths.filter((p) => /On$|Date$|^date$/.test(String(p[p.length - 1])));
      const target = datePaths.length > 0 ? parentOf(root, choose(datePaths, at)) : place;
      if (target) target.parent[target.key] = choose(BAD_DATES, pick);
      return;
    }
    case 'enum': {
      const enumPaths = paths.filter((p) => String(p[p.length - 1]) in BAD_ENUMS);
      const target = enumPaths.length > 0 ? parentOf(root, choose(enumPaths, at)) : undefined;
      if (target) target.parent[target.key] = choose(BAD_ENUMS[String(target.key)] as Json[], pick);
      return;
    }
    case 'duplicate-category': {
      const member = (root as { member?: { categories?: Json } }).member;
      if (member && typeof member === 'object') member.categories = choose([['student', 'student'], ['orphan', 'low-income', 'orphan'], ['none'], 'student'], pick);
      return;
    }
    case 'ratio': {
      const items = (root as { items?: Json }).items;
      if (Array.isArray(items) && items.length > 0) {
        const item = choose(items, at);
        if (item && typeof item === 'object' && !Array.isArray(item)) item['selfPayRatio'] = choose(['1.5', '-0.1', '0.12345', 0.1, '', '1.00001', '0.1'], pick);
      }
      return;
    }
    case 'unknown-field':
      if (!Array.isArray(parent) && typeof parent[key] === 'object' && parent[key] !== null && !Array.isArray(parent[key])) {
        // defineProperty, so that "__proto__" becomes an own key (plain assignment would set the prototype).
        Object.defineProperty(parent[key], choose(['extra', '__proto__', 'constructor', 'Amount', ''], pick), { value: 1, enumerable: true, writable: true, configurable: true });
      } else if (!Array.isArray(root) && root !== null && typeof root === 'object') (root as Record<string, Json>)['unexpected'] = true;
      return;
    case 'items': {
      if (root === null || typeof root !== 'object' || Array.isArray(root)) return;
      const variants: Json[] = [[], [{ category: 'er-observation', amount: '1.00' }], [{ category: 'catalogue', amount: '1.00', date: '2018-01-01' }], 'none'];
      root['items'] = choose(variants, pick);
      return;
    }
  }
}

/** A worked case's claim with one to three mutations. */
function mutatedCases(cases: readonly unknown[]): fc.Arbitrary<FuzzInput> {
  return fc.tuple(fc.nat({ max: cases.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([index, mutations]) => {
    const claim = structuredClone(cases[index]) as Json;
    for (const m of mutations) mutate(claim, m);
    return { kind: 'mutated worked case', line: JSON.stringify(claim) };
  });
}

/** A generated valid claim, sometimes mutated. */
const generatedClaims: fc.Arbitrary<FuzzInput> = fc.tuple(anyClaim, fc.option(mutation, { freq: 2, nil: undefined })).map(([claim, m]) => {
  if (m === undefined) return { kind: 'generated valid claim', line: JSON.stringify(claim), expect: { settlement: claim.claimId } };
  const copy = structuredClone(claim) as unknown as Json;
  mutate(copy, m);
  return { kind: 'generated claim, mutated', line: JSON.stringify(copy) };
});

const jsonValues: fc.Arbitrary<FuzzInput> = fc.jsonValue().map((value) => ({ kind: 'random JSON value', line: JSON.stringify(value) }));

/** fc.anything() serialised: undefined, NaN and the like come out as non-JSON text or null. */
const anythings: fc.Arbitrary<FuzzInput> = fc.anything().map((value) => {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  return { kind: 'fc.anything() serialised', line: text ?? String(value) };
});

/** Text that is not JSON: random strings, broken claims, JSON5-isms. */
function nonJsonText(cases: readonly unknown[]): fc.Arbitrary<FuzzInput> {
  const caseText = fc.nat({ max: cases.length - 1 }).map((i) => JSON.stringify(cases[i]));
  return fc
    .oneof(
      fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 50 }),
      fc.tuple(caseText, fc.nat()).map(([text, cut]) => text.slice(0, 1 + (cut % (text.length - 1)))),
      caseText.map((text) => text.replace(/"/g, "'")),
      caseText.map((text) => text.replace(/}$/, ',}')),
      caseText.map((text) => `\uFEFF${text}`),
      caseText.map((text) => `${text} trailing`),
      fc.constantFrom('undefined', 'NaN', '{', '}', '[', '{"a":}', "{'claimId':1}", '-', '01', '1e999999', '"\\ud800"x', 'null null'),
    )
    .map((text) => text.replace(/[\r\n]/g, ' '))
    .filter((text) => text.trim() !== '' && !isJson(text))
    .map((line) => ({ kind: 'non-JSON text', line, expect: 'invalid' as const }));
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Huge and deeply nested values, written as text directly (no recursion on our side either).

const DEPTH = 10_000;
const MEGABYTE = 1024 * 1024;

/** A payable claim to hang huge values on, written out so that changes to the generators do not move it. */
const BASE: ClaimInput = {
  claimId: 'FUZZ-HUGE-BASE',
  member: { id: 'M-FUZZ', region: 'jinzhong', birthDate: '1970-05-20', categories: [], enrolment: { year: 2018, kind: 'regular', paidOn: '2017-11-15' } },
  hospital: { id: 'H-FUZZ', tier: 'class2-county', designated: true, primaryCare: false, outsidePoolingArea: false },
  visit: { type: 'inpatient', admittedOn: '2018-03-05', dischargedOn: '2018-03-14', emergency: false, referral: false, cause: 'illness' },
  items: [{ category: 'catalogue', amount: '1634.50' }],
  yearToDate: { admissions: 0 },
};

type Editable = Record<string, any>;

/**
 * The base claim changed by `edit`, serialised; a string value "RAW" stands for `raw`, spliced in as
 * JSON text (deep nesting is written as text: neither side should need recursion to build it).
 */
function variant(edit: (claim: Editable) => void, raw = ''): string {
  const claim = structuredClone(BASE) as Editable;
  edit(claim);
  return JSON.stringify(claim).replace('"RAW"', () => raw);
}

function hugeInputs(): FuzzInput[] {
  const deepArray = `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`;
  const deepObject = `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`;
  const digits = '9'.repeat(MEGABYTE);
  const item = { category: 'catalogue', amount: '1.00' };
  const invalid = (kind: string, line: string): FuzzInput => ({ kind: `huge: ${kind}`, line, expect: 'invalid' });
  return [
    invalid('10,000-deep array', deepArray),
    invalid('10,000-deep object', deepObject),
    invalid('10,000-deep array as items', variant((c) => (c['items'] = 'RAW'), deepArray)),
    invalid('10,000-deep object as member', variant((c) => (c['member'] = 'RAW'), deepObject)),
    invalid('10,000-deep array as claimId', variant((c) => (c['claimId'] = 'RAW'), deepArray)),
    invalid('10,000-deep object under an unknown key', variant((c) => (c['extra'] = 'RAW'), deepObject)),
    invalid('1 MB claimId', variant((c) => (c['claimId'] = 'C'.repeat(MEGABYTE)))),
    invalid('1 MB item name', variant((c) => (c['items'][0]['name'] = 'n'.repeat(MEGABYTE)))),
    invalid('1 MB of digits as an amount', variant((c) => (c['items'][0]['amount'] = digits))),
    invalid('1 MB of digits as a number', variant((c) => (c['yearToDate']['admissions'] = 'RAW'), digits)),
    invalid('1 MB non-JSON line', 'x'.repeat(MEGABYTE)),
    invalid('1 MB JSON string', JSON.stringify('s'.repeat(MEGABYTE))),
    invalid('100,000 member categories', variant((c) => (c['member']['categories'] = Array(100_000).fill('student')))),
    { kind: 'huge: 5,000 items (the most allowed)', line: variant((c) => (c['items'] = Array(5_000).fill(item))), expect: { settlement: BASE.claimId } },
    invalid('5,001 items', variant((c) => (c['items'] = Array(5_001).fill(item)))),
    invalid('20,000 unknown keys', variant((c) => Object.assign(c, Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i]))))),
    invalid('1e308 as an amount', variant((c) => (c['items'][0]['amount'] = 1e308))),
  ];
}

/** The whole corpus, in a fixed order; its composition is returned alongside. */
export function buildCorpus(): { inputs: FuzzInput[]; composition: Record<string, number> } {
  const cases = workedCaseClaims();
  const huge = hugeInputs();
  const take = (arb: fc.Arbitrary<FuzzInput>, count: number, seed: number): FuzzInput[] => fc.sample(arb, { numRuns: count, seed });
  const fixed = [
    ...take(generatedClaims, 2_500, SEED + 1),
    ...take(jsonValues, 1_000, SEED + 2),
    ...take(anythings, 500, SEED + 3),
    ...take(nonJsonText(cases), 1_000, SEED + 4),
    ...huge,
  ];
  const inputs = [...take(mutatedCases(cases), CORPUS_SIZE - fixed.length, SEED), ...fixed];
  // Interleave deterministically so that huge lines sit between ordinary ones, not at the end.
  const shuffled = fc.sample(fc.shuffledSubarray(inputs, { minLength: inputs.length, maxLength: inputs.length }), { numRuns: 1, seed: SEED + 5 })[0] as FuzzInput[];
  const composition: Record<string, number> = {};
  for (const input of shuffled) composition[input.kind] = (composition[input.kind] ?? 0) + 1;
  return { inputs: shuffled, composition };
}
