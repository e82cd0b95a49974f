/**
 * API keys: stored only as the SHA-256 of the key (`K#<hash>`), with the caller (hospital or operator)
 * it belongs to, its key id, and when it was created and revoked. A key id (`key-17`) names a key
 * without its secret, so an operator lists and revokes keys one by one (`claims keys`): `KI#<key id>`
 * points to the hash, and the counter `KN#ids` numbers the ids, so listing every key reads the ids
 * 1…n by key, never a scan of the table. The authorizer reads callers through this store too; it
 * imports nothing heavier than the SDK (no claim contract), which keeps its bundle small.
 *
 * size: a key's whole life (issue, list, revoke, the caller lookup and the national signing secret)
 * is one store, so the rules that keep a revoked key out are read in one file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { type DynamoDBClient, TransactWriteItemsCommand, UpdateItemCommand, PutItemCommand, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { TtlCache } from './cache.js';
import { Table, jsonOf } from './dynamo.js';
import { SIGNING_SECRET_KEY, apiKeyKey, keyCounterKey, keyIdKey, nonceKey } from './keys.js';
import { ATTR } from './table.js';

/** Who holds an API key. */
export interface Caller {
  readonly role: 'hospital' | 'operator';
  readonly id: string;
}

/** An API key as stored: its owner, its id and its dates (ISO 8601 UTC). Never the key itself. */
export interface ApiKeyRecord extends Caller {
  /** `key-<n>`; null for a key issued before key ids existed (it cannot be listed or revoked by id). */
  readonly keyId: string | null;
  readonly createdAt: string | null;
  /** When the key stops working (now or a time set ahead for a rotation); null while it has none. */
  readonly revokedAt: string | null;
  /** The first 12 hex digits of the key's SHA-256: the holder can tell which key is theirs. */
  readonly fingerprint: string;
}

/** A key just issued: the only time its secret is known. */
export interface IssuedApiKey {
  readonly apiKey: string;
  readonly record: ApiKeyRecord;
}

/** A key id that names no key. */
export class UnknownKeyIdError extends Error {
  constructor(
    readonly keyId: string,
    options?: ErrorOptions,
  ) {
    super(`no API key has the id ${keyId} (claims keys list shows them)`, options);
    this.name = 'UnknownKeyIdError';
  }
}

/** How long a signed request's nonce is kept: past the accepted clock skew, a replay fails on its timestamp instead. */
export const NONCE_TTL_SECONDS = 15 * 60;

/** How long a container trusts a cached API key (a key added later is seen at once; see TtlCache). */
export const CALLER_CACHE_MS = 60_000;

/** SHA-256 (hex) of an API key: only the hash is stored, so the table never holds a usable secret. */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

/** A new random API key: 192 bits. */
export function newApiKey(): string {
  return `ck_${randomBytes(24).toString('base64url')}`;
}

/** Whether a key is revoked at `now`: its revocation time has come. */
export function isRevoked(record: Pick<ApiKeyRecord, 'revokedAt'>, now: Date): boolean {
  return record.revokedAt !== null && Date.parse(record.revokedAt) <= now.getTime();
}

const FINGERPRINT_DIGITS = 12;
const KEY_ID_PREFIX = 'key-';

/** The stored document of a `K#` item. */
interface StoredKey {
  role?: unknown;
  id?: unknown;
  keyId?: unknown;
  createdAt?: unknown;
  revokedAt?: unknown;
}

const stringOrNull = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** A key record read back, or undefined when the stored document is not one. */
function asRecord(value: StoredKey | undefined, hash: string): ApiKeyRecord | undefined {
  if (value === undefined) return undefined;
  if ((value.role !== 'hospital' && value.role !== 'operator') || typeof value.id !== 'string' || value.id === '') return undefined;
  return {
    role: value.role,
    id: value.id,
    keyId: stringOrNull(value.keyId),
    createdAt: stringOrNull(value.createdAt),
    revokedAt: stringOrNull(value.revokedAt),
    fingerprint: hash.slice(0, FINGERPRINT_DIGITS),
  };
}

const storedOf = (record: ApiKeyRecord): StoredKey => ({
  role: record.role,
  id: record.id,
  keyId: record.keyId,
  createdAt: record.createdAt,
  ...(record.revokedAt === null ? {} : { revokedAt: record.revokedAt }),
});

const keyNumber = (keyId: string): number | undefined => {
  const match = /^key-([1-9][0-9]{0,14})$/.exec(keyId);
  return match ? Number(match[1]) : undefined;
};

export class KeyStore {
  private readonly table: Table;
  private readonly records = new TtlCache<ApiKeyRecord>(CALLER_CACHE_MS);
  private readonly secret = new TtlCache<string>(CALLER_CACHE_MS, 1);

  constructor(db: DynamoDBClient, tableName: string) {
    this.table = new Table(db, tableName);
  }

  /** The record of an API key, read now, or undefined for a key nobody holds (or an item that is not one). Revoked keys are returned, with `revokedAt`. */
  lookupKey(apiKey: string): Promise<ApiKeyRecord | undefined> {
    return this.recordByHash(hashApiKey(apiKey));
  }

  /** The owner of an API key that is not revoked, read now. */
  async lookupCaller(apiKey: string, now = new Date()): Promise<Caller | undefined> {
    return activeCaller(await this.lookupKey(apiKey), now);
  }

  /**
   * The owner of an API key that is not revoked, the record cached per container for
   * {@link CALLER_CACHE_MS} (the revocation time is compared on every call, so a revocation set ahead
   * takes effect on time; one made now is seen within the cache time).
   */
  async getCaller(apiKey: string, now = new Date()): Promise<Caller | undefined> {
    const hash = hashApiKey(apiKey);
    return activeCaller(await this.records.get(hash, () => this.recordByHash(hash)), now);
  }

  private async recordByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    return asRecord(await this.table.getJson<StoredKey>(apiKeyKey(hash)), hash);
  }

  /**
   * Issues a new API key to a caller: the next key id, then the key's hash item and the id's pointer
   * in one transaction, so a key is never stored without its id. The caller's other keys stay valid
   * (rotation with overlap: issue, let the caller switch, then revoke the old one).
   */
  async issue(caller: Caller, at: Date): Promise<IssuedApiKey> {
    const counted = await this.table.db.send(
      new UpdateItemCommand({
        TableName: this.table.name,
        Key: { [ATTR.key]: { S: keyCounterKey() } },
        UpdateExpression: 'ADD #n :one',
        ExpressionAttributeNames: { '#n': 'n' },
        ExpressionAttributeValues: { ':one': { N: '1' } },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const keyId = `${KEY_ID_PREFIX}${counted.Attributes?.['n']?.N ?? ''}`;
    const apiKey = newApiKey();
    const hash = hashApiKey(apiKey);
    const record: ApiKeyRecord = { role: caller.role, id: caller.id, keyId, createdAt: at.toISOString(), revokedAt: null, fingerprint: hash.slice(0, FINGERPRINT_DIGITS) };
    const absent = { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': ATTR.key } };
    await this.table.db.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: this.table.name, Item: { [ATTR.key]: { S: apiKeyKey(hash) }, data: { S: JSON.stringify(storedOf(record)) } }, ...absent } },
          { Put: { TableName: this.table.name, Item: { [ATTR.key]: { S: keyIdKey(keyId) }, hash: { S: hash } }, ...absent } },
        ],
      }),
    );
    return { apiKey, record };
  }

  /**
   * Revokes a key by its id from `at` on (now, or later for a planned rotation). A key already revoked
   * earlier stays revoked from its earlier time.
   * @returns the key's record as it now stands.
   * @throws UnknownKeyIdError when no key has this id.
   */
  async revoke(keyId: string, at: Date): Promise<ApiKeyRecord> {
    const hash = await this.hashOf(keyId);
    if (hash === undefined) throw new UnknownKeyIdError(keyId);
    for (;;) {
      const item = await this.table.get(apiKeyKey(hash), true);
      const stored = item?.['data']?.S;
      const record = asRecord(jsonOf<StoredKey>(item), hash);
      if (record === undefined || stored === undefined) throw new UnknownKeyIdError(keyId);
      if (record.revokedAt !== null && Date.parse(record.revokedAt) <= at.getTime()) return record;
      const revoked: ApiKeyRecord = { ...record, revokedAt: at.toISOString() };
      try {
        // Written only if nobody changed the key since it was read (two operators revoking at once).
        await this.table.db.send(
          new PutItemCommand({
            TableName: this.table.name,
            Item: { [ATTR.key]: { S: apiKeyKey(hash) }, data: { S: JSON.stringify(storedOf(revoked)) } },
            ConditionExpression: '#d = :read',
            ExpressionAttributeNames: { '#d': 'data' },
            ExpressionAttributeValues: { ':read': { S: stored } },
          }),
        );
        return revoked;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
  }

  /** Every key issued with an id, in the order issued (revoked ones included), read by key: ids 1…n. */
  async list(): Promise<ApiKeyRecord[]> {
    const counter = await this.table.get(keyCounterKey(), true);
    const count = Number(counter?.['n']?.N ?? '0');
    const ids = Array.from({ length: count }, (_, index) => `${KEY_ID_PREFIX}${index + 1}`);
    const pointers = await this.table.batchGet(ids.map(keyIdKey), true);
    const hashes = ids.map((id) => pointers.get(keyIdKey(id))?.['hash']?.S);
    const found = await this.table.batchGet(
      hashes.filter((hash): hash is string => hash !== undefined).map(apiKeyKey),
      true,
    );
    // An id whose transaction failed after the counter moved has no key: it is skipped.
    return hashes.flatMap((hash) => {
      const record = hash === undefined ? undefined : asRecord(jsonOf<StoredKey>(found.get(apiKeyKey(hash))), hash);
      return record ? [record] : [];
    });
  }

  /** The hash a key id points to, or undefined. */
  private async hashOf(keyId: string): Promise<string | undefined> {
    if (keyNumber(keyId) === undefined) return undefined;
    return (await this.table.get(keyIdKey(keyId), true))?.['hash']?.S;
  }

  /**
   * The national gateway's signing secret (`KS#national`), cached per container like a caller, or
   * undefined while none was made: signed requests are then refused. Unlike an API key it is kept as
   * itself (a verifier of the x-tif signature must derive the institution's token), in the table's
   * KMS encryption at rest; no function's role may write a `KS#` item (operators make it).
   */
  signingSecret(): Promise<string | undefined> {
    return this.secret.get(SIGNING_SECRET_KEY, async () => {
      const value = (await this.table.get(SIGNING_SECRET_KEY, true))?.['secret']?.S;
      return value === undefined || value === '' ? undefined : value;
    });
  }

  /** The signing secret, made once (`initial`, else 256 random bits) if none is stored: for operators and the local stack. */
  async ensureSigningSecret(initial?: string): Promise<string> {
    const made = initial || randomBytes(32).toString('base64url');
    try {
      await this.table.db.send(
        new PutItemCommand({
          TableName: this.table.name,
          Item: { [ATTR.key]: { S: SIGNING_SECRET_KEY }, secret: { S: made } },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': ATTR.key },
        }),
      );
      return made;
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      return (await this.table.get(SIGNING_SECRET_KEY, true))!['secret']!.S!;
    }
  }

  /**
   * Records the nonce of a signed request once: a conditional put of `N#<paasid>#<nonce>` with a `ttl`
   * of {@link NONCE_TTL_SECONDS} (the table's time-to-live deletes it later, at no cost).
   * @returns false when it was seen before (a replay).
   */
  async useNonce(paasId: string, nonce: string, nowSeconds: number): Promise<boolean> {
    try {
      await this.table.db.send(
        new PutItemCommand({
          TableName: this.table.name,
          Item: { [ATTR.key]: { S: nonceKey(paasId, nonce) }, ttl: { N: String(nowSeconds + NONCE_TTL_SECONDS) } },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': ATTR.key },
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

  /** Stores an API key (by its hash) for a caller without a key id: only for tests and tools that make their own keys. */
  async putApiKey(apiKey: string, caller: Caller): Promise<void> {
    await this.table.putJson(apiKeyKey(hashApiKey(apiKey)), { role: caller.role, id: caller.id });
  }
}

const conditionFailed = (error: unknown): boolean => error instanceof ConditionalCheckFailedException || (error as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';

/** The caller of a record that is not revoked at `now`. */
function activeCaller(record: ApiKeyRecord | undefined, now: Date): Caller | undefined {
  return record === undefined || isRevoked(record, now) ? undefined : { role: record.role, id: record.id };
}
