/**
 * 平阳 2019: inpatient with the −5 points referral penalty (R07, R09), outpatient by tier (R19),
 * special-outpatient with its once-a-year deductible (R20) and emergency death (R21).
 */
import { describe } from 'vitest';
import { pingyangEmergencyDeath, pingyangInpatient, pingyangOutpatient, pingyangSpecialOutpatient } from '../support/arbitraries.js';
import { settlementProperties } from '../support/property-suite.js';

describe('平阳 inpatient (all tiers, penalty cases)', () => {
  settlementProperties(pingyangInpatient);
});

describe('平阳 outpatient (each tier, referredFromPrimary true, false or missing)', () => {
  settlementProperties(pingyangOutpatient);
});

describe('平阳 special-outpatient (deductible already taken or not)', () => {
  settlementProperties(pingyangSpecialOutpatient);
});

describe('平阳 emergency death (whatever the visit type)', () => {
  settlementProperties(pingyangEmergencyDeath);
});
