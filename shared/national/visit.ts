/**
 * A visit (就诊) as the national interface builds it up over separate calls: admission (2401 / 2201),
 * fee lines (2301 / 2204, undone by 2302 / 2205), discharge (2402, undone by 2405), then settlement.
 * Each transition is pure: the gateway reads the stored visit, applies one, and writes it back under
 * its version. A settled visit becomes one claim of the contract (`claimOfVisit`), settled by the same
 * pipeline and engine as a claim posted to /claims.
 */
import type { ChildbirthKind, ClaimInput, VisitType } from '../contract/claim.js';
import { type Fen, formatMoney, formatRatio, type Ratio } from '../money/money.js';
import type { Policy } from '../policy/schema.js';
import { type RegistryHospital, type RegistryMember, enrolmentFor } from '../registry/registry.js';
import { type Catalogue, answerLine } from './catalogue.js';
import { MED_TYPE } from './codes.js';
import { NationalRequestError } from './envelope.js';
import type { FeeLineInput } from './inputs.js';
import { yuan, type LineScope } from './setlinfo.js';

/** One fee line as uploaded and answered. Amounts in fen, ratios in ten-thousandths. */
export interface StoredFeeLine {
  readonly sn: string;
  readonly code: string;
  readonly hospitalCode: string;
  readonly name: string | null;
  readonly amount: number;
  readonly cnt: number;
  readonly pric: number;
  readonly at: string;
  readonly category: string;
  readonly selfPayRatio: number | null;
  readonly fullOwnPay: number;
  readonly preSelfPay: number;
  readonly inScope: number;
  readonly selfPayShare: number;
  readonly chrgitmLv: string;
  readonly medChrgitmType: string;
  readonly memo: string | null;
  /** The msgid of the upload, so a 冲正 of that upload removes exactly its lines. */
  readonly msgid: string;
}

/** A visit's settlement attempt: the claim sent to the pipeline and the 2304 that sent it. */
export interface VisitSettlement {
  readonly claimId: string;
  readonly setlId: string;
  readonly msgid: string;
  readonly at: string;
}

/** A visit as stored. */
export interface VisitState {
  readonly mdtrtId: string;
  readonly hospitalId: string;
  readonly psnNo: string;
  readonly medType: string;
  readonly visitType: VisitType;
  readonly begntime: string;
  readonly admittedOn: string;
  readonly mdtrtCertType: string;
  readonly admissionMsgid: string;
  readonly status: 'admitted' | 'discharged' | 'cancelled';
  readonly diagnosis: string | null;
  readonly matnType: string | null;
  readonly endtime: string | null;
  readonly dischargedOn: string | null;
  readonly died: boolean;
  readonly dischargeMsgid: string | null;
  readonly fees: readonly StoredFeeLine[];
  /** Settlement attempts in order; the last one is current unless reversed. */
  readonly settlements: readonly VisitSettlement[];
  /** Claim ids of the attempts reversed (2305 / 2601). */
  readonly reversed: readonly string[];
}

const VISIT_OF_MED_TYPE = new Map(MED_TYPE.codes.map((entry) => [entry.code, entry.visit] as const));

/** Whether a transaction family (inpatient 24xx/23xx, outpatient 22xx) takes a medical type. */
export function checkMedTypeFor(family: 'inpatient' | 'outpatient', medType: string, field: string): VisitType {
  const visit = VISIT_OF_MED_TYPE.get(medType)!;
  if (family === 'inpatient' && visit !== 'inpatient') throw new NationalRequestError(field, `住院交易的医疗类别应为住院类（21/24/52），收到${medType}`);
  if (family === 'outpatient' && visit === 'inpatient') throw new NationalRequestError(field, `门诊交易的医疗类别应为门诊类（11/14），收到${medType}`);
  return visit;
}

/** The visit a new admission opens. */
export function admit(args: {
  mdtrtId: string;
  hospitalId: string;
  msgid: string;
  family: 'inpatient' | 'outpatient';
  info: { psn_no: string; med_type: string; begntime: string; mdtrt_cert_type: string; dscg_maindiag_code?: string | null | undefined; dise_codg?: string | null | undefined; matn_type?: string | null | undefined };
  diagnoses: readonly { diag_code: string; maindiag_flag?: string | null | undefined }[];
}): VisitState {
  const { info } = args;
  const visitType = checkMedTypeFor(args.family, info.med_type, 'input.mdtrtinfo.med_type');
  const main = args.diagnoses.find((d) => d.maindiag_flag === '1') ?? args.diagnoses[0];
  return {
    mdtrtId: args.mdtrtId,
    hospitalId: args.hospitalId,
    psnNo: info.psn_no,
    medType: info.med_type,
    visitType,
    begntime: info.begntime,
    admittedOn: info.begntime.slice(0, 10),
    mdtrtCertType: info.mdtrt_cert_type,
    admissionMsgid: args.msgid,
    status: 'admitted',
    diagnosis: info.dscg_maindiag_code ?? info.dise_codg ?? main?.diag_code ?? null,
    matnType: info.matn_type ?? null,
    endtime: null,
    dischargedOn: visitType === 'inpatient' ? null : info.begntime.slice(0, 10),
    died: false,
    dischargeMsgid: null,
    fees: [],
    settlements: [],
    reversed: [],
  };
}

/** The current settlement attempt of a visit, unless it was reversed. */
export function currentSettlement(visit: VisitState): VisitSettlement | undefined {
  const last = visit.settlements.at(-1);
  return last === undefined || visit.reversed.includes(last.claimId) ? undefined : last;
}

function refuseIfSettled(visit: VisitState, field: string): void {
  const current = currentSettlement(visit);
  if (current) throw new NationalRequestError(field, `该就诊已结算（setl_id ${current.setlId}），请先撤销结算（2305）`);
}

/** Checks that a request names this visit's person and that the visit is open. */
export function checkVisit(visit: VisitState | undefined, mdtrtId: string, psnNo: string | null | undefined, field: string): VisitState {
  if (!visit || visit.status === 'cancelled') throw new NationalRequestError(`${field}.mdtrt_id`, `就诊ID ${mdtrtId} 不存在或已撤销`);
  if (psnNo && psnNo !== visit.psnNo) throw new NationalRequestError(`${field}.psn_no`, `人员编号与就诊登记不符（the visit is of another person）`);
  return visit;
}

/** 2404 / 2202: cancelling an admission with no fee lines left and no settlement. */
export function cancelAdmission(visit: VisitState): VisitState {
  refuseIfSettled(visit, 'input.data.mdtrt_id');
  if (visit.fees.length > 0) throw new NationalRequestError('input.data.mdtrt_id', `该就诊还有${visit.fees.length}条费用明细，请先撤销（2302）`);
  return { ...visit, status: 'cancelled' };
}

/**
 * 2301 / 2204: fee lines added to the visit and answered one by one from the catalogue and the policy
 * in force on the admission date. A line number already on the visit, a line of another visit or a
 * refund line (negative count) is refused naming its field: refunds are 2302 of the original line.
 */
export function uploadFees(visit: VisitState, lines: readonly FeeLineInput[], msgid: string, catalogue: Catalogue, policy: Policy | undefined): { visit: VisitState; added: StoredFeeLine[] } {
  refuseIfSettled(visit, 'input.feedetail');
  const known = new Set(visit.fees.map((fee) => fee.sn));
  const added: StoredFeeLine[] = [];
  lines.forEach((line, index) => {
    const at = `input.feedetail.${index}`;
    if (line.mdtrt_id !== visit.mdtrtId) throw new NationalRequestError(`${at}.mdtrt_id`, `与本批明细的就诊ID ${visit.mdtrtId} 不符`);
    if (line.psn_no !== visit.psnNo) throw new NationalRequestError(`${at}.psn_no`, '人员编号与就诊登记不符');
    if (known.has(line.feedetl_sn)) throw new NationalRequestError(`${at}.feedetl_sn`, `费用明细流水号${line.feedetl_sn}已上传，不能重复`);
    if (line.cnt < 0 || line.init_feedetl_sn) throw new NationalRequestError(`${at}.cnt`, '退费明细请以2302撤销原明细后重新上传（refund lines: cancel the original line with 2302）');
    if (line.fee_ocur_time.slice(0, 10) < visit.admittedOn) throw new NationalRequestError(`${at}.fee_ocur_time`, `费用发生时间早于入院时间${visit.begntime}`);
    known.add(line.feedetl_sn);
    const entry = catalogue.entry(line.med_list_codg);
    const a = answerLine(line.med_list_codg, line.det_item_fee_sumamt, entry, policy);
    added.push({
      sn: line.feedetl_sn,
      code: line.med_list_codg,
      hospitalCode: line.medins_list_codg,
      name: entry?.name ?? null,
      amount: line.det_item_fee_sumamt,
      cnt: line.cnt,
      pric: line.pric,
      at: line.fee_ocur_time,
      category: a.category,
      selfPayRatio: a.selfPayRatio ?? null,
      fullOwnPay: a.fullOwnPay,
      preSelfPay: a.preSelfPay,
      inScope: a.inScope,
      selfPayShare: a.selfPayShare,
      chrgitmLv: a.chrgitmLv,
      medChrgitmType: a.medChrgitmType,
      memo: a.memo,
      msgid,
    });
  });
  return { visit: { ...visit, fees: [...visit.fees, ...added] }, added };
}

/** The 2301 answer row of a stored line (national field names, amounts in yuan). */
export function feeResultOf(line: StoredFeeLine): Record<string, unknown> {
  return {
    feedetl_sn: line.sn,
    det_item_fee_sumamt: yuan(line.amount),
    cnt: line.cnt,
    pric: line.pric,
    pric_uplmt_amt: null,
    selfpay_prop: line.selfPayShare / 10_000,
    fulamt_ownpay_amt: yuan(line.fullOwnPay),
    overlmt_amt: 0,
    preselfpay_amt: yuan(line.preSelfPay),
    inscp_scp_amt: yuan(line.inScope),
    chrgitm_lv: line.chrgitmLv,
    med_chrgitm_type: line.medChrgitmType,
    bas_medn_flag: null,
    hi_nego_drug_flag: null,
    chld_medc_flag: null,
    list_sp_item_flag: null,
    lmt_used_flag: null,
    drt_reim_flag: null,
    memo: line.memo,
  };
}

/** 2302 / 2205: one line (by feedetl_sn) or every line ("0000") removed. */
export function cancelFees(visit: VisitState, sn: string): VisitState {
  refuseIfSettled(visit, 'input.data.feedetl_sn');
  if (sn === '0000') return { ...visit, fees: [] };
  if (!visit.fees.some((fee) => fee.sn === sn)) throw new NationalRequestError('input.data.feedetl_sn', `费用明细流水号${sn}不存在`);
  return { ...visit, fees: visit.fees.filter((fee) => fee.sn !== sn) };
}

/** 2601 of a fee upload: the lines that upload added removed. */
export function cancelFeesOfUpload(visit: VisitState, msgid: string): VisitState {
  refuseIfSettled(visit, 'input.data.omsgid');
  return { ...visit, fees: visit.fees.filter((fee) => fee.msgid !== msgid) };
}

/** 2402: discharge. The main diagnosis decides a serious disease; 离院方式 5 is death. */
export function discharge(
  visit: VisitState,
  info: { endtime: string; dise_codg?: string | null | undefined; dscg_way?: string | null | undefined; matn_type?: string | null | undefined },
  diagnoses: readonly { diag_code: string; maindiag_flag?: string | null | undefined }[],
  msgid: string,
): VisitState {
  refuseIfSettled(visit, 'input.dscginfo.mdtrt_id');
  if (visit.visitType !== 'inpatient') throw new NationalRequestError('input.dscginfo.mdtrt_id', '门诊就诊无需办理出院');
  if (visit.status === 'discharged') throw new NationalRequestError('input.dscginfo.mdtrt_id', `已于${visit.endtime}办理出院，请先撤销出院（2405）`);
  if (info.endtime < visit.begntime) throw new NationalRequestError('input.dscginfo.endtime', `出院时间早于入院时间${visit.begntime}`);
  const main = diagnoses.find((d) => d.maindiag_flag === '1') ?? diagnoses[0];
  return {
    ...visit,
    status: 'discharged',
    endtime: info.endtime,
    dischargedOn: info.endtime.slice(0, 10),
    diagnosis: info.dise_codg ?? main?.diag_code ?? visit.diagnosis,
    matnType: info.matn_type ?? visit.matnType,
    died: info.dscg_way === '5',
    dischargeMsgid: msgid,
  };
}

/** 2405: the discharge undone (before settlement). */
export function cancelDischarge(visit: VisitState): VisitState {
  refuseIfSettled(visit, 'input.data.mdtrt_id');
  if (visit.status !== 'discharged') throw new NationalRequestError('input.data.mdtrt_id', '该就诊未办理出院');
  return { ...visit, status: 'admitted', endtime: null, dischargedOn: null, died: false, dischargeMsgid: null };
}

/** The visit's lines split as their answers said: what a HIS sums into setlinfo. */
export function lineScopeOfVisit(visit: VisitState): LineScope {
  let fullOwnPay = 0;
  let preSelfPay = 0;
  let policyScope = 0;
  for (const fee of visit.fees) {
    fullOwnPay += fee.fullOwnPay;
    preSelfPay += fee.preSelfPay;
    policyScope += fee.inScope;
  }
  return { fullOwnPay: fullOwnPay as Fen, preSelfPay: preSelfPay as Fen, policyScope: policyScope as Fen };
}

/** The sum of the visit's lines. */
export function visitTotal(visit: VisitState): Fen {
  return visit.fees.reduce((sum, fee) => sum + fee.amount, 0) as Fen;
}

/** 生育类别 → the contract's delivery kind: 2 caesarean, 3 complicated, else natural (this product's reading). */
function childbirthOf(visit: VisitState): ChildbirthKind | undefined {
  if (visit.medType !== '52') return undefined;
  return visit.matnType === '2' ? 'caesarean' : visit.matnType === '3' ? 'complicated' : 'natural';
}

/**
 * The claim of the contract a visit settles as: the registry's member and hospital, the catalogue's
 * categories on every line, the agency's serious-disease list on the main diagnosis. `claimId` names
 * the attempt (a visit settled again after a cancellation is a new claim).
 * @throws NationalRequestError when the visit cannot be settled yet (not discharged, no lines) or the
 *   hospital has no tier for the member's region.
 */
export function claimOfVisit(visit: VisitState, claimId: string, member: RegistryMember, hospital: RegistryHospital, catalogue: Catalogue, submittedOn: string): ClaimInput {
  if (visit.dischargedOn === null) throw new NationalRequestError('input.data.mdtrt_id', '住院结算前须先办理出院（2402）');
  if (visit.fees.length === 0) throw new NationalRequestError('input.data.mdtrt_id', '该就诊没有费用明细，请先上传（2301）');
  const tier = hospital.tiers[member.region];
  if (tier === undefined) throw new NationalRequestError('fixmedins_code', `定点机构${hospital.id}在${member.region}的医院等级未登记`);
  const disease = visit.diagnosis ? catalogue.seriousDisease(visit.diagnosis) : undefined;
  const childbirth = childbirthOf(visit);
  const enrolment = enrolmentFor(member, Number(visit.dischargedOn.slice(0, 4)));
  return {
    claimId,
    submittedOn,
    member: { id: member.id, region: member.region, birthDate: member.birthDate, categories: [...member.categories], enrolment: { ...enrolment } },
    hospital: { id: hospital.id, tier, designated: hospital.designated, primaryCare: hospital.primaryCare, outsidePoolingArea: hospital.poolingArea !== member.poolingArea },
    visit: {
      type: visit.visitType,
      admittedOn: visit.admittedOn,
      dischargedOn: visit.dischargedOn,
      emergency: visit.medType === '24',
      referral: false,
      cause: 'illness',
      ...(childbirth ? { childbirth } : {}),
      ...(disease && visit.visitType === 'inpatient' ? { seriousDisease: { code: disease.code, group: disease.group, quota: formatMoney(disease.quota) } } : {}),
      died: visit.died,
    },
    items: visit.fees.map((fee) => ({
      code: fee.code,
      ...(fee.name ? { name: fee.name } : {}),
      category: fee.category as ClaimInput['items'][number]['category'],
      amount: formatMoney(fee.amount as Fen),
      ...(fee.category === 'class-b' && fee.selfPayRatio !== null ? { selfPayRatio: formatRatio(fee.selfPayRatio as Ratio) } : {}),
    })),
  };
}
