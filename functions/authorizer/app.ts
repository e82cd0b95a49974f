/**
 * The API Gateway REQUEST authorizer of the deployed API, built from its dependencies. It binds the
 * caller to one hospital (or operator) id before any other function runs: the `x-api-key` header is
 * hashed and looked up in the registry exactly as the intake does, and API Gateway then throttles by
 * the usage key returned here and passes the id to the intake in `requestContext.authorizer`.
 *
 * On the national gateway's routes it also takes the national per-institution signature (x-tif-*
 * headers), checked by the gateway's own check (functions/gateway/signing.ts) against the key store's
 * signing secret, its nonce recorded once. Those routes have an authorizer of their own with no result
 * cache (infra/api.ts): every signed request has a new nonce, so a cached answer could only be a replay.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { SIGNED_SCHEME, checkSignedRequest } from '../gateway/signing.js';
import { API_KEY_HEADER, ROUTES, routePatternsFor } from '../intake/routes.js';
import { type ApiKeyRecord, type Caller, isRevoked } from '../storage/keys-store.js';

export interface AuthorizerDeps {
  /** The stored record of an API key, revoked or not, or undefined for a key nobody holds (KeyStore.lookupKey). */
  readonly lookupKey: (apiKey: string) => Promise<ApiKeyRecord | undefined>;
  readonly logger: Logger;
  /** The clock a revocation time and a signature's timestamp are compared with. */
  readonly now?: () => Date;
  /** The national gateway's signing secret (KeyStore.signingSecret); absent or undefined: signed requests are denied. */
  readonly signingSecret?: () => Promise<string | undefined>;
  /** Records a signed request's nonce once (KeyStore.useNonce); false for a replay. */
  readonly useNonce?: (paasId: string, nonce: string, nowSeconds: number) => Promise<boolean>;
}

export type AuthorizerHandler = (event: APIGatewayRequestAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;

/**
 * The value of the API Gateway usage key that meters and throttles a caller on one API stage: SHA-256
 * of `claims-usage:<stage>:<role>:<id>` in hex. It is no credential (the API takes usage keys only from
 * this authorizer, never from a client), so deriving it lets onboarding create the key without storing
 * it: `printf 'claims-usage:prod:hospital:H-0001' | sha256sum`. The stage keeps dev and prod keys
 * distinct when both run in one account and region, where API key values must be unique.
 */
export function usageKeyOf(stage: string, caller: Caller): string {
  return createHash('sha256').update(`claims-usage:${stage}:${caller.role}:${caller.id}`, 'utf8').digest('hex');
}

/**
 * Routes each role may call, as `METHOD/path` patterns of execute-api ARNs, from the route table
 * (functions/intake/routes.ts); the intake checks ownership of ids.
 */
export const ROUTES_BY_ROLE: Record<Caller['role'], readonly string[]> = {
  hospital: routePatternsFor('hospital'),
  operator: routePatternsFor('operator'),
};

/** The request's headers by lower-cased name (REST API headers keep the client's casing). */
function headersOf(event: APIGatewayRequestAuthorizerEvent): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(event.headers ?? {})) if (value) headers[key.toLowerCase()] = value;
  return headers;
}

/** The national gateway's routes (`POST /fsi/api/rsfComIfsService/callService[/{infno}]`): the only ones a signature opens. */
export const SIGNED_ROUTES: readonly string[] = ROUTES.filter((route) => route.name === 'national' || route.name === 'national-infno').map(
  (route) => `${route.method}${route.path.replace(/\{[^}]+\}/g, '*')}`,
);

/** True when a method ARN is one of the national gateway's routes. */
export function isSignedRoute(methodArn: string): boolean {
  const route = methodArn.split('/').slice(2);
  return SIGNED_ROUTES.some((pattern) => {
    const parts = pattern.split('/');
    return parts.length === route.length && parts.every((part, index) => part === '*' || part === route[index]);
  });
}

/** The API stage of a method ARN (`…:apiId/stage/METHOD/path`). */
export function stageOf(methodArn: string): string {
  return methodArn.split('/')[1] ?? '';
}

/**
 * The policy is cached per API key for every route, so it lists all routes the caller's role may use
 * on this API stage: `arn:…:execute-api:region:account:api/stage/METHOD/path`.
 */
export function policyFor(caller: Caller, methodArn: string, routes: readonly string[] = ROUTES_BY_ROLE[caller.role]): APIGatewayAuthorizerResult['policyDocument'] {
  // `arn:…:execute-api:region:account:apiId` / stage / METHOD / path…
  const [apiArn, stage] = methodArn.split('/');
  const base = `${apiArn}/${stage}`;
  return {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: routes.map((route) => `${base}/${route}`) }],
  };
}

/** The principal of a denial: no caller was found for the key presented. */
export const UNKNOWN_CALLER = 'unknown';

/** A policy that denies every route of this API stage (cached per key like an allow, so a scanner costs one invocation per key). */
export function denyAll(methodArn: string): APIGatewayAuthorizerResult['policyDocument'] {
  const [apiArn, stage] = methodArn.split('/');
  return { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: `${apiArn}/${stage}/*` }] };
}

/** The principal of a denial of a revoked key (its key id is logged, never the key). */
export const REVOKED_CALLER = 'revoked';

/** The principal of a denial of a signed request (a wrong, stale, replayed or incomplete signature, or signing not set up). */
export const UNSIGNED_CALLER = 'unsigned';

/**
 * Builds the authorizer. Off the national routes a request without the header never reaches it (API
 * Gateway answers 401 for a missing identity source); on them it does, and is denied. An unknown key
 * and a revoked key are denials, answered 403 by API Gateway:
 * a normal outcome of the function, not an error, so scanners with made-up keys (or a HIS still on a
 * rotated-out key) do not page anyone through the function-error alarm. A key of the wrong role gets
 * 403 from its allow policy's routes. The key id goes into the context, so the access log shows which
 * of a caller's keys it uses while a rotation overlaps.
 */
export function createAuthorizer(deps: AuthorizerDeps): AuthorizerHandler {
  const now = deps.now ?? (() => new Date());
  const signed = signedRequests(deps, now);
  return async (event) => {
    const headers = headersOf(event);
    const sourceIp = event.requestContext?.identity?.sourceIp;
    // On the national routes a request with signing headers is judged by its signature alone (as the
    // gateway does locally). Elsewhere they are ignored: the key decides, so a HIS that sends both
    // everywhere never has a denial cached under its key.
    if (isSignedRoute(event.methodArn) && (headers['x-tif-paasid'] !== undefined || headers['x-tif-signature'] !== undefined)) return signed(event, headers);
    const apiKey = headers[API_KEY_HEADER];
    const record = apiKey ? await deps.lookupKey(apiKey) : undefined;
    if (!record) {
      deps.logger.info('refused: unknown API key', { sourceIp });
      return { principalId: UNKNOWN_CALLER, policyDocument: denyAll(event.methodArn) };
    }
    if (isRevoked(record, now())) {
      deps.logger.info('refused: revoked API key', { keyId: record.keyId, role: record.role, callerId: record.id, revokedAt: record.revokedAt, sourceIp });
      return { principalId: REVOKED_CALLER, policyDocument: denyAll(event.methodArn) };
    }
    const caller: Caller = { role: record.role, id: record.id };
    return {
      principalId: `${caller.role}:${caller.id}`,
      policyDocument: policyFor(caller, event.methodArn),
      context: { role: caller.role, callerId: caller.id, keyId: record.keyId ?? '', scheme: API_KEY_HEADER },
      usageIdentifierKey: usageKeyOf(stageOf(event.methodArn), caller),
    };
  };
}

/**
 * The answer to a signed request on a national route: allowed on the national routes only, as the
 * institution it names (`x-tif-paasid`, the hospital id), throttled by that hospital's usage key;
 * denied when signing is not set up or the check refuses it (the reason is logged, the request is not).
 */
function signedRequests(deps: AuthorizerDeps, now: () => Date) {
  return async (event: APIGatewayRequestAuthorizerEvent, headers: Record<string, string | undefined>): Promise<APIGatewayAuthorizerResult> => {
    const deny = (reason: string): APIGatewayAuthorizerResult => {
      deps.logger.info('refused: signed request', { reason, paasId: headers['x-tif-paasid'], sourceIp: event.requestContext?.identity?.sourceIp });
      return { principalId: UNSIGNED_CALLER, policyDocument: denyAll(event.methodArn) };
    };
    const { signingSecret, useNonce } = deps;
    if (!signingSecret || !useNonce) return deny('signed requests are not enabled');
    const verdict = await checkSignedRequest(headers, { secret: signingSecret, useNonce, nowSeconds: Math.floor(now().getTime() / 1000) });
    if (verdict === undefined || 'refused' in verdict) return deny(verdict?.refused ?? 'no signing headers');
    const caller: Caller = { role: 'hospital', id: verdict.hospitalId };
    return {
      principalId: `${caller.role}:${caller.id}`,
      policyDocument: policyFor(caller, event.methodArn, SIGNED_ROUTES),
      context: { role: caller.role, callerId: caller.id, keyId: '', scheme: SIGNED_SCHEME },
      usageIdentifierKey: usageKeyOf(stageOf(event.methodArn), caller),
    };
  };
}
