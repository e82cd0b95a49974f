/**
 * Acceptance: the local queues keep their messages on disk. Claims accepted while nothing settles
 * are still there after the stack is stopped and started again on the same data folder, and settle
 * exactly once then.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generatedClaim, generatedRegistry, random } from '../../local/generate.js';
import { waitFor } from '../../local/stack.js';
import { inParallel, startTestStack, storedSettlements, submit, type TestStack } from './helpers.js';

describe('durable local queues', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'claims-durable-'));
  let test: TestStack | undefined;
  afterAll(async () => {
    await test?.stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes every queued claim after a restart on the same data folder', async () => {
    // Prepare: a stack that accepts but does not settle.
    const rand = random(77);
    const claims = Array.from({ length: 12 }, (_, i) => ({ ...generatedClaim(i % 4, i, rand), claimId: `DUR-${i}` }));
    test = await startTestStack(generatedRegistry(4), { dataDir, poll: false });
    await inParallel(claims, 4, (claim) => submit(test as TestStack, claim));
    const depthBefore = await test.stack.queueDepth();
    await test.stack.stop();

    // Act: start again on the same folder, now settling.
    test = await startTestStack(generatedRegistry(4), { dataDir });
    const stack = test.stack;
    await waitFor(async () => (await stack.queueDepth()) === 0, 60_000);

    // Assess
    expect(depthBefore).toBe(claims.length);
    const settled = (await storedSettlements(stack)).map((s) => s.settlement.claimId).sort();
    expect(settled).toEqual(claims.map((c) => c.claimId).sort());
  }, 180_000);
});
