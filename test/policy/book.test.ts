/**
 * The policy book: RFC 7386 merge patches, operator overlays, overlapping versions, and which version
 * is in force on each policy's boundary dates (step 1 of the readings).
 */
import { describe, expect, it } from 'vitest';
import type { Region } from '../../shared/contract/claim.js';
import { BUILT_IN_PACKS, buildPolicyBook, builtInPolicyBook, mergePatch } from '../../shared/policy/book.js';
import { InvalidPolicyError, OverlappingPoliciesError, PolicyError } from '../../shared/policy/errors.js';

describe('mergePatch (RFC 7386 appendix A)', () => {
  it.each([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('%j patched with %j is %j', (target, patch, expected) => {
    expect(mergePatch(target, patch)).toEqual(expected);
  });

  it('does not mutate the target', () => {
    const target = { a: { b: 1 } };
    mergePatch(target, { a: { b: 2 } });
    expect(target).toEqual({ a: { b: 1 } });
  });
});

describe('overlays', () => {
  it('an overlay with a known id merges into it and is validated again', () => {
    // Prepare: lower 晋中's class3 deductible
    const book = buildPolicyBook(BUILT_IN_PACKS, [
      { source: 'ops:jz-class3', document: { id: 'jinzhong-2017', version: '1.1.0', inpatient: { tiers: { class3: { deductible: '80.00' } } } } },
    ]);
    // Act
    const loaded = book.get('jinzhong-2017');
    // Assess: the changed number, the untouched numbers, and the sources in order
    expect(loaded?.policy.version).toBe('1.1.0');
    expect(loaded?.policy.inpatient?.tiers['class3']?.deductible).toBe(8000);
    expect(loaded?.policy.inpatient?.tiers['class3']?.ratio).toBe(8500);
    expect(loaded?.policy.inpatient?.tiers['class2-county']?.deductible).toBe(40000);
    expect(loaded?.sources).toEqual(['built-in:jinzhong-2017', 'ops:jz-class3']);
  });

  it('a broken overlay names its source and the field', () => {
    // Act
    let caught: unknown;
    try {
      buildPolicyBook(BUILT_IN_PACKS, [{ source: 'ops:bad-ratio', document: { id: 'pingyang-2019', inpatient: { tiers: { county: { ratio: '1.5' } } } } }]);
    } catch (error) {
      caught = error;
    }
    // Assess
    expect(caught).toBeInstanceOf(InvalidPolicyError);
    const error = caught as InvalidPolicyError;
    expect(error.source).toContain('ops:bad-ratio');
    expect(error.issues.map((i) => i.path)).toEqual(['inpatient.tiers.county.ratio']);
  });

  it('an unknown field in an overlay is named', () => {
    expect(() => buildPolicyBook(BUILT_IN_PACKS, [{ source: 'ops:typo', document: { id: 'jinzhong-2017', inpatient: { anualCap: { amount: '1.00', clause: 'x' } } } }])).toThrow(
      /ops:typo.*inpatient\.anualCap/,
    );
  });

  it('null in an overlay removes a key, so a required nullable key cannot be set to null by overlay', () => {
    // RFC 7386: null deletes; inpatient.annualCap is required (nullable), so removing it is invalid.
    expect(() => buildPolicyBook(BUILT_IN_PACKS, [{ source: 'ops:no-cap', document: { id: 'jinzhong-2017', inpatient: { annualCap: null } } }])).toThrow(
      /ops:no-cap.*inpatient\.annualCap/,
    );
  });

  it('an overlay without an id is rejected naming its source', () => {
    expect(() => buildPolicyBook(BUILT_IN_PACKS, [{ source: 'ops:anonymous', document: { version: '1.0.0' } }])).toThrow(/ops:anonymous/);
  });

  it('an overlay with a new id must be a complete policy', () => {
    expect(() => buildPolicyBook(BUILT_IN_PACKS, [{ source: 'ops:new', document: { id: 'jinzhong-2030', region: 'jinzhong' } }])).toThrow(InvalidPolicyError);
  });

  it('a policy defined twice among the bases is rejected', () => {
    expect(() => buildPolicyBook([...BUILT_IN_PACKS, BUILT_IN_PACKS[0]!])).toThrow(PolicyError);
  });

  it('two versions of one region in force on the same day are rejected', () => {
    // Prepare: a copy of 平阳 2019 under a new id, from 2019-12-31: overlaps by one day
    const pingyang = BUILT_IN_PACKS.find((p) => p.source.endsWith('pingyang-2019'))!;
    const next = { ...(pingyang.document as object), id: 'pingyang-2020', effective: { from: '2019-12-31', to: '2020-12-31', clause: 'test' } };
    // Act / Assess
    expect(() => buildPolicyBook([...BUILT_IN_PACKS, { source: 'ops:py2020', document: next }])).toThrow(OverlappingPoliciesError);
  });

  it('a following version from the next day is accepted and picked on its dates', () => {
    const pingyang = BUILT_IN_PACKS.find((p) => p.source.endsWith('pingyang-2019'))!;
    const next = { ...(pingyang.document as object), id: 'pingyang-2020', effective: { from: '2020-01-01', to: '2020-12-31', clause: 'test' } };
    const book = buildPolicyBook([...BUILT_IN_PACKS, { source: 'ops:py2020', document: next }]);
    expect(book.inForce('pingyang', '2019-12-31')?.policy.id).toBe('pingyang-2019');
    expect(book.inForce('pingyang', '2020-01-01')?.policy.id).toBe('pingyang-2020');
    expect(book.ofRegion('pingyang').map((l) => l.policy.id)).toEqual(['pingyang-2019', 'pingyang-2020']);
  });

  it('an open-ended version overlapping a later one is rejected', () => {
    const jinzhong = BUILT_IN_PACKS.find((p) => p.source.endsWith('jinzhong-2017'))!;
    const later = { ...(jinzhong.document as object), id: 'jinzhong-2025', effective: { from: '2025-01-01', to: null, clause: 'test' } };
    expect(() => buildPolicyBook([...BUILT_IN_PACKS, { source: 'ops:jz2025', document: later }])).toThrow(OverlappingPoliciesError);
  });
});

describe('inForce: each policy on its boundary dates', () => {
  it.each([
    ['taiyuan', '2014-12-31', undefined],
    ['taiyuan', '2015-01-01', 'taiyuan-2015'],
    ['taiyuan', '2015-12-31', 'taiyuan-2015'],
    ['taiyuan', '2016-01-01', undefined],
    ['jinzhong', '2017-06-30', undefined],
    ['jinzhong', '2017-07-01', 'jinzhong-2017'],
    ['jinzhong', '2099-12-31', 'jinzhong-2017'],
    ['pingyang', '2018-12-31', undefined],
    ['pingyang', '2019-01-01', 'pingyang-2019'],
    ['pingyang', '2019-12-31', 'pingyang-2019'],
    ['pingyang', '2020-01-01', undefined],
    ['shandong', '2018-10-14', undefined],
    ['shandong', '2018-10-15', 'shandong-2018'],
    ['shandong', '2023-10-14', 'shandong-2018'],
    ['shandong', '2023-10-15', undefined],
    ['jincheng', '2019-12-31', undefined],
    ['jincheng', '2020-01-01', 'jincheng-2020'],
    ['jincheng', '2020-12-31', 'jincheng-2020'],
    ['jincheng', '2021-01-01', undefined],
  ])('%s on %s: %s', (region, date, id) => {
    expect(builtInPolicyBook().inForce(region as Region, date)?.policy.id).toBe(id);
  });
});
