/**
 * The edge readings of `shared/spec/policy-readings.md`, one `describe` per reading. Every expected
 * figure is worked out by hand in the comment above it, from the reading and the policy's numbers;
 * none is copied from the engine's output. Money is compared as decimal strings.
 *
 * Every settlement made here also goes through {@link settleChecked}, which asserts the contract's
 * invariants and that each trace entry names a clause.
 */
import { describe, expect, it } from 'vitest';
import { addYears } from '../../shared/calendar/dates.js';
import { parseClaim } from '../../shared/contract/claim.js';
import { InvalidClaimError } from '../../shared/contract/errors.js';
import { settle } from '../../shared/engine/settle.js';
import type { SettlementJson } from '../../shared/engine/settlement.js';
import { parseMoney } from '../../shared/money/money.js';
import { BUILT_IN_PACKS, type PolicyBook, buildPolicyBook, builtInPolicyBook } from '../../shared/policy/book.js';
import {
  type ClaimOverrides,
  catalogue,
  deepMerge,
  jinchengInpatient,
  jinzhongChildbirth,
  jinzhongInpatient,
  jinzhongOutpatient,
  jinzhongSerious,
  pingyangInpatient,
  pingyangOutpatient,
  pingyangSpecialOutpatient,
  settleInput,
  shandongInpatient,
  taiyuanInpatient,
  taiyuanStudentOutpatient,
} from '../support/claims.js';

const fen = (text: string): number => parseMoney(text);

/**
 * Settles and checks what must hold of every settlement: both invariants to the fen, no negative amount,
 * a rejected claim paid wholly by the patient, and a clause on every trace entry (and, when settled,
 * entries for the scope, basic and patient steps that set amounts).
 */
function settleChecked(input: unknown, book?: PolicyBook): SettlementJson {
  const s = settleInput(input, book);
  const a = s.amounts;
  for (const [key, value] of Object.entries(a)) expect({ [key]: fen(value) >= 0 }).toEqual({ [key]: true });
  expect(fen(a.basic) + fen(a.catastrophic) + fen(a.assistance) + fen(a.charity) + fen(a.hospitalBorne) + fen(a.patient)).toBe(fen(a.total));
  for (const entry of s.trace) expect(entry.clause.length, `trace step ${entry.step} names a clause`).toBeGreaterThan(0);
  if (s.status === 'settled') {
    expect(fen(a.fullOwnPay) + fen(a.preSelfPay) + fen(a.policyScope) + fen(a.hospitalBorne)).toBe(fen(a.total));
    const steps = new Set(s.trace.filter((e) => e.amount !== undefined).map((e) => e.step));
    for (const step of ['scope', 'basic', 'patient']) expect(steps, `trace has an amount-setting ${step} step`).toContain(step);
    // Every non-zero deductible and later layer is explained by a step of its own, with its clause.
    for (const step of ['deductible', 'catastrophic', 'assistance', 'charity'] as const) {
      if (a[step] !== '0.00') expect(steps, `trace explains ${step} ${a[step]}`).toContain(step);
    }
  } else {
    expect(a.patient).toBe(a.total);
    for (const key of ['fullOwnPay', 'preSelfPay', 'policyScope', 'deductible', 'basic', 'catastrophic', 'assistance', 'charity', 'hospitalBorne'] as const) {
      expect({ [key]: a[key] }).toEqual({ [key]: '0.00' });
    }
    expect(s.trace.some((e) => e.step === 'rejection')).toBe(true);
  }
  return s;
}

/** The rejection code of a claim, or "settled". */
const outcome = (input: unknown, book?: PolicyBook): string => settleChecked(input, book).rejection?.code ?? 'settled';

/** The InvalidClaimError a claim raises (at validation or settlement). */
function invalidIssues(input: unknown): { path: string; message: string }[] {
  try {
    settle(parseClaim(input), builtInPolicyBook());
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidClaimError);
    return [...(error as InvalidClaimError).issues];
  }
  throw new Error('expected InvalidClaimError');
}

describe('R03: child and second-admission reductions do not stack', () => {
  it('a child of 10 on a second admission gets 50% of the standard, not 25%', () => {
    // Prepare: 晋中 class2-county 400 / 75%; child (10) and admissions 1 → 400 × 0.50 = 200 (not 100).
    // basic = (10,000 − 200) × 0.75 = 7,350.00
    const claim = jinzhongInpatient({ member: { birthDate: '2008-01-01' }, yearToDate: { admissions: 1 } });
    // Act
    const s = settleChecked(claim);
    // Assess
    expect(s.amounts.deductible).toBe('200.00');
    expect(s.amounts.basic).toBe('7350.00');
    expect(s.amounts.patient).toBe('2650.00');
  });

  it('each reduction alone also halves the standard', () => {
    // Prepare: child alone → 200; second admission alone (adult) → 200.
    const child = jinzhongInpatient({ member: { birthDate: '2008-01-01' } });
    const second = jinzhongInpatient({ yearToDate: { admissions: 3 } });
    // Act
    const a = settleChecked(child);
    const b = settleChecked(second);
    // Assess
    expect(a.amounts.deductible).toBe('200.00');
    expect(b.amounts.deductible).toBe('200.00');
  });
});

describe('R04: age in completed years on the admission date, 14 qualifies', () => {
  // Admission 2018-03-05; adult standard 400, child 200.
  it.each([
    ['exactly 14 on the admission date', '2004-03-05', '200.00'],
    ['15th birthday on the admission date', '2003-03-05', '400.00'],
    ['admitted the day before the 15th birthday (still 14)', '2003-03-06', '200.00'],
  ])('%s', (_name, birthDate, deductible) => {
    // Prepare
    const claim = jinzhongInpatient({ member: { birthDate } });
    // Act
    const s = settleChecked(claim);
    // Assess
    expect(s.amounts.deductible).toBe(deductible);
  });

  it.each([
    // born 2003-02-29 does not exist; born 2004-02-29 turns 15 on 2019-03-01 in a non-leap year (docs/readings-notes.md)
    ['born on 29 February, admitted 28 February of a non-leap year: still 14', '2019-02-28', '200.00'],
    ['born on 29 February, admitted 1 March: 15', '2019-03-01', '400.00'],
  ])('%s', (_name, admittedOn, deductible) => {
    // Prepare
    const claim = jinzhongInpatient({
      member: { birthDate: '2004-02-29', enrolment: { year: 2019 } },
      visit: { admittedOn, dischargedOn: '2019-03-10' },
    });
    // Act
    const s = settleChecked(claim);
    // Assess
    expect(s.amounts.deductible).toBe(deductible);
  });

  it('age is taken on admission, not discharge: 14 on admission, 15 by discharge still qualifies', () => {
    // Prepare: born 2003-03-10, admitted 2018-03-05 (14), discharged 2018-03-14 (15) → 200.
    const claim = jinzhongInpatient({ member: { birthDate: '2003-03-10' } });
    // Act
    const s = settleChecked(claim);
    // Assess
    expect(s.amounts.deductible).toBe('200.00');
  });
});

describe('R05: a second admission counts prior inpatient settlements at any hospital, childbirth included', () => {
  it('a natural childbirth earlier in the year makes the next admission a second one', () => {
    // Prepare: childbirth (3,000 scope, fixed 1,200) → admissions 1, basicPaid 1,200.00.
    const birth = settleChecked(jinzhongChildbirth());
    // Then an ordinary admission at another hospital with those totals: deductible 400 × 0.5 = 200;
    // basic = (10,000 − 200) × 0.75 = 7,350.00; basicPaid 1,200 + 7,350 = 8,550.00.
    const next = jinzhongInpatient({ hospital: { id: 'H-OTHER', tier: 'class3' }, yearToDate: birth.yearToDate });
    // Act
    const s = settleChecked(next);
    // Assess: class3 100 / 85% → 100 × 0.5 = 50; (10,000 − 50) × 0.85 = 8,457.50
    expect(birth.yearToDate.admissions).toBe(1);
    expect(s.amounts.deductible).toBe('50.00');
    expect(s.amounts.basic).toBe('8457.50');
    expect(s.yearToDate.admissions).toBe(2);
    expect(s.yearToDate.basicPaid).toBe('9657.50');
  });

  it('no prior admission: the full standard', () => {
    // Prepare / Act
    const s = settleChecked(jinzhongInpatient({ yearToDate: { admissions: 0 } }));
    // Assess
    expect(s.amounts.deductible).toBe('400.00');
  });
});

describe('R06: a cross-year stay is settled in the discharge year', () => {
  it('admitted in December, discharged in January: the discharge year and its enrolment', () => {
    // Prepare: admitted 2017-12-20, discharged 2018-01-10, enrolled for 2018 (paid 2017-11-15).
    const claim = jinzhongInpatient({ visit: { admittedOn: '2017-12-20', dischargedOn: '2018-01-10' } });
    // Act
    const s = settleChecked(claim);
    // Assess: one claim, one deductible 400, basic 7,200.00, year 2018.
    expect(s.status).toBe('settled');
    expect(s.year).toBe(2018);
    expect(s.policy).toBe('jinzhong-2017');
    expect(s.amounts.deductible).toBe('400.00');
    expect(s.amounts.basic).toBe('7200.00');
  });

  it('enrolment for the admission year only is NOT_ENROLLED', () => {
    // Prepare
    const claim = jinzhongInpatient({
      member: { enrolment: { year: 2017, paidOn: '2016-11-15' } },
      visit: { admittedOn: '2017-12-20', dischargedOn: '2018-01-10' },
    });
    // Act
    const s = settleChecked(claim);
    // Assess
    expect(s.rejection?.code).toBe('NOT_ENROLLED');
    expect(s.year).toBe(2018);
  });

  it('enrolment.year other than the discharge year is NOT_ENROLLED even for a same-year stay', () => {
    // Prepare / Act / Assess
    expect(outcome(jinzhongInpatient({ member: { enrolment: { year: 2019 } } }))).toBe('NOT_ENROLLED');
  });
});

describe('R07 / R08: 晋中 referral penalty, −10 points only outside the pooling area without referral', () => {
  it('outside without referral: 75% − 10 = 65%; the penalty share is compliant self-pay', () => {
    // Prepare: (10,000 − 400) × 0.65 = 6,240.00; compliant self-pay 10,000 − 6,240 = 3,760.00
    const claim = jinzhongInpatient({ hospital: { outsidePoolingArea: true } });
    // Act
    const s = settleChecked(claim);
    // Assess
    expect(s.amounts.basic).toBe('6240.00');
    expect(s.yearToDate.compliantSelfPay).toBe('3760.00');
  });

  it.each([
    ['with referral', { hospital: { outsidePoolingArea: true }, visit: { referral: true } }],
    ['an emergency without referral (晋中 exempts emergencies)', { hospital: { outsidePoolingArea: true }, visit: { emergency: true } }],
    ['inside the pooling area without referral', { hospital: { outsidePoolingArea: false } }],
  ])('%s: no penalty, 7,200.00', (_name, overrides) => {
    // Prepare: (10,000 − 400) × 0.75 = 7,200.00
    // Act
    const s = settleChecked(jinzhongInpatient(overrides as ClaimOverrides));
    // Assess
    expect(s.amounts.basic).toBe('7200.00');
  });

  it('never by tier name alone: a provincial class1 hospital inside the pooling area takes no penalty', () => {
    // Prepare: class1-city 1,000 / 60%: (10,000 − 1,000) × 0.60 = 5,400.00
    const s = settleChecked(jinzhongInpatient({ hospital: { tier: 'class1-city' } }));
    // Assess
    expect(s.amounts.basic).toBe('5400.00');
  });
});

describe('R09: 平阳 −5 points, emergencies included', () => {
  it.each([
    // county 900 / 70%: (10,000 − 900) × 0.65 = 5,915.00
    ['outside without filing, emergency', { hospital: { outsidePoolingArea: true }, visit: { emergency: true } }, '5915.00'],
    ['outside without filing', { hospital: { outsidePoolingArea: true } }, '5915.00'],
    // (10,000 − 900) × 0.70 = 6,370.00
    ['outside with filing', { hospital: { outsidePoolingArea: true }, visit: { referral: true } }, '6370.00'],
    ['inside, no filing', {}, '6370.00'],
  ])('%s', (_name, overrides, basic) => {
    // Act
    const s = settleChecked(pingyangInpatient(overrides as ClaimOverrides));
    // Assess
    expect(s.amounts.basic).toBe(basic);
  });
});

describe('R10: partly included items, per line, rounded half up', () => {
  it('晋中: every partly included category and class-b with 4-decimal ratios', () => {
    // Prepare, line by line (in scope rounded half up, the rest preSelfPay):
    //   large-equipment      1,000.01 × 0.60 =   600.006 →   600.01, pre 400.00
    //   implant-domestic       333.33 × 0.70 =   233.331 →   233.33, pre 100.00
    //   implant-imported         0.05 × 0.50 =     0.025 →     0.03, pre   0.02
    //   disposable-material     10.01 × 0.60 =     6.006 →     6.01, pre   4.00
    //   blood                  200.01 × 0.50 =   100.005 →   100.01, pre 100.00
    //   class-b 0.1234         100.00 × 0.8766 =  87.66  →    87.66, pre  12.34
    //   class-b 0.1235          33.33 × 0.8765 =  29.213745 → 29.21, pre   4.12
    //   catalogue            5,000.00                     → 5,000.00
    // total 6,676.74; scope 6,056.26; pre 620.48. (Summing 600.006 + 6.006 first would give 606.01, not 606.02.)
    // basic = (6,056.26 − 400) × 0.75 = 4,242.195 → 4,242.20; patient 6,676.74 − 4,242.20 = 2,434.54
    const claim = jinzhongInpatient({
      items: [
        { category: 'large-equipment', amount: '1000.01' },
        { category: 'implant-domestic', amount: '333.33' },
        { category: 'implant-imported', amount: '0.05' },
        { category: 'disposable-material', amount: '10.01' },
        { category: 'blood', amount: '200.01' },
        { category: 'class-b', amount: '100.00', selfPayRatio: '0.1234' },
        { category: 'class-b', amount: '33.33', selfPayRatio: '0.1235' },
        catalogue('5000.00'),
      ],
    });
    // Act
    const s = settleChecked(claim);
    // Assess
    expect(s.amounts.total).toBe('6676.74');
    expect(s.amounts.policyScope).toBe('6056.26');
    expect(s.amounts.preSelfPay).toBe('620.48');
    expect(s.amounts.fullOwnPay).toBe('0.00');
    expect(s.amounts.basic).toBe('4242.20');
    expect(s.amounts.patient).toBe('2434.54');
  });

  it('preSelfPay and fullOwnPay are not compliant self-pay', () => {
    // Prepare: scope 10,000 + class-b 1,000 at 0.10 (900 in scope, 100 pre) + out-of-catalogue 500.
    // scope 10,900; basic (10,900 − 400) × 0.75 = 7,875.00; compliant 10,900 − 7,875 = 3,025.00
    const claim = jinzhongInpatient({
      items: [catalogue('10000.00'), { category: 'class-b', amount: '1000.00', selfPayRatio: '0.10' }, { category: 'out-of-catalogue', amount: '500.00' }],
    });
    // Act
    const s = settleChecked(claim);
    // Assess
    expect(s.amounts.fullOwnPay).toBe('500.00');
    expect(s.amounts.preSelfPay).toBe('100.00');
    expect(s.amounts.basic).toBe('7875.00');
    expect(s.yearToDate.compliantSelfPay).toBe('3025.00');
  });

  it('平阳 includes the partly included categories wholly; class-b still puts its ratio into preSelfPay', () => {
    // Prepare: large equipment 1,000 wholly in scope; class-b 1,000 at 0.20 → 800 in scope, 200 pre.
    // scope 1,800; basic (1,800 − 900) × 0.70 = 630.00
    const claim = pingyangInpatient({
      items: [{ category: 'large-equipment', amount: '1000.00' }, { category: 'class-b', amount: '1000.00', selfPayRatio: '0.20' }],
    });
    // Act
    const s = settleChecked(claim);
    // Assess
    expect(s.amounts.policyScope).toBe('1800.00');
    expect(s.amounts.preSelfPay).toBe('200.00');
    expect(s.amounts.basic).toBe('630.00');
  });

  it('class-b selfPayRatio 1 puts the whole line into preSelfPay; 0 leaves it wholly in scope', () => {
    // Prepare: 500 at 1 → 0 in scope; 600 at 0 → 600 in scope; catalogue 1,000 → scope 1,600.
    const claim = jinzhongInpatient({
      items: [{ category: 'class-b', amount: '500.00', selfPayRatio: '1' }, { category: 'class-b', amount: '600.00', selfPayRatio: '0' }, catalogue('1000.00')],
    });
    // Act
    const s = settleChecked(claim);
    // Assess
    expect(s.amounts.preSelfPay).toBe('500.00');
    expect(s.amounts.policyScope).toBe('1600.00');
  });
});

describe('R11: 晋中 70,000 annual basic cap', () => {
  it('cap partly used: the room is paid and the unpaid scope is compliant self-pay', () => {
    // Prepare: computed 7,200; room 70,000 − 65,000 = 5,000 → basic 5,000.00; compliant 10,000 − 5,000 = 5,000.00
    const s = settleChecked(jinzhongInpatient({ yearToDate: { basicPaid: '65000.00' } }));
    // Assess
    expect(s.amounts.basic).toBe('5000.00');
    expect(s.yearToDate.basicPaid).toBe('70000.00');
    expect(s.yearToDate.compliantSelfPay).toBe('5000.00');
    expect(s.trace.some((e) => e.step === 'cap')).toBe(true);
  });

  it('cap exactly reached by this claim', () => {
    // Prepare: room 70,000 − 62,800 = 7,200 = computed → 7,200.00
    const s = settleChecked(jinzhongInpatient({ yearToDate: { basicPaid: '62800.00' } }));
    // Assess
    expect(s.amounts.basic).toBe('7200.00');
    expect(s.yearToDate.basicPaid).toBe('70000.00');
  });

  it('cap already exceeded: 0.00, never negative; the whole scope feeds catastrophic', () => {
    // Prepare: basicPaid 75,000 → room 0; compliant 10,000; cumulative 5,000 → 15,000 crosses 10,000:
    // catastrophic (15,000 − 10,000) × 0.75 = 3,750.00; patient 10,000 − 3,750 = 6,250.00
    const s = settleChecked(jinzhongInpatient({ yearToDate: { basicPaid: '75000.00', compliantSelfPay: '5000.00' } }));
    // Assess
    expect(s.amounts.basic).toBe('0.00');
    expect(s.amounts.catastrophic).toBe('3750.00');
    expect(s.amounts.patient).toBe('6250.00');
    expect(s.yearToDate.basicPaid).toBe('75000.00');
    expect(s.yearToDate.compliantSelfPay).toBe('15000.00');
  });
});

describe('R12: 平阳 150,000 annual basic payout cap', () => {
  it.each([
    // computed (10,000 − 900) × 0.70 = 6,370; room 1,000
    ['partly used', '149000.00', '1000.00'],
    ['exactly reached', '143630.00', '6370.00'],
    ['already exceeded', '150000.01', '0.00'],
  ])('%s', (_name, basicPaid, basic) => {
    // Act
    const s = settleChecked(pingyangInpatient({ yearToDate: { basicPaid } }));
    // Assess
    expect(s.amounts.basic).toBe(basic);
  });
});

describe('R13: 晋中 natural childbirth at a fixed standard', () => {
  it.each([
    ['at county level or above', false, '1200.00'],
    ['at a primary-care institution', true, '1000.00'],
  ])('%s', (_name, primaryCare, basic) => {
    // Prepare: scope 3,000 ≥ the standard; no deductible.
    const s = settleChecked(jinzhongChildbirth({ hospital: { primaryCare, tier: primaryCare ? 'class3' : 'class2-county' } }));
    // Assess
    expect(s.amounts.deductible).toBe('0.00');
    expect(s.amounts.basic).toBe(basic);
    expect(s.path).toBe('childbirth');
  });

  it('scope below the standard: the fund pays the scope', () => {
    // Prepare: scope 800 < 1,200 → 800.00; patient 0.00
    const s = settleChecked(jinzhongChildbirth({ items: [catalogue('800.00')] }));
    // Assess
    expect(s.amounts.basic).toBe('800.00');
    expect(s.amounts.patient).toBe('0.00');
  });

  it('no referral penalty outside the pooling area; counts as an admission and toward the cap', () => {
    // Prepare: 1,200 even outside without referral; admissions 0 → 1; basicPaid 0 → 1,200.00;
    // compliant self-pay 3,000 − 1,200 = 1,800.00
    const s = settleChecked(jinzhongChildbirth({ hospital: { outsidePoolingArea: true } }));
    // Assess
    expect(s.amounts.basic).toBe('1200.00');
    expect(s.yearToDate.admissions).toBe(1);
    expect(s.yearToDate.basicPaid).toBe('1200.00');
    expect(s.yearToDate.compliantSelfPay).toBe('1800.00');
  });

  it('the 70,000 cap limits the fixed payment', () => {
    // Prepare: room 70,000 − 69,500 = 500 < 1,200 → 500.00
    const s = settleChecked(jinzhongChildbirth({ yearToDate: { basicPaid: '69500.00' } }));
    // Assess
    expect(s.amounts.basic).toBe('500.00');
  });

  it('the observation merge and inclusion ratios still shape its scope', () => {
    // Prepare: catalogue 500 + blood 400 × 0.5 = 200 + observation 300 two days before → scope 1,000 < 1,200
    const s = settleChecked(
      jinzhongChildbirth({ items: [catalogue('500.00'), { category: 'blood', amount: '400.00' }, { category: 'er-observation', amount: '300.00', date: '2018-05-30' }] }),
    );
    // Assess
    expect(s.amounts.policyScope).toBe('1000.00');
    expect(s.amounts.basic).toBe('1000.00');
    expect(s.amounts.preSelfPay).toBe('200.00');
  });

  it.each(['caesarean', 'complicated'])('%s delivery is an ordinary inpatient claim', (childbirth) => {
    // Prepare: (3,000 − 400) × 0.75 = 1,950.00
    const s = settleChecked(jinzhongChildbirth({ visit: { childbirth } }));
    // Assess
    expect(s.path).toBe('inpatient');
    expect(s.amounts.deductible).toBe('400.00');
    expect(s.amounts.basic).toBe('1950.00');
  });

  it('平阳 natural childbirth is an ordinary inpatient claim', () => {
    // Prepare: (3,000 − 900) × 0.70 = 1,470.00
    const s = settleChecked(pingyangInpatient({ visit: { childbirth: 'natural' }, items: [catalogue('3000.00')] }));
    // Assess
    expect(s.amounts.basic).toBe('1470.00');
  });
});

describe('R14: 晋中 22 serious diseases', () => {
  it('base = min(total, quota), out-of-catalogue lines included; no deductible; outside the inpatient cap', () => {
    // Prepare: catalogue 15,000 + out-of-catalogue 5,000 = 20,000 < quota 30,000 → base 20,000;
    // basic 20,000 × 0.70 = 14,000.00; patient 6,000.00 = compliant self-pay (below the 10,000 threshold)
    const s = settleChecked(
      jinzhongSerious({ items: [catalogue('15000.00'), { category: 'out-of-catalogue', amount: '5000.00' }], yearToDate: { basicPaid: '69000.00' } }),
    );
    // Assess
    expect(s.path).toBe('serious-disease');
    expect(s.amounts.policyScope).toBe('20000.00');
    expect(s.amounts.fullOwnPay).toBe('0.00');
    expect(s.amounts.preSelfPay).toBe('0.00');
    expect(s.amounts.deductible).toBe('0.00');
    expect(s.amounts.basic).toBe('14000.00');
    expect(s.amounts.hospitalBorne).toBe('0.00');
    expect(s.amounts.patient).toBe('6000.00');
    expect(s.yearToDate.seriousDiseasePaid).toBe('14000.00');
    expect(s.yearToDate.basicPaid).toBe('69000.00');
    expect(s.yearToDate.compliantSelfPay).toBe('6000.00');
    expect(s.yearToDate.admissions).toBe(1);
  });

  it('adult class in an assistance category: assistance 20% of base; the hospital bears the excess', () => {
    // Prepare: total 40,000, quota 30,000 → base 30,000, hospitalBorne 10,000; basic 21,000.00;
    // compliant 9,000 (no catastrophic: below 10,000); assistance min(30,000 × 0.20 = 6,000, 9,000) = 6,000.00;
    // patient 40,000 − 21,000 − 6,000 − 10,000 = 3,000.00
    const s = settleChecked(jinzhongSerious({ member: { categories: ['minimum-living'] }, items: [catalogue('40000.00')] }));
    // Assess
    expect(s.amounts.hospitalBorne).toBe('10000.00');
    expect(s.amounts.basic).toBe('21000.00');
    expect(s.amounts.assistance).toBe('6000.00');
    expect(s.amounts.charity).toBe('0.00');
    expect(s.amounts.patient).toBe('3000.00');
    expect(s.yearToDate.compliantSelfPay).toBe('9000.00');
    expect(s.yearToDate.assistancePaid).toBe('6000.00');
  });

  it.each([['orphan'], ['student']])('%s is not an assistance category', (category) => {
    // Prepare: base 20,000; basic 14,000; no assistance → patient 6,000.00
    const s = settleChecked(jinzhongSerious({ member: { categories: [category] } }));
    // Assess
    expect(s.amounts.assistance).toBe('0.00');
    expect(s.amounts.patient).toBe('6000.00');
  });

  it('child-class1 in a category never gets assistance, even in an assistance category', () => {
    // Prepare: adult member (47) in child-class1 with minimum-living: assistance needs adult-class;
    // charity needs age 1–14 → neither; patient 6,000.00
    const s = settleChecked(
      jinzhongSerious({ member: { categories: ['minimum-living'] }, visit: { seriousDisease: { group: 'child-class1' } } }),
    );
    // Assess
    expect(s.amounts.assistance).toBe('0.00');
    expect(s.amounts.charity).toBe('0.00');
  });

  it.each([
    // base 20,000; basic 14,000; charity min(20,000 × 0.30 = 6,000, 6,000) = 6,000.00 → patient 0.00
    ['a child of 6', '2011-06-01', '6000.00', '0.00'],
    ['a child of exactly 1 on admission', '2017-03-05', '6000.00', '0.00'],
    ['a child of exactly 14 on admission', '2004-03-05', '6000.00', '0.00'],
    // under 1 on admission (born 2017-03-06): no charity → patient 6,000.00
    ['an infant under 1', '2017-03-06', '0.00', '6000.00'],
    // 15 on admission: no charity
    ['a child of 15', '2003-03-05', '0.00', '6000.00'],
  ])('child-class1 charity: %s', (_name, birthDate, charity, patient) => {
    // Prepare
    const s = settleChecked(
      jinzhongSerious({ member: { birthDate, categories: ['registered-poor'] }, visit: { seriousDisease: { group: 'child-class1' } } }),
    );
    // Assess
    expect(s.amounts.charity).toBe(charity);
    expect(s.amounts.assistance).toBe('0.00');
    expect(s.amounts.patient).toBe(patient);
  });

  it('a child on an adult-class claim in an assistance category gets assistance, not charity', () => {
    // Prepare: age 6, adult-class, minimum-living: base 20,000; basic 14,000; assistance min(4,000, 6,000) = 4,000.00;
    // charity needs child-class1 → 0.00; patient 20,000 − 14,000 − 4,000 = 2,000.00
    const s = settleChecked(jinzhongSerious({ member: { birthDate: '2011-06-01', categories: ['minimum-living'] } }));
    // Assess
    expect(s.amounts.assistance).toBe('4000.00');
    expect(s.amounts.charity).toBe('0.00');
    expect(s.amounts.patient).toBe('2000.00');
  });

  it('child-class1 charity needs an assistance category', () => {
    // Prepare: a child of 6 with no category → charity 0.00
    const s = settleChecked(jinzhongSerious({ member: { birthDate: '2011-06-01' }, visit: { seriousDisease: { group: 'child-class1' } } }));
    // Assess
    expect(s.amounts.charity).toBe('0.00');
  });

  it('catastrophic is paid on base − basic before assistance, which sees only what is left', () => {
    // Prepare: base 20,000; basic 14,000; compliant 6,000: cumulative 10,000 → 16,000:
    // catastrophic 6,000 × 0.75 = 4,500.00; left 1,500; assistance min(4,000, 1,500) = 1,500.00; patient 0.00;
    // compliantSelfPay after 16,000.00 (base − basic, before assistance)
    const s = settleChecked(jinzhongSerious({ member: { categories: ['low-income'] }, yearToDate: { compliantSelfPay: '10000.00' } }));
    // Assess
    expect(s.amounts.catastrophic).toBe('4500.00');
    expect(s.amounts.assistance).toBe('1500.00');
    expect(s.amounts.patient).toBe('0.00');
    expect(s.yearToDate.compliantSelfPay).toBe('16000.00');
  });

  it('serious disease wins over childbirth', () => {
    // Prepare: both set → serious path: 20,000 × 0.70 = 14,000.00
    const s = settleChecked(jinzhongSerious({ visit: { childbirth: 'natural' } }));
    // Assess
    expect(s.path).toBe('serious-disease');
    expect(s.amounts.basic).toBe('14000.00');
  });

  it('seriousDisease is ignored under 平阳: an ordinary inpatient claim', () => {
    // Prepare: (10,000 − 900) × 0.70 = 6,370.00
    const s = settleChecked(pingyangInpatient({ visit: { seriousDisease: { code: 'lung-cancer', group: 'adult-class', quota: '3000.00' } } }));
    // Assess
    expect(s.path).toBe('inpatient');
    expect(s.amounts.basic).toBe('6370.00');
    expect(s.amounts.hospitalBorne).toBe('0.00');
  });

  it('runs at a non-designated hospital in an emergency, with no referral penalty', () => {
    // Prepare: 20,000 × 0.70 = 14,000.00 even outside the pooling area without referral
    const s = settleChecked(jinzhongSerious({ hospital: { designated: false, outsidePoolingArea: true }, visit: { emergency: true } }));
    // Assess
    expect(s.amounts.basic).toBe('14000.00');
  });

  it('at a non-designated hospital without an emergency it is NON_DESIGNATED', () => {
    expect(outcome(jinzhongSerious({ hospital: { designated: false } }))).toBe('NON_DESIGNATED');
  });
});

describe('R15: emergency care at a non-designated hospital is paid as designated', () => {
  it('晋中, outside the pooling area without referral: the tier ratio, no penalty', () => {
    // Prepare: (10,000 − 400) × 0.75 = 7,200.00
    const s = settleChecked(jinzhongInpatient({ hospital: { designated: false, outsidePoolingArea: true }, visit: { emergency: true } }));
    // Assess
    expect(s.amounts.basic).toBe('7200.00');
  });

  it('平阳, although its penalty applies to emergencies elsewhere: 6,370.00', () => {
    // Prepare: (10,000 − 900) × 0.70 = 6,370.00
    const s = settleChecked(pingyangInpatient({ hospital: { designated: false, outsidePoolingArea: true }, visit: { emergency: true } }));
    // Assess
    expect(s.amounts.basic).toBe('6370.00');
  });

  it('non-emergency at a non-designated hospital is NON_DESIGNATED', () => {
    expect(outcome(pingyangInpatient({ hospital: { designated: false } }))).toBe('NON_DESIGNATED');
  });
});

describe('R16: emergency observation merges within 7 days before admission', () => {
  // Admission 2018-03-05; observation 500.00.
  it.each([
    // merged: scope 10,500; (10,500 − 400) × 0.75 = 7,575.00
    ['exactly 7 days before', '2018-02-26', '10500.00', '0.00', '7575.00'],
    ['on the admission date', '2018-03-05', '10500.00', '0.00', '7575.00'],
    // 8 days: fullOwnPay 500; basic 7,200.00
    ['8 days before', '2018-02-25', '10000.00', '500.00', '7200.00'],
  ])('晋中, %s', (_name, date, policyScope, fullOwnPay, basic) => {
    // Prepare
    const s = settleChecked(jinzhongInpatient({ items: [catalogue('10000.00'), { category: 'er-observation', amount: '500.00', date }] }));
    // Assess: one deductible for the merged claim
    expect(s.amounts.policyScope).toBe(policyScope);
    expect(s.amounts.fullOwnPay).toBe(fullOwnPay);
    expect(s.amounts.deductible).toBe('400.00');
    expect(s.amounts.basic).toBe(basic);
  });

  it('平阳 has no merge rule: observation is fullOwnPay', () => {
    // Prepare: observation 3 days before admission 2019-04-01 → fullOwnPay 500; basic 6,370.00
    const s = settleChecked(pingyangInpatient({ items: [catalogue('10000.00'), { category: 'er-observation', amount: '500.00', date: '2019-03-29' }] }));
    // Assess
    expect(s.amounts.fullOwnPay).toBe('500.00');
    expect(s.amounts.basic).toBe('6370.00');
  });
});

describe('R17: 晋中 late payment waits 31 days, tested on the admission date', () => {
  const late = (admittedOn: string, dischargedOn = '2018-03-20'): ClaimOverrides => ({
    member: { enrolment: { kind: 'late', paidOn: '2018-02-01' } },
    visit: { admittedOn, dischargedOn },
  });
  it.each([
    ['admitted on paidOn + 30', '2018-03-03', 'WAITING_PERIOD'],
    ['admitted on paidOn + 31', '2018-03-04', 'settled'],
    ['admitted on paidOn', '2018-02-01', 'WAITING_PERIOD'],
    ['admitted the day before paidOn', '2018-01-31', 'NOT_ENROLLED'],
  ])('%s', (_name, admittedOn, code) => {
    expect(outcome(jinzhongInpatient(late(admittedOn)))).toBe(code);
  });

  it('平阳 sets no waiting days: covered from paidOn, never WAITING_PERIOD', () => {
    const py = (admittedOn: string): ClaimOverrides => ({
      member: { enrolment: { kind: 'late', paidOn: '2019-03-01' } },
      visit: { admittedOn, dischargedOn: '2019-03-20' },
    });
    expect(outcome(pingyangInpatient(py('2019-03-01')))).toBe('settled');
    expect(outcome(pingyangInpatient(py('2019-02-28')))).toBe('NOT_ENROLLED');
  });

  it('only the admission date is tested: discharged after benefits start is still WAITING_PERIOD', () => {
    expect(outcome(jinzhongInpatient(late('2018-03-03', '2018-04-30')))).toBe('WAITING_PERIOD');
  });
});

describe('R18: 晋中 general outpatient', () => {
  it('at primary care: no deductible, 60%', () => {
    // Prepare: 100 × 0.60 = 60.00
    const s = settleChecked(jinzhongOutpatient());
    // Assess: no admission, no catastrophic total, outpatientPaid + 60
    expect(s.amounts.deductible).toBe('0.00');
    expect(s.amounts.basic).toBe('60.00');
    expect(s.yearToDate.admissions).toBe(0);
    expect(s.yearToDate.outpatientPaid).toBe('60.00');
    expect(s.yearToDate.basicPaid).toBe('0.00');
    expect(s.yearToDate.compliantSelfPay).toBe('0.00');
  });

  it('primaryCare alone decides: a primary-care institution at a class1-city tier is covered', () => {
    // Prepare: 100 × 0.60 = 60.00, no penalty outside the pooling area
    const s = settleChecked(jinzhongOutpatient({ hospital: { tier: 'class1-city', outsidePoolingArea: true } }));
    // Assess
    expect(s.amounts.basic).toBe('60.00');
  });

  it('not at primary care: NOT_COVERED, whatever the tier', () => {
    expect(outcome(jinzhongOutpatient({ hospital: { tier: 'class3', primaryCare: false } }))).toBe('NOT_COVERED');
  });

  it.each([
    // room 200 − 150 = 50 < 60 → 50.00
    ['partly used', '150.00', '50.00'],
    ['used up', '200.00', '0.00'],
    ['above the cap', '250.00', '0.00'],
  ])('the 200 cap %s', (_name, outpatientPaid, basic) => {
    const s = settleChecked(jinzhongOutpatient({ yearToDate: { outpatientPaid } }));
    expect(s.amounts.basic).toBe(basic);
  });
});

describe('R19: 平阳 general outpatient', () => {
  it.each([
    // 100 × 0.50 = 50.00 at township, whatever primaryCare says
    ['township', { hospital: { tier: 'township', primaryCare: false } }, '50.00'],
    // 100 × 0.20 = 20.00 when referred from primary care
    ['county, referred from primary', { hospital: { tier: 'county', primaryCare: false }, visit: { referredFromPrimary: true } }, '20.00'],
    // 100 × 0.15 = 15.00 otherwise, a missing referredFromPrimary being false
    ['county, not referred', { hospital: { tier: 'county', primaryCare: true }, visit: { referredFromPrimary: false } }, '15.00'],
    ['county, referredFromPrimary missing', { hospital: { tier: 'county', primaryCare: false } }, '15.00'],
    // no penalty on outpatient care
    ['township outside without filing', { hospital: { outsidePoolingArea: true } }, '50.00'],
  ])('%s', (_name, overrides, basic) => {
    const s = settleChecked(pingyangOutpatient(overrides as ClaimOverrides));
    expect(s.amounts.deductible).toBe('0.00');
    expect(s.amounts.basic).toBe(basic);
  });

  it.each(['city', 'out-of-city'])('%s: NOT_COVERED', (tier) => {
    expect(outcome(pingyangOutpatient({ hospital: { tier, primaryCare: false } }))).toBe('NOT_COVERED');
  });

  it('one annual cap of 800', () => {
    // Prepare: room 800 − 780 = 20 < 50 → 20.00
    const s = settleChecked(pingyangOutpatient({ yearToDate: { outpatientPaid: '780.00' } }));
    expect(s.amounts.basic).toBe('20.00');
    expect(s.yearToDate.outpatientPaid).toBe('800.00');
  });
});

describe('R20: 平阳 special-disease outpatient', () => {
  it('the first of the year takes the inpatient deductible; no admission; counts toward basic and catastrophic totals', () => {
    // Prepare: county 900 / 70%: (2,000 − 900) × 0.70 = 770.00; compliant 2,000 − 770 = 1,230.00
    const s = settleChecked(pingyangSpecialOutpatient());
    // Assess
    expect(s.amounts.deductible).toBe('900.00');
    expect(s.amounts.basic).toBe('770.00');
    expect(s.yearToDate.admissions).toBe(0);
    expect(s.yearToDate.basicPaid).toBe('770.00');
    expect(s.yearToDate.compliantSelfPay).toBe('1230.00');
    expect(s.yearToDate.specialOutpatientDeductibleTaken).toBe(true);
  });

  it('the deductible is taken once even when only partly used; the next one takes none', () => {
    // Prepare: first: scope 500 < 900 → deductible 500, basic 0.00. Second: no deductible: 2,000 × 0.70 = 1,400.00
    const first = settleChecked(pingyangSpecialOutpatient({ items: [catalogue('500.00')] }));
    const second = settleChecked(pingyangSpecialOutpatient({ yearToDate: first.yearToDate }));
    // Assess
    expect(first.amounts.deductible).toBe('500.00');
    expect(first.amounts.basic).toBe('0.00');
    expect(first.yearToDate.specialOutpatientDeductibleTaken).toBe(true);
    expect(second.amounts.deductible).toBe('0.00');
    expect(second.amounts.basic).toBe('1400.00');
  });

  it('the referral penalty applies', () => {
    // Prepare: (2,000 − 900) × 0.65 = 715.00
    const s = settleChecked(pingyangSpecialOutpatient({ hospital: { outsidePoolingArea: true } }));
    expect(s.amounts.basic).toBe('715.00');
  });

  it('an inpatient admission does not take the special-outpatient deductible', () => {
    // Prepare: admissions 2 and the flag false: still 900 on the first special-outpatient settlement
    const s = settleChecked(pingyangSpecialOutpatient({ yearToDate: { admissions: 2 } }));
    expect(s.amounts.deductible).toBe('900.00');
  });
});

describe('R21: 平阳 emergency death settles as one inpatient admission', () => {
  it.each(['outpatient', 'special-outpatient'])('visit.type %s', (type) => {
    // Prepare: county 900 / 70%: (5,000 − 900) × 0.70 = 2,870.00; admissions +1; basicPaid + 2,870;
    // the inpatient deductible applies even after a special-outpatient one was taken.
    const s = settleChecked(
      pingyangInpatient({
        visit: { type, emergency: true, died: true, admittedOn: '2019-05-06', dischargedOn: '2019-05-06' },
        items: [catalogue('5000.00')],
        yearToDate: { specialOutpatientDeductibleTaken: true },
      }),
    );
    // Assess
    expect(s.path).toBe('emergency-death');
    expect(s.amounts.deductible).toBe('900.00');
    expect(s.amounts.basic).toBe('2870.00');
    expect(s.yearToDate.admissions).toBe(1);
    expect(s.yearToDate.basicPaid).toBe('2870.00');
    expect(s.yearToDate.compliantSelfPay).toBe('2130.00');
  });

  it('the referral penalty applies', () => {
    // Prepare: (5,000 − 900) × 0.65 = 2,665.00
    const s = settleChecked(
      pingyangInpatient({
        hospital: { outsidePoolingArea: true },
        visit: { type: 'outpatient', emergency: true, died: true, admittedOn: '2019-05-06', dischargedOn: '2019-05-06' },
        items: [catalogue('5000.00')],
      }),
    );
    expect(s.amounts.basic).toBe('2665.00');
  });

  it('died without an emergency stays an outpatient claim', () => {
    // Prepare: county outpatient, not referred: 5,000 × 0.15 = 750.00 (< 800 cap)
    const s = settleChecked(
      pingyangInpatient({ visit: { type: 'outpatient', died: true, admittedOn: '2019-05-06', dischargedOn: '2019-05-06' }, items: [catalogue('5000.00')] }),
    );
    expect(s.path).toBe('outpatient');
    expect(s.amounts.basic).toBe('750.00');
  });
});

/** 太原 with an operator's inpatient table (ratio 0), so that the whole scope is compliant self-pay. */
function taiyuanWithInpatient(): PolicyBook {
  return buildPolicyBook(BUILT_IN_PACKS, [
    {
      source: 'test:taiyuan-inpatient',
      document: {
        id: 'taiyuan-2015',
        tiers: { 'city-hospital': { name: 'test tier', clause: 'test overlay' } },
        inpatient: {
          clause: 'test overlay',
          tiers: { 'city-hospital': { deductible: '0.00', ratio: '0', clause: 'test overlay' } },
          // A merge patch cannot set a key to null (null removes it), so a cap that never binds.
          annualCap: { amount: '99999999.00', clause: 'test overlay' },
        },
      },
    },
  ]);
}

describe('R22: 太原 student outpatient and catastrophic segments', () => {
  it('deductible 30, 80%', () => {
    // Prepare: (100 − 30) × 0.80 = 56.00
    const s = settleChecked(taiyuanStudentOutpatient());
    expect(s.amounts.deductible).toBe('30.00');
    expect(s.amounts.basic).toBe('56.00');
    expect(s.yearToDate.outpatientDeductibleUsed).toBe('30.00');
  });

  it('a 20-yuan visit uses 20 of the deductible and leaves 10 for the next visit', () => {
    // Prepare: first: deductible 20, basic 0.00. Second (100): deductible 10, (100 − 10) × 0.80 = 72.00
    const first = settleChecked(taiyuanStudentOutpatient({ items: [catalogue('20.00')] }));
    const second = settleChecked(taiyuanStudentOutpatient({ yearToDate: first.yearToDate }));
    // Assess
    expect(first.amounts.deductible).toBe('20.00');
    expect(first.amounts.basic).toBe('0.00');
    expect(first.yearToDate.outpatientDeductibleUsed).toBe('20.00');
    expect(second.amounts.deductible).toBe('10.00');
    expect(second.amounts.basic).toBe('72.00');
    expect(second.yearToDate.outpatientDeductibleUsed).toBe('30.00');
  });

  it('deductible used up: 100 × 0.80 = 80.00; the 400 cap limits it', () => {
    const used = settleChecked(taiyuanStudentOutpatient({ yearToDate: { outpatientDeductibleUsed: '30.00' } }));
    // room 400 − 350 = 50 < 80 → 50.00
    const capped = settleChecked(taiyuanStudentOutpatient({ yearToDate: { outpatientDeductibleUsed: '30.00', outpatientPaid: '350.00' } }));
    expect(used.amounts.basic).toBe('80.00');
    expect(capped.amounts.basic).toBe('50.00');
  });

  it('a non-student at the campus clinic: NOT_COVERED; outpatient at another tier: POLICY_INCOMPLETE', () => {
    expect(outcome(taiyuanStudentOutpatient({ member: { categories: [] } }))).toBe('NOT_COVERED');
    expect(outcome(taiyuanStudentOutpatient({ hospital: { tier: 'community' } }))).toBe('POLICY_INCOMPLETE');
  });

  it.each([
    // C0 → C1; segments 10k–50k 55%, 50k–100k 65%, 100k–200k 75%, 200k–300k 80%, 300k+ 85%
    ['up to the threshold pays nothing', '0.00', '10000.00', '0.00'],
    // 40,000 × 0.55 = 22,000.00
    ['the first segment exactly', '0.00', '50000.00', '22000.00'],
    // [49,999.99, 50,000.01]: 0.01 × 0.55 = 0.0055 → 0.01; 0.01 × 0.65 = 0.0065 → 0.01; sum 0.02 (rounded per segment)
    ['across 50k by two fen', '49999.99', '0.02', '0.02'],
    // 50,000 × 0.65 = 32,500.00
    ['50k–100k', '50000.00', '50000.00', '32500.00'],
    // 100,000 × 0.75 = 75,000.00
    ['100k–200k', '100000.00', '100000.00', '75000.00'],
    // 100,000 × 0.80 = 80,000.00
    ['200k–300k', '200000.00', '100000.00', '80000.00'],
    // 10,000 × 0.85 = 8,500.00
    ['above 300k', '300000.00', '10000.00', '8500.00'],
    // crossing each boundary by 10,000 either side:
    // [90k, 110k]: 10,000 × 0.65 = 6,500 + 10,000 × 0.75 = 7,500 → 14,000.00
    ['across 100k', '90000.00', '20000.00', '14000.00'],
    // [190k, 210k]: 7,500 + 10,000 × 0.80 = 8,000 → 15,500.00
    ['across 200k', '190000.00', '20000.00', '15500.00'],
    // [290k, 310k]: 8,000 + 10,000 × 0.85 = 8,500 → 16,500.00
    ['across 300k', '290000.00', '20000.00', '16500.00'],
    // [40k, 50k] ends exactly on the boundary: 10,000 × 0.55 = 5,500.00
    ['ending exactly at 50k', '40000.00', '10000.00', '5500.00'],
    // 22,000 + 32,500 + 75,000 + 80,000 + 50,000 × 0.85 = 42,500 → 252,000.00
    ['all five in one claim', '0.00', '350000.00', '252000.00'],
  ])('catastrophic: %s', (_name, before, scope, catastrophic) => {
    // Prepare
    const claim = taiyuanInpatient({ items: [catalogue(scope)], yearToDate: { compliantSelfPay: before } });
    // Act
    const s = settleChecked(claim, taiyuanWithInpatient());
    // Assess
    expect(s.amounts.basic).toBe('0.00');
    expect(s.amounts.catastrophic).toBe(catastrophic);
  });

  it('catastrophic is limited by the 400,000 annual room', () => {
    // Prepare: 252,000 due; room 400,000 − 300,000 = 100,000 → 100,000.00; already 400,000 → 0.00
    const book = taiyuanWithInpatient();
    const a = settleChecked(taiyuanInpatient({ items: [catalogue('350000.00')], yearToDate: { catastrophicPaid: '300000.00' } }), book);
    const b = settleChecked(taiyuanInpatient({ items: [catalogue('350000.00')], yearToDate: { catastrophicPaid: '400000.00' } }), book);
    expect(a.amounts.catastrophic).toBe('100000.00');
    expect(b.amounts.catastrophic).toBe('0.00');
    expect(a.yearToDate.catastrophicPaid).toBe('400000.00');
  });

  it('student outpatient feeds no catastrophic total', () => {
    const s = settleChecked(taiyuanStudentOutpatient({ yearToDate: { compliantSelfPay: '9990.00' } }));
    expect(s.amounts.catastrophic).toBe('0.00');
    expect(s.yearToDate.compliantSelfPay).toBe('9990.00');
  });
});

describe('R23: numbers left to other documents are POLICY_INCOMPLETE', () => {
  it.each([
    ['太原 inpatient', taiyuanInpatient()],
    ['山东 inpatient', shandongInpatient()],
    ['山东 outpatient', shandongInpatient({ visit: { type: 'outpatient', dischargedOn: '2019-06-01' } })],
    ['晋城 inpatient', jinchengInpatient()],
    ['晋中 special-outpatient', jinzhongInpatient({ visit: { type: 'special-outpatient', dischargedOn: '2018-03-05' } })],
  ])('%s', (_name, claim) => {
    const s = settleChecked(claim);
    expect(s.rejection?.code).toBe('POLICY_INCOMPLETE');
    expect(s.policy).not.toBeNull();
  });

  it('an operator overlay supplies the numbers and the claim settles', () => {
    // Prepare: the test overlay above: deductible 0, ratio 0 → basic 0.00, settled
    const s = settleChecked(taiyuanInpatient(), taiyuanWithInpatient());
    expect(s.status).toBe('settled');
  });
});

describe('R24: rounding half up', () => {
  it.each([
    // (400.02 − 400) × 0.75 = 0.015 → 0.02
    ['400.02', '0.02'],
    // (413.34 − 400) × 0.75 = 10.005 → 10.01
    ['413.34', '10.01'],
    // (413.31 − 400) × 0.75 = 9.9825 → 9.98
    ['413.31', '9.98'],
  ])('scope %s → basic %s', (scope, basic) => {
    const s = settleChecked(jinzhongInpatient({ items: [catalogue(scope)] }));
    expect(s.amounts.basic).toBe(basic);
  });
});

describe('R25: 平阳 catastrophic segments', () => {
  // basicPaid at the cap makes the whole scope compliant self-pay (basic 0).
  it.each([
    // [30,000, 40,000] ∩ [32,600, 163,000] = 7,400 × 0.60 = 4,440.00
    ['crossing the threshold', '30000.00', '10000.00', '4440.00'],
    ['ending exactly at the threshold', '0.00', '32600.00', '0.00'],
    // 63,000 × 0.60 = 37,800 + 37,000 × 0.70 = 25,900 → 63,700.00
    ['across both segments', '100000.00', '100000.00', '63700.00'],
    // [320,000, 330,000]: 6,000 × 0.70 = 4,200.00; nothing above 326,000
    ['past 326,000', '320000.00', '10000.00', '4200.00'],
    ['above 326,000', '326000.00', '5000.00', '0.00'],
  ])('%s', (_name, before, scope, catastrophic) => {
    const s = settleChecked(pingyangInpatient({ items: [catalogue(scope)], yearToDate: { basicPaid: '150000.00', compliantSelfPay: before } }));
    expect(s.amounts.basic).toBe('0.00');
    expect(s.amounts.catastrophic).toBe(catastrophic);
  });

  it('no annual catastrophic cap beyond the last segment', () => {
    // Prepare: 4,200 due as above even with 500,000 already paid
    const s = settleChecked(
      pingyangInpatient({ items: [catalogue('10000.00')], yearToDate: { basicPaid: '150000.00', compliantSelfPay: '320000.00', catastrophicPaid: '500000.00' } }),
    );
    expect(s.amounts.catastrophic).toBe('4200.00');
  });

  it('平阳 outpatient feeds no catastrophic total', () => {
    const s = settleChecked(pingyangOutpatient({ yearToDate: { compliantSelfPay: '40000.00' } }));
    expect(s.amounts.catastrophic).toBe('0.00');
    expect(s.yearToDate.compliantSelfPay).toBe('40000.00');
  });
});

describe('R26: newborns registered in the birth year are covered from birth', () => {
  it('paidOn in the birth year: covered from birth, child deductible', () => {
    // Prepare: born 2018-02-01, registered 2018-05-01, admitted 2018-03-01 → covered; 400 × 0.5 = 200
    const s = settleChecked(
      jinzhongInpatient({
        member: { birthDate: '2018-02-01', enrolment: { kind: 'newborn', paidOn: '2018-05-01' } },
        visit: { admittedOn: '2018-03-01', dischargedOn: '2018-03-05' },
      }),
    );
    expect(s.status).toBe('settled');
    expect(s.amounts.deductible).toBe('200.00');
  });

  it('paidOn the next year: covered from paidOn only', () => {
    const claim = (admittedOn: string): ClaimOverrides => ({
      member: { birthDate: '2017-12-20', enrolment: { kind: 'newborn', paidOn: '2018-01-10' } },
      visit: { admittedOn, dischargedOn: '2018-01-20' },
    });
    expect(outcome(jinzhongInpatient(claim('2018-01-09')))).toBe('NOT_ENROLLED');
    expect(outcome(jinzhongInpatient(claim('2018-01-10')))).toBe('settled');
  });

  it('平阳 follows the same rule', () => {
    const claim = pingyangInpatient({
      member: { birthDate: '2019-01-15', enrolment: { kind: 'newborn', paidOn: '2019-06-01' } },
      visit: { admittedOn: '2019-01-20', dischargedOn: '2019-01-25' },
    });
    expect(outcome(claim)).toBe('settled');
  });
});

describe('R27: 山东 newborns enrolled within 6 months of birth', () => {
  const newborn = (paidOn: string): ClaimOverrides => ({
    member: { birthDate: '2019-08-31', enrolment: { year: 2020, kind: 'newborn', paidOn } },
    visit: { admittedOn: '2020-01-15', dischargedOn: '2020-01-20' },
  });
  it('2019-08-31 + 6 months = 2020-02-29, inclusive: covered from birth (then POLICY_INCOMPLETE)', () => {
    expect(outcome(shandongInpatient(newborn('2020-02-29')))).toBe('POLICY_INCOMPLETE');
  });

  it('enrolled a day later: covered from paidOn, so an admission before it is NOT_ENROLLED, before POLICY_INCOMPLETE', () => {
    expect(outcome(shandongInpatient(newborn('2020-03-01')))).toBe('NOT_ENROLLED');
  });
});

/** 平阳 with its dates extended to 2020, to test a discharge on 29 February. */
function pingyangThrough2020(): PolicyBook {
  return buildPolicyBook(BUILT_IN_PACKS, [{ source: 'test:pingyang-2020', document: { id: 'pingyang-2019', effective: { to: '2020-12-31' } } }]);
}

describe('R28: 平阳 submission deadline, inclusive of the anniversary', () => {
  it.each([
    ['on the anniversary', '2020-04-10', 'settled'],
    ['the day after', '2020-04-11', 'LATE_SUBMISSION'],
    ['on the discharge date', '2019-04-10', 'settled'],
  ])('discharged 2019-04-10, submitted %s', (_name, submittedOn, code) => {
    expect(outcome(pingyangInpatient({ submittedOn }))).toBe(code);
  });

  it('without submittedOn there is no test', () => {
    expect(outcome(pingyangInpatient({ submittedOn: undefined }))).toBe('settled');
  });

  it('applies to outpatient care too', () => {
    expect(outcome(pingyangOutpatient({ submittedOn: '2020-05-07' }))).toBe('LATE_SUBMISSION');
  });

  it('discharged on 29 February: the last day is 28 February of the next year', () => {
    // Prepare: the anniversary of 2020-02-29 does not exist; months clamp to the month's end → 2021-02-28
    const book = pingyangThrough2020();
    const claim = (submittedOn: string): ClaimOverrides => ({
      submittedOn,
      member: { enrolment: { year: 2020, paidOn: '2019-12-01' } },
      visit: { admittedOn: '2020-02-20', dischargedOn: '2020-02-29' },
    });
    // Act / Assess
    expect(addYears('2020-02-29', 1)).toBe('2021-02-28');
    expect(outcome(pingyangInpatient(claim('2021-02-28')), book)).toBe('settled');
    expect(outcome(pingyangInpatient(claim('2021-03-01')), book)).toBe('LATE_SUBMISSION');
  });

  it('晋中 sets no deadline', () => {
    expect(outcome(jinzhongInpatient({ submittedOn: '2025-01-01' }))).toBe('settled');
  });
});

describe('R29: one-stop order, the patient pays the remainder', () => {
  it('basic → catastrophic → patient, adding up to the total', () => {
    // Prepare: 晋中 scope 50,000: basic (50,000 − 400) × 0.75 = 37,200; compliant 12,800 →
    // catastrophic (12,800 − 10,000) × 0.75 = 2,100.00; patient 50,000 − 37,200 − 2,100 = 10,700.00
    const s = settleChecked(jinzhongInpatient({ items: [catalogue('50000.00')] }));
    expect(s.amounts.basic).toBe('37200.00');
    expect(s.amounts.catastrophic).toBe('2100.00');
    expect(s.amounts.patient).toBe('10700.00');
    expect(s.yearToDate.catastrophicPaid).toBe('2100.00');
  });

  it('晋中 catastrophic annual cap of 400,000', () => {
    // Prepare: room 400,000 − 399,000 = 1,000 < 2,100 → 1,000.00
    const s = settleChecked(jinzhongInpatient({ items: [catalogue('50000.00')], yearToDate: { catastrophicPaid: '399000.00' } }));
    expect(s.amounts.catastrophic).toBe('1000.00');
  });
});

describe('R30: 晋中 out-of-province 1,500 / 55%', () => {
  it.each([
    // (10,000 − 1,500) × 0.55 = 4,675.00
    ['with referral', { visit: { referral: true } }, '4675.00'],
    // (10,000 − 1,500) × 0.45 = 3,825.00
    ['without referral', {}, '3825.00'],
  ])('%s', (_name, overrides, basic) => {
    const s = settleChecked(jinzhongInpatient(deepMerge({ hospital: { tier: 'out-of-province', outsidePoolingArea: true } }, overrides)));
    expect(s.amounts.deductible).toBe('1500.00');
    expect(s.amounts.basic).toBe(basic);
  });
});

describe('E4: mid-year joiners are covered from the first of the next month', () => {
  const midYear = (paidOn: string, admittedOn: string, dischargedOn: string): ClaimOverrides => ({
    member: { enrolment: { kind: 'mid-year', paidOn } },
    visit: { admittedOn, dischargedOn },
  });
  it.each([
    ['the last day of the month of enrolment', '2019-03-15', '2019-03-31', '2019-04-05', 'NOT_ENROLLED'],
    ['the first of the next month', '2019-03-15', '2019-04-01', '2019-04-05', 'settled'],
    ['enrolled on the first of a month: still the next month', '2019-03-01', '2019-03-20', '2019-03-25', 'NOT_ENROLLED'],
    ['December: cover from 1 January, none in the enrolment year', '2019-12-10', '2019-12-20', '2019-12-28', 'NOT_ENROLLED'],
  ])('平阳, admitted on %s', (_name, paidOn, admittedOn, dischargedOn, code) => {
    expect(outcome(pingyangInpatient(midYear(paidOn, admittedOn, dischargedOn)))).toBe(code);
  });

  it('晋中 follows the same rule; only the admission date is tested', () => {
    expect(outcome(jinzhongInpatient(midYear('2018-02-10', '2018-02-25', '2018-03-10')))).toBe('NOT_ENROLLED');
    expect(outcome(jinzhongInpatient(midYear('2018-02-10', '2018-03-01', '2018-03-10')))).toBe('settled');
  });
});

describe('order of checks: the first failing check decides', () => {
  // 平阳 outpatient at a city hospital (NOT_COVERED), non-designated, not an emergency (NON_DESIGNATED),
  // cause crime (EXCLUDED_CAUSE), submitted late (LATE_SUBMISSION), enrolled for 2018 (NOT_ENROLLED).
  const all = {
    submittedOn: '2020-06-01',
    member: { enrolment: { year: 2018 } },
    hospital: { tier: 'city', designated: false, primaryCare: false },
    visit: { cause: 'crime' },
  };
  it.each([
    ['every check failing', {}, 'NOT_ENROLLED'],
    ['enrolled', { member: { enrolment: { year: 2019 } } }, 'LATE_SUBMISSION'],
    ['and on time', { member: { enrolment: { year: 2019 } }, submittedOn: '2019-06-01' }, 'EXCLUDED_CAUSE'],
    ['and ill', { member: { enrolment: { year: 2019 } }, submittedOn: '2019-06-01', visit: { cause: 'illness' } }, 'NON_DESIGNATED'],
    [
      'and designated',
      { member: { enrolment: { year: 2019 } }, submittedOn: '2019-06-01', visit: { cause: 'illness' }, hospital: { designated: true } },
      'NOT_COVERED',
    ],
  ])('%s → %s', (_name, fix, code) => {
    expect(outcome(pingyangOutpatient(deepMerge(all, fix)))).toBe(code);
  });

  it('NO_POLICY comes first', () => {
    // 晋中 discharged 2017-06-30, before the 2017 measures; also not enrolled and a crime
    const s = settleChecked(
      jinzhongInpatient({ member: { enrolment: { year: 2016 } }, visit: { admittedOn: '2017-06-20', dischargedOn: '2017-06-30', cause: 'crime' } }),
    );
    expect(s.rejection?.code).toBe('NO_POLICY');
    expect(s.policy).toBeNull();
    expect(s.year).toBe(2017);
  });

  it('WAITING_PERIOD comes before EXCLUDED_CAUSE and NON_DESIGNATED', () => {
    const claim = jinzhongInpatient({
      member: { enrolment: { kind: 'late', paidOn: '2018-02-20' } },
      hospital: { designated: false },
      visit: { cause: 'drunkenness' },
    });
    expect(outcome(claim)).toBe('WAITING_PERIOD');
  });

  it('NON_DESIGNATED comes before POLICY_INCOMPLETE; EXCLUDED_CAUSE too', () => {
    expect(outcome(shandongInpatient({ hospital: { designated: false } }))).toBe('NON_DESIGNATED');
    expect(outcome(taiyuanInpatient({ visit: { cause: 'abroad' } }))).toBe('EXCLUDED_CAUSE');
    expect(outcome(jinzhongInpatient({ hospital: { designated: false }, visit: { type: 'special-outpatient', dischargedOn: '2018-03-05' } }))).toBe(
      'NON_DESIGNATED',
    );
  });

  it.each(['crime', 'fighting', 'drunkenness', 'self-harm', 'suicide', 'traffic-accident', 'medical-accident', 'abroad', 'public-health'])(
    'cause %s is EXCLUDED_CAUSE',
    (cause) => {
      expect(outcome(pingyangInpatient({ visit: { cause } }))).toBe('EXCLUDED_CAUSE');
    },
  );
});

describe('policy in force and the settlement year (step 1)', () => {
  it.each([
    ['晋中 discharged 2017-07-01 after a June admission', jinzhongInpatient({ member: { enrolment: { year: 2017 } }, visit: { admittedOn: '2017-06-25', dischargedOn: '2017-07-01' } }), 'jinzhong-2017', 2017],
    ['平阳 discharged 2020-01-02', pingyangInpatient({ member: { enrolment: { year: 2020 } }, visit: { admittedOn: '2019-12-28', dischargedOn: '2020-01-02' } }), null, 2020],
    ['平阳 discharged 2019-12-31', pingyangInpatient({ visit: { admittedOn: '2019-12-28', dischargedOn: '2019-12-31' } }), 'pingyang-2019', 2019],
    ['太原 discharged 2016-01-01', taiyuanStudentOutpatient({ member: { enrolment: { year: 2016 } }, visit: { admittedOn: '2016-01-01', dischargedOn: '2016-01-01' } }), null, 2016],
    ['山东 discharged 2018-10-14', shandongInpatient({ member: { enrolment: { year: 2018 } }, visit: { admittedOn: '2018-10-10', dischargedOn: '2018-10-14' } }), null, 2018],
    ['山东 discharged 2018-10-15', shandongInpatient({ member: { enrolment: { year: 2018 } }, visit: { admittedOn: '2018-10-10', dischargedOn: '2018-10-15' } }), 'shandong-2018', 2018],
    ['山东 discharged 2023-10-14', shandongInpatient({ member: { enrolment: { year: 2023 } }, visit: { admittedOn: '2023-10-10', dischargedOn: '2023-10-14' } }), 'shandong-2018', 2023],
    ['山东 discharged 2023-10-15', shandongInpatient({ member: { enrolment: { year: 2023 } }, visit: { admittedOn: '2023-10-10', dischargedOn: '2023-10-15' } }), null, 2023],
    ['晋城 discharged 2021-01-01', jinchengInpatient({ member: { enrolment: { year: 2021 } }, visit: { admittedOn: '2020-12-28', dischargedOn: '2021-01-01' } }), null, 2021],
  ])('%s', (_name, claim, policy, year) => {
    const s = settleChecked(claim);
    expect(s.policy).toBe(policy);
    expect(s.year).toBe(year);
    if (policy === null) expect(s.rejection?.code).toBe('NO_POLICY');
  });
});

describe('rejected claims', () => {
  it('pay nothing, the patient pays the total, and leave the year-to-date unchanged', () => {
    // Prepare: out-of-catalogue and class-b lines so the amounts would otherwise split.
    const ytd = {
      admissions: 2,
      basicPaid: '1234.56',
      outpatientPaid: '12.00',
      compliantSelfPay: '5000.00',
      catastrophicPaid: '1.00',
      assistancePaid: '2.00',
      outpatientDeductibleUsed: '3.00',
      seriousDiseasePaid: '4.00',
      specialOutpatientDeductibleTaken: true,
    };
    const claim = jinzhongInpatient({
      visit: { cause: 'fighting' },
      items: [catalogue('100.00'), { category: 'out-of-catalogue', amount: '50.25' }, { category: 'class-b', amount: '10.00', selfPayRatio: '0.1' }],
      yearToDate: ytd,
    });
    // Act
    const s = settleChecked(claim);
    // Assess
    expect(s.status).toBe('rejected');
    expect(s.path).toBeNull();
    expect(s.amounts.total).toBe('160.25');
    expect(s.amounts.patient).toBe('160.25');
    expect(s.yearToDate).toEqual(ytd);
    expect(s.rejection?.clause).toBeTruthy();
  });
});

describe('unknown hospital tiers', () => {
  it('晋中 inpatient at a tier it does not know: INVALID_CLAIM at hospital.tier listing the tiers', () => {
    const issues = invalidIssues(jinzhongInpatient({ hospital: { tier: 'township' } }));
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe('hospital.tier');
    for (const tier of ['class3', 'class2-county', 'class2-city', 'class1-city', 'out-of-province']) expect(issues[0]?.message).toContain(tier);
  });

  it('平阳 outpatient at a 晋中 tier: INVALID_CLAIM listing 平阳 tiers', () => {
    const issues = invalidIssues(pingyangOutpatient({ hospital: { tier: 'class3' } }));
    expect(issues[0]?.path).toBe('hospital.tier');
    for (const tier of ['township', 'county', 'city', 'out-of-city']) expect(issues[0]?.message).toContain(tier);
  });

  it('晋中 childbirth and serious-disease claims check the tier too', () => {
    expect(invalidIssues(jinzhongChildbirth({ hospital: { tier: 'county' } }))[0]?.path).toBe('hospital.tier');
    expect(invalidIssues(jinzhongSerious({ hospital: { tier: 'county' } }))[0]?.path).toBe('hospital.tier');
  });

  it.each([
    ['太原 inpatient', taiyuanInpatient({ hospital: { tier: 'anything' } })],
    ['太原 outpatient', taiyuanStudentOutpatient({ hospital: { tier: 'anything' } })],
    ['山东', shandongInpatient({ hospital: { tier: 'anything' } })],
    ['晋城', jinchengInpatient({ hospital: { tier: 'anything' } })],
    // 晋中 has no special-outpatient numbers, so its tier is not checked
    ['晋中 special-outpatient', jinzhongInpatient({ hospital: { tier: 'anything' }, visit: { type: 'special-outpatient', dischargedOn: '2018-03-05' } })],
  ])('%s at an unknown tier: POLICY_INCOMPLETE, not INVALID_CLAIM', (_name, claim) => {
    expect(outcome(claim)).toBe('POLICY_INCOMPLETE');
  });

  it('an unknown tier is a claim error, raised before the enrolment and exclusion checks (docs/readings-notes.md)', () => {
    const claim = jinzhongInpatient({ hospital: { tier: 'township' }, member: { enrolment: { year: 2017 } }, visit: { cause: 'crime' } });
    expect(invalidIssues(claim)[0]?.path).toBe('hospital.tier');
  });

  it('NO_POLICY is not overridden by an unknown tier', () => {
    const s = settleChecked(jinzhongInpatient({ hospital: { tier: 'anything' }, visit: { admittedOn: '2017-06-01', dischargedOn: '2017-06-05' }, member: { enrolment: { year: 2017 } } }));
    expect(s.rejection?.code).toBe('NO_POLICY');
  });
});

describe('deductible reliefs are a policy setting: 平阳 has none', () => {
  it('a child of 5 on a second 平阳 admission pays the full 900', () => {
    // Prepare: 平阳 sets no child or repeat relief: 900; (10,000 − 900) × 0.70 = 6,370.00
    const s = settleChecked(pingyangInpatient({ member: { birthDate: '2014-01-01' }, yearToDate: { admissions: 1 } }));
    // Assess
    expect(s.amounts.deductible).toBe('900.00');
    expect(s.amounts.basic).toBe('6370.00');
  });

  it('scope below the deductible: the deductible applied is the scope, the fund pays nothing', () => {
    // Prepare: scope 300 < 400 → deductible 300.00, basic 0.00, patient 300.00
    const s = settleChecked(jinzhongInpatient({ items: [catalogue('300.00')] }));
    expect(s.amounts.deductible).toBe('300.00');
    expect(s.amounts.basic).toBe('0.00');
    expect(s.amounts.patient).toBe('300.00');
  });
});

describe('catastrophic scope is a policy setting (晋中 第十七条: inpatient paths only)', () => {
  it('晋中 general outpatient feeds no catastrophic total, even past the threshold', () => {
    // Prepare: cumulative 20,000 already above 10,000; outpatient compliant 40 would pay 30 if in scope
    const s = settleChecked(jinzhongOutpatient({ yearToDate: { compliantSelfPay: '20000.00' } }));
    // Assess
    expect(s.amounts.catastrophic).toBe('0.00');
    expect(s.yearToDate.compliantSelfPay).toBe('20000.00');
  });

  it('晋中 childbirth feeds it: compliant 1,800 above the threshold pays 75%', () => {
    // Prepare: cumulative 10,000 → 11,800: 1,800 × 0.75 = 1,350.00; patient 3,000 − 1,200 − 1,350 = 450.00
    const s = settleChecked(jinzhongChildbirth({ yearToDate: { compliantSelfPay: '10000.00' } }));
    // Assess
    expect(s.amounts.catastrophic).toBe('1350.00');
    expect(s.amounts.patient).toBe('450.00');
  });
});

describe('晋中 第二十二条: the quality deposit never changes the patient split', () => {
  it('the same claim settles to the same amounts with and without the deposit', () => {
    // Prepare
    // (a merge patch cannot set qualityDeposit to null, so the other book withholds 0%)
    const without = buildPolicyBook(BUILT_IN_PACKS, [
      { source: 'test:no-deposit', document: { id: 'jinzhong-2017', hospitalSide: { qualityDeposit: { ratio: '0' } } } },
    ]);
    const claim = jinzhongInpatient({ items: [catalogue('50000.00')] });
    // Act
    const a = settleChecked(claim);
    const b = settleChecked(claim, without);
    // Assess
    expect(b.amounts).toEqual(a.amounts);
  });
});

describe('a cross-year 平阳 stay', () => {
  it('is settled under 2019 with the 2019 enrolment, and its deadline runs from the discharge date', () => {
    // Prepare: admitted 2018-12-28 (before pingyang-2019 began), discharged 2019-01-05, submitted 2020-01-05
    const claim = pingyangInpatient({ submittedOn: '2020-01-05', visit: { admittedOn: '2018-12-28', dischargedOn: '2019-01-05' } });
    // Act
    const s = settleChecked(claim);
    // Assess: (10,000 − 900) × 0.70 = 6,370.00
    expect(s.policy).toBe('pingyang-2019');
    expect(s.year).toBe(2019);
    expect(s.amounts.basic).toBe('6370.00');
    expect(outcome(pingyangInpatient({ submittedOn: '2020-01-06', visit: { admittedOn: '2018-12-28', dischargedOn: '2019-01-05' } }))).toBe('LATE_SUBMISSION');
  });
});
