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
  applyRatio,
  exactProduct,
  formatMoney,
  formatPercent,
  formatRatio,
  lowerRatio,
  min,
  room,
  sub,
} from '../money/money.js';
import type { CarePath, InpatientBenefit, OutpatientBenefit, OutpatientRule, Policy, Source } from '../policy/schema.js';
import type { TierRow } from './path.js';
import type { Trace } from './trace.js';

/** What the basic fund pays on a claim, and the deductible applied on the way. */
export interface BasicPayment {
  readonly deductible: Fen;
  readonly basic: Fen;
}

/** The deductible after the policy's reliefs (R03–R05): the largest single relief, or all of them stacked. */
function relievedDeductible(claim: Claim, benefit: InpatientBenefit, standard: Fen, trace: Trace, tier: TierRow): Fen {
  const relief = benefit.deductibleRelief;
  const reasons: { factor: Ratio; why: string; source: Source }[] = [];
  if (relief?.child) {
    const age = completedYears(claim.member.birthDate, claim.visit.admittedOn);
    if (age <= relief.child.maxAge) {
      reasons.push({ factor: relief.child.factor, why: `age ${age} on admission ≤ ${relief.child.maxAge}`, source: relief.child });
    }
  }
  if (relief?.repeatAdmission && claim.yearToDate.admissions >= relief.repeatAdmission.minPriorAdmissions) {
    reasons.push({
      factor: relief.repeatAdmission.factor,
      why: `${claim.yearToDate.admissions} earlier admission(s) this year`,
      source: relief.repeatAdmission,
    });
  }
  if (!relief || reasons.length === 0) {
    trace.note('deductible', tier, `table standard ${formatMoney(standard)} (${tier.tier})`, standard);
    return standard;
  }
  const lowest = reasons.reduce((a, b) => (b.factor < a.factor ? b : a));
  const applied = relief.combine === 'stack' ? reasons : [lowest];
  const reduced = applied.reduce((amount, r) => applyRatio(amount, r.factor), standard);
  trace.note(
    'deductible',
    lowest.source,
    `table standard ${formatMoney(standard)} (${tier.tier})${applied.map((r) => ` × ${formatRatio(r.factor)}`).join('')} = ${formatMoney(reduced)}: ${reasons.map((r) => r.why).join(' and ')}${reasons.length > 1 ? ` (${relief.combine === 'stack' ? 'stacked' : 'not stacked'}, R03)` : ''}`,
    reduced,
  );
  return reduced;
}

/** The deductible a special-outpatient settlement takes (R20, D5). */
function specialOutpatientDeductible(policy: Policy, ytd: YearToDate, standard: Fen, trace: Trace, tier: TierRow): Fen {
  const rule = policy.specialOutpatient;
  if (!rule || rule.deductible === 'none') {
    trace.note('deductible', rule ?? tier, 'special-outpatient care takes no deductible', ZERO);
    return ZERO;
  }
  if (rule.deductible === 'once-a-year' && ytd.specialOutpatientDeductibleTaken) {
    trace.note('deductible', rule, 'the inpatient deductible was already taken on an earlier special-outpatient settlement this year', ZERO);
    return ZERO;
  }
  trace.note('deductible', rule, `inpatient table standard ${formatMoney(standard)} (${tier.tier}), ${rule.deductible === 'once-a-year' ? 'once a year' : 'on every settlement'}`, standard);
  return standard;
}

/** Whether the referral penalty applies, and the ratio after it (R07–R09, R15). */
function ratioAfterPenalty(claim: Claim, policy: Policy, path: CarePath, tier: TierRow, trace: Trace): Ratio {
  const penalty = policy.inpatient?.referralPenalty;
  const { hospital, visit } = claim;
  const takesPenalty = path !== 'special-outpatient' || policy.specialOutpatient?.referralPenalty === true;
  const nonDesignatedEmergency = !hospital.designated && visit.emergency;
  if (!penalty || !takesPenalty || !hospital.outsidePoolingArea || visit.referral) {
    trace.note('ratio', tier, `tier ratio ${formatPercent(tier.ratio as Ratio)} (${tier.tier})`);
    return tier.ratio as Ratio;
  }
  if (nonDesignatedEmergency) {
    trace.note('ratio', policy.eligibility.nonDesignated, `tier ratio ${formatPercent(tier.ratio as Ratio)}: an emergency at a non-designated hospital takes no referral penalty`);
    return tier.ratio as Ratio;
  }
  if (visit.emergency && penalty.emergencyExempt) {
    trace.note('ratio', penalty, `tier ratio ${formatPercent(tier.ratio as Ratio)}: outside the pooling area without referral, but emergencies are exempt`);
    return tier.ratio as Ratio;
  }
  const lowered = lowerRatio(tier.ratio as Ratio, penalty.points);
  trace.note(
    'ratio',
    penalty,
    `tier ratio ${formatPercent(tier.ratio as Ratio)} (${tier.tier}) − ${formatPercent(penalty.points)} referral penalty (outside the pooling area, no referral${visit.emergency ? ', emergency not exempt' : ''}) = ${formatPercent(lowered)}`,
  );
  return lowered;
}

/** Limits a payment to the room left under an annual cap, noting it when the cap bites. */
function withinCap(computed: Fen, cap: { amount: Fen } & Source, used: Fen, usedName: string, trace: Trace): Fen {
  const left = room(cap.amount, used);
  if (computed <= left) return computed;
  trace.note('cap', cap, `annual cap ${formatMoney(cap.amount)} − ${usedName} ${formatMoney(used)} = room ${formatMoney(left)} < ${formatMoney(computed)}: paid ${formatMoney(left)}`, left);
  return left;
}

/**
 * The ordinary inpatient formula (step 7), also used by emergency death (R21) and special outpatient (R20):
 * deductible, ratio less any referral penalty, then the annual cap.
 */
export function payInpatient(claim: Claim, policy: Policy, path: CarePath, tier: TierRow, policyScope: Fen, trace: Trace): BasicPayment {
  const benefit = policy.inpatient as InpatientBenefit;
  const standard = tier.deductible as Fen;
  const due =
    path === 'special-outpatient'
      ? specialOutpatientDeductible(policy, claim.yearToDate, standard, trace, tier)
      : relievedDeductible(claim, benefit, standard, trace, tier);
  const deductible = min(due, policyScope);
  if (deductible < due) {
    trace.note('deductible', { clause: tier.clause, reading: 'B11' }, `policy scope ${formatMoney(policyScope)} is below the deductible: the deductible applied is the policy scope`, deductible);
  }
  const ratio = ratioAfterPenalty(claim, policy, path, tier, trace);
  const base = sub(policyScope, deductible);
  const computed = applyRatio(base, ratio);
  trace.note(
    'basic',
    { clause: benefit.clause, reading: 'R24' },
    `(${formatMoney(policyScope)} − ${formatMoney(deductible)}) × ${formatRatio(ratio)} = ${exactProduct(base, ratio)} → ${formatMoney(computed)}`,
    computed,
  );
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
    'basic',
    benefit.standard,
    `${claim.visit.childbirth} delivery at ${claim.hospital.primaryCare ? 'a primary-care institution' : 'county level or above'}: fixed ${formatMoney(standard)}, at most the policy scope ${formatMoney(policyScope)}, no deductible`,
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
      'deductible',
      rule.annualDeductible,
      `annual outpatient deductible ${formatMoney(rule.annualDeductible.amount)} − used ${formatMoney(ytd.outpatientDeductibleUsed)} = ${formatMoney(left)}; applied ${formatMoney(deductible)}`,
      deductible,
    );
  }
  const withoutReferral = rule.ratioWithoutPrimaryReferral && !claim.visit.referredFromPrimary ? rule.ratioWithoutPrimaryReferral : undefined;
  const ratio = withoutReferral?.ratio ?? rule.ratio;
  trace.note('ratio', withoutReferral ?? rule, `outpatient ratio ${formatPercent(ratio)} (${claim.hospital.tier}${withoutReferral ? ', not referred from primary care' : ''})`);
  const base = sub(policyScope, deductible);
  const computed = applyRatio(base, ratio);
  trace.note(
    'basic',
    { clause: rule.clause, reading: 'R24' },
    `(${formatMoney(policyScope)} − ${formatMoney(deductible)}) × ${formatRatio(ratio)} = ${exactProduct(base, ratio)} → ${formatMoney(computed)}`,
    computed,
  );
  const basic = withinCap(computed, rule.annualCap ?? benefit.annualCap, ytd.outpatientPaid, 'outpatient paid', trace);
  return { deductible, basic };
}
