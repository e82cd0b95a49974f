/**
 * A settlement as the national medical insurance platform's settlement record (国家医保信息平台,
 * output `setlinfo` of the settlement transactions 2207 / 2304 and the fund rows `setldetail`), so a
 * city can report upward without re-keying. `docs/exports.md` documents every field.
 *
 * Amounts stay decimal strings with two decimals (the platform's numbers are decimal(16,2)); writing
 * them as JSON numbers would invite binary floats downstream.
 */
import type { VisitType } from '../../contract/claim.js';
import type { Settlement } from '../../engine/settlement.js';
import type { TraceStep } from '../../engine/trace.js';
import { type Fen, formatMoney } from '../../money/money.js';
import type { CarePath } from '../../policy/schema.js';
import { type ClaimContext, toChinaTime } from './context.js';

/** 险种类型: 390 城乡居民基本医疗保险, the only insurance type this product settles. */
export const INSUTYPE_RESIDENT = '390';

/** The national fund payment types (基金支付类型) this product pays, and their settlement fields. */
export const FUND_PAY_TYPES = [
  { code: '390100', name: '城乡居民基本医疗保险基金', field: 'hifp_pay', amount: 'basic' },
  { code: '390200', name: '城乡居民大病医疗保险资金', field: 'hifmi_pay', amount: 'catastrophic' },
  { code: '610100', name: '医疗救助基金', field: 'maf_pay', amount: 'assistance' },
  { code: '999997', name: '其他基金（慈善）', field: 'oth_pay', amount: 'charity' },
] as const satisfies readonly { code: string; name: string; field: string; amount: keyof Settlement['amounts'] }[];
export type FundPayType = (typeof FUND_PAY_TYPES)[number]['code'];

/** 医疗类别 (med_type) by care path: see docs/exports.md for why each. */
const MED_TYPE_BY_PATH: Record<CarePath, string> = {
  inpatient: '21',
  'serious-disease': '21',
  'emergency-death': '21',
  childbirth: '52',
  'special-outpatient': '14',
  outpatient: '11',
};
/** 医疗类别 by the claim's visit type, for a rejected claim that never reached a care path. */
const MED_TYPE_BY_VISIT: Record<VisitType, string> = { inpatient: '21', 'special-outpatient': '14', outpatient: '11' };
/** 清算类别 (clr_type): 21 住院 for every inpatient-like medical type, 11 门诊 for the outpatient ones. */
const CLR_TYPE_BY_MED_TYPE: Record<string, string> = { '21': '21', '52': '21', '14': '11', '11': '11' };

/** The national settlement record (setlinfo). Amounts are yuan strings with two decimals. */
export interface NhsaSetlinfo {
  setl_id: string;
  mdtrt_id: string;
  medins_setl_id: string;
  psn_no: string;
  fixmedins_code: string;
  insutype: string;
  med_type: string | null;
  clr_type: string | null;
  begndate: string | null;
  enddate: string | null;
  setl_time: string | null;
  medfee_sumamt: string;
  fulamt_ownpay_amt: string;
  overlmt_selfpay: string;
  preselfpay_amt: string;
  inscp_scp_amt: string;
  act_pay_dedc: string;
  hifp_pay: string;
  cvlserv_pay: string;
  hifes_pay: string;
  hifmi_pay: string;
  hifob_pay: string;
  maf_pay: string;
  oth_pay: string;
  fund_pay_sumamt: string;
  psn_part_amt: string;
  acct_pay: string;
  acct_mulaid_pay: string;
  psn_cash_pay: string;
  cash_payamt: string;
  hosp_part_amt: string;
}

/** One fund's row (setldetail). */
export interface NhsaSetldetail {
  fund_pay_type: FundPayType;
  fund_pay_type_name: string;
  inscp_scp_amt: string | null;
  fund_payamt: string;
  setl_proc_info: string;
}

/** Fields of this product that the national record has no place for; prefixed so no one mistakes them. */
export interface NhsaExtension {
  status: 'settled' | 'rejected';
  rejection_code: string | null;
  policy: string | null;
  policy_version: string | null;
  insurance_year: number;
  care_path: CarePath | null;
}

/** One settlement as the national platform's record. */
export interface NhsaSettlementRecord {
  setlinfo: NhsaSetlinfo;
  setldetail: NhsaSetldetail[];
  ext: NhsaExtension;
}

const ZERO_TEXT = '0.00';

/** The trace entries that explain one fund's amount, joined into the row's 结算过程信息. */
function processInfo(settlement: Settlement, steps: readonly TraceStep[]): string {
  return settlement.trace
    .filter((entry) => steps.includes(entry.step))
    .map((entry) => `${entry.clause}: ${entry.detail}`)
    .join('; ');
}

/** The trace steps that set each fund's amount, so its row can cite the arithmetic. */
const STEPS_OF_FUND: Record<FundPayType, readonly TraceStep[]> = {
  '390100': ['deductible', 'ratio', 'basic', 'cap'],
  '390200': ['catastrophic'],
  '610100': ['assistance'],
  '999997': ['charity'],
};

/** 医疗类别 of a settlement: from its care path, else from the claim's visit type, else unknown (null). */
export function medTypeOf(settlement: Settlement, context: ClaimContext = {}): string | null {
  if (settlement.path !== null) return MED_TYPE_BY_PATH[settlement.path];
  return context.visitType === undefined ? null : MED_TYPE_BY_VISIT[context.visitType];
}

/**
 * The national record of a settlement: setlinfo with every amount, and one setldetail row per fund that
 * paid something (a fund without a row paid 0.00). A rejected claim keeps its record: every fund 0.00,
 * the patient's part the total, and `ext.rejection_code` saying why.
 */
export function toNhsaRecord(settlement: Settlement, context: ClaimContext = {}): NhsaSettlementRecord {
  const { amounts } = settlement;
  const fundSum = (amounts.basic + amounts.catastrophic + amounts.assistance + amounts.charity) as Fen;
  const medType = medTypeOf(settlement, context);
  const setlTime = context.settledAt === undefined ? undefined : toChinaTime(context.settledAt);
  const setlinfo: NhsaSetlinfo = {
    setl_id: settlement.claimId,
    mdtrt_id: settlement.claimId,
    medins_setl_id: settlement.claimId,
    psn_no: settlement.memberId,
    fixmedins_code: settlement.hospitalId,
    insutype: INSUTYPE_RESIDENT,
    med_type: medType,
    clr_type: medType === null ? null : (CLR_TYPE_BY_MED_TYPE[medType] ?? null),
    begndate: context.admittedOn ?? null,
    enddate: context.dischargedOn ?? null,
    setl_time: setlTime ?? null,
    medfee_sumamt: formatMoney(amounts.total),
    fulamt_ownpay_amt: formatMoney(amounts.fullOwnPay),
    overlmt_selfpay: ZERO_TEXT,
    preselfpay_amt: formatMoney(amounts.preSelfPay),
    inscp_scp_amt: formatMoney(amounts.policyScope),
    act_pay_dedc: formatMoney(amounts.deductible),
    hifp_pay: formatMoney(amounts.basic),
    cvlserv_pay: ZERO_TEXT,
    hifes_pay: ZERO_TEXT,
    hifmi_pay: formatMoney(amounts.catastrophic),
    hifob_pay: ZERO_TEXT,
    maf_pay: formatMoney(amounts.assistance),
    oth_pay: formatMoney(amounts.charity),
    fund_pay_sumamt: formatMoney(fundSum),
    psn_part_amt: formatMoney(amounts.patient),
    acct_pay: ZERO_TEXT,
    acct_mulaid_pay: ZERO_TEXT,
    psn_cash_pay: formatMoney(amounts.patient),
    cash_payamt: formatMoney(amounts.patient),
    hosp_part_amt: formatMoney(amounts.hospitalBorne),
  };
  const setldetail: NhsaSetldetail[] = [];
  for (const fund of FUND_PAY_TYPES) {
    const paid = amounts[fund.amount];
    if (paid === 0) continue;
    setldetail.push({
      fund_pay_type: fund.code,
      fund_pay_type_name: fund.name,
      // Only the basic fund pays against the policy scope as a whole; the later layers pay against
      // what the earlier ones left, which the national row has no field for.
      inscp_scp_amt: fund.code === '390100' ? formatMoney(amounts.policyScope) : null,
      fund_payamt: formatMoney(paid),
      setl_proc_info: processInfo(settlement, STEPS_OF_FUND[fund.code]),
    });
  }
  return {
    setlinfo,
    setldetail,
    ext: {
      status: settlement.status,
      rejection_code: settlement.rejection?.code ?? null,
      policy: settlement.policy,
      policy_version: settlement.policyVersion,
      insurance_year: settlement.year,
      care_path: settlement.path,
    },
  };
}
