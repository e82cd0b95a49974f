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
import type {
  Bundle,
  BundleEntry,
  Claim,
  ClaimItem,
  ClaimResponse,
  ClaimResponseItemAdjudication,
  ClaimResponseTotal,
  CodeableConcept,
  Coverage,
  FhirResource,
  Organization,
  Patient,
  Reference,
} from 'fhir/r4.js';
import type { Settlement, TraceEntry } from '../../engine/settlement.js';
import type { Fen } from '../../money/money.js';
import type { LoadedPolicy, PolicyBook } from '../../policy/book.js';
import type { Policy } from '../../policy/schema.js';
import { ExportValidationError } from '../errors.js';
import type { ClaimContext } from './context.js';
import {
  FHIR_PAYERS,
  FHIR_SYSTEMS,
  type FhirPayer,
  adjudicationCategory,
  extraCategory,
  money,
  narrative,
  stableUuid,
  yuan,
} from './fhir-codes.js';
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
const ref = (resource: { id?: string | undefined }, display?: string): Reference => ({ reference: fullUrlOf(resource), ...(display ? { display } : {}) });

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

type Adjudication = ClaimResponseItemAdjudication;

/** The claim-level adjudication of one payer: what it was presented, what it found eligible, what it paid. */
function payerAdjudication(settlement: Settlement, payer: FhirPayer, before: Fen): Adjudication[] {
  const a = settlement.amounts;
  const benefit: Adjudication = { category: { ...adjudicationCategory('benefit', payer.amount), text: `${payer.label}支付` }, amount: money(a[payer.amount]) };
  if (settlement.rejection) {
    benefit.reason = { coding: [{ system: FHIR_SYSTEMS.rejection, code: settlement.rejection.code, display: settlement.rejection.message }], text: `不予支付：${settlement.rejection.message}（${settlement.rejection.clause}）` };
  }
  if (payer.amount !== 'basic') {
    // What the earlier payers left the patient: this payer's starting point.
    return [{ category: adjudicationCategory('submitted'), amount: money(before) }, benefit];
  }
  const list: Adjudication[] = [{ category: adjudicationCategory('submitted', 'total'), amount: money(a.total) }];
  if (settlement.status === 'settled') {
    list.push(
      { category: extraCategory('fullOwnPay'), amount: money(a.fullOwnPay) },
      { category: extraCategory('preSelfPay'), amount: money(a.preSelfPay) },
      { category: adjudicationCategory('eligible', 'policyScope'), amount: money(a.policyScope) },
      { category: adjudicationCategory('deductible', 'deductible'), amount: money(a.deductible) },
    );
    // The patient's co-insurance on the scope above the deductible, before any later layer.
    const copay = a.policyScope - a.deductible - a.basic;
    if (copay >= 0) list.push({ category: adjudicationCategory('copay'), amount: money(copay) });
    if (a.hospitalBorne > 0) list.push({ category: extraCategory('hospitalBorne'), amount: money(a.hospitalBorne) });
  }
  list.push(benefit);
  return list;
}

const TRACE_STEP_OF_LAYER: Partial<Record<FhirPayer['amount'], string>> = { catastrophic: 'catastrophic', assistance: 'assistance', charity: 'charity' };

/** A trace entry as a process note: `step [clause; reading] arithmetic → amount` (the amount once). */
export const traceNote = (entry: TraceEntry): string =>
  `${entry.step} [${entry.clause}${entry.reading ? `; ${entry.reading}` : ''}] ${entry.detail}${entry.amount === undefined || entry.detail.endsWith(entry.amount) ? '' : ` → ${entry.amount}`}`;

function notesOf(settlement: Settlement, payer: FhirPayer): ClaimResponse['processNote'] {
  const layerSteps = new Set(Object.values(TRACE_STEP_OF_LAYER));
  const mine = settlement.trace.filter((entry) => (payer.amount === 'basic' ? !layerSteps.has(entry.step) : entry.step === TRACE_STEP_OF_LAYER[payer.amount]));
  const notes = mine.map(traceNote);
  if (settlement.rejection && payer.amount === 'basic') notes.unshift(`不予支付 ${settlement.rejection.code}：${settlement.rejection.message}（${settlement.rejection.clause}）`);
  return notes.length === 0 ? undefined : notes.map((text, index) => ({ number: index + 1, type: 'display', text }));
}

/** One payer's ClaimResponse; `index` is its place in `payers`, whose earlier responses it references. */
export function claimResponseResource(
  settlement: Settlement,
  context: ClaimContext,
  payers: readonly FhirPayer[],
  index: number,
  created: string,
  status: 'active' | 'cancelled' = 'active',
): ClaimResponse {
  const ids = fhirIds(settlement);
  const payer = payers[index]!;
  const a = settlement.amounts;
  const prior = payers.slice(0, index).reduce((sum, p) => sum + a[p.amount], 0);
  // The basic fund is presented the whole bill; each later payer what the earlier ones and the hospital left.
  const before = (index === 0 ? a.total : a.total - a.hospitalBorne - prior) as Fen;
  const adjudication = payerAdjudication(settlement, payer, before);
  const paid = a[payer.amount];
  const after = (a.total - a.hospitalBorne - prior - paid) as Fen;
  const items = payer.amount === 'basic' && context.items?.length
    ? context.items.map((item, line) => ({ itemSequence: line + 1, adjudication: [{ category: adjudicationCategory('submitted'), amount: money(item.amount) }] }))
    : undefined;
  const notes = notesOf(settlement, payer);
  return {
    resourceType: 'ClaimResponse',
    id: ids.response(payer),
    text: narrative(`${payer.label}结算结果 ${settlement.claimId}`, [
      ...(settlement.rejection ? [`不予支付：${settlement.rejection.message}（${settlement.rejection.code}）`] : []),
      ...adjudication.map((entry) => `${entry.category.text ?? ''} ${yuan(Math.round((entry.amount?.value ?? 0) * 100))}`),
      `本基金支付后个人尚需负担 ${yuan(after)}`,
    ]),
    identifier: [{ system: FHIR_SYSTEMS.medinsSetlId, value: `${settlement.claimId}/${payer.fund}`, assigner: ref({ id: ids.fund(payer) }) }],
    status,
    type: claimTypeOf(settlement, context),
    use: 'claim',
    patient: ref({ id: ids.patient }),
    created,
    insurer: ref({ id: ids.fund(payer) }, payer.name),
    requestor: ref({ id: ids.hospital }),
    request: ref({ id: ids.claim }),
    outcome: 'complete',
    disposition: settlement.rejection
      ? `不予支付：${settlement.rejection.message}（${settlement.rejection.code}）`
      : `${payer.label}支付 ${yuan(paid)}（${settlement.policy ?? ''} ${settlement.policyVersion ?? ''}）`.replace(/\s+）/, '）'),
    insurance: payers.slice(0, index + 1).map((p, j) => ({
      sequence: j + 1,
      focal: j === index,
      coverage: ref({ id: ids.coverage(p) }, p.label),
      ...(j < index ? { claimResponse: ref({ id: ids.response(p) }) } : {}),
    })),
    ...(items ? { item: items } : {}),
    // The amounts are claim-level totals; the header adjudication carries only a rejection's reason.
    ...(settlement.rejection ? { adjudication: adjudication.filter((entry) => entry.reason !== undefined) } : {}),
    total: adjudication.map((entry): ClaimResponseTotal => ({ category: entry.category, amount: entry.amount! })),
    ...(paid > 0
      ? { payment: { type: { coding: [{ system: FHIR_SYSTEMS.paymentType, code: 'complete' }] }, date: created.slice(0, 10), amount: money(paid) } }
      : {}),
    ...(notes ? { processNote: notes } : {}),
  };
}

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
    // Bundle.timestamp is an instant: only a settlement time with seconds and zone qualifies.
    ...(created.length > 10 ? { timestamp: created } : {}),
    entry: resources.map(entry),
  };
}
