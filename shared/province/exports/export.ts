/**
 * Export of one settlement in a standard format, validated before anyone sees it: a record that does
 * not validate is an exporter defect and must stop the export, not reach a partner.
 */
import type { Settlement } from '../../engine/settlement.js';
import { ExportValidationError } from '../errors.js';
import type { ClaimContext } from './context.js';
import { toFhirClaimResponse } from './fhir.js';
import { toNhsaRecord } from './nhsa.js';
import { validateFhirClaimResponse, validateNhsaRecord } from './schemas.js';

export const EXPORT_FORMATS = ['nhsa', 'fhir'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * The settlement in `format`, checked against its schema.
 * @throws ExportValidationError when the record does not validate.
 */
export function exportSettlement(format: ExportFormat, settlement: Settlement, context: ClaimContext = {}): object {
  const record = format === 'nhsa' ? toNhsaRecord(settlement, context) : toFhirClaimResponse(settlement, context);
  const issues = format === 'nhsa' ? validateNhsaRecord(record) : validateFhirClaimResponse(record);
  if (issues.length > 0) throw new ExportValidationError(format, settlement.claimId, issues);
  return record;
}
