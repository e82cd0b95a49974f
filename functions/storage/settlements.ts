/**
 * Settlements and the member-year chain: a claim's item (its accepted record, then its first
 * settlement), its later versions (`R#`), and the totals item at the end of each member-year's chain.
 *
 * No transaction: a settlement is two standard writes, the totals first (conditioned on the version
 * read; it names the claim as the chain's last) and then the claim's item (conditioned on its still
 * being queued). The totals are the truth: a claim they name as last whose item is still queued (a
 * crash between the two writes) is finished by the next writer of that member-year, which settles it
 * again from the totals before it the totals item keeps. docs/storage.md, "Settling without a
 * transaction", has the reasoning and the costs.
 */
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Claim, YearToDate } from '../../shared/contract/claim.js';
import type { RegistryHospital, RegistryMember } from '../../shared/registry/registry.js';
import { QUEUED } from './accepted.js';
import { type DbItem, Table, asDb, asItem, jsonOf } from './dynamo.js';
import type { Item } from './item-size.js';
import { type ChainEnd, type StoredSettlement, type VersionedTotals, readContent, readSettlementItem, readTotalsItem, totalsItem, versionsOf } from './items.js';
import { hospitalKey, memberKey, parseSettlementKey, revisionKey, settlementKey, totalsKey } from './keys.js';
import { ATTR } from './table.js';
import { type FeedPage, type FeedPosition, OrderIndex } from './order-index.js';

export type { FeedPage, FeedPosition };

/** Everything one settlement needs, read in one consistent batch. */
export interface SettlementInputs {
  /** The claim's current settlement when it is settled already. */
  readonly existing: StoredSettlement | undefined;
  readonly member: RegistryMember | undefined;
  readonly hospital: RegistryHospital | undefined;
  readonly totals: VersionedTotals;
}

/** A claim's item read back as a link of its member-year's chain. */
export interface ChainLink {
  readonly key: string;
  readonly item: DbItem;
  /** The previous claim of the chain, absent for the first. */
  readonly previous?: string;
}

/** Whether an item is a claim still waiting to be settled (an accepted record). */
export const isQueued = (item: DbItem | undefined): boolean => item === undefined || item[ATTR.status]?.S === QUEUED;

export class SettlementStore {
  readonly table: Table;
  private readonly order: OrderIndex;

  constructor(db: DynamoDBClient, tableName: string) {
    this.table = new Table(db, tableName);
    this.order = new OrderIndex(db, tableName);
  }

  /**
   * A hospital's settlements of a period (UTC dates, both included) in order: claims accepted in it
   * with their first settlement, and the versions corrections made in it (order-index.ts).
   */
  hospitalSettlements(hospitalId: string, from: string, to: string): AsyncGenerator<StoredSettlement> {
    return this.order.hospitalEntries(hospitalId, from, to);
  }

  /** @deprecated The name of {@link hospitalSettlements} before the index was in order of entry; kept for the national gateway's callers. */
  hospitalDischarges(hospitalId: string, from: string, to: string): AsyncGenerator<StoredSettlement> {
    return this.hospitalSettlements(hospitalId, from, to);
  }

  /** One page of a hospital's settlement feed (order-index.ts, `feedPage`). */
  hospitalFeedPage(hospitalId: string, after: FeedPosition | undefined, until: string, limit: number): Promise<FeedPage> {
    return this.order.feedPage(hospitalId, after, until, limit);
  }

  /**
   * The stored settlement, member, hospital and year totals of a claim in one consistent BatchGetItem
   * (one round trip instead of four: DynamoDB calls are what limits throughput).
   */
  async readForSettlement(hospitalId: string, claimId: string, memberId: string, year: number): Promise<SettlementInputs> {
    const [claimKey, memberItemKey, hospitalItemKey, yearKey] = [settlementKey(hospitalId, claimId), memberKey(memberId), hospitalKey(hospitalId), totalsKey(memberId, year)];
    const found = await this.table.batchGet([claimKey, memberItemKey, hospitalItemKey, yearKey], true);
    const claim = found.get(claimKey);
    const totals = found.get(yearKey);
    return {
      existing: isQueued(claim) ? undefined : await this.currentOf(claim as DbItem),
      member: jsonOf<RegistryMember>(found.get(memberItemKey)),
      hospital: jsonOf<RegistryHospital>(found.get(hospitalItemKey)),
      totals: readTotalsItem(totals === undefined ? undefined : asItem(totals)),
    };
  }

  /** The member's totals for the year, their version and the chain's end, read consistently. */
  async getTotals(memberId: string, year: number): Promise<VersionedTotals> {
    const item = await this.table.get(totalsKey(memberId, year), true);
    return readTotalsItem(item === undefined ? undefined : asItem(item));
  }

  /** A claim's item as stored (consistent), or undefined. */
  getClaimItem(key: string): Promise<DbItem | undefined> {
    return this.table.get(key, true);
  }

  /** The current settlement of a claim's item: its own (version 1) or the version it points at. */
  async currentOf(item: DbItem): Promise<StoredSettlement> {
    const { current } = versionsOf(asItem(item));
    if (current === 1) return readSettlementItem(asItem(item));
    const { hospitalId, claimId } = parseSettlementKey(item[ATTR.key]?.S ?? '');
    const version = await this.table.get(revisionKey(hospitalId, claimId, current), true);
    if (!version) throw new TypeError(`claim ${claimId} of hospital ${hospitalId} points at version ${current}, which is missing`);
    return readSettlementItem(asItem(version));
  }

  /** The current settlement of a claim, read consistently, or undefined (never accepted, or still queued). */
  async getSettlement(hospitalId: string, claimId: string): Promise<StoredSettlement | undefined> {
    const item = await this.table.get(settlementKey(hospitalId, claimId), true);
    return isQueued(item) ? undefined : this.currentOf(item as DbItem);
  }

  /** Every version of a claim's settlement, first to current, or an empty list. */
  async getVersions(hospitalId: string, claimId: string): Promise<StoredSettlement[]> {
    const item = await this.table.get(settlementKey(hospitalId, claimId), true);
    return isQueued(item) ? [] : this.versionsOfItem(item as DbItem);
  }

  /** Every version of a settled claim's item, first to current (consistent reads). */
  async versionsOfItem(item: DbItem): Promise<StoredSettlement[]> {
    const { current } = versionsOf(asItem(item));
    const { hospitalId, claimId } = parseSettlementKey(item[ATTR.key]?.S ?? '');
    const keys = Array.from({ length: current - 1 }, (_, i) => revisionKey(hospitalId, claimId, i + 2));
    const found = await this.table.batchGet(keys, true);
    const later = keys.map((key) => found.get(key)).filter((v): v is DbItem => v !== undefined);
    return [readSettlementItem(asItem(item)), ...later.map((v) => readSettlementItem(asItem(v)))];
  }

  /**
   * The content a settled claim's current version was settled from (registry facts applied): its own,
   * or a replacement's. Undefined for settlements stored before contents were kept.
   */
  async contentOf(item: DbItem): Promise<Claim | undefined> {
    const { content } = versionsOf(asItem(item));
    if (content === 1) return readContent(asItem(item));
    const { hospitalId, claimId } = parseSettlementKey(item[ATTR.key]?.S ?? '');
    const version = await this.table.get(revisionKey(hospitalId, claimId, content), true);
    return version ? readContent(asItem(version)) : undefined;
  }

  /**
   * Makes `end.last` the member-year's last claim with the totals after it: one put of the totals item
   * conditioned on the version read (absent for version 0).
   * @returns false when the version moved since it was read (nothing written).
   */
  async writeTotals(memberId: string, year: number, read: VersionedTotals, totals: YearToDate, end: ChainEnd): Promise<boolean> {
    const item = totalsItem(memberId, year, totals, read.version + 1, end);
    return this.table.putIf({
      Item: asDb(item),
      ConditionExpression: read.version === 0 ? 'attribute_not_exists(#pk)' : '#v = :read',
      ExpressionAttributeNames: read.version === 0 ? { '#pk': ATTR.key } : { '#v': ATTR.version },
      ...(read.version === 0 ? {} : { ExpressionAttributeValues: { ':read': { N: String(read.version) } } }),
    });
  }

  /**
   * Turns a claim's accepted record into its settlement (or creates it where no record exists): every
   * attribute of `settlement` set, the hash and index keys kept. Conditioned on no settlement being
   * there yet. @returns `duplicate` when the claim was settled meanwhile (nothing written).
   */
  async writeSettlement(key: string, settlement: Item): Promise<'written' | 'duplicate'> {
    const names: Record<string, string> = { '#pk': ATTR.key, '#st': ATTR.status };
    const values: DbItem = { ':queued': { S: QUEUED } };
    const sets = Object.entries(settlement).map(([name, value], i) => {
      names[`#a${i}`] = name;
      values[`:a${i}`] = value as AttributeValue;
      return `#a${i} = :a${i}`;
    });
    const written = await this.table.updateIf({
      Key: { [ATTR.key]: { S: key } },
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: 'attribute_not_exists(#pk) OR #st = :queued',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
    return written ? 'written' : 'duplicate';
  }

  /**
   * The member-year's chain from its last claim back to `stopAt` (included; the whole chain when
   * absent), in ledger order: one consistent read per claim, following each claim's previous key.
   */
  async chainOf(totals: VersionedTotals, stopAt?: string): Promise<ChainLink[]> {
    const links: ChainLink[] = [];
    let key = totals.last;
    let previous = totals.lastPrevious;
    while (key !== undefined) {
      const item = await this.table.get(key, true);
      if (!item) throw new TypeError(`the chain names claim ${key}, which is missing`);
      // The last claim may be unfinished (still queued): the totals item holds its previous key.
      const link = item[ATTR.previous]?.S ?? (key === totals.last ? previous : undefined);
      links.push({ key, item, ...(link ? { previous: link } : {}) });
      if (key === stopAt) break;
      key = link;
      previous = undefined;
    }
    if (stopAt !== undefined && links.at(-1)?.key !== stopAt) throw new TypeError(`claim ${stopAt} is not in the chain`);
    return links.reverse();
  }

  /** A member's settlements of one insurance year, in ledger order (the order they were first settled), current versions. */
  async listMemberYear(memberId: string, year: number): Promise<StoredSettlement[]> {
    const chain = await this.chainOf(await this.getTotals(memberId, year));
    const settled = chain.filter((link) => !isQueued(link.item));
    return Promise.all(settled.map((link) => this.currentOf(link.item)));
  }

  /** Current settlements by claim key (eventually consistent), through the shared batch read with its retries. */
  async batchGetSettlements(keys: readonly string[]): Promise<Map<string, StoredSettlement>> {
    const found = new Map<string, StoredSettlement>();
    for (const item of (await this.table.batchGet(keys)).values()) {
      if (isQueued(item)) continue;
      const stored = await this.currentOf(item);
      found.set(stored.key, stored);
    }
    return found;
  }
}
