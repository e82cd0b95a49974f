/**
 * `claims keys issue|list|revoke` against DynamoDB Local, and the authorizer reading the same table:
 * one caller rotated with overlap (a second key, the first revoked later), the other callers untouched,
 * a revoked key denied by an explicit Deny, usage keys unchanged.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthorizer, usageKeyOf } from '../../functions/authorizer/app.js';
import { createLogger } from '../../functions/lib/logger.js';
import { loadRegistry } from '../../functions/lib/registry-loader.js';
import { KeyStore } from '../../functions/storage/keys-store.js';
import { generatedRegistry } from '../../local/generate.js';
import { parseRegistry } from '../../shared/registry/registry.js';
import { startTestStack, type TestStack } from './helpers.js';

const run = promisify(execFile);
const CLI = join(process.cwd(), 'dist/cli/main.js');
const METHOD_ARN = 'arn:aws:execute-api:cn-north-1:123456789012:abc123/prod/POST/claims';

type Run = { code: number; stdout: string; stderr: string };

describe('claims keys', () => {
  let test: TestStack;
  let keys: (args: string[]) => Promise<Run>;
  /** An authorizer as deployed: a fresh key store on the table, no cache between the steps of a test. */
  const authorize = (apiKey: string) =>
    createAuthorizer({ lookupKey: (key) => new KeyStore(test.stack.db, test.stack.tableName).lookupKey(key), logger: createLogger('test', 'SILENT') })({
      type: 'REQUEST',
      methodArn: METHOD_ARN,
      headers: { 'x-api-key': apiKey },
    } as unknown as APIGatewayRequestAuthorizerEvent);

  beforeAll(async () => {
    test = await startTestStack(generatedRegistry(2), { poll: false });
    const table = ['--table', test.stack.tableName, '--endpoint', test.stack.dynamoEndpoint];
    keys = (args) =>
      run(process.execPath, [CLI, 'keys', ...args, ...table]).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: Run) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
      );
  }, 180_000);
  afterAll(async () => {
    await test?.stack.stop();
  });

  it('lists the keys the registry load issued: one id per caller, created, none revoked', async () => {
    // Act
    const listed = await keys(['list']);
    // Assess
    expect(listed.code).toBe(0);
    const [header, ...rows] = listed.stdout.trim().split('\n').map((line) => line.split('\t'));
    expect(header).toEqual(['key', 'role', 'owner', 'created', 'revoked', 'state', 'fingerprint']);
    expect(rows.map(([id, role, owner, , revoked, state]) => [id, role, owner, revoked, state])).toEqual([
      ['key-1', 'hospital', 'H-GEN-A', '-', 'active'],
      ['key-2', 'hospital', 'H-GEN-B', '-', 'active'],
      ['key-3', 'hospital', 'H-GEN-C', '-', 'active'],
      ['key-4', 'operator', 'OPS-1', '-', 'active'],
    ]);
    expect(rows.every((row) => !Number.isNaN(Date.parse(row[3] ?? '')))).toBe(true);
    expect(listed.stdout).not.toContain('ck_');
  });

  it('rotates one hospital with overlap: a second key works beside the first, the first revoked is denied, the others untouched', async () => {
    // Prepare
    const oldKey = test.keys['hospital:H-GEN-A'] ?? '';
    const neighbour = test.keys['hospital:H-GEN-B'] ?? '';

    // Act: issue a second key; both work
    const issued = await keys(['issue', 'hospital', 'H-GEN-A']);
    const [role, owner, keyId, newKey = ''] = issued.stdout.trim().split('\t');
    const overlap = [await authorize(oldKey), await authorize(newKey)];
    // Act: revoke the first
    const revoked = await keys(['revoke', 'key-1']);
    const [afterOld, afterNew, afterNeighbour] = [await authorize(oldKey), await authorize(newKey), await authorize(neighbour)];
    const listed = await keys(['list', '--owner', 'H-GEN-A']);

    // Assess
    expect(issued.code).toBe(0);
    expect([role, owner]).toEqual(['hospital', 'H-GEN-A']);
    expect(keyId).toMatch(/^key-\d+$/);
    expect(newKey).toMatch(/^ck_/);
    for (const answer of overlap) {
      expect(answer.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow' });
      expect(answer.usageIdentifierKey).toBe(usageKeyOf('prod', { role: 'hospital', id: 'H-GEN-A' }));
    }
    expect(revoked.code).toBe(0);
    expect(revoked.stderr).toContain('revoked key-1 of hospital H-GEN-A');
    expect(afterOld.principalId).toBe('revoked');
    expect(afterOld.policyDocument.Statement).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: expect.stringMatching(/\/prod\/\*$/) }]);
    expect(afterNew.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow' });
    expect(afterNew.context).toMatchObject({ keyId });
    expect(afterNeighbour.principalId).toBe('hospital:H-GEN-B');
    const rows = listed.stdout.trim().split('\n').slice(1).map((line) => line.split('\t'));
    expect(rows.map(([id, , , , , state]) => [id, state])).toEqual([
      ['key-1', 'revoked'],
      [keyId, 'active'],
    ]);
    expect(Date.parse(rows[0]?.[4] ?? '')).toBeLessThanOrEqual(Date.now());
    expect(await test.stack.stores.keys.lookupCaller(oldKey)).toBeUndefined();
  });

  it('a revocation set ahead keeps the key working until its time; revoking again keeps the earlier time', async () => {
    // Prepare
    const operatorKey = test.keys['operator:OPS-1'] ?? '';
    const ahead = new Date(Date.now() + 3_600_000).toISOString();

    // Act
    const planned = await keys(['revoke', 'key-4', '--at', ahead]);
    const meanwhile = await authorize(operatorKey);
    const later = await keys(['revoke', 'key-4', '--at', new Date(Date.now() + 7_200_000).toISOString()]);

    // Assess
    expect(planned.code).toBe(0);
    expect(planned.stdout.split('\t')[5]).toBe('revoking');
    expect(meanwhile.principalId).toBe('operator:OPS-1');
    expect(later.stdout.split('\t')[4]).toBe(ahead);
  });

  it('a registry load issues no key to a caller that holds one in force, and a new one to a caller whose keys are all revoked', async () => {
    // Prepare
    await keys(['revoke', 'key-2']);

    // Act
    const issued = await loadRegistry(test.stack.stores, parseRegistry(generatedRegistry(2)));

    // Assess
    expect(issued.map((key) => [key.id, key.apiKey === null])).toEqual([
      ['H-GEN-A', true],
      ['H-GEN-B', false],
      ['H-GEN-C', true],
      ['OPS-1', true],
    ]);
    expect(issued.find((key) => key.id === 'H-GEN-B')?.keyId).toMatch(/^key-\d+$/);
  });

  it.each<[string, string[], number, RegExp]>([
    ['an unknown key id', ['revoke', 'key-999'], 1, /^claims: no API key has the id key-999/],
    ['a key id that is not one', ['revoke', 'K#abc'], 1, /^claims: no API key has the id K#abc/],
    ['a hospital not in the registry', ['issue', 'hospital', 'H-NOWHERE'], 1, /^claims: hospital H-NOWHERE is not in the registry/],
    ['a role that is not one', ['issue', 'admin', 'X'], 64, /^claims: usage: claims keys issue/],
    ['a time without a zone', ['revoke', 'key-3', '--at', '2027-01-01T00:00:00'], 64, /^claims: --at 2027-01-01T00:00:00 is not an ISO 8601 time/],
    ['an owner nobody is', ['list', '--owner', 'H-NOWHERE'], 3, /^claims: warning: no API key of H-NOWHERE/],
  ])('refuses %s with one line and its exit status, changing nothing', async (_name, args, code, message) => {
    // Prepare
    const before = await keys(['list']);
    // Act
    const refused = await keys(args);
    // Assess
    expect(refused.code).toBe(code);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(message);
    expect((await keys(['list'])).stdout).toBe(before.stdout);
  });
});
