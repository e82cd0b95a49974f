/**
 * Standard exports: every worked case's settlement, exported as the national record, validates against
 * the national field list, and its fund amounts equal the settlement's to the fen (the FHIR exports: fhir.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Fen } from '../../shared/money/money.js';
import { settle } from '../../shared/engine/settle.js';
import { builtInPolicyBook } from '../../shared/policy/book.js';
import { SETLINFO_FIELDS, nationalJson } from '../../shared/national/fields.js';
import { lineScopeOf } from '../../shared/national/line-scope.js';
import { toNationalRecord } from '../../shared/national/setlinfo.js';
import { contextOfClaim } from '../../shared/province/exports/context.js';
import { exportSettlement } from '../../shared/province/exports/export.js';
import { FUND_PAY_TYPES, toNhsaRecord } from '../../shared/province/exports/nhsa.js';
import { validateNhsaRecord } from '../../shared/province/exports/schemas.js';
import { ExportValidationError } from '../../shared/province/errors.js';
import { settledCases } from './helpers.js';

const cases = settledCases();
const rows = cases.map((c) => [c.id, c] as const);

const yuan = (fen: number): number => fen / 100;

describe('national (NHSA) settlement record', () => {
  it.each(rows)('%s validates against the national field list and carries the settlement amounts', (_id, { claim, settlement }) => {
    // Prepare
    const context = contextOfClaim(claim);

    // Act
    const record = toNhsaRecord(settlement, context, builtInPolicyBook());

    // Assess
    expect(validateNhsaRecord(record)).toEqual([]);
    const a = settlement.amounts;
    expect(Object.keys(record.setlinfo)).toEqual(SETLINFO_FIELDS.map((field) => field.name));
    expect(record.setlinfo).toMatchObject({
      medfee_sumamt: yuan(a.total),
      act_pay_dedc: yuan(a.deductible),
      hifp_pay: yuan(a.basic),
      hifmi_pay: yuan(a.catastrophic),
      maf_pay: yuan(a.assistance),
      oth_pay: yuan(a.charity),
      hosp_part_amt: yuan(a.hospitalBorne),
      psn_part_amt: yuan(a.patient),
      psn_cash_pay: yuan(a.patient),
      psn_no: settlement.memberId,
      mdtrt_id: settlement.claimId,
      insutype: '390',
    });
    expect(record.setlinfo.setl_id).not.toBe(record.setlinfo.mdtrt_id);
    expect(record.setlinfo.medfee_sumamt - record.setlinfo.fund_pay_sumamt).toBeCloseTo(yuan(a.patient), 6);
    for (const fund of FUND_PAY_TYPES) {
      const row = record.setldetail.find((r) => r.fund_pay_type === fund.code);
      expect(row?.fund_payamt ?? 0).toBe(yuan(a[fund.amount]));
    }
    expect(record.setldetail.find((r) => r.fund_pay_type === '390100')).toBeDefined();
    expect(record.ext).toMatchObject({ status: settlement.status, fixmedins_code: settlement.hospitalId, enddate: claim.visit.dischargedOn });
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

  it('a rejected claim has no null in a required field: its med_type from the visit, the whole bill full own pay', () => {
    // Prepare
    const { claim, settlement } = cases.find((c) => c.settlement.status === 'rejected')!;

    // Act
    const record = toNhsaRecord(settlement, contextOfClaim(claim));
    const bare = toNhsaRecord(settlement);

    // Assess
    expect(validateNhsaRecord(record)).toEqual([]);
    expect(validateNhsaRecord(bare)).toEqual([]);
    for (const field of SETLINFO_FIELDS.filter((f) => f.required)) expect(record.setlinfo[field.name as keyof typeof record.setlinfo], field.name).not.toBeNull();
    expect(record.setlinfo).toMatchObject({ med_type: '21', clr_type: '21', fund_pay_sumamt: 0, fulamt_ownpay_amt: yuan(settlement.amounts.total), psn_part_amt: yuan(settlement.amounts.total) });
    expect(record.ext.rejection_code).toBe(settlement.rejection!.code);
    expect(bare.ext.med_type_source).toBe('default');
  });

  it('a serious-disease claim with out-of-catalogue lines, a hospital-borne part and charity validates, read as a HIS reads it', () => {
    // Prepare: JZ21 (charity) with a quota below its total, and an out-of-catalogue line.
    const base = cases.find((c) => c.settlement.path === 'serious-disease' && c.settlement.amounts.charity > 0)!;
    const disease = base.claim.visit.seriousDisease!;
    const total = base.claim.items.reduce((sum, item) => sum + item.amount, 0);
    const claim = {
      ...base.claim,
      visit: { ...base.claim.visit, seriousDisease: { ...disease, quota: (total - 50_000) as Fen } },
      items: [...base.claim.items, { category: 'out-of-catalogue' as const, amount: 30_000 as Fen }],
    };
    const book = builtInPolicyBook();
    const settlement = settle(claim, book);
    const lines = lineScopeOf(claim, book)!;

    // Act
    const record = toNationalRecord(settlement, { lineScope: lines, admittedOn: claim.visit.admittedOn });

    // Assess
    expect(settlement.amounts.hospitalBorne).toBeGreaterThan(0);
    expect(settlement.amounts.charity).toBeGreaterThan(0);
    expect(validateNhsaRecord(record)).toEqual([]);
    const info = record.setlinfo;
    expect(info.fulamt_ownpay_amt).toBe(300);
    expect(info.hosp_part_amt).toBe(yuan(settlement.amounts.hospitalBorne));
    expect(info.oth_pay).toBe(yuan(settlement.amounts.charity));
    expect(Math.round((info.medfee_sumamt - info.fund_pay_sumamt) * 100)).toBe(settlement.amounts.patient);
    expect(record.setldetail.map((r) => r.fund_pay_type)).toEqual(expect.arrayContaining(['390100', '999997', '630100']));
    for (const row of record.setldetail) expect(row.setl_proc_info.length).toBeLessThan(200);
  });

  it('a re-settled claim (settled again on the totals an earlier claim left) validates, its cap room the room then left', () => {
    // Prepare: the same stay settled first on empty totals, then again after a first stay used most of the cap.
    const { claim } = cases.find((c) => c.settlement.path === 'inpatient' && c.settlement.amounts.basic > 0)!;
    const book = builtInPolicyBook();
    const first = settle(claim, book);
    const resettled = settle({ ...claim, claimId: `${claim.claimId}-2`, yearToDate: { ...first.yearToDate, basicPaid: (first.yearToDate.basicPaid + 6_900_000) as Fen } }, book);

    // Act
    const record = toNhsaRecord(resettled, contextOfClaim(claim), book);

    // Assess
    expect(validateNhsaRecord(record)).toEqual([]);
    const basicRow = record.setldetail.find((row) => row.fund_pay_type === '390100')!;
    expect(basicRow.crt_payb_lmt_amt).toBe(Math.max(0, 7_000_000 - first.yearToDate.basicPaid - 6_900_000) / 100);
    expect(record.setlinfo.hifp_pay).toBeLessThanOrEqual(basicRow.crt_payb_lmt_amt);
  });

  it('refuses a record whose funds do not add up, naming the field', () => {
    // Prepare
    const { settlement } = cases.find((c) => c.settlement.amounts.basic > 0)!;
    const record = toNhsaRecord(settlement);

    // Act
    record.setlinfo.hifp_pay = yuan(settlement.amounts.basic + 1);
    const issues = validateNhsaRecord(record);

    // Assess
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining(['setlinfo.fund_pay_sumamt']));
  });

  it.each([
    ['an amount as a string', (r: Record<string, unknown>) => (r['medfee_sumamt'] = '12.00'), 'setlinfo.medfee_sumamt'],
    ['an amount with three decimals', (r: Record<string, unknown>) => (r['hifmi_pay'] = 0.001), 'setlinfo.hifmi_pay'],
    ['a null required code', (r: Record<string, unknown>) => (r['med_type'] = null), 'setlinfo.med_type'],
    ['a code not in its table', (r: Record<string, unknown>) => (r['insutype'] = '310x'), 'setlinfo.insutype'],
    ['an id over 30 characters', (r: Record<string, unknown>) => (r['medins_setl_id'] = 'x'.repeat(31)), 'setlinfo.medins_setl_id'],
    ['a field the interface does not have', (r: Record<string, unknown>) => (r['cash_payamt'] = 0), 'setlinfo.cash_payamt'],
    ['a missing field', (r: Record<string, unknown>) => delete r['balc'], 'setlinfo.balc'],
  ])('refuses %s', (_what, spoil, path) => {
    // Prepare
    const record = toNhsaRecord(cases[0]!.settlement);

    // Act
    spoil(record.setlinfo as unknown as Record<string, unknown>);

    // Assess
    expect(validateNhsaRecord(record).map((i) => i.path)).toContain(path);
  });

  it('writes amounts as numbers with two decimals', () => {
    // Prepare
    const record = toNhsaRecord(cases[0]!.settlement);

    // Act
    const text = nationalJson(record);

    // Assess
    expect(text).toMatch(/"medfee_sumamt":\d+\.\d{2}[,}]/);
    expect(text).toContain('"acct_pay":0.00');
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(record)));
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
