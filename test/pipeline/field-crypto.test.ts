/**
 * No personal data in clear at rest: registry members' names and ID numbers are encrypted field by
 * field (functions/storage/field-crypto.ts) before DynamoDB Local stores them, read back only by
 * `getPerson` with the right key, and a wrong key, a moved ciphertext or a missing key is a typed error.
 */
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedRegistry, memberId } from '../../local/generate.js';
import { FieldDecryptError, FieldKeyError, fileFieldCipher } from '../../functions/storage/field-crypto.js';
import { memberKey } from '../../functions/storage/keys.js';
import { RegistryStore } from '../../functions/storage/registry-store.js';
import { parseRegistry } from '../../shared/registry/registry.js';
import { scanItems, startTestStack, type TestStack } from './helpers.js';

const MEMBERS = 5;
const registry = parseRegistry(generatedRegistry(MEMBERS));
/** Every name and ID number of the registry, as UTF-8 bytes would show them. */
const secrets = registry.members.flatMap((m) => [m.name ?? '', m.idNumber ?? '']).filter((s) => s !== '');

/** Every file under `dir`, recursively. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));

describe('personal fields encrypted at rest', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'claims-crypto-'));
  const other = mkdtempSync(join(tmpdir(), 'claims-other-key-'));
  let test: TestStack;

  beforeAll(async () => {
    test = await startTestStack(generatedRegistry(MEMBERS), { dataDir, poll: false, sweepEveryMs: 0 });
  }, 180_000);
  afterAll(async () => {
    await test?.stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(other, { recursive: true, force: true });
  });

  it('stores no name or ID number in clear: the raw items hold ciphertexts, and so do the database files', async () => {
    // Act
    const items = await scanItems(test.stack, 'M#');
    const raw = items.map((item) => JSON.stringify(item, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v))).join('\n');

    // Assess: one item per member, each with both fields as binary, no secret in any attribute
    expect(items).toHaveLength(MEMBERS);
    for (const item of items) {
      expect(item['pn']).toHaveProperty('B');
      expect(item['pi']).toHaveProperty('B');
      expect(JSON.parse((item['data'] as { S: string }).S)).not.toHaveProperty('name');
    }
    const found = secrets.filter((secret) => raw.includes(secret) || raw.includes(Buffer.from(secret).toString('latin1')));
    expect(found).toEqual([]);
    const files = filesUnder(join(dataDir, 'dynamodb'));
    expect(files.length).toBeGreaterThan(0);
    const inFiles = secrets.filter((secret) => files.some((file) => readFileSync(file).includes(Buffer.from(secret))));
    expect(inFiles).toEqual([]);
    // The files do hold the table's data: the member ids (not personal) are there in clear.
    expect(files.some((file) => readFileSync(file).includes(Buffer.from(memberId(1))))).toBe(true);
  });

  it('reads names and ID numbers back with the key, and the settle facts without them', async () => {
    // Act
    const person = await test.stack.stores.registry.getPerson(memberId(1));
    const facts = await test.stack.stores.registry.getMember(memberId(1), true);

    // Assess
    expect(person).toEqual(registry.members[1]);
    expect(facts).toEqual({ ...registry.members[1], name: undefined, idNumber: undefined });
    expect(facts).not.toHaveProperty('name');
    expect(facts).not.toHaveProperty('idNumber');
  });

  it('keeps the key in a 0600 file in the data folder', () => {
    // Act
    const mode = statSync(test.stack.fieldKeyFile).mode & 0o777;

    // Assess
    expect(test.stack.fieldKeyFile).toBe(join(dataDir, 'field-key'));
    expect(mode).toBe(0o600);
  });

  it('a wrong key fails with FieldDecryptError, naming the member and field but no value', async () => {
    // Prepare
    const wrong = new RegistryStore(test.stack.db, test.stack.tableName, fileFieldCipher(join(other, 'field-key'), { create: true }));

    // Act
    const failure = await wrong.getPerson(memberId(2)).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(FieldDecryptError);
    expect(failure).toMatchObject({ name: 'FieldDecryptError', field: 'name', ownerId: memberId(2) });
    expect((failure as Error).message).not.toContain(registry.members[2]?.name);
  });

  it('a ciphertext moved onto another member does not decrypt there', async () => {
    // Prepare: member 3's stored name copied onto member 4
    const read = async (id: string) =>
      (await test.stack.db.send(new GetItemCommand({ TableName: test.stack.tableName, Key: { pk: { S: memberKey(id) } }, ConsistentRead: true }))).Item ?? {};
    const [three, four] = [await read(memberId(3)), await read(memberId(4))];
    await test.stack.db.send(new PutItemCommand({ TableName: test.stack.tableName, Item: { ...four, pn: three['pn']! } }));

    // Act
    const failure = await test.stack.stores.registry.getPerson(memberId(4)).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(FieldDecryptError);
    expect(failure).toMatchObject({ field: 'name', ownerId: memberId(4) });
  });

  it('without a key, a member with a name is neither written nor read: FieldKeyError', async () => {
    // Prepare
    const keyless = new RegistryStore(test.stack.db, test.stack.tableName);
    const member = registry.members[0]!;

    // Act
    const write = await keyless.putMember({ ...member, id: 'M-KEYLESS' }).catch((error: unknown) => error);
    const readBack = await keyless.getPerson(member.id).catch((error: unknown) => error);
    const facts = await keyless.getMember(member.id);

    // Assess
    expect(write).toBeInstanceOf(FieldKeyError);
    expect(readBack).toBeInstanceOf(FieldKeyError);
    expect(facts?.id).toBe(member.id);
    expect(await keyless.getMember('M-KEYLESS')).toBeUndefined();
  });

  it('claims registry load refuses names and ID numbers without a key (exit 64), and loads them with the stack\'s key file', async () => {
    // Prepare
    const file = join(other, 'registry.json');
    writeFileSync(file, JSON.stringify({ members: [{ ...registry.members[0], id: 'M-CLI' }] }));
    const args = [join(process.cwd(), 'dist/cli/main.js'), 'registry', 'load', file, '--table', test.stack.tableName, '--endpoint', test.stack.dynamoEndpoint];
    const env = { ...process.env, FIELD_KEY_FILE: '', FIELD_KEY_ARN: '' };

    // Act
    const refused = await promisify(execFile)(process.execPath, args, { env }).catch((error: { code: number; stderr: string }) => error);
    const loaded = await promisify(execFile)(process.execPath, [...args, '--key-file', test.stack.fieldKeyFile], { env });

    // Assess
    expect(refused).toMatchObject({ code: 64, stderr: expect.stringContaining('--kms-key') });
    expect(loaded.stderr).toContain('loaded 1 members');
    expect(await test.stack.stores.registry.getPerson('M-CLI')).toMatchObject({ name: registry.members[0]?.name, idNumber: registry.members[0]?.idNumber });
  });

  it('refuses a key file others can read, or one that holds no key', () => {
    // Prepare
    const open = join(other, 'open-key');
    writeFileSync(open, `${Buffer.alloc(32, 7).toString('base64')}\n`, { mode: 0o600 });
    chmodSync(open, 0o644);
    const short = join(other, 'short-key');
    writeFileSync(short, 'c2hvcnQ=\n', { mode: 0o600 });

    // Act, Assess
    expect(() => fileFieldCipher(open)).toThrow(FieldKeyError);
    expect(() => fileFieldCipher(short)).toThrow(/32-byte key/);
    expect(() => fileFieldCipher(join(other, 'absent'))).toThrow(FieldKeyError);
  });
});
