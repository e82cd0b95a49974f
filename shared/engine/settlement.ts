/**
 * The Settlement of the contract: who pays what for one claim, why, and the member's totals after it.
 */
import type { YearToDate } from '../contract/claim.js';
import { type Fen, formatMoney } from '../money/money.js';
import type { CarePath } from '../policy/schema.js';
import type { TraceStep } from './trace.js';

/** Why a valid claim is not payable, in the contract's order of checks. */
export const REJECTION_CODES = [
  'NO_POLICY',
  'NOT_ENROLLED',
  'WAITING_PERIOD',
  'LATE_SUBMISSION',
  'EXCLUDED_CAUSE',
  'NON_DESIGNATED',
  'NOT_COVERED',
  'POLICY_INCOMPLETE',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

export interface Rejection {
  readonly code: RejectionCode;
  readonly message: string;
  readonly clause: string;
}

/** The amounts of a settlement, in fen. */
export interface Amounts {
  /** 医疗费总额 medfee_sumamt */
  readonly total: Fen;
  /** 全自费 fulamt_ownpay_amt */
  readonly fullOwnPay: Fen;
  /** 先行自付 preselfpay_amt */
  readonly preSelfPay: Fen;
  /** 政策范围内 inscp_scp_amt */
  readonly policyScope: Fen;
  /** 实际支付起付线 act_pay_dedc */
  readonly deductible: Fen;
  /** 统筹基金 hifp_pay (390100) */
  readonly basic: Fen;
  /** 大病保险 hifmi_pay (390200) */
  readonly catastrophic: Fen;
  /** 医疗救助 maf_pay (610100) */
  readonly assistance: Fen;
  /** 慈善 / other payer oth_pay */
  readonly charity: Fen;
  /** 医院负担 hosp_part_amt */
  readonly hospitalBorne: Fen;
  /** 个人负担 psn_part_amt */
  readonly patient: Fen;
}

export const AMOUNT_KEYS = [
  'total',
  'fullOwnPay',
  'preSelfPay',
  'policyScope',
  'deductible',
  'basic',
  'catastrophic',
  'assistance',
  'charity',
  'hospitalBorne',
  'patient',
] as const satisfies readonly (keyof Amounts)[];

/** The payers, in the one-stop order (R29), and the patient last: their sum is the total. */
export const PAYER_KEYS = ['basic', 'catastrophic', 'assistance', 'charity', 'hospitalBorne', 'patient'] as const satisfies readonly (keyof Amounts)[];

/**
 * One line of the explanation: the step, where the rule comes from, the arithmetic, the amount it set,
 * and the same explanation in Chinese. The engine's entries render `detail` and `zh` only when read
 * (`trace.ts`); entries read back from JSON carry them as text.
 */
export interface TraceEntry {
  readonly step: TraceStep;
  readonly clause: string;
  readonly reading?: string | undefined;
  /** The arithmetic in English. */
  readonly detail: string;
  readonly amount?: string | undefined;
  /** The rule, the numbers and the clause in Chinese, for the counter; absent on JSON written before it existed. */
  readonly zh?: string | undefined;
}

/** A trace entry in the contract's JSON form: a plain object, absent fields left out. */
export type TraceEntryJson = TraceEntry;

/**
 * A trace entry as JSON: fields in the contract's order (step, clause, detail, reading, amount), `zh`
 * last unless `chinese` is false.
 */
export function traceEntryToJson(entry: TraceEntry, chinese = true): TraceEntryJson {
  const json: { -readonly [F in keyof TraceEntryJson]: TraceEntryJson[F] } = { step: entry.step, clause: entry.clause, detail: entry.detail };
  const { reading, amount } = entry;
  if (reading !== undefined) json.reading = reading;
  if (amount !== undefined) json.amount = amount;
  const zh = chinese ? entry.zh : undefined;
  if (zh !== undefined) json.zh = zh;
  return json;
}

export interface Settlement {
  readonly claimId: string;
  readonly hospitalId: string;
  readonly memberId: string;
  /** The policy in force, null on NO_POLICY. */
  readonly policy: string | null;
  readonly policyVersion: string | null;
  /** The insurance year: the discharge year (R06). */
  readonly year: number;
  readonly status: 'settled' | 'rejected';
  /** The care path the claim was settled on; null when rejected. */
  readonly path: CarePath | null;
  readonly rejection: Rejection | null;
  readonly amounts: Amounts;
  readonly trace: readonly TraceEntry[];
  /** The member's totals after this claim. */
  readonly yearToDate: YearToDate;
}

/** Year-to-date totals in the contract's JSON form. */
export interface YearToDateJson {
  admissions: number;
  basicPaid: string;
  outpatientPaid: string;
  compliantSelfPay: string;
  catastrophicPaid: string;
  assistancePaid: string;
  outpatientDeductibleUsed: string;
  seriousDiseasePaid: string;
  specialOutpatientDeductibleTaken: boolean;
}

/** A settlement in the contract's JSON form: amounts as yuan strings with two decimals. */
export interface SettlementJson extends Omit<Settlement, 'amounts' | 'yearToDate' | 'trace'> {
  readonly amounts: Record<keyof Amounts, string>;
  readonly trace: readonly TraceEntryJson[];
  readonly yearToDate: YearToDateJson;
}

/** Year-to-date totals as JSON. */
export function yearToDateToJson(ytd: YearToDate): YearToDateJson {
  return {
    admissions: ytd.admissions,
    basicPaid: formatMoney(ytd.basicPaid),
    outpatientPaid: formatMoney(ytd.outpatientPaid),
    compliantSelfPay: formatMoney(ytd.compliantSelfPay),
    catastrophicPaid: formatMoney(ytd.catastrophicPaid),
    assistancePaid: formatMoney(ytd.assistancePaid),
    outpatientDeductibleUsed: formatMoney(ytd.outpatientDeductibleUsed),
    seriousDiseasePaid: formatMoney(ytd.seriousDiseasePaid),
    specialOutpatientDeductibleTaken: ytd.specialOutpatientDeductibleTaken,
  };
}

/** Options of {@link settlementToJson}. */
export interface SettlementJsonOptions {
  /**
   * Whether each trace entry carries its Chinese sentence `zh` (default true). A store that keeps
   * settlements within a size budget may leave it out: the English `detail` and every other field stay.
   */
  readonly chinese?: boolean;
}

/** The settlement as the contract's JSON: here the trace's sentences are rendered. */
export function settlementToJson(settlement: Settlement, { chinese = true }: SettlementJsonOptions = {}): SettlementJson {
  const amounts = {} as Record<keyof Amounts, string>;
  for (const key of AMOUNT_KEYS) amounts[key] = formatMoney(settlement.amounts[key]);
  const trace = settlement.trace.map((entry) => traceEntryToJson(entry, chinese));
  return { ...settlement, amounts, trace, yearToDate: yearToDateToJson(settlement.yearToDate) };
}
