/**
 * The FHIR resources of a settlement other than the payers' responses: the Claim as the hospital sent
 * it, the Patient, the hospital and each fund as Organizations, one Coverage per fund; and the ids,
 * dates and payers that every resource of the Bundle (and the ExplanationOfBenefit) agrees on.
 */
import type {
  Claim,
  ClaimItem,
  CodeableConcept,
  Coverage,
  Organization,
  Patient,
  Reference,
} from 'fhir/r4.js';
import type { Settlement } from '../../engine/settlement.js';
import type { LoadedPolicy, PolicyBook } from '../../policy/book.js';
import type { Policy } from '../../policy/schema.js';
import { ExportValidationError } from '../errors.js';
import type { ClaimContext } from './context.js';
import { FHIR_PAYERS, FHIR_SYSTEMS, type FhirPayer, money, narrative, stableUuid, yuan } from './fhir-codes.js';
import { medTypeOf } from './nhsa.js';

/** What the FHIR exports may consult besides the settlement: the policies, for caps and layers. */
export interface FhirOptions {
  /** The book the settlement's policy is read from (caps left, which layers a path has). */
  readonly policies?: PolicyBook | undefined;
  /** The settlement was reversed (冲销): Claim, ClaimResponses and EOB are `cancelled`. */
  readonly reversed?: boolean | undefined;
}

/** The status of the financial resources: `cancelled` once reversed. */
export const statusOf = (options: FhirOptions): 'active' | 'cancelled' => (options.reversed ? 'cancelled' : 'active');

/** The in-bundle address of a resource: `urn:uuid:` of its stable uuid. */
export const fullUrlOf = (resource: { id?: string | undefined }): string => `urn:uuid:${resource.id ?? ''}`;
/** A reference to a resource of the Bundle, by its full URL. */
export const ref = (resource: { id?: string | undefined }, display?: string): Reference => ({ reference: fullUrlOf(resource), ...(display ? { display } : {}) });

/** The resource ids of one claim's export, stable across exports (see `stableUuid`). */
export function fhirIds(settlement: Pick<Settlement, 'hospitalId' | 'claimId' | 'memberId' | 'year'>) {
  const { hospitalId, claimId, memberId, year } = settlement;
  return {
    bundle: stableUuid('Bundle', hospitalId, claimId),
    claim: stableUuid('Claim', hospitalId, claimId),
    eob: stableUuid('ExplanationOfBenefit', hospitalId, claimId),
    eobBundle: stableUuid('Bundle', 'eob', hospitalId, claimId),
    response: (payer: FhirPayer) => stableUuid('ClaimResponse', hospitalId, claimId, payer.fund),
    patient: stableUuid('Patient', memberId),
    hospital: stableUuid('Organization', 'fixmedins', hospitalId),
    fund: (payer: FhirPayer) => stableUuid('Organization', 'fund', payer.fund),
    coverage: (payer: FhirPayer) => stableUuid('Coverage', memberId, String(year), payer.fund),
  };
}

/**
 * `created` of every resource: when the settlement was made. The pipeline's `settledAt` when the
 * record has it; otherwise the discharge date, because one-stop settlement is made on discharge
 * (出院即时结算) and a date is a valid FHIR dateTime at day precision. A record with neither is refused.
 * @throws ExportValidationError naming `settledAt` when the record has neither.
 */
export function createdOf(settlement: Settlement, context: ClaimContext): string {
  if (context.settledAt !== undefined && !Number.isNaN(Date.parse(context.settledAt))) return new Date(Date.parse(context.settledAt)).toISOString();
  if (context.dischargedOn !== undefined) return context.dischargedOn;
  throw new ExportValidationError('fhir', settlement.claimId, [
    { path: 'settledAt', message: 'is required for FHIR (created is the settlement time): export stored settlements, or settlement lines that carry dischargedOn' },
  ]);
}

/** The policy of the settlement, when the book has that version. */
export function policyOf(settlement: Settlement, options: FhirOptions): Policy | undefined {
  if (settlement.policy === null) return undefined;
  const loaded: LoadedPolicy | undefined = options.policies?.get(settlement.policy);
  return loaded && loaded.policy.version === settlement.policyVersion ? loaded.policy : undefined;
}

/**
 * The payers that paid or were considered, in one-stop order. The basic fund always (it decides
 * eligibility); a later layer when it paid, or when the policy has it for the claim's care path.
 */
export function payersOf(settlement: Settlement, policy: Policy | undefined): FhirPayer[] {
  const path = settlement.path;
  const offered: Record<FhirPayer['amount'], boolean> = {
    basic: true,
    catastrophic: path !== null && (policy?.catastrophic?.paths.includes(path) ?? false),
    assistance: path !== null && ((policy?.assistance?.paths.includes(path) ?? false) || (path === 'serious-disease' && Boolean(policy?.seriousDisease?.assistance))),
    charity: path === 'serious-disease' && Boolean(policy?.seriousDisease?.charity),
  };
  return FHIR_PAYERS.filter((payer) => offered[payer.amount] || settlement.amounts[payer.amount] > 0);
}

/** The claim type: institutional for stays (med_type 21, 52), professional for visits (11, 14). */
export function claimTypeOf(settlement: Settlement, context: ClaimContext): CodeableConcept {
  const medType = medTypeOf(settlement, context);
  if (medType === null) return { text: '未知（未进入待遇计算且未给出就诊类型）' };
  const code = medType === '21' || medType === '52' ? 'institutional' : 'professional';
  return { coding: [{ system: FHIR_SYSTEMS.claimType, code }], text: `医疗类别 ${medType}` };
}

/** `billablePeriod` from the claim's dates, when known. */
export const billablePeriodOf = (context: ClaimContext) =>
  context.admittedOn || context.dischargedOn ? { billablePeriod: { ...(context.admittedOn ? { start: context.admittedOn } : {}), ...(context.dischargedOn ? { end: context.dischargedOn } : {}) } } : {};

/** The Patient: the member number only (no name, no ID number leaves the agency). */
export function patientResource(settlement: Settlement): Patient {
  const id = fhirIds(settlement).patient;
  return {
    resourceType: 'Patient',
    id,
    text: narrative(`参保人 ${settlement.memberId}`),
    identifier: [{ system: FHIR_SYSTEMS.psnNo, value: settlement.memberId }],
  };
}

/** The hospital (定点医疗机构) as an Organization. */
export function hospitalResource(settlement: Settlement): Organization {
  return {
    resourceType: 'Organization',
    id: fhirIds(settlement).hospital,
    text: narrative(`定点医疗机构 ${settlement.hospitalId}`),
    identifier: [{ system: FHIR_SYSTEMS.fixmedinsCode, value: settlement.hospitalId }],
    active: true,
    type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'prov' }], text: '定点医疗机构' }],
    name: `定点医疗机构 ${settlement.hospitalId}`,
  };
}

/** A fund as an Organization, identified by its national fund payment type (the same in every export). */
export function fundResource(settlement: Settlement, payer: FhirPayer): Organization {
  return {
    resourceType: 'Organization',
    id: fhirIds(settlement).fund(payer),
    text: narrative(`${payer.name}（基金支付类型 ${payer.fund}）`),
    identifier: [{ system: FHIR_SYSTEMS.fundPayType, value: payer.fund }],
    active: true,
    type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'pay' }], text: payer.label }],
    name: payer.name,
  };
}

/** The member's cover by one fund for the insurance year. */
export function coverageResource(settlement: Settlement, payer: FhirPayer): Coverage {
  const ids = fhirIds(settlement);
  const fund = { id: ids.fund(payer) };
  return {
    resourceType: 'Coverage',
    id: ids.coverage(payer),
    text: narrative(`${settlement.memberId} ${settlement.year} 年度 ${payer.label}`, settlement.policy ? [`政策 ${settlement.policy} ${settlement.policyVersion ?? ''}`.trim()] : ['无有效政策']),
    status: 'active',
    subscriberId: settlement.memberId,
    beneficiary: ref({ id: ids.patient }),
    relationship: { coding: [{ system: FHIR_SYSTEMS.subscriberRelationship, code: 'self' }] },
    period: { start: `${settlement.year}-01-01`, end: `${settlement.year}-12-31` },
    payor: [ref(fund, payer.name)],
    ...(settlement.policy
      ? { class: [{ type: { coding: [{ system: FHIR_SYSTEMS.coverageClass, code: 'plan' }] }, value: settlement.policy, name: `${settlement.policy} ${settlement.policyVersion ?? ''}`.trim() }] }
      : {}),
  };
}

function claimItems(context: ClaimContext): ClaimItem[] | undefined {
  if (context.items === undefined || context.items.length === 0) return undefined;
  return context.items.map((item, index) => ({
    sequence: index + 1,
    category: { coding: [{ system: FHIR_SYSTEMS.itemCategory, code: item.category }], text: item.category },
    productOrService: {
      ...(item.code ? { coding: [{ system: FHIR_SYSTEMS.itemCode, code: item.code }] } : {}),
      text: item.name ?? item.category,
    },
    net: money(item.amount),
  }));
}

/** The Claim as received: the hospital's lines (when known) and the payers in one-stop order. */
export function claimResource(settlement: Settlement, context: ClaimContext, payers: readonly FhirPayer[], created: string, status: 'active' | 'cancelled' = 'active'): Claim {
  const ids = fhirIds(settlement);
  const items = claimItems(context);
  return {
    resourceType: 'Claim',
    id: ids.claim,
    text: narrative(`住院/门诊费用申报 ${settlement.claimId}（${settlement.hospitalId}）`, [
      `参保人 ${settlement.memberId}`,
      `医疗费总额 ${yuan(settlement.amounts.total)}`,
      `结算顺序：${payers.map((payer) => payer.label).join(' → ')}`,
    ]),
    identifier: [{ system: FHIR_SYSTEMS.medinsSetlId, value: settlement.claimId, assigner: ref({ id: ids.hospital }) }],
    status,
    type: claimTypeOf(settlement, context),
    use: 'claim',
    patient: ref({ id: ids.patient }),
    ...billablePeriodOf(context),
    created,
    insurer: ref({ id: ids.fund(FHIR_PAYERS[0]!) }, FHIR_PAYERS[0]!.name),
    provider: ref({ id: ids.hospital }),
    priority: { coding: [{ system: FHIR_SYSTEMS.processPriority, code: 'normal' }] },
    insurance: payers.map((payer, index) => ({ sequence: index + 1, focal: index === 0, coverage: ref({ id: ids.coverage(payer) }, payer.label) })),
    ...(items ? { item: items } : {}),
    total: money(settlement.amounts.total),
  };
}
