/**
 * The settlement engine: one claim and the member's year-to-date totals in, the one-stop settlement out
 * (policy-readings.md, "Settlement, step by step"):
 * eligibility → scope → deductible → ratio and referral penalty → annual cap → catastrophic →
 * assistance → charity → patient. Pure: no I/O, no clock, no randomness.
 */
import { yearOf } from '../calendar/dates.js';
import { type Claim, type YearToDate, yearToDateOutOfRange } from '../contract/claim.js';
import { type FieldIssue, InvalidClaimError } from '../contract/errors.js';
import { type Fen, ZERO, applyRatioRoundHalfUp, min, room, sub } from '../money/money.js';
import type { LoadedPolicy, PolicyBook } from '../policy/book.js';
import type { CarePath, Policy, Source } from '../policy/schema.js';
import { type BasicPayment, payChildbirth, payInpatient, payOutpatient } from './basic.js';
import { ENGINE_CLAUSES } from './clauses.js';
import { checkDeadline, checkEnrolment, checkExclusions } from './eligibility.js';
import { InvariantViolationError } from './errors.js';
import { payCatastrophic, payGeneralAssistance, paySeriousDiseaseShares } from './layers.js';
import { type Coverage, choosePath, coverageOf } from './path.js';
import { claimTotal, computeScope } from './scope.js';
import { AMOUNT_KEYS, type Amounts, PAYER_KEYS, type Rejection, type Settlement } from './settlement.js';
import { Trace } from './trace.js';

/** What the payers are due on a settled claim: every amount but the patient's remainder. */
interface Split extends Omit<Amounts, 'patient'> {
  /** The claim's compliant self-pay (R01): policy scope left after the basic fund. */
  readonly compliantSelfPay: Fen;
}

const INPATIENT_PATHS: readonly CarePath[] = ['inpatient', 'childbirth', 'serious-disease', 'emergency-death'];

function rejected(claim: Claim, year: number, loaded: LoadedPolicy | undefined, rejection: Rejection, trace: Trace): Settlement {
  const total = claimTotal(claim);
  trace.note('rejection.refused', { clause: rejection.clause }, { code: rejection.code, message: rejection.message, total }, total);
  const amounts: Amounts = {
    total,
    fullOwnPay: ZERO,
    preSelfPay: ZERO,
    policyScope: ZERO,
    deductible: ZERO,
    basic: ZERO,
    catastrophic: ZERO,
    assistance: ZERO,
    charity: ZERO,
    hospitalBorne: ZERO,
    patient: total,
  };
  return {
    claimId: claim.claimId,
    hospitalId: claim.hospital.id,
    memberId: claim.member.id,
    policy: loaded?.policy.id ?? null,
    policyVersion: loaded?.policy.version ?? null,
    year,
    status: 'rejected',
    path: null,
    rejection,
    amounts,
    trace: trace.entries,
    yearToDate: claim.yearToDate,
  };
}

/** The contract error of a region no policy of the book covers: regions are defined by the policies. */
export function unknownRegionIssue(region: string, book: PolicyBook): FieldIssue {
  return { path: 'member.region', message: `is not a region of any policy (known: ${book.regions.join(', ')}), got ${region}` };
}

function noPolicyMessage(claim: Claim, book: PolicyBook): string {
  const known = book
    .ofRegion(claim.member.region)
    .map(({ policy }) => `${policy.id} ${policy.effective.from}…${policy.effective.to ?? ''}`)
    .join(', ');
  return `no policy in force for ${claim.member.region} on the discharge date ${claim.visit.dischargedOn}${known ? ` (known: ${known})` : ''}`;
}

/** The serious-disease path (R14): base = min(total, quota), the hospital bears the rest. */
function splitSeriousDisease(claim: Claim, policy: Policy, trace: Trace): Split {
  const benefit = policy.seriousDisease;
  const disease = claim.visit.seriousDisease;
  if (!benefit || !disease) throw new InvariantViolationError(claim.claimId, 'serious-disease path without its benefit');
  const total = claimTotal(claim);
  const base = min(total, disease.quota);
  const hospitalBorne = sub(total, base);
  trace.note(
    'scope.serious-disease',
    benefit.hospitalBearsAboveQuota,
    { code: disease.code, group: disease.group, total, quota: disease.quota, base, hospitalBorne },
    base,
  );
  const computed = applyRatioRoundHalfUp(base, benefit.basicRatio);
  trace.note('basic.serious-disease', benefit, { base, ratio: benefit.basicRatio, computed }, computed);
  const cap = policy.inpatient?.annualCap;
  const basic = benefit.countsTowardInpatientCap && cap ? min(computed, room(cap.amount, claim.yearToDate.basicPaid)) : computed;
  const compliantSelfPay = sub(base, basic);
  const catastrophic = payCatastrophic(claim, policy, 'serious-disease', compliantSelfPay, trace);
  const left = sub(compliantSelfPay, catastrophic);
  const { assistance, charity } = paySeriousDiseaseShares(claim, benefit, base, left, trace);
  return {
    total,
    fullOwnPay: ZERO,
    preSelfPay: ZERO,
    policyScope: base,
    deductible: ZERO,
    basic,
    catastrophic,
    assistance,
    charity,
    hospitalBorne,
    compliantSelfPay,
  };
}

/** Every other path: scope, the basic fund, catastrophic, then any general assistance. */
function splitOrdinary(claim: Claim, policy: Policy, path: CarePath, coverage: Coverage & { kind: 'covered' }, trace: Trace): Split {
  const scope = computeScope(claim, policy, trace);
  let payment: BasicPayment;
  if (path === 'childbirth') payment = payChildbirth(claim, policy, scope.policyScope, trace);
  else if (path === 'outpatient' && policy.outpatient && coverage.outpatientRule) {
    payment = payOutpatient(claim, policy.outpatient, coverage.outpatientRule, scope.policyScope, trace);
  } else if (coverage.inpatientTier) payment = payInpatient(claim, policy, path, coverage.inpatientTier, scope.policyScope, trace);
  else throw new InvariantViolationError(claim.claimId, `path ${path} has no rule to pay it`);
  const compliantSelfPay = sub(scope.policyScope, payment.basic);
  const catastrophic = payCatastrophic(claim, policy, path, compliantSelfPay, trace);
  const assistance = payGeneralAssistance(claim, policy, path, sub(compliantSelfPay, catastrophic), trace);
  return {
    total: scope.total,
    fullOwnPay: scope.fullOwnPay,
    preSelfPay: scope.preSelfPay,
    policyScope: scope.policyScope,
    deductible: payment.deductible,
    basic: payment.basic,
    catastrophic,
    assistance,
    charity: ZERO,
    hospitalBorne: ZERO,
    compliantSelfPay,
  };
}

/** The clause that sets up a care path. */
function pathSource(policy: Policy, path: CarePath): Source {
  return benefitOf(policy, path) ?? policy.effective;
}

function benefitOf(policy: Policy, path: CarePath): Source | undefined {
  switch (path) {
    case 'inpatient':
      return policy.inpatient;
    case 'childbirth':
      return policy.childbirth;
    case 'serious-disease':
      return policy.seriousDisease;
    case 'emergency-death':
      return policy.emergencyDeath;
    case 'special-outpatient':
      return policy.specialOutpatient;
    case 'outpatient':
      return policy.outpatient;
  }
}

/** NOT_COVERED and POLICY_INCOMPLETE, which come last in the contract's order of checks. */
function refusalOf(coverage: Coverage): Rejection | undefined {
  if (coverage.kind === 'not-covered') return { code: 'NOT_COVERED', message: coverage.message, clause: coverage.source.clause };
  if (coverage.kind === 'incomplete') return { code: 'POLICY_INCOMPLETE', message: coverage.message, clause: coverage.source.clause };
  return undefined;
}

/** Step 11: the member's totals after a settled claim. */
function yearToDateAfter(before: YearToDate, policy: Policy, path: CarePath, split: Split): YearToDate {
  const inCatastrophicScope = policy.catastrophic?.paths.includes(path) ?? false;
  const countsTowardInpatientCap =
    path === 'childbirth'
      ? (policy.childbirth?.countsTowardInpatientCap ?? true)
      : path === 'serious-disease'
        ? (policy.seriousDisease?.countsTowardInpatientCap ?? false)
        : path !== 'outpatient';
  const add = (a: Fen, b: Fen): Fen => (a + b) as Fen;
  return {
    admissions: before.admissions + (INPATIENT_PATHS.includes(path) ? 1 : 0),
    basicPaid: countsTowardInpatientCap ? add(before.basicPaid, split.basic) : before.basicPaid,
    outpatientPaid: path === 'outpatient' ? add(before.outpatientPaid, split.basic) : before.outpatientPaid,
    compliantSelfPay: inCatastrophicScope ? add(before.compliantSelfPay, split.compliantSelfPay) : before.compliantSelfPay,
    catastrophicPaid: add(before.catastrophicPaid, split.catastrophic),
    assistancePaid: add(before.assistancePaid, split.assistance),
    outpatientDeductibleUsed: path === 'outpatient' ? add(before.outpatientDeductibleUsed, split.deductible) : before.outpatientDeductibleUsed,
    seriousDiseasePaid:
      path === 'serious-disease' && !countsTowardInpatientCap ? add(before.seriousDiseasePaid, split.basic) : before.seriousDiseasePaid,
    specialOutpatientDeductibleTaken: before.specialOutpatientDeductibleTaken || path === 'special-outpatient',
  };
}

/** Checks the contract's invariants; a failure is an engine defect, never a settlement. */
function assertInvariants(claimId: string, amounts: Amounts): void {
  // Every claim passes here: a plain loop over the contract's keys, no entries array to allocate.
  for (const key of AMOUNT_KEYS) {
    const value = amounts[key];
    if (!Number.isSafeInteger(value) || value < 0) throw new InvariantViolationError(claimId, `${key} is ${value} fen`);
  }
  let parts = 0;
  for (const key of PAYER_KEYS) parts += amounts[key];
  if (parts !== amounts.total) throw new InvariantViolationError(claimId, `payers add up to ${parts} fen, the total is ${amounts.total}`);
  const pieces = amounts.fullOwnPay + amounts.preSelfPay + amounts.policyScope + amounts.hospitalBorne;
  if (pieces !== amounts.total) throw new InvariantViolationError(claimId, `scope pieces add up to ${pieces} fen, the total is ${amounts.total}`);
}

/**
 * Settles one claim against the year-to-date totals it carries.
 *
 * A claim that is valid but not payable is a settlement with status `rejected`, not an error.
 * @throws InvalidClaimError when no policy of the book covers the member's region (path `member.region`),
 *   when the hospital tier is unknown to the policy in force (path `hospital.tier`),
 *   or when the totals after the claim would leave the contract's bounds (path `yearToDate.…`).
 * @throws InvariantViolationError when the result would break the contract's invariants (an engine defect).
 */
export function settle(claim: Claim, book: PolicyBook): Settlement {
  const trace = new Trace();
  const year = yearOf(claim.visit.dischargedOn);
  const loaded = book.inForce(claim.member.region, claim.visit.dischargedOn);
  if (!loaded) {
    if (!book.coversRegion(claim.member.region)) throw new InvalidClaimError([unknownRegionIssue(claim.member.region, book)]);
    return rejected(claim, year, undefined, { code: 'NO_POLICY', message: noPolicyMessage(claim, book), clause: ENGINE_CLAUSES.policyInForce.clause }, trace);
  }
  const { policy } = loaded;
  trace.policy = policy;
  trace.note('policy.in-force', policy.effective, { policy, dischargedOn: claim.visit.dischargedOn, year, sources: loaded.sources });
  const path = choosePath(claim, policy);
  const coverage = coverageOf(claim, policy, path);
  const refusal = checkEnrolment(claim, policy, year, trace) ?? checkDeadline(claim, policy) ?? checkExclusions(claim, policy) ?? refusalOf(coverage);
  if (refusal) return rejected(claim, year, loaded, refusal, trace);
  if (coverage.kind !== 'covered') throw new InvariantViolationError(claim.claimId, `coverage ${coverage.kind} without a refusal`);
  trace.note('path.chosen', pathSource(policy, path), { path });
  const split = path === 'serious-disease' ? splitSeriousDisease(claim, policy, trace) : splitOrdinary(claim, policy, path, coverage, trace);
  const patient = (split.total - split.basic - split.catastrophic - split.assistance - split.charity - split.hospitalBorne) as Fen;
  const { total, basic, catastrophic, assistance, charity, hospitalBorne } = split;
  trace.note('patient.remainder', ENGINE_CLAUSES.oneStopOrder, { total, basic, catastrophic, assistance, charity, hospitalBorne, patient }, patient);
  const amounts: Amounts = {
    total,
    fullOwnPay: split.fullOwnPay,
    preSelfPay: split.preSelfPay,
    policyScope: split.policyScope,
    deductible: split.deductible,
    basic,
    catastrophic,
    assistance,
    charity,
    hospitalBorne,
    patient,
  };
  assertInvariants(claim.claimId, amounts);
  const yearToDate = yearToDateAfter(claim.yearToDate, policy, path, split);
  // Totals beyond the contract's bounds could not be carried into the member's next claim: refuse the
  // claim rather than hand back totals that no later claim could state.
  const outOfRange = yearToDateOutOfRange(yearToDate);
  if (outOfRange.length > 0) throw new InvalidClaimError(outOfRange);
  return {
    claimId: claim.claimId,
    hospitalId: claim.hospital.id,
    memberId: claim.member.id,
    policy: policy.id,
    policyVersion: policy.version,
    year,
    status: 'settled',
    path,
    rejection: null,
    amounts,
    trace: trace.entries,
    yearToDate,
  };
}
