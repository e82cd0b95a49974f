/**
 * The hospital statement (结算单) for a period: what the agency owes one hospital for the claims
 * settled between two dates (the settlement period, as the national 3201/3202 reconciliation counts
 * them, so an adjustment counts in the period it is made; offline files without a settlement time
 * may be read by discharge date instead), fund by fund, with reversals netted, claim counts by status and
 * rejection code, the quality deposit withheld (晋中 第二十二条) and the net to pay.
 *
 * Which funds the deposit applies to: only the basic fund, 390100 (统筹基金, hifp_pay). 第二十二条 has
 * the agency withhold it "when it settles with the hospital the amounts the 城乡居民医保基金 pays"; the
 * catastrophic insurance (大病保险资金, run by the insurer the city contracts), medical assistance and
 * charity are other payers' money, which the agency passes through and cannot withhold from. The
 * deposit is `applyRatioRoundHalfUp(net basic payable, ratio)` (R24, half up) once per policy per statement, not
 * per claim, so it does not drift by a fen per claim; the ratio is the policy's
 * `hospitalSide.qualityDeposit`, and a policy without one withholds nothing.
 *
 * A reversed settlement (冲销) entered the books as settled and was then reversed: its amounts appear
 * in `settled` and again, negated, in `reversed`, so `net` leaves it out and the two columns show it.
 */
import type { Settlement } from '../engine/settlement.js';
import { REJECTION_CODES, type RejectionCode } from '../engine/settlement.js';
import { type Fen, type Ratio, applyRatioRoundHalfUp } from '../money/money.js';
import type { PolicyBook } from '../policy/book.js';
import { InvalidRecordError, ProvinceRequestError } from './errors.js';
import { FUND_PAY_TYPES, type FundPayType } from './exports/nhsa.js';
import type { SettlementRecord } from './settlement-record.js';
import { isIsoDate } from '../calendar/dates.js';
import type { AdjustedFund } from '../ledger/adjustment.js';

/**
 * What a statement period is counted by: `settlement`, the UTC date of the pipeline's `settledAt` (the
 * default, the agency's books), or `discharge`, the discharge date (for files of settlements that carry
 * no settlement time, such as `claims replay` output).
 */
export type PeriodBasis = 'settlement' | 'discharge';

/** The hospital and the dates a statement covers, both ends included, and what they are dates of. */
export interface StatementRequest {
  readonly hospitalId: string;
  readonly from: string;
  readonly to: string;
  /** Default `settlement`. */
  readonly by?: PeriodBasis;
}

/** One column group: what was settled, what was reversed (≤ 0), what corrections adjusted (signed), and the net. */
export interface NettedAmount {
  readonly settled: Fen;
  readonly reversed: Fen;
  /** The difference new settlement versions made in the period (补付 positive, 追回 negative). */
  readonly adjusted: Fen;
  readonly net: Fen;
}

/** One new settlement version made in the period by a correction, with its difference per fund. */
export interface AdjustmentLine {
  readonly claimId: string;
  readonly version: number;
  readonly status: 'settled' | 'rejected' | 'reversed';
  readonly madeAt: string | undefined;
  readonly adjustment: Readonly<Record<AdjustedFund, Fen>>;
}

export interface FundLine extends NettedAmount {
  readonly fundPayType: FundPayType;
  readonly name: string;
  /** The national setlinfo field of the fund. */
  readonly field: string;
}

export interface DepositLine {
  readonly policy: string;
  readonly clause: string;
  readonly ratio: Ratio;
  /** The net basic-fund payable of the settlements under this policy. */
  readonly base: Fen;
  readonly withheld: Fen;
}

export interface Statement {
  readonly hospitalId: string;
  readonly from: string;
  readonly to: string;
  readonly claims: { readonly total: number; readonly settled: number; readonly rejected: number; readonly reversed: number; readonly adjusted: number };
  /** The versions corrections made in the period (re-settlements and replacements), each netted above. */
  readonly adjustments: readonly AdjustmentLine[];
  /** Rejected claims by rejection code, in the contract's order of checks; codes with no claim are left out. */
  readonly rejections: readonly { readonly code: RejectionCode; readonly count: number }[];
  readonly funds: readonly FundLine[];
  /** All funds together: what the agency owes before the deposit. */
  readonly fundTotal: NettedAmount;
  /** Cost the hospital bears (above a serious-disease quota) and the patients' own share, for the record. */
  readonly hospitalBorne: NettedAmount;
  readonly patient: NettedAmount;
  readonly medicalTotal: NettedAmount;
  readonly deposit: { readonly lines: readonly DepositLine[]; readonly withheld: Fen };
  /** fundTotal.net − deposit.withheld. */
  readonly netToPay: Fen;
}

interface Column {
  settled: number;
  reversed: number;
  adjusted: number;
}

const column = (): Column => ({ settled: 0, reversed: 0, adjusted: 0 });
// `0 - 0` and not `-0`: a negative zero would print as "-0.00" in some renderers.
const netted = (c: Column): NettedAmount => ({ settled: c.settled as Fen, reversed: (0 - c.reversed) as Fen, adjusted: (c.adjusted + 0) as Fen, net: (c.settled - c.reversed + c.adjusted) as Fen });

/**
 * Folds settlement records into one hospital's statement for a period. Records of other hospitals or
 * dated outside the period are skipped, so a caller may feed a whole file; memory is constant
 * (a few counters per fund and per policy).
 */
export class StatementBuilder {
  private readonly counts = { total: 0, settled: 0, rejected: 0, reversed: 0, adjusted: 0 };
  private readonly adjustments: AdjustmentLine[] = [];
  private readonly rejections = new Map<RejectionCode, number>();
  private readonly funds = new Map<FundPayType, Column>(FUND_PAY_TYPES.map((fund) => [fund.code, column()]));
  private readonly hospitalBorne = column();
  private readonly patient = column();
  private readonly medical = column();
  /** Net basic payable per policy, for the deposit. */
  private readonly basicByPolicy = new Map<string, number>();

  /** @throws ProvinceRequestError when the period is not two dates in order. */
  constructor(readonly request: StatementRequest) {
    if (!isIsoDate(request.from) || !isIsoDate(request.to)) throw new ProvinceRequestError(`the period must be two dates YYYY-MM-DD (got ${request.from} … ${request.to})`);
    if (request.to < request.from) throw new ProvinceRequestError(`the period ends (${request.to}) before it begins (${request.from})`);
  }

  /**
   * True when the record belongs in this statement: its hospital's, with its settlement date (or
   * discharge date, by the request's basis) in the period.
   * @throws InvalidRecordError when it lacks the date the period is counted by.
   */
  covers(record: SettlementRecord): boolean {
    if (record.settlement.hospitalId !== this.request.hospitalId) return false;
    const bySettlement = (this.request.by ?? 'settlement') === 'settlement';
    const date = bySettlement ? record.settledAt?.slice(0, 10) : record.dischargedOn;
    if (date === undefined) {
      const path = bySettlement ? 'settledAt' : 'dischargedOn';
      throw new InvalidRecordError(`settlement ${record.settlement.claimId}`, undefined, [{ path, message: 'is required to place the claim in a statement period' }]);
    }
    return this.request.from <= date && date <= this.request.to;
  }

  /** Adds one record if it belongs in this statement; returns whether it did. */
  add(record: SettlementRecord): boolean {
    if (!this.covers(record)) return false;
    const { settlement, status } = record;
    if (record.version !== undefined && record.version > 1) return this.addVersion(record);
    this.counts.total += 1;
    this.counts[status] += 1;
    if (status === 'rejected') {
      const code = settlement.rejection?.code;
      if (code !== undefined) this.rejections.set(code, (this.rejections.get(code) ?? 0) + 1);
      // A rejected claim pays nothing from any fund: only the medical total is recorded.
      this.medical.settled += settlement.amounts.total;
      this.patient.settled += settlement.amounts.patient;
      return true;
    }
    this.post(settlement, 'settled');
    if (status === 'reversed') this.post(settlement, 'reversed');
    return true;
  }

  /**
   * A version a correction made: it counts in the period it was made. A reversal takes the claim's
   * amounts back; any other version adds its difference per fund against the version before it.
   */
  private addVersion(record: SettlementRecord): boolean {
    if (record.status === 'reversed') {
      this.counts.reversed += 1;
      this.post(record.settlement, 'reversed');
      return true;
    }
    const adjustment = record.adjustment;
    if (adjustment === undefined) return false;
    this.counts.adjusted += 1;
    this.adjustments.push({ claimId: record.settlement.claimId, version: record.version as number, status: record.status, madeAt: record.settledAt, adjustment });
    for (const fund of FUND_PAY_TYPES) (this.funds.get(fund.code) as Column).adjusted += adjustment[fund.amount as AdjustedFund] ?? 0;
    this.hospitalBorne.adjusted += adjustment.hospitalBorne;
    this.patient.adjusted += adjustment.patient;
    const policy = record.settlement.policy ?? '';
    this.basicByPolicy.set(policy, (this.basicByPolicy.get(policy) ?? 0) + adjustment.basic);
    return true;
  }

  private post(settlement: Settlement, side: 'settled' | 'reversed'): void {
    const { amounts } = settlement;
    for (const fund of FUND_PAY_TYPES) (this.funds.get(fund.code) as Column)[side] += amounts[fund.amount];
    this.hospitalBorne[side] += amounts.hospitalBorne;
    this.patient[side] += amounts.patient;
    this.medical[side] += amounts.total;
    const policy = settlement.policy ?? '';
    const sign = side === 'settled' ? 1 : -1;
    this.basicByPolicy.set(policy, (this.basicByPolicy.get(policy) ?? 0) + sign * amounts.basic);
  }

  /** The statement; the quality deposit is read from each policy's `hospitalSide.qualityDeposit` in `book`. */
  finish(book: PolicyBook): Statement {
    const funds: FundLine[] = FUND_PAY_TYPES.map((fund) => ({ fundPayType: fund.code, name: fund.name, field: fund.field, ...netted(this.funds.get(fund.code) as Column) }));
    const total = column();
    for (const line of this.funds.values()) {
      total.settled += line.settled;
      total.reversed += line.reversed;
      total.adjusted += line.adjusted;
    }
    const fundTotal = netted(total);
    const lines: DepositLine[] = [];
    for (const [policy, base] of [...this.basicByPolicy].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const rule = book.get(policy)?.policy.hospitalSide.qualityDeposit;
      if (!rule || base <= 0) continue;
      lines.push({ policy, clause: rule.clause, ratio: rule.ratio, base: base as Fen, withheld: applyRatioRoundHalfUp(base as Fen, rule.ratio) });
    }
    const withheld = lines.reduce((sum, line) => sum + line.withheld, 0) as Fen;
    return {
      ...this.request,
      claims: { ...this.counts },
      adjustments: [...this.adjustments],
      rejections: REJECTION_CODES.filter((code) => this.rejections.has(code)).map((code) => ({ code, count: this.rejections.get(code) as number })),
      funds,
      fundTotal,
      hospitalBorne: netted(this.hospitalBorne),
      patient: netted(this.patient),
      medicalTotal: netted(this.medical),
      deposit: { lines, withheld },
      netToPay: (fundTotal.net - withheld) as Fen,
    };
  }
}

/** Builds a statement from records, sync or streamed. */
export async function buildStatement(
  request: StatementRequest,
  records: AsyncIterable<SettlementRecord> | Iterable<SettlementRecord>,
  book: PolicyBook,
): Promise<Statement> {
  const builder = new StatementBuilder(request);
  for await (const record of records) builder.add(record);
  return builder.finish(book);
}

export { csvField, statementToCsv, statementToJson, type StatementJson } from './statement-render.js';
