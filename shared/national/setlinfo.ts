/**
 * A settlement as the national interface's settlement record: `setlinfo` (41 fields and hifdm_pay) and
 * `setldetail` (one row per fund), as a HIS reads them from 2304 / 2305 / 2207 and as
 * `claims export --format nhsa` writes them. docs/national-interface.md maps every field.
 *
 * How a HIS reads the split, and so how it is written here:
 * - `fulamt_ownpay_amt`, `preselfpay_amt`, `inscp_scp_amt` are the sums of the fee lines' own answers
 *   (2301): out-of-catalogue lines are full own pay whoever finally bears them, so the three add up to
 *   `medfee_sumamt` line by line.
 * - `hosp_part_amt` is the part the hospital bears (above a serious-disease quota); it is paid on the
 *   patient's behalf, so it is counted in `fund_pay_sumamt` and has a setldetail row (630100 医院减免金额).
 *   Then `medfee_sumamt − fund_pay_sumamt = psn_part_amt = psn_cash_pay`: the patient's cash, as every HIS
 *   computes it. What the agency pays the hospital is `fund_pay_sumamt − hosp_part_amt`.
 * - Charity is `oth_pay` with its row 999997 其他基金 (no national code names charity).
 */
import type { Settlement } from '../engine/settlement.js';
import type { TraceEntry } from '../engine/settlement.js';
import type { VisitType } from '../contract/claim.js';
import type { CarePath } from '../policy/schema.js';
import { type Fen, formatMoney } from '../money/money.js';
import { FIXED_CODES, FUND_PAY_TYPE, INSUTYPE_RESIDENT, clrTypeOf } from './codes.js';

/** Yuan as a JSON number (exact to the fen: fen / 100 is the nearest double, and toFixed(2) recovers it). */
export const yuan = (fen: number): number => fen / 100;

/** The person fields of setlinfo and 1101, as the registry holds them (masked names and ID numbers). */
export interface NationalPerson {
  readonly psn_name: string;
  readonly psn_cert_type: string;
  readonly certno: string;
  readonly gend: string | null;
  readonly naty: string | null;
  readonly brdy: string | null;
  readonly psn_type: string;
}

/** The scope split line by line, as the fee lines were answered (fen). */
export interface LineScope {
  readonly fullOwnPay: Fen;
  readonly preSelfPay: Fen;
  readonly policyScope: Fen;
}

/** What the national record says beyond the Settlement itself; every field but the ids is optional. */
export interface SettlementFacts {
  /** 就诊ID: issued at admission (2401); a claim sent to /claims is its own visit, so its claim id. */
  readonly mdtrtId?: string | undefined;
  /** 结算ID: issued at settlement; {@link settlementIdOf} by default. */
  readonly setlId?: string | undefined;
  /** 医药机构结算ID: the sender's message id (msgid of the 2304); the claim id when the claim came by /claims. */
  readonly medinsSetlId?: string | undefined;
  readonly person?: NationalPerson | undefined;
  readonly admittedOn?: string | undefined;
  readonly dischargedOn?: string | undefined;
  /** When the settlement was made (ISO 8601 instant). */
  readonly settledAt?: string | undefined;
  readonly visitType?: VisitType | undefined;
  /** 医疗类别 the HIS declared at admission, when it is one of the table's. */
  readonly medType?: string | undefined;
  readonly mdtrtCertType?: string | undefined;
  /** 清算经办机构: the member's pooling area code, when it is a 6-character division code. */
  readonly clrOptins?: string | undefined;
  readonly lineScope?: LineScope | undefined;
  /** Room left under the basic fund's annual cap before this settlement (crt_payb_lmt_amt of 390100). */
  readonly basicCapRoom?: Fen | undefined;
  readonly hospitalId?: string | undefined;
}

export interface NhsaSetlinfo {
  mdtrt_id: string;
  setl_id: string;
  psn_no: string;
  psn_name: string;
  psn_cert_type: string;
  certno: string;
  gend: string | null;
  naty: string | null;
  brdy: string | null;
  age: number | null;
  insutype: string;
  psn_type: string;
  cvlserv_flag: string;
  setl_time: string | null;
  mdtrt_cert_type: string | null;
  med_type: string;
  medfee_sumamt: number;
  fulamt_ownpay_amt: number;
  overlmt_selfpay: number;
  preselfpay_amt: number;
  inscp_scp_amt: number;
  act_pay_dedc: number;
  hifp_pay: number;
  pool_prop_selfpay: number;
  cvlserv_pay: number;
  hifes_pay: number;
  hifmi_pay: number;
  hifob_pay: number;
  hifdm_pay: number;
  maf_pay: number;
  hosp_part_amt: number;
  oth_pay: number;
  fund_pay_sumamt: number;
  psn_part_amt: number;
  acct_pay: number;
  psn_cash_pay: number;
  balc: number;
  acct_mulaid_pay: number;
  medins_setl_id: string;
  clr_optins: string | null;
  clr_way: string;
  clr_type: string;
}

export interface NhsaSetldetail {
  fund_pay_type: string;
  inscp_scp_amt: number;
  crt_payb_lmt_amt: number;
  fund_payamt: number;
  fund_pay_type_name: string;
  setl_proc_info: string;
}

/** The product's own facts with no national field, prefixed so no one mistakes them for the interface's. */
export interface NhsaExtension {
  status: 'settled' | 'rejected';
  rejection_code: string | null;
  policy: string | null;
  policy_version: string | null;
  insurance_year: number;
  care_path: CarePath | null;
  fixmedins_code: string;
  begndate: string | null;
  enddate: string | null;
  /** Where med_type came from: the path settled, the HIS's admission, the visit type, or a default for a bare rejected line. */
  med_type_source: 'path' | 'admission' | 'visit' | 'default';
}

export interface NhsaSettlementRecord {
  setlinfo: NhsaSetlinfo;
  setldetail: NhsaSetldetail[];
  ext: NhsaExtension;
}

/** The funds this product pays, in the one-stop order, with their setlinfo field and amount. */
export const PAID_FUNDS = [
  { code: '390100', field: 'hifp_pay', amount: 'basic' },
  { code: '390200', field: 'hifmi_pay', amount: 'catastrophic' },
  { code: '610100', field: 'maf_pay', amount: 'assistance' },
  { code: '999997', field: 'oth_pay', amount: 'charity' },
  { code: '630100', field: 'hosp_part_amt', amount: 'hospitalBorne' },
] as const satisfies readonly { code: string; field: keyof NhsaSetlinfo; amount: keyof Settlement['amounts'] }[];

const MED_TYPE_BY_PATH: Record<CarePath, string> = {
  inpatient: '21',
  'serious-disease': '21',
  'emergency-death': '21',
  childbirth: '52',
  'special-outpatient': '14',
  outpatient: '11',
};
const MED_TYPE_BY_VISIT: Record<VisitType, string> = { inpatient: '21', 'special-outpatient': '14', outpatient: '11' };

/** 医疗类别 of a settlement, and where it came from (never null: a HIS requires it). */
export function medTypeOf(settlement: Pick<Settlement, 'path'>, facts: Pick<SettlementFacts, 'medType' | 'visitType'> = {}): { medType: string; source: NhsaExtension['med_type_source'] } {
  // A childbirth or emergency admission the HIS declared keeps its code when the path agrees with it.
  if (facts.medType !== undefined && settlement.path !== null && MED_TYPE_BY_PATH[settlement.path] === '21' && ['21', '24'].includes(facts.medType)) {
    return { medType: facts.medType, source: 'admission' };
  }
  if (settlement.path !== null) return { medType: MED_TYPE_BY_PATH[settlement.path], source: 'path' };
  if (facts.medType !== undefined) return { medType: facts.medType, source: 'admission' };
  if (facts.visitType !== undefined) return { medType: MED_TYPE_BY_VISIT[facts.visitType], source: 'visit' };
  return { medType: '21', source: 'default' };
}

/**
 * 结算ID of a claim: `S` + 29 characters of a stable digest of hospital and claim, so it is distinct
 * from the visit's id, fits the interface's 30 characters, and is the same wherever it is computed
 * (gateway, export) without being stored. FNV-1a over UTF-16 units, four lanes, base 36.
 */
export function settlementIdOf(hospitalId: string, claimId: string, version = 1): string {
  // A correction's new version is a new settlement in the national sense: its own setl_id.
  const text = version > 1 ? `${hospitalId}\u0000${claimId}\u0000v${version}` : `${hospitalId}\u0000${claimId}`;
  let out = '';
  for (let lane = 0; lane < 4; lane++) {
    let hash = (0x811c9dc5 ^ (lane * 0x9e3779b9)) >>> 0;
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    out += hash.toString(36).padStart(7, '0').slice(-7);
  }
  return `S${out}${text.length.toString(36).slice(-1)}`;
}

/** The fund's ratio applied by the basic fund, from the engine's trace when it carries it, else derived. */
function basicRatioOf(settlement: Settlement): number {
  for (const entry of settlement.trace as readonly (TraceEntry & { kind?: string; facts?: { ratio?: number } })[]) {
    if ((entry.kind === 'basic.formula' || entry.kind === 'basic.serious-disease') && typeof entry.facts?.ratio === 'number') return entry.facts.ratio / 10_000;
  }
  const { basic, policyScope, deductible } = settlement.amounts;
  const base = policyScope - deductible;
  // A settlement read back from JSON: the ratio the payment implies, to four decimals.
  return basic === 0 || base <= 0 ? 0 : Math.min(1, Math.round((basic / base) * 10_000) / 10_000);
}

/** Whole years between a birth date and a day (both yyyy-MM-dd). */
export function ageOn(birthDate: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** `yyyy-MM-dd HH:mm:ss` in China Standard Time of an ISO instant, or null. */
export function chinaTime(instant: string | undefined): string | null {
  if (instant === undefined) return null;
  const millis = Date.parse(instant);
  if (Number.isNaN(millis)) return null;
  const shifted = new Date(millis + 8 * 3_600_000).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 19)}`;
}

/** The person of a record the registry did not supply: no name or number is invented. */
export function unknownPerson(psnNo: string): NationalPerson {
  return { psn_name: '*', psn_cert_type: FIXED_CODES.psn_cert_type.other, certno: psnNo, gend: null, naty: null, brdy: null, psn_type: '1499' };
}

const pct = (ratio: number): string => `${Math.round(ratio * 10_000) / 100}%`;

/**
 * The national record of a settlement. A rejected claim keeps a complete record: every fund 0.00, the
 * whole bill full own pay and the patient's part, and `ext.rejection_code` saying why.
 */
export function toNationalRecord(settlement: Settlement, facts: SettlementFacts = {}): NhsaSettlementRecord {
  const a = settlement.amounts;
  const settled = settlement.status === 'settled';
  const { medType, source } = medTypeOf(settlement, facts);
  const person = facts.person ?? unknownPerson(settlement.memberId);
  // The line-level split a HIS sums from its 2301 answers; without the lines, the engine's own split
  // (the same on every path but serious disease, where the quota replaces it).
  const lines: LineScope = !settled
    ? { fullOwnPay: a.total, preSelfPay: 0 as Fen, policyScope: 0 as Fen }
    : (facts.lineScope ?? { fullOwnPay: a.fullOwnPay, preSelfPay: a.preSelfPay, policyScope: (a.policyScope + a.hospitalBorne) as Fen });
  const ratio = settled ? basicRatioOf(settlement) : 0;
  const fundSum = a.basic + a.catastrophic + a.assistance + a.charity + a.hospitalBorne;
  const mdtrtId = facts.mdtrtId ?? settlement.claimId;
  const setlinfo: NhsaSetlinfo = {
    mdtrt_id: mdtrtId,
    setl_id: facts.setlId ?? settlementIdOf(settlement.hospitalId, settlement.claimId),
    psn_no: settlement.memberId,
    psn_name: person.psn_name,
    psn_cert_type: person.psn_cert_type,
    certno: person.certno,
    gend: person.gend,
    naty: person.naty,
    brdy: person.brdy,
    age: person.brdy !== null && facts.admittedOn !== undefined ? ageOn(person.brdy, facts.admittedOn) : null,
    insutype: INSUTYPE_RESIDENT,
    psn_type: person.psn_type,
    cvlserv_flag: FIXED_CODES.cvlserv_flag.no,
    setl_time: chinaTime(facts.settledAt),
    mdtrt_cert_type: facts.mdtrtCertType ?? null,
    med_type: medType,
    medfee_sumamt: yuan(a.total),
    fulamt_ownpay_amt: yuan(lines.fullOwnPay),
    overlmt_selfpay: 0,
    preselfpay_amt: yuan(lines.preSelfPay),
    inscp_scp_amt: yuan(lines.policyScope),
    act_pay_dedc: yuan(a.deductible),
    hifp_pay: yuan(a.basic),
    pool_prop_selfpay: ratio,
    cvlserv_pay: 0,
    hifes_pay: 0,
    hifmi_pay: yuan(a.catastrophic),
    hifob_pay: 0,
    hifdm_pay: 0,
    maf_pay: yuan(a.assistance),
    hosp_part_amt: yuan(a.hospitalBorne),
    oth_pay: yuan(a.charity),
    fund_pay_sumamt: yuan(fundSum),
    psn_part_amt: yuan(a.patient),
    acct_pay: 0,
    psn_cash_pay: yuan(a.patient),
    balc: 0,
    acct_mulaid_pay: 0,
    medins_setl_id: facts.medinsSetlId ?? settlement.claimId,
    clr_optins: facts.clrOptins !== undefined && /^\d{6}$/.test(facts.clrOptins) ? facts.clrOptins : null,
    clr_way: FIXED_CODES.clr_way.itemised,
    clr_type: clrTypeOf(medType),
  };
  return { setlinfo, setldetail: setldetailOf(settlement, ratio, facts), ext: extensionOf(settlement, facts, source) };
}

function extensionOf(settlement: Settlement, facts: SettlementFacts, source: NhsaExtension['med_type_source']): NhsaExtension {
  return {
    status: settlement.status,
    rejection_code: settlement.rejection?.code ?? null,
    policy: settlement.policy,
    policy_version: settlement.policyVersion,
    insurance_year: settlement.year,
    care_path: settlement.path,
    fixmedins_code: facts.hospitalId ?? settlement.hospitalId,
    begndate: facts.admittedOn ?? null,
    enddate: facts.dischargedOn ?? null,
    med_type_source: source,
  };
}

/**
 * One row per fund that paid, and always the basic fund's row (a rejected claim shows it paid 0.00 and
 * the room it had). Each row's `inscp_scp_amt` is what that fund paid against: the policy scope for
 * the basic fund, what the earlier funds left for the later ones (R29's order), the part above the
 * quota for the hospital's row.
 */
function setldetailOf(settlement: Settlement, ratio: number, facts: SettlementFacts): NhsaSetldetail[] {
  const a = settlement.amounts;
  const rows: NhsaSetldetail[] = [];
  let left = settlement.status === 'settled' ? a.policyScope : 0;
  for (const fund of PAID_FUNDS) {
    const paid = a[fund.amount];
    const base = fund.code === '630100' ? a.hospitalBorne : left;
    if (fund.code !== '630100') left = Math.max(0, left - paid) as Fen;
    if (paid === 0 && fund.code !== '390100') continue;
    const room = fund.code === '390100' && facts.basicCapRoom !== undefined ? facts.basicCapRoom : Math.max(base, paid);
    rows.push({
      fund_pay_type: fund.code,
      inscp_scp_amt: yuan(base),
      crt_payb_lmt_amt: yuan(room),
      fund_payamt: yuan(paid),
      fund_pay_type_name: FUND_PAY_TYPE.byCode.get(fund.code)?.name ?? fund.code,
      setl_proc_info: processInfo(settlement, fund.code, base, ratio),
    });
  }
  return rows;
}

/** 结算过程信息: one short Chinese sentence per row; the full bilingual trace stays with the settlement. */
function processInfo(settlement: Settlement, code: string, base: number, ratio: number): string {
  const a = settlement.amounts;
  const m = formatMoney;
  if (settlement.status === 'rejected') return `不予支付：${settlement.rejection?.code ?? ''}`;
  switch (code) {
    case '390100':
      return settlement.path === 'serious-disease'
        ? `重大疾病定额内${m(a.policyScope)}×${pct(ratio)}=${m(a.basic)}`
        : `政策范围内${m(a.policyScope)}，起付线${m(a.deductible)}，支付比例${pct(ratio)}，统筹支付${m(a.basic)}`;
    case '390200':
      return `合规自付${m(base as Fen)}，大病保险支付${m(a.catastrophic)}`;
    case '610100':
      return `剩余${m(base as Fen)}，医疗救助支付${m(a.assistance)}`;
    case '999997':
      return `慈善救助支付${m(a.charity)}`;
    default:
      return `超出定额部分由医院负担${m(a.hospitalBorne)}`;
  }
}
