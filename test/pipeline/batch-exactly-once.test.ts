/**
 * The batch door and the feed under the single door's exactly-once and crash tests, asserted only
 * through HTTP (status codes, GET, the feed), never through the stored items' layout: each claim of a
 * batch sent twice (identical: a no-op; changed: 409 CONFLICTING_RESEND for that claim alone); a batch
 * half invalid (nothing stored for the refused half); the queue gone between the accepted records and
 * their sending, then the stack stopped and started again on its data folder — after the sweeper,
 * every claim of the batch settles exactly once. Standard queues: no FIFO deduplication helps.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimInput } from '../../shared/contract/claim.js';
import { generatedClaims, generatedRegistry } from '../../local/generate.js';
import { waitFor } from '../../local/stack.js';
import { api, startTestStack, type ApiAnswer, type TestStack } from './helpers.js';

const HOSPITAL = 'H-GEN-A';
const MEMBERS = 40;

/** `count` claims of HOSPITAL from the generated workload, with ids under `prefix`. */
function claimsOf(count: number, prefix: string, seed = 3): ClaimInput[] {
  const mine = generatedClaims(MEMBERS, 6, seed).filter((c) => c.hospital.id === HOSPITAL).slice(0, count);
  expect(mine).toHaveLength(count);
  return mine.map((c, i) => ({ ...c, claimId: `${prefix}-${i}` }));
}

/** The same claim with other content: its first line's amount changed. */
const changed = (claim: ClaimInput): ClaimInput => ({ ...claim, items: claim.items.map((item, i) => (i === 0 ? { ...item, amount: '1.23' } : item)) });

interface BatchResult {
  readonly index: number;
  readonly status: number;
  readonly error?: string;
  readonly state?: string;
  readonly claimId?: string;
}

/** HTTP of one test stack: the batch door, GET, and the whole feed. */
function door(test: () => TestStack) {
  const key = (): string => test().keys[`hospital:${HOSPITAL}`] ?? '';
  const results = (answer: ApiAnswer): BatchResult[] => {
    expect(answer.status, JSON.stringify(answer.body).slice(0, 300)).toBe(200);
    return answer.body['results'] as BatchResult[];
  };
  return {
    batch: async (claims: readonly unknown[]): Promise<BatchResult[]> => results(await api(test().stack.apiUrl, 'POST', '/claims:batch', key(), { claims })),
    get: (claimId: string): Promise<ApiAnswer> => api(test().stack.apiUrl, 'GET', `/claims/${HOSPITAL}/${claimId}`, key()),
    /** Every claim id the feed lists, from its start to its end, in order (duplicates kept). */
    feed: async (): Promise<string[]> => {
      const ids: string[] = [];
      let after: string | null = null;
      for (;;) {
        const query = new URLSearchParams({ limit: '100', ...(after ? { after } : {}) });
        const answer = await api(test().stack.apiUrl, 'GET', `/hospitals/${HOSPITAL}/settlements?${query}`, key());
        expect(answer.status).toBe(200);
        const page = answer.body as unknown as { settlements: { claimId: string }[]; next: string | null; more: boolean };
        ids.push(...page.settlements.map((s) => s.claimId));
        if (!page.more || page.settlements.length === 0) return ids;
        after = page.next;
      }
    },
  };
}

const fen = (yuan: string): number => Math.round(Number(yuan) * 100);

/**
 * Paid once, read through the operator's member route: for each member, the year's totals are the sum
 * of its settled claims (a claim settled twice would have added its payment twice), and no claim is listed twice.
 */
async function assertPaidOnce(test: TestStack, claims: readonly ClaimInput[]): Promise<void> {
  for (const memberId of new Set(claims.map((c) => c.member.id))) {
    const answer = await api(test.stack.apiUrl, 'GET', `/members/${memberId}/years/2018`, test.keys['operator:OPS-1']);
    expect(answer.status).toBe(200);
    const { yearToDate, settlements } = answer.body as unknown as {
      yearToDate: { basicPaid: string; admissions: number };
      settlements: { status: string; settlement: { claimId: string; path: string; amounts: { basic: string } } }[];
    };
    const settled = settlements.filter((s) => s.status === 'settled');
    expect(settlements.length).toBeGreaterThan(0);
    expect(new Set(settlements.map((s) => s.settlement.claimId)).size).toBe(settlements.length);
    expect(fen(yearToDate.basicPaid)).toBe(settled.reduce((sum, s) => sum + fen(s.settlement.amounts.basic), 0));
    expect(yearToDate.admissions).toBe(settled.filter((s) => s.settlement.path === 'inpatient').length);
  }
}

/** Waits until GET answers 200 (settled or rejected) for every claim. */
async function allSettled(get: (claimId: string) => Promise<ApiAnswer>, claimIds: readonly string[], timeoutMs = 90_000): Promise<void> {
  await waitFor(async () => (await Promise.all(claimIds.map(get))).every((answer) => answer.status === 200), timeoutMs, 200);
}

const withPrefix = (ids: readonly string[], prefix: string): string[] => ids.filter((id) => id.startsWith(`${prefix}-`));

describe('the batch door, exactly once', () => {
  let test: TestStack;
  const http = door(() => test);

  beforeAll(async () => {
    // Nothing settles until a test starts the poller.
    test = await startTestStack(generatedRegistry(MEMBERS), { fifo: false, poll: false, sweepEveryMs: 0, feedLagMs: 200 });
  }, 180_000);
  afterAll(async () => {
    await test?.stack.stop();
  });

  it('answers each claim of a batch sent twice by its content: identical a no-op, changed 409 for that claim alone; each settles once', async () => {
    // Prepare
    const claims = claimsOf(20, 'TWICE');
    const conflicting = new Set([3, 7]);
    const mixed = claims.map((claim, i) => (conflicting.has(i) ? changed(claim) : claim));

    // Act: sent, sent again identical and changed while queued; settled; sent again both ways.
    const first = await http.batch(claims);
    const sameWhileQueued = await http.batch(claims);
    const mixedWhileQueued = await http.batch(mixed);
    const poller = test.stack.startPolling();
    await allSettled(http.get, claims.map((c) => c.claimId));
    await waitFor(async () => (await test.stack.queueDepth()) === 0, 60_000);
    await poller.stop();
    test.stack.poller = undefined;
    const sameWhenSettled = await http.batch(claims);
    const mixedWhenSettled = await http.batch(mixed);
    const settled = await Promise.all(claims.map((c) => http.get(c.claimId)));
    await new Promise((resolve) => setTimeout(resolve, 400));
    const feed = withPrefix(await http.feed(), 'TWICE');

    // Assess
    expect(first.map((r) => r.status)).toEqual(claims.map(() => 202));
    expect(sameWhileQueued.map((r) => [r.status, r.state])).toEqual(claims.map(() => [202, 'queued']));
    expect(sameWhenSettled.map((r) => r.status)).toEqual(claims.map(() => 200));
    for (const answer of [mixedWhileQueued, mixedWhenSettled]) {
      expect(answer.filter((r) => r.status === 409).map((r) => [r.index, r.error])).toEqual([...conflicting].map((i) => [i, 'CONFLICTING_RESEND']));
      expect(answer.filter((r) => !conflicting.has(r.index)).every((r) => r.status === 202 || r.status === 200)).toBe(true);
    }
    // Settled from the first content, not the changed one.
    const total = (claim: ClaimInput): string => (claim.items.reduce((sum, item) => sum + Math.round(Number(item.amount) * 100), 0) / 100).toFixed(2);
    for (const i of conflicting) {
      const settlement = settled[i]?.body.settlement;
      expect(settlement?.claimId).toBe(claims[i]?.claimId);
      expect(settlement?.amounts.total).toBe(total(claims[i]!));
      expect(settlement?.amounts.total).not.toBe(total(changed(claims[i]!)));
    }
    expect(settled.every((answer) => answer.status === 200)).toBe(true);
    expect([...feed].sort()).toEqual(claims.map((c) => c.claimId).sort());
    await assertPaidOnce(test, claims);
  }, 180_000);

  it('answers a batch half invalid claim by claim, and stores nothing of the refused half', async () => {
    // Prepare: six valid claims, each followed by one refused for its own reason.
    const valid = claimsOf(6, 'HALF', 5);
    const refusedIds = ['HALF-NOBODY', 'HALF-REGION', 'HALF-AMOUNT', 'HALF-EXTRA', 'HALF-OTHER'];
    const refused: unknown[] = [
      { ...valid[0], claimId: refusedIds[0], member: { ...valid[0]!.member, id: 'M-NOT-REGISTERED' } },
      { ...valid[1], claimId: refusedIds[1], member: { ...valid[1]!.member, region: 'atlantis' } },
      { ...valid[2], claimId: refusedIds[2], items: [{ ...valid[2]!.items[0], amount: '-1' }] },
      { ...valid[3], claimId: refusedIds[3], surprise: true },
      { ...valid[4], claimId: refusedIds[4], hospital: { ...valid[4]!.hospital, id: 'H-GEN-B' } },
      'not a claim',
    ];
    const batch = valid.flatMap((claim, i) => [claim, refused[i]]);

    // Act
    const results = await http.batch(batch);
    const poller = test.stack.startPolling();
    await allSettled(http.get, valid.map((c) => c.claimId));
    await waitFor(async () => (await test.stack.queueDepth()) === 0, 60_000);
    await poller.stop();
    test.stack.poller = undefined;
    await new Promise((resolve) => setTimeout(resolve, 400));
    const unknown = await Promise.all(refusedIds.slice(0, 4).map((id) => http.get(id)));
    const feed = withPrefix(await http.feed(), 'HALF');

    // Assess
    expect(results.filter((_, i) => i % 2 === 0).map((r) => r.status)).toEqual(valid.map(() => 202));
    expect(results.filter((_, i) => i % 2 === 1).map((r) => [r.status, r.error])).toEqual([
      [422, 'UNKNOWN_MEMBER'],
      [400, 'INVALID_CLAIM'],
      [400, 'INVALID_CLAIM'],
      [400, 'INVALID_CLAIM'],
      [403, 'FORBIDDEN'],
      [400, 'INVALID_CLAIM'],
    ]);
    for (const answer of unknown) expect(answer).toMatchObject({ status: 404, body: { error: 'UNKNOWN_CLAIM' } });
    expect([...feed].sort()).toEqual(valid.map((c) => c.claimId).sort());
  }, 180_000);
});

describe('the batch door, a crash between acceptance and sending', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'claims-batch-crash-'));
  let test: TestStack | undefined;
  const http = door(() => test as TestStack);
  afterAll(async () => {
    await test?.stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('settles every claim of the batch exactly once after the queue went down mid-batch, a restart and the sweeper', async () => {
    // Prepare: a stack on a data folder that accepts but does not settle; its queue server stops
    // after the batch's third SendMessageBatch, when every claim of the batch is already recorded.
    const claims = claimsOf(60, 'CRASH', 9);
    test = await startTestStack(generatedRegistry(MEMBERS), { dataDir, fifo: false, poll: false, sweepEveryMs: 0, staleAfterMs: 0, feedLagMs: 200 });
    const stack = test.stack;
    let sends = 0;
    stack.sqs.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'SendMessageBatchCommand' && ++sends === 4) await stack.servers.sqs.stop();
        return next(args);
      },
      { step: 'initialize', name: 'queueGoesDown' },
    );

    // Act: the batch, answered while the queue is going down; the stack stopped; started again on
    // the same folder, swept, settling; then the HIS sends the whole batch again, as it would.
    const answered = await http.batch(claims);
    await stack.stop();
    const before = test.keys;
    const restarted = await startTestStack(generatedRegistry(MEMBERS), { dataDir, fifo: false, sweepEveryMs: 0, staleAfterMs: 0, feedLagMs: 200 });
    // Keys already in the table are kept, not issued again.
    test = { stack: restarted.stack, keys: { ...before, ...restarted.keys } };
    const sweep = await test.stack.sweep();
    await allSettled(http.get, claims.map((c) => c.claimId), 120_000);
    const resent = await http.batch(claims);
    await waitFor(async () => (await test!.stack.queueDepth()) === 0, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const feed = withPrefix(await http.feed(), 'CRASH');

    // Assess: 30 claims were sent before the queue went down (202), the rest answered 503 NOT_QUEUED.
    expect(answered.filter((r) => r.status === 202).map((r) => r.claimId)).toEqual(claims.slice(0, 30).map((c) => c.claimId));
    expect(answered.filter((r) => r.status !== 202).map((r) => [r.status, r.error])).toEqual(claims.slice(30).map(() => [503, 'NOT_QUEUED']));
    expect(sweep.requeued).toBeGreaterThanOrEqual(30);
    expect(resent.map((r) => r.status)).toEqual(claims.map(() => 200));
    expect([...feed].sort()).toEqual(claims.map((c) => c.claimId).sort());
    expect(new Set(feed).size).toBe(claims.length);
    await assertPaidOnce(test as TestStack, claims);
  }, 300_000);
});
