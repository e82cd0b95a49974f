/**
 * The authorizer on the national gateway's routes: a request signed with the national per-institution
 * headers (x-tif-*) is allowed as its institution, by the gateway's own check (signing.ts), once; a
 * wrong, stale, replayed or incomplete signature, or signing not set up, is denied. Off those routes
 * the key alone decides.
 */
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { SIGNED_ROUTES, UNSIGNED_CALLER, createAuthorizer, isSignedRoute, usageKeyOf } from '../../functions/authorizer/app.js';
import { MAX_SKEW_SECONDS, paasTokenOf, signatureOf } from '../../functions/gateway/signing.js';
import { createLogger } from '../../functions/lib/logger.js';

const API = 'arn:aws:execute-api:cn-north-1:123456789012:abc123/prod';
const NATIONAL_ARN = `${API}/POST/fsi/api/rsfComIfsService/callService`;
const NATIONAL_INFNO_ARN = `${API}/POST/fsi/api/rsfComIfsService/callService/2304`;
const CLAIMS_ARN = `${API}/POST/claims`;
const SECRET = 'gateway-secret-for-the-authorizer-tests';
const HOSPITAL = 'H14070200001';
const NOW = new Date('2026-12-02T08:00:00.000Z');
const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);
const logger = createLogger('test', 'SILENT');

/** The headers a HIS signs with, as REST API delivers them (the client's casing). */
function signed(options: { paasId?: string; token?: string; at?: number; nonce?: string } = {}): Record<string, string> {
  const paasId = options.paasId ?? HOSPITAL;
  const timestamp = String(options.at ?? NOW_SECONDS);
  const nonce = options.nonce ?? 'nonce-1';
  return { 'X-Tif-Paasid': paasId, 'X-Tif-Timestamp': timestamp, 'X-Tif-Nonce': nonce, 'X-Tif-Signature': signatureOf(timestamp, options.token ?? paasTokenOf(SECRET, paasId), nonce) };
}

function event(headers: Record<string, string>, methodArn = NATIONAL_ARN): APIGatewayRequestAuthorizerEvent {
  return { type: 'REQUEST', methodArn, headers, requestContext: { identity: { sourceIp: '10.0.0.1' } } } as unknown as APIGatewayRequestAuthorizerEvent;
}

/** An authorizer with no API keys, the secret given (or none), and a nonce memory that records what it saw. */
function authorizerWith(secret: string | null = SECRET) {
  const seen = new Set<string>();
  const authorize = createAuthorizer({
    lookupKey: async () => undefined,
    logger,
    now: () => NOW,
    signingSecret: async () => secret ?? undefined,
    useNonce: async (paasId, nonce) => {
      const key = `${paasId}#${nonce}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    },
  });
  return { authorize, seen };
}

const effectOf = (result: Awaited<ReturnType<ReturnType<typeof authorizerWith>['authorize']>>) => (result.policyDocument.Statement[0] as { Effect: string }).Effect;

describe('authorizer, signed national requests', () => {
  it('a good signature: allowed as its institution on the national routes only, with its usage key and the signed scheme in the context', async () => {
    // Prepare
    const { authorize, seen } = authorizerWith();
    // Act
    const result = await authorize(event(signed()));
    // Assess
    expect(result.principalId).toBe(`hospital:${HOSPITAL}`);
    expect(result.context).toEqual({ role: 'hospital', callerId: HOSPITAL, keyId: '', scheme: 'x-tif' });
    expect(result.usageIdentifierKey).toBe(usageKeyOf('prod', { role: 'hospital', id: HOSPITAL }));
    expect(result.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [`${API}/POST/fsi/api/rsfComIfsService/callService`, `${API}/POST/fsi/api/rsfComIfsService/callService/*`] },
    ]);
    expect([...seen]).toEqual([`${HOSPITAL}#nonce-1`]);
  });

  it.each([
    ['a wrong token', { token: 'not-the-token' }],
    ['a token of another institution', { token: paasTokenOf(SECRET, 'H14070200002') }],
    ['a timestamp past the window', { at: NOW_SECONDS - MAX_SKEW_SECONDS - 1 }],
    ['a timestamp ahead of the window', { at: NOW_SECONDS + MAX_SKEW_SECONDS + 1 }],
  ])('%s is denied on the whole stage, and no nonce is recorded', async (_name, options) => {
    // Prepare
    const { authorize, seen } = authorizerWith();
    // Act
    const result = await authorize(event(signed(options)));
    // Assess
    expect(result.principalId).toBe(UNSIGNED_CALLER);
    expect(result.usageIdentifierKey).toBeUndefined();
    expect(result.context).toBeUndefined();
    expect(result.policyDocument.Statement).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: `${API}/*` }]);
    expect(seen.size).toBe(0);
  });

  it('the edge of the window is still accepted', async () => {
    // Prepare
    const { authorize } = authorizerWith();
    // Act
    const result = await authorize(event(signed({ at: NOW_SECONDS - MAX_SKEW_SECONDS })));
    // Assess
    expect(effectOf(result)).toBe('Allow');
  });

  it('a replay (the same nonce again, even on the other path) is denied; a new nonce is allowed', async () => {
    // Prepare
    const { authorize } = authorizerWith();
    const first = await authorize(event(signed({ nonce: 'n-42' })));
    // Act
    const replayed = await authorize(event(signed({ nonce: 'n-42' }), NATIONAL_INFNO_ARN));
    const fresh = await authorize(event(signed({ nonce: 'n-43' }), NATIONAL_INFNO_ARN));
    // Assess
    expect(effectOf(first)).toBe('Allow');
    expect(replayed.principalId).toBe(UNSIGNED_CALLER);
    expect(effectOf(replayed)).toBe('Deny');
    expect(effectOf(fresh)).toBe('Allow');
  });

  it('a signature missing a header, and signing not set up, are denied', async () => {
    // Prepare
    const { authorize, seen } = authorizerWith();
    const { authorize: unconfigured } = authorizerWith(null);
    const { 'X-Tif-Nonce': _nonce, ...partial } = signed();
    // Act
    const incomplete = await authorize(event(partial));
    const notEnabled = await unconfigured(event(signed()));
    // Assess
    for (const result of [incomplete, notEnabled]) {
      expect(result.principalId).toBe(UNSIGNED_CALLER);
      expect(effectOf(result)).toBe('Deny');
    }
    expect(seen.size).toBe(0);
  });

  it('off the national routes a signature opens nothing: the key decides (a good one is allowed, none is denied), and no nonce is used', async () => {
    // Prepare
    const seen = new Set<string>();
    const authorize = createAuthorizer({
      lookupKey: async (key) => (key === 'ck_good' ? { role: 'hospital', id: HOSPITAL, keyId: 'key-1', createdAt: null, revokedAt: null, fingerprint: '0123456789ab' } : undefined),
      logger,
      now: () => NOW,
      signingSecret: async () => SECRET,
      useNonce: async (paasId, nonce) => (seen.add(`${paasId}#${nonce}`), true),
    });
    // Act
    const withKey = await authorize(event({ ...signed(), 'x-api-key': 'ck_good' }, CLAIMS_ARN));
    const withoutKey = await authorize(event({ ...signed(), 'x-api-key': 'ck_unknown' }, CLAIMS_ARN));
    // Assess
    expect(withKey.principalId).toBe(`hospital:${HOSPITAL}`);
    expect(withKey.context).toMatchObject({ scheme: 'x-api-key' });
    expect(withoutKey.principalId).toBe('unknown');
    expect(seen.size).toBe(0);
  });

  it('no credential at all on a national route (it has no identity source, so the function is asked) is denied', async () => {
    // Prepare
    const { authorize } = authorizerWith();
    // Act
    const result = await authorize(event({ 'content-type': 'application/json' }));
    // Assess
    expect(result.principalId).toBe('unknown');
    expect(effectOf(result)).toBe('Deny');
  });

  it('the signed routes are the route table’s two national routes, matched segment by segment', () => {
    // Assess
    expect(SIGNED_ROUTES).toEqual(['POST/fsi/api/rsfComIfsService/callService', 'POST/fsi/api/rsfComIfsService/callService/*']);
    expect(isSignedRoute(NATIONAL_ARN)).toBe(true);
    expect(isSignedRoute(NATIONAL_INFNO_ARN)).toBe(true);
    expect(isSignedRoute(CLAIMS_ARN)).toBe(false);
    expect(isSignedRoute(`${API}/GET/fsi/api/rsfComIfsService/callService`)).toBe(false);
    expect(isSignedRoute(`${API}/POST/fsi/api/rsfComIfsService/callService/2304/x`)).toBe(false);
  });
});
