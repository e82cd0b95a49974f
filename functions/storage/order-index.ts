/**
 * Reading the order index (`byOrderHour`, functions/storage/table.ts): one hospital's items in the
 * order they entered the table (claims when accepted, versions when their correction was made): one
 * key range of the hospital's index partition. It serves the settlement feed and the
 * hospital statements and reconciliation. docs/storage.md, "The order index", has the reasoning.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { QUEUED } from './accepted.js';
import { type DbItem, Table, asItem, keyOf } from './dynamo.js';
import { type StoredSettlement, claimKeyOf, readSettlementItem } from './items.js';
import { claimFailureKey, parseSettlementKey } from './keys.js';
import { ATTR, ORDER_INDEX } from './table.js';

/** A place in a hospital's order: an index entry's sort key and item key. */
export interface FeedPosition {
  readonly order: string;
  readonly key: string;
}

/** One entry of a hospital's order as the feed serves it: a settlement version, or a claim that failed. */
export type OrderEntry =
  | { readonly kind: 'settlement'; readonly position: FeedPosition; readonly settlement: StoredSettlement }
  | { readonly kind: 'failed'; readonly position: FeedPosition; readonly hospitalId: string; readonly claimId: string; readonly failure: Readonly<Record<string, unknown>> };

/** One page of the settlement feed. */
export interface FeedPage {
  readonly entries: readonly OrderEntry[];
  /** Where to resume: after the page's last entry (where the caller was, on an empty page). */
  readonly last: FeedPosition | undefined;
  /** True when entries are known to be waiting after the page (a full page, or a claim not settled yet). */
  readonly more: boolean;
}

/** Index page size: one BatchGetItem per page. */
const PAGE = 100;

export class OrderIndex {
  private readonly table: Table;

  constructor(db: DynamoDBClient, tableName: string) {
    this.table = new Table(db, tableName);
  }

  /** The items of positions, with the failure reasons of claims still queued (consistent reads). */
  private async entriesOf(positions: readonly FeedPosition[]): Promise<{ entries: OrderEntry[]; blocked: boolean }> {
    const found = await this.table.batchGet(positions.map((p) => p.key), true);
    const queued = positions.filter((p) => found.get(p.key)?.[ATTR.status]?.S === QUEUED).map((p) => parseSettlementKey(p.key));
    const failures = await this.table.batchGet(queued.map((c) => claimFailureKey(c.hospitalId, c.claimId)), true);
    const entries: OrderEntry[] = [];
    for (const position of positions) {
      const item = found.get(position.key);
      if (!item) continue;
      if (item[ATTR.status]?.S !== QUEUED) {
        entries.push({ kind: 'settlement', position, settlement: readSettlementItem(asItem(item)) });
        continue;
      }
      const { hospitalId, claimId } = parseSettlementKey(position.key);
      const failure = failures.get(claimFailureKey(hospitalId, claimId))?.['data']?.S;
      // A claim neither settled nor failed yet: the order stops here, so no outcome is ever skipped.
      if (failure === undefined) return { entries, blocked: true };
      entries.push({ kind: 'failed', position, hospitalId, claimId, failure: JSON.parse(failure) as Record<string, unknown> });
    }
    return { entries, blocked: false };
  }

  /**
   * One page of a hospital's feed: the entries after `after` (from the start when absent) that
   * entered before `until` (a time), at most `limit`, in order: one Query of the index and one
   * BatchGetItem. The page stops before the first claim not yet settled or failed.
   */
  async feedPage(hospitalId: string, after: FeedPosition | undefined, until: string, limit: number): Promise<FeedPage> {
    const out = await this.table.queryPage({
      IndexName: ORDER_INDEX.name,
      KeyConditionExpression: '#h = :h AND #ao < :until',
      ExpressionAttributeNames: { '#h': ATTR.hospital, '#ao': ATTR.order },
      ExpressionAttributeValues: { ':h': { S: hospitalId }, ':until': { S: until } },
      Limit: limit,
      ...(after ? { ExclusiveStartKey: { [ATTR.key]: { S: after.key }, [ATTR.hospital]: { S: hospitalId }, [ATTR.order]: { S: after.order } } } : {}),
    });
    const positions = out.items
      .map((item) => ({ key: keyOf(item), order: item[ATTR.order]?.S }))
      .filter((p): p is FeedPosition => p.key !== undefined && p.order !== undefined);
    const read = await this.entriesOf(positions);
    return { entries: read.entries, last: read.entries.at(-1)?.position ?? after, more: out.more || read.blocked };
  }

  /**
   * A hospital's entries from `from` to `to` (UTC dates, both included) in order, streamed: claims
   * accepted in the period with their first settlement, and versions made in the period; one index
   * page of 100 keys and one BatchGetItem at a time, never a scan. Claims not settled yet are left
   * out (a statement is asked of a closed period).
   */
  async *hospitalEntries(hospitalId: string, from: string, to: string): AsyncGenerator<StoredSettlement> {
    const pages = this.table.queryPages({
      IndexName: ORDER_INDEX.name,
      KeyConditionExpression: '#h = :h AND #ao BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#h': ATTR.hospital, '#ao': ATTR.order },
      // '~' sorts after every character of an ISO instant, so the whole of day `to` is included.
      ExpressionAttributeValues: { ':h': { S: hospitalId }, ':from': { S: from }, ':to': { S: `${to}~` } },
      Limit: PAGE,
    });
    for await (const page of pages) {
      const keys = page.map(keyOf).filter((key): key is string => key !== undefined);
      const found = await this.table.batchGet(keys);
      for (const key of keys) {
        const item = found.get(key);
        if (item && item[ATTR.status]?.S !== QUEUED) yield readSettlementItem(asItem(item));
      }
    }
  }
}

/** The claim key of a feed position (a version's position names its claim). */
export const claimOfPosition = (position: FeedPosition): string => claimKeyOf(position.key);

export type { DbItem };
