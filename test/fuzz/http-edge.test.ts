/**
 * Fuzzing the HTTP edge of the real local stack: 3,000 generated requests over every route and random
 * paths (bad percent-encoding, ids up to 5,000 characters, dot segments), methods, random headers, API
 * keys (none, made up, a hospital's, another hospital's, an operator's), content types,
 * content-encodings, body sizes around and beyond the 256 KB limit, and bodies (valid claims, claims
 * with one field broken, batches, JSON and text at random).
 *
 * What must hold: no answer is a 5xx, and the table gains exactly the accepted records of the claims
 * a 2xx answer accepted, nothing else: every whole-table item counted before and after by a scan.
 * The stack neither settles nor sweeps meanwhile, so an accepted record is the only write a request
 * can cause.
 */
import { request } from 'node:http';
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedClaim, generatedRegistry, random } from '../../local/generate.js';
import type { LocalStack } from '../../local/stack.js';
import { settlementKey } from '../../functions/storage/keys.js';
import { type TestStack, inParallel, startTestStack } from '../pipeline/helpers.js';

const REQUESTS = 3_000;
const IN_FLIGHT = 16;

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** One raw HTTP request: `fetch` would normalise the path and refuse some headers and encodings. */
function send(base: string, method: string, path: string, headers: Record<string, string>, body: Buffer | undefined): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    let status: number | undefined;
    const chunks: Buffer[] = [];
    const req = request({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      status = res.statusCode ?? 0;
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: status ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => resolve({ status: status ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    // A refusal given before the body is read may close the connection while the body is still being
    // written: the answer's status has then arrived (kept), or the reset is the refusal itself (status 0).
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (status !== undefined) resolve({ status, body: Buffer.concat(chunks).toString('utf8') });
      else if (error.code === 'ECONNRESET' || error.code === 'EPIPE') resolve({ status: 0, body: error.code });
      else reject(error);
    });
    req.end(body);
  });
}

/** Every key in the table: the whole table, every item kind. */
async function tableKeys(stack: LocalStack): Promise<Set<string>> {
  const keys = new Set<string>();
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await stack.db.send(new ScanCommand({ TableName: stack.tableName, ProjectionExpression: 'pk', ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }));
    for (const item of page.Items ?? []) keys.add(item['pk']?.S ?? '');
    start = page.LastEvaluatedKey;
  } while (start);
  return keys;
}

/** The claims a 2xx answer says were accepted (one claim, or the 202 results of a batch). */
function acceptedBy(answer: Answer): string[] {
  if (answer.status < 200 || answer.status >= 300) return [];
  let body: { hospitalId?: unknown; claimId?: unknown; status?: unknown; results?: { status?: number; hospitalId?: string; claimId?: string }[] };
  try {
    body = JSON.parse(answer.body) as typeof body;
  } catch {
    return [];
  }
  const own = typeof body.hospitalId === 'string' && typeof body.claimId === 'string' ? [settlementKey(body.hospitalId, body.claimId)] : [];
  const batch = (body.results ?? []).filter((r) => r.status === 202 && r.hospitalId && r.claimId).map((r) => settlementKey(r.hospitalId!, r.claimId!));
  return [...own, ...batch];
}

/** A claim of the generated registry with one field broken: missing, of another type, or out of range. */
const brokenClaim = (claim: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> =>
  fc.oneof(
    fc.constantFrom(...Object.keys(claim)).map((key) => Object.fromEntries(Object.entries(claim).filter(([k]) => k !== key))),
    fc.tuple(fc.constantFrom(...Object.keys(claim)), fc.jsonValue({ maxDepth: 2 })).map(([key, value]) => ({ ...claim, [key]: value })),
    fc.constantFrom(
      { ...claim, claimId: 'c'.repeat(65) },
      { ...claim, claimId: '' },
      { ...claim, member: { ...(claim['member'] as object), id: 'M-NOBODY' } },
      { ...claim, items: [] },
      { ...claim, extra: true },
      { ...claim, visit: { ...(claim['visit'] as object), dischargedOn: '2018-02-30' } },
    ),
  );

describe('fuzzing the HTTP edge', () => {
  let test: TestStack;

  beforeAll(async () => {
    test = await startTestStack(generatedRegistry(4), { poll: false, sweepEveryMs: 0 });
  }, 180_000);
  afterAll(async () => {
    await test?.stack.stop();
  });

  it(`${REQUESTS} requests: no 5xx, and nothing stored but the claims a 2xx answer accepted`, async () => {
    // Prepare
    const keys = test.keys;
    const hospitalKey = keys['hospital:H-GEN-A'] ?? '';
    const rand = random(2404);
    let serial = 0;
    /** A valid claim of H-GEN-A with a fresh id (the same claim sent again is an identical resend). */
    const validClaim = fc.constant(null).map(() => ({ ...generatedClaim(serial % 4, serial, rand), claimId: `FZ-${serial++}`, hospital: { ...generatedClaim(0, 0, random(1)).hospital, id: 'H-GEN-A', tier: 'class2-county' } }) as Record<string, unknown>);
    const id = fc.oneof(
      fc.constantFrom('H-GEN-A', 'H-GEN-B', 'M-GEN-0001', 'FZ-1', '2018', 'x'),
      fc.string({ maxLength: 16 }).map(encodeURIComponent),
      fc.constantFrom('%', '%Z', '%ZZ', '%E0%A4%A', '%C0%AF', '%FF', '%00', '%2F', '..', '.', '%2e%2e', '', '%F0%9F%98%80'),
      fc.integer({ min: 60, max: 5_000 }).map((n) => 'y'.repeat(n)),
    );
    const path = fc.oneof(
      fc.constantFrom('/claims', '/claims:batch', '/', '/fsi/api/rsfComIfsService/callService'),
      fc.tuple(id, id, fc.constantFrom('', '/fhir', '/slip', '/reversal', '/replacement', '/x')).map(([h, c, tail]) => `/claims/${h}/${c}${tail}`),
      fc.tuple(id, id).map(([m, y]) => `/members/${m}/years/${y}`),
      fc.tuple(id, fc.constantFrom('settlements', 'statements', 'reconciliations', 'uploads', '')).map(([h, what]) => `/hospitals/${h}/${what}`),
      fc.array(id, { maxLength: 5 }).map((segments) => `/${segments.join('/')}`),
    );
    const query = fc.oneof(
      fc.constant(''),
      fc.constantFrom('?from=2018-01-01&to=2018-12-31', '?from=x&to=', '?format=csv&from=2018-01-01&to=2018-01-02', '?%ZZ=1', '?after=%E0', '?limit=0', '?limit=1e9', '?paper=a5', '?after=eyJ9'),
      fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 30 })).map(([k, v]) => `?${encodeURIComponent(k)}=${encodeURIComponent(v)}`),
    );
    const headerValue = fc.string({ unit: fc.constantFrom(...'abcXYZ019 -_./;=,:*"\''.split('')), maxLength: 40 });
    const randomHeaders = fc.dictionary(fc.stringMatching(/^x-[a-z0-9-]{1,12}$/), headerValue, { maxKeys: 4 });
    const body = fc.oneof(
      { weight: 3, arbitrary: validClaim.map((c) => JSON.stringify(c)) },
      { weight: 3, arbitrary: validClaim.chain(brokenClaim).map((c) => JSON.stringify(c)) },
      { weight: 1, arbitrary: fc.array(fc.oneof(validClaim, validClaim.chain(brokenClaim)), { minLength: 0, maxLength: 4 }).map((claims) => JSON.stringify({ claims })) },
      { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
      { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
      { weight: 1, arbitrary: fc.constantFrom(250 * 1024, 256 * 1024 + 1, 400 * 1024, 2 * 1024 * 1024).map((n) => `{"pad":"${'p'.repeat(n)}"}`) },
      { weight: 1, arbitrary: fc.constant(undefined) },
    );
    const requestArb = fc.record({
      method: fc.constantFrom('GET', 'POST', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'),
      path,
      query,
      key: fc.constantFrom<string | undefined>(undefined, 'ck_made-up', hospitalKey, hospitalKey, keys['hospital:H-GEN-B'], keys['operator:OPS-1']),
      bearer: fc.boolean(),
      type: fc.option(fc.oneof(fc.constantFrom('application/json', 'application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'text/plain', 'application/xml', 'text/csv', 'application/x-ndjson', 'multipart/form-data; boundary=x', 'application/json;;', ''), headerValue)),
      encoding: fc.option(fc.constantFrom('gzip', 'br', 'deflate', 'identity', 'IDENTITY', 'gzip, identity', 'x-unknown', '')),
      headers: randomHeaders,
      body,
    });
    // A third of the requests are near a real submission, so the fuzz also reaches the handlers.
    const nearSubmission = fc.record({
      method: fc.constant('POST'),
      path: fc.constantFrom('/claims', '/claims', '/claims:batch'),
      query: fc.constantFrom('', '', '?x=1'),
      key: fc.constantFrom<string | undefined>(hospitalKey, hospitalKey, hospitalKey, keys['hospital:H-GEN-B'], keys['operator:OPS-1'], undefined),
      bearer: fc.boolean(),
      type: fc.constantFrom<string | null>('application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain', null),
      encoding: fc.constantFrom<string | null>(null, null, null, 'identity', 'gzip'),
      headers: randomHeaders,
      body,
    });
    const samples = fc.sample(fc.oneof({ weight: 2, arbitrary: requestArb }, { weight: 1, arbitrary: nearSubmission }), { numRuns: REQUESTS, seed: 2304 });
    const before = await tableKeys(test.stack);

    // Act
    const answers: { sample: (typeof samples)[number]; answer: Answer }[] = [];
    await inParallel(samples, IN_FLIGHT, async (sample) => {
      const headers: Record<string, string> = { ...sample.headers };
      if (sample.key) headers[sample.bearer ? 'authorization' : 'x-api-key'] = sample.bearer ? `Bearer ${sample.key}` : sample.key;
      if (sample.type !== null) headers['content-type'] = sample.type;
      if (sample.encoding !== null) headers['content-encoding'] = sample.encoding;
      const payload = sample.body === undefined ? undefined : Buffer.from(sample.body);
      answers.push({ sample, answer: await send(test.stack.apiUrl, sample.method, `${sample.path}${sample.query}`, headers, payload) });
    });
    const after = await tableKeys(test.stack);

    // Assess
    const failures = answers.filter(({ answer }) => answer.status >= 500 || (answer.status === 0 && (answer.body !== 'ECONNRESET' && answer.body !== 'EPIPE')));
    expect(failures.slice(0, 5).map(({ sample, answer }) => ({ ...sample, path: sample.path.slice(0, 200), body: sample.body?.slice(0, 200), answer }))).toEqual([]);
    // A reset is only ever the refusal of a body the server did not read.
    const resets = answers.filter(({ answer }) => answer.status === 0);
    expect(resets.filter(({ sample }) => sample.body === undefined).map(({ sample }) => sample.path.slice(0, 80))).toEqual([]);
    const accepted = new Set(answers.flatMap(({ answer }) => acceptedBy(answer)));
    const added = [...after].filter((key) => !before.has(key));
    expect(added.filter((key) => !accepted.has(key))).toEqual([]);
    expect(added.sort()).toEqual([...accepted].filter((key) => !before.has(key)).sort());
    // The fuzz reached past the edge: some claims were accepted, and most requests were refused.
    const byStatus = new Map<number, number>();
    for (const { answer } of answers) byStatus.set(answer.status, (byStatus.get(answer.status) ?? 0) + 1);
    expect(accepted.size, JSON.stringify([...byStatus])).toBeGreaterThan(20);
    expect(resets.length, JSON.stringify([...byStatus])).toBeLessThan(REQUESTS / 20);
    for (const status of [400, 401, 403, 404, 405, 413, 415]) expect(byStatus.get(status) ?? 0, `${status}: ${JSON.stringify([...byStatus])}`).toBeGreaterThan(0);
  }, 120_000);
});
