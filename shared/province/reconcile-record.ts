/**
 * One claim as a reconciliation compares it (对账记录): the total and each fund under the national
 * field names, to the fen; and our side of it, taken from a settlement record.
 */
import type { Fen } from '../money/money.js';
import type { SettlementRecord } from './settlement-record.js';

/** The amounts compared, by national field name. */
export const RECONCILED_FIELDS = ['medfee_sumamt', 'hifp_pay', 'hifmi_pay', 'maf_pay', 'oth_pay', 'hosp_part_amt', 'psn_part_amt'] as const;
export type ReconciledField = (typeof RECONCILED_FIELDS)[number];
/** The fields a hospital's file must have; the others are compared only when present. */
export const REQUIRED_FIELDS = ['medfee_sumamt', 'hifp_pay', 'hifmi_pay', 'maf_pay', 'oth_pay'] as const satisfies readonly ReconciledField[];

/** One claim as either side states it. */
export interface ReconcileRecord {
  readonly claimId: string;
  readonly dischargedOn: string | undefined;
  readonly amounts: Readonly<Partial<Record<ReconciledField, Fen>>> & Readonly<Record<(typeof REQUIRED_FIELDS)[number], Fen>>;
}

/** Our side of a settlement record: only `settled` ones are owed; rejected and reversed ones are not. */
export function ourRecordOf(record: SettlementRecord): ReconcileRecord | undefined {
  if (record.status !== 'settled') return undefined;
  const { amounts } = record.settlement;
  return {
    claimId: record.settlement.claimId,
    dischargedOn: record.dischargedOn,
    amounts: {
      medfee_sumamt: amounts.total,
      hifp_pay: amounts.basic,
      hifmi_pay: amounts.catastrophic,
      maf_pay: amounts.assistance,
      oth_pay: amounts.charity,
      hosp_part_amt: amounts.hospitalBorne,
      psn_part_amt: amounts.patient,
    },
  };
}
