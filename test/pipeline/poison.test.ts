/**
 * Acceptance: poison records (not JSON, failing the contract, an unknown member) end with a stored
 * reason and are not retried, while the rest of their batch settles; a record that keeps failing ends
 * in the dead-letter queue with its reason stored.
 */
import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimFailureKey, messageFailureKey, settlementKey } from '../../functions/storage/keys.js';
import { generatedClaim, generatedRegistry, random } from '../../local/generate.js';
import { waitFor } from '../../local/stack.js';
import { api, scanItems, startTestStack, storedSettlements, type TestStack } from './helpers.js';

const DOOMED = settlementKey('H-GEN-A', 'DOOMED-1');

/** Every write settling the doomed claim fails, as a bug or an outage for that record would. */
function failDoomed(client: DynamoDBClient): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      // The settlement's first write: the totals put that names the claim as its member-year's last.
      const input = args.input as { Item?: { l?: { S?: string } }; Key?: { pk?: { S?: string } } };
      if (input.Item?.l?.S === DOOMED || input.Key?.pk?.S === DOOMED) throw new Error('injected: this record always fails');
      return next(args);
    },
    { step: 'initialize', name: 'failDoomed' },
  );
}

const attributes = (hospitalId: string, claimId: string) => ({
  hospitalId: { DataType: 'String', StringValue: hospitalId },
  claimId: { DataType: 'String', StringValue: claimId },
});

describe('poison records and the dead-letter queue', () => {
  let test: TestStack;

  beforeAll(async () => {
    // The visibility timeout is short so the doomed record's three receives come quickly, yet long enough
    // that a batch settled on a loaded machine is deleted before it could be received again.
    test = await startTestStack(generatedRegistry(10), { fifo: false, visibilityTimeoutSeconds: 5, maxReceiveCount: 3, settleDynamo: failDoomed, poll: false });
  }, 180_000);
  afterAll(async () => {
    await test?.stack.stop();
  });

  it('stores the reason of each poison record and settles the rest of the batch', async () => {
    // Prepare
    const rand = random(3);
    const good = Array.from({ length: 7 }, (_, i) => generatedClaim(i + 1, 0, rand));
    const invalid = { ...generatedClaim(8, 0, rand), claimId: 'BAD-1', items: [] };
    const stranger = { ...generatedClaim(9, 0, rand), claimId: 'WHO-1', member: { ...generatedClaim(9, 0, rand).member, id: 'M-NOBODY' } };
    const { stack } = test;
    const sent = await stack.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: stack.queueUrl,
        Entries: [
          { Id: 'json', MessageBody: '{"claimId": "half a claim' },
          { Id: 'invalid', MessageBody: JSON.stringify(invalid), MessageAttributes: attributes(invalid.hospital.id, invalid.claimId) },
          { Id: 'stranger', MessageBody: JSON.stringify(stranger), MessageAttributes: attributes(stranger.hospital.id, stranger.claimId) },
          ...good.map((claim, i) => ({ Id: `good${i}`, MessageBody: JSON.stringify(claim), MessageAttributes: attributes(claim.hospital.id, claim.claimId) })),
        ],
      }),
    );
    const jsonMessageId = sent.Successful?.find((s) => s.Id === 'json')?.MessageId ?? '';

    // Act
    stack.startPolling();
    await waitFor(async () => (await stack.queueDepth()) === 0, 60_000, 100);

    // Assess
    const settled = await storedSettlements(stack);
    expect(settled.map((s) => s.settlement.claimId).sort()).toEqual(good.map((c) => c.claimId).sort());
    const failures = new Map((await scanItems(stack, 'F#')).map((item) => [(item['pk'] as { S: string }).S, JSON.parse((item['data'] as { S: string }).S) as { code: string; message: string }]));
    expect(failures.get(messageFailureKey(jsonMessageId))?.code).toBe('INVALID_JSON');
    expect(failures.get(claimFailureKey(invalid.hospital.id, 'BAD-1'))?.code).toBe('INVALID_CLAIM');
    expect(failures.get(claimFailureKey(stranger.hospital.id, 'WHO-1'))).toMatchObject({ code: 'UNKNOWN_MEMBER', message: 'member M-NOBODY is not in the registry' });
    const answer = await api(stack.apiUrl, 'GET', `/claims/${stranger.hospital.id}/WHO-1`, test.keys[`hospital:${stranger.hospital.id}`]);
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ status: 'failed', error: 'UNKNOWN_MEMBER' });
    expect(await stack.queueDepth(stack.dlqUrl)).toBe(0);
    expect(stack.poller?.stats.failedRecords).toBe(0);
  }, 120_000);

  it('sends a record that keeps failing to the dead-letter queue with its reason stored', async () => {
    // Prepare
    const doomed = { ...generatedClaim(1, 0, random(4)), claimId: 'DOOMED-1', hospital: { id: 'H-GEN-A', tier: 'class2-county', designated: true, primaryCare: false, outsidePoolingArea: false } };

    // Act
    await test.stack.sqs.send(
      new SendMessageCommand({ QueueUrl: test.stack.queueUrl, MessageBody: JSON.stringify(doomed), MessageAttributes: attributes('H-GEN-A', 'DOOMED-1') }),
    );
    await waitFor(async () => (await test.stack.queueDepth(test.stack.dlqUrl)) === 1, 60_000, 200);

    // Assess
    expect(await test.stack.queueDepth()).toBe(0);
    const failure = await test.stack.stores.failures.get(claimFailureKey('H-GEN-A', 'DOOMED-1'));
    expect(failure?.code).toBe('DEAD_LETTERED');
    expect(failure?.message).toContain('injected: this record always fails');
    expect(await test.stack.stores.settlements.getSettlement('H-GEN-A', 'DOOMED-1')).toBeUndefined();
  }, 120_000);
});
