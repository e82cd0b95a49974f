/**
 * The national field lists (name, type, length, required, code table) of the records this product
 * writes in the national interface's shape, and the one validator every such record passes before it
 * leaves: `claims export --format nhsa`, and every gateway answer in the tests.
 *
 * Types as the interface states them: `char n` (text of at most n characters), `number p,s` (a JSON
 * number with at most s decimals and p − s integer digits), `date` (yyyy-MM-dd), `datetime`
 * (yyyy-MM-dd HH:mm:ss). A required field is never null nor empty.
 */
import type { FieldIssue } from '../contract/errors.js';
import { CODE_TABLES, type CodeField } from './codes.js';

export type FieldType =
  | { readonly kind: 'char'; readonly length: number }
  | { readonly kind: 'number'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'date' }
  | { readonly kind: 'datetime' };

/** One field of a national record. */
export interface FieldSpec {
  readonly name: string;
  /** The interface's Chinese name of the field. */
  readonly zh: string;
  readonly type: FieldType;
  readonly required: boolean;
  /** The code table its value must come from, when this product holds that table. */
  readonly code?: CodeField;
}

const char = (length: number): FieldType => ({ kind: 'char', length });
const num = (precision: number, scale: number): FieldType => ({ kind: 'number', precision, scale });
const AMOUNT = num(16, 2);
const DATE: FieldType = { kind: 'date' };
const DATETIME: FieldType = { kind: 'datetime' };
const f = (name: string, zh: string, type: FieldType, required: boolean, code?: CodeField): FieldSpec => ({ name, zh, type, required, ...(code ? { code } : {}) });

/** setlinfo of 2304 / 2305 / 2207 (and 2303 / 2206, which answer the same record): 41 fields and hifdm_pay. */
export const SETLINFO_FIELDS: readonly FieldSpec[] = [
  f('mdtrt_id', '就诊ID', char(30), true),
  f('setl_id', '结算ID', char(30), true),
  f('psn_no', '人员编号', char(30), true),
  f('psn_name', '人员姓名', char(50), true),
  f('psn_cert_type', '人员证件类型', char(6), true),
  f('certno', '证件号码', char(50), true),
  f('gend', '性别', char(6), false),
  f('naty', '民族', char(3), false),
  f('brdy', '出生日期', DATE, false),
  f('age', '年龄', num(4, 1), false),
  f('insutype', '险种类型', char(6), true, 'insutype'),
  f('psn_type', '人员类别', char(6), true, 'psn_type'),
  f('cvlserv_flag', '公务员标志', char(3), true),
  f('setl_time', '结算时间', DATETIME, false),
  f('mdtrt_cert_type', '就诊凭证类型', char(3), false),
  f('med_type', '医疗类别', char(6), true, 'med_type'),
  f('medfee_sumamt', '医疗费总额', AMOUNT, true),
  f('fulamt_ownpay_amt', '全自费金额', AMOUNT, true),
  f('overlmt_selfpay', '超限价自费费用', AMOUNT, true),
  f('preselfpay_amt', '先行自付金额', AMOUNT, true),
  f('inscp_scp_amt', '符合政策范围金额', AMOUNT, true),
  f('act_pay_dedc', '实际支付起付线', AMOUNT, false),
  f('hifp_pay', '基本医疗保险统筹基金支出', AMOUNT, true),
  f('pool_prop_selfpay', '基本医疗保险统筹基金支付比例', num(5, 4), true),
  f('cvlserv_pay', '公务员医疗补助资金支出', AMOUNT, true),
  f('hifes_pay', '企业补充医疗保险基金支出', AMOUNT, true),
  f('hifmi_pay', '居民大病保险资金支出', AMOUNT, true),
  f('hifob_pay', '职工大额医疗费用补助基金支出', AMOUNT, true),
  f('hifdm_pay', '伤残人员医疗保障基金支出', AMOUNT, false),
  f('maf_pay', '医疗救助基金支出', AMOUNT, true),
  f('hosp_part_amt', '医院负担金额', AMOUNT, false),
  f('oth_pay', '其他支出', AMOUNT, true),
  f('fund_pay_sumamt', '基金支付总额', AMOUNT, true),
  f('psn_part_amt', '个人负担总金额', AMOUNT, false),
  f('acct_pay', '个人账户支出', AMOUNT, true),
  f('psn_cash_pay', '个人现金支出', AMOUNT, true),
  f('balc', '余额', AMOUNT, true),
  f('acct_mulaid_pay', '个人账户共济支付金额', AMOUNT, true),
  f('medins_setl_id', '医药机构结算ID', char(30), true),
  f('clr_optins', '清算经办机构', char(6), false),
  f('clr_way', '清算方式', char(6), false),
  f('clr_type', '清算类别', char(6), true, 'clr_type'),
];

/** setldetail: one row per fund. */
export const SETLDETAIL_FIELDS: readonly FieldSpec[] = [
  f('fund_pay_type', '基金支付类型', char(6), true, 'fund_pay_type'),
  f('inscp_scp_amt', '符合政策范围金额', AMOUNT, true),
  f('crt_payb_lmt_amt', '本次可支付限额金额', AMOUNT, true),
  f('fund_payamt', '基金支付金额', AMOUNT, true),
  f('fund_pay_type_name', '基金支付类型名称', char(200), false),
  f('setl_proc_info', '结算过程信息', char(4000), false),
];

/** 2301 output `result[]`: one row per uploaded fee line. */
export const FEE_RESULT_FIELDS: readonly FieldSpec[] = [
  f('feedetl_sn', '费用明细流水号', char(30), true),
  f('det_item_fee_sumamt', '明细项目费用总额', AMOUNT, true),
  f('cnt', '数量', num(16, 4), true),
  f('pric', '单价', num(16, 6), true),
  f('pric_uplmt_amt', '定价上限金额', num(16, 6), false),
  f('selfpay_prop', '自付比例', num(5, 4), true),
  f('fulamt_ownpay_amt', '全自费金额', AMOUNT, true),
  f('overlmt_amt', '超限价金额', AMOUNT, true),
  f('preselfpay_amt', '先行自付金额', AMOUNT, true),
  f('inscp_scp_amt', '符合政策范围金额', AMOUNT, true),
  f('chrgitm_lv', '收费项目等级', char(3), true),
  f('med_chrgitm_type', '医疗收费项目类别', char(6), true),
  f('bas_medn_flag', '基本药物标志', char(3), false),
  f('hi_nego_drug_flag', '医保谈判药品标志', char(3), false),
  f('chld_medc_flag', '儿童用药标志', char(3), false),
  f('list_sp_item_flag', '目录特项标志', char(3), false),
  f('lmt_used_flag', '限制使用标志', char(3), false),
  f('drt_reim_flag', '直报标志', char(3), false),
  f('memo', '备注', char(500), false),
];

/** 5206 output `cuminfo[]`. */
export const CUMINFO_FIELDS: readonly FieldSpec[] = [
  f('insutype', '险种类型', char(6), true, 'insutype'),
  f('year', '年度', char(4), true),
  f('cum_ym', '累计年月', char(6), false),
  f('cum_type_code', '累计类别代码', char(30), true, 'cum_type_code'),
  f('cum', '累计值', AMOUNT, true),
];

/** 1101 output `baseinfo`. */
export const BASEINFO_FIELDS: readonly FieldSpec[] = [
  f('psn_no', '人员编号', char(30), true),
  f('psn_cert_type', '人员证件类型', char(6), true),
  f('certno', '证件号码', char(50), true),
  f('psn_name', '人员姓名', char(50), true),
  f('gend', '性别', char(6), false),
  f('naty', '民族', char(3), false),
  f('brdy', '出生日期', DATE, false),
  f('age', '年龄', num(4, 1), false),
];

/** 1101 output `insuinfo[]`. */
export const INSUINFO_FIELDS: readonly FieldSpec[] = [
  f('balc', '余额', AMOUNT, true),
  f('insutype', '险种类型', char(6), true, 'insutype'),
  f('psn_type', '人员类别', char(6), true, 'psn_type'),
  f('psn_insu_stas', '人员参保状态', char(6), true),
  f('psn_insu_date', '个人参保日期', DATE, true),
  f('paus_insu_date', '暂停参保日期', DATE, false),
  f('cvlserv_flag', '公务员标志', char(3), true),
  f('insuplc_admdvs', '参保地医保区划', char(6), true),
  f('emp_name', '单位名称', char(200), false),
];

/** Every field list by record name, as the docs and the tests name them. */
export const RECORDS = {
  setlinfo: SETLINFO_FIELDS,
  setldetail: SETLDETAIL_FIELDS,
  feeResult: FEE_RESULT_FIELDS,
  cuminfo: CUMINFO_FIELDS,
  baseinfo: BASEINFO_FIELDS,
  insuinfo: INSUINFO_FIELDS,
} as const;

const DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const DATETIME_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;

/** The decimals of a finite number as JSON writes it (1e-7 style never occurs for our amounts). */
function decimalsOf(value: number): number {
  const text = String(value);
  const dot = text.indexOf('.');
  return text.includes('e') ? Number.POSITIVE_INFINITY : dot < 0 ? 0 : text.length - dot - 1;
}

function checkValue(spec: FieldSpec, value: unknown, path: string): FieldIssue | undefined {
  if (value === null || value === undefined || value === '') {
    return spec.required ? { path, message: `is required (${spec.zh})` } : undefined;
  }
  const { type } = spec;
  switch (type.kind) {
    case 'char':
      if (typeof value !== 'string') return { path, message: `must be text of at most ${type.length} characters (${spec.zh})` };
      if ([...value].length > type.length) return { path, message: `must be at most ${type.length} characters (${spec.zh}), has ${[...value].length}` };
      break;
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return { path, message: `must be a number (${type.precision},${type.scale}) (${spec.zh})` };
      if (decimalsOf(value) > type.scale) return { path, message: `must have at most ${type.scale} decimals (${spec.zh})` };
      if (Math.abs(Math.trunc(value)).toString().length > type.precision - type.scale) {
        return { path, message: `must have at most ${type.precision - type.scale} integer digits (${spec.zh})` };
      }
      break;
    }
    case 'date':
      if (typeof value !== 'string' || !DATE_PATTERN.test(value)) return { path, message: `must be a date yyyy-MM-dd (${spec.zh})` };
      break;
    case 'datetime':
      if (typeof value !== 'string' || !DATETIME_PATTERN.test(value)) return { path, message: `must be yyyy-MM-dd HH:mm:ss (${spec.zh})` };
      break;
  }
  if (spec.code && typeof value === 'string' && !CODE_TABLES[spec.code].byCode.has(value)) {
    return { path, message: `${value} is not a code of ${spec.code} (${CODE_TABLES[spec.code].title})` };
  }
  return undefined;
}

/**
 * Checks one record against a national field list: every field present (null only where not
 * required), no other field, each value of its type, length and code table.
 * @returns the issues, each naming the field path; empty when the record validates.
 */
export function validateFields(record: unknown, fields: readonly FieldSpec[], prefix = ''): FieldIssue[] {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return [{ path: prefix.replace(/\.$/, ''), message: 'must be an object' }];
  const issues: FieldIssue[] = [];
  const values = record as Record<string, unknown>;
  const known = new Set(fields.map((spec) => spec.name));
  for (const spec of fields) {
    const path = `${prefix}${spec.name}`;
    if (!(spec.name in values)) {
      issues.push({ path, message: `is missing (${spec.zh})` });
      continue;
    }
    const issue = checkValue(spec, values[spec.name], path);
    if (issue) issues.push(issue);
  }
  for (const name of Object.keys(values)) if (!known.has(name)) issues.push({ path: `${prefix}${name}`, message: 'is not a field of the national record' });
  return issues;
}

/** The decimals each numeric field is written with (amounts: 2), across every record. */
const SCALE_OF: ReadonlyMap<string, number> = new Map(
  Object.values(RECORDS)
    .flat()
    .flatMap((spec) => (spec.type.kind === 'number' ? [[spec.name, spec.type.scale] as const] : [])),
);

interface RawJson {
  rawJSON(text: string): unknown;
}

/**
 * JSON text of a national answer with every amount written with two decimals (`12.50`, never
 * `12.5`), as a HIS's decimal(16,2) models read it. The number itself is unchanged: only its text.
 */
export function nationalJson(value: unknown, space?: number): string {
  const raw = (JSON as unknown as RawJson).rawJSON;
  return JSON.stringify(
    value,
    (key, element: unknown) => {
      if (typeof element !== 'number' || !Number.isFinite(element)) return element;
      const scale = SCALE_OF.get(key);
      // Ratios (5,4), counts (16,4) and prices (16,6) keep their own digits: only amounts are padded.
      return scale === 2 ? raw(element.toFixed(2)) : element;
    },
    space,
  );
}
