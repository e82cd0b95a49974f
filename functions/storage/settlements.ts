/**
 * Settlements and the member-year ledger: the settlement items, the versioned totals items, and the
 * one transaction that writes them together. Correctness rests on the conditions written here, never
 * on queue ordering: the settlement write is conditioned on no settlement existing under the claim key
 * (only the claim's accepted record, or nothing), the totals write on the version read.
 */
import type { AttributeValue, DynamoDBClient, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { QUEUED } from './accepted.js';
import type { RegistryHospital, RegistryMember } from '../../shared/registry/registry.js';
import { type DbItem, Table, type WriteOutcome, asDb, asItem, jsonOf, keyOf } from './dynamo.js';
import type { Item } from './item-size.js';
import { type StoredSettlement, type VersionedTotals, readSettlementItem, readTotalsItem } from './items.js';
import { hospitalKey, memberKey, memberYearIndexKey, settlementKey, totalsKey } from './keys.js';
import { ATTR, HOSPITAL_SETTLED_INDEX, MEMBER_YEAR_INDEX } from './table.js';

/** Everything one settlement needs, read in one consistent batch. */
export interface SettlementInputs {
  readonly existing: StoredSettlement | undefined;
  readonly member: RegistryMember | undefined;
  readonly hospital: RegistryHospital | undefined;
  readonly totals: VersionedTotals;
}

/** New totals to write with a settlement or reversal, and the version they were computed from. */
export interface TotalsWrite {
  readonly item: Item;
  readonly readVersion: number;
}

/** A place in a hospital's settlement order: an index entry's sort key and claim key. */
export interface FeedPosition {
  readonly order: string;
  readonly key: string;
}

/** One page of the settlement feed. */
export interface FeedPage {
  readonly settlements: readonly StoredSettlement[];
  /** The last index entry of the page, undefined when the page is empty. */
  readonly last: FeedPosition | undefined;
  /** True when the index held more entries in the range than the page took. */
  readonly more: boolean;
}

/** Index page size of the hospital statement stream: one BatchGetItem per page. */
const HOSPITAL_PAGE = 100;

/** A settlement item read back; an accepted record still waiting (`queued`) is no settlement yet. */
const settlementOf = (item: DbItem | undefined): StoredSettlement | undefined =>
  item === undefined || item[ATTR.status]?.S === QUEUED ? undefined : readSettlementItem(asItem(item));

/**
 * The write that turns a claim's accepted record into its settlement (or creates the settlement where
 * no record exists, as for claims queued before records existed): every attribute of the settlement
 * set, the queued body removed, the hash and acceptance keys kept, so the acceptance index is not
 * written again. Conditioned on no settlement being there yet.
 */
function settleUpdate(tableName: string, settlement: Item): TransactWriteItem {
  const names: Record<string, string> = { '#pk': ATTR.key, '#st': ATTR.status, '#body': ATTR.claimBody };
  const values: Record<string, AttributeValue> = { ':queued': { S: QUEUED } };
  const sets: string[] = [];
  Object.entries(settlement).forEach(([name, value], i) => {
    if (name === ATTR.key) return;
    names[`#a${i}`] = name;
    values[`:a${i}`] = value as AttributeValue;
    sets.push(`#a${i} = :a${i}`);
  });
  return {
    Update: {
      TableName: tableName,
      Key: { [ATTR.key]: settlement[ATTR.key] as AttributeValue },
      UpdateExpression: `SET ${sets.join(', ')} REMOVE #body`,
      ConditionExpression: 'attribute_not_exists(#pk) OR #st = :queued',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

export class SettlementStore {
  private readonly table: Table;

  constructor(db: DynamoDBClient, tableName: string) {
    this.table = new Table(db, tableName);
  }

  /**
   * The stored settlement, member, hospital and year totals of a claim in one consistent BatchGetItem
   * (one round trip instead of four: DynamoDB calls are what limits throughput).
   */
  async readForSettlement(hospitalId: string, claimId: string, memberId: string, year: number): Promise<SettlementInputs> {
    const [claimKey, memberItemKey, hospitalItemKey, yearKey] = [
      settlementKey(hospitalId, claimId),
      memberKey(memberId),
      hospitalKey(hospitalId),
      totalsKey(memberId, year),
    ];
    const found = await this.table.batchGet([claimKey, memberItemKey, hospitalItemKey, yearKey], true);
    const totals = found.get(yearKey);
    return {
      existing: settlementOf(found.get(claimKey)),
      member: jsonOf<RegistryMember>(found.get(memberItemKey)),
      hospital: jsonOf<RegistryHospital>(found.get(hospitalItemKey)),
      totals: readTotalsItem(totals === undefined ? undefined : asItem(totals)),
    };
  }

  /** The member's totals for the year and their version, read consistently (0 and zeros when none). */
  async getTotals(memberId: string, year: number): Promise<VersionedTotals> {
    const item = await this.table.get(totalsKey(memberId, year), true);
    return readTotalsItem(item === undefined ? undefined : asItem(item));
  }

  /** The stored settlement of a claim, read consistently, or undefined. */
  async getSettlement(hospitalId: string, claimId: string): Promise<StoredSettlement | undefined> {
    return settlementOf(await this.table.get(settlementKey(hospitalId, claimId), true));
  }

  /**
   * The one transaction of a settlement: write the settlement if none exists under its key (over the
   * claim's accepted record), and (for a settled claim) write the new totals if their version is still the one read.
   * @returns `duplicate` when the claim is already settled (nothing written), `conflict` when the
   * totals changed since they were read (nothing written), else `written`.
   */
  async writeSettlement(settlement: Item, totals?: TotalsWrite): Promise<WriteOutcome> {
    const items: TransactWriteItem[] = [settleUpdate(this.table.name, settlement)];
    if (totals) items.push(this.table.versionedPut(totals.item, totals.readVersion));
    return this.table.transact(items, ['duplicate', 'conflict']);
  }

  /**
   * Reversal: mark the settlement reversed if it is still `settled`, and write the restored totals if
   * their version is still the one read.
   * @returns `duplicate` when the settlement is no longer `settled` (reversed meanwhile), `conflict`
   * on a totals version change, else `written`.
   */
  async writeReversal(key: string, reversedAt: string, totals: TotalsWrite): Promise<WriteOutcome> {
    return this.table.transact(
      [
        {
          Update: {
            TableName: this.table.name,
            Key: { [ATTR.key]: { S: key } },
            UpdateExpression: 'SET #st = :reversed, #ra = :at',
            ConditionExpression: '#st = :settled',
            ExpressionAttributeNames: { '#st': ATTR.status, '#ra': ATTR.reversedAt },
            ExpressionAttributeValues: { ':reversed': { S: 'reversed' }, ':settled': { S: 'settled' }, ':at': { S: reversedAt } },
          },
        },
        this.table.versionedPut(totals.item, totals.readVersion),
      ],
      ['duplicate', 'conflict'],
    );
  }

  /** A member's settlements of one insurance year, by discharge date: index query, then batch reads. */
  async listMemberYear(memberId: string, year: number): Promise<StoredSettlement[]> {
    const keys: string[] = [];
    const pages = this.table.queryPages({
      IndexName: MEMBER_YEAR_INDEX.name,
      KeyConditionExpression: '#my = :my',
      ExpressionAttributeNames: { '#my': ATTR.memberYear },
      ExpressionAttributeValues: { ':my': { S: memberYearIndexKey(memberId, year) } },
    });
    for await (const page of pages) keys.push(...keysOf(page));
    const found = await this.batchGetSettlements(keys);
    return keys.map((key) => found.get(key)).filter((s): s is StoredSettlement => s !== undefined);
  }

  /**
   * A hospital's settlements settled from `from` to `to` (UTC dates of `settledAt`, both included), in
   * settlement order, streamed: one index page of at most 100 keys (the hospital + settlement-order
   * index, never a scan), then one BatchGetItem for that page's items. Memory holds one page whatever
   * the period's size. Selecting by settlement date is what the national 3201/3202 reconciliation does,
   * and it lets an adjustment count in the period it is made.
   */
  async *hospitalSettlements(hospitalId: string, from: string, to: string): AsyncGenerator<StoredSettlement> {
    const pages = this.table.queryPages({
      IndexName: HOSPITAL_SETTLED_INDEX.name,
      KeyConditionExpression: '#h = :h AND #so BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#h': ATTR.hospital, '#so': ATTR.settledOrder },
      // '~' sorts after every character of an ISO instant, so the whole of day `to` is included.
      ExpressionAttributeValues: { ':h': { S: hospitalId }, ':from': { S: from }, ':to': { S: `${to}~` } },
      Limit: HOSPITAL_PAGE,
    });
    for await (const page of pages) {
      const keys = keysOf(page);
      const found = await this.batchGetSettlements(keys);
      for (const key of keys) {
        const stored = found.get(key);
        if (stored) yield stored;
      }
    }
  }

  /**
   * @deprecated The hospital index is in settlement order: this is `hospitalSettlements` (the
   * settlement period, which is also what the national 3201/3202 reconciliation selects by), kept
   * under its old name for the national gateway's callers until they are renamed.
   */
  hospitalDischarges(hospitalId: string, from: string, to: string): AsyncGenerator<StoredSettlement> {
    return this.hospitalSettlements(hospitalId, from, to);
  }

  /**
   * One page of a hospital's settlement feed: the settlements whose index entry comes after `after`
   * (exclusive; from the start when absent) and before `until` (a settlement-order prefix: entries at
   * or after it are not served yet), at most `limit`, in settlement order. One Query of the keys-only
   * index and one BatchGetItem.
   * @returns the page and the position of its last entry (to resume after), and whether more entries
   * were left in the range.
   */
  async hospitalFeedPage(hospitalId: string, after: FeedPosition | undefined, until: string, limit: number): Promise<FeedPage> {
    const out = await this.table.queryPage({
      IndexName: HOSPITAL_SETTLED_INDEX.name,
      KeyConditionExpression: '#h = :h AND #so < :until',
      ExpressionAttributeNames: { '#h': ATTR.hospital, '#so': ATTR.settledOrder },
      ExpressionAttributeValues: { ':h': { S: hospitalId }, ':until': { S: until } },
      Limit: limit,
      ...(after
        ? { ExclusiveStartKey: { [ATTR.key]: { S: after.key }, [ATTR.hospital]: { S: hospitalId }, [ATTR.settledOrder]: { S: after.order } } }
        : {}),
    });
    const entries = out.items
      .map((item) => ({ key: item[ATTR.key]?.S, order: item[ATTR.settledOrder]?.S }))
      .filter((e): e is FeedPosition => e.key !== undefined && e.order !== undefined);
    const found = await this.batchGetSettlements(entries.map((e) => e.key));
    const settlements = entries.map((e) => found.get(e.key)).filter((s): s is StoredSettlement => s !== undefined);
    return { settlements, last: entries.at(-1), more: out.more };
  }

  /** Settlements by key (eventually consistent), through the shared batch read with its retries. */
  async batchGetSettlements(keys: readonly string[]): Promise<Map<string, StoredSettlement>> {
    const found = new Map<string, StoredSettlement>();
    for (const item of (await this.table.batchGet(keys)).values()) {
      const stored = settlementOf(item);
      if (stored) found.set(stored.key, stored);
    }
    return found;
  }
}

const keysOf = (items: readonly DbItem[]): string[] => items.map(keyOf).filter((key): key is string => key !== undefined);
