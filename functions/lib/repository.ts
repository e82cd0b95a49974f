/**
 * Every DynamoDB access of the pipeline. Correctness rests on the conditions written here, never on
 * queue ordering: the settlement put is conditioned on the claim key not existing, the totals write
 * on the version read.
 */
import { createHash } from 'node:crypto';
import {
  type AttributeValue,
  BatchGetItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import type { Item } from '../storage/item-size.js';
import { apiKeyKey, hospitalKey, memberKey, memberYearIndexKey, settlementKey, totalsKey } from '../storage/keys.js';
import { type StoredSettlement, type VersionedTotals, readSettlementItem, readTotalsItem } from '../storage/items.js';
import { ATTR, HOSPITAL_DATE_INDEX, MEMBER_YEAR_INDEX } from '../storage/table.js';
import type { RegistryHospital, RegistryMember } from '../../shared/registry/registry.js';
import { TtlCache } from './cache.js';

type DbItem = Record<string, AttributeValue>;
const asDb = (item: Item): DbItem => item as unknown as DbItem;
const asItem = (item: DbItem): Item => item as unknown as Item;

/** Who an API key belongs to. */
export interface Caller {
  readonly role: 'hospital' | 'operator';
  readonly id: string;
}

/** A stored reason why a record could not be settled. */
export interface FailureRecord {
  readonly code: string;
  readonly message: string;
  readonly details?: unknown;
  readonly messageId: string;
  readonly at: string;
}

/** The outcome of the settlement transaction. */
export type WriteOutcome = 'written' | 'duplicate' | 'conflict';

/** SHA-256 of an API key: only the hash is stored. */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

/** Everything one settlement needs, read in one consistent batch. */
export interface SettlementInputs {
  readonly existing: StoredSettlement | undefined;
  readonly member: RegistryMember | undefined;
  readonly hospital: RegistryHospital | undefined;
  readonly totals: VersionedTotals;
}

/** How long a container trusts a cached API key or hospital (registry changes apply within this). */
export const REGISTRY_CACHE_MS = 60_000;

export class ClaimsRepository {
  private readonly callers = new TtlCache<Caller>(REGISTRY_CACHE_MS);
  private readonly members = new TtlCache<RegistryMember>(REGISTRY_CACHE_MS);

  constructor(
    private readonly db: DynamoDBClient,
    readonly tableName: string,
  ) {}

  /**
   * The stored settlement, member, hospital and year totals of a claim in one consistent BatchGetItem
   * (one round trip instead of four: DynamoDB calls are what limits throughput).
   */
  async readForSettlement(hospitalId: string, claimId: string, memberId: string, year: number): Promise<SettlementInputs> {
    const keys = [settlementKey(hospitalId, claimId), memberKey(memberId), hospitalKey(hospitalId), totalsKey(memberId, year)];
    const found = new Map<string, DbItem>();
    let request: Record<string, { Keys: DbItem[]; ConsistentRead: boolean }> | undefined = {
      [this.tableName]: { Keys: keys.map((key) => ({ [ATTR.key]: { S: key } })), ConsistentRead: true },
    };
    for (let round = 0; request && Object.keys(request).length > 0; round++) {
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** round)));
      const out = await this.db.send(new BatchGetItemCommand({ RequestItems: request }));
      for (const item of out.Responses?.[this.tableName] ?? []) {
        const key = item[ATTR.key]?.S;
        if (key !== undefined) found.set(key, item);
      }
      request = out.UnprocessedKeys as typeof request;
    }
    const json = <T>(key: string): T | undefined => {
      const data = found.get(key)?.['data']?.S;
      return data === undefined ? undefined : (JSON.parse(data) as T);
    };
    const existing = found.get(keys[0] as string);
    const totals = found.get(keys[3] as string);
    return {
      existing: existing === undefined ? undefined : readSettlementItem(asItem(existing)),
      member: json<RegistryMember>(keys[1] as string),
      hospital: json<RegistryHospital>(keys[2] as string),
      totals: readTotalsItem(totals === undefined ? undefined : asItem(totals)),
    };
  }

  /** Whether the registry knows the member (cached for the intake's check; the settle handler reads the member itself). */
  async memberExists(memberId: string): Promise<boolean> {
    return (await this.members.get(memberId, () => this.getMember(memberId))) !== undefined;
  }

  private async get(key: string, consistent = false): Promise<DbItem | undefined> {
    const out = await this.db.send(
      new GetItemCommand({ TableName: this.tableName, Key: { [ATTR.key]: { S: key } }, ConsistentRead: consistent }),
    );
    return out.Item;
  }

  private async getJson<T>(key: string): Promise<T | undefined> {
    const item = await this.get(key);
    const data = item?.['data'];
    return data?.S === undefined ? undefined : (JSON.parse(data.S) as T);
  }

  /** A registry member, or undefined when the registry does not know the id. */
  getMember(memberId: string): Promise<RegistryMember | undefined> {
    return this.getJson<RegistryMember>(memberKey(memberId));
  }

  /** A registry hospital, or undefined. */
  getHospital(hospitalId: string): Promise<RegistryHospital | undefined> {
    return this.getJson<RegistryHospital>(hospitalKey(hospitalId));
  }

  /** The owner of an API key, or undefined for a key nobody holds. */
  async getCaller(apiKey: string): Promise<Caller | undefined> {
    const key = apiKeyKey(hashApiKey(apiKey));
    return this.callers.get(key, () => this.getJson<Caller>(key));
  }

  /** Writes a registry member (replacing the previous record). */
  async putMember(member: RegistryMember): Promise<void> {
    await this.putJson(memberKey(member.id), member);
  }

  async putHospital(hospital: RegistryHospital): Promise<void> {
    await this.putJson(hospitalKey(hospital.id), hospital);
  }

  /** Stores an API key (by its hash) for a caller. */
  async putApiKey(apiKey: string, caller: Caller): Promise<void> {
    await this.putJson(apiKeyKey(hashApiKey(apiKey)), caller);
  }

  /** Whether a caller already has an API key issued (the key itself is not recoverable). */
  async hasIssuedKey(caller: Caller): Promise<boolean> {
    return (await this.get(`KI#${caller.role}#${encodeURIComponent(caller.id)}`)) !== undefined;
  }

  async markKeyIssued(caller: Caller, at: string): Promise<void> {
    await this.db.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: { [ATTR.key]: { S: `KI#${caller.role}#${encodeURIComponent(caller.id)}` }, at: { S: at } },
      }),
    );
  }

  private async putJson(key: string, value: unknown): Promise<void> {
    await this.db.send(
      new PutItemCommand({ TableName: this.tableName, Item: { [ATTR.key]: { S: key }, data: { S: JSON.stringify(value) } } }),
    );
  }

  /** The member's totals for the year and their version, read consistently (0 and zeros when none). */
  async getTotals(memberId: string, year: number): Promise<VersionedTotals> {
    const item = await this.get(totalsKey(memberId, year), true);
    return readTotalsItem(item === undefined ? undefined : asItem(item));
  }

  /** The stored settlement of a claim, read consistently, or undefined. */
  async getSettlement(hospitalId: string, claimId: string): Promise<StoredSettlement | undefined> {
    const item = await this.get(settlementKey(hospitalId, claimId), true);
    return item === undefined ? undefined : readSettlementItem(asItem(item));
  }

  /** The stored failure of a record (by its failure key), or undefined. */
  async getFailure(key: string): Promise<FailureRecord | undefined> {
    return this.getJson<FailureRecord>(key);
  }

  /** Stores why a record could not be settled (the latest reason wins). */
  async putFailure(key: string, failure: FailureRecord): Promise<void> {
    await this.putJson(key, failure);
  }

  /**
   * The one transaction of a settlement: put the settlement if its key does not exist, and (for a
   * settled claim) write the new totals if their version is still the one read.
   * @returns `duplicate` when the claim is already settled (nothing written), `conflict` when the
   * totals changed since they were read (nothing written), else `written`.
   */
  async writeSettlement(settlement: Item, totals?: { item: Item; readVersion: number }): Promise<WriteOutcome> {
    const items: TransactWriteItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: asDb(settlement),
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': ATTR.key },
        },
      },
    ];
    if (totals) items.push(this.totalsPut(totals.item, totals.readVersion));
    return this.transact(items, ['duplicate', 'conflict']);
  }

  /**
   * Reversal: mark the settlement reversed if it is still `settled`, and write the restored totals if
   * their version is still the one read.
   * @returns `duplicate` when the settlement is no longer `settled` (reversed meanwhile), `conflict`
   * on a totals version change, else `written`.
   */
  async writeReversal(key: string, reversedAt: string, totals: { item: Item; readVersion: number }): Promise<WriteOutcome> {
    return this.transact(
      [
        {
          Update: {
            TableName: this.tableName,
            Key: { [ATTR.key]: { S: key } },
            UpdateExpression: 'SET #st = :reversed, #ra = :at',
            ConditionExpression: '#st = :settled',
            ExpressionAttributeNames: { '#st': ATTR.status, '#ra': ATTR.reversedAt },
            ExpressionAttributeValues: { ':reversed': { S: 'reversed' }, ':settled': { S: 'settled' }, ':at': { S: reversedAt } },
          },
        },
        this.totalsPut(totals.item, totals.readVersion),
      ],
      ['duplicate', 'conflict'],
    );
  }

  private totalsPut(item: Item, readVersion: number): TransactWriteItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: asDb(item),
        ConditionExpression: readVersion === 0 ? 'attribute_not_exists(#pk)' : '#v = :read',
        ExpressionAttributeNames: readVersion === 0 ? { '#pk': ATTR.key } : { '#v': ATTR.version },
        ...(readVersion === 0 ? {} : { ExpressionAttributeValues: { ':read': { N: String(readVersion) } } }),
      },
    };
  }

  /** Runs a transaction; a failed condition on item i maps to `onCondition[i]`. */
  private async transact(items: TransactWriteItem[], onCondition: WriteOutcome[]): Promise<WriteOutcome> {
    try {
      await this.db.send(new TransactWriteItemsCommand({ TransactItems: items }));
      return 'written';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      // The first item's condition decides first: a duplicate must never be recomputed.
      for (let i = 0; i < items.length; i++) {
        if (reasons[i]?.Code === 'ConditionalCheckFailed') return onCondition[i] ?? 'conflict';
      }
      // Another transaction held one of the items: the same as a version change, read again.
      if (reasons.some((reason) => reason.Code === 'TransactionConflict')) return 'conflict';
      throw error;
    }
  }

  /** A member's settlements of one insurance year, by discharge date: index query, then batch reads. */
  async listMemberYear(memberId: string, year: number): Promise<StoredSettlement[]> {
    const keys: string[] = [];
    let start: DbItem | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: MEMBER_YEAR_INDEX.name,
          KeyConditionExpression: '#my = :my',
          ExpressionAttributeNames: { '#my': ATTR.memberYear },
          ExpressionAttributeValues: { ':my': { S: memberYearIndexKey(memberId, year) } },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const key = item[ATTR.key]?.S;
        if (key !== undefined) keys.push(key);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    const found = await this.batchGetSettlements(keys);
    return keys.map((key) => found.get(key)).filter((s): s is StoredSettlement => s !== undefined);
  }

  /**
   * A hospital's settlements discharged from `from` to `to` (both included), in discharge-date order,
   * streamed: one index page of at most 100 keys (the hospital + discharge-date index, never a scan),
   * then one BatchGetItem for that page's items. Memory holds one page whatever the period's size.
   */
  async *hospitalDischarges(hospitalId: string, from: string, to: string): AsyncGenerator<StoredSettlement> {
    let start: DbItem | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: HOSPITAL_DATE_INDEX.name,
          KeyConditionExpression: '#h = :h AND #d BETWEEN :from AND :to',
          ExpressionAttributeNames: { '#h': ATTR.hospital, '#d': ATTR.discharged },
          ExpressionAttributeValues: { ':h': { S: hospitalId }, ':from': { S: from }, ':to': { S: to } },
          Limit: 100,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      const keys = (page.Items ?? []).map((item) => item[ATTR.key]?.S).filter((key): key is string => key !== undefined);
      const found = await this.batchGetSettlements(keys);
      for (const key of keys) {
        const stored = found.get(key);
        if (stored) yield stored;
      }
      start = page.LastEvaluatedKey;
    } while (start);
  }

  /** Settlements by key, at most 100 per call to DynamoDB, retrying unprocessed keys with backoff. */
  async batchGetSettlements(keys: readonly string[]): Promise<Map<string, StoredSettlement>> {
    const found = new Map<string, StoredSettlement>();
    for (let i = 0; i < keys.length; i += 100) {
      let request: Record<string, { Keys: DbItem[] }> | undefined = {
        [this.tableName]: { Keys: keys.slice(i, i + 100).map((key) => ({ [ATTR.key]: { S: key } })) },
      };
      for (let round = 0; request && Object.keys(request).length > 0; round++) {
        if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** round)));
        const out = await this.db.send(new BatchGetItemCommand({ RequestItems: request }));
        for (const item of out.Responses?.[this.tableName] ?? []) {
          const stored = readSettlementItem(asItem(item));
          found.set(stored.key, stored);
        }
        request = out.UnprocessedKeys as typeof request;
      }
    }
    return found;
  }
}
