/**
 * The trace explains itself in both languages: every kind of entry the engine can record has an English
 * and a Chinese sentence in the catalogue (checked over the whole union, whose sample facts the compiler
 * requires kind by kind, and over random claims), the Chinese names the clause and shows the amount with
 * thousands separators, and every clause the engine cites itself resolves to an anchor of docs/readings.md.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseClaim } from '../../shared/contract/claim.js';
import { ENGINE_CLAUSES } from '../../shared/engine/clauses.js';
import { MESSAGES, formatYuanGrouped, renderChinese, renderEnglish } from '../../shared/engine/messages.js';
import { settle } from '../../shared/engine/settle.js';
import { settlementToJson } from '../../shared/engine/settlement.js';
import { TRACE_STEPS, type TraceFacts, type TraceKind, TraceRecord, stepOf } from '../../shared/engine/trace.js';
import type { Fen, Ratio } from '../../shared/money/money.js';
import { builtInPolicyBook } from '../../shared/policy/book.js';
import { anyClaim, mustReject } from '../support/arbitraries.js';
import { jinzhongInpatient } from '../support/claims.js';

const book = builtInPolicyBook();
const jinzhong = book.inForce('jinzhong', '2018-03-14')?.policy;
const fen = (n: number): Fen => n as Fen;
const ratio = (n: number): Ratio => n as Ratio;
const CJK = /[\u4e00-\u9fff]/;

/** Facts for every kind of entry: the compiler refuses this object if a kind is missing. */
const SAMPLE_FACTS: { readonly [K in TraceKind]: TraceFacts[K] } = {
  'policy.in-force': { policy: jinzhong as NonNullable<typeof jinzhong>, dischargedOn: '2018-03-14', year: 2018, sources: ['a.json', 'b.json'] },
  'eligibility.covered': { cover: { kind: 'late-waiting', paidOn: '2018-01-10', benefitsFrom: '2018-02-10', waitingDays: 31 }, admitted: '2018-03-01' },
  'path.chosen': { path: 'inpatient' },
  'scope.category': {
    category: 'er-observation',
    lines: 2,
    amount: fen(116000),
    inScope: fen(86000),
    details: [
      { kind: 'observation', amount: fen(86000), date: '2018-03-02', days: 3, merged: true, mergeWithinDays: 7 },
      { kind: 'observation', amount: fen(30000), date: '2018-02-24', days: 9, merged: false, mergeWithinDays: undefined },
    ],
  },
  'scope.total': { total: fen(4450555), fullOwnPay: fen(0), preSelfPay: fen(1738222), policyScope: fen(2712333) },
  'scope.serious-disease': { code: 'D01', group: 'child-class1', total: fen(9000000), quota: fen(8000000), base: fen(8000000), hospitalBorne: fen(1000000) },
  'deductible.table': { standard: fen(50000), tier: 'class2-city' },
  'deductible.relieved': {
    standard: fen(50000),
    tier: 'class2-city',
    factors: [ratio(5000)],
    reduced: fen(25000),
    reasons: [
      { kind: 'child', age: 3, maxAge: 14 },
      { kind: 'repeat', admissions: 1 },
    ],
    combine: 'lowest',
  },
  'deductible.special-none': {},
  'deductible.special-taken': {},
  'deductible.special-standard': { standard: fen(90000), tier: 'county', onceAYear: true },
  'deductible.below-scope': { policyScope: fen(80000) },
  'deductible.outpatient-annual': { annual: fen(5000), used: fen(1000), left: fen(4000), applied: fen(4000) },
  'ratio.tier': { ratio: ratio(7000), tier: 'class2-city' },
  'ratio.non-designated-emergency': { ratio: ratio(7000) },
  'ratio.emergency-exempt': { ratio: ratio(7000) },
  'ratio.referral-penalty': { ratio: ratio(6000), tier: 'class1-city', points: ratio(1000), emergency: true, lowered: ratio(5000) },
  'ratio.outpatient': { ratio: ratio(1500), tier: 'county', notReferred: true },
  'basic.formula': { path: 'inpatient', policyScope: fen(2712333), deductible: fen(50000), ratio: ratio(7000), computed: fen(1863633) },
  'basic.serious-disease': { base: fen(8000000), ratio: ratio(7000), computed: fen(5600000) },
  'basic.childbirth': { delivery: 'natural', primaryCare: true, standard: fen(100000), policyScope: fen(320000), paid: fen(100000) },
  'cap.basic': { counter: 'basic paid', cap: fen(7000000), used: fen(6900000), left: fen(100000), computed: fen(250000) },
  'cap.catastrophic': { cap: fen(30000000), paid: fen(29900000), left: fen(100000), computed: fen(300000) },
  'catastrophic.segment': { from: fen(1000000), to: null, rate: ratio(7500), before: fen(900000), after: fen(2080000), overlap: fen(1080000), pay: fen(810000) },
  'catastrophic.none': { before: fen(0), after: fen(848700) },
  'assistance.general': { category: 'low-income', left: fen(100000), ratio: ratio(5000), computed: fen(50000), paid: fen(20000), room: fen(20000) },
  'assistance.serious-disease': {
    group: 'adult-class',
    category: 'minimum-living',
    base: fen(8000000),
    ratio: ratio(2000),
    share: fen(1600000),
    left: fen(2400000),
    paid: fen(1600000),
  },
  'assistance.serious-disease-none': { group: 'adult-class', categories: ['minimum-living', 'orphan'] },
  'charity.serious-disease': {
    group: 'child-class1',
    age: 6,
    category: 'orphan',
    base: fen(8000000),
    ratio: ratio(3000),
    share: fen(2400000),
    left: fen(800000),
    paid: fen(800000),
  },
  'charity.serious-disease-none': { group: 'child-class1', minAge: 1, maxAge: 14, age: 15, hasCategory: false },
  'patient.remainder': {
    total: fen(4450555),
    basic: fen(1863633),
    catastrophic: fen(0),
    assistance: fen(0),
    charity: fen(0),
    hospitalBorne: fen(0),
    patient: fen(2586922),
  },
  'rejection.refused': { code: 'NON_DESIGNATED', message: 'hospital H-0001 is not designated and the visit is not an emergency', total: fen(910000) },
};

const KINDS = Object.keys(SAMPLE_FACTS) as TraceKind[];
const CLAUSE = { clause: '晋中 第十五条' };

describe('the message catalogue', () => {
  it('has a sentence in each language for every kind of entry, and every step has a kind', () => {
    // Prepare / Act
    const catalogued = Object.keys(MESSAGES).sort();
    const steps = new Set(KINDS.map(stepOf));
    // Assess
    expect(catalogued).toEqual([...KINDS].sort());
    expect([...steps].sort()).toEqual([...TRACE_STEPS].sort());
  });

  it.each(KINDS)('%s renders in English and in Chinese, the Chinese ending with its clause', (kind) => {
    // Prepare
    const facts = SAMPLE_FACTS[kind];
    // Act
    const en = renderEnglish(kind, facts);
    const zh = renderChinese(kind, facts, CLAUSE, jinzhong);
    // Assess
    expect(en.length).toBeGreaterThan(0);
    expect(en).not.toMatch(/undefined|NaN|\[object/);
    expect(zh).toMatch(CJK);
    expect(zh).not.toMatch(/undefined|NaN|\[object/);
    expect(zh.endsWith('（晋中 第十五条）')).toBe(true);
  });

  it('writes the inpatient formula as a cashier reads it: the rule, grouped numbers, the percentage, the clause', () => {
    // Prepare
    const facts = SAMPLE_FACTS['basic.formula'];
    // Act
    const zh = renderChinese('basic.formula', facts, CLAUSE, jinzhong);
    // Assess
    expect(zh).toBe('住院统筹支付：(政策范围内费用 27,123.33 − 起付线 500.00) × 支付比例 70% = 18,636.33（晋中 第十五条）');
  });

  it('names a tier by the policy pack\'s own name, and an engine clause by its Chinese name and its anchor', () => {
    // Prepare
    const tier = SAMPLE_FACTS['deductible.table'];
    const patient = SAMPLE_FACTS['patient.remainder'];
    // Act
    const deductible = renderChinese('deductible.table', tier, CLAUSE, jinzhong);
    const remainder = renderChinese('patient.remainder', patient, ENGINE_CLAUSES.oneStopOrder, jinzhong);
    // Assess
    expect(deductible).toBe('起付线：【二类 (三级乙等、二级甲等), 省市级】起付标准 500.00（晋中 第十五条）');
    expect(remainder.endsWith('（一站式结算顺序，docs/readings.md#r29）')).toBe(true);
  });

  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [99999, '999.99'],
    [100000, '1,000.00'],
    [2712333, '27,123.33'],
    [999999999999, '9,999,999,999.99'],
  ])('groups %i fen as %s', (amount, text) => {
    // Prepare / Act / Assess
    expect(formatYuanGrouped(fen(amount))).toBe(text);
  });
});

describe('the engine\'s own clauses', () => {
  const readings = readFileSync(resolve(import.meta.dirname, '../../docs/readings.md'), 'utf8');

  it.each(Object.entries(ENGINE_CLAUSES))('%s cites an anchor that docs/readings.md has', (_name, { clause }) => {
    // Prepare
    const anchor = /^docs\/readings\.md#([a-z0-9-]+)$/.exec(clause)?.[1];
    // Act / Assess
    expect(anchor, clause).toBeDefined();
    expect(readings).toContain(`<a id="${anchor}"></a>`);
  });
});

describe('every entry of a settled claim in both languages', () => {
  it('a worked 晋中 claim: the basic fund\'s entry in Chinese as a cashier reads it', () => {
    // Prepare
    const claim = parseClaim(JSON.parse(readFileSync(resolve(import.meta.dirname, '../cases/JZ05.json'), 'utf8')).claim);
    // Act
    const json = settlementToJson(settle(claim, book));
    // Assess
    expect(json.trace.find((e) => e.step === 'basic')?.zh).toBe(
      '住院统筹支付：(政策范围内费用 27,123.33 − 起付线 500.00) × 支付比例 70% = 18,636.33（晋中 第十五条）',
    );
    expect(json.trace.find((e) => e.step === 'patient')?.clause).toBe('docs/readings.md#r29');
  });

  it('random claims (valid and bound to be rejected): each entry is a catalogued kind with both sentences, the amount grouped in the Chinese (1,500 runs)', () => {
    fc.assert(
      fc.property(fc.oneof(anyClaim, mustReject.map(({ claim }) => claim)), (input) => {
        // Prepare
        const claim = parseClaim(input);
        // Act
        const settlement = settle(claim, book);
        const json = settlementToJson(settlement);
        // Assess
        settlement.trace.forEach((entry, index) => {
          expect(entry).toBeInstanceOf(TraceRecord);
          const record = entry as TraceRecord;
          expect(Object.hasOwn(MESSAGES, record.kind)).toBe(true);
          expect(record.step).toBe(stepOf(record.kind));
          const { detail, zh } = json.trace[index] ?? {};
          expect(detail?.length).toBeGreaterThan(0);
          expect(zh).toMatch(CJK);
          expect(zh).not.toMatch(/undefined|NaN|\[object/);
          expect(zh?.endsWith(`${record.clause}）`), zh).toBe(true);
          if (record.fen !== undefined && record.fen > 0) expect(zh, record.kind).toContain(formatYuanGrouped(record.fen));
        });
      }),
      { numRuns: 1_500, seed: 1515 },
    );
  });

  it('serializes the same through JSON.stringify as through settlementToJson', () => {
    // Prepare
    const settlement = settle(parseClaim(jinzhongInpatient()), book);
    // Act
    const viaStringify = JSON.parse(JSON.stringify(settlement.trace));
    // Assess
    expect(viaStringify).toEqual(settlementToJson(settlement).trace);
  });
});
