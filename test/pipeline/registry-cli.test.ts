/** `claims registry load FILE` against DynamoDB Local: loads, prints one key per hospital and operator, refuses a bad file. */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedRegistry } from '../../local/generate.js';
import { api, startTestStack, type TestStack } from './helpers.js';

const run = promisify(execFile);
const CLI = join(process.cwd(), 'dist/cli/main.js');

describe('claims registry load', () => {
  let test: TestStack;
  const folder = mkdtempSync(join(tmpdir(), 'registry-'));

  beforeAll(async () => {
    test = await startTestStack({ hospitals: [], members: [], operators: [] }, { poll: false });
  }, 180_000);
  afterAll(async () => {
    await test?.stack.stop();
  });

  it('loads a registry file and prints a working key per hospital and operator, once', async () => {
    // Prepare
    const file = join(folder, 'registry.json');
    writeFileSync(file, JSON.stringify(generatedRegistry(3)));
    const args = [CLI, 'registry', 'load', file, '--table', test.stack.tableName, '--endpoint', test.stack.dynamoEndpoint, '--key-file', test.stack.fieldKeyFile];

    // Act
    const first = await run(process.execPath, args);
    const again = await run(process.execPath, args);

    // Assess
    const lines = first.stdout.trim().split('\n').map((line) => line.split('\t'));
    expect(lines.map(([role, id]) => `${role}:${id}`)).toEqual(['hospital:H-GEN-A', 'hospital:H-GEN-B', 'hospital:H-GEN-C', 'operator:OPS-1']);
    const operatorKey = lines.at(-1)?.[2] ?? '';
    const answer = await api(test.stack.apiUrl, 'GET', '/members/M-GEN-0001/years/2018', operatorKey);
    expect(answer.status).toBe(200);
    expect(again.stdout).toContain('key already issued');
    expect(await test.stack.stores.registry.getMember('M-GEN-0002')).toMatchObject({ id: 'M-GEN-0002', region: 'jinzhong' });
  });

  it('refuses an invalid registry file with exit status 2, naming the field', async () => {
    // Prepare
    const file = join(folder, 'bad.json');
    writeFileSync(file, JSON.stringify({ hospitals: [{ id: 'H1', designated: true }] }));

    // Act
    const failure = await run(process.execPath, [CLI, 'registry', 'load', file, '--table', 'x', '--endpoint', test.stack.dynamoEndpoint]).catch(
      (error: { code: number; stderr: string }) => error,
    );

    // Assess
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain('hospitals.0.poolingArea');
  });
});
