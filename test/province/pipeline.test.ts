/**
 * The agency's API on the local pipeline (DynamoDB Local + fauxqs): claims discharged over three months
 * go through intake, the queue and the settle handler; some are reversed; the statement of the
 * settlement period (the days the test ran) covers every one of them whatever its discharge month, and
 * equals the sum of the stored settlements it covers, reversals netted, to the fen, with the 5% deposit; and
 * the reconciliation endpoint finds the differences planted in a hospital's upload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimInput } from '../../shared/contract/claim.js';
import type { SettlementJson } from '../../shared/engine/settlement.js';
import { formatMoney, parseMoney } from '../../shared/money/money.js';
import { generatedClaim, generatedRegistry, random } from '../../local/generate.js';
import { waitFor } from '../../local/stack.js';
import { api, inParallel, startTestStack, submit, type TestStack } from '../pipeline/helpers.js';

const pad = (n: number): string => String(n).padStart(2, '0');
const MEMBERS = 30;

/** Three claims a member, in discharge order: mostly March 2018, some in February or April. */
function monthOfClaims(): ClaimInput[] {
  const rand = random(77);
  const claims: ClaimInput[] = [];
  for (let m = 0; m < MEMBERS; m++) {
    const dates: [string, string][] = [
      m % 4 === 0 ? ['2018-02-05', '2018-02-12'] : [`2018-03-0${1 + (m % 5)}`, `2018-03-${pad(6 + (m % 5))}`],
      [`2018-03-${pad(12 + (m % 4))}`, `2018-03-${pad(16 + (m % 4))}`],
      m % 5 === 0 ? ['2018-03-28', '2018-04-02'] : ['2018-03-25', '2018-03-31'],
    ];
    dates.forEach(([admittedOn, dischargedOn], s) => {
      const claim = generatedClaim(m, s, rand);
      claims.push({ ...claim, claimId: `MONTH-${m}-${s}`, visit: { ...claim.visit, admittedOn, dischargedOn } });
    });
  }
  return claims;
}

interface Stored {
  readonly claim: ClaimInput;
  status: string;
  settlement: SettlementJson;
}

describe('the agency API on the local pipeline', () => {
  let test: TestStack;
  let base: string;
  const key = (id: string): string => test.keys[id.startsWith('OPS') ? `operator:${id}` : `hospital:${id}`] ?? '';
  const claims = monthOfClaims();
  const stored = new Map<string, Stored>();
  // The settlement period: the UTC days the claims were settled on (a run may cross midnight).
  let period = '';
  /** Claims whose amounts a reversal changed: each has a second version. */
  let resettled: string[] = [];
  /** Each claim's first settlement, before the reversals. */
  const firstVersions = new Map<string, SettlementJson>();
  let before = '';

  beforeAll(async () => {
    const from = new Date().toISOString().slice(0, 10);
    before = new Date(Date.parse(from) - 86_400_000).toISOString().slice(0, 10);
    test = await startTestStack(generatedRegistry(MEMBERS), { fifo: true });
    base = test.stack.apiUrl;
    await inParallel(claims, 8, (claim) => submit(test, claim));
    await inParallel(claims, 8, async (claim) => {
      await waitFor(async () => {
        const answer = await api(base, 'GET', `/claims/${claim.hospital.id}/${claim.claimId}`, key('OPS-1'));
        if (answer.status === 202) return false;
        expect(answer.status, JSON.stringify(answer.body)).toBe(200);
        stored.set(claim.claimId, { claim, status: answer.body.status as string, settlement: answer.body.settlement as SettlementJson });
        return true;
      }, 120_000, 100);
    });
    // Reverse three of H-GEN-A's March settlements.
    const toReverse = claims.filter((c) => c.hospital.id === 'H-GEN-A' && c.visit.dischargedOn.startsWith('2018-03') && stored.get(c.claimId)?.status === 'settled').slice(0, 3);
    for (const claim of toReverse) {
      const answer = await api(base, 'POST', `/claims/H-GEN-A/${claim.claimId}/reversal`, key('H-GEN-A'));
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      (stored.get(claim.claimId) as Stored).status = 'reversed';
    }
    // A reversal re-settles the member's later claims (at either hospital): read the current versions.
    for (const [id, s] of stored) firstVersions.set(id, s.settlement);
    await inParallel(claims, 8, async (claim) => {
      const answer = await api(base, 'GET', `/claims/${claim.hospital.id}/${claim.claimId}`, key('OPS-1'));
      const entry = stored.get(claim.claimId) as Stored;
      if (entry.status !== 'reversed') entry.settlement = answer.body.settlement as SettlementJson;
    });
    resettled = [...stored].filter(([id, s]) => s.status !== 'reversed' && JSON.stringify(s.settlement.amounts) !== JSON.stringify(firstVersions.get(id)?.amounts)).map(([id]) => id);
    period = `from=${from}&to=${new Date().toISOString().slice(0, 10)}`;
  }, 300_000);

  afterAll(async () => {
    await test?.stack.stop();
  });

  // Settled in the period: all of the hospital's claims, discharged in February, March or April.
  const inPeriodAt = (hospitalId: string) => [...stored.values()].filter((s) => s.claim.hospital.id === hospitalId);

  it('GET /hospitals/{id}/statements: fund totals equal the stored settlements, reversals netted, to the fen', async () => {
    // Prepare
    const covered = inPeriodAt('H-GEN-A');
    const sum = (status: string, key: 'basic' | 'catastrophic' | 'assistance' | 'charity') =>
      covered.filter((s) => s.status === status).reduce((total, s) => total + parseMoney(s.settlement.amounts[key]), 0);

    // Act
    const answer = await api(base, 'GET', `/hospitals/H-GEN-A/statements?${period}`, key('H-GEN-A'));
    const earlier = await api(base, 'GET', `/hospitals/H-GEN-A/statements?from=2018-03-01&to=${before}`, key('H-GEN-A'));

    // Assess: the discharge months do not matter, the settlement days do.
    expect(answer.status).toBe(200);
    expect(new Set(covered.map((s) => s.claim.visit.dischargedOn.slice(0, 7)))).toEqual(new Set(['2018-02', '2018-03', '2018-04']));
    expect(earlier.body['claims']).toEqual({ total: 0, settled: 0, rejected: 0, reversed: 0, adjusted: 0 });
    const statement = answer.body as unknown as {
      claims: Record<string, number>;
      funds: { fundPayType: string; settled: string; reversed: string; net: string }[];
      fundTotal: { net: string };
      qualityDeposit: { withheld: string };
      netToPay: string;
    };
    expect(covered.filter((s) => s.status === 'reversed')).toHaveLength(3);
    // Each claim counts once, in the period it was accepted; the three reversals and each re-settlement
    // a reversal made count as versions of the period they were made in (this one too).
    const firstSettled = covered.filter((s) => firstVersions.get(s.claim.claimId)?.status === 'settled');
    expect(statement.claims).toMatchObject({ total: covered.length, settled: firstSettled.length, rejected: covered.length - firstSettled.length, reversed: 3 });
    expect(statement.claims['adjusted']).toBeGreaterThanOrEqual(covered.filter((s) => resettled.includes(s.claim.claimId)).length);
    const keys = { '390100': 'basic', '390200': 'catastrophic', '610100': 'assistance', '999997': 'charity' } as const;
    let fundNet = 0;
    for (const fund of statement.funds as unknown as { fundPayType: string; settled: string; reversed: string; adjusted: string; net: string }[]) {
      const k = keys[fund.fundPayType as keyof typeof keys];
      // The net is what the claims' current versions pay; the first versions' sum, less the reversals, plus the adjustments.
      const net = sum('settled', k);
      fundNet += net;
      expect(fund.net).toBe(formatMoney(net as never));
      expect(fund.settled).toBe(formatMoney(firstSettled.reduce((total, s) => total + parseMoney(firstVersions.get(s.claim.claimId)!.amounts[k]), 0) as never));
      const signed = (text: string): number => (text.startsWith('-') ? -parseMoney(text.slice(1)) : parseMoney(text));
      expect(signed(fund.settled) + signed(fund.reversed) + signed(fund.adjusted)).toBe(net);
    }
    const deposit = Math.floor((sum('settled', 'basic') * 5 + 50) / 100);
    expect(statement.fundTotal.net).toBe(formatMoney(fundNet as never));
    expect(statement.qualityDeposit.withheld).toBe(formatMoney(deposit as never));
    expect(statement.netToPay).toBe(formatMoney((fundNet - deposit) as never));
  });

  it('gives the operator the same statement, CSV on request, and refuses another hospital and a bad period', async () => {
    // Act
    const own = await api(base, 'GET', `/hospitals/H-GEN-A/statements?${period}`, key('H-GEN-A'));
    const operator = await api(base, 'GET', `/hospitals/H-GEN-A/statements?${period}`, key('OPS-1'));
    const other = await api(base, 'GET', `/hospitals/H-GEN-A/statements?${period}`, key('H-GEN-B'));
    const backwards = await api(base, 'GET', '/hospitals/H-GEN-A/statements?from=2018-03-31&to=2018-03-01', key('OPS-1'));
    const csv = await fetch(`${base}/hospitals/H-GEN-A/statements?${period}&format=csv`, { headers: { 'x-api-key': key('OPS-1') } });

    // Assess
    expect(operator).toEqual(own);
    expect(other.status).toBe(403);
    expect(backwards).toMatchObject({ status: 400, body: { error: 'INVALID_REQUEST' } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect((await csv.text()).startsWith('hospital,from,to,section')).toBe(true);
  });

  it('POST /hospitals/{id}/reconciliations finds the differences planted in the hospital upload', async () => {
    // Prepare: H-GEN-B's settlements of the period as the hospital sees them; one left out, one a fen off, one extra.
    const mine = inPeriodAt('H-GEN-B').filter((s) => s.status === 'settled');
    expect(mine.length).toBeGreaterThan(3);
    const rows = mine.slice(1).map((s, i) => {
      const a = s.settlement.amounts;
      const basic = i === 0 ? formatMoney((parseMoney(a.basic) + 1) as never) : a.basic;
      return [s.claim.claimId, s.claim.visit.dischargedOn, a.total, basic, a.catastrophic, a.assistance, a.charity].join(',');
    });
    rows.push('HIS-EXTRA-1,2018-03-20,100.00,50.00,0.00,0.00,0.00');
    const body = `claim_id,discharge_date,medfee_sumamt,hifp_pay,hifmi_pay,maf_pay,oth_pay\n${rows.join('\n')}\n`;

    // Act
    const response = await fetch(`${base}/hospitals/H-GEN-B/reconciliations?${period}`, {
      method: 'POST',
      headers: { 'x-api-key': key('H-GEN-B'), 'content-type': 'text/csv' },
      body,
    });
    const answer = (await response.json()) as { summary: Record<string, unknown>; findings: { kind: string; claimId: string; differences?: { field: string; delta: string }[] }[] };

    // Assess
    expect(response.status).toBe(200);
    expect(answer.findings.map((f) => [f.kind, f.claimId]).sort()).toEqual(
      [
        ['only-ours', mine[0]!.claim.claimId],
        ['differs', mine[1]!.claim.claimId],
        ['only-theirs', 'HIS-EXTRA-1'],
      ].sort(),
    );
    expect(answer.findings.find((f) => f.kind === 'differs')?.differences).toEqual([{ field: 'hifp_pay', ours: mine[1]!.settlement.amounts.basic, theirs: formatMoney((parseMoney(mine[1]!.settlement.amounts.basic) + 1) as never), delta: '0.01' }]);
    expect(answer.summary).toMatchObject({ matched: mine.length - 2, differing: 1, onlyOurs: 1, onlyTheirs: 1, agrees: false });
  });

  it('refuses a malformed upload with the line', async () => {
    // Act
    const response = await fetch(`${base}/hospitals/H-GEN-B/reconciliations?${period}`, {
      method: 'POST',
      headers: { 'x-api-key': key('H-GEN-B'), 'content-type': 'application/x-ndjson' },
      body: '{"claim_id":"A","discharge_date":"2018-03-02","medfee_sumamt":10.5}\n',
    });

    // Assess
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'INVALID_UPLOAD', line: 1 });
  });
});
