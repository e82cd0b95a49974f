/**
 * `GET /claims/{h}/{c}/fhir`'s answer for a stored settlement (functions/intake/fhir.ts): the Bundle,
 * as FHIR JSON, validated, with each fund's benefit equal to the stored settlement's.
 */
import type { Bundle, ClaimResponse } from 'fhir/r4.js';
import { describe, expect, it } from 'vitest';
import { settlementToJson, yearToDateToJson } from '../../shared/engine/settlement.js';
import { emptyYearToDate } from '../../shared/contract/claim.js';
import { parseMoney } from '../../shared/money/money.js';
import { settlementKey } from '../../functions/storage/keys.js';
import type { StoredSettlement } from '../../functions/storage/items.js';
import { FHIR_SYSTEMS } from '../../shared/province/exports/fhir-codes.js';
import { validateFhirBundle } from '../../shared/province/exports/schemas.js';
import { FHIR_JSON, fhirBundleAnswer } from '../../functions/intake/fhir.js';
import { profileIssues } from './fhir-profile.js';
import { type SettledCase, settledCases } from './helpers.js';

const cases = settledCases();

/** A stored settlement as the pipeline keeps it. */
function storedOf(c: SettledCase, status: StoredSettlement['status'] = c.settlement.status): StoredSettlement {
  return {
    key: settlementKey(c.settlement.hospitalId, c.settlement.claimId),
    status,
    dischargedOn: c.claim.visit.dischargedOn,
    settlement: settlementToJson(c.settlement),
    before: yearToDateToJson(emptyYearToDate()),
    settledAt: '2018-03-14T02:30:00.000Z',
    version: 1,
    ...(status === 'reversed' ? { reversedAt: '2018-03-20T01:00:00.000Z' } : {}),
  };
}

const responsesOf = (bundle: Bundle) => (bundle.entry ?? []).map((e) => e.resource).filter((r): r is ClaimResponse => r?.resourceType === 'ClaimResponse');
const benefit = (r: ClaimResponse) => r.total?.find((t) => t.category.coding?.some((c) => c.system === FHIR_SYSTEMS.adjudication && c.code === 'benefit'))?.amount;

describe('GET /claims/{h}/{c}/fhir', () => {
  it('answers 200 with the validated Bundle as FHIR JSON', () => {
    // Prepare
    const c = cases.find((k) => k.settlement.amounts.catastrophic > 0) ?? cases[0]!;

    // Act
    const answer = fhirBundleAnswer(storedOf(c));

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(answer.headers?.['content-type']).toBe(FHIR_JSON);
    const bundle = JSON.parse(String(answer.body)) as Bundle;
    expect(validateFhirBundle(bundle)).toEqual([]);
    expect(profileIssues(bundle)).toEqual([]);
    const paid = responsesOf(bundle).reduce((sum, r) => sum + parseMoney(String(benefit(r)?.value)), 0);
    const a = c.settlement.amounts;
    expect(paid).toBe(a.basic + a.catastrophic + a.assistance + a.charity);
    expect(responsesOf(bundle)[0]?.created).toBe('2018-03-14T02:30:00.000Z');
  });

  it('marks a reversed settlement cancelled', () => {
    // Prepare
    const c = cases.find((k) => k.settlement.status === 'settled')!;

    // Act
    const bundle = JSON.parse(String(fhirBundleAnswer(storedOf(c, 'reversed')).body)) as Bundle;

    // Assess
    expect(responsesOf(bundle).map((r) => r.status)).toEqual(responsesOf(bundle).map(() => 'cancelled'));
    expect(bundle.entry?.find((e) => e.resource?.resourceType === 'Claim')?.resource).toMatchObject({ status: 'cancelled' });
  });
});
