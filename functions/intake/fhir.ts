/**
 * `GET /claims/{hospitalId}/{claimId}/fhir`: the stored settlement as the FHIR Bundle of
 * docs/exports.md (the Claim, one ClaimResponse per payer, the funds), validated before it is sent.
 * The Bundle is of the claim's current version and says which (`Bundle.meta.versionId`). The Claim
 * has no items here: the stored settlement is the source.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { StoredSettlement } from '../storage/items.js';
import { exportSettlement } from '../../shared/province/exports/export.js';
import { readSettlementRecord } from '../../shared/province/settlement-record.js';

/** The media type of FHIR JSON (FHIR R4 http: `application/fhir+json`). */
export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/**
 * The answer for a stored settlement: 200 with the Bundle; a reversed settlement's resources are
 * `cancelled`.
 * @throws ExportValidationError when the Bundle does not validate (an exporter defect, a 500).
 */
export function fhirBundleAnswer(stored: StoredSettlement): APIGatewayProxyStructuredResultV2 {
  const record = readSettlementRecord({ status: stored.status, dischargedOn: stored.dischargedOn, settledAt: stored.settledAt, settlement: stored.settlement }, stored.key);
  const bundle = exportSettlement('fhir', record.settlement, { dischargedOn: record.dischargedOn, settledAt: record.settledAt, version: stored.version }, undefined, { reversed: record.status === 'reversed' });
  return { statusCode: 200, headers: { 'content-type': FHIR_JSON }, body: JSON.stringify(bundle) };
}
