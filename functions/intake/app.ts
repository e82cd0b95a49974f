/**
 * The intake API (API Gateway HTTP API, payload format 2.0), built from its dependencies.
 *
 * Routes: the table of routes.ts (the agency's statements and reconciliations are answered in
 * province.ts). The caller's API key comes in `x-api-key` (or `Authorization: Bearer`). Before any
 * store is asked: the route, its path ids, the body's media type and encoding are checked, each
 * refusal a 4xx naming what was wrong.
 */
import middy from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { settlementToJson, yearToDateToJson } from '../../shared/engine/settlement.js';
import { explainedSettlement } from '../lib/explained.js';
import { type PolicyBook, builtInPolicyBook } from '../../shared/policy/book.js';
import { claimFailureKey, settlementKey } from '../storage/keys.js';
import type { Caller, KeyStore } from '../storage/keys-store.js';
import type { Stores } from '../storage/stores.js';
import { RETRY_AFTER_SECONDS, isUnavailable } from '../lib/unavailable.js';
import { queueClaim } from '../lib/claim-queue.js';
import { QUEUED, acceptedItem, claimHash, sameHash } from '../storage/accepted.js';
import { fhirBundleAnswer } from './fhir.js';
import { answerProvinceRoute } from './province.js';
import { NO_API_KEY, type Refusal, UNKNOWN_API_KEY, refusalAnswer, routeRefusal } from './refusals.js';
import { answerSlipRoute } from './slip.js';
import { API_KEY_HEADER, type Route, matchRoute, maxBodyBytes } from './routes.js';
import { type GatewayDeps, createGateway } from '../gateway/app.js';
import { admitClaim, claimLocation } from './admission.js';
import { answerBatchRoute } from './batch.js';
import { answerFeedRoute } from './feed.js';
import { answerCorrectionRoute } from './corrections.js';
import { type UploadSigner, answerUploadRoute } from './uploads.js';

export interface IntakeDeps {
  readonly stores: Stores;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly logger: Logger;
  /** The policies the settle handler settles by: a claim must name a region one of them covers. Default: the built-in packs. */
  readonly book?: PolicyBook;
  /** The clock of acceptance times (tests). */
  readonly now?: () => Date;
  /** The national gateway's settings (its bounded settlement wait, its signing secret). */
  readonly national?: Pick<GatewayDeps, 'settleWaitMs' | 'signingSecret' | 'now'>;
  /** How far behind the clock the settlement feed stays (default feed.ts DEFAULT_FEED_LAG_MS). */
  readonly feedLagMs?: number;
  /** Presigns bulk uploads (`POST /hospitals/{id}/uploads`); absent, that route answers 503. */
  readonly uploads?: UploadSigner;
}

export type IntakeHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;


const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
});
const error = (statusCode: number, code: string, message: string): APIGatewayProxyStructuredResultV2 =>
  json(statusCode, { error: code, message });

function apiKeyOf(event: APIGatewayProxyEventV2): string | undefined {
  return apiKeyOfHeaders(event.headers ?? {});
}

/** The API key of lower-cased request headers: `x-api-key`, or `Authorization: Bearer KEY`. */
function apiKeyOfHeaders(headers: Record<string, string | undefined>): string | undefined {
  const direct = headers[API_KEY_HEADER];
  if (direct) return direct;
  const authorization = headers['authorization'];
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

function bodyOf(event: APIGatewayProxyEventV2): string {
  if (!event.body) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

export { deduplicationId, messageGroupId, queueClaim } from '../lib/claim-queue.js';

/** The media type of a content-type header, lower-cased, without parameters. */
function mediaTypeOf(event: APIGatewayProxyEventV2): string {
  return (event.headers?.['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Why the body of a request cannot be read as its route expects, or undefined: a body in an encoding
 * the API does not decode, or a media type the route does not take, is `415` whatever it contains.
 */
export function unsupportedBody(route: Route, event: APIGatewayProxyEventV2): string | undefined {
  const encoding = (event.headers?.['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'identity') return `content-encoding ${encoding} is not accepted: send the body uncompressed`;
  const body = route.body;
  if (body.kind === 'none') return undefined;
  const type = mediaTypeOf(event);
  if (body.kind === 'json') return type === 'application/json' ? undefined : `content-type must be application/json, got ${type || 'none'}`;
  return (body.mediaTypes as readonly string[]).includes(type) ? undefined : `content-type must be one of ${body.mediaTypes.join(', ')}, got ${type || 'none'}`;
}

/**
 * What a server in front of the intake may decide before reading a body, as API Gateway does before a
 * Lambda runs: the route (404, 405, 400 for a bad path id), the key (401) and the route's body limit.
 * The local stack's HTTP server uses it; the intake checks the same again on the whole request.
 */
export function createAdmission(keys: Pick<KeyStore, 'getCaller'>) {
  return async (method: string, path: string, headers: Record<string, string>): Promise<Refusal | { maxBodyBytes: number }> => {
    const match = matchRoute(method, path);
    // The national gateway authenticates by key or signature itself and answers every refusal as an envelope.
    if (match.kind === 'route' && isNationalRoute(match.route)) return { maxBodyBytes: maxBodyBytes(match.route.body) };
    if (match.kind !== 'route') return routeRefusal(match);
    const apiKey = apiKeyOfHeaders(headers);
    if (!apiKey) return NO_API_KEY;
    let caller;
    try {
      caller = await keys.getCaller(apiKey);
    } catch (cause) {
      if (!isUnavailable(cause)) throw cause;
      return { status: 503, error: 'UNAVAILABLE', message: `the key store is not reachable; retry in ${RETRY_AFTER_SECONDS} s` };
    }
    if (!caller) return UNKNOWN_API_KEY;
    return { maxBodyBytes: maxBodyBytes(match.route.body) };
  };
}

/** The answer when a store or the queue cannot be reached: retry later; nothing internal named. */
export const unavailable = (): APIGatewayProxyStructuredResultV2 => ({
  statusCode: 503,
  headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(RETRY_AFTER_SECONDS) },
  body: JSON.stringify({ error: 'UNAVAILABLE', message: `the claims store or queue is not reachable; retry in ${RETRY_AFTER_SECONDS} s (an identical resend is safe)` }),
});

/** The national interface's routes, answered by functions/gateway/ in envelopes. */
const isNationalRoute = (route: Route): route is Extract<Route, { name: 'national' | 'national-infno' }> => route.name === 'national' || route.name === 'national-infno';

/** Builds the intake handler. */
export function createIntakeHandler(deps: IntakeDeps): IntakeHandler {
  const { stores, logger } = deps;
  const fifo = deps.queueUrl.endsWith('.fifo');
  const gateway = createGateway({ stores, sqs: deps.sqs, queueUrl: deps.queueUrl, logger, book: deps.book ?? builtInPolicyBook(), ...deps.national });

  const submit = async (caller: Caller, event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    // The one admission of a claim, the same at every door (admission.ts): contract, region, own hospital, registry member.
    const admission = await admitClaim({ registry: stores.registry, book: deps.book }, caller, bodyOf(event));
    if (admission.kind === 'refused') return json(admission.status, admission.answer);
    const { claim, body } = admission;
    // The accepted record first, then the queue: a claim answered 202 is both recorded and queued.
    const key = settlementKey(claim.hospital.id, claim.claimId);
    const location = claimLocation(claim);
    const item = acceptedItem(claim, JSON.parse(body) as unknown, (deps.now?.() ?? new Date()).toISOString());
    const outcome = await stores.accepted.accept(item);
    if (outcome.kind === 'exists') {
      const { record } = outcome;
      if (record.hash && !sameHash(record.hash, claimHash(claim))) {
        return error(
          409,
          'CONFLICTING_RESEND',
          `claim ${claim.claimId} of hospital ${claim.hospital.id} was already accepted with different content (status ${record.status}); ` +
            `GET ${location} shows the stored claim's status; to correct it, POST ${location}/replacement`,
        );
      }
      // The same claim again: a no-op that answers where it stands. Still queued, it is queued once
      // more (its first message may be the one that was lost); the settle path writes it once.
      if (record.status !== QUEUED) return get(caller, claim.hospital.id, claim.claimId);
    }
    await queueClaim(deps, body, claim.hospital.id, claim.claimId, claim.member.id, fifo);
    logger.appendKeys({ key, outcome: outcome.kind === 'accepted' ? 'accepted and queued' : 'identical resend queued again' });
    return { ...json(202, { status: 'queued', hospitalId: claim.hospital.id, claimId: claim.claimId, location }), headers: { 'content-type': 'application/json; charset=utf-8', location } };
  };

  const ownsHospital = (caller: Caller, hospitalId: string): boolean =>
    caller.role === 'operator' || (caller.role === 'hospital' && caller.id === hospitalId);

  const get = async (caller: Caller, hospitalId: string, claimId: string): Promise<APIGatewayProxyStructuredResultV2> => {
    if (!ownsHospital(caller, hospitalId)) return error(403, 'FORBIDDEN', `this key may not read claims of hospital ${hospitalId}`);
    const versions = await stores.settlements.getVersions(hospitalId, claimId);
    const stored = versions.at(-1);
    if (stored) {
      // The current version with its full explanation (English and Chinese), from its content settled again.
      const item = await stores.settlements.getClaimItem(stored.key);
      const explained = stored.status === 'reversed' ? undefined : explainedSettlement(stored, item ? await stores.settlements.contentOf(item) : undefined, deps.book ?? builtInPolicyBook());
      return json(200, {
        status: stored.status,
        version: stored.version,
        settlement: explained ? settlementToJson(explained) : stored.settlement,
        settledAt: stored.settledAt,
        ...(stored.reversedAt ? { reversedAt: stored.reversedAt } : stored.status === 'reversed' ? { reversedAt: stored.settledAt } : {}),
        // Every version, first to current: what each paid, when and why it changed.
        versions: versions.map((v) => ({ version: v.version, status: v.status, settledAt: v.settledAt, amounts: v.settlement.amounts, ...(v.adjustment ? { adjustment: v.adjustment, cause: v.cause } : {}) })),
      });
    }
    const [failure, record] = await Promise.all([stores.failures.get(claimFailureKey(hospitalId, claimId)), stores.accepted.get(hospitalId, claimId)]);
    if (failure) return json(422, { status: 'failed', error: failure.code, message: failure.message, details: failure.details, at: failure.at });
    // Accepted and not settled yet: in the queue (the sweeper queues it again if its message was lost).
    if (record) return json(202, { status: 'queued', hospitalId, claimId, acceptedAt: record.acceptedAt });
    return error(404, 'UNKNOWN_CLAIM', `claim ${claimId} of hospital ${hospitalId} was never accepted`);
  };

  const fhir = async (caller: Caller, hospitalId: string, claimId: string): Promise<APIGatewayProxyStructuredResultV2> => {
    if (!ownsHospital(caller, hospitalId)) return error(403, 'FORBIDDEN', `this key may not read claims of hospital ${hospitalId}`);
    const stored = await stores.settlements.getSettlement(hospitalId, claimId);
    if (stored) return fhirBundleAnswer(stored);
    // Not settled (yet, or it failed): the status route says which.
    return error(404, 'NOT_SETTLED', `claim ${claimId} of hospital ${hospitalId} has no settlement; GET /claims/${hospitalId}/${claimId} gives its status`);
  };

  const member = async (caller: Caller, memberId: string, yearText: string): Promise<APIGatewayProxyStructuredResultV2> => {
    if (caller.role !== 'operator') return error(403, 'FORBIDDEN', 'member totals need an operator key');
    if (!/^\d{4}$/.test(yearText)) return json(400, { error: 'INVALID_REQUEST', issues: [{ path: 'year', message: 'must be a four-digit year' }] });
    const year = Number(yearText);
    const [totals, settlements] = await Promise.all([stores.settlements.getTotals(memberId, year), stores.settlements.listMemberYear(memberId, year)]);
    return json(200, {
      memberId,
      year,
      version: totals.version,
      yearToDate: yearToDateToJson(totals.totals),
      // The member-year's ledger: its claims in the order they were first settled, each at its current version.
      pendingCorrection: totals.pending ? { kind: totals.pending.kind, at: totals.pending.at } : undefined,
      settlements: settlements.map((s) => ({
        status: s.status,
        version: s.version,
        dischargedOn: s.dischargedOn,
        settledAt: s.settledAt,
        ...(s.reversedAt ? { reversedAt: s.reversedAt } : {}),
        settlement: s.settlement,
      })),
    });
  };

  const answer = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const method = event.requestContext?.http?.method ?? 'GET';
    const path = event.rawPath ?? event.requestContext?.http?.path ?? '/';
    const match = matchRoute(method, path);
    if (match.kind !== 'route') return refusalAnswer(routeRefusal(match));
    const { route, params } = match;
    logger.appendKeys({ route: route.name });
    if (isNationalRoute(route)) return gateway(event);
    const unsupported = unsupportedBody(route, event);
    if (unsupported) return error(415, 'UNSUPPORTED_MEDIA_TYPE', unsupported);
    const apiKey = apiKeyOf(event);
    if (!apiKey) return refusalAnswer(NO_API_KEY);
    try {
      const caller = await stores.keys.getCaller(apiKey);
      if (!caller) return refusalAnswer(UNKNOWN_API_KEY);
      switch (route.name) {
        case 'submit':
          return await submit(caller, event);
        case 'get':
          return await get(caller, params['hospitalId']!, params['claimId']!);
        case 'fhir':
          return await fhir(caller, params['hospitalId']!, params['claimId']!);
        case 'slip':
          return await answerSlipRoute({ settlements: stores.settlements, registry: stores.registry, book: deps.book }, caller, { hospitalId: params['hospitalId']!, claimId: params['claimId']! }, event);
        case 'reverse':
        case 'replace':
          return await answerCorrectionRoute({ stores, logger, ...(deps.book ? { book: deps.book } : {}), ...(deps.now ? { now: deps.now } : {}) }, caller, route.name, { hospitalId: params['hospitalId']!, claimId: params['claimId']! }, bodyOf(event));
        case 'member':
          return await member(caller, params['memberId']!, params['year']!);
        case 'batch': {
          const batch = await answerBatchRoute(
            { registry: stores.registry, accepted: stores.accepted, book: deps.book, sqs: deps.sqs, queueUrl: deps.queueUrl, logger, ...(deps.now ? { now: deps.now } : {}) },
            caller,
            bodyOf(event),
          );
          // The invocation's line carries the batch's counts (accepted, refused), not its results.
          if (batch.statusCode === 200) logger.appendKeys(JSON.parse(String(batch.body), (name, value: unknown) => (name === 'results' ? undefined : value)) as Record<string, number>);
          return batch;
        }
        case 'feed':
          return await answerFeedRoute({ settlements: stores.settlements, lagMs: deps.feedLagMs }, caller, params['hospitalId']!, event);
        case 'upload':
          return await answerUploadRoute(deps.uploads, caller, params['hospitalId']!);
        case 'statement':
        case 'reconcile':
          // The settlement agency's routes live in province.ts.
          return await answerProvinceRoute({ settlements: stores.settlements }, caller, { name: route.name, hospitalId: params['hospitalId']! }, event);
      }
    } catch (cause) {
      if (isUnavailable(cause)) {
        logger.warn('a store or the queue is unreachable: 503', { route: route.name, error: (cause as Error).name });
        return unavailable();
      }
      logger.error('request failed', { route: route.name, error: cause as Error });
      return error(500, 'INTERNAL', 'the request failed; retry later');
    }
  };

  // One structured line per invocation (the route, its status, what it did); a failure adds its own line before it.
  const run = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const result = await answer(event);
    logger.info('request', { status: result.statusCode });
    return result;
  };

  return middy(run).use(injectLambdaContext(logger, { resetKeys: true }));
}
