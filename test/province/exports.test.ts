/**
 * Standard exports: every worked case's settlement, exported as the national record and as a FHIR R4
 * ClaimResponse, validates against its schema, and its fund amounts equal the settlement's to the fen.
 */
import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../shared/money/money.js';
import { contextOfClaim } from '../../shared/province/exports/context.js';
import { exportSettlement } from '../../shared/province/exports/export.js';
import { FHIR_SYSTEMS, toFhirClaimResponse } from '../../shared/province/exports/fhir.js';
import { FUND_PAY_TYPES, toNhsaRecord } from '../../shared/province/exports/nhsa.js';
import { validateFhirClaimResponse, validateNhsaRecord } from '../../shared/province/exports/schemas.js';
import { ExportValidationError } from '../../shared/province/errors.js';
import { settledCases } from './helpers.js';

const cases = settledCases();
const rows = cases.map((c) => [c.id, c] as const);

describe('national (NHSA) settlement record', () => {
  it.each(rows)('%s validates and carries the settlement amounts', (_id, { claim, settlement }) => {
    // Prepare
    const context = contextOfClaim(claim);

    // Act
    const record = toNhsaRecord(settlement, context);

    // Assess
    expect(validateNhsaRecord(record)).toEqual([]);
    const a = settlement.amounts;
    expect(record.setlinfo).toMatchObject({
      medfee_sumamt: formatMoney(a.total),
      fulamt_ownpay_amt: formatMoney(a.fullOwnPay),
      preselfpay_amt: formatMoney(a.preSelfPay),
      inscp_scp_amt: formatMoney(a.policyScope),
      act_pay_dedc: formatMoney(a.deductible),
      hifp_pay: formatMoney(a.basic),
      hifmi_pay: formatMoney(a.catastrophic),
      maf_pay: formatMoney(a.assistance),
      oth_pay: formatMoney(a.charity),
      hosp_part_amt: formatMoney(a.hospitalBorne),
      psn_part_amt: formatMoney(a.patient),
      psn_no: settlement.memberId,
      fixmedins_code: settlement.hospitalId,
      setl_id: settlement.claimId,
      insutype: '390',
      enddate: claim.visit.dischargedOn,
    });
    for (const fund of FUND_PAY_TYPES) {
      const row = record.setldetail.find((r) => r.fund_pay_type === fund.code);
      expect(row?.fund_payamt ?? '0.00').toBe(formatMoney(a[fund.amount]));
    }
    expect(record.ext.status).toBe(settlement.status);
  });

  it('maps care paths to med_type and clr_type', () => {
    // Prepare
    const byPath = new Map(cases.filter((c) => c.settlement.path !== null).map((c) => [c.settlement.path, c]));

    // Act
    const medTypes = Object.fromEntries([...byPath].map(([path, c]) => [path, toNhsaRecord(c.settlement).setlinfo.med_type]));

    // Assess
    expect(medTypes).toMatchObject({ inpatient: '21', outpatient: '11' });
    if (medTypes['childbirth']) expect(medTypes['childbirth']).toBe('52');
    if (medTypes['special-outpatient']) expect(medTypes['special-outpatient']).toBe('14');
  });

  it('refuses a record whose funds do not add up', () => {
    // Prepare
    const { settlement } = cases.find((c) => c.settlement.amounts.basic > 0)!;
    const record = toNhsaRecord(settlement);

    // Act
    record.setlinfo.hifp_pay = formatMoney((settlement.amounts.basic + 1) as never);
    const issues = validateNhsaRecord(record);

    // Assess
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining(['setlinfo.fund_pay_sumamt']));
  });
});

describe('FHIR R4 ClaimResponse', () => {
  it.each(rows)('%s validates against the HL7 schema and carries the settlement amounts', (_id, { claim, settlement }) => {
    // Prepare
    const context = contextOfClaim(claim);

    // Act
    const resource = toFhirClaimResponse(settlement, context);

    // Assess
    expect(validateFhirClaimResponse(resource)).toEqual([]);
    const total = (code: string) => resource.total?.find((t) => t.category.coding?.some((c) => c.system === FHIR_SYSTEMS.payer && c.code === code))?.amount?.value;
    const a = settlement.amounts;
    // JSON text of the number, as a partner reads it: the exact decimal string.
    const text = (value: number | undefined) => (value === undefined ? undefined : JSON.stringify(value));
    const yuan = (fen: number) => String(Number(formatMoney(fen as never)));
    expect(text(total('hifp_pay'))).toBe(yuan(a.basic));
    expect(text(total('hifmi_pay'))).toBe(yuan(a.catastrophic));
    expect(text(total('maf_pay'))).toBe(yuan(a.assistance));
    expect(text(total('oth_pay'))).toBe(yuan(a.charity));
    expect(text(total('hosp_part_amt'))).toBe(yuan(a.hospitalBorne));
    expect(text(total('psn_part_amt'))).toBe(yuan(a.patient));
    expect(resource.processNote).toHaveLength(settlement.trace.length);
    expect(resource.item).toHaveLength(claim.items.length);
    expect(resource.outcome).toBe(settlement.status === 'settled' ? 'complete' : 'error');
  });

  it('gives a rejected claim outcome error with its rejection code', () => {
    // Prepare
    const rejected = cases.find((c) => c.settlement.status === 'rejected')!;

    // Act
    const resource = toFhirClaimResponse(rejected.settlement);

    // Assess
    expect(validateFhirClaimResponse(resource)).toEqual([]);
    expect(resource.outcome).toBe('error');
    expect(resource.error?.[0]?.code.coding?.[0]?.code).toBe(rejected.settlement.rejection?.code);
    expect(resource.payment).toBeUndefined();
  });

  it('validates without the claim: claim-level adjudication only', () => {
    // Prepare
    const { settlement } = cases[0]!;

    // Act
    const resource = toFhirClaimResponse(settlement);

    // Assess
    expect(validateFhirClaimResponse(resource)).toEqual([]);
    expect(resource.item).toBeUndefined();
    expect(resource.adjudication).toHaveLength(11);
  });

  it('the schema catches a malformed resource', () => {
    // Prepare
    const resource = { ...toFhirClaimResponse(cases[0]!.settlement), outcome: 'finished', extra: 1 };

    // Act
    const issues = validateFhirClaimResponse(resource);

    // Assess
    expect(issues.length).toBeGreaterThan(0);
  });
});

describe('exportSettlement', () => {
  it('returns validated records in both formats', () => {
    // Prepare
    const { settlement } = cases[0]!;

    // Act
    const nhsa = exportSettlement('nhsa', settlement);
    const fhir = exportSettlement('fhir', settlement);

    // Assess
    expect(nhsa).toHaveProperty('setlinfo');
    expect(fhir).toHaveProperty('resourceType', 'ClaimResponse');
  });

  it('fails loudly on a settlement that cannot make a valid record', () => {
    // Prepare: amounts that break the contract's invariant (a corrupted input).
    const { settlement } = cases.find((c) => c.settlement.amounts.basic > 0)!;
    const broken = { ...settlement, amounts: { ...settlement.amounts, basic: (settlement.amounts.basic + 1) as never } };

    // Act
    const act = () => exportSettlement('nhsa', broken);

    // Assess
    expect(act).toThrow(ExportValidationError);
  });
});
