/**
 * `claims export --format nhsa`: a settlement as the national platform's settlement record (setlinfo
 * and setldetail of 2304 / 2207), built by the national interface's core (shared/national/setlinfo.ts),
 * the same record the gateway answers a HIS with. `docs/exports.md` and docs/national-interface.md
 * document every field.
 *
 * Amounts are JSON numbers, as a HIS's decimal(16,2) models read them; `nationalJson` writes them with
 * two decimals (`12.50`).
 */
import type { VisitType } from '../../contract/claim.js';
import type { Settlement } from '../../engine/settlement.js';
import type { PolicyBook } from '../../policy/book.js';
import { type Fen, room } from '../../money/money.js';
import { type NhsaSettlementRecord, type SettlementFacts, medTypeOf as nationalMedType, settlementIdOf, toNationalRecord } from '../../national/setlinfo.js';
import type { ClaimContext } from './context.js';

export { INSUTYPE_RESIDENT } from '../../national/codes.js';
export type { NhsaSettlementRecord, NhsaSetldetail, NhsaSetlinfo, NhsaExtension } from '../../national/setlinfo.js';

/** The national fund payment types (基金支付类型) the agency pays, and their settlement fields. */
export const FUND_PAY_TYPES = [
  { code: '390100', name: '城乡居民基本医疗保险基金', field: 'hifp_pay', amount: 'basic' },
  { code: '390200', name: '城乡居民大病医疗保险资金', field: 'hifmi_pay', amount: 'catastrophic' },
  { code: '610100', name: '医疗救助基金', field: 'maf_pay', amount: 'assistance' },
  { code: '999997', name: '其他基金（慈善）', field: 'oth_pay', amount: 'charity' },
] as const satisfies readonly { code: string; name: string; field: string; amount: keyof Settlement['amounts'] }[];
export type FundPayType = (typeof FUND_PAY_TYPES)[number]['code'];

/** 医疗类别 of a settlement: from its care path, else from the claim's visit type, else unknown (null). */
export function medTypeOf(settlement: Settlement, context: ClaimContext = {}): string | null {
  const { medType, source } = nationalMedType(settlement, { visitType: context.visitType as VisitType | undefined });
  return source === 'default' ? null : medType;
}

/**
 * The room the basic fund had under its annual cap before this settlement, when the policy in force
 * sets a cap for the settlement's path (crt_payb_lmt_amt of the 390100 row).
 */
export function basicCapRoom(settlement: Settlement, book: PolicyBook | undefined): Fen | undefined {
  if (!book || settlement.policy === null) return undefined;
  const policy = book.get(settlement.policy)?.policy;
  if (!policy) return undefined;
  const outpatient = settlement.path === 'outpatient';
  const cap = outpatient ? policy.outpatient?.annualCap : policy.inpatient?.annualCap;
  if (!cap) return undefined;
  const after = outpatient ? settlement.yearToDate.outpatientPaid : settlement.yearToDate.basicPaid;
  const counted = after >= settlement.amounts.basic && settlement.status === 'settled' ? settlement.amounts.basic : 0;
  return room(cap.amount, (after - counted) as Fen);
}

/** The facts of the export's context, as the national record reads them. */
export function factsOfContext(settlement: Settlement, context: ClaimContext, book?: PolicyBook): SettlementFacts {
  return {
    admittedOn: context.admittedOn,
    dischargedOn: context.dischargedOn,
    settledAt: context.settledAt,
    visitType: context.visitType,
    basicCapRoom: basicCapRoom(settlement, book),
    ...(context.version !== undefined && context.version > 1 ? { setlId: settlementIdOf(settlement.hospitalId, settlement.claimId, context.version) } : {}),
  };
}

/** The national record of a settlement (see shared/national/setlinfo.ts). */
export function toNhsaRecord(settlement: Settlement, context: ClaimContext = {}, book?: PolicyBook): NhsaSettlementRecord {
  return toNationalRecord(settlement, factsOfContext(settlement, context, book));
}
