/**
 * The authorizer reads API keys without the repository (a smaller bundle): it must find exactly what
 * the registry loader stores through `ClaimsRepository.putApiKey`.
 */
import { type DynamoDBClient, GetItemCommand, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { hashApiKey, lookupCaller } from '../../functions/authorizer/callers.js';
import { ClaimsRepository, hashApiKey as repositoryHash } from '../../functions/lib/repository.js';

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

describe('authorizer caller lookup', () => {
  it('finds the hospital and the operator the repository stored, by their keys', async () => {
    // Prepare
    const db = fakeDynamo();
    const repository = new ClaimsRepository(db, 'claims');
    await repository.putApiKey('ck_hospital', { role: 'hospital', id: 'H-0001' });
    await repository.putApiKey('ck_operator', { role: 'operator', id: 'OPS-1' });
    // Act
    const hospital = await lookupCaller(db, 'claims', 'ck_hospital');
    const operator = await lookupCaller(db, 'claims', 'ck_operator');
    const unknown = await lookupCaller(db, 'claims', 'ck_nobody');
    // Assess
    expect(hospital).toEqual({ role: 'hospital', id: 'H-0001' });
    expect(operator).toEqual({ role: 'operator', id: 'OPS-1' });
    expect(unknown).toBeUndefined();
    expect(await repository.getCaller('ck_hospital')).toEqual(hospital);
  });

  it('hashes keys exactly as the repository does', () => {
    // Act / Assess
    for (const key of ['ck_abc', 'ck_' + 'x'.repeat(40), '中文']) expect(hashApiKey(key)).toBe(repositoryHash(key));
  });
});
