/**
 * The contract's invariants and the readings' year-to-date arithmetic (step 11), written out
 * independently of the engine so that the property tests compare the engine against the text.
 * Everything works on the JSON form (decimal strings) read into integer fen: no floats.
 */
import { expect } from 'vitest';
import { type Claim, type ClaimInput, parseClaim } from '../../shared/contract/claim.js';
import { settle } from '../../shared/engine/settle.js';
import { type SettlementJson, type YearToDateJson, settlementToJson, yearToDateToJson } from '../../shared/engine/settlement.js';
import { type PolicyBook, builtInPolicyBook } from '../../shared/policy/book.js';
import type { CarePath, Policy } from '../../shared/policy/schema.js';

export const book: PolicyBook = builtInPolicyBook();

/** A settlement's amount (always two decimals in the output) in fen, as a bigint so that nothing rounds. */
export function fen(text: string): bigint {
  expect(text, 'an amount of the output').toMatch(/^\d+\.\d{2}$/);
  return BigInt(text.replace('.', ''));
}

/** Validates and settles a generated claim, returning both the parsed claim and the JSON settlement. */
export function settleInput(input: ClaimInput): { claim: Claim; settlement: SettlementJson } {
  const claim = parseClaim(input);
  return { claim, settlement: settlementToJson(settle(claim, book)) };
}

export const PAYERS = ['basic', 'catastrophic', 'assistance', 'charity', 'hospitalBorne', 'patient'] as const;
export const PIECES = ['fullOwnPay', 'preSelfPay', 'policyScope', 'hospitalBorne'] as const;

/**
 * The invariants every settlement keeps: the payers add up to the total to the fen, nothing negative;
 * a settled claim's scope pieces add up to the total too. (A rejected claim cannot: the contract sets
 * every amount but `total` and `patient` to zero, so its pieces are all zero.)
 */
export function expectAmountInvariants(amounts: Record<string, string>, status: 'settled' | 'rejected'): void {
  const total = fen(amounts['total'] as string);
  for (const [key, value] of Object.entries(amounts)) expect({ [key]: fen(value) >= 0n }).toEqual({ [key]: true });
  const payers = PAYERS.reduce((acc, key) => acc + fen(amounts[key] as string), 0n);
  const pieces = PIECES.reduce((acc, key) => acc + fen(amounts[key] as string), 0n);
  expect({ payers }).toEqual({ payers: total });
  if (status === 'settled') expect({ pieces }).toEqual({ pieces: total });
}

/** A rejected claim pays nothing: every amount zero but `total` and `patient = total`, totals unchanged. */
export function expectPaysNothing(settlement: SettlementJson, before: YearToDateJson): void {
  const { amounts } = settlement;
  expect(settlement.status).toBe('rejected');
  expect(amounts.patient).toBe(amounts.total);
  for (const key of ['fullOwnPay', 'preSelfPay', 'policyScope', 'deductible', 'basic', 'catastrophic', 'assistance', 'charity', 'hospitalBorne'] as const) {
    expect({ [key]: amounts[key] }).toEqual({ [key]: '0.00' });
  }
  expect(settlement.yearToDate).toEqual(before);
}

export function policyOf(settlement: SettlementJson): Policy | undefined {
  return settlement.policy === null ? undefined : book.get(settlement.policy)?.policy;
}

/** Paths whose basic counts toward the inpatient annual cap (R11, R12, R13, R20, R21). */
export const INPATIENT_CAP_PATHS: readonly CarePath[] = ['inpatient', 'childbirth', 'emergency-death', 'special-outpatient'];
const ADMISSION_PATHS: readonly CarePath[] = ['inpatient', 'childbirth', 'serious-disease', 'emergency-death'];

/** `max(0, cap − used)` in fen. */
export const roomOf = (capFen: number, usedText: string): bigint => {
  const left = BigInt(capFen) - fen(usedText);
  return left > 0n ? left : 0n;
};

/** Step 11 of the readings: the totals after a settled claim, from the totals before and its amounts. */
export function expectedYearToDateAfter(before: YearToDateJson, settlement: SettlementJson, policy: Policy): YearToDateJson {
  const path = settlement.path as CarePath;
  const a = settlement.amounts;
  const plus = (total: string, amount: string, applies: boolean): string => (applies ? formatFen(fen(total) + fen(amount)) : total);
  const inCatastrophicScope = policy.catastrophic?.paths.includes(path) ?? false;
  const compliant = formatFen(fen(a.policyScope) - fen(a.basic));
  return {
    admissions: before.admissions + (ADMISSION_PATHS.includes(path) ? 1 : 0),
    basicPaid: plus(before.basicPaid, a.basic, INPATIENT_CAP_PATHS.includes(path)),
    outpatientPaid: plus(before.outpatientPaid, a.basic, path === 'outpatient'),
    compliantSelfPay: plus(before.compliantSelfPay, compliant, inCatastrophicScope),
    catastrophicPaid: plus(before.catastrophicPaid, a.catastrophic, true),
    assistancePaid: plus(before.assistancePaid, a.assistance, true),
    outpatientDeductibleUsed: plus(before.outpatientDeductibleUsed, a.deductible, path === 'outpatient'),
    seriousDiseasePaid: plus(before.seriousDiseasePaid, a.basic, path === 'serious-disease'),
    specialOutpatientDeductibleTaken: before.specialOutpatientDeductibleTaken || path === 'special-outpatient',
  };
}

export function formatFen(amount: bigint): string {
  const text = amount.toString().padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}

/** The claim's totals before settling, in JSON form (defaults filled in). */
export const beforeOf = (claim: Claim): YearToDateJson => yearToDateToJson(claim.yearToDate);

/** Every total is at least what it was before. */
export function expectTotalsNeverDecrease(before: YearToDateJson, after: YearToDateJson): void {
  expect(after.admissions).toBeGreaterThanOrEqual(before.admissions);
  for (const key of ['basicPaid', 'outpatientPaid', 'compliantSelfPay', 'catastrophicPaid', 'assistancePaid', 'outpatientDeductibleUsed', 'seriousDiseasePaid'] as const) {
    expect({ [key]: fen(after[key]) >= fen(before[key]) }).toEqual({ [key]: true });
  }
  if (before.specialOutpatientDeductibleTaken) expect(after.specialOutpatientDeductibleTaken).toBe(true);
}
