/**
 * The patient's ExplanationOfBenefit (费用结算说明), shaped after the CARIN Blue Button EOB profiles
 * where they fit a one-stop settlement: the claim and the basic fund's response it explains, one focal
 * coverage (the basic fund, the insurer), item adjudication with the amount-type and benefit-payment-
 * status category slices, header adjudication, `total`, `payment`, and `benefitBalance` carrying the
 * member's year so far (累计): basic paid and the cap left, catastrophic paid, the deductibles met.
 *
 * It does not claim the CARIN profiles (no `meta.profile`): they build on US Core and US identifiers.
 */
import type {
  Bundle,
  ExplanationOfBenefit,
  ExplanationOfBenefitItemAdjudication,
  ExplanationOfBenefitBenefitBalance,
  ExplanationOfBenefitBenefitBalanceFinancial,
  ExplanationOfBenefitTotal,
  CodeableConcept,
} from 'fhir/r4.js';
import { AMOUNT_KEYS, type Amounts, type Settlement } from '../../engine/settlement.js';
import type { Fen } from '../../money/money.js';
import type { Policy } from '../../policy/schema.js';
import type { ClaimContext } from './context.js';
import {
  FHIR_PAYERS,
  FHIR_SYSTEMS,
  type FhirPayer,
  SETLINFO_FIELD,
  adjudicationCategory,
  extraCategory,
  money,
  narrative,
  yuan,
} from './fhir-codes.js';
import { type FhirOptions, billablePeriodOf, claimTypeOf, createdOf, fhirIds, fullUrlOf, payersOf, policyOf, statusOf } from './fhir-resources.js';
import { traceNote } from './fhir-response.js';
import { toFhirBundle } from './fhir.js';

const ref = (id: string, display?: string) => ({ reference: fullUrlOf({ id }), ...(display ? { display } : {}) });

/** The category of one settlement amount in the EOB's `total`: HL7's code where it has one. */
function totalCategory(key: keyof Amounts): CodeableConcept {
  const payer = FHIR_PAYERS.find((p) => p.amount === key);
  if (payer) {
    return {
      coding: [
        { system: FHIR_SYSTEMS.adjudication, code: 'benefit' },
        { system: FHIR_SYSTEMS.setlinfoField, code: SETLINFO_FIELD[key] },
        { system: FHIR_SYSTEMS.fundPayType, code: payer.fund, display: payer.name },
      ],
      text: `${payer.label}支付`,
    };
  }
  switch (key) {
    case 'total':
      return adjudicationCategory('submitted', 'total');
    case 'policyScope':
      return adjudicationCategory('eligible', 'policyScope');
    case 'deductible':
      return adjudicationCategory('deductible', 'deductible');
    case 'patient': {
      // CARIN's member liability: what the patient owes the hospital after every payer.
      const category = extraCategory('patient');
      return { ...category, coding: [{ system: FHIR_SYSTEMS.carinAdjudication, code: 'memberliability' }, ...(category.coding ?? [])] };
    }
    case 'fullOwnPay':
    case 'preSelfPay':
    case 'hospitalBorne':
      return extraCategory(key);
    default:
      throw new RangeError(`no EOB category for ${key}`);
  }
}

/** CARIN's benefit payment status slice: in network at a designated hospital. */
function paymentStatus(context: ClaimContext): ExplanationOfBenefitItemAdjudication {
  const code = context.designated === undefined ? 'other' : context.designated ? 'innetwork' : 'outofnetwork';
  return {
    category: { coding: [{ system: FHIR_SYSTEMS.carinDiscriminator, code: 'benefitpaymentstatus' }], text: '支付网络状态' },
    reason: { coding: [{ system: FHIR_SYSTEMS.carinPaymentStatus, code }], text: code === 'innetwork' ? '定点医疗机构' : code === 'outofnetwork' ? '非定点医疗机构' : '未知' },
  };
}

const used = (type: CodeableConcept, amount: Fen, allowed?: Fen): ExplanationOfBenefitBenefitBalanceFinancial => ({
  type,
  ...(allowed === undefined ? {} : { allowedMoney: money(allowed) }),
  usedMoney: money(amount),
});
const benefitType = (code: 'benefit' | 'deductible' | 'visit', text: string): CodeableConcept => ({ coding: [{ system: FHIR_SYSTEMS.benefitType, code }], text });
const ownType = (code: string, text: string): CodeableConcept => ({ coding: [{ system: FHIR_SYSTEMS.benefitBalanceType, code }], text });

function balance(code: string, text: string, financial: ExplanationOfBenefitBenefitBalanceFinancial[]): ExplanationOfBenefitBenefitBalance {
  return {
    category: { coding: [{ system: FHIR_SYSTEMS.benefitCategory, code }], text },
    unit: { coding: [{ system: FHIR_SYSTEMS.benefitUnit, code: 'individual' }] },
    term: { coding: [{ system: FHIR_SYSTEMS.benefitTerm, code: 'annual' }] },
    financial,
  };
}

/**
 * The year so far, from the member's totals after this claim. A cap comes from the policy when the
 * book has the settlement's policy version; the cap left is the cap less what was paid (never below 0).
 * The inpatient deductible (起付线) is charged per admission, not per year: the inpatient balance gives
 * this admission's deductible and the year's admissions (which set the repeat-admission relief).
 */
export function benefitBalanceOf(settlement: Settlement, policy: Policy | undefined): ExplanationOfBenefitBenefitBalance[] {
  const ytd = settlement.yearToDate;
  const left = (cap: Fen, paid: Fen): Fen => Math.max(0, cap - paid) as Fen;
  const inpatientCap = policy?.inpatient?.annualCap?.amount;
  const outpatientCap = policy?.outpatient?.annualCap.amount;
  const catastrophicCap = policy?.catastrophic?.annualCap?.amount;
  const balances = [
    balance('inpatient-basic', '住院统筹基金', [
      used(benefitType('benefit', '统筹基金年度累计支付（allowedMoney 为年度封顶线）'), ytd.basicPaid, inpatientCap),
      ...(inpatientCap === undefined ? [] : [{ type: ownType('cap-left', '统筹基金年度封顶线剩余'), allowedMoney: money(left(inpatientCap, ytd.basicPaid)) }]),
      used(benefitType('deductible', '本次住院起付线（按次计算）'), settlement.amounts.deductible),
      { type: benefitType('visit', '年度累计住院次数'), usedUnsignedInt: ytd.admissions },
    ]),
    balance('outpatient-basic', '门诊统筹', [
      used(benefitType('benefit', '门诊统筹年度累计支付'), ytd.outpatientPaid, outpatientCap),
      ...(outpatientCap === undefined ? [] : [{ type: ownType('cap-left', '门诊统筹年度限额剩余'), allowedMoney: money(left(outpatientCap, ytd.outpatientPaid)) }]),
      used(benefitType('deductible', '门诊年度起付线已付'), ytd.outpatientDeductibleUsed),
    ]),
    balance('catastrophic', '大病保险', [
      used(benefitType('benefit', '大病保险年度累计支付'), ytd.catastrophicPaid, catastrophicCap),
      used(ownType('compliant-self-pay', '年度累计合规自付（大病保险分段计算基数）'), ytd.compliantSelfPay),
    ]),
    balance('assistance', '医疗救助', [used(benefitType('benefit', '医疗救助年度累计支付'), ytd.assistancePaid)]),
  ];
  if (ytd.seriousDiseasePaid > 0) {
    balances.push(balance('serious-disease', '重大疾病统筹', [used(benefitType('benefit', '重大疾病统筹年度累计支付'), ytd.seriousDiseasePaid)]));
  }
  return balances;
}

/** Header adjudication: CARIN's benefit payment status slice, and a rejection's reason; the amounts are in `total`. */
function headerAdjudication(settlement: Settlement, status: ExplanationOfBenefitItemAdjudication): ExplanationOfBenefitItemAdjudication[] {
  const basic = FHIR_PAYERS[0]!;
  if (!settlement.rejection) return [status];
  const { rejection } = settlement;
  return [
    status,
    {
      category: { ...adjudicationCategory('benefit', 'basic'), text: `${basic.label}支付` },
      amount: money(settlement.amounts.basic),
      reason: { coding: [{ system: FHIR_SYSTEMS.rejection, code: rejection.code, display: rejection.message }], text: `不予支付：${rejection.message}` },
    },
  ];
}

/** The claim's item lines, each as submitted, with the payment status. */
function itemsOf(context: ClaimContext, status: ExplanationOfBenefitItemAdjudication) {
  return context.items?.map((item, index) => ({
    sequence: index + 1,
    category: { coding: [{ system: FHIR_SYSTEMS.itemCategory, code: item.category }], text: item.category },
    productOrService: { ...(item.code ? { coding: [{ system: FHIR_SYSTEMS.itemCode, code: item.code }] } : {}), text: item.name ?? item.category },
    net: money(item.amount),
    adjudication: [{ category: adjudicationCategory('submitted'), amount: money(item.amount) }, status],
  }));
}

/** The narrative's lines: the bill, each payer's part, the patient's, the year's totals. */
function narrativeLines(settlement: Settlement, payers: readonly FhirPayer[]): string[] {
  const a = settlement.amounts;
  return [
    `医疗费总额 ${yuan(a.total)}`,
    ...(settlement.rejection ? [`不予支付：${settlement.rejection.message}（${settlement.rejection.code}，${settlement.rejection.clause}）`] : []),
    ...payers.map((payer) => `${payer.label}支付 ${yuan(a[payer.amount])}`),
    ...(a.hospitalBorne > 0 ? [`医院负担 ${yuan(a.hospitalBorne)}`] : []),
    `个人负担 ${yuan(a.patient)}`,
    `本年度统筹基金累计支付 ${yuan(settlement.yearToDate.basicPaid)}，大病保险累计支付 ${yuan(settlement.yearToDate.catastrophicPaid)}`,
  ];
}

/**
 * The patient's explanation of benefit for one settlement. Its `total` has one entry per settlement
 * amount (each fund's benefit on its own entry, with the fund's code), so the totals are the
 * settlement's to the fen; `payment` is the insurer's (the basic fund's) payment to the hospital.
 * @throws ExportValidationError when the record has no settlement time and no discharge date.
 */
export function toFhirExplanationOfBenefit(settlement: Settlement, context: ClaimContext = {}, options: FhirOptions = {}): ExplanationOfBenefit {
  const ids = fhirIds(settlement);
  const created = createdOf(settlement, context);
  const policy = policyOf(settlement, options);
  const payers = payersOf(settlement, policy);
  const basic = FHIR_PAYERS[0]!;
  const a = settlement.amounts;
  const status = paymentStatus(context);
  const header = headerAdjudication(settlement, status);
  const total: ExplanationOfBenefitTotal[] = AMOUNT_KEYS.map((key) => ({ category: totalCategory(key), amount: money(a[key]) }));
  const items = itemsOf(context, status);
  const lines = narrativeLines(settlement, payers);
  return {
    resourceType: 'ExplanationOfBenefit',
    id: ids.eob,
    text: narrative(`费用结算说明 ${settlement.claimId}（${settlement.hospitalId}）`, lines),
    identifier: [
      {
        type: { coding: [{ system: FHIR_SYSTEMS.carinIdentifierType, code: 'uc' }], text: '唯一结算编号' },
        system: FHIR_SYSTEMS.medinsSetlId,
        value: settlement.claimId,
        assigner: ref(ids.hospital),
      },
    ],
    status: statusOf(options),
    type: claimTypeOf(settlement, context),
    use: 'claim',
    patient: ref(ids.patient),
    ...billablePeriodOf(context),
    created,
    insurer: ref(ids.fund(basic), basic.name),
    provider: ref(ids.hospital),
    // One-stop settlement: the funds pay the hospital, the patient pays only their share there.
    payee: { type: { coding: [{ system: FHIR_SYSTEMS.payeeType, code: 'provider' }] }, party: ref(ids.hospital) },
    claim: ref(ids.claim),
    claimResponse: ref(ids.response(basic)),
    outcome: 'complete',
    disposition: settlement.rejection ? `不予支付：${settlement.rejection.message}` : `已结算，个人负担 ${yuan(a.patient)}`,
    insurance: [{ focal: true, coverage: ref(ids.coverage(basic), basic.label) }],
    ...(items && items.length > 0 ? { item: items } : {}),
    adjudication: header,
    total,
    ...(a.basic > 0 ? { payment: { type: { coding: [{ system: FHIR_SYSTEMS.paymentType, code: 'complete' }] }, date: created.slice(0, 10), amount: money(a.basic) } } : {}),
    ...(settlement.trace.length > 0
      ? { processNote: settlement.trace.map((entry, index) => ({ number: index + 1, type: 'display' as const, text: traceNote(entry) })) }
      : {}),
    benefitBalance: benefitBalanceOf(settlement, policy),
  };
}

/**
 * The patient's EOB with what it references: a `collection` Bundle whose first entry is the
 * ExplanationOfBenefit, followed by the claim's Bundle entries (Claim, ClaimResponses, Patient,
 * hospital, funds, coverages), so every reference resolves inside it.
 * @throws ExportValidationError when the record has no settlement time and no discharge date.
 */
export function toFhirEobBundle(settlement: Settlement, context: ClaimContext = {}, options: FhirOptions = {}): Bundle {
  const eob = toFhirExplanationOfBenefit(settlement, context, options);
  const claimBundle = toFhirBundle(settlement, context, options);
  return {
    ...claimBundle,
    id: fhirIds(settlement).eobBundle,
    entry: [{ fullUrl: fullUrlOf(eob), resource: eob }, ...(claimBundle.entry ?? [])],
  };
}
