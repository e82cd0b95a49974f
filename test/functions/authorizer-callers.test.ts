/**
 * The authorizer and the intake read API keys through the key store the registry loader writes with:
 * a key finds its caller, an unknown key or a stored document that is not a caller finds nobody.
 */
import { type AttributeValue, type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { apiKeyKey } from '../../functions/storage/keys.js';
import { KeyStore, hashApiKey } from '../../functions/storage/keys-store.js';

/** A one-table DynamoDB that understands PutItem and GetItem by `pk`. */
function fakeDynamo(): DynamoDBClient {
  const items = new Map<string, Record<string, AttributeValue>>();
  return {
    send: async (command: unknown) => {
      if (command instanceof PutItemCommand) {
        const item = command.input.Item ?? {};
        items.set(String(item['pk']?.S), item);
        return {};
      }
      if (command instanceof GetItemCommand) return { Item: items.get(String(command.input.Key?.['pk']?.S)) };
      throw new Error(`unexpected command ${String(command)}`);
    },
  } as unknown as DynamoDBClient;
}

describe('API key lookup', () => {
  it('finds the hospital and the operator stored under their keys, and nobody for another key', async () => {
    // Prepare
    const db = fakeDynamo();
    const writer = new KeyStore(db, 'claims');
    await writer.putApiKey('ck_hospital', { role: 'hospital', id: 'H-0001' });
    await writer.putApiKey('ck_operator', { role: 'operator', id: 'OPS-1' });
    const reader = new KeyStore(db, 'claims');

    // Act
    const hospital = await reader.lookupCaller('ck_hospital');
    const operator = await reader.lookupCaller('ck_operator');
    const unknown = await reader.lookupCaller('ck_nobody');
    const cached = await reader.getCaller('ck_hospital');

    // Assess
    expect(hospital).toEqual({ role: 'hospital', id: 'H-0001' });
    expect(operator).toEqual({ role: 'operator', id: 'OPS-1' });
    expect(unknown).toBeUndefined();
    expect(cached).toEqual(hospital);
  });

  it('stores only the SHA-256 of a key, never the key', async () => {
    // Prepare
    const db = fakeDynamo();
    const send = db.send.bind(db);
    const written: unknown[] = [];
    db.send = (async (command: unknown) => {
      if (command instanceof PutItemCommand) written.push(command.input.Item);
      return send(command as never);
    }) as typeof db.send;

    // Act
    await new KeyStore(db, 'claims').putApiKey('ck_secret', { role: 'hospital', id: 'H-0001' });

    // Assess: the key is the hex SHA-256 of 'ck_secret' (`printf ck_secret | sha256sum`), and the secret appears nowhere
    expect(hashApiKey('ck_secret')).toBe('ef0188b4e3733c6926351ad5484bcd2dddb4407ee3f4275d3a3a754ecb10fedd');
    expect(JSON.stringify(written)).not.toContain('ck_secret');
    expect(written).toEqual([{ pk: { S: apiKeyKey(hashApiKey('ck_secret')) }, data: { S: JSON.stringify({ role: 'hospital', id: 'H-0001' }) } }]);
  });

  it('finds nobody when the stored document is not a caller', async () => {
    // Prepare
    const db = fakeDynamo();
    await db.send(new PutItemCommand({ TableName: 'claims', Item: { pk: { S: apiKeyKey(hashApiKey('ck_odd')) }, data: { S: '{"role":"admin","id":"X"}' } } }));

    // Act
    const caller = await new KeyStore(db, 'claims').lookupCaller('ck_odd');

    // Assess
    expect(caller).toBeUndefined();
  });
});
