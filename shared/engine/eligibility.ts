/**
 * Eligibility (steps 2–4 of the readings): enrolment and cover, the submission deadline, excluded
 * causes and designated hospitals. Each check returns the rejection it decides, or undefined.
 */
import { addDays, addMonths, addYears, firstOfNextMonth, yearOf } from '../calendar/dates.js';
import type { Claim } from '../contract/claim.js';
import type { Policy, Source } from '../policy/schema.js';
import type { Rejection, RejectionCode } from './settlement.js';
import type { Trace } from './trace.js';

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
  readonly why: string;
  readonly source: Source;
}

function coverOf(claim: Claim, policy: Policy): Cover {
  const { birthDate, enrolment } = claim.member;
  const rules = policy.eligibility.enrolment;
  switch (enrolment.kind) {
    case 'regular':
      // A cross-year stay is covered by the discharge year's enrolment (R06): no start date to test.
      return { start: null, why: `regular enrolment for ${enrolment.year}`, source: rules };
    case 'newborn': {
      const rule = rules.newbornCoveredFromBirth;
      const fromBirth =
        rule.when === 'registered-in-birth-year'
          ? yearOf(enrolment.paidOn) === yearOf(birthDate)
          : enrolment.paidOn <= addMonths(birthDate, rule.months);
      const condition =
        rule.when === 'registered-in-birth-year'
          ? `registered on ${enrolment.paidOn}, ${fromBirth ? 'in' : 'after'} the birth year`
          : `enrolled on ${enrolment.paidOn}, ${fromBirth ? 'within' : 'later than'} ${rule.months} months of birth (${addMonths(birthDate, rule.months)})`;
      return fromBirth
        ? { start: birthDate, why: `newborn ${condition}: covered from birth ${birthDate}`, source: rule }
        : { start: enrolment.paidOn, why: `newborn ${condition}: covered from ${enrolment.paidOn}`, source: rule };
    }
    case 'mid-year': {
      const start = firstOfNextMonth(enrolment.paidOn);
      return { start, why: `mid-year joiner enrolled ${enrolment.paidOn}: covered from ${start}`, source: rules.midYearStarts };
    }
    case 'late': {
      const late = rules.late;
      if (late.waitingDays === 0) return { start: enrolment.paidOn, why: `late payment on ${enrolment.paidOn}, no waiting period`, source: late };
      const benefitsFrom = addDays(enrolment.paidOn, late.waitingDays);
      return {
        start: enrolment.paidOn,
        benefitsFrom,
        why: `late payment on ${enrolment.paidOn}: benefits from ${benefitsFrom} (paidOn + ${late.waitingDays} days)`,
        source: late,
      };
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
    return reject('NOT_ENROLLED', `admitted ${admitted}, before cover starts: ${cover.why}`, cover.source);
  }
  if (cover.benefitsFrom !== undefined && admitted < cover.benefitsFrom) {
    return reject('WAITING_PERIOD', `admitted ${admitted}, inside the waiting period: ${cover.why}`, cover.source);
  }
  trace.note('eligibility', cover.source, `${cover.why}; admitted ${admitted}: covered`);
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
