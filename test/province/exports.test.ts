/**
 * Standard exports: every worked case's settlement, exported as the national record, validates against
 * its schema, and its fund amounts equal the settlement's to the fen (the FHIR exports: fhir.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../shared/money/money.js';
import { contextOfClaim } from '../../shared/province/exports/context.js';
import { exportSettlement } from '../../shared/province/exports/export.js';
import { FUND_PAY_TYPES, toNhsaRecord } from '../../shared/province/exports/nhsa.js';
import { validateNhsaRecord } from '../../shared/province/exports/schemas.js';
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

describe('exportSettlement', () => {
  it('returns validated records in both formats', () => {
    // Prepare
    const { settlement } = cases[0]!;

    // Act
    const nhsa = exportSettlement('nhsa', settlement);
    const fhir = exportSettlement('fhir', settlement, { dischargedOn: '2018-03-14' });

    // Assess
    expect(nhsa).toHaveProperty('setlinfo');
    expect(fhir).toHaveProperty('resourceType', 'Bundle');
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
