/**
 * The national settlement record's check: every field against the national field list (names, types,
 * lengths, required, code tables) and the sums a HIS relies on. Used before any record leaves
 * (`claims export --format nhsa`, the gateway's 2303 / 2304 / 2305 answers).
 */
import * as z from 'zod';
import type { FieldIssue } from '../contract/errors.js';
import { REJECTION_CODES } from '../engine/settlement.js';
import { CARE_PATHS } from '../policy/schema.js';
import { SETLDETAIL_FIELDS, SETLINFO_FIELDS, validateFields } from './fields.js';
import { PAID_FUNDS } from './setlinfo.js';

const extensionSchema = z.strictObject({
  status: z.enum(['settled', 'rejected']),
  rejection_code: z.enum(REJECTION_CODES).nullable(),
  policy: z.string().nullable(),
  policy_version: z.string().nullable(),
  insurance_year: z.number().int(),
  care_path: z.enum(CARE_PATHS).nullable(),
  fixmedins_code: z.string().min(1).max(64),
  begndate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
  enddate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
  med_type_source: z.enum(['path', 'admission', 'visit', 'default']),
});

/** Fen of a yuan number (the validator has already checked it has at most two decimals). */
const fen = (value: unknown): number => (typeof value === 'number' ? Math.round(value * 100) : 0);

/** The sums of setlinfo a HIS computes with; each issue names the field that would be wrong. */
export function setlinfoSumIssues(info: Record<string, unknown>, prefix = 'setlinfo.'): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const funds = ['hifp_pay', 'cvlserv_pay', 'hifes_pay', 'hifmi_pay', 'hifob_pay', 'hifdm_pay', 'maf_pay', 'oth_pay', 'hosp_part_amt'].reduce((s, k) => s + fen(info[k]), 0);
  if (funds !== fen(info['fund_pay_sumamt'])) issues.push({ path: `${prefix}fund_pay_sumamt`, message: '必须等于各基金支出与医院负担金额之和 (must equal the funds plus hosp_part_amt)' });
  if (fen(info['fund_pay_sumamt']) + fen(info['psn_part_amt']) !== fen(info['medfee_sumamt'])) {
    issues.push({ path: `${prefix}psn_part_amt`, message: '必须等于医疗费总额减基金支付总额 (must equal medfee_sumamt − fund_pay_sumamt)' });
  }
  if (fen(info['acct_pay']) + fen(info['psn_cash_pay']) !== fen(info['psn_part_amt'])) {
    issues.push({ path: `${prefix}psn_cash_pay`, message: '个人账户支出与个人现金支出之和必须等于个人负担总金额 (acct_pay + psn_cash_pay must equal psn_part_amt)' });
  }
  const split = fen(info['fulamt_ownpay_amt']) + fen(info['overlmt_selfpay']) + fen(info['preselfpay_amt']) + fen(info['inscp_scp_amt']);
  if (split !== fen(info['medfee_sumamt'])) {
    issues.push({ path: `${prefix}inscp_scp_amt`, message: '全自费、超限价、先行自付与符合范围金额之和必须等于医疗费总额 (the scope split must add up to medfee_sumamt)' });
  }
  return issues;
}

/**
 * Checks a national settlement record ({setlinfo, setldetail, ext}).
 * @returns the issues, each naming its field path; empty when the record validates.
 */
export function validateNationalRecord(record: unknown): FieldIssue[] {
  if (record === null || typeof record !== 'object') return [{ path: '', message: 'must be an object' }];
  const { setlinfo, setldetail, ext, ...rest } = record as Record<string, unknown>;
  const issues: FieldIssue[] = Object.keys(rest).map((name) => ({ path: name, message: 'is not a part of the national record' }));
  issues.push(...validateFields(setlinfo, SETLINFO_FIELDS, 'setlinfo.'));
  if (!Array.isArray(setldetail)) issues.push({ path: 'setldetail', message: 'must be an array of fund rows' });
  else setldetail.forEach((row, index) => issues.push(...validateFields(row, SETLDETAIL_FIELDS, `setldetail.${index}.`)));
  const extension = extensionSchema.safeParse(ext);
  if (!extension.success) issues.push(...extension.error.issues.map((i) => ({ path: ['ext', ...i.path].join('.'), message: i.message })));
  if (issues.length > 0) return issues;
  const info = setlinfo as Record<string, unknown>;
  issues.push(...setlinfoSumIssues(info));
  const rows = setldetail as { fund_pay_type: string; fund_payamt: number }[];
  for (const fund of PAID_FUNDS) {
    const matching = rows.filter((row) => row.fund_pay_type === fund.code);
    const index = rows.findIndex((row) => row.fund_pay_type === fund.code);
    if (matching.length > 1) issues.push({ path: `setldetail.${index}.fund_pay_type`, message: `${fund.code} appears more than once` });
    const paid = matching[0] === undefined ? 0 : fen(matching[0].fund_payamt);
    if (paid !== fen(info[fund.field])) issues.push({ path: `setldetail.${Math.max(index, 0)}.fund_payamt`, message: `the ${fund.code} row must equal setlinfo.${fund.field}` });
  }
  for (const [index, row] of rows.entries()) {
    if (!PAID_FUNDS.some((fund) => fund.code === row.fund_pay_type)) issues.push({ path: `setldetail.${index}.fund_pay_type`, message: `${row.fund_pay_type} is not a fund this product pays` });
  }
  const { status, rejection_code: code } = extension.data!;
  if (status === 'rejected' && (fen(info['fund_pay_sumamt']) !== 0 || code === null)) {
    issues.push({ path: 'ext.status', message: 'a rejected settlement pays nothing from any fund and names its rejection code' });
  }
  return issues;
}
