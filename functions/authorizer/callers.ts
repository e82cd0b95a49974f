/**
 * The authorizer's one read: who holds an API key. It reads the item `ClaimsRepository.putApiKey`
 * writes, without importing the repository, because the repository brings the claim contract (zod) and
 * the settlement records with it, which would double the authorizer's bundle and its cold start on
 * the request path. test/functions/authorizer-callers.test.ts checks it against the repository.
 */
import { createHash } from 'node:crypto';
import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { apiKeyKey } from '../storage/keys.js';
import type { Caller } from '../lib/repository.js';

/** SHA-256 (hex) of an API key: the same hash the registry loader stores. */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

/** The owner of `apiKey`, or undefined for a key nobody holds (or an item that is not a caller). */
export async function lookupCaller(db: DynamoDBClient, tableName: string, apiKey: string): Promise<Caller | undefined> {
  const out = await db.send(
    new GetItemCommand({ TableName: tableName, Key: { pk: { S: apiKeyKey(hashApiKey(apiKey)) } }, ProjectionExpression: '#data', ExpressionAttributeNames: { '#data': 'data' } }),
  );
  const text = out.Item?.['data']?.S;
  if (text === undefined) return undefined;
  const value = JSON.parse(text) as Partial<Caller>;
  if ((value.role !== 'hospital' && value.role !== 'operator') || typeof value.id !== 'string' || value.id === '') return undefined;
  return { role: value.role, id: value.id };
}
