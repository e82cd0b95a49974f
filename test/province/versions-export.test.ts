/**
 * The exports of a re-settled claim are of its current version and say which version they are: the
 * FHIR Bundle in `meta.versionId`, the national record with a setl_id of its own (a correction's new
 * version is a new settlement in the national sense), each validated against its schema.
 */
import { describe, expect, it } from 'vitest';
import { parseClaim } from '../../shared/contract/claim.js';
import { appendClaim, applyCorrection, emptyMemberYear } from '../../shared/ledger/member-year.js';
import { exportSettlement } from '../../shared/province/exports/export.js';
import type { NhsaSettlementRecord } from '../../shared/province/exports/nhsa.js';
import { book } from '../support/checks.js';
import { catalogue, jinzhongInpatient } from '../support/claims.js';

describe('exports of a re-settled claim', () => {
  it('the national record has its own setl_id and validates; the FHIR Bundle names its version', () => {
    // Prepare: the worked case, R1 reversed, so R2 is re-settled as version 2.
    const r1 = parseClaim(jinzhongInpatient({ claimId: 'R1', items: [catalogue('30000.00')] }));
    const r2 = parseClaim(jinzhongInpatient({ claimId: 'R2', visit: { admittedOn: '2018-05-02', dischargedOn: '2018-05-10' }, items: [catalogue('10000.00')] }));
    const year = appendClaim(appendClaim(emptyMemberYear(r1.member.id, 2018), r1, book).memberYear, r2, book).memberYear;
    const first = year.entries[1]!.settlement;
    const { resettled } = applyCorrection(year, { kind: 'reversal', hospitalId: 'H-JZ-1', claimId: 'R1', at: '2018-06-01T00:00:00.000Z' }, book);
    const second = resettled[0]!;

    // Act
    const before = exportSettlement('nhsa', first, { dischargedOn: '2018-05-10', version: 1 }) as NhsaSettlementRecord;
    const after = exportSettlement('nhsa', second.settlement, { dischargedOn: '2018-05-10', version: second.version }) as NhsaSettlementRecord;
    const bundle = exportSettlement('fhir', second.settlement, { dischargedOn: '2018-05-10', version: second.version }) as { meta?: { versionId?: string } };

    // Assess (exportSettlement throws when a record does not validate)
    expect(second.version).toBe(2);
    expect(after.setlinfo.setl_id).not.toBe(before.setlinfo.setl_id);
    expect(after.setlinfo.setl_id).toHaveLength(before.setlinfo.setl_id.length);
    expect(after.setlinfo.hifp_pay).toBe(7200);
    expect(bundle.meta?.versionId).toBe('2');
  });
});
