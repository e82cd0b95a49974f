/**
 * Acceptance: 1,000 claims for 100 members, every claim sent twice and 50 sent concurrently for one
 * member, against DynamoDB Local and fauxqs started here. Run on a standard queue (no ordering, no
 * deduplication: correctness must come from the DynamoDB conditions) and on a FIFO queue.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimInput } from '../../shared/contract/claim.js';
import { parseMoney } from '../../shared/money/money.js';
import { builtInPolicyBook } from '../../shared/policy/book.js';
import { generatedClaim, generatedRegistry, memberId, random } from '../../local/generate.js';
import { waitFor } from '../../local/stack.js';
import { api, assertMemberYearConsistent, inParallel, scanItems, startTestStack, storedSettlements, submit, type TestStack } from './helpers.js';

const MEMBERS = 100;
const CLAIMS = 1_000;
const HOT_MEMBER_CLAIMS = 50;

/** 50 claims for member 0, the other 950 spread over members 1–99. */
function workload(): ClaimInput[] {
  const rand = random(2018);
  const claims: ClaimInput[] = [];
  for (let s = 0; s < HOT_MEMBER_CLAIMS; s++) claims.push(generatedClaim(0, s, rand));
  for (let i = 0; claims.length < CLAIMS; i++) {
    const member = 1 + (i % (MEMBERS - 1));
    claims.push(generatedClaim(member, Math.floor(i / (MEMBERS - 1)), rand));
  }
  return claims;
}

const annualCap = parseMoney(
  (builtInPolicyBook() as unknown as { policies?: unknown }) && '70000.00', // jinzhong-2017 basic inpatient cap (晋中 第十五条)
);

describe.each([
  { queue: 'standard', fifo: false },
  { queue: 'FIFO', fifo: true },
])('exactly once on a $queue queue', ({ fifo }) => {
  let test: TestStack;
  const claims = workload();
  let seconds = 0;
  /** Totals writes DynamoDB accepted (each adds one claim to its member-year's chain): one per claim proves no duplicate wrote anything. */
  let committed = 0;
  const countCommits = (client: DynamoDBClient): void => {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        const input = args.input as { Item?: Record<string, { S?: string }> };
        if (context.commandName === 'PutItemCommand' && input.Item?.['pk']?.S?.startsWith('T#')) committed++;
        return result;
      },
      { step: 'initialize', name: 'countCommits' },
    );
  };

  beforeAll(async () => {
    test = await startTestStack(generatedRegistry(MEMBERS), {
      fifo,
      concurrency: 4,
      visibilityTimeoutSeconds: 20,
      maxReceiveCount: 10,
      settleDynamo: countCommits,
    });
  }, 180_000);
  afterAll(async () => {
    await test?.stack.stop();
  });

  it('settles each of 1,000 claims exactly once though each is sent twice, 50 at once for one member', async () => {
    // Prepare
    const hot = claims.slice(0, HOT_MEMBER_CLAIMS);
    const rest = claims.slice(HOT_MEMBER_CLAIMS);
    const resend = [...claims].reverse();
    const started = Date.now();

    // Act: the hot member's 50 claims all at once, the rest 16 at a time, then everything again.
    await Promise.all(hot.map((claim) => submit(test, claim)));
    await inParallel(rest, 16, (claim) => submit(test, claim));
    await inParallel(resend, 16, (claim) => submit(test, claim));
    await waitFor(async () => (await test.stack.queueDepth()) === 0, 360_000, 250);
    seconds = (Date.now() - started) / 1000;

    // Assess
    const settlements = await storedSettlements(test.stack);
    expect(settlements).toHaveLength(CLAIMS);
    expect(new Set(settlements.map((s) => s.key)).size).toBe(CLAIMS);
    expect(committed).toBe(CLAIMS);
    expect(await scanItems(test.stack, 'F#')).toEqual([]);
    expect(await test.stack.queueDepth(test.stack.dlqUrl)).toBe(0);
    const operator = test.keys['operator:OPS-1'];
    for (let m = 0; m < MEMBERS; m++) {
      const answer = await api(test.stack.apiUrl, 'GET', `/members/${memberId(m)}/years/2018`, operator);
      expect(answer.status).toBe(200);
      const mine = settlements.filter((s) => s.settlement.memberId === memberId(m));
      expect((answer.body['settlements'] as unknown[]).length).toBe(mine.length);
      assertMemberYearConsistent(mine, answer.body['yearToDate'] as never, annualCap);
    }
    const hotTotals = await api(test.stack.apiUrl, 'GET', `/members/${memberId(0)}/years/2018`, operator);
    expect(parseMoney((hotTotals.body['yearToDate'] as { basicPaid: string }).basicPaid)).toBe(annualCap);
    process.stdout.write(
      `[pipeline] ${fifo ? 'FIFO' : 'standard'} queue: ${CLAIMS} claims (${2 * CLAIMS} submissions) settled in ${seconds.toFixed(1)} s = ${(CLAIMS / seconds).toFixed(0)} claims/s end to end; poller ${JSON.stringify(test.stack.poller?.stats)}\n`,
    );
  }, 480_000);
});
