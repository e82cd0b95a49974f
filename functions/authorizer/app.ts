/**
 * The API Gateway REQUEST authorizer of the deployed API, built from its dependencies. It binds the
 * caller to one hospital (or operator) id before any other function runs: the `x-api-key` header is
 * hashed and looked up in the registry exactly as the intake does, and API Gateway then throttles by
 * the usage key returned here and passes the id to the intake in `requestContext.authorizer`.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { routePatternsFor } from '../intake/routes.js';
import { type ApiKeyRecord, type Caller, isRevoked } from '../storage/keys-store.js';

export interface AuthorizerDeps {
  /** The stored record of an API key, revoked or not, or undefined for a key nobody holds (KeyStore.lookupKey). */
  readonly lookupKey: (apiKey: string) => Promise<ApiKeyRecord | undefined>;
  readonly logger: Logger;
  /** The clock a revocation time is compared with. */
  readonly now?: () => Date;
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

function headerOf(event: APIGatewayRequestAuthorizerEvent, name: string): string | undefined {
  // REST API headers keep the client's casing.
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === name && value) return value;
  }
  return undefined;
}

/** The API stage of a method ARN (`…:apiId/stage/METHOD/path`). */
export function stageOf(methodArn: string): string {
  return methodArn.split('/')[1] ?? '';
}

/**
 * The policy is cached per API key for every route, so it lists all routes the caller's role may use
 * on this API stage: `arn:…:execute-api:region:account:api/stage/METHOD/path`.
 */
export function policyFor(caller: Caller, methodArn: string): APIGatewayAuthorizerResult['policyDocument'] {
  // `arn:…:execute-api:region:account:apiId` / stage / METHOD / path…
  const [apiArn, stage] = methodArn.split('/');
  const base = `${apiArn}/${stage}`;
  return {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: ROUTES_BY_ROLE[caller.role].map((route) => `${base}/${route}`) }],
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

/**
 * Builds the authorizer. A request without the header never reaches it (API Gateway answers 401 for a
 * missing identity source). An unknown key and a revoked key are denials, answered 403 by API Gateway:
 * a normal outcome of the function, not an error, so scanners with made-up keys (or a HIS still on a
 * rotated-out key) do not page anyone through the function-error alarm. A key of the wrong role gets
 * 403 from its allow policy's routes. The key id goes into the context, so the access log shows which
 * of a caller's keys it uses while a rotation overlaps.
 */
export function createAuthorizer(deps: AuthorizerDeps): AuthorizerHandler {
  const now = deps.now ?? (() => new Date());
  return async (event) => {
    const apiKey = headerOf(event, 'x-api-key');
    const record = apiKey ? await deps.lookupKey(apiKey) : undefined;
    const sourceIp = event.requestContext?.identity?.sourceIp;
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
      context: { role: caller.role, callerId: caller.id, keyId: record.keyId ?? '' },
      usageIdentifierKey: usageKeyOf(stageOf(event.methodArn), caller),
    };
  };
}
