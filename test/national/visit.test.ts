/**
 * The national interface's pure core: a visit built up call by call (admission, fee lines, discharge)
 * becomes the claim the engine settles, and the lines' own answers add up to the settlement's split.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseClaim } from '../../shared/contract/claim.js';
import { settle } from '../../shared/engine/settle.js';
import { builtInPolicyBook } from '../../shared/policy/book.js';
import { parseWith } from '../../shared/national/envelope.js';
import { admissionInput, dischargeInput, feeUploadInput } from '../../shared/national/inputs.js';
import { FEE_RESULT_FIELDS, validateFields } from '../../shared/national/fields.js';
import { InvalidCatalogueError, parseCatalogue } from '../../shared/national/catalogue.js';
import { admit, cancelFees, claimOfVisit, discharge, feeResultOf, lineScopeOfVisit, uploadFees, visitTotal } from '../../shared/national/visit.js';
import { factsOfVisit, personOf } from '../../shared/national/answers.js';
import { toNationalRecord } from '../../shared/national/setlinfo.js';
import { validateNationalRecord } from '../../shared/national/validate.js';
import { DEMO_FIXMEDINS_CODE, demoCatalogueOf, nationalDemoRegistry } from '../../local/national/demo.js';
import { STAY_LINES, admission, dischargeOf, feeDetail } from './factories.js';
import { parseRegistry } from '../../shared/registry/registry.js';

const book = builtInPolicyBook();
const catalogue = demoCatalogueOf();
const year = new Date().getUTCFullYear();
const registry = parseRegistry(nationalDemoRegistry(year));
const member = registry.members[0]!;
const hospital = registry.hospitals[0]!;

function stay(lines = STAY_LINES) {
  const admitted = parseWith(admissionInput, admission(), 'input');
  let visit = admit({ mdtrtId: 'MD0001', hospitalId: DEMO_FIXMEDINS_CODE, msgid: 'm1', family: 'inpatient', info: admitted.mdtrtinfo, diagnoses: admitted.diseinfo });
  const policy = book.inForce(member.region, visit.admittedOn)?.policy;
  const upload = uploadFees(visit, parseWith(feeUploadInput, { feedetail: feeDetail('MD0001', member.id, lines) }, 'input').feedetail, 'm2', catalogue, policy);
  visit = upload.visit;
  const out = parseWith(dischargeInput, dischargeOf('MD0001'), 'input');
  visit = discharge(visit, out.dscginfo, out.diseinfo, 'm3');
  return { visit, added: upload.added };
}

describe('a visit built call by call', () => {
  it('answers every fee line in the national shape, unknown codes wholly own pay with a reason', () => {
    // Act
    const { added } = stay();

    // Assess
    for (const [index, line] of added.entries()) expect(validateFields(feeResultOf(line), FEE_RESULT_FIELDS, `result.${index}.`)).toEqual([]);
    const unknown = added.find((line) => line.code === 'NOT-IN-CATALOGUE-0001')!;
    expect(feeResultOf(unknown)).toMatchObject({ fulamt_ownpay_amt: 55, inscp_scp_amt: 0, selfpay_prop: 1, chrgitm_lv: '03' });
    expect(unknown.memo).toContain('医保目录中无编码');
    const classB = feeResultOf(added.find((line) => line.code === 'XA02BCA211A001010104753')!);
    expect(classB).toMatchObject({ selfpay_prop: 0.1, chrgitm_lv: '02', preselfpay_amt: 4.48, inscp_scp_amt: 40.32 });
  });

  it('settles as the engine settles the equivalent claim, and the lines add up to the split', () => {
    // Prepare
    const { visit } = stay();

    // Act
    const claim = parseClaim(claimOfVisit(visit, 'MD0001', member, hospital, catalogue, visit.dischargedOn!));
    const settlement = settle(claim, book);
    const record = toNationalRecord(settlement, factsOfVisit(visit, 'MD0001', 'msg-2304', personOf(member, visit.admittedOn, { name: '张*', certno: '140***********34' }, member.idNumber)));

    // Assess
    expect(settlement.status).toBe('settled');
    expect(settlement.amounts.total).toBe(visitTotal(visit));
    const lines = lineScopeOfVisit(visit);
    expect(lines).toEqual({ fullOwnPay: settlement.amounts.fullOwnPay, preSelfPay: settlement.amounts.preSelfPay, policyScope: settlement.amounts.policyScope });
    expect(validateNationalRecord(record)).toEqual([]);
    expect(record.setlinfo).toMatchObject({ mdtrt_id: 'MD0001', medins_setl_id: 'msg-2304', psn_name: '张*', gend: '1', psn_type: '1401' });
    expect(record.setlinfo.setl_id).not.toBe('MD0001');
  });

  it('for any subset of lines, the per-line answers add up to the settlement of the same lines', () => {
    fc.assert(
      fc.property(fc.subarray([...STAY_LINES], { minLength: 1 }), (lines) => {
        // Act
        const { visit } = stay(lines);
        const settlement = settle(parseClaim(claimOfVisit(visit, 'MD0001', member, hospital, catalogue, visit.dischargedOn!)), book);

        // Assess
        const scope = lineScopeOfVisit(visit);
        expect(scope.fullOwnPay + scope.preSelfPay + scope.policyScope).toBe(settlement.amounts.total);
        if (settlement.path !== 'serious-disease') expect(scope.policyScope).toBe(settlement.amounts.policyScope);
      }),
      { numRuns: 40 },
    );
  });

  it('refuses a fee line number already uploaded, naming the field; 2302 of it lets it be sent again', () => {
    // Prepare
    const { visit } = stay();
    const again = parseWith(feeUploadInput, { feedetail: feeDetail('MD0001', member.id, STAY_LINES.slice(0, 1)) }, 'input').feedetail;

    // Act
    const act = () => uploadFees(visit, again, 'm4', catalogue, undefined);
    const cancelled = cancelFees(visit, 'FY000001');

    // Assess
    expect(act).toThrow(expect.objectContaining({ field: 'input.feedetail.0.feedetl_sn' }));
    expect(uploadFees(cancelled, again, 'm4', catalogue, undefined).added).toHaveLength(1);
  });

  it('a diagnosis on the agency list settles as that serious disease with its quota', () => {
    // Prepare
    const { visit } = stay();
    const cancer = { ...visit, diagnosis: 'C34.901' };

    // Act
    const claim = claimOfVisit(cancer, 'MD0001', member, hospital, catalogue, visit.dischargedOn!);

    // Assess
    expect(claim.visit.seriousDisease).toEqual({ code: 'lung-cancer', group: 'adult-class', quota: '30000.00' });
  });
});

describe('the catalogue file', () => {
  it('refuses a class-b entry without its ratio and a duplicated code, naming the field', () => {
    // Prepare
    const file = { id: 'x', version: '1', source: 'test', items: [{ med_list_codg: 'A', name: 'a', category: 'class-b' }] };
    const twice = { id: 'x', version: '1', source: 'test', items: [{ med_list_codg: 'A', name: 'a', category: 'catalogue' }, { med_list_codg: 'A', name: 'b', category: 'catalogue' }] };

    // Act / Assess
    expect(() => parseCatalogue(file)).toThrow(InvalidCatalogueError);
    expect(() => parseCatalogue(file)).toThrow(/items\.0\.selfPayRatio/);
    expect(() => parseCatalogue(twice)).toThrow(/items\.1\.med_list_codg/);
  });
});
