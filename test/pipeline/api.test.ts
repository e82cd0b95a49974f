/**
 * Acceptance: a hospital's key cannot submit for, or read, another hospital's claims; the registry is
 * authoritative; reversal restores the totals to the fen and a later claim settles as if the reversed
 * one had never been.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimInput } from '../../shared/contract/claim.js';
import { parseClaim } from '../../shared/contract/claim.js';
import { settle } from '../../shared/engine/settle.js';
import { settlementToJson } from '../../shared/engine/settlement.js';
import { parseMoney } from '../../shared/money/money.js';
import { builtInPolicyBook } from '../../shared/policy/book.js';
import { generatedClaim, generatedRegistry, memberId, random } from '../../local/generate.js';
import { waitFor } from '../../local/stack.js';
import { htmlAmounts } from '../support/slip-reading.js';
import { ZERO_TOTALS, api, type ApiAnswer, startTestStack, submit, type TestStack } from './helpers.js';

describe('the intake API', () => {
  let test: TestStack;
  let base: string;
  const rand = random(21);
  const key = (id: string): string => test.keys[id.startsWith('OPS') ? `operator:${id}` : `hospital:${id}`] ?? '';
  const claimAt = (member: number, sequence: number, hospital: 'H-GEN-A' | 'H-GEN-B' | 'H-GEN-C'): ClaimInput => {
    const claim = generatedClaim(member, sequence, rand);
    return { ...claim, claimId: `API-${member}-${sequence}`, hospital: { ...claim.hospital, id: hospital } };
  };
  /** Submits and waits for the answer. */
  const settled = async (claim: ClaimInput): Promise<ApiAnswer> => {
    await submit(test, claim);
    let answer: ApiAnswer | undefined;
    await waitFor(async () => {
      answer = await api(base, 'GET', `/claims/${claim.hospital.id}/${claim.claimId}`, key(claim.hospital.id));
      return answer.status !== 202;
    }, 30_000, 50);
    return answer as ApiAnswer;
  };
  const totalsOf = async (member: number) =>
    (await api(base, 'GET', `/members/${memberId(member)}/years/2018`, key('OPS-1'))).body as { yearToDate: typeof ZERO_TOTALS; settlements: unknown[] };

  beforeAll(async () => {
    test = await startTestStack(generatedRegistry(10), { fifo: true });
    base = test.stack.apiUrl;
  }, 180_000);
  afterAll(async () => {
    await test?.stack.stop();
  });

  it('refuses callers without a valid key (401) and keys of another hospital (403)', async () => {
    // Prepare
    const claim = claimAt(1, 0, 'H-GEN-A');
    await settled(claim);

    // Act
    const noKey = await api(base, 'POST', '/claims', undefined, claim);
    const badKey = await api(base, 'POST', '/claims', 'ck_not-a-key', claim);
    const otherSubmits = await api(base, 'POST', '/claims', key('H-GEN-B'), claim);
    const operatorSubmits = await api(base, 'POST', '/claims', key('OPS-1'), claim);
    const otherReads = await api(base, 'GET', `/claims/H-GEN-A/${claim.claimId}`, key('H-GEN-B'));
    const otherReverses = await api(base, 'POST', `/claims/H-GEN-A/${claim.claimId}/reversal`, key('H-GEN-B'));
    const hospitalReadsMember = await api(base, 'GET', `/members/${memberId(1)}/years/2018`, key('H-GEN-A'));
    const ownerReads = await api(base, 'GET', `/claims/H-GEN-A/${claim.claimId}`, key('H-GEN-A'));

    // Assess
    expect(noKey.status).toBe(401);
    expect(badKey.status).toBe(401);
    expect(otherSubmits).toMatchObject({ status: 403, body: { error: 'FORBIDDEN' } });
    expect(operatorSubmits.status).toBe(403);
    expect(otherReads.status).toBe(403);
    expect(otherReverses.status).toBe(403);
    expect(hospitalReadsMember.status).toBe(403);
    expect(ownerReads).toMatchObject({ status: 200, body: { status: 'settled', settlement: { claimId: claim.claimId } } });
  });

  it('answers 400 with the field errors, 422 for an unknown member, 404 UNKNOWN_CLAIM for a claim never sent', async () => {
    // Prepare
    const claim = claimAt(2, 0, 'H-GEN-A');

    // Act
    const invalid = await api(base, 'POST', '/claims', key('H-GEN-A'), { ...claim, items: [{ category: 'catalogue', amount: 12.5 }] });
    const notJson = await api(base, 'POST', '/claims', key('H-GEN-A'), '{"claimId":');
    const stranger = await api(base, 'POST', '/claims', key('H-GEN-A'), { ...claim, member: { ...claim.member, id: 'M-NOBODY' } });
    const unseen = await api(base, 'GET', '/claims/H-GEN-A/NEVER-SENT', key('H-GEN-A'));
    const noRoute = await api(base, 'DELETE', '/claims', key('H-GEN-A'));

    // Assess
    expect(invalid.status).toBe(400);
    expect(invalid.body['error']).toBe('INVALID_CLAIM');
    expect(invalid.body['issues']).toContainEqual({ path: 'items.0.amount', message: expect.any(String) });
    expect(notJson).toMatchObject({ status: 400, body: { error: 'INVALID_CLAIM', issues: [{ path: '' }] } });
    expect(stranger).toMatchObject({ status: 422, body: { error: 'UNKNOWN_MEMBER' } });
    expect(unseen).toMatchObject({ status: 404, body: { error: 'UNKNOWN_CLAIM' } });
    expect(noRoute.status).toBe(405);
  });

  it('settles on the registry facts: a claim cannot raise its hospital tier or add member categories', async () => {
    // Prepare: H-GEN-C is class3 in the registry; member 3 has no categories.
    const claim = claimAt(3, 0, 'H-GEN-C');
    const boasting = {
      ...claim,
      hospital: { ...claim.hospital, tier: 'class1-city' },
      member: { ...claim.member, categories: ['minimum-living' as const] },
    };

    // Act
    const answer = await settled(boasting);

    // Assess
    const expected = settle(parseClaim({ ...claim, hospital: { ...claim.hospital, tier: 'class3' } }), builtInPolicyBook());
    expect(answer.body.settlement?.amounts).toEqual(settlementToJson(expected).amounts);
  });

  it('reverses a settlement exactly; a later claim settles as if it had never been; twice or unknown is an error', async () => {
    // Prepare: member 4 gets A (to be reversed) then C; member 5, with the same registry facts, only C.
    const a = claimAt(4, 0, 'H-GEN-A');
    const c = claimAt(4, 1, 'H-GEN-B');
    const cControl = { ...c, claimId: 'API-5-1', member: { ...c.member, id: memberId(5) } };
    const first = await settled(a);
    expect((await totalsOf(4)).yearToDate.basicPaid).toBe(first.body.settlement?.amounts.basic);

    // Act
    const reversed = await api(base, 'POST', `/claims/H-GEN-A/${a.claimId}/reversal`, key('H-GEN-A'));
    const twice = await api(base, 'POST', `/claims/H-GEN-A/${a.claimId}/reversal`, key('H-GEN-A'));
    const unknown = await api(base, 'POST', '/claims/H-GEN-A/NO-SUCH-CLAIM/reversal', key('H-GEN-A'));
    const afterReversal = await totalsOf(4);
    const later = await settled(c);
    const control = await settled(cControl);
    const resubmitted = await settled({ ...a, claimId: `${a.claimId}-R` });
    const stillReversed = await api(base, 'GET', `/claims/H-GEN-A/${a.claimId}`, key('H-GEN-A'));

    // Assess
    expect(reversed).toMatchObject({ status: 200, body: { status: 'reversed', yearToDate: ZERO_TOTALS } });
    expect(twice).toMatchObject({ status: 409, body: { error: 'ALREADY_REVERSED' } });
    expect(unknown).toMatchObject({ status: 404, body: { error: 'UNKNOWN_CLAIM' } });
    expect(afterReversal.yearToDate).toEqual(ZERO_TOTALS);
    expect(later.body.settlement?.amounts).toEqual(control.body.settlement?.amounts);
    expect(later.body.settlement?.yearToDate).toEqual(control.body.settlement?.yearToDate);
    expect(resubmitted.body.status).toBe('settled');
    expect(stillReversed.body).toMatchObject({ status: 'reversed', settlement: { claimId: a.claimId }, reversedAt: expect.any(String) });
    const member = await totalsOf(4);
    expect(member.settlements).toHaveLength(3);
    expect(member.yearToDate).toEqual(resubmitted.body.settlement?.yearToDate);
  });

  it('refuses to reverse a rejected claim', async () => {
    // Prepare: a claim discharged in 2019, when member 6 is not enrolled.
    const claim = claimAt(6, 0, 'H-GEN-A');
    const rejected = await settled({ ...claim, visit: { ...claim.visit, admittedOn: '2019-02-01', dischargedOn: '2019-02-03' } });
    expect(rejected.body).toMatchObject({ status: 'rejected', settlement: { rejection: { code: 'NOT_ENROLLED' } } });

    // Act
    const answer = await api(base, 'POST', `/claims/H-GEN-A/${claim.claimId}/reversal`, key('H-GEN-A'));

    // Assess
    expect(answer).toMatchObject({ status: 409, body: { error: 'NOT_REVERSIBLE' } });
  });

  it('GET /claims/{h}/{c}/fhir answers the Bundle: each fund benefit is the stored amount; 403 for another hospital, 404 unsettled', async () => {
    // Prepare
    const claim = claimAt(7, 0, 'H-GEN-A');
    const stored = (await settled(claim)).body.settlement!;

    // Act
    const answer = await api(base, 'GET', `/claims/H-GEN-A/${claim.claimId}/fhir`, key('H-GEN-A'));
    const other = await api(base, 'GET', `/claims/H-GEN-A/${claim.claimId}/fhir`, key('H-GEN-B'));
    const unseen = await api(base, 'GET', '/claims/H-GEN-A/NEVER-SENT/fhir', key('H-GEN-A'));

    // Assess
    expect(answer.status).toBe(200);
    const entries = (answer.body['entry'] as { resource: { resourceType: string; total?: { category: { coding: { code: string }[] }; amount: { value: number } }[] } }[]).map((e) => e.resource);
    const benefits = entries
      .filter((r) => r.resourceType === 'ClaimResponse')
      .map((r) => parseMoney(String(r.total!.find((t) => t.category.coding.some((c) => c.code === 'benefit'))!.amount.value)));
    const [basic, ...later] = [stored.amounts.basic, stored.amounts.catastrophic, stored.amounts.assistance, stored.amounts.charity].map((text) => parseMoney(text));
    expect(benefits[0]).toBe(basic);
    expect(benefits.slice(1).reduce((sum, fen) => sum + fen, 0)).toBe(later.reduce((sum, fen) => sum + fen, 0));
    expect(other.status).toBe(403);
    expect(unseen).toMatchObject({ status: 404, body: { error: 'NOT_SETTLED' } });
  });

  it('GET /claims/{h}/{c}/slip answers the printable slip: the stored amounts, the registry\'s names masked; 403, 404 and a bad paper 400', async () => {
    // Prepare
    const claim = claimAt(8, 0, 'H-GEN-A');
    const stored = (await settled(claim)).body.settlement!;
    const page = async (path: string, id: string) => {
      const response = await fetch(`${base}${path}`, { headers: { 'x-api-key': key(id) } });
      return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
    };

    // Act
    const answer = await page(`/claims/H-GEN-A/${claim.claimId}/slip`, 'H-GEN-A');
    const receipt = await page(`/claims/H-GEN-A/${claim.claimId}/slip?paper=receipt`, 'OPS-1');
    const other = await page(`/claims/H-GEN-A/${claim.claimId}/slip`, 'H-GEN-B');
    const unseen = await page('/claims/H-GEN-A/NEVER-SENT/slip', 'H-GEN-A');
    const badPaper = await page(`/claims/H-GEN-A/${claim.claimId}/slip?paper=a5`, 'H-GEN-A');

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^text\/html/);
    const { amounts } = htmlAmounts(answer.text);
    expect(amounts).toEqual(stored.amounts);
    // Member 8 of the generated registry: 测试8, ID number 14070219800101 0008.
    expect(answer.text).toContain('测**');
    expect(answer.text).toContain('140*************08');
    expect(answer.text).not.toContain('测试8');
    expect(answer.text).toContain('Generated hospital 1');
    // The stored content settled again: every line of the explanation has its Chinese sentence, and the visit's dates show.
    expect(answer.text).toContain(claim.visit.admittedOn);
    expect(answer.text).toMatch(/统筹支付：\(政策范围内费用 [\d,]+\.\d{2} − 起付线 [\d,]+\.\d{2}\) × 支付比例 \d+% = [\d,]+\.\d{2}/);
    expect(receipt.status).toBe(200);
    expect(receipt.text).toContain('size: 80mm');
    expect(other.status).toBe(403);
    expect(unseen.status).toBe(404);
    expect(badPaper.status).toBe(400);
    expect(JSON.parse(badPaper.text)).toMatchObject({ issues: [{ path: 'paper' }] });
  });
});
