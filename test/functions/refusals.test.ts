/**
 * One mapping from a refused request to its answer: the local server's admission check, the intake
 * handler and the gateway's own responses say the same error and message for the same refusal.
 */
import { describe, expect, it } from 'vitest';
import { createAdmission } from '../../functions/intake/app.js';
import { NO_API_KEY, refusalAnswer, routeRefusal } from '../../functions/intake/refusals.js';
import { matchRoute } from '../../functions/intake/routes.js';
import { built } from '../infra/fixture.js';

type Json = Record<string, any>;

/** A key store that records every look-up: a route refusal must be decided before any. */
function recordingKeys() {
  const asked: string[] = [];
  return { asked, keys: { getCaller: async (apiKey: string) => (asked.push(apiKey), undefined) } };
}

describe('route refusals', () => {
  it.each([
    ['GET', '/nowhere', 404, 'NOT_FOUND'],
    ['DELETE', '/claims/H-1/C-1', 405, 'METHOD_NOT_ALLOWED'],
    ['GET', `/claims/H-1/${'c'.repeat(65)}`, 400, 'INVALID_REQUEST'],
  ])('%s %s: the admission and the intake answer %i %s alike, before any key is read', async (method, path, status, error) => {
    // Prepare
    const { asked, keys } = recordingKeys();
    const match = matchRoute(method, path);
    if (match.kind === 'route') throw new Error(`${method} ${path} should not match a route`);

    // Act
    const admitted = await createAdmission(keys)(method, path, { 'x-api-key': 'k-1' });
    const answer = refusalAnswer(routeRefusal(match));

    // Assess: one refusal, the same words in both answers, no key looked up
    expect(admitted).toEqual(routeRefusal(match));
    expect(admitted).toMatchObject({ status, error });
    const body = JSON.parse(answer.body as string) as Json;
    expect(answer.statusCode).toBe(status);
    expect(body).toMatchObject({ error, message: (admitted as { message: string }).message });
    expect(asked).toEqual([]);
  });

  it('a 405 carries Allow, and a bad path id names its parameter as a field issue', () => {
    // Act
    const notAllowed = refusalAnswer(routeRefusal({ kind: 'method-not-allowed', allowed: ['GET'] }));
    const badPath = refusalAnswer(routeRefusal({ kind: 'bad-path', param: 'claimId', message: 'must be at most 64 characters' }));

    // Assess
    expect(notAllowed.headers).toMatchObject({ allow: 'GET', 'content-type': 'application/json; charset=utf-8' });
    expect(JSON.parse(badPath.body as string)).toEqual({
      error: 'INVALID_REQUEST',
      message: 'claimId must be at most 64 characters',
      issues: [{ path: 'claimId', message: 'must be at most 64 characters' }],
    });
  });

  it('without a key the admission refuses with the same answer the gateway gives', async () => {
    // Prepare
    const { keys } = recordingKeys();
    const responses = Object.values(built('dev').template.findResources('AWS::ApiGateway::GatewayResponse')) as Json[];
    const gateway = (type: string): unknown =>
      JSON.parse(responses.find((r) => r['Properties'].ResponseType === type)?.['Properties'].ResponseTemplates['application/json'] as string);

    // Act
    const admitted = await createAdmission(keys)('GET', '/claims/H-1/C-1', {});

    // Assess: the gateway's 401 and 404 bodies are the intake's refusals, word for word
    expect(admitted).toEqual(NO_API_KEY);
    expect(gateway('UNAUTHORIZED')).toEqual({ error: NO_API_KEY.error, message: NO_API_KEY.message });
    const notFound = routeRefusal({ kind: 'not-found' });
    expect(gateway('MISSING_AUTHENTICATION_TOKEN')).toEqual({ error: notFound.error, message: notFound.message });
  });
});
