/**
 * FHIR exports: every worked case as a Bundle (Claim, one ClaimResponse per payer, chained) and as the
 * patient's ExplanationOfBenefit. Each validates against the HL7 JSON schema and, beyond it, against the
 * R4 StructureDefinitions (fhir-profile.ts); Medplum's FHIRPath engine reads the amounts back from the
 * JSON text, and they equal the settlement's to the fen.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { evalFhirPath } from '@medplum/core';
import fc from 'fast-check';
import type { Bundle, ClaimResponse, ExplanationOfBenefit, FhirResource, Organization } from 'fhir/r4.js';
import { describe, expect, it } from 'vitest';
import { AMOUNT_KEYS, type Amounts, type Settlement } from '../../shared/engine/settlement.js';
import { type Fen, parseMoney } from '../../shared/money/money.js';
import { builtInPolicyBook } from '../../shared/policy/book.js';
import { ExportValidationError } from '../../shared/province/errors.js';
import { type ClaimContext, contextOfClaim } from '../../shared/province/exports/context.js';
import { exportSettlement } from '../../shared/province/exports/export.js';
import { FHIR_PAYERS, FHIR_SYSTEMS, SETLINFO_FIELD, stableUuid } from '../../shared/province/exports/fhir-codes.js';
import { toFhirEobBundle } from '../../shared/province/exports/fhir-eob.js';
import { createdOf, toFhirBundle } from '../../shared/province/exports/fhir.js';
import { validateFhirBundle } from '../../shared/province/exports/schemas.js';
import { knownCodeSystems, profileIssues } from './fhir-profile.js';
import { type SettledCase, settledCases } from './helpers.js';

const cases = settledCases();
const rows = cases.map((c) => [c.id, c] as const);
const policies = builtInPolicyBook();
const SETTLED_AT = '2018-03-14T02:30:00.000Z';

/** The context a stored settlement with its claim gives. */
const contextOf = (c: SettledCase): ClaimContext => ({ ...contextOfClaim(c.claim), settledAt: SETTLED_AT });

/** The wire form: what a partner parses. */
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** A FHIRPath result (Medplum's evaluator) as fen, read from the JSON number's text. */
const fenOf = (values: unknown[]): Fen[] => values.map((value) => parseMoney(String(value)));

const resourcesOf = <T extends FhirResource>(bundle: Bundle, type: T['resourceType']): T[] =>
  evalFhirPath(`Bundle.entry.resource.ofType(${type})`, bundle) as T[];

const benefitOf = (response: ClaimResponse): Fen[] =>
  fenOf(evalFhirPath(`ClaimResponse.total.where(category.coding.where(system = '${FHIR_SYSTEMS.adjudication}' and code = 'benefit').exists()).amount.value`, response));
const submittedOf = (response: ClaimResponse): Fen[] =>
  fenOf(evalFhirPath(`ClaimResponse.total.where(category.coding.where(system = '${FHIR_SYSTEMS.adjudication}' and code = 'submitted').exists()).amount.value`, response));

/** The fund of a ClaimResponse, by its insurer's national fund code. */
function fundOf(bundle: Bundle, response: ClaimResponse): (typeof FHIR_PAYERS)[number] {
  const insurer = bundle.entry?.find((entry) => entry.fullUrl === response.insurer.reference)?.resource as Organization | undefined;
  const code = insurer?.identifier?.find((identifier) => identifier.system === FHIR_SYSTEMS.fundPayType)?.value;
  const payer = FHIR_PAYERS.find((p) => p.fund === code);
  if (!payer) throw new Error(`insurer of ${response.id} is not a fund`);
  return payer;
}

describe('FHIR Bundle per claim', () => {
  it.each(rows)('%s: validates, and each ClaimResponse benefit is the fund amount to the fen', (_id, c) => {
    // Prepare
    const { settlement } = c;

    // Act
    const bundle = wire(toFhirBundle(settlement, contextOf(c), { policies }));

    // Assess
    expect(validateFhirBundle(bundle)).toEqual([]);
    expect(profileIssues(bundle)).toEqual([]);
    const responses = resourcesOf<ClaimResponse>(bundle, 'ClaimResponse');
    const paid = Object.fromEntries(FHIR_PAYERS.map((payer) => [payer.amount, 0]));
    for (const response of responses) {
      const [benefit, ...more] = benefitOf(response);
      expect(more).toEqual([]);
      paid[fundOf(bundle, response).amount] = benefit!;
      expect(response.outcome).toBe('complete');
      expect(response.created).toBe(SETTLED_AT);
    }
    expect(paid).toEqual({ basic: settlement.amounts.basic, catastrophic: settlement.amounts.catastrophic, assistance: settlement.amounts.assistance, charity: settlement.amounts.charity });
  });

  it.each(rows)('%s: the chain leaves the patient their share', (_id, c) => {
    // Prepare
    const { amounts } = c.settlement;

    // Act
    const bundle = wire(toFhirBundle(c.settlement, contextOf(c), { policies }));

    // Assess: payers in one-stop order; each later one references the earlier responses, focal on itself.
    const responses = resourcesOf<ClaimResponse>(bundle, 'ClaimResponse');
    const order = responses.map((response) => FHIR_PAYERS.indexOf(fundOf(bundle, response)));
    expect(order).toEqual([...order].sort((x, y) => x - y));
    expect(order[0]).toBe(0);
    responses.forEach((response, index) => {
      expect(response.insurance?.map((i) => i.sequence)).toEqual(responses.slice(0, index + 1).map((_, j) => j + 1));
      expect(response.insurance?.map((i) => i.focal)).toEqual(responses.slice(0, index + 1).map((_, j) => j === index));
      expect(response.insurance?.slice(0, index).map((i) => i.claimResponse?.reference)).toEqual(responses.slice(0, index).map((r) => `urn:uuid:${r.id}`));
    });
    let left = (amounts.total - amounts.hospitalBorne) as number;
    responses.forEach((response, index) => {
      const [benefit] = benefitOf(response);
      if (index > 0) expect(submittedOf(response)).toEqual([left]);
      left -= benefit!;
    });
    expect(left).toBe(amounts.patient);
    const [claim] = evalFhirPath('Bundle.entry.resource.ofType(Claim)', bundle) as { insurance: { sequence: number; focal: boolean }[] }[];
    expect(claim!.insurance.map((i) => [i.sequence, i.focal])).toEqual(responses.map((_, j) => [j + 1, j === 0]));
  });

  it('gives a valid claim that is not payable outcome complete, benefit 0 and the rejection as the reason', () => {
    // Prepare
    const rejected = cases.filter((c) => c.settlement.status === 'rejected');
    expect(rejected.length).toBeGreaterThan(0);

    for (const c of rejected) {
      // Act
      const bundle = wire(toFhirBundle(c.settlement, contextOf(c), { policies }));

      // Assess
      const responses = resourcesOf<ClaimResponse>(bundle, 'ClaimResponse');
      expect(responses.map((r) => r.outcome)).toEqual(responses.map(() => 'complete'));
      expect(responses.flatMap(benefitOf)).toEqual(responses.map(() => 0));
      const reasons = evalFhirPath(`ClaimResponse.adjudication.reason.coding.where(system = '${FHIR_SYSTEMS.rejection}').code`, responses[0]);
      expect(reasons).toEqual([c.settlement.rejection!.code]);
      expect(responses[0]!.processNote?.[0]?.text).toContain(c.settlement.rejection!.code);
      expect(responses[0]!.payment).toBeUndefined();
    }
  });

  it('every resource has Chinese generated narrative and every system is an absolute URL', () => {
    // Prepare
    const c = cases.find((k) => k.settlement.amounts.charity > 0) ?? cases[0]!;

    // Act
    const bundle = wire(toFhirEobBundle(c.settlement, contextOf(c), { policies }));

    // Assess
    for (const entry of bundle.entry ?? []) {
      const text = (entry.resource as { text?: { status: string; div: string } }).text;
      expect(text?.status).toBe('generated');
      expect(text?.div).toMatch(/^<div xmlns="http:\/\/www\.w3\.org\/1999\/xhtml"[^>]*>.*[\u4e00-\u9fff].*<\/div>$/s);
    }
    const systems: string[] = [];
    JSON.stringify(bundle, (key, value: unknown) => {
      if (key === 'system' && typeof value === 'string') systems.push(value);
      return value;
    });
    expect(systems.length).toBeGreaterThan(0);
    for (const system of systems) expect(system).toMatch(/^https?:\/\/|^urn:oid:/);
  });

  it('without the claim (a stored settlement): no lines, still valid; without any time it is refused', () => {
    // Prepare
    const { settlement } = cases.find((k) => k.settlement.amounts.basic > 0)!;

    // Act
    const bundle = toFhirBundle(settlement, { dischargedOn: '2018-03-14' }, { policies });
    const refuse = () => toFhirBundle(settlement, {}, { policies });

    // Assess
    expect(validateFhirBundle(bundle)).toEqual([]);
    expect(profileIssues(bundle)).toEqual([]);
    expect(resourcesOf<ClaimResponse>(bundle, 'ClaimResponse')[0]?.created).toBe('2018-03-14');
    expect(bundle.timestamp).toBeUndefined();
    expect(refuse).toThrow(ExportValidationError);
    expect(refuse).toThrow(/settledAt/);
  });

  it('addresses are stable: the same claim exported twice has the same uuids, another claim others', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 64 }), fc.string({ minLength: 1, maxLength: 64 }), (hospital, claim) => {
        // Act
        const first = stableUuid('Claim', hospital, claim);

        // Assess
        expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(stableUuid('Claim', hospital, claim)).toBe(first);
        expect(stableUuid('Claim', `${hospital}|`, claim)).not.toBe(first);
      }),
    );
  });

  it('for any split of a bill among the payers, the benefits and the chain add up to the fen', () => {
    // Prepare: a settled case's shape, with amounts drawn so that the payers add up to the total.
    const base = cases.find((k) => k.settlement.status === 'settled' && k.settlement.path === 'serious-disease') ?? cases.find((k) => k.settlement.status === 'settled')!;
    const split = fc.tuple(...Array.from({ length: 6 }, () => fc.integer({ min: 0, max: 5_000_000 })));
    fc.assert(
      fc.property(split, ([basic, catastrophic, assistance, charity, hospitalBorne, patient]) => {
        const total = basic! + catastrophic! + assistance! + charity! + hospitalBorne! + patient!;
        const amounts: Amounts = { ...base.settlement.amounts, total, policyScope: total - hospitalBorne!, fullOwnPay: 0, preSelfPay: 0, basic, catastrophic, assistance, charity, hospitalBorne, patient } as unknown as Amounts;
        const settlement: Settlement = { ...base.settlement, amounts };

        // Act
        const bundle = wire(toFhirBundle(settlement, { settledAt: SETTLED_AT }, { policies }));

        // Assess
        const responses = resourcesOf<ClaimResponse>(bundle, 'ClaimResponse');
        const benefits = responses.map((r) => [fundOf(bundle, r).amount, benefitOf(r)[0]] as const);
        for (const payer of FHIR_PAYERS) expect(benefits.find(([key]) => key === payer.amount)?.[1] ?? 0).toBe(amounts[payer.amount]);
        const last = responses.at(-1)!;
        expect((responses.length === 1 ? total : submittedOf(last)[0]!) - benefitOf(last)[0]! - (responses.length === 1 ? hospitalBorne! : 0)).toBe(patient);
      }),
      { numRuns: 200 },
    );
  });
});

describe('ExplanationOfBenefit for the patient', () => {
  it.each(rows)('%s: validates, and its totals are the settlement amounts to the fen', (_id, c) => {
    // Prepare
    const { settlement } = c;

    // Act
    const bundle = wire(toFhirEobBundle(settlement, contextOf(c), { policies }));

    // Assess
    expect(validateFhirBundle(bundle)).toEqual([]);
    expect(profileIssues(bundle)).toEqual([]);
    const [eob] = resourcesOf<ExplanationOfBenefit>(bundle, 'ExplanationOfBenefit');
    const totalOf = (field: string) =>
      fenOf(evalFhirPath(`ExplanationOfBenefit.total.where(category.coding.where(system = '${FHIR_SYSTEMS.setlinfoField}' and code = '${field}').exists()).amount.value`, eob));
    for (const key of AMOUNT_KEYS) expect(totalOf(SETLINFO_FIELD[key]), key).toEqual([settlement.amounts[key]]);
    expect(eob!.insurance).toHaveLength(1);
    expect(eob!.insurance[0]!.focal).toBe(true);
    expect(fenOf(evalFhirPath('ExplanationOfBenefit.payment.amount.value', eob))).toEqual(settlement.amounts.basic > 0 ? [settlement.amounts.basic] : []);
    // CARIN's slices: every line has an amount-type adjudication and the benefit payment status.
    for (const item of eob!.item ?? []) {
      const categories = item.adjudication?.flatMap((a) => a.category.coding?.map((coding) => coding.code) ?? []);
      expect(categories).toEqual(expect.arrayContaining(['submitted', 'benefitpaymentstatus']));
    }
    expect(eob!.item?.length ?? 0).toBe(c.claim.items.length);
  });

  it.each(rows)('%s: the benefit balance is the year so far', (_id, c) => {
    // Prepare
    const { settlement } = c;
    const policy = policies.get(settlement.policy ?? '')?.policy;
    const cap = policy?.inpatient?.annualCap?.amount;

    // Act
    const [eob] = resourcesOf<ExplanationOfBenefit>(wire(toFhirEobBundle(settlement, contextOf(c), { policies })), 'ExplanationOfBenefit');

    // Assess
    const financial = (category: string, code: string, element: string) =>
      fenOf(evalFhirPath(`ExplanationOfBenefit.benefitBalance.where(category.coding.code = '${category}').financial.where(type.coding.code = '${code}').${element}.value`, eob));
    const ytd = settlement.yearToDate;
    expect(financial('inpatient-basic', 'benefit', 'usedMoney')).toEqual([ytd.basicPaid]);
    expect(financial('inpatient-basic', 'cap-left', 'allowedMoney')).toEqual(cap === undefined ? [] : [Math.max(0, cap - ytd.basicPaid)]);
    expect(financial('catastrophic', 'benefit', 'usedMoney')).toEqual([ytd.catastrophicPaid]);
    expect(financial('outpatient-basic', 'deductible', 'usedMoney')).toEqual([ytd.outpatientDeductibleUsed]);
    expect(financial('inpatient-basic', 'deductible', 'usedMoney')).toEqual([settlement.amounts.deductible]);
  });
});

describe('exportSettlement in the FHIR formats', () => {
  it('returns the validated Bundle and the EOB Bundle', () => {
    // Prepare
    const c = cases[0]!;

    // Act
    const bundle = exportSettlement('fhir', c.settlement, contextOf(c)) as Bundle;
    const eob = exportSettlement('fhir-eob', c.settlement, contextOf(c)) as Bundle;

    // Assess
    expect(bundle.entry?.[0]?.resource?.resourceType).toBe('Claim');
    expect(eob.entry?.[0]?.resource?.resourceType).toBe('ExplanationOfBenefit');
  });

  it('refuses a record without a settlement time or discharge date, naming settledAt', () => {
    // Act
    const act = () => createdOf(cases[0]!.settlement, {});

    // Assess
    expect(act).toThrow(ExportValidationError);
  });
});

describe('the offline profile checks can fail', () => {
  const c = cases.find((k) => k.settlement.amounts.basic > 0)!;
  const fresh = () => wire(toFhirBundle(c.settlement, contextOf(c), { policies }));
  const claimOf = (bundle: Bundle) => bundle.entry!.find((e) => e.resource?.resourceType === 'Claim')!.resource as unknown as Record<string, unknown>;
  const responseOf = (bundle: Bundle) => bundle.entry!.find((e) => e.resource?.resourceType === 'ClaimResponse')!.resource as ClaimResponse;

  it('knows the adjudication and process-priority CodeSystems', () => {
    expect(knownCodeSystems()).toContain(FHIR_SYSTEMS.adjudication);
    expect(knownCodeSystems()).toContain(FHIR_SYSTEMS.processPriority);
  });

  it.each([
    ['an adjudication code HL7 does not define', (b: Bundle) => { responseOf(b).total![0]!.category.coding![0]!.code = 'paid'; }, /not in CodeSystem .*adjudication/],
    ['a process priority HL7 does not define', (b: Bundle) => { (claimOf(b)['priority'] as { coding: { code: string }[] }).coding[0]!.code = 'urgent'; }, /processpriority/],
    ['an insurer that is a Patient', (b: Bundle) => { responseOf(b).insurer.reference = (b.entry!.find((e) => e.resource?.resourceType === 'Patient')!.fullUrl)!; }, /references a Patient/],
    ['an outcome outside its required ValueSet', (b: Bundle) => { (responseOf(b) as { outcome: string }).outcome = 'finished'; }, /required ValueSet/],
    ['a Claim without its provider', (b: Bundle) => { delete claimOf(b)['provider']; }, /Missing required property/],
    ['a reference to nothing in the Bundle', (b: Bundle) => { responseOf(b).request!.reference = 'urn:uuid:00000000-0000-8000-8000-000000000000'; }, /does not resolve/],
  ] as const)('reports %s', (_name, mutate, message) => {
    // Prepare
    const bundle = fresh();

    // Act
    mutate(bundle);
    const issues = profileIssues(bundle);

    // Assess
    expect(issues.map((i) => i.message).join('\n')).toMatch(message);
  });
});

describe('docs/exports.md', () => {
  /** The JSON block after a heading of the FHIR section. */
  const example = (heading: string): unknown => {
    const text = readFileSync(resolve(import.meta.dirname, '../../docs/exports.md'), 'utf8');
    const after = text.slice(text.indexOf(heading));
    const block = /```json\n([\s\S]*?)\n```/.exec(after)?.[1];
    if (block === undefined) throw new Error(`no JSON block after ${heading}`);
    return JSON.parse(block);
  };
  const caseOf = (id: string) => cases.find((c) => c.id === id)!;

  it('shows the Bundle of JZ20 exactly as it is exported', () => {
    // Prepare
    const c = caseOf('JZ20');

    // Act
    const bundle = wire(toFhirBundle(c.settlement, { ...contextOfClaim(c.claim), settledAt: '2018-03-14T02:30:00Z' }, { policies }));

    // Assess
    expect(example('### A Bundle in full')).toEqual(bundle);
  });

  it('shows the ExplanationOfBenefit of JZ14 exactly as it is exported', () => {
    // Prepare
    const c = caseOf('JZ14');

    // Act
    const bundle = wire(toFhirEobBundle(c.settlement, { ...contextOfClaim(c.claim), settledAt: '2018-03-14T02:30:00Z' }, { policies }));

    // Assess
    expect(example('### An ExplanationOfBenefit in full')).toEqual(bundle.entry?.[0]?.resource);
  });
});
