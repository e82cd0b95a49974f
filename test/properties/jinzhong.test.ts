/**
 * 晋中 2017: ordinary inpatient, natural childbirth (R13), the 22 serious diseases (R14) and general
 * outpatient (R18), each against the contract's invariants, the caps and the year-to-date arithmetic.
 */
import { describe } from 'vitest';
import { jinzhongChildbirth, jinzhongInpatient, jinzhongOutpatient, jinzhongSerious } from '../support/arbitraries.js';
import { settlementProperties } from '../support/property-suite.js';

describe('晋中 ordinary inpatient (all tiers, children, repeat admissions, referrals, observation, every item category)', () => {
  settlementProperties(jinzhongInpatient);
});

describe('晋中 natural childbirth (primary care or not)', () => {
  settlementProperties(jinzhongChildbirth);
});

describe('晋中 22 serious diseases (both groups, quotas above and below the total, ages 0–20)', () => {
  settlementProperties(jinzhongSerious);
});

describe('晋中 general outpatient (primary care or not)', () => {
  settlementProperties(jinzhongOutpatient);
});
