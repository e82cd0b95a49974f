/**
 * 太原 2015 campus outpatient (R22) and the claims whose numbers 太原, 山东 and 晋城 leave to other
 * documents (R23: POLICY_INCOMPLETE): they must keep the same invariants as any settlement.
 */
import { describe } from 'vitest';
import { jinchengAny, shandongAny, taiyuanCampusOutpatient, taiyuanOther } from '../support/arbitraries.js';
import { settlementProperties } from '../support/property-suite.js';

describe('太原 campus outpatient (student or not, outpatientDeductibleUsed 0–40)', () => {
  settlementProperties(taiyuanCampusOutpatient);
});

describe('太原 inpatient and special-outpatient (numbers left to 并政发〔2007〕40号)', () => {
  settlementProperties(taiyuanOther);
});

describe('山东 2018 (every path; numbers left to each city)', () => {
  settlementProperties(shandongAny);
});

describe('晋城 2020 (every path; numbers left to provincial documents)', () => {
  settlementProperties(jinchengAny);
});
