/**
 * API keys: stored only as the SHA-256 of the key, with the caller (hospital or operator) it belongs
 * to, and a marker per caller that a key was issued. The authorizer reads callers through this store
 * too; it imports nothing heavier than the SDK (no claim contract), which keeps its bundle small.
 */
import { createHash } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TtlCache } from './cache.js';
import { Table } from './dynamo.js';
import { apiKeyKey } from './keys.js';
import { ATTR } from './table.js';

/** Who holds an API key. */
export interface Caller {
  readonly role: 'hospital' | 'operator';
  readonly id: string;
}

/** How long a container trusts a cached API key (a key added later is seen at once; see TtlCache). */
export const CALLER_CACHE_MS = 60_000;

/** SHA-256 (hex) of an API key: only the hash is stored, so the table never holds a usable secret. */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

const issuedKey = (caller: Caller): string => `KI#${caller.role}#${encodeURIComponent(caller.id)}`;

/** A caller read back, or undefined when the stored document is not one. */
function asCaller(value: Partial<Caller> | undefined): Caller | undefined {
  if (value === undefined) return undefined;
  if ((value.role !== 'hospital' && value.role !== 'operator') || typeof value.id !== 'string' || value.id === '') return undefined;
  return { role: value.role, id: value.id };
}

export class KeyStore {
  private readonly table: Table;
  private readonly callers = new TtlCache<Caller>(CALLER_CACHE_MS);

  constructor(db: DynamoDBClient, tableName: string) {
    this.table = new Table(db, tableName);
  }

  /** The owner of an API key, read now, or undefined for a key nobody holds (or an item that is not a caller). */
  lookupCaller(apiKey: string): Promise<Caller | undefined> {
    return this.callerByHash(hashApiKey(apiKey));
  }

  /** The owner of an API key, cached per container for {@link CALLER_CACHE_MS}. */
  getCaller(apiKey: string): Promise<Caller | undefined> {
    const hash = hashApiKey(apiKey);
    return this.callers.get(hash, () => this.callerByHash(hash));
  }

  private async callerByHash(hash: string): Promise<Caller | undefined> {
    return asCaller(await this.table.getJson<Partial<Caller>>(apiKeyKey(hash)));
  }

  /** Stores an API key (by its hash) for a caller. */
  async putApiKey(apiKey: string, caller: Caller): Promise<void> {
    await this.table.putJson(apiKeyKey(hashApiKey(apiKey)), caller);
  }

  /** Whether a caller already has an API key issued (the key itself is not recoverable). */
  async hasIssuedKey(caller: Caller): Promise<boolean> {
    return (await this.table.get(issuedKey(caller))) !== undefined;
  }

  /** Records that a key was issued to the caller at `at`. */
  async markKeyIssued(caller: Caller, at: string): Promise<void> {
    await this.table.put({ [ATTR.key]: { S: issuedKey(caller) }, at: { S: at } });
  }
}
