/**
 * A settlement as FHIR R4, the way a FHIR reader expects coordination of benefits to look: one
 * `collection` Bundle per claim with
 *
 * - the Claim as the hospital sent it, `insurance[]` in the one-stop order (basic fund → catastrophic →
 *   assistance → charity, R29), `sequence` 1… and the basic fund `focal`;
 * - one ClaimResponse per payer that paid or was considered, each from that fund (an Organization) with
 *   HL7 adjudication categories (`submitted`, `eligible`, `deductible`, `copay`, `benefit`); from the
 *   second payer on, its `insurance[]` lists the earlier payers with their ClaimResponses, and its
 *   `submitted` is what they left the patient, so the patient's share is readable down the chain;
 * - the Patient, the hospital and the funds as resources, and one Coverage per fund.
 *
 * A valid claim that is not payable is processed: the basic fund's response has outcome `complete`,
 * benefit 0 and the rejection as the adjudication reason and a process note (`error` would say the claim
 * itself was faulty, which is what INVALID_CLAIM means, and such a claim has no settlement to export).
 *
 * FHIR JSON writes Money.value as a JSON number. The value is formed from the exact decimal string
 * (`Number("925.88")`), and JSON.stringify prints the shortest text that reads back as the same double,
 * which for an amount with two decimals below 2^53 fen is that same decimal string: nothing is lost.
 */
import type { Bundle, BundleEntry, FhirResource } from 'fhir/r4.js';
import type { Settlement } from '../../engine/settlement.js';
import type { ClaimContext } from './context.js';
import { claimResponseResource } from './fhir-response.js';
import {
  type FhirOptions,
  claimResource,
  coverageResource,
  createdOf,
  fhirIds,
  fullUrlOf,
  fundResource,
  hospitalResource,
  patientResource,
  payersOf,
  policyOf,
  statusOf,
} from './fhir-resources.js';

export { type FhirOptions, createdOf } from './fhir-resources.js';
export { traceNote } from './fhir-response.js';

const entry = (resource: FhirResource): BundleEntry => ({ fullUrl: fullUrlOf(resource), resource });

/**
 * The Bundle of one settlement: Claim, one ClaimResponse per payer (chained), Patient, hospital,
 * funds and coverages.
 * @throws ExportValidationError when the record has no settlement time and no discharge date.
 */
export function toFhirBundle(settlement: Settlement, context: ClaimContext = {}, options: FhirOptions = {}): Bundle {
  const created = createdOf(settlement, context);
  const payers = payersOf(settlement, policyOf(settlement, options));
  const claim = claimResource(settlement, context, payers, created, statusOf(options));
  const responses = payers.map((_, index) => claimResponseResource(settlement, context, payers, index, created, statusOf(options)));
  const resources: FhirResource[] = [
    claim,
    ...responses,
    patientResource(settlement),
    hospitalResource(settlement),
    ...payers.map((payer) => fundResource(settlement, payer)),
    ...payers.map((payer) => coverageResource(settlement, payer)),
  ];
  return {
    resourceType: 'Bundle',
    id: fhirIds(settlement).bundle,
    type: 'collection',
    // Which settlement version this is: 1 as first settled, then one more for each correction's re-settlement.
    ...(context.version !== undefined ? { meta: { versionId: String(context.version) } } : {}),
    // Bundle.timestamp is an instant: only a settlement time with seconds and zone qualifies.
    ...(created.length > 10 ? { timestamp: created } : {}),
    entry: resources.map(entry),
  };
}
