/**
 * Acceptance: handlers that crash after the DynamoDB write and before the SQS delete, and DynamoDB
 * errors injected at random (throttling before a call, a lost response after a write): nothing lost,
 * nothing paid twice. Standard queue, so no FIFO deduplication helps.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedClaims, generatedRegistry, memberId, random } from '../../local/generate.js';
import { waitFor } from '../../local/stack.js';
import { api, assertMemberYearConsistent, inParallel, scanItems, startTestStack, storedSettlements, submit, type TestStack } from './helpers.js';

const MEMBERS = 30;
const PER_MEMBER = 10;
const injected = { throttled: 0, lostResponses: 0, crashes: 0 };

/** Adds a middleware outside the SDK's retries, so the injected errors reach the handler. */
function injectFaults(client: DynamoDBClient): void {
  const rand = random(7);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (rand() < 0.08) {
        injected.throttled++;
        throw Object.assign(new Error('injected: Rate of requests exceeds the allowed throughput'), { name: 'ThrottlingException' });
      }
      const result = await next(args);
      const settles = context.commandName === 'PutItemCommand' || context.commandName === 'UpdateItemCommand';
      if (settles && rand() < 0.15) {
        // The write happened (the totals that add a claim to its chain, or the claim's settlement); its
        // answer is lost. The handler sees a failure and the record comes back: after a lost totals
        // answer the claim is in the chain with its item still queued, and its redelivery finishes it.
        injected.lostResponses++;
        throw Object.assign(new Error('injected: socket timeout after the write'), { name: 'TimeoutError' });
      }
      return result;
    },
    { step: 'initialize', name: 'injectFaults' },
  );
}

describe('faults: crashes between the write and the delete, DynamoDB errors at random', () => {
  let test: TestStack;
  const crash = random(11);

  beforeAll(async () => {
    test = await startTestStack(generatedRegistry(MEMBERS), {
      fifo: false,
      concurrency: 4,
      visibilityTimeoutSeconds: 1,
      maxReceiveCount: 50,
      settleDynamo: injectFaults,
      // The invocation dies after the handler wrote to DynamoDB and before the poller deletes the messages.
      beforeDelete: () => {
        if (crash() < 0.15) {
          injected.crashes++;
          return false;
        }
        return true;
      },
    });
  }, 180_000);
  afterAll(async () => {
    await test?.stack.stop();
  });

  it('loses nothing and pays nothing twice', async () => {
    // Prepare
    const claims = generatedClaims(MEMBERS, PER_MEMBER, 5);

    // Act
    await inParallel([...claims, ...claims], 16, (claim) => submit(test, claim));
    await waitFor(async () => (await test.stack.queueDepth()) === 0, 240_000, 250);

    // Assess
    expect(injected.crashes).toBeGreaterThan(0);
    expect(injected.lostResponses).toBeGreaterThan(0);
    expect(injected.throttled).toBeGreaterThan(0);
    const settlements = await storedSettlements(test.stack);
    expect(settlements).toHaveLength(claims.length);
    expect(await scanItems(test.stack, 'F#')).toEqual([]);
    expect(await test.stack.queueDepth(test.stack.dlqUrl)).toBe(0);
    for (let m = 0; m < MEMBERS; m++) {
      const answer = await api(test.stack.apiUrl, 'GET', `/members/${memberId(m)}/years/2018`, test.keys['operator:OPS-1']);
      assertMemberYearConsistent(
        settlements.filter((s) => s.settlement.memberId === memberId(m)),
        answer.body['yearToDate'] as never,
        7_000_000,
      );
    }
    process.stdout.write(`[pipeline] faults injected ${JSON.stringify(injected)}; poller ${JSON.stringify(test.stack.poller?.stats)}\n`);
  }, 360_000);
});
