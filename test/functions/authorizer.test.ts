/** The API authorizer: binds an API key to one caller, the routes of its role, and its usage key. */
import { createHash } from 'node:crypto';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createAuthorizer, usageKeyOf } from '../../functions/authorizer/app.js';
import { createLogger } from '../../functions/lib/logger.js';
import type { ApiKeyRecord, Caller } from '../../functions/storage/keys-store.js';

const METHOD_ARN = 'arn:aws:execute-api:cn-north-1:123456789012:abc123/prod/POST/claims';
const logger = createLogger('test', 'SILENT');

function event(headers: Record<string, string>): APIGatewayRequestAuthorizerEvent {
  return { type: 'REQUEST', methodArn: METHOD_ARN, headers, requestContext: { identity: { sourceIp: '10.0.0.1' } } } as unknown as APIGatewayRequestAuthorizerEvent;
}

const NOW = new Date('2026-12-02T08:00:00.000Z');

/** A stored key record of a caller: key id, created, revoked (null while in force). */
function recordOf(caller: Caller, overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return { ...caller, keyId: 'key-1', createdAt: '2026-01-01T00:00:00.000Z', revokedAt: null, fingerprint: '0123456789ab', ...overrides };
}

function authorizerWith(keys: Record<string, Caller | ApiKeyRecord>) {
  const records = Object.fromEntries(Object.entries(keys).map(([key, value]) => [key, 'keyId' in value ? value : recordOf(value)]));
  return createAuthorizer({ lookupKey: async (apiKey) => records[apiKey], logger, now: () => NOW });
}

describe('authorizer', () => {
  it('a hospital key: principal, context and usage key of that hospital, hospital routes of this stage only', async () => {
    // Prepare
    const authorize = authorizerWith({ 'secret-1': { role: 'hospital', id: 'H-0001' } });
    // Act
    const result = await authorize(event({ 'X-Api-Key': 'secret-1' }));
    // Assess
    expect(result.principalId).toBe('hospital:H-0001');
    expect(result.context).toEqual({ role: 'hospital', callerId: 'H-0001', keyId: 'key-1', scheme: 'x-api-key' });
    expect(result.usageIdentifierKey).toBe(usageKeyOf('prod', { role: 'hospital', id: 'H-0001' }));
    expect(result.policyDocument.Statement).toEqual([
      {
        Action: 'execute-api:Invoke',
        Effect: 'Allow',
        Resource: [
          'arn:aws:execute-api:cn-north-1:123456789012:abc123/prod/POST/claims',
          'arn:aws:execute-api:cn-north-1:123456789012:abc123/prod/POST/claims:batch',
          'arn:aws:execute-api:cn-north-1:123456789012:abc123/prod/GET/claims/*/*',
          'arn:aws:execute-api:cn-north-1:123456789012:abc123/prod/GET/claims/*/*/fhir',
          'arn:aws:execute-api:cn-north-1:123456789012:abc123/prod/GET/claims/*/*/slip',
          'arn:aws:execute-api:cn-north-1:123456789012:abc123/prod/POST/claims/*/*/reversal',
          'arn:aws:execute-api:cn-north-1:123456789012:abc123/prod/POST/claims/*/*/replacement',
          'arn:aws:execute-api:cn-north-1:123456789012:abc123/prod/GET/hospitals/*/statements',
          'arn:aws:execute-api:cn-north-1:123456789012:abc123/prod/POST/hospitals/*/reconciliations',
          'arn:aws:execute-api:cn-north-1:123456789012:abc123/prod/GET/hospitals/*/settlements',
          'arn:aws:execute-api:cn-north-1:123456789012:abc123/prod/POST/hospitals/*/uploads',
          'arn:aws:execute-api:cn-north-1:123456789012:abc123/prod/POST/fsi/api/rsfComIfsService/callService',
          'arn:aws:execute-api:cn-north-1:123456789012:abc123/prod/POST/fsi/api/rsfComIfsService/callService/*',
        ],
      },
    ]);
  });

  it('an operator key may read claims and member years, not submit', async () => {
    // Prepare
    const authorize = authorizerWith({ op: { role: 'operator', id: 'OP-1' } });
    // Act
    const result = await authorize(event({ 'x-api-key': 'op' }));
    // Assess
    const resources = (result.policyDocument.Statement[0] as { Resource: string[] }).Resource;
    expect(resources.map((r) => r.split('/prod/')[1])).toEqual(['GET/claims/*/*', 'GET/claims/*/*/fhir', 'GET/claims/*/*/slip', 'GET/members/*/years/*', 'GET/hospitals/*/statements', 'POST/hospitals/*/reconciliations', 'GET/hospitals/*/settlements']);
  });

  it.each<Record<string, string>>([{}, { 'x-api-key': 'unknown' }, { authorization: 'Bearer secret-1' }])(
    'denies %j with a Deny policy on the whole stage, never a thrown error (a function error would page on-call)',
    async (headers) => {
      // Prepare
      const authorize = authorizerWith({ 'secret-1': { role: 'hospital', id: 'H-0001' } });
      // Act
      const result = await authorize(event(headers));
      // Assess
      expect(result.principalId).toBe('unknown');
      expect(result.usageIdentifierKey).toBeUndefined();
      expect(result.context).toBeUndefined();
      expect(result.policyDocument.Statement).toEqual([
        { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: expect.stringMatching(/:execute-api:[^/]+\/prod\/\*$/) },
      ]);
    },
  );

  it('denies a revoked key with a Deny policy and no usage key, while the same caller’s newer key is allowed (rotation with overlap)', async () => {
    // Prepare
    const hospital: Caller = { role: 'hospital', id: 'H-0001' };
    const authorize = authorizerWith({
      old: recordOf(hospital, { keyId: 'key-1', revokedAt: '2026-12-01T00:00:00.000Z' }),
      next: recordOf(hospital, { keyId: 'key-2' }),
    });
    // Act
    const refused = await authorize(event({ 'x-api-key': 'old' }));
    const allowed = await authorize(event({ 'x-api-key': 'next' }));
    // Assess
    expect(refused.principalId).toBe('revoked');
    expect(refused.usageIdentifierKey).toBeUndefined();
    expect(refused.context).toBeUndefined();
    expect(refused.policyDocument.Statement).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: expect.stringMatching(/\/prod\/\*$/) }]);
    expect(allowed.principalId).toBe('hospital:H-0001');
    expect(allowed.context).toMatchObject({ keyId: 'key-2' });
    expect(allowed.usageIdentifierKey).toBe(usageKeyOf('prod', hospital));
  });

  it('a revocation set ahead takes effect at its time, not before', async () => {
    // Prepare
    const hospital: Caller = { role: 'hospital', id: 'H-0001' };
    const at = (revokedAt: string) => authorizerWith({ k: recordOf(hospital, { revokedAt }) })(event({ 'x-api-key': 'k' }));
    // Act
    const later = await at('2026-12-02T08:00:00.001Z');
    const exactly = await at(NOW.toISOString());
    // Assess
    expect(later.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow' });
    expect(exactly.policyDocument.Statement[0]).toMatchObject({ Effect: 'Deny' });
  });

  it('the usage key is the documented SHA-256, at least 20 characters as API Gateway requires, distinct per stage and role', () => {
    // Act
    const key = usageKeyOf('prod', { role: 'hospital', id: 'H-0001' });
    // Assess
    expect(key).toBe(createHash('sha256').update('claims-usage:prod:hospital:H-0001').digest('hex'));
    expect(key.length).toBeGreaterThanOrEqual(20);
    expect(usageKeyOf('prod', { role: 'operator', id: 'H-0001' })).not.toBe(key);
    expect(usageKeyOf('dev', { role: 'hospital', id: 'H-0001' })).not.toBe(key);
  });
});
