/** Factories of national-interface requests, shaped as public HIS integrations send them. */
import { DEMO_ADULT, DEMO_FIXMEDINS_CODE } from '../../local/national/demo.js';

/** A 30-character msgid: institution code (12) + yyyyMMddHHmmss (14) + sequence (4). */
export function msgidOf(sequence: number, code = DEMO_FIXMEDINS_CODE, at = new Date()): string {
  const time = new Date(at.getTime() + 8 * 3_600_000).toISOString().replace(/[-:TZ.]/g, '').slice(0, 14);
  return `${code.padEnd(12, '0').slice(0, 12)}${time}${String(sequence % 10_000).padStart(4, '0')}`;
}

let sequence = 0;

/** An envelope for `infno` with `input`, as a HIS sends it. */
export function envelope(infno: string, input: Record<string, unknown>, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  sequence += 1;
  return {
    infno,
    msgid: msgidOf(sequence),
    mdtrtarea_admvs: '140702',
    insuplc_admdvs: '140702',
    recer_sys_code: 'FSI_LOCAL',
    dev_no: '',
    dev_safe_info: '',
    cainfo: '',
    signtype: 'SM2',
    infver: 'V1.0',
    opter_type: '1',
    opter: 'C001',
    opter_name: '收费员',
    inf_time: '2026-01-01 08:00:00',
    fixmedins_code: DEMO_FIXMEDINS_CODE,
    fixmedins_name: '晋中市第一人民医院（演示）',
    sign_no: '',
    input,
    ...overrides,
  };
}

/** yyyy-MM-dd HH:mm:ss of a day offset from today (China time), at a given hour. */
export function dayTime(daysFromToday: number, hour = 9): string {
  const day = new Date(Date.now() + 8 * 3_600_000 + daysFromToday * 86_400_000).toISOString().slice(0, 10);
  return `${day} ${String(hour).padStart(2, '0')}:00:00`;
}

/** 2401 input for the demo adult. */
export function admission(overrides: Record<string, unknown> = {}, psnNo = DEMO_ADULT): Record<string, unknown> {
  return {
    mdtrtinfo: {
      psn_no: psnNo,
      insutype: '390',
      coner_name: '张四',
      tel: '13800000000',
      begntime: dayTime(-10),
      mdtrt_cert_type: '02',
      mdtrt_cert_no: '140702197005201234',
      med_type: '21',
      ipt_no: 'ZY0001',
      medrcdno: 'BA0001',
      atddr_no: 'D001',
      chfpdr_name: '王医生',
      adm_diag_dscr: '社区获得性肺炎',
      adm_dept_codg: 'A03',
      adm_dept_name: '呼吸内科',
      adm_bed: '12',
      dscg_maindiag_code: 'J18.900',
      dscg_maindiag_name: '肺炎',
      main_cond_dscr: '',
      dise_codg: 'J18.900',
      dise_name: '肺炎',
      oprn_oprt_code: '',
      oprn_oprt_name: '',
      fpsc_no: '',
      matn_type: '',
      birctrl_type: '',
      latechb_flag: '',
      geso_val: null,
      fetts: null,
      fetus_cnt: null,
      pret_flag: '',
      birctrl_matn_date: '',
      dise_type_code: '',
      ...overrides,
    },
    diseinfo: [{ psn_no: psnNo, diag_type: '1', maindiag_flag: '1', diag_srt_no: 1, diag_code: 'J18.900', diag_name: '肺炎', diag_dept: '呼吸内科', dise_dor_no: 'D001', dise_dor_name: '王医生', diag_time: dayTime(-10) }],
  };
}

/** The demo catalogue codes a 20-line stay is made of, with amounts (yuan). */
export const STAY_LINES: readonly (readonly [string, number, number])[] = [
  ['001102000010000-110200001', 10, 30],
  ['001101000010000-110100001', 10, 12],
  ['001201000010000-120100001', 10, 25],
  ['002501000010000-250100001', 3, 20],
  ['002101000010000-210100001', 1, 380],
  ['XJ01DCC016B002010101445', 20, 18.5],
  ['XA02BCA211A001010104753', 14, 3.2],
  ['XB05BBA052B002010100133', 20, 4.75],
  ['ZA01AAA0001010100001', 6, 22.8],
  ['C03050100100001000001', 40, 0.6],
  ['002601000010000-260100001', 2, 220],
  ['XL01XCT000B001010100001', 1, 680],
  ['001199000010000-119900001', 10, 15],
  ['NOT-IN-CATALOGUE-0001', 1, 55],
  ['001102000010000-110200001', 1, 30],
  ['002501000010000-250100001', 1, 20],
  ['XJ01DCC016B002010101445', 2, 18.5],
  ['XA02BCA211A001010104753', 2, 3.2],
  ['XB05BBA052B002010100133', 4, 4.75],
  ['001201000010000-120100001', 1, 25],
];

/** 2301 feedetail rows of a visit (the 20-line stay unless lines are given). */
export function feeDetail(mdtrtId: string, psnNo = DEMO_ADULT, lines = STAY_LINES, firstSn = 1): Record<string, unknown>[] {
  return lines.map(([code, cnt, pric], index) => ({
    feedetl_sn: `FY${String(firstSn + index).padStart(6, '0')}`,
    init_feedetl_sn: '',
    mdtrt_id: mdtrtId,
    drord_no: `YZ${index}`,
    psn_no: psnNo,
    med_type: '21',
    fee_ocur_time: dayTime(-9 + (index % 8)),
    med_list_codg: code,
    medins_list_codg: `HIS-${code.slice(0, 10)}`,
    det_item_fee_sumamt: Math.round(cnt * pric * 100) / 100,
    cnt,
    pric,
    bilg_dept_codg: 'A03',
    bilg_dept_name: '呼吸内科',
    bilg_dr_codg: 'D001',
    bilg_dr_name: '王医生',
    acord_dept_codg: '',
    acord_dept_name: '',
    orders_dr_code: '',
    orders_dr_name: '',
    hosp_appr_flag: '1',
    tcmdrug_used_way: '',
    etip_flag: '',
    etip_hosp_code: '',
    dscg_tkdrug_flag: '',
    matn_fee_flag: '',
    memo: '',
  }));
}

/** 2402 input. */
export function dischargeOf(mdtrtId: string, psnNo = DEMO_ADULT, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    dscginfo: {
      mdtrt_id: mdtrtId,
      psn_no: psnNo,
      insutype: '390',
      endtime: dayTime(-1, 10),
      dise_codg: 'J18.900',
      dise_name: '肺炎',
      oprn_oprt_code: '',
      oprn_oprt_name: '',
      fpsc_no: '',
      matn_type: '',
      birctrl_type: '',
      latechb_flag: '',
      geso_val: null,
      fetts: null,
      fetus_cnt: null,
      pret_flag: '',
      birctrl_matn_date: '',
      cop_flag: '',
      dscg_dept_codg: 'A03',
      dscg_dept_name: '呼吸内科',
      dscg_bed: '12',
      dscg_way: '1',
      die_date: '',
      ...overrides,
    },
    diseinfo: [{ psn_no: psnNo, diag_type: '1', maindiag_flag: '1', diag_srt_no: 1, diag_code: 'J18.900', diag_name: '肺炎', diag_dept: '呼吸内科', dise_dor_no: 'D001', dise_dor_name: '王医生', diag_time: dayTime(-1) }],
  };
}

/** 2303 / 2304 input `data`. */
export function settleData(mdtrtId: string, medfeeSumamt: number, psnNo = DEMO_ADULT): Record<string, unknown> {
  return {
    data: {
      psn_no: psnNo,
      mdtrt_cert_type: '02',
      mdtrt_cert_no: '140702197005201234',
      medfee_sumamt: medfeeSumamt,
      psn_setlway: '01',
      mdtrt_id: mdtrtId,
      insutype: '390',
      acct_used_flag: '0',
      invono: '',
      mid_setl_flag: '0',
      fulamt_ownpay_amt: null,
      overlmt_selfpay: null,
      preselfpay_amt: null,
      inscp_scp_amt: null,
    },
  };
}

/** The sum of the stay's lines in yuan, as the HIS computes medfee_sumamt. */
export function stayTotal(lines = STAY_LINES): number {
  return Math.round(lines.reduce((sum, [, cnt, pric]) => sum + Math.round(cnt * pric * 100), 0)) / 100;
}
