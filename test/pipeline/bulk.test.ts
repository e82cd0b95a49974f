/**
 * The bulk upload on the local stack: a hospital asks for a presigned URL, PUTs a JSON Lines file of
 * claims to it (fauxqs's S3), the watcher hands the object to the bulk function's `processUpload`;
 * valid lines are settled and appear in the hospital's feed, refused lines are stored failures that
 * `GET /claims/{h}/{c}` reports, and a line naming another hospital is refused as the uploader's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedClaims, generatedRegistry } from '../../local/generate.js';
import { waitFor } from '../../local/stack.js';
import { uploaderOf } from '../../functions/storage/uploads.js';
import { api, startTestStack, type TestStack } from './helpers.js';

const HOSPITAL = 'H-GEN-A';
const OTHER = 'H-GEN-B';

describe('bulk upload through a presigned URL', () => {
  let test: TestStack;
  const key = (role: 'hospital' | 'operator', id: string): string => test.keys[`${role}:${id}`] ?? '';

  beforeAll(async () => {
    test = await startTestStack(generatedRegistry(40), { fifo: true, feedLagMs: 200 });
  }, 120_000);

  afterAll(async () => {
    await test?.stack.stop();
  });

  it('settles the valid lines into the feed and stores why each other line was refused', async () => {
    // Prepare: 30 valid claims of the uploader, a claim of another hospital, an invalid line, an unknown member, a blank line.
    const all = generatedClaims(40, 3, 11);
    const mine = all.filter((c) => c.hospital.id === HOSPITAL).slice(0, 30).map((c, i) => ({ ...c, claimId: `BULK-${i}` }));
    const foreign = { ...all.find((c) => c.hospital.id === OTHER)!, claimId: 'BULK-FOREIGN' };
    const unknown = { ...mine[0]!, claimId: 'BULK-NOBODY', member: { ...mine[0]!.member, id: 'M-NOBODY' } };
    const lines = [...mine.map((c) => JSON.stringify(c)), JSON.stringify(foreign), '{"claimId":"BULK-BROKEN","member":{}}', JSON.stringify(unknown), '', 'not json'];
    const asked = await api(test.stack.apiUrl, 'POST', `/hospitals/${HOSPITAL}/uploads`, key('hospital', HOSPITAL));
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    const upload = asked.body as unknown as { url: string; method: string; headers: Record<string, string>; key: string };

    // Act
    const put = await fetch(upload.url, { method: upload.method, headers: upload.headers, body: `${lines.join('\n')}\n` });
    await waitFor(async () => test.stack.bulk.outcomes.has(upload.key), 30_000);
    const settledIds = new Set<string>();
    await waitFor(async () => {
      const page = await api(test.stack.apiUrl, 'GET', `/hospitals/${HOSPITAL}/settlements`, key('hospital', HOSPITAL));
      for (const entry of (page.body['settlements'] as { claimId: string }[]) ?? []) settledIds.add(entry.claimId);
      return settledIds.size >= mine.length;
    }, 90_000);
    const [foreignMine, broken, nobody, foreignTheirs] = await Promise.all([
      api(test.stack.apiUrl, 'GET', `/claims/${HOSPITAL}/BULK-FOREIGN`, key('hospital', HOSPITAL)),
      api(test.stack.apiUrl, 'GET', `/claims/${HOSPITAL}/BULK-BROKEN`, key('hospital', HOSPITAL)),
      api(test.stack.apiUrl, 'GET', `/claims/${HOSPITAL}/BULK-NOBODY`, key('hospital', HOSPITAL)),
      api(test.stack.apiUrl, 'GET', `/claims/${OTHER}/BULK-FOREIGN`, key('hospital', OTHER)),
    ]);

    // Assess
    expect(put.status).toBe(200);
    expect(uploaderOf(upload.key)).toBe(HOSPITAL);
    expect(test.stack.bulk.outcomes.get(upload.key)).toMatchObject({ hospitalId: HOSPITAL, lines: 35, queued: 30, refused: 4, notQueued: 0 });
    expect([...settledIds].sort()).toEqual(mine.map((c) => c.claimId).sort());
    expect(foreignMine).toMatchObject({ status: 422, body: { status: 'failed', error: 'FORBIDDEN' } });
    expect(broken).toMatchObject({ status: 422, body: { status: 'failed', error: 'INVALID_CLAIM' } });
    expect(nobody).toMatchObject({ status: 422, body: { status: 'failed', error: 'UNKNOWN_MEMBER' } });
    // Nothing was written for the other hospital: its claim id is unknown there.
    expect(foreignTheirs).toMatchObject({ status: 404, body: { error: 'UNKNOWN_CLAIM' } });
  }, 150_000);

  it('presigns only for the hospital itself', async () => {
    // Act
    const other = await api(test.stack.apiUrl, 'POST', `/hospitals/${HOSPITAL}/uploads`, key('hospital', OTHER));
    const operator = await api(test.stack.apiUrl, 'POST', `/hospitals/${HOSPITAL}/uploads`, key('operator', 'OPS-1'));

    // Assess
    expect(other.status).toBe(403);
    expect(operator.status).toBe(403);
  });
});
