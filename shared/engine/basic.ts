/**
 * The basic fund (统筹基金) on each care path: deductible, ratio, referral penalty and annual cap
 * (steps 7 and 10 of the readings, R13 for childbirth).
 */
import { completedYears } from '../calendar/dates.js';
import type { Claim, YearToDate } from '../contract/claim.js';
import {
  type Fen,
  type Ratio,
  ZERO,
  applyRatioRoundHalfUp,
  lowerRatio,
  min,
  room,
  sub,
} from '../money/money.js';
import type { CarePath, InpatientBenefit, OutpatientBenefit, OutpatientRule, Policy, Source } from '../policy/schema.js';
import { ENGINE_READINGS } from './clauses.js';
import type { TierRow } from './path.js';
import type { ReliefReason, Trace } from './trace.js';

/** What the basic fund pays on a claim, and the deductible applied on the way. */
export interface BasicPayment {
  readonly deductible: Fen;
  readonly basic: Fen;
}

/** The deductible after the policy's reliefs (R03–R05): the largest single relief, or all of them stacked. */
function relievedDeductible(claim: Claim, benefit: InpatientBenefit, standard: Fen, trace: Trace, tier: TierRow): Fen {
  const relief = benefit.deductibleRelief;
  const reasons: { factor: Ratio; why: ReliefReason; source: Source }[] = [];
  if (relief?.child) {
    const age = completedYears(claim.member.birthDate, claim.visit.admittedOn);
    if (age <= relief.child.maxAge) {
      reasons.push({ factor: relief.child.factor, why: { kind: 'child', age, maxAge: relief.child.maxAge }, source: relief.child });
    }
  }
  if (relief?.repeatAdmission && claim.yearToDate.admissions >= relief.repeatAdmission.minPriorAdmissions) {
    reasons.push({
      factor: relief.repeatAdmission.factor,
      why: { kind: 'repeat', admissions: claim.yearToDate.admissions },
      source: relief.repeatAdmission,
    });
  }
  if (!relief || reasons.length === 0) {
    trace.note('deductible.table', tier, { standard, tier: tier.tier }, standard);
    return standard;
  }
  const lowest = reasons.reduce((a, b) => (b.factor < a.factor ? b : a));
  const applied = relief.combine === 'stack' ? reasons : [lowest];
  const reduced = applied.reduce((amount, r) => applyRatioRoundHalfUp(amount, r.factor), standard);
  trace.note(
    'deductible.relieved',
    lowest.source,
    { standard, tier: tier.tier, factors: applied.map((r) => r.factor), reduced, reasons: reasons.map((r) => r.why), combine: relief.combine },
    reduced,
  );
  return reduced;
}

/** The deductible a special-outpatient settlement takes (R20, D5). */
function specialOutpatientDeductible(policy: Policy, ytd: YearToDate, standard: Fen, trace: Trace, tier: TierRow): Fen {
  const rule = policy.specialOutpatient;
  if (!rule || rule.deductible === 'none') {
    trace.note('deductible.special-none', rule ?? tier, {}, ZERO);
    return ZERO;
  }
  if (rule.deductible === 'once-a-year' && ytd.specialOutpatientDeductibleTaken) {
    trace.note('deductible.special-taken', rule, {}, ZERO);
    return ZERO;
  }
  trace.note('deductible.special-standard', rule, { standard, tier: tier.tier, onceAYear: rule.deductible === 'once-a-year' }, standard);
  return standard;
}

/** Whether the referral penalty applies, and the ratio after it (R07–R09, R15). */
function ratioAfterPenalty(claim: Claim, policy: Policy, path: CarePath, tier: TierRow, trace: Trace): Ratio {
  const penalty = policy.inpatient?.referralPenalty;
  const { hospital, visit } = claim;
  const takesPenalty = path !== 'special-outpatient' || policy.specialOutpatient?.referralPenalty === true;
  const nonDesignatedEmergency = !hospital.designated && visit.emergency;
  if (!penalty || !takesPenalty || !hospital.outsidePoolingArea || visit.referral) {
    trace.note('ratio.tier', tier, { ratio: tier.ratio, tier: tier.tier });
    return tier.ratio;
  }
  if (nonDesignatedEmergency) {
    trace.note('ratio.non-designated-emergency', policy.eligibility.nonDesignated, { ratio: tier.ratio });
    return tier.ratio;
  }
  if (visit.emergency && penalty.emergencyExempt) {
    trace.note('ratio.emergency-exempt', penalty, { ratio: tier.ratio });
    return tier.ratio;
  }
  const lowered = lowerRatio(tier.ratio, penalty.points);
  trace.note('ratio.referral-penalty', penalty, { ratio: tier.ratio, tier: tier.tier, points: penalty.points, emergency: visit.emergency, lowered });
  return lowered;
}

/** Limits a payment to the room left under an annual cap, noting it when the cap bites. */
function withinCap(computed: Fen, cap: { amount: Fen } & Source, used: Fen, usedName: 'basic paid' | 'outpatient paid', trace: Trace): Fen {
  const left = room(cap.amount, used);
  if (computed <= left) return computed;
  trace.note('cap.basic', cap, { counter: usedName, cap: cap.amount, used, left, computed }, left);
  return left;
}

/**
 * The ordinary inpatient formula (step 7), also used by emergency death (R21) and special outpatient (R20):
 * deductible, ratio less any referral penalty, then the annual cap.
 */
export function payInpatient(claim: Claim, policy: Policy, path: CarePath, tier: TierRow, policyScope: Fen, trace: Trace): BasicPayment {
  const benefit = policy.inpatient as InpatientBenefit;
  const standard = tier.deductible;
  const due =
    path === 'special-outpatient'
      ? specialOutpatientDeductible(policy, claim.yearToDate, standard, trace, tier)
      : relievedDeductible(claim, benefit, standard, trace, tier);
  const deductible = min(due, policyScope);
  if (deductible < due) {
    trace.note('deductible.below-scope', { clause: tier.clause, reading: ENGINE_READINGS.deductibleCappedAtScope }, { policyScope }, deductible);
  }
  const ratio = ratioAfterPenalty(claim, policy, path, tier, trace);
  const base = sub(policyScope, deductible);
  const computed = applyRatioRoundHalfUp(base, ratio);
  trace.note('basic.formula', { clause: benefit.clause, reading: ENGINE_READINGS.roundHalfUp }, { path, policyScope, deductible, ratio, computed }, computed);
  const basic = benefit.annualCap ? withinCap(computed, benefit.annualCap, claim.yearToDate.basicPaid, 'basic paid', trace) : computed;
  return { deductible, basic };
}

/** R13: a delivery paid at the fixed standard, at most the policy scope, within the inpatient cap. */
export function payChildbirth(claim: Claim, policy: Policy, policyScope: Fen, trace: Trace): BasicPayment {
  const benefit = policy.childbirth;
  if (!benefit) return { deductible: ZERO, basic: ZERO };
  const standard = claim.hospital.primaryCare ? benefit.standard.primaryCare : benefit.standard.other;
  const computed = min(standard, policyScope);
  trace.note(
    'basic.childbirth',
    benefit.standard,
    { delivery: claim.visit.childbirth, primaryCare: claim.hospital.primaryCare, standard, policyScope, paid: computed },
    computed,
  );
  const cap = policy.inpatient?.annualCap;
  const basic = benefit.countsTowardInpatientCap && cap ? withinCap(computed, cap, claim.yearToDate.basicPaid, 'basic paid', trace) : computed;
  return { deductible: ZERO, basic };
}

/** Step 10: general outpatient care. */
export function payOutpatient(claim: Claim, benefit: OutpatientBenefit, rule: OutpatientRule, policyScope: Fen, trace: Trace): BasicPayment {
  const ytd = claim.yearToDate;
  let deductible = ZERO;
  if (rule.annualDeductible) {
    const left = room(rule.annualDeductible.amount, ytd.outpatientDeductibleUsed);
    deductible = min(left, policyScope);
    trace.note(
      'deductible.outpatient-annual',
      rule.annualDeductible,
      { annual: rule.annualDeductible.amount, used: ytd.outpatientDeductibleUsed, left, applied: deductible },
      deductible,
    );
  }
  const withoutReferral = rule.ratioWithoutPrimaryReferral && !claim.visit.referredFromPrimary ? rule.ratioWithoutPrimaryReferral : undefined;
  const ratio = withoutReferral?.ratio ?? rule.ratio;
  trace.note('ratio.outpatient', withoutReferral ?? rule, { ratio, tier: claim.hospital.tier, notReferred: withoutReferral !== undefined });
  const base = sub(policyScope, deductible);
  const computed = applyRatioRoundHalfUp(base, ratio);
  trace.note('basic.formula', { clause: rule.clause, reading: ENGINE_READINGS.roundHalfUp }, { path: 'outpatient', policyScope, deductible, ratio, computed }, computed);
  const basic = withinCap(computed, rule.annualCap ?? benefit.annualCap, ytd.outpatientPaid, 'outpatient paid', trace);
  return { deductible, basic };
}
