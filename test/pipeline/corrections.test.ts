/**
 * Corrections through the real local stack (DynamoDB Local + the SQS server): a reversal and a
 * replacement re-settle the later claims of the member-year as new versions, the worked case of
 * docs/pipeline.md to the fen; resends and concurrent corrections answer 4xx, never 500; a correction
 * cut off midway is carried out by the next claim of the member-year, which then settles after it.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClaimInput, parseClaim } from '../../shared/contract/claim.js';
import { settleFromScratch } from '../../shared/ledger/member-year.js';
import { formatMoney } from '../../shared/money/money.js';
import { builtInPolicyBook } from '../../shared/policy/book.js';
import type { RegistryFileInput } from '../../shared/registry/registry.js';
import { yearToDateToJson } from '../../shared/engine/settlement.js';
import { waitFor } from '../../local/stack.js';
import { catalogue, jinzhongInpatient } from '../support/claims.js';
import { api, startTestStack, type TestStack } from './helpers.js';

const HOSPITAL = 'H-JZ-1';
const book = builtInPolicyBook();

/** One hospital (county class 2 in 晋中) and a few members enrolled for 2018. */
function registry(members: number): RegistryFileInput {
  return {
    hospitals: [{ id: HOSPITAL, name: '县医院', poolingArea: 'jinzhong', designated: true, primaryCare: false, tiers: { jinzhong: 'class2-county' } }],
    members: Array.from({ length: members }, (_, i) => ({
      id: `M-JZ-${i + 1}`,
      region: 'jinzhong' as const,
      poolingArea: 'jinzhong',
      birthDate: '1970-05-20',
      categories: [],
      enrolments: [{ year: 2018, kind: 'regular' as const, paidOn: '2017-11-15' }],
    })),
    operators: [{ id: 'OPS-1', name: 'Operator' }],
  };
}

/** A 晋中 inpatient claim of the member, discharged in the month given, of `amount` yuan. */
const claimOf = (member: number, claimId: string, month: number, amount: string): ClaimInput =>
  jinzhongInpatient({
    claimId,
    member: { id: `M-JZ-${member}` },
    visit: { admittedOn: `2018-${String(month).padStart(2, '0')}-02`, dischargedOn: `2018-${String(month).padStart(2, '0')}-10` },
    items: [catalogue(amount)],
  });

/** Drops the first `n` totals writes' answers after they were written: a correction cut off midway. */
function cutOff(state: { putsToLose: number }) {
  return (client: DynamoDBClient): void => {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        const input = args.input as { Item?: { pk?: { S?: string } } };
        if (state.putsToLose > 0 && context.commandName === 'PutItemCommand' && input.Item?.pk?.S?.startsWith('R#')) {
          state.putsToLose--;
          throw Object.assign(new Error('injected: the process died after writing a version'), { name: 'TimeoutError' });
        }
        return result;
      },
      { step: 'initialize', name: 'cutOff' },
    );
  };
}

describe('corrections through the local pipeline', () => {
  let test: TestStack;
  const cut = { putsToLose: 0 };
  const key = (id: string): string => test.keys[id.startsWith('OPS') ? `operator:${id}` : `hospital:${id}`] ?? '';
  const post = (path: string, body?: unknown) => api(test.stack.apiUrl, 'POST', path, key(HOSPITAL), body);
  const get = (path: string) => api(test.stack.apiUrl, 'GET', path, key('OPS-1'));

  /** Sends a claim and waits for its settlement. */
  async function settled(claim: ClaimInput) {
    expect((await post('/claims', claim)).status).toBe(202);
    let answer = await get(`/claims/${HOSPITAL}/${claim.claimId}`);
    await waitFor(async () => (answer = await get(`/claims/${HOSPITAL}/${claim.claimId}`)).status !== 202, 60_000, 100);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body;
  }

  /** The member-year's ledger as the API shows it, and what settling its surviving claims from scratch gives. */
  async function ledgerAndScratch(member: number, surviving: readonly ClaimInput[]) {
    const ledger = await get(`/members/M-JZ-${member}/years/2018`);
    const scratch = settleFromScratch(surviving.map((c) => parseClaim(c)), book);
    return { ledger: ledger.body as { yearToDate: unknown; settlements: { status: string; settlement: { claimId: string; amounts: Record<string, string> } }[] }, scratch };
  }

  beforeAll(async () => {
    test = await startTestStack(registry(6), { fifo: true, intakeDynamo: cutOff(cut) });
  }, 180_000);
  afterAll(async () => {
    await test?.stack.stop();
  });

  it('reversing R1 re-settles R2: basic 7,200.00, catastrophic 0.00, adjustments −150.00 and −337.50, totals R2’s alone', async () => {
    // Prepare: the worked case, R1 30,000.00 then R2 10,000.00.
    const r1 = claimOf(1, 'R1', 3, '30000.00');
    const r2 = claimOf(1, 'R2', 5, '10000.00');
    await settled(r1);
    const second = await settled(r2);
    expect(second['settlement']).toMatchObject({ amounts: { deductible: '200.00', basic: '7350.00', catastrophic: '337.50' } });

    // Act
    const reversal = await post(`/claims/${HOSPITAL}/R1/reversal`);
    const r2Now = await get(`/claims/${HOSPITAL}/R2`);
    const again = await post(`/claims/${HOSPITAL}/R1/reversal`);

    // Assess
    expect(reversal.status, JSON.stringify(reversal.body)).toBe(200);
    expect(reversal.body).toMatchObject({ status: 'reversed', version: { claimId: 'R1', version: 2, status: 'reversed' } });
    const resettled = reversal.body['resettled'] as { claimId: string; version: number; adjustment: Record<string, string> }[];
    expect(resettled).toHaveLength(1);
    expect(resettled[0]).toMatchObject({ claimId: 'R2', version: 2, adjustment: { basic: '-150.00', catastrophic: '-337.50', patient: '487.50' } });
    expect(r2Now.body).toMatchObject({ status: 'settled', version: 2, settlement: { amounts: { deductible: '400.00', basic: '7200.00', catastrophic: '0.00' } } });
    expect((r2Now.body['versions'] as unknown[]).length).toBe(2);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'ALREADY_REVERSED' });
    const { ledger, scratch } = await ledgerAndScratch(1, [r2]);
    expect(ledger.yearToDate).toEqual(yearToDateToJson(scratch.totals));
  });

  it('a replacement re-settles what follows; an identical one changes nothing; a different resend is 409', async () => {
    // Prepare
    const a = claimOf(2, 'A-1', 3, '30000.00');
    const b = claimOf(2, 'A-2', 5, '10000.00');
    await settled(a);
    await settled(b);
    const corrected = { ...a, items: [catalogue('6000.00')] };

    // Act
    const replaced = await post(`/claims/${HOSPITAL}/A-1/replacement`, corrected);
    const same = await post(`/claims/${HOSPITAL}/A-1/replacement`, corrected);
    const resendOld = await post('/claims', a);
    const resendNew = await post('/claims', corrected);
    const moved = await post(`/claims/${HOSPITAL}/A-2/replacement`, { ...b, member: { ...b.member, id: 'M-JZ-3' } });

    // Assess
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200);
    expect(replaced.body).toMatchObject({ status: 'replaced', version: { claimId: 'A-1', version: 2 } });
    expect(same.body).toMatchObject({ status: 'unchanged' });
    expect(resendOld.status).toBe(409);
    expect(resendOld.body).toMatchObject({ error: 'CONFLICTING_RESEND' });
    expect(resendNew.status).toBe(200);
    expect(moved.status).toBe(422);
    const { ledger, scratch } = await ledgerAndScratch(2, [corrected, b]);
    expect(ledger.settlements.map((s) => s.settlement.amounts.basic)).toEqual(scratch.settlements.map((s) => formatMoney(s.amounts.basic)));
    expect(ledger.yearToDate).toEqual(yearToDateToJson(scratch.totals));
  });

  it('concurrent reversals of one member-year answer 200 or 409, never 500, and the year ends exact', async () => {
    // Prepare
    const claims = [claimOf(4, 'C-1', 2, '8000.00'), claimOf(4, 'C-2', 3, '9000.00'), claimOf(4, 'C-3', 4, '12000.00'), claimOf(4, 'C-4', 6, '3000.00')];
    for (const claim of claims) await settled(claim);

    // Act
    const answers = await Promise.all(['C-1', 'C-2', 'C-1', 'C-3'].map((id) => post(`/claims/${HOSPITAL}/${id}/reversal`)));
    // Whatever was refused as in progress is asked again once the first is done.
    for (const id of ['C-1', 'C-2', 'C-3']) {
      const state = await get(`/claims/${HOSPITAL}/${id}`);
      if (state.body['status'] !== 'reversed') expect((await post(`/claims/${HOSPITAL}/${id}/reversal`)).status).toBe(200);
    }

    // Assess
    for (const answer of answers) expect([200, 409], JSON.stringify(answer.body)).toContain(answer.status);
    const { ledger, scratch } = await ledgerAndScratch(4, [claims[3] as ClaimInput]);
    expect(ledger.yearToDate).toEqual(yearToDateToJson(scratch.totals));
    expect(ledger.settlements.filter((s) => s.status !== 'reversed').map((s) => s.settlement.amounts.basic)).toEqual(scratch.settlements.map((s) => formatMoney(s.amounts.basic)));
  });

  it('a correction cut off after its first version is carried out by the next claim, which settles after it', async () => {
    // Prepare: three claims, so reversing the first re-settles two.
    const claims = [claimOf(5, 'D-1', 2, '30000.00'), claimOf(5, 'D-2', 4, '10000.00'), claimOf(5, 'D-3', 6, '10000.00')];
    for (const claim of claims) await settled(claim);
    cut.putsToLose = 1;

    // Act: the reversal dies after its first version; then a new claim of the member arrives.
    const cutAnswer = await post(`/claims/${HOSPITAL}/D-1/reversal`);
    const pending = await get('/members/M-JZ-5/years/2018');
    const later = claimOf(5, 'D-4', 8, '5000.00');
    await settled(later);

    // Assess
    expect(cutAnswer.status).toBe(503);
    expect(pending.body['pendingCorrection']).toMatchObject({ kind: 'reversal' });
    const { ledger, scratch } = await ledgerAndScratch(5, [claims[1] as ClaimInput, claims[2] as ClaimInput, later]);
    expect((ledger as unknown as Record<string, unknown>)['pendingCorrection']).toBeUndefined();
    expect(ledger.settlements.map((s) => s.settlement.claimId)).toEqual(['D-1', 'D-2', 'D-3', 'D-4']);
    expect(ledger.settlements[0]?.status).toBe('reversed');
    expect(ledger.settlements.slice(1).map((s) => s.settlement.amounts.basic)).toEqual(scratch.settlements.map((s) => formatMoney(s.amounts.basic)));
    expect(ledger.yearToDate).toEqual(yearToDateToJson(scratch.totals));
    expect((await post(`/claims/${HOSPITAL}/D-1/reversal`)).body).toMatchObject({ error: 'ALREADY_REVERSED' });
  });
});
