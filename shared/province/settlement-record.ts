/**
 * Reading settlements back from JSON: the lines `claims replay` and `claims settle --lines` print, and
 * the stored settlements the pipeline returns (`{status, dischargedOn, settlement, …}`, where status may
 * also be `reversed`). The provincial side never trusts its input's arithmetic blindly: amounts are read
 * into exact fen with the contract's money rule and the contract's two invariants are checked.
 */
import * as z from 'zod';
import { isIsoDate } from '../calendar/dates.js';
import type { FieldIssue } from '../contract/errors.js';
import { REJECTION_CODES, type Amounts, type Settlement } from '../engine/settlement.js';
import { TRACE_STEPS } from '../engine/trace.js';
import { type Fen, tryParseMoney } from '../money/money.js';
import { CARE_PATHS } from '../policy/schema.js';
import { InvalidRecordError } from './errors.js';
import { ADJUSTED_FUNDS, type AdjustedFund } from '../ledger/adjustment.js';

/** A settlement as the agency holds it: the engine's answer, its lifecycle status and the discharge date. */
export interface SettlementRecord {
  /** `reversed`: settled once, then reversed (冲销); the agency owes nothing for it any more. */
  readonly status: 'settled' | 'rejected' | 'reversed';
  /** The discharge date, when the source carries it (stored settlements do; a bare settlement line may not). */
  readonly dischargedOn: string | undefined;
  /** When the pipeline settled it (ISO 8601), when the source says. */
  readonly settledAt?: string | undefined;
  readonly settlement: Settlement;
  /** The settlement version (1 for the first; a correction makes the next), when the source says. */
  readonly version?: number;
  /** A correction's version: its difference per fund against the version before it (signed fen). */
  readonly adjustment?: Readonly<Record<AdjustedFund, Fen>>;
}

const money = z.string().transform((text, ctx): Fen => {
  const fen = tryParseMoney(text);
  if (fen !== undefined) return fen;
  ctx.addIssue({ code: 'custom', message: 'must be a non-negative yuan amount with at most two decimals, as a string' });
  return z.NEVER;
});

const isoDate = z.string().refine(isIsoDate, 'must be a real calendar date in YYYY-MM-DD form');

const amountsSchema = z.object({
  total: money,
  fullOwnPay: money,
  preSelfPay: money,
  policyScope: money,
  deductible: money,
  basic: money,
  catastrophic: money,
  assistance: money,
  charity: money,
  hospitalBorne: money,
  patient: money,
});

const yearToDateSchema = z.object({
  admissions: z.number().int().min(0),
  basicPaid: money,
  outpatientPaid: money,
  compliantSelfPay: money,
  catastrophicPaid: money,
  assistancePaid: money,
  outpatientDeductibleUsed: money,
  seriousDiseasePaid: money,
  specialOutpatientDeductibleTaken: z.boolean(),
});

const traceSchema = z.object({
  step: z.enum(TRACE_STEPS),
  clause: z.string(),
  reading: z.string().optional(),
  detail: z.string(),
  amount: z.string().optional(),
  zh: z.string().optional(),
});

/** The contract's Settlement JSON; extra fields (a `dischargedOn` added by a producer) pass through. */
const settlementSchema = z.object({
  claimId: z.string().min(1),
  hospitalId: z.string().min(1),
  memberId: z.string().min(1),
  policy: z.string().nullable(),
  policyVersion: z.string().nullable().default(null),
  year: z.number().int(),
  status: z.enum(['settled', 'rejected']),
  path: z.enum(CARE_PATHS).nullable().default(null),
  rejection: z.object({ code: z.enum(REJECTION_CODES), message: z.string(), clause: z.string() }).nullable(),
  amounts: amountsSchema,
  trace: z.array(traceSchema).default([]),
  yearToDate: yearToDateSchema,
  dischargedOn: isoDate.optional(),
});

/** A signed yuan amount (an adjustment: `-150.00` recovered, `12.50` paid in addition). */
const signedMoney = z.string().transform((text, ctx): Fen => {
  const negative = text.startsWith('-');
  const fen = tryParseMoney(negative ? text.slice(1) : text);
  if (fen !== undefined) return (negative ? -fen : fen) as Fen;
  ctx.addIssue({ code: 'custom', message: 'must be a signed yuan amount with at most two decimals, as a string' });
  return z.NEVER;
});

const storedSchema = z.object({
  status: z.enum(['settled', 'rejected', 'reversed']),
  dischargedOn: isoDate,
  settledAt: z.string().optional(),
  settlement: settlementSchema,
  version: z.number().int().min(1).optional(),
  adjustment: z.object(Object.fromEntries(ADJUSTED_FUNDS.map((fund) => [fund, signedMoney])) as Record<AdjustedFund, typeof signedMoney>).optional(),
});

const issuesOf = (error: z.ZodError): FieldIssue[] => error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));

/** The two invariants of the contract, checked on what we read: a broken record must not enter a total. */
function checkInvariants(amounts: Amounts, status: 'settled' | 'rejected'): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const { total } = amounts;
  // A rejected settlement has no scope split: every amount is 0.00 but the total and the patient's part.
  if (status === 'settled' && amounts.fullOwnPay + amounts.preSelfPay + amounts.policyScope + amounts.hospitalBorne !== total) {
    issues.push({ path: 'amounts', message: 'fullOwnPay + preSelfPay + policyScope + hospitalBorne must equal total' });
  }
  if (amounts.basic + amounts.catastrophic + amounts.assistance + amounts.charity + amounts.hospitalBorne + amounts.patient !== total) {
    issues.push({ path: 'amounts', message: 'basic + catastrophic + assistance + charity + hospitalBorne + patient must equal total' });
  }
  return issues;
}

/**
 * Reads one settlement record from parsed JSON: a stored settlement (`{status, dischargedOn, settlement}`)
 * or a bare Settlement (optionally with `dischargedOn`).
 * @throws InvalidRecordError naming each bad field.
 */
export function readSettlementRecord(value: unknown, source = 'settlement', line?: number): SettlementRecord {
  const stored = typeof value === 'object' && value !== null && 'settlement' in value;
  if (stored) {
    const result = storedSchema.safeParse(value);
    if (!result.success) throw new InvalidRecordError(source, line, issuesOf(result.error));
    const { settlement, ...rest } = result.data;
    const invariants = checkInvariants(settlement.amounts, settlement.status);
    if (invariants.length > 0) throw new InvalidRecordError(source, line, invariants.map((i) => ({ ...i, path: `settlement.${i.path}` })));
    return {
      status: rest.status,
      dischargedOn: rest.dischargedOn,
      settledAt: rest.settledAt,
      settlement: toSettlement(settlement),
      ...(rest.version === undefined ? {} : { version: rest.version }),
      ...(rest.adjustment === undefined ? {} : { adjustment: rest.adjustment as Record<AdjustedFund, Fen> }),
    };
  }
  const result = settlementSchema.safeParse(value);
  if (!result.success) throw new InvalidRecordError(source, line, issuesOf(result.error));
  const invariants = checkInvariants(result.data.amounts, result.data.status);
  if (invariants.length > 0) throw new InvalidRecordError(source, line, invariants);
  return { status: result.data.status, dischargedOn: result.data.dischargedOn, settlement: toSettlement(result.data) };
}

/**
 * Reads one line of JSON text as a settlement record.
 * @throws InvalidRecordError when the line is not JSON or not a settlement.
 */
export function parseSettlementLine(text: string, source = 'settlement', line?: number): SettlementRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new InvalidRecordError(source, line, [{ path: '', message: `is not JSON (${(cause as Error).message})` }], { cause });
  }
  return readSettlementRecord(value, source, line);
}

function toSettlement(json: z.output<typeof settlementSchema>): Settlement {
  const { dischargedOn: _dischargedOn, trace, ...rest } = json;
  return {
    ...rest,
    trace: trace.map((entry) => ({
      step: entry.step,
      clause: entry.clause,
      detail: entry.detail,
      ...(entry.reading === undefined ? {} : { reading: entry.reading }),
      ...(entry.amount === undefined ? {} : { amount: entry.amount }),
      ...(entry.zh === undefined ? {} : { zh: entry.zh }),
    })),
  };
}
