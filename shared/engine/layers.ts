/**
 * The layers after the basic fund, in the one-stop order (R29): catastrophic insurance on the year's
 * cumulative compliant self-pay (R01, R02), then medical assistance, then charity. Each layer sees only
 * what the layers before it left.
 */
import { completedYears } from '../calendar/dates.js';
import type { Claim } from '../contract/claim.js';
import {
  type Fen,
  ZERO,
  applyRatio,
  exactProduct,
  formatMoney,
  formatPercent,
  formatRatio,
  max,
  min,
  room,
  sub,
} from '../money/money.js';
import type { CarePath, Policy, SeriousDiseaseBenefit } from '../policy/schema.js';
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
    const pay = applyRatio(overlap, segment.rate);
    total = (total + pay) as Fen;
    trace.note(
      'catastrophic',
      { clause: segment.clause, reading: segment.reading ?? 'R02' },
      `segment ${formatMoney(segment.from)}–${segment.to === null ? '∞' : formatMoney(segment.to)} at ${formatPercent(segment.rate)}: cumulative compliant self-pay ${formatMoney(before)} → ${formatMoney(after)} overlaps ${formatMoney(overlap)}; × ${formatRatio(segment.rate)} = ${exactProduct(overlap, segment.rate)} → ${formatMoney(pay)}`,
      pay,
    );
  }
  if (total === ZERO) {
    trace.note('catastrophic', { clause: benefit.clause, reading: 'R02' }, `cumulative compliant self-pay ${formatMoney(before)} → ${formatMoney(after)} reaches no paying segment`, ZERO);
    return ZERO;
  }
  if (benefit.annualCap) {
    const left = room(benefit.annualCap.amount, claim.yearToDate.catastrophicPaid);
    if (total > left) {
      trace.note(
        'cap',
        benefit.annualCap,
        `catastrophic annual cap ${formatMoney(benefit.annualCap.amount)} − paid ${formatMoney(claim.yearToDate.catastrophicPaid)} = room ${formatMoney(left)} < ${formatMoney(total)}: paid ${formatMoney(left)}`,
        left,
      );
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
  const computed = applyRatio(compliantLeft, benefit.ratio);
  const left = benefit.annualCap ? room(benefit.annualCap.amount, claim.yearToDate.assistancePaid) : computed;
  const paid = min(computed, left);
  trace.note(
    'assistance',
    benefit,
    `member category ${category}: compliant self-pay left ${formatMoney(compliantLeft)} × ${formatRatio(benefit.ratio)} = ${exactProduct(compliantLeft, benefit.ratio)} → ${formatMoney(computed)}${paid < computed ? `, limited to the annual room ${formatMoney(left)}` : ''}`,
    paid,
  );
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
      const share = applyRatio(base, aid.ratio);
      assistance = min(share, remaining);
      remaining = sub(remaining, assistance);
      trace.note('assistance', aid, `${disease.group}, member category ${category}: base ${formatMoney(base)} × ${formatRatio(aid.ratio)} = ${formatMoney(share)}, at most what is left ${formatMoney(left)}`, assistance);
    } else {
      trace.note('assistance', aid, `${disease.group}: the member is in no assistance category (${aid.categories.join(', ')})`, ZERO);
    }
  }
  let charity = ZERO;
  const gift = benefit.charity;
  if (gift && gift.groups.includes(disease.group)) {
    const age = completedYears(claim.member.birthDate, claim.visit.admittedOn);
    const category = categories.find((c) => gift.categories.includes(c));
    if (category && age >= gift.minAge && age <= gift.maxAge) {
      const share = applyRatio(base, gift.ratio);
      charity = min(share, remaining);
      trace.note('charity', gift, `${disease.group}, age ${age}, member category ${category}: base ${formatMoney(base)} × ${formatRatio(gift.ratio)} = ${formatMoney(share)}, at most what is left ${formatMoney(remaining)}`, charity);
    } else {
      trace.note('charity', gift, `${disease.group}: charity needs age ${gift.minAge}–${gift.maxAge} (age ${age}) and an assistance category${category ? '' : ' (none)'}`, ZERO);
    }
  }
  return { assistance, charity };
}
