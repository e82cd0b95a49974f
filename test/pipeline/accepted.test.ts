/**
 * Acceptance: every accepted claim is known. GET tells queued, failed and never accepted apart; an
 * identical resend is a no-op answering the current status, a different one is 409 naming the
 * replacement route; the sweeper queues again a claim whose message was lost, and it settles once.
 * With DynamoDB Local or the queue stopped, POST is 503 with Retry-After, fast, naming nothing internal,
 * and nothing is accepted.
 */
import { PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimInput } from '../../shared/contract/claim.js';
import { generatedClaim, generatedRegistry, random } from '../../local/generate.js';
import { waitFor } from '../../local/stack.js';
import { callBoundMs, REQUEST_PATH_ATTEMPTS } from '../../functions/lib/clients.js';
import { api, scanItems, startTestStack, storedSettlements, type TestStack } from './helpers.js';

const claimOf = (member: number, sequence: number, id: string): ClaimInput => {
  const claim = generatedClaim(member, sequence, random(900 + sequence));
  return { ...claim, claimId: id, hospital: { ...claim.hospital, id: 'H-GEN-A' } };
};
const changed = (claim: ClaimInput): ClaimInput => ({ ...claim, items: claim.items.map((item, i) => (i === 0 ? { ...item, amount: '1.23' } : item)) });

describe('accepted claims', () => {
  let test: TestStack;
  let base: string;
  let key: string;
  const path = (claim: ClaimInput): string => `/claims/${claim.hospital.id}/${claim.claimId}`;

  beforeAll(async () => {
    // Nothing settles until a test starts the poller; the sweeper runs only when called.
    test = await startTestStack(generatedRegistry(4), { fifo: true, poll: false, sweepEveryMs: 0, staleAfterMs: 0 });
    base = test.stack.apiUrl;
    key = test.keys['hospital:H-GEN-A'] ?? '';
  }, 180_000);
  afterAll(async () => {
    await test?.stack.stop();
  });

  it('tells queued, settled and never accepted apart, and answers a resend by its content', async () => {
    // Prepare
    const claim = claimOf(1, 0, 'ACC-1');

    // Act: accepted while nothing settles, resent the same and changed, then settled and resent again.
    const first = await api(base, 'POST', '/claims', key, claim);
    const queued = await api(base, 'GET', path(claim), key);
    const sameWhileQueued = await api(base, 'POST', '/claims', key, claim);
    const changedWhileQueued = await api(base, 'POST', '/claims', key, changed(claim));
    const never = await api(base, 'GET', '/claims/H-GEN-A/NEVER-SENT', key);
    const poller = test.stack.startPolling();
    await waitFor(async () => (await api(base, 'GET', path(claim), key)).status !== 202, 60_000, 50);
    await poller.stop();
    test.stack.poller = undefined;
    const sameWhenSettled = await api(base, 'POST', '/claims', key, claim);
    const changedWhenSettled = await api(base, 'POST', '/claims', key, changed(claim));

    // Assess
    expect(first).toMatchObject({ status: 202, body: { status: 'queued' } });
    expect(queued).toMatchObject({ status: 202, body: { status: 'queued', claimId: 'ACC-1' } });
    expect(sameWhileQueued).toMatchObject({ status: 202, body: { status: 'queued' } });
    for (const conflict of [changedWhileQueued, changedWhenSettled]) {
      expect(conflict).toMatchObject({ status: 409, body: { error: 'CONFLICTING_RESEND' } });
      expect(conflict.body['message']).toContain('POST /claims/H-GEN-A/ACC-1/replacement');
    }
    expect(never).toMatchObject({ status: 404, body: { error: 'UNKNOWN_CLAIM' } });
    expect(sameWhenSettled).toMatchObject({ status: 200, body: { status: 'settled', settlement: { claimId: 'ACC-1' } } });
    expect((await storedSettlements(test.stack)).filter((s) => s.settlement.claimId === 'ACC-1')).toHaveLength(1);
  }, 120_000);

  it('queues again a claim whose message was lost, and it settles exactly once', async () => {
    // Prepare: two claims accepted, then their messages lost.
    const claims = [claimOf(2, 1, 'ACC-LOST-1'), claimOf(3, 2, 'ACC-LOST-2')];
    for (const claim of claims) expect((await api(base, 'POST', '/claims', key, claim)).status).toBe(202);
    await test.stack.sqs.send(new PurgeQueueCommand({ QueueUrl: test.stack.queueUrl }));
    const lostDepth = await test.stack.queueDepth();

    // Act
    const sweep = await test.stack.sweep();
    const again = await test.stack.sweep();
    const poller = test.stack.startPolling();
    await waitFor(async () => (await Promise.all(claims.map((c) => api(base, 'GET', path(c), key)))).every((a) => a.status === 200), 60_000, 50);
    await poller.stop();
    test.stack.poller = undefined;

    // Assess
    expect(lostDepth).toBe(0);
    expect(sweep.requeued).toBeGreaterThanOrEqual(2);
    expect(again.requeued).toBe(0);
    const settled = (await storedSettlements(test.stack)).filter((s) => s.settlement.claimId.startsWith('ACC-LOST-'));
    expect(settled.map((s) => s.settlement.claimId).sort()).toEqual(['ACC-LOST-1', 'ACC-LOST-2']);
  }, 120_000);
});

describe('failing closed', () => {
  let test: TestStack;
  beforeAll(async () => {
    test = await startTestStack(generatedRegistry(2), { fifo: true, poll: false, sweepEveryMs: 0 });
  }, 180_000);
  afterAll(async () => {
    await test?.stack.stop();
  });

  it('answers 503 with Retry-After within the bound when the queue is down, then when DynamoDB is down; nothing accepted then', async () => {
    // Prepare
    const key = test.keys['hospital:H-GEN-A'] ?? '';
    const bound = 2 * callBoundMs(REQUEST_PATH_ATTEMPTS);
    const post = async (id: string): Promise<{ status: number; retryAfter: string | null; text: string; ms: number }> => {
      const started = Date.now();
      const response = await fetch(`${test.stack.apiUrl}/claims`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key },
        body: JSON.stringify(claimOf(1, 5, id)),
      });
      return { status: response.status, retryAfter: response.headers.get('retry-after'), text: await response.text(), ms: Date.now() - started };
    };
    const before = (await scanItems(test.stack, 'C#')).length;

    // Act
    await test.stack.servers.sqs.stop();
    const queueDown = await post('DOWN-SQS');
    const recordedDuringQueueDown = (await scanItems(test.stack, 'C#')).length;
    await test.stack.servers.dynamo.stop();
    const storeDown = await post('DOWN-DB');
    const read = await fetch(`${test.stack.apiUrl}/claims/H-GEN-A/DOWN-DB`, { headers: { 'x-api-key': key } });

    // Assess
    for (const answer of [queueDown, storeDown]) {
      expect(answer.status, answer.text).toBe(503);
      expect(answer.retryAfter).toMatch(/^\d+$/);
      expect(answer.ms).toBeLessThan(bound);
      expect(answer.text).not.toMatch(/127\.0\.0\.1|localhost|:\d{2,5}\b|ECONN|at \w+ \(/);
    }
    expect(read.status).toBe(503);
    expect(await read.text()).not.toMatch(/127\.0\.0\.1|ECONN/);
    // The queue was down after the record was written: kept as accepted (the sweeper queues it), never answered 202.
    expect(recordedDuringQueueDown).toBe(before + 1);
  }, 120_000);
});
