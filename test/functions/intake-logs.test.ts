/**
 * Logs that cost cents, at the intake and the sweeper: each invocation writes one structured line
 * (the route, its status, what it did; a sweep's counts), whatever the door and however many claims a
 * batch holds; a failure adds its own line before it. The deployed handler code, in process, against
 * the real local stack (DynamoDB Local, fauxqs).
 */
import { PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiEvent } from '../../bench/door-timings.js';
import { createIntakeHandler } from '../../functions/intake/app.js';
import { createLogger } from '../../functions/lib/logger.js';
import { createSweeper } from '../../functions/sweeper/app.js';
import { generatedClaims, generatedRegistry } from '../../local/generate.js';
import { waitFor } from '../../local/stack.js';
import { startTestStack, type TestStack } from '../pipeline/helpers.js';
import { linesOf } from '../support/logs.js';

const HOSPITAL = 'H-GEN-A';
const context = { functionName: 'intake', awsRequestId: 'r', getRemainingTimeInMillis: () => 60_000 };
const claims = generatedClaims(20, 10, 13)
  .filter((c) => c.hospital.id === HOSPITAL)
  .slice(0, 41)
  .map((c, i) => ({ ...c, claimId: `LOG-${i}` }));

describe('one log line per invocation', () => {
  let test: TestStack;
  const key = (): string => test.keys[`hospital:${HOSPITAL}`] ?? '';
  /**
   * Invokes one intake handler (made inside the capture, as Lambda makes one per container) with each
   * event in turn; returns each answer's status and all lines written, in order.
   */
  const invokeAll = async (events: readonly (() => ReturnType<typeof apiEvent>)[], between?: (index: number) => Promise<void>) => {
    const statuses: (number | undefined)[] = [];
    const lines = await linesOf(async () => {
      const intake = createIntakeHandler({ stores: test.stack.stores, sqs: test.stack.sqs, queueUrl: test.stack.queueUrl, logger: createLogger('claims-intake', 'INFO'), feedLagMs: 0 });
      for (const [index, event] of events.entries()) {
        statuses.push((await intake(event(), context as never)).statusCode);
        await between?.(index);
      }
    });
    return { lines, statuses };
  };
  const invoke = async (event: ReturnType<typeof apiEvent>) => {
    const { lines, statuses } = await invokeAll([() => event]);
    return { lines, status: statuses[0] };
  };

  beforeAll(async () => {
    test = await startTestStack(generatedRegistry(20), { fifo: false, sweepEveryMs: 0, staleAfterMs: 0 });
  }, 180_000);
  afterAll(async () => {
    await test?.stack.stop();
  });

  it('the single door, a batch of 39 claims and a feed page each write one line: route, status, what was done', async () => {
    // Prepare
    const [single, ...batch] = claims.slice(0, 40);
    const refused = { ...single, claimId: 'LOG-BAD', items: [] };
    expect(batch).toHaveLength(39);

    // Act: five requests to one handler, as one container serves them; the batch settled before the feed is read.
    const { lines, statuses } = await invokeAll(
      [
        () => apiEvent('POST', '/claims', key(), 1, { body: JSON.stringify(single) }),
        () => apiEvent('GET', `/claims/${HOSPITAL}/${single?.claimId}`, key(), 2),
        () => apiEvent('POST', '/claims', key(), 3, { body: JSON.stringify(refused) }),
        () => apiEvent('POST', '/claims:batch', key(), 4, { body: JSON.stringify({ claims: batch }) }),
        () => apiEvent('GET', `/hospitals/${HOSPITAL}/settlements`, key(), 5, { query: 'limit=100' }),
      ],
      async (index) => {
        if (index === 3) await waitFor(async () => (await test.stack.queueDepth()) === 0, 60_000);
      },
    );

    // Assess: one line each, in order, each saying its route and status.
    expect(statuses).toEqual([202, 202, 400, 200, 200]);
    expect(lines).toHaveLength(5);
    expect(lines.map((line) => [line['message'], line['route'], line['status']])).toEqual([
      ['request', 'submit', 202],
      ['request', 'get', 202],
      ['request', 'submit', 400],
      ['request', 'batch', 200],
      ['request', 'feed', 200],
    ]);
    const [post, get, bad, many] = lines;
    expect(lines.every((line) => line['level'] === 'INFO' && line['service'] === 'claims-intake')).toBe(true);
    expect(post).toMatchObject({ key: `C#${HOSPITAL}#${single?.claimId}`, outcome: 'accepted and queued' });
    expect(many).toMatchObject({ accepted: batch.length, refused: 0 });
    // What one invocation appended is not carried into the next.
    for (const line of [get, bad]) expect(line).not.toHaveProperty('key');
    expect(lines.at(-1)).not.toHaveProperty('accepted');
    expect(JSON.stringify(lines)).not.toMatch(/idNumber|birthDate/);
  }, 120_000);

  it('a sweep writes one line, a warning when it had to queue claims again', async () => {
    // Prepare: one sweep with nothing stale, then a claim accepted while the queue is purged of it.
    const sweeperLines = async (): Promise<Record<string, unknown>[]> =>
      linesOf(async () => {
        const sweep = createSweeper({ accepted: test.stack.stores.accepted, sqs: test.stack.sqs, queueUrl: test.stack.queueUrl, logger: createLogger('claims-sweeper', 'INFO'), staleAfterMs: 0 });
        await sweep();
      });
    const quiet = await sweeperLines();
    await test.stack.poller?.stop();
    test.stack.poller = undefined;
    expect((await invoke(apiEvent('POST', '/claims', key(), 6, { body: JSON.stringify(claims[40]) }))).status).toBe(202);
    await test.stack.sqs.send(new PurgeQueueCommand({ QueueUrl: test.stack.queueUrl }));

    // Act
    const lost = await sweeperLines();

    // Assess
    expect(quiet).toHaveLength(1);
    expect(quiet[0]).toMatchObject({ level: 'INFO', message: 'sweep', requeued: 0 });
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ level: 'WARN', requeued: 1 });
  }, 120_000);
});
