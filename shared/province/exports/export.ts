/**
 * Export of one settlement in a standard format, validated before anyone sees it: a record that does
 * not validate is an exporter defect and must stop the export, not reach a partner.
 */
import type { Settlement } from '../../engine/settlement.js';
import { builtInPolicyBook, type PolicyBook } from '../../policy/book.js';
import { ExportValidationError } from '../errors.js';
import type { ClaimContext } from './context.js';
import { type FhirOptions, toFhirBundle } from './fhir.js';
import { toFhirEobBundle } from './fhir-eob.js';
import { toNhsaRecord } from './nhsa.js';
import { validateFhirBundle, validateNhsaRecord } from './schemas.js';

/** `fhir`: the claim's Bundle (Claim, one ClaimResponse per payer, funds); `fhir-eob`: the same Bundle led by the patient's ExplanationOfBenefit. */
export const EXPORT_FORMATS = ['nhsa', 'fhir', 'fhir-eob'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * The settlement in `format`, checked against its schema. The FHIR formats read caps and layers from
 * `policies` (the built-in packs by default); `fhir.reversed` marks a reversed settlement's resources `cancelled`.
 * @throws ExportValidationError when the record does not validate (or, for FHIR, has no settlement time).
 */
export function exportSettlement(
  format: ExportFormat,
  settlement: Settlement,
  context: ClaimContext = {},
  policies: PolicyBook = builtInPolicyBook(),
  fhir: Omit<FhirOptions, 'policies'> = {},
): object {
  let record: object;
  let issues;
  if (format === 'nhsa') {
    record = toNhsaRecord(settlement, context, policies);
    issues = validateNhsaRecord(record);
  } else if (format === 'fhir') {
    record = toFhirBundle(settlement, context, { ...fhir, policies });
    issues = validateFhirBundle(record);
  } else {
    record = toFhirEobBundle(settlement, context, { ...fhir, policies });
    issues = validateFhirBundle(record);
  }
  if (issues.length > 0) throw new ExportValidationError(format, settlement.claimId, issues);
  return record;
}
