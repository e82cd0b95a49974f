/**
 * The layers after the basic fund, in the one-stop order (R29): catastrophic insurance on the year's
 * cumulative compliant self-pay (R01, R02), then medical assistance, then charity. Each layer sees only
 * what the layers before it left.
 */
import { completedYears } from '../calendar/dates.js';
import type { Claim } from '../contract/claim.js';
import { type Fen, ZERO, applyRatioRoundHalfUp, max, min, room, sub } from '../money/money.js';
import type { CarePath, Policy, SeriousDiseaseBenefit } from '../policy/schema.js';
import { ENGINE_READINGS } from './clauses.js';
import type { Trace } from './trace.js';

/**
 * Catastrophic insurance: the claim's compliant self-pay moves the year's cumulative total from C0 to
 * C1; each segment pays its rate on its overlap with [C0, C1], rounded segment by segment; the sum is
 * limited to the annual cap still unused.
 */
export function payCatastrophic(claim: Claim, policy: Policy, path: CarePath, compliantSelfPay: Fen, trace: Trace): Fen {
  const benefit = policy.catastrophic;
  if (!benefit || !benefit.paths.includes(path)) return ZERO;
  const before = claim.yearToDate.compliantSelfPay;
  const after = (before + compliantSelfPay) as Fen;
  let total = ZERO;
  for (const segment of benefit.segments) {
    const upper = segment.to === null ? after : min(after, segment.to);
    const overlap = sub(upper, max(before, segment.from));
    if (overlap <= 0) continue;
    const pay = applyRatioRoundHalfUp(overlap, segment.rate);
    total = (total + pay) as Fen;
    trace.note(
      'catastrophic.segment',
      { clause: segment.clause, reading: segment.reading ?? ENGINE_READINGS.cumulativeSegments },
      { from: segment.from, to: segment.to, rate: segment.rate, before, after, overlap, pay },
      pay,
    );
  }
  if (total === ZERO) {
    trace.note('catastrophic.none', { clause: benefit.clause, reading: ENGINE_READINGS.cumulativeSegments }, { before, after }, ZERO);
    return ZERO;
  }
  if (benefit.annualCap) {
    const left = room(benefit.annualCap.amount, claim.yearToDate.catastrophicPaid);
    if (total > left) {
      trace.note('cap.catastrophic', benefit.annualCap, { cap: benefit.annualCap.amount, paid: claim.yearToDate.catastrophicPaid, left, computed: total }, left);
      return left;
    }
  }
  return total;
}

/** General medical assistance set by an operator's policy data: a share of the compliant self-pay left. */
export function payGeneralAssistance(claim: Claim, policy: Policy, path: CarePath, compliantLeft: Fen, trace: Trace): Fen {
  const benefit = policy.assistance;
  if (!benefit || !benefit.paths.includes(path) || compliantLeft <= 0) return ZERO;
  const category = claim.member.categories.find((c) => benefit.categories.includes(c));
  if (!category) return ZERO;
  const computed = applyRatioRoundHalfUp(compliantLeft, benefit.ratio);
  const left = benefit.annualCap ? room(benefit.annualCap.amount, claim.yearToDate.assistancePaid) : computed;
  const paid = min(computed, left);
  trace.note('assistance.general', benefit, { category, left: compliantLeft, ratio: benefit.ratio, computed, paid, room: left }, paid);
  return paid;
}

/** The assistance and charity shares of the 22-serious-disease path (R14), each within what is left. */
export function paySeriousDiseaseShares(
  claim: Claim,
  benefit: SeriousDiseaseBenefit,
  base: Fen,
  left: Fen,
  trace: Trace,
): { assistance: Fen; charity: Fen } {
  const disease = claim.visit.seriousDisease;
  if (!disease) return { assistance: ZERO, charity: ZERO };
  const categories = claim.member.categories;
  let remaining = left;
  let assistance = ZERO;
  const aid = benefit.assistance;
  if (aid && aid.groups.includes(disease.group)) {
    const category = categories.find((c) => aid.categories.includes(c));
    if (category) {
      const share = applyRatioRoundHalfUp(base, aid.ratio);
      assistance = min(share, remaining);
      remaining = sub(remaining, assistance);
      trace.note('assistance.serious-disease', aid, { group: disease.group, category, base, ratio: aid.ratio, share, left, paid: assistance }, assistance);
    } else {
      trace.note('assistance.serious-disease-none', aid, { group: disease.group, categories: aid.categories }, ZERO);
    }
  }
  let charity = ZERO;
  const gift = benefit.charity;
  if (gift && gift.groups.includes(disease.group)) {
    const age = completedYears(claim.member.birthDate, claim.visit.admittedOn);
    const category = categories.find((c) => gift.categories.includes(c));
    if (category && age >= gift.minAge && age <= gift.maxAge) {
      const share = applyRatioRoundHalfUp(base, gift.ratio);
      charity = min(share, remaining);
      trace.note('charity.serious-disease', gift, { group: disease.group, age, category, base, ratio: gift.ratio, share, left: remaining, paid: charity }, charity);
    } else {
      trace.note('charity.serious-disease-none', gift, { group: disease.group, minAge: gift.minAge, maxAge: gift.maxAge, age, hasCategory: category !== undefined }, ZERO);
    }
  }
  return { assistance, charity };
}
