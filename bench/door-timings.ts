/**
 * In-process timings of the two doors' requests against the local stack, for the cost model: one
 * `GET /claims/{h}/{c}` of a settled claim (the single door's result read), one `POST /claims:batch`
 * of 500 claims (each admitted, recorded and sent on with SendMessageBatch), one page of 100
 * settlements of the feed; each with the log bytes it writes at the deployed level (INFO). Called by
 * timeHandlers (handlers.ts) on the stack the pipeline run settled its claims on.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { performance } from 'node:perf_hooks';
import { createIntakeHandler } from '../functions/intake/app.js';
import { MAX_BATCH_CLAIMS, MAX_FEED_PAGE } from '../functions/intake/routes.js';
import { createLogger } from '../functions/lib/logger.js';
import { openStores } from '../functions/storage/stores.js';
import { GENERATED_HOSPITALS, generatedClaim, random } from '../local/generate.js';
import type { LocalStack } from '../local/stack.js';
import type { ClaimInput } from '../shared/contract/claim.js';
import { type HandlerTiming, countingOutput, lambdaContext, summary } from './handlers.js';

export interface DoorTimings {
  /** GET /claims/{h}/{c} of a settled claim. */
  readonly resultRead: HandlerTiming;
  /** POST /claims:batch of `claimsPerBatch` claims (records each = claims). */
  readonly batch: HandlerTiming;
  /** One full feed page (records each = settlements on the page). */
  readonly feed: HandlerTiming;
}

/** An HTTP API (payload 2.0) event of `method path`, as API Gateway hands the intake one. */
export function apiEvent(method: string, path: string, apiKey: string, n: number, { query = '', body }: { query?: string; body?: string } = {}): APIGatewayProxyEventV2 {
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: query,
    headers: { 'x-api-key': apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      domainName: '127.0.0.1',
      domainPrefix: 'bench',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: `door-${n}`,
      routeKey: '$default',
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now,
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
  };
}

/** `count` new claims of one hospital, of the loaded members. */
function claimsOf(hospitalId: string, count: number, members: number, firstSequence: number, rand: () => number): ClaimInput[] {
  const claims: ClaimInput[] = [];
  for (let n = 0; claims.length < count; n++) {
    const claim = generatedClaim(n % members, firstSequence + n, rand);
    if (claim.hospital.id === hospitalId) claims.push(claim);
  }
  return claims;
}

/**
 * Times `batches` batch requests of MAX_BATCH_CLAIMS claims, the first feed page of each generated
 * hospital, and a result read of each settlement on those pages (at most `reads`).
 */
export async function timeDoors(stack: LocalStack, keys: ReadonlyMap<string, string>, members: number, { batches = 3, reads = 100 } = {}): Promise<DoorTimings> {
  const rand = random(11);
  const intake = createIntakeHandler({ stores: openStores(stack.db, stack.tableName), sqs: stack.sqs, queueUrl: stack.queueUrl, logger: createLogger('claims-intake', 'INFO'), feedLagMs: 0 });
  const keyOf = (hospitalId: string): string => keys.get(hospitalId) ?? '';
  let n = 0;
  const timed = async (times: number[], event: APIGatewayProxyEventV2): Promise<{ statusCode?: number; body?: string }> => {
    const start = performance.now();
    const result = await intake(event, lambdaContext(`door-${n}`));
    times.push(performance.now() - start);
    return result;
  };

  const feedTimes: number[] = [];
  const settled: { hospitalId: string; claimId: string }[] = [];
  let pages = 0;
  // The first page of each hospital's feed, three times: the stack's table also holds the raw-rate
  // benchmark's copies of settlements (pipeline-raw.ts), whose feed entries are no cursor to resume from.
  const feedRun = await countingOutput(async () => {
    for (let round = 0; round < 3; round++) {
      for (const hospitalId of GENERATED_HOSPITALS) {
        const times: number[] = [];
        const page = await timed(times, apiEvent('GET', `/hospitals/${hospitalId}/settlements`, keyOf(hospitalId), n++, { query: `limit=${MAX_FEED_PAGE}` }));
        if (page.statusCode !== 200) throw new Error(`feed answered ${page.statusCode}: ${String(page.body)}`);
        pages++;
        const body = JSON.parse(page.body ?? '{}') as { settlements: { claimId: string }[] };
        // Only full pages are what a page costs.
        if (body.settlements.length === MAX_FEED_PAGE) feedTimes.push(...times);
        if (round === 0) settled.push(...body.settlements.map((s) => ({ hospitalId, claimId: s.claimId })));
      }
    }
  });

  const readTimes: number[] = [];
  const readRun = await countingOutput(async () => {
    for (const { hospitalId, claimId } of settled.slice(0, reads)) {
      const result = await timed(readTimes, apiEvent('GET', `/claims/${hospitalId}/${claimId}`, keyOf(hospitalId), n++));
      if (result.statusCode !== 200) throw new Error(`GET answered ${result.statusCode}: ${String(result.body)}`);
    }
  });

  const batchTimes: number[] = [];
  const hospitalId = GENERATED_HOSPITALS[0];
  const batchRun = await countingOutput(async () => {
    for (let b = 0; b < batches; b++) {
      const body = JSON.stringify({ claims: claimsOf(hospitalId, MAX_BATCH_CLAIMS, members, 40_000 + b * 10_000, rand) });
      const result = await timed(batchTimes, apiEvent('POST', '/claims:batch', keyOf(hospitalId), n++, { body }));
      const answer = JSON.parse(result.body ?? '{}') as { accepted?: number };
      if (result.statusCode !== 200 || answer.accepted !== MAX_BATCH_CLAIMS) throw new Error(`batch answered ${result.statusCode}: ${String(result.body).slice(0, 300)}`);
    }
  });
  if (feedTimes.length === 0) throw new Error('the feed had no full page: settle more claims before timing the doors');
  return {
    resultRead: summary(readTimes, 1, readRun.bytes),
    batch: summary(batchTimes, MAX_BATCH_CLAIMS, batchRun.bytes),
    // Log bytes per page walked (full or not), counted against the full pages timed.
    feed: summary(feedTimes, MAX_FEED_PAGE, (feedRun.bytes / Math.max(1, pages)) * feedTimes.length),
  };
}
