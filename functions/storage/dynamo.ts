/**
 * The DynamoDB primitives every store shares, each written once: single-item reads and writes, the
 * batch read that retries unprocessed keys, the index pager, the conditional transaction, and the
 * retry-on-version-conflict policy of the totals writes. Stores hold the meaning; this file holds the
 * mechanics. It imports nothing but the SDK, so the authorizer's bundle stays small.
 */
import {
  type AttributeValue,
  BatchGetItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type TransactWriteItem,
  ConditionalCheckFailedException,
  UpdateItemCommand,
  type UpdateItemCommandInput,
  type PutItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { VersionConflictError } from '../lib/errors.js';
import type { Item } from './item-size.js';
import { ATTR } from './table.js';

/** An item as the SDK types it. */
export type DbItem = Record<string, AttributeValue>;
/** Our structural item type and the SDK's describe the same wire shape. */
export const asDb = (item: Item): DbItem => item as unknown as DbItem;
export const asItem = (item: DbItem): Item => item as unknown as Item;

/** The outcome of a conditional transaction. */
export type WriteOutcome = 'written' | 'duplicate' | 'conflict';

/** BatchGetItem takes at most 100 keys per call. */
const BATCH_LIMIT = 100;

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The partition key of an item, when it has one. */
export const keyOf = (item: DbItem): string | undefined => item[ATTR.key]?.S;

/** The one table of the pipeline, with the operations the stores are built from. */
export class Table {
  constructor(
    readonly db: DynamoDBClient,
    readonly name: string,
  ) {}

  /** One item by key (strongly consistent when asked). */
  async get(key: string, consistent = false, projection?: string): Promise<DbItem | undefined> {
    const out = await this.db.send(
      new GetItemCommand({
        TableName: this.name,
        Key: { [ATTR.key]: { S: key } },
        ConsistentRead: consistent,
        ...(projection === undefined ? {} : { ProjectionExpression: '#p', ExpressionAttributeNames: { '#p': projection } }),
      }),
    );
    return out.Item;
  }

  /** The JSON document stored in an item's `data` attribute, or undefined. */
  async getJson<T>(key: string, consistent = false): Promise<T | undefined> {
    return jsonOf<T>(await this.get(key, consistent, 'data'));
  }

  /** Writes an item, replacing any item under the same key. */
  async put(item: DbItem): Promise<void> {
    await this.db.send(new PutItemCommand({ TableName: this.name, Item: item }));
  }

  /** Writes a JSON document under `key` in the `data` attribute. */
  async putJson(key: string, value: unknown): Promise<void> {
    await this.put({ [ATTR.key]: { S: key }, data: { S: JSON.stringify(value) } });
  }

  /**
   * Items by key, found ones only, 100 keys per BatchGetItem, retrying unprocessed keys with a capped
   * exponential backoff (DynamoDB returns them under throttling; they are never lost).
   */
  async batchGet(keys: readonly string[], consistent = false): Promise<Map<string, DbItem>> {
    const found = new Map<string, DbItem>();
    for (let i = 0; i < keys.length; i += BATCH_LIMIT) {
      let request: Record<string, { Keys: DbItem[]; ConsistentRead: boolean }> | undefined = {
        [this.name]: { Keys: keys.slice(i, i + BATCH_LIMIT).map((key) => ({ [ATTR.key]: { S: key } })), ConsistentRead: consistent },
      };
      for (let round = 0; request && Object.keys(request).length > 0; round++) {
        if (round > 0) await pause(Math.min(1000, 20 * 2 ** round));
        const out = await this.db.send(new BatchGetItemCommand({ RequestItems: request }));
        for (const item of out.Responses?.[this.name] ?? []) {
          const key = keyOf(item);
          if (key !== undefined) found.set(key, item);
        }
        request = out.UnprocessedKeys as typeof request;
      }
    }
    return found;
  }

  /** The pages of a query, one at a time, following `LastEvaluatedKey` until the last page. */
  async *queryPages(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): AsyncGenerator<DbItem[]> {
    let start: DbItem | undefined;
    do {
      const page = await this.db.send(new QueryCommand({ ...input, TableName: this.name, ...(start ? { ExclusiveStartKey: start } : {}) }));
      yield page.Items ?? [];
      start = page.LastEvaluatedKey;
    } while (start);
  }

  /** One page of a query, resumed after `ExclusiveStartKey` when given; `more` when DynamoDB stopped before the end. */
  async queryPage(input: Omit<QueryCommandInput, 'TableName'>): Promise<{ items: DbItem[]; more: boolean }> {
    const page = await this.db.send(new QueryCommand({ ...input, TableName: this.name }));
    return { items: page.Items ?? [], more: page.LastEvaluatedKey !== undefined };
  }

  /**
   * Runs a transaction; a failed condition on item i maps to `onCondition[i]`, checked in order (the
   * first item decides first: a duplicate must never be recomputed). A transaction conflict (another
   * transaction held one of the items) is the same as a version change: `conflict`.
   */
  async transact(items: TransactWriteItem[], onCondition: readonly WriteOutcome[]): Promise<WriteOutcome> {
    try {
      await this.db.send(new TransactWriteItemsCommand({ TransactItems: items }));
      return 'written';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      for (let i = 0; i < items.length; i++) {
        if (reasons[i]?.Code === 'ConditionalCheckFailed') return onCondition[i] ?? 'conflict';
      }
      if (reasons.some((reason) => reason.Code === 'TransactionConflict')) return 'conflict';
      throw error;
    }
  }

  /**
   * One conditional single-item update (a standard write: half the units of the same write in a
   * transaction). @returns false when its condition failed (nothing written).
   */
  async updateIf(input: Omit<UpdateItemCommandInput, 'TableName'>): Promise<boolean> {
    try {
      await this.db.send(new UpdateItemCommand({ ...input, TableName: this.name }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** One conditional put. @returns false when its condition failed (nothing written). */
  async putIf(input: Omit<PutItemCommandInput, 'TableName'>): Promise<boolean> {
    try {
      await this.db.send(new PutItemCommand({ ...input, TableName: this.name }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** A put of `item` conditioned on the version read: absent when `readVersion` is 0, else equal to it. */
  versionedPut(item: Item, readVersion: number): TransactWriteItem {
    return {
      Put: {
        TableName: this.name,
        Item: asDb(item),
        ConditionExpression: readVersion === 0 ? 'attribute_not_exists(#pk)' : '#v = :read',
        ExpressionAttributeNames: readVersion === 0 ? { '#pk': ATTR.key } : { '#v': ATTR.version },
        ...(readVersion === 0 ? {} : { ExpressionAttributeValues: { ':read': { N: String(readVersion) } } }),
      },
    };
  }
}

/** The JSON document of an item's `data` attribute, or undefined. */
export function jsonOf<T>(item: DbItem | undefined): T | undefined {
  const data = item?.['data']?.S;
  return data === undefined ? undefined : (JSON.parse(data) as T);
}

/** What an attempt returns when the version it read moved before its write: read again and retry. */
export const VERSION_MOVED: unique symbol = Symbol('version moved');

/** The pause before attempt `attempt + 1`: full jitter over an exponential bound capped at 200 ms. */
export const versionRetryPauseMs = (attempt: number): number => Math.random() * Math.min(200, 5 * 2 ** attempt);

/**
 * The one retry policy of the versioned totals writes (settlement and reversal): run `attempt` up to
 * `attempts` times while it reports `VERSION_MOVED`, pausing with a jittered backoff in between so
 * writers of one member-year spread out.
 * @throws VersionConflictError naming `subject` when every attempt saw the version move.
 */
export async function retryOnVersionConflict<T>(
  subject: string,
  attempts: number,
  attempt: (n: number) => Promise<T | typeof VERSION_MOVED>,
): Promise<T> {
  for (let n = 1; n <= attempts; n++) {
    const result = await attempt(n);
    if (result !== VERSION_MOVED) return result;
    if (n < attempts) await pause(versionRetryPauseMs(n));
  }
  throw new VersionConflictError(subject, attempts);
}
