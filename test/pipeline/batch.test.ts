/**
 * The batch door and the settlement feed on the local stack (DynamoDB Local + fauxqs, the real intake
 * and settle handlers), on a standard queue so that nothing but the DynamoDB conditions stands between
 * a resent claim and a second settlement: a batch half invalid is answered claim by claim; every claim
 * of a batch sent twice is settled once; the feed returns every outcome exactly once across pages,
 * resumed from a saved cursor, and refuses a cursor that is not its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimInput } from '../../shared/contract/claim.js';
import { generatedClaims, generatedRegistry } from '../../local/generate.js';
import { waitFor } from '../../local/stack.js';
import { api, scanItems, startTestStack, type TestStack } from './helpers.js';
import { readSettlementItem } from '../../functions/storage/items.js';

const HOSPITAL = 'H-GEN-A';
const OTHER = 'H-GEN-B';

/** Claims of one hospital from the generated workload: `count` of them, distinct claim ids. */
function claimsOf(hospitalId: string, count: number, prefix: string): ClaimInput[] {
  const mine = generatedClaims(60, 4, 7).filter((c) => c.hospital.id === hospitalId).slice(0, count);
  expect(mine).toHaveLength(count);
  return mine.map((c, i) => ({ ...c, claimId: `${prefix}-${i}` }));
}

interface FeedEntry {
  readonly claimId: string;
  readonly status: string;
}
interface FeedAnswer {
  readonly settlements: FeedEntry[];
  readonly next: string | null;
  readonly more: boolean;
}

describe('the batch door and the settlement feed', () => {
  let test: TestStack;
  const key = (role: 'hospital' | 'operator', id: string): string => test.keys[`${role}:${id}`] ?? '';
  const batch = (claims: unknown[], apiKey = key('hospital', HOSPITAL)) => api(test.stack.apiUrl, 'POST', '/claims:batch', apiKey, { claims });
  const feed = async (after: string | null, limit: number, apiKey = key('hospital', HOSPITAL)) => {
    const query = new URLSearchParams({ limit: String(limit), ...(after ? { after } : {}) });
    return api(test.stack.apiUrl, 'GET', `/hospitals/${HOSPITAL}/settlements?${query}`, apiKey);
  };
  /** Reads the feed from `after` to its current end, page by page. */
  const readFeed = async (after: string | null, limit: number): Promise<{ entries: FeedEntry[]; next: string | null; pages: number }> => {
    const entries: FeedEntry[] = [];
    let cursor = after;
    let pages = 0;
    for (;;) {
      const answer = await feed(cursor, limit);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const page = answer.body as unknown as FeedAnswer;
      pages++;
      entries.push(...page.settlements);
      cursor = page.next ?? cursor;
      if (!page.more || page.settlements.length === 0) return { entries, next: cursor, pages };
    }
  };
  const settledKeys = async (): Promise<string[]> =>
    // Settlements only: an accepted claim's record shares the key until its settlement replaces it.
    (await scanItems(test.stack, `C#${HOSPITAL}#`)).filter((item) => item['p'] !== undefined).map((item) => readSettlementItem(item).settlement.claimId);

  beforeAll(async () => {
    test = await startTestStack(generatedRegistry(60), { fifo: false, concurrency: 4, feedLagMs: 500 });
  }, 120_000);

  afterAll(async () => {
    await test?.stack.stop();
  });

  it('answers a batch half invalid claim by claim, and sends only the valid half on', async () => {
    // Prepare: ten valid claims, and ten each refused for its own reason.
    const valid = claimsOf(HOSPITAL, 10, 'HALF');
    const [other] = claimsOf(OTHER, 1, 'HALF-OTHER');
    const faults: unknown[] = [
      { ...valid[0], claimId: undefined },
      { ...other },
      { ...valid[1], claimId: 'HALF-NOBODY', member: { ...valid[1]!.member, id: 'M-NOT-REGISTERED' } },
      { ...valid[2], claimId: 'HALF-REGION', member: { ...valid[2]!.member, region: 'atlantis' } },
      { ...valid[3], claimId: 'HALF-AMOUNT', items: [{ ...valid[3]!.items[0], amount: '-1' }] },
      'not a claim',
      null,
      { ...valid[4], claimId: 'HALF-EXTRA', surprise: true },
      { ...valid[5], claimId: 'x'.repeat(200) },
      { ...valid[6], claimId: 'HALF-LARGE', items: [{ ...valid[6]!.items[0], name: 'x'.repeat(300 * 1024) }] },
    ];
    const claims = valid.flatMap((claim, i) => [claim, faults[i]]);

    // Act
    const answer = await batch(claims);

    // Assess
    expect(answer.status, JSON.stringify(answer.body).slice(0, 500)).toBe(200);
    const results = answer.body['results'] as { index: number; status: number; error?: string; claimId?: string }[];
    expect(results.map((r) => r.index)).toEqual(claims.map((_, i) => i));
    expect(results.filter((_, i) => i % 2 === 0).map((r) => [r.status, r.claimId])).toEqual(valid.map((c) => [202, c.claimId]));
    expect(results.filter((_, i) => i % 2 === 1).map((r) => [r.status, r.error])).toEqual([
      [400, 'INVALID_CLAIM'],
      [403, 'FORBIDDEN'],
      [422, 'UNKNOWN_MEMBER'],
      [400, 'INVALID_CLAIM'],
      [400, 'INVALID_CLAIM'],
      [400, 'INVALID_CLAIM'],
      [400, 'INVALID_CLAIM'],
      [400, 'INVALID_CLAIM'],
      [400, 'INVALID_CLAIM'],
      [413, 'TOO_LARGE'],
    ]);
    expect(answer.body).toMatchObject({ accepted: 10, refused: 10 });
    await waitFor(async () => (await settledKeys()).filter((id) => id.startsWith('HALF')).length >= 10, 60_000);
    expect((await settledKeys()).filter((id) => id.startsWith('HALF')).sort()).toEqual(valid.map((c) => c.claimId).sort());
  }, 120_000);

  it('refuses a batch that is not one, naming the field, and an operator key', async () => {
    // Act
    const empty = await batch([]);
    const tooMany = await batch(Array.from({ length: 501 }, () => ({})));
    const notJson = await api(test.stack.apiUrl, 'POST', '/claims:batch', key('hospital', HOSPITAL), '{"claims": [');
    const extra = await api(test.stack.apiUrl, 'POST', '/claims:batch', key('hospital', HOSPITAL), { claims: [{}], more: 1 });
    const operator = await batch([{}], key('operator', 'OPS-1'));

    // Assess
    expect(empty).toMatchObject({ status: 400, body: { issues: [{ path: 'claims' }] } });
    expect(tooMany).toMatchObject({ status: 400, body: { issues: [{ path: 'claims' }] } });
    expect(notJson).toMatchObject({ status: 400, body: { issues: [{ path: '' }] } });
    expect(extra).toMatchObject({ status: 400, body: { issues: [{ path: 'more' }] } });
    expect(operator.status).toBe(403);
  });

  it('settles each claim of a batch sent twice exactly once', async () => {
    // Prepare
    const claims = claimsOf(HOSPITAL, 25, 'TWICE');

    // Act: the same batch twice, at once, on a queue that deduplicates nothing.
    const [first, second] = await Promise.all([batch(claims), batch(claims)]);
    await waitFor(async () => (await settledKeys()).filter((id) => id.startsWith('TWICE')).length >= 25 && (await test.stack.queueDepth()) === 0, 90_000);

    // Assess
    expect([first.body['accepted'], second.body['accepted']]).toEqual([25, 25]);
    const settled = (await settledKeys()).filter((id) => id.startsWith('TWICE'));
    expect(settled.sort()).toEqual(claims.map((c) => c.claimId).sort());
  }, 120_000);

  it('returns every outcome exactly once across pages, resumed from a saved cursor', async () => {
    // Prepare: the feed read to its end now (the claims above, once they are past the feed's lag).
    const all = await settledKeys();
    await waitFor(async () => (await readFeed(null, 100)).entries.length === all.length, 30_000);
    const firstTwo: FeedEntry[] = [];
    let saved: string | null = null;
    for (let page = 0; page < 2; page++) {
      const answer = (await feed(saved, 7)).body as unknown as FeedAnswer;
      firstTwo.push(...answer.settlements);
      saved = answer.next;
    }

    // Act: a client that saved the cursor after two pages resumes; then more claims settle and it resumes again.
    const rest = await readFeed(saved, 7);
    const later = claimsOf(HOSPITAL, 12, 'LATER');
    expect((await batch(later)).body['accepted']).toBe(12);
    let tail: FeedEntry[] = [];
    await waitFor(async () => {
      tail = (await readFeed(rest.next, 5)).entries;
      return tail.length >= 12;
    }, 60_000);

    // Assess
    const seen = [...firstTwo, ...rest.entries].map((e) => e.claimId);
    expect(firstTwo).toHaveLength(14);
    expect(rest.pages).toBeGreaterThan(1);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(all.sort());
    expect(tail.map((e) => e.claimId).sort()).toEqual(later.map((c) => c.claimId).sort());
    expect(tail.every((e) => e.status === 'settled' || e.status === 'rejected')).toBe(true);
  }, 120_000);

  it('refuses a cursor that is not one of this feed, a bad limit, and another hospital', async () => {
    // Prepare: a real cursor of the other hospital's feed.
    expect((await batch(claimsOf(OTHER, 1, 'OTHER'), key('hospital', OTHER))).body['accepted']).toBe(1);
    let otherCursor: string | null = null;
    await waitFor(async () => {
      const answer = await api(test.stack.apiUrl, 'GET', `/hospitals/${OTHER}/settlements`, key('hospital', OTHER));
      otherCursor = (answer.body as unknown as FeedAnswer).next;
      return otherCursor !== null;
    }, 60_000);

    // Act
    const garbage = await feed('not*a*cursor', 10);
    const notJson = await feed(Buffer.from('{').toString('base64url'), 10);
    const foreign = await feed(otherCursor, 10);
    const limit = await feed(null, 101);
    const forbidden = await feed(null, 10, key('hospital', OTHER));
    const operator = await feed(null, 1, key('operator', 'OPS-1'));

    // Assess
    for (const answer of [garbage, notJson, foreign]) expect(answer).toMatchObject({ status: 400, body: { error: 'INVALID_REQUEST', issues: [{ path: 'after' }] } });
    expect(limit).toMatchObject({ status: 400, body: { issues: [{ path: 'limit' }] } });
    expect(forbidden.status).toBe(403);
    expect(operator.status).toBe(200);
  }, 90_000);
});
