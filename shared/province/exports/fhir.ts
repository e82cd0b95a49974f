/**
 * A settlement as a FHIR R4 ClaimResponse, for partners that speak FHIR rather than the national
 * interface. Every amount of the settlement appears once in the header adjudication, coded both with
 * the HL7 adjudication code where one fits and with the national field name; `total` has one entry per
 * payer; the trace becomes `processNote`, one note per entry, so the explanation travels with the money.
 *
 * FHIR JSON writes Money.value as a JSON number. The value is formed from the exact decimal string
 * (`Number("925.88")`), and JSON.stringify prints the shortest text that reads back as the same double,
 * which for an amount with two decimals below 2^53 fen is that same decimal string: nothing is lost.
 */
import type { ClaimResponse, ClaimResponseItem, CodeableConcept, Coding, Money } from 'fhir/r4.js';
import { AMOUNT_KEYS, type Amounts, type Settlement } from '../../engine/settlement.js';
import { type Fen, formatMoney } from '../../money/money.js';
import type { ClaimContext } from './context.js';
import { FUND_PAY_TYPES, medTypeOf } from './nhsa.js';

/** Code systems of this product (URNs: they name, they do not resolve). */
export const FHIR_SYSTEMS = {
  claimId: 'urn:resident-claims:claim-id',
  psnNo: 'urn:resident-claims:psn-no',
  fixmedinsCode: 'urn:resident-claims:fixmedins-code',
  policy: 'urn:resident-claims:policy',
  setlinfoField: 'urn:resident-claims:nhsa-setlinfo-field',
  fundPayType: 'urn:resident-claims:nhsa-fund-pay-type',
  payer: 'urn:resident-claims:payer',
  itemCategory: 'urn:resident-claims:item-category',
  rejection: 'urn:resident-claims:rejection-code',
  adjudication: 'http://terminology.hl7.org/CodeSystem/adjudication',
  claimType: 'http://terminology.hl7.org/CodeSystem/claim-type',
  paymentType: 'http://terminology.hl7.org/CodeSystem/ex-paymenttype',
} as const;

/** The national setlinfo field of each settlement amount. */
export const SETLINFO_FIELD: Record<keyof Amounts, string> = {
  total: 'medfee_sumamt',
  fullOwnPay: 'fulamt_ownpay_amt',
  preSelfPay: 'preselfpay_amt',
  policyScope: 'inscp_scp_amt',
  deductible: 'act_pay_dedc',
  basic: 'hifp_pay',
  catastrophic: 'hifmi_pay',
  assistance: 'maf_pay',
  charity: 'oth_pay',
  hospitalBorne: 'hosp_part_amt',
  patient: 'psn_part_amt',
};

/** The HL7 adjudication code that fits an amount, where one does. */
const HL7_ADJUDICATION: Partial<Record<keyof Amounts, string>> = {
  total: 'submitted',
  policyScope: 'eligible',
  deductible: 'deductible',
};

/** The payers of `total`, in the one-stop order, with the national fund code where there is one. */
const PAYERS: readonly { amount: keyof Amounts; code: string; display: string; fund?: string }[] = [
  ...FUND_PAY_TYPES.map((fund) => ({ amount: fund.amount, code: fund.field, display: fund.name, fund: fund.code })),
  { amount: 'hospitalBorne', code: 'hosp_part_amt', display: '医院负担' },
  { amount: 'patient', code: 'psn_part_amt', display: '个人负担' },
];

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

const money = (amount: Fen): Money => ({ value: Number(formatMoney(amount)), currency: 'CNY' });

function claimType(settlement: Settlement, context: ClaimContext): CodeableConcept {
  const medType = medTypeOf(settlement, context);
  if (medType === null) return { text: 'unknown: rejected before a care path was chosen, and no visit type was given' };
  // 住院 (21, 52) is institutional care; outpatient visits (11, 14) are professional services.
  const code = medType === '21' || medType === '52' ? 'institutional' : 'professional';
  return { coding: [{ system: FHIR_SYSTEMS.claimType, code }], text: `med_type ${medType}` };
}

function amountConcept(key: keyof Amounts): CodeableConcept {
  const coding: Coding[] = [];
  const hl7 = HL7_ADJUDICATION[key];
  if (hl7 !== undefined) coding.push({ system: FHIR_SYSTEMS.adjudication, code: hl7 });
  coding.push({ system: FHIR_SYSTEMS.setlinfoField, code: SETLINFO_FIELD[key] });
  return { coding, text: key };
}

function items(context: ClaimContext): ClaimResponseItem[] | undefined {
  if (context.items === undefined || context.items.length === 0) return undefined;
  return context.items.map((item, index) => ({
    itemSequence: index + 1,
    adjudication: [
      {
        category: { coding: [{ system: FHIR_SYSTEMS.adjudication, code: 'submitted' }] },
        reason: { coding: [{ system: FHIR_SYSTEMS.itemCategory, code: item.category }], ...(item.name ? { text: item.name } : {}) },
        amount: money(item.amount),
      },
    ],
  }));
}

/**
 * The ClaimResponse of a settlement. Outcome `complete` when settled, `error` when rejected (with the
 * rejection code in `error`). With the claim's context it has one `item` per claim line (its category
 * as the adjudication reason); without it, only the claim-level adjudication.
 */
export function toFhirClaimResponse(settlement: Settlement, context: ClaimContext = {}): ClaimResponse {
  const { amounts } = settlement;
  const settled = settlement.status === 'settled';
  const fundSum = (amounts.basic + amounts.catastrophic + amounts.assistance + amounts.charity) as Fen;
  const itemList = items(context);
  const response: ClaimResponse = {
    resourceType: 'ClaimResponse',
    ...(FHIR_ID.test(settlement.claimId) ? { id: settlement.claimId } : {}),
    identifier: [{ system: FHIR_SYSTEMS.claimId, value: settlement.claimId }],
    status: 'active',
    type: claimType(settlement, context),
    use: 'claim',
    patient: { identifier: { system: FHIR_SYSTEMS.psnNo, value: settlement.memberId } },
    created: context.settledAt ?? context.dischargedOn ?? String(settlement.year),
    insurer:
      settlement.policy === null
        ? { display: 'no policy in force' }
        : { identifier: { system: FHIR_SYSTEMS.policy, value: settlement.policy }, display: `${settlement.policy} ${settlement.policyVersion ?? ''}`.trim() },
    requestor: { identifier: { system: FHIR_SYSTEMS.fixmedinsCode, value: settlement.hospitalId } },
    request: { identifier: { system: FHIR_SYSTEMS.claimId, value: settlement.claimId } },
    outcome: settled ? 'complete' : 'error',
    disposition: settled
      ? `settled under ${settlement.policy} ${settlement.policyVersion ?? ''}`.trim()
      : `rejected ${settlement.rejection?.code ?? ''}: ${settlement.rejection?.message ?? ''} (${settlement.rejection?.clause ?? ''})`,
    ...(itemList ? { item: itemList } : {}),
    adjudication: AMOUNT_KEYS.map((key) => ({ category: amountConcept(key), amount: money(amounts[key]) })),
    total: PAYERS.map((payer) => ({
      category: {
        coding: [
          ...(payer.fund ? [{ system: FHIR_SYSTEMS.fundPayType, code: payer.fund, display: payer.display }] : []),
          { system: FHIR_SYSTEMS.payer, code: payer.code, display: payer.display },
        ],
        text: payer.amount,
      },
      amount: money(amounts[payer.amount]),
    })),
    ...(settled
      ? {
          payment: {
            type: { coding: [{ system: FHIR_SYSTEMS.paymentType, code: 'complete' }] },
            ...(context.dischargedOn ? { date: context.dischargedOn } : {}),
            amount: money(fundSum),
          },
        }
      : {}),
    processNote: settlement.trace.map((entry, index) => ({
      number: index + 1,
      type: 'display',
      text: `${entry.step} [${entry.clause}${entry.reading ? `; ${entry.reading}` : ''}] ${entry.detail}${entry.amount === undefined ? '' : ` → ${entry.amount}`}`,
    })),
    ...(settlement.rejection
      ? { error: [{ code: { coding: [{ system: FHIR_SYSTEMS.rejection, code: settlement.rejection.code, display: settlement.rejection.message }] } }] }
      : {}),
  };
  return response;
}
