/**
 * Reading the order index (`byOrderHour`, functions/storage/table.ts): one hospital's items in the
 * order they entered the table (claims when accepted, versions when their correction was made),
 * hour by hour, one key range of one index partition per hour. It serves the settlement feed and the
 * hospital statements and reconciliation. docs/storage.md, "The order index", has the reasoning.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { QUEUED } from './accepted.js';
import { type DbItem, Table, asItem, keyOf } from './dynamo.js';
import { type StoredSettlement, claimKeyOf, readSettlementItem } from './items.js';
import { claimFailureKey, orderBucket, orderPrefix, parseSettlementKey } from './keys.js';
import { ATTR, ORDER_INDEX } from './table.js';

/** A place in a hospital's order: an index entry's sort key and item key (empty key: the start of an hour). */
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
  /** Where to resume: after the page's last entry, or the hour the walk reached. */
  readonly last: FeedPosition | undefined;
  /** True when entries are known to be waiting after the page (a full page, or a claim not settled yet). */
  readonly more: boolean;
}

/** Hours one feed request walks at most: an idle hospital's feed moves on a day per request. */
export const FEED_HOURS_PER_REQUEST = 24;
/** Index page size: one BatchGetItem per page. */
const PAGE = 100;
const HOUR_MS = 3_600_000;

const hourStart = (iso: string): number => Date.parse(`${iso.slice(0, 13)}:00:00.000Z`);

export class OrderIndex {
  private readonly table: Table;

  constructor(db: DynamoDBClient, tableName: string) {
    this.table = new Table(db, tableName);
  }

  /** The index entries of one hospital in one hour after `after` (a sort key) and before `until` (a time), in order. */
  private async hourEntries(hospitalId: string, hour: number, after: string | undefined, until: string): Promise<FeedPosition[]> {
    const at = new Date(hour).toISOString();
    const prefix = orderPrefix(hospitalId);
    const positions: FeedPosition[] = [];
    const pages = this.table.queryPages({
      IndexName: ORDER_INDEX.name,
      KeyConditionExpression: '#ab = :ab AND begins_with(#ao, :prefix)',
      ExpressionAttributeNames: { '#ab': ATTR.acceptedBucket, '#ao': ATTR.order },
      ExpressionAttributeValues: { ':ab': { S: orderBucket(at, hospitalId) }, ':prefix': { S: prefix } },
    });
    for await (const page of pages) {
      for (const item of page) {
        const order = item[ATTR.order]?.S;
        const key = keyOf(item);
        if (order === undefined || key === undefined) continue;
        if (after !== undefined && order <= after) continue;
        if (order.slice(prefix.length) >= until) continue;
        positions.push({ order, key });
      }
    }
    return positions;
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
   * One page of a hospital's feed: the entries after `after` that entered before `until` (a time),
   * at most `limit`, walking at most FEED_HOURS_PER_REQUEST hours from `after` (or from `start` when
   * no cursor is given). The page stops before the first claim not yet settled or failed.
   */
  async feedPage(hospitalId: string, after: FeedPosition | undefined, start: string, until: string, limit: number): Promise<FeedPage> {
    const prefix = orderPrefix(hospitalId);
    const fromTime = after ? after.order.slice(prefix.length, prefix.length + 24) : start;
    const lastHour = Math.min(hourStart(fromTime) + (FEED_HOURS_PER_REQUEST - 1) * HOUR_MS, hourStart(until));
    const entries: OrderEntry[] = [];
    let last = after;
    for (let hour = hourStart(fromTime); hour <= lastHour; hour += HOUR_MS) {
      const positions = await this.hourEntries(hospitalId, hour, last?.order, until);
      for (let i = 0; i < positions.length; i += PAGE) {
        const room = limit - entries.length;
        const chunk = positions.slice(i, i + Math.min(PAGE, room));
        const read = await this.entriesOf(chunk);
        entries.push(...read.entries);
        if (read.entries.length > 0) last = read.entries.at(-1)!.position;
        if (read.blocked || entries.length >= limit) return { entries, last, more: true };
      }
      // The hour is done: a cursor resumes after it even when it held nothing of this hospital.
      const hourEnd = `${prefix}${new Date(hour + HOUR_MS - 1).toISOString()}~`;
      if (hour < lastHour || hour + HOUR_MS <= Date.parse(until)) last = { order: hourEnd, key: '' };
    }
    return { entries, last, more: lastHour < hourStart(until) };
  }

  /**
   * A hospital's entries from `from` to `to` (UTC dates, both included) in order, streamed: claims
   * accepted in the period with their first settlement, and versions made in the period, one index
   * hour and one BatchGetItem at a time. Claims not settled yet are left out (a statement is asked of
   * a closed period).
   */
  async *hospitalEntries(hospitalId: string, from: string, to: string): AsyncGenerator<StoredSettlement> {
    const end = Date.parse(`${to}T23:00:00.000Z`);
    for (let hour = Date.parse(`${from}T00:00:00.000Z`); hour <= end; hour += HOUR_MS) {
      const positions = await this.hourEntries(hospitalId, hour, undefined, '~');
      for (let i = 0; i < positions.length; i += PAGE) {
        const found = await this.table.batchGet(positions.slice(i, i + PAGE).map((p) => p.key));
        for (const position of positions.slice(i, i + PAGE)) {
          const item = found.get(position.key);
          if (item && item[ATTR.status]?.S !== QUEUED) yield readSettlementItem(asItem(item));
        }
      }
    }
  }
}

/** The claim key of a feed position (a version's position names its claim). */
export const claimOfPosition = (position: FeedPosition): string => claimKeyOf(position.key);

export type { DbItem };
