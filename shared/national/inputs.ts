/**
 * The `input` of each transaction, as public HIS integrations shape it (field names and types of the
 * national interface), as strict-enough zod schemas: the fields this product reads are checked and
 * named on error; the many a HIS sends that settlement has no use for (doctor names, bed numbers…) are
 * accepted as text and ignored (docs/national-interface.md lists them).
 */
import * as z from 'zod';
import { type Fen, MAX_LINE_FEN, tryParseMoney } from '../money/money.js';
import { INSUTYPE, MED_TYPE } from './codes.js';

const DATETIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;
const required = (max: number) => z.string().min(1).max(max);
const optional = (max: number) => z.string().max(max).nullish();
const datetime = z.string().regex(DATETIME, '必须为 yyyy-MM-dd HH:mm:ss（must be yyyy-MM-dd HH:mm:ss）');
const yyyymm = z.string().regex(/^\d{4}(0[1-9]|1[0-2])$/, '必须为 yyyyMM（must be yyyyMM）');
const date = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, '必须为 yyyy-MM-dd（must be yyyy-MM-dd）');

/** A decimal(16,2) amount, sent as a JSON number (or as text by some clients), read into fen without floats accumulating. */
const amount = z.union([z.number(), z.string()]).transform((value, ctx): Fen => {
  // A JSON number of yuan: exact when it has at most two decimals (x × 100 is then within rounding of an integer).
  const scaled = typeof value === 'number' ? value * 100 : Number.NaN;
  const fen = typeof value === 'number' ? (Number.isFinite(scaled) && scaled >= 0 && Math.abs(scaled - Math.round(scaled)) < 1e-6 ? (Math.round(scaled) as Fen) : undefined) : tryParseMoney(value);
  if (fen === undefined) ctx.addIssue({ code: 'custom', message: '必须为不小于0、最多两位小数的金额（must be an amount ≥ 0 with at most two decimals）' });
  else if (fen > MAX_LINE_FEN) ctx.addIssue({ code: 'custom', message: '金额超出范围（amount too large）' });
  else return fen;
  return z.NEVER;
});
/** A count or a price: any finite number (or numeric text). */
const decimal = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]).transform((value) => Number(value));

const residentInsutype = z.string().refine((code) => code === '390', {
  message: `险种类型应为390城乡居民基本医疗保险（only ${INSUTYPE.byCode.get('390')?.name} is settled here）`,
});
const medType = z.enum(MED_TYPE.codes.map((entry) => entry.code) as [string, ...string[]]);

/** 9001 签到 input `signIn`. */
export const signInInput = z.looseObject({ signIn: z.looseObject({ opter_no: optional(30), mac: optional(30), ip: optional(40) }).default({}) });

/** 9002 签退 input `signOut`: the sign_no of the 9001 it ends (not kept, so not checked). */
export const signOutInput = z.looseObject({ signOut: z.looseObject({ sign_no: optional(30), opter_no: optional(30) }).default({}) });

/** 1101 人员信息获取 input `data`. */
export const personQueryInput = z.looseObject({
  data: z.looseObject({
    mdtrt_cert_type: z.enum(['01', '02', '03']),
    mdtrt_cert_no: required(50),
    card_sn: optional(32),
    begntime: optional(19),
    psn_cert_type: optional(6),
    certno: optional(50),
    psn_name: optional(50),
    psn_no: optional(30),
  }),
});

const diagnosis = z.looseObject({
  psn_no: optional(30),
  diag_type: optional(3),
  maindiag_flag: optional(3),
  diag_srt_no: z.union([z.number(), z.string()]).nullish(),
  diag_code: required(20),
  diag_name: required(255),
  diag_dept: optional(50),
  dise_dor_no: optional(30),
  dise_dor_name: optional(50),
  diag_time: optional(19),
});

/**
 * The disease, operation and maternity fields that 2401 (admission) and 2402 (discharge) both carry,
 * with the interface's lengths: one definition, so the two transactions cannot drift apart.
 */
const DISEASE_AND_MATERNITY = {
  dise_codg: optional(30),
  dise_name: optional(300),
  oprn_oprt_code: optional(30),
  oprn_oprt_name: optional(500),
  fpsc_no: optional(30),
  matn_type: optional(6),
  birctrl_type: optional(6),
  latechb_flag: optional(3),
  geso_val: z.union([z.number(), z.string()]).nullish(),
  fetts: z.union([z.number(), z.string()]).nullish(),
  fetus_cnt: z.union([z.number(), z.string()]).nullish(),
  pret_flag: optional(3),
  birctrl_matn_date: optional(10),
};

/** 2401 入院办理 / 2201 门诊挂号 input: `mdtrtinfo` and `diseinfo[]`. */
export const admissionInput = z.looseObject({
  mdtrtinfo: z.looseObject({
    psn_no: required(30),
    insutype: residentInsutype,
    coner_name: optional(50),
    tel: optional(50),
    begntime: datetime,
    mdtrt_cert_type: z.enum(['01', '02', '03']),
    mdtrt_cert_no: required(50),
    med_type: medType,
    ipt_no: optional(30),
    medrcdno: optional(30),
    atddr_no: optional(30),
    chfpdr_name: optional(50),
    adm_diag_dscr: optional(200),
    adm_dept_codg: optional(30),
    adm_dept_name: optional(100),
    adm_bed: optional(30),
    dscg_maindiag_code: optional(30),
    dscg_maindiag_name: optional(300),
    main_cond_dscr: optional(2000),
    ...DISEASE_AND_MATERNITY,
    dise_type_code: optional(30),
  }),
  diseinfo: z.array(diagnosis).default([]),
});

/** 2404 / 2405 / 2202 cancellations: `data` with the visit and person. */
export const visitRefInput = z.looseObject({
  data: z.looseObject({ mdtrt_id: required(30), psn_no: required(30), ipt_otp_no: optional(30) }),
});

/** 2301 / 2204 fee detail upload: `feedetail[]` (27 fields). */
export const feeLine = z.looseObject({
  feedetl_sn: required(30),
  init_feedetl_sn: optional(30),
  mdtrt_id: required(30),
  drord_no: optional(30),
  psn_no: required(30),
  med_type: medType,
  fee_ocur_time: datetime,
  med_list_codg: required(50),
  medins_list_codg: required(150),
  det_item_fee_sumamt: amount,
  cnt: decimal,
  pric: decimal,
  bilg_dept_codg: optional(30),
  bilg_dept_name: optional(100),
  bilg_dr_codg: optional(30),
  bilg_dr_name: optional(50),
  acord_dept_codg: optional(30),
  acord_dept_name: optional(100),
  orders_dr_code: optional(30),
  orders_dr_name: optional(50),
  hosp_appr_flag: optional(3),
  tcmdrug_used_way: optional(6),
  etip_flag: optional(3),
  etip_hosp_code: optional(30),
  dscg_tkdrug_flag: optional(3),
  matn_fee_flag: optional(3),
  memo: optional(500),
  exp_content: z.unknown().optional(),
});
export type FeeLineInput = z.output<typeof feeLine>;
export const feeUploadInput = z.looseObject({ feedetail: z.array(feeLine).min(1).max(5_000) });

/** 2302 / 2205 fee detail cancellation: `data` (feedetl_sn "0000" cancels every line of the visit). */
export const feeCancelInput = z.looseObject({
  data: z.looseObject({ feedetl_sn: required(30), mdtrt_id: required(30), psn_no: required(30), chrg_bchno: optional(30), expContent: z.unknown().optional() }),
});

/** 2402 出院办理 input: `dscginfo` and `diseinfo[]`. */
export const dischargeInput = z.looseObject({
  dscginfo: z.looseObject({
    mdtrt_id: required(30),
    psn_no: required(30),
    insutype: residentInsutype,
    endtime: datetime,
    ...DISEASE_AND_MATERNITY,
    cop_flag: optional(3),
    dscg_dept_codg: optional(30),
    dscg_dept_name: optional(100),
    dscg_bed: optional(30),
    dscg_way: optional(6),
    die_date: optional(10),
  }),
  diseinfo: z.array(diagnosis).default([]),
});

/** 2303 / 2304 / 2206 / 2207 settlement input `data`. */
export const settleInput = z.looseObject({
  data: z.looseObject({
    psn_no: required(30),
    mdtrt_cert_type: z.enum(['01', '02', '03']),
    mdtrt_cert_no: required(50),
    medfee_sumamt: amount,
    psn_setlway: z.string().max(6).nullish(),
    mdtrt_id: required(30),
    chrg_bchno: optional(30),
    insutype: residentInsutype,
    acct_used_flag: optional(3),
    invono: optional(20),
    mid_setl_flag: optional(3),
    fulamt_ownpay_amt: amount.nullish(),
    overlmt_selfpay: amount.nullish(),
    preselfpay_amt: amount.nullish(),
    inscp_scp_amt: amount.nullish(),
    med_type: medType.nullish(),
    dscgTime: optional(19),
    exp_content: z.unknown().optional(),
  }),
});

/** 2305 / 2208 settlement cancellation `data`. */
export const settleCancelInput = z.looseObject({
  data: z.looseObject({ mdtrt_id: required(30), setl_id: required(30), psn_no: required(30), exp_content: z.unknown().optional() }),
});

/** 2601 冲正 `data`. */
export const reversalInput = z.looseObject({ data: z.looseObject({ psn_no: optional(30), omsgid: required(30), oinfno: z.string().regex(/^\d{4}$/, '必须为4位交易编号（must be an infno）') }) });

/** 5206 人员累计信息查询 `data`. */
export const cumulativeInput = z.looseObject({ data: z.looseObject({ psn_no: required(30), cum_ym: yyyymm.nullish() }) });

/** 3201 医药机构费用结算对总账 `data`. */
export const totalsReconcileInput = z.looseObject({
  data: z.looseObject({
    insutype: residentInsutype,
    clr_type: z.enum(['11', '21']),
    setl_optins: optional(6),
    stmt_begndate: date,
    stmt_enddate: date,
    medfee_sumamt: amount,
    fund_pay_sumamt: amount,
    acct_pay: amount.nullish(),
    fixmedins_setl_cnt: z.union([z.number().int().min(0), z.string().regex(/^\d+$/).transform(Number)]),
  }),
});

/** 3202 医药机构费用结算对明细账 `data`, with the detail rows inline or uploaded before by 9101. */
export const detailReconcileInput = z.looseObject({
  data: z.looseObject({
    setl_optins: optional(6),
    file_qury_no: optional(100),
    stmt_begndate: date,
    stmt_enddate: date,
    medfee_sumamt: amount,
    fund_pay_sumamt: amount,
    cash_payamt: amount.nullish(),
    fixmedins_setl_cnt: z.union([z.number().int().min(0), z.string().regex(/^\d+$/).transform(Number)]),
    refd_setl_flag: optional(3),
    clr_type: z.enum(['11', '21']).nullish(),
  }),
});

/** 9101 文件上传 `fsUploadIn`: the file as text (the detail rows of 3202), named. */
export const fileUploadInput = z.looseObject({
  fsUploadIn: z.looseObject({ in: z.string().min(1).max(4 * 1024 * 1024), filename: required(200), fixmedins_code: optional(30) }),
});
