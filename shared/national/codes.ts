/**
 * The national interface's code tables this product reads and writes (insutype, med_type, clr_type,
 * fund_pay_type, psn_type, cum_type_code), kept as data files in `codes/`, each naming its source. They are validated
 * when the module loads: a malformed table is a build defect, never a wrong answer to a HIS.
 */
import * as z from 'zod';
import insutypeFile from './codes/insutype.json' with { type: 'json' };
import medTypeFile from './codes/med_type.json' with { type: 'json' };
import clrTypeFile from './codes/clr_type.json' with { type: 'json' };
import fundPayTypeFile from './codes/fund_pay_type.json' with { type: 'json' };
import psnTypeFile from './codes/psn_type.json' with { type: 'json' };
import cumTypeCodeFile from './codes/cum_type_code.json' with { type: 'json' };
import { VISIT_TYPES } from '../contract/claim.js';

const entry = (codeMax: number) => z.object({ code: z.string().min(1).max(codeMax), name: z.string().min(1) });
const table = <T extends z.ZodRawShape>(extra: T, codeMax = 6) =>
  z.strictObject({ table: z.string(), title: z.string(), source: z.string().min(20), codes: z.array(entry(codeMax).extend(extra).strict()).min(1) });

const insutypeSchema = table({ settled: z.boolean() });
const medTypeSchema = table({ visit: z.enum(VISIT_TYPES), clr_type: z.string() });
const clrTypeSchema = table({});
const fundPayTypeSchema = table({ paid: z.boolean() });
const psnTypeSchema = table({});
/** The member's stored year-to-date totals a 5206 row reports (a count for admissions, fen for the rest). */
export const CUMULATED_TOTALS = ['admissions', 'basicPaid', 'outpatientPaid', 'compliantSelfPay', 'catastrophicPaid', 'assistancePaid', 'outpatientDeductibleUsed', 'seriousDiseasePaid'] as const;
const cumTypeCodeSchema = table({ totals: z.enum(CUMULATED_TOTALS) }, 30);

/** A code table as loaded: its codes by code, its title and source. */
export interface CodeTable<E extends { code: string; name: string }> {
  readonly table: string;
  readonly title: string;
  readonly source: string;
  readonly codes: readonly E[];
  readonly byCode: ReadonlyMap<string, E>;
}

function load<S extends z.ZodType<{ table: string; title: string; source: string; codes: { code: string; name: string }[] }>>(schema: S, file: unknown): CodeTable<z.output<S>['codes'][number]> {
  const parsed = schema.parse(file);
  const byCode = new Map(parsed.codes.map((e) => [e.code, e] as const));
  if (byCode.size !== parsed.codes.length) throw new Error(`code table ${parsed.table} lists a code twice`);
  return { ...parsed, byCode };
}

export const INSUTYPE = load(insutypeSchema, insutypeFile);
export const MED_TYPE = load(medTypeSchema, medTypeFile);
export const CLR_TYPE = load(clrTypeSchema, clrTypeFile);
export const FUND_PAY_TYPE = load(fundPayTypeSchema, fundPayTypeFile);
export const PSN_TYPE = load(psnTypeSchema, psnTypeFile);
export const CUM_TYPE_CODE = load(cumTypeCodeSchema, cumTypeCodeFile);

/** Every loaded table by its field name, for the validator and the docs. */
export const CODE_TABLES = { insutype: INSUTYPE, med_type: MED_TYPE, clr_type: CLR_TYPE, fund_pay_type: FUND_PAY_TYPE, psn_type: PSN_TYPE, cum_type_code: CUM_TYPE_CODE } as const;
export type CodeField = keyof typeof CODE_TABLES;

/** 险种类型 of the resident scheme: the only one settled here. */
export const INSUTYPE_RESIDENT = '390';

/** The name of a code in a table, or undefined when the table does not hold it. */
export function codeName(field: CodeField, code: string): string | undefined {
  return CODE_TABLES[field].byCode.get(code)?.name;
}

/** 清算类别 of a medical type (21 住院 for the inpatient types, 11 门诊 for the outpatient ones). */
export function clrTypeOf(medType: string): string {
  const found = MED_TYPE.byCode.get(medType);
  if (!found) throw new RangeError(`med_type ${medType} is not in the code table`);
  return found.clr_type;
}

/**
 * Small fixed dictionaries written as constants because only one value of each is ever produced or
 * because they are the national standard's own (GB/T 2261.1 for gend).
 */
export const FIXED_CODES = {
  /** 人员证件类型: 01 居民身份证（户口簿）, 99 其他身份证件 (the agency's person number when no ID number is held). */
  psn_cert_type: { identityCard: '01', other: '99' },
  /** 就诊凭证类型: 01 电子凭证, 02 居民身份证, 03 社会保障卡. */
  mdtrt_cert_type: ['01', '02', '03'] as readonly string[],
  /** 性别 (GB/T 2261.1): 1 男, 2 女, 9 未说明. */
  gend: { male: '1', female: '2', unknown: '9' },
  /** 公务员标志: 0 否 (residents are never civil servants of the employees' scheme). */
  cvlserv_flag: { no: '0' },
  /** 清算方式: 1 按项目 (fee for service: every settlement here is itemised). */
  clr_way: { itemised: '1' },
} as const;
