/**
 * The HTTP edge of the local stack answers 4xx, never 500, for what a client gets wrong, before any
 * store call: malformed percent-encoding, ids beyond the contract's length, wrong methods, media types
 * and encodings; the server refuses unauthenticated or oversized bodies without reading them. Then a
 * fuzz of a few thousand requests: no 500, and nothing stored from any 4xx.
 */
import { request } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedClaim, generatedRegistry, random } from '../../local/generate.js';
import { type TestStack, scanItems, startTestStack } from './helpers.js';

interface Raw {
  readonly status: number;
  readonly body: string;
}

/** One raw HTTP request (fetch would normalise the path and refuse some headers). */
function send(base: string, method: string, path: string, headers: Record<string, string>, body?: string | Buffer): Promise<Raw> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

describe('the HTTP edge', () => {
  let test: TestStack;
  let base: string;
  let hospitalKey: string;
  let claimBody: string;

  const storedCount = async (): Promise<number> => (await scanItems(test.stack, 'C#')).length + (await scanItems(test.stack, 'F#')).length;

  beforeAll(async () => {
    test = await startTestStack(generatedRegistry(3), { fifo: true });
    base = test.stack.apiUrl;
    hospitalKey = test.keys['hospital:H-GEN-A'] ?? '';
    const claim = generatedClaim(1, 0, random(5));
    claimBody = JSON.stringify({ ...claim, claimId: 'EDGE-1', hospital: { ...claim.hospital, id: 'H-GEN-A' } });
  }, 180_000);
  afterAll(async () => {
    await test?.stack.stop();
  });

  it.each(['/claims/H-GEN-A/%E0%A4%A', '/claims/H-GEN-A/%ZZ', '/claims/%FF/x'])('malformed percent-encoding %s is 400 naming the parameter, even without a key', async (path) => {
    // Act
    const answer = await send(base, 'GET', path, {});
    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body).toMatch(/percent-encoded/);
  });

  it.each([
    ['GET', (id: string) => `/claims/H-GEN-A/${id}`],
    ['POST', (id: string) => `/claims/H-GEN-A/${id}/reversal`],
    ['GET', (id: string) => `/members/${id}/years/2018`],
  ] as const)('an id over 64 characters on %s is 400 before any store call', async (method, pathOf) => {
    // Prepare
    const before = await storedCount();
    // Act
    const answer = await send(base, method, pathOf('x'.repeat(2048)), { 'x-api-key': hospitalKey });
    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body).toMatch(/at most 64 characters/);
    expect(await storedCount()).toBe(before);
  });

  it.each(['text/plain', 'application/xml', ''])('a claim sent as %j is 415 and nothing is queued', async (type) => {
    // Act
    const answer = await send(base, 'POST', '/claims', { 'x-api-key': hospitalKey, ...(type ? { 'content-type': type } : {}) }, claimBody);
    // Assess
    expect(answer.status).toBe(415);
    expect(JSON.parse(answer.body)).toMatchObject({ error: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it.each(['gzip', 'br', 'deflate'])('a body labelled content-encoding %s is 415 (the API decodes none)', async (encoding) => {
    // Act
    const answer = await send(base, 'POST', '/claims', { 'x-api-key': hospitalKey, 'content-type': 'application/json', 'content-encoding': encoding }, claimBody);
    // Assess
    expect(answer.status).toBe(415);
  });

  it('a known path with the wrong method is 405 with Allow; an unknown path is 404', async () => {
    // Act
    const wrongMethod = await send(base, 'DELETE', '/claims/H-GEN-A/EDGE-1', {});
    const unknown = await send(base, 'GET', '/nowhere', {});
    // Assess
    expect(wrongMethod.status).toBe(405);
    expect(unknown.status).toBe(404);
  });

  it('refuses an unauthenticated body, and one declared over the limit, without reading it', async () => {
    // Prepare: a declared 100 MB of which nothing is sent; an answer proves the server did not wait for it
    const huge = { 'content-type': 'application/json', 'content-length': String(100 * 1024 * 1024) };
    // Act
    const unauthenticated = await send(base, 'POST', '/claims', huge);
    const tooLarge = await send(base, 'POST', '/claims', { ...huge, 'x-api-key': hospitalKey });
    // Assess
    expect(unauthenticated.status).toBe(401);
    expect(tooLarge.status).toBe(413);
  });

  it('stops reading a body without a declared length at the limit', async () => {
    // Act: 300 KB chunked (no content-length) with a valid key
    const answer = await send(base, 'POST', '/claims', { 'x-api-key': hospitalKey, 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, Buffer.alloc(300 * 1024, 0x20));
    // Assess
    expect(answer.status).toBe(413);
  });

  it('a fuzz of 2,000 requests over paths, methods, headers, encodings, sizes and ids: no 500, nothing stored from a 4xx', async () => {
    // Prepare
    const before = await storedCount();
    const segment = fc.oneof(
      fc.constantFrom('claims', 'members', 'years', 'hospitals', 'statements', 'reconciliations', 'reversal', 'H-GEN-A', 'H-GEN-B', '2018'),
      fc.string({ maxLength: 12 }).map(encodeURIComponent),
      fc.constantFrom('%', '%Z', '%E0%A4%A', '%C0%AF', '%00', '..', '%2F'),
      fc.nat(3000).map((n) => 'y'.repeat(n)),
    );
    const requestArb = fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
      segments: fc.array(segment, { minLength: 0, maxLength: 5 }),
      query: fc.constantFrom('', '?from=2018-01-01&to=2018-12-31', '?from=x', '?format=csv&from=2018-01-01&to=2018-01-02', '?%ZZ=1'),
      key: fc.constantFrom<string | undefined>(undefined, 'ck_made-up', hospitalKey, test.keys['operator:OPS-1']),
      type: fc.constantFrom<string | undefined>(undefined, 'application/json', 'text/plain', 'text/csv', 'application/json; charset=utf-8', 'multipart/form-data'),
      encoding: fc.constantFrom<string | undefined>(undefined, 'gzip', 'identity', 'x-unknown'),
      body: fc.oneof(fc.constant(undefined), fc.constant(claimBody), fc.string({ maxLength: 200 }), fc.json({ maxDepth: 3 })),
    });
    const samples = fc.sample(requestArb, { numRuns: 2000, seed: 1101 });
    // Act
    const statuses: number[] = [];
    for (let i = 0; i < samples.length; i += 20) {
      const answers = await Promise.all(
        samples.slice(i, i + 20).map((r) => {
          const headers: Record<string, string> = {};
          if (r.key) headers['x-api-key'] = r.key;
          if (r.type) headers['content-type'] = r.type;
          if (r.encoding) headers['content-encoding'] = r.encoding;
          // A valid claim only ever under the one media type that may store it, so a 202 is the only way in.
          const body = r.body === claimBody && r.type !== 'application/json' ? r.body.slice(1) : r.body;
          return send(base, r.method, `/${r.segments.join('/')}${r.query}`, headers, body);
        }),
      );
      statuses.push(...answers.map((a) => a.status));
    }
    // Assess
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s < 400 && s !== 200 && s !== 202)).toEqual([]);
    // The only request that may store anything is the one valid claim (EDGE-1) under its media type;
    // every other answer, 4xx above all, leaves the table as it was.
    expect(await storedCount()).toBeLessThanOrEqual(before + 1);
  });
});
