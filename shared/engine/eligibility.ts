/**
 * Eligibility (steps 2–4 of the readings): enrolment and cover, the submission deadline, excluded
 * causes and designated hospitals. Each check returns the rejection it decides, or undefined.
 */
import { addDays, addMonths, addYears, firstOfNextMonth, yearOf } from '../calendar/dates.js';
import type { Claim } from '../contract/claim.js';
import type { Policy, Source } from '../policy/schema.js';
import type { Rejection, RejectionCode } from './settlement.js';
import { coverEnglish } from './messages.js';
import type { CoverFacts, Trace } from './trace.js';

const reject = (code: RejectionCode, message: string, source: Source): Rejection => ({
  code,
  message,
  clause: source.clause,
});

/** When cover starts for the member's kind of enrolment, and why. */
interface Cover {
  readonly start: string | null;
  /** For a late enrolment with waiting days: the day benefits start. */
  readonly benefitsFrom?: string;
  readonly why: CoverFacts;
  readonly source: Source;
}

function coverOf(claim: Claim, policy: Policy): Cover {
  const { birthDate, enrolment } = claim.member;
  const rules = policy.eligibility.enrolment;
  const paidOn = enrolment.paidOn;
  switch (enrolment.kind) {
    case 'regular':
      // A cross-year stay is covered by the discharge year's enrolment (R06): no start date to test.
      return { start: null, why: { kind: 'regular', year: enrolment.year }, source: rules };
    case 'newborn': {
      const rule = rules.newbornCoveredFromBirth;
      if (rule.when === 'registered-in-birth-year') {
        const fromBirth = yearOf(paidOn) === yearOf(birthDate);
        return { start: fromBirth ? birthDate : paidOn, why: { kind: 'newborn-birth-year', paidOn, birthDate, fromBirth }, source: rule };
      }
      const limit = addMonths(birthDate, rule.months);
      const fromBirth = paidOn <= limit;
      return {
        start: fromBirth ? birthDate : paidOn,
        why: { kind: 'newborn-within-months', paidOn, birthDate, fromBirth, months: rule.months, limit },
        source: rule,
      };
    }
    case 'mid-year': {
      const start = firstOfNextMonth(paidOn);
      return { start, why: { kind: 'mid-year', paidOn, start }, source: rules.midYearStarts };
    }
    case 'late': {
      const late = rules.late;
      if (late.waitingDays === 0) return { start: paidOn, why: { kind: 'late', paidOn }, source: late };
      const benefitsFrom = addDays(paidOn, late.waitingDays);
      return { start: paidOn, benefitsFrom, why: { kind: 'late-waiting', paidOn, benefitsFrom, waitingDays: late.waitingDays }, source: late };
    }
  }
}

/** Step 2: enrolment for the settlement year and cover on the admission date. */
export function checkEnrolment(claim: Claim, policy: Policy, year: number, trace: Trace): Rejection | undefined {
  const { enrolment } = claim.member;
  const rules = policy.eligibility.enrolment;
  if (enrolment.year !== year) {
    return reject('NOT_ENROLLED', `enrolled for ${enrolment.year}, but the claim is settled in ${year} (the discharge year)`, rules);
  }
  const cover = coverOf(claim, policy);
  const admitted = claim.visit.admittedOn;
  if (cover.start !== null && admitted < cover.start) {
    return reject('NOT_ENROLLED', `admitted ${admitted}, before cover starts: ${coverEnglish(cover.why)}`, cover.source);
  }
  if (cover.benefitsFrom !== undefined && admitted < cover.benefitsFrom) {
    return reject('WAITING_PERIOD', `admitted ${admitted}, inside the waiting period: ${coverEnglish(cover.why)}`, cover.source);
  }
  trace.note('eligibility.covered', cover.source, { cover: cover.why, admitted });
  return undefined;
}

/** Step 3: the submission deadline, where the policy sets one and the claim says when it was submitted. */
export function checkDeadline(claim: Claim, policy: Policy): Rejection | undefined {
  const deadline = policy.eligibility.submissionDeadline;
  const submitted = claim.submittedOn;
  if (!deadline || submitted === undefined) return undefined;
  const last = addYears(claim.visit.dischargedOn, deadline.years);
  return submitted > last
    ? reject('LATE_SUBMISSION', `submitted ${submitted}, after the last day ${last} (discharge + ${deadline.years} year)`, deadline)
    : undefined;
}

/** Step 4: excluded causes, then designated hospitals. */
export function checkExclusions(claim: Claim, policy: Policy): Rejection | undefined {
  const { cause, emergency } = claim.visit;
  const { exclusions, nonDesignated } = policy.eligibility;
  if (cause !== 'illness' && exclusions.causes.includes(cause)) {
    return reject('EXCLUDED_CAUSE', `cause ${cause} is not payable by the fund`, exclusions);
  }
  if (!claim.hospital.designated && !(emergency && nonDesignated.emergencyPaidAsDesignated)) {
    return reject('NON_DESIGNATED', `hospital ${claim.hospital.id} is not designated and the visit is not an emergency`, nonDesignated);
  }
  return undefined;
}
