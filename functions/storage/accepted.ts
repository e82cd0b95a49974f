/**
 * Accepted claims: the intake's record that it queued a claim, so an accepted claim can always be
 * told from one never sent, and one whose message was lost can be found and queued again.
 *
 * The record is the claim's settlement item in waiting (key hospital id + claim id): the intake puts
 * it with status `queued`, the SHA-256 of the claim's canonical JSON, the acceptance time, its
 * order index keys (hour and shard of the hospital; hospital, time, key) and the claim (without the
 * patient's name); the settle path turns the same item into the settlement, keeping hash and index
 * keys. So a claim's item and its one index entry are written once at the door, and settling writes
 * no second item and no index entry. docs/storage.md, "Accepted claims and the sweeper", has the
 * reasoning and the costs.
 */
import { createHash } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { canonicalClaimJson } from '../../shared/contract/canonical.js';
import type { Claim } from '../../shared/contract/claim.js';
import { compressJson, decompressJson } from './compression.js';
import { type DbItem, Table, asDb, keyOf } from './dynamo.js';
import type { Item } from './item-size.js';
import { CORRECTIONS_PARTITION, HOSPITAL_DIRECTORY_KEY, claimFailureKey, orderKey, parseMemberYearTag, parseSettlementKey, prefixOf, settlementKey } from './keys.js';
import { ATTR, ORDER_INDEX } from './table.js';

/** The status of an accepted claim not yet settled. */
export const QUEUED = 'queued';

/** SHA-256 of the claim's canonical JSON: "the same claim sent again" means the same hash. */
export function claimHash(claim: Claim): Uint8Array {
  return createHash('sha256').update(canonicalClaimJson(claim)).digest();
}

/** The claim as sent, without the patient's name (settlement never reads it; it is not kept at rest). */
function withoutName(rawClaim: unknown): unknown {
  const raw = rawClaim as { member?: Record<string, unknown> } | null;
  if (typeof raw !== 'object' || raw === null || typeof raw.member !== 'object' || raw.member === null || !('name' in raw.member)) return rawClaim;
  const { name: _name, ...member } = raw.member;
  return { ...raw, member };
}

/** What the store knows of a claim key: accepted and waiting, or settled (the settlement store reads those). */
export interface ClaimRecord {
  readonly status: string;
  /** Absent on settlements written before accepted records existed. */
  readonly hash?: Uint8Array;
  readonly acceptedAt?: string;
}

/** A claim accepted and not yet settled, as the sweeper re-queues it. */
export interface QueuedClaim {
  readonly hospitalId: string;
  readonly claimId: string;
  readonly acceptedAt: string;
  /** The claim as it was queued (JSON text). */
  readonly body: string;
  /** Whether a failure reason is stored for it (a poison or dead-lettered claim: not re-queued). */
  readonly failed: boolean;
}

/** What a sweep found waiting: claims still queued, member-years with a correction still pending. */
export interface StaleEntries {
  readonly queued: readonly QueuedClaim[];
  readonly corrections: readonly { readonly memberId: string; readonly year: number }[];
}

/** The time in an order index sort key (`{owner}#{time}#{key}`; a pending correction's starts with `#`). */
export function timeOfOrder(order: string): string {
  const start = order.indexOf('#') + 1;
  return order.slice(start, order.indexOf('#', start));
}

/** The outcome of `accept`: a new record, or the record already under that key. */
export type AcceptOutcome = { readonly kind: 'accepted' } | { readonly kind: 'exists'; readonly record: ClaimRecord };

const recordOf = (item: DbItem): ClaimRecord => {
  const hash = item[ATTR.claimHash]?.B;
  const acceptedAt = item[ATTR.acceptedAt]?.S;
  return { status: item[ATTR.status]?.S ?? '', ...(hash ? { hash } : {}), ...(acceptedAt ? { acceptedAt } : {}) };
};

/** Whether two claim hashes are the same bytes. */
export const sameHash = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

/** The accepted record of a claim: what the intake puts before it queues the claim. */
export function acceptedItem(claim: Claim, rawClaim: unknown, at: string): Item {
  const key = settlementKey(claim.hospital.id, claim.claimId);
  return {
    [ATTR.key]: { S: key },
    [ATTR.status]: { S: QUEUED },
    [ATTR.claimHash]: { B: claimHash(claim) },
    [ATTR.acceptedAt]: { S: at },
    [ATTR.hospital]: { S: claim.hospital.id },
    [ATTR.order]: { S: orderKey(at, key) },
    [ATTR.claimBody]: { B: compressJson(withoutName(rawClaim)) },
  };
}

export class AcceptedStore {
  private readonly table: Table;

  constructor(db: DynamoDBClient, tableName: string) {
    this.table = new Table(db, tableName);
  }

  /**
   * Records that a claim is accepted, if nothing is stored under its key yet (one conditional put):
   * otherwise the record already there, read back with the failed condition.
   */
  async accept(item: Item): Promise<AcceptOutcome> {
    try {
      await this.table.db.send(
        new PutItemCommand({
          TableName: this.table.name,
          Item: asDb(item),
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': ATTR.key },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { kind: 'accepted' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const key = (item[ATTR.key] as { S: string }).S;
      const existing = (error.Item as DbItem | undefined) ?? (await this.table.get(key, true));
      // Deleted between the failed put and the read (never done today): treat as accepted by the caller's retry.
      if (!existing) return this.accept(item);
      return { kind: 'exists', record: recordOf(existing) };
    }
  }

  /** What is stored under a claim's key (read consistently), or undefined when it was never accepted. */
  async get(hospitalId: string, claimId: string): Promise<ClaimRecord | undefined> {
    const item = await this.table.get(settlementKey(hospitalId, claimId), true);
    return item ? recordOf(item) : undefined;
  }

  /**
   * What entered the order index after `after` and at or before `upTo` (ISO times) and is still
   * waiting: claims still queued (with whether a failure reason is stored for each) and member-years
   * with a correction still pending. One query per hour shard of the order index (keys only; the time
   * is read from the sort key), then consistent batch reads of the items and the claims' failure keys.
   */
  async staleBetween(after: string, upTo: string): Promise<StaleEntries> {
    const keys: string[] = [];
    for (const partition of [CORRECTIONS_PARTITION, ...(await this.hospitals())]) {
      const pages = this.table.queryPages({
        IndexName: ORDER_INDEX.name,
        KeyConditionExpression: '#h = :h AND #ao BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#h': ATTR.hospital, '#ao': ATTR.order },
        // '#' sorts before every character of a key, '~' after: the window (after, upTo].
        ExpressionAttributeValues: { ':h': { S: partition }, ':from': { S: `${after}~` }, ':to': { S: `${upTo}~` } },
      });
      for await (const page of pages) {
        for (const item of page) {
          const key = keyOf(item);
          if (key !== undefined && !key.startsWith(prefixOf('revision'))) keys.push(key);
        }
      }
    }
    const claims = keys.filter((key) => key.startsWith(prefixOf('settlement'))).map((key) => ({ key, ...parseSettlementKey(key) }));
    const totals = keys.filter((key) => key.startsWith(prefixOf('totals')));
    const found = await this.table.batchGet([...claims.flatMap((c) => [c.key, claimFailureKey(c.hospitalId, c.claimId)]), ...totals], true);
    const queued: QueuedClaim[] = [];
    for (const c of claims) {
      const item = found.get(c.key);
      const body = item?.[ATTR.claimBody]?.B;
      if (item?.[ATTR.status]?.S !== QUEUED || body === undefined) continue;
      queued.push({
        hospitalId: c.hospitalId,
        claimId: c.claimId,
        acceptedAt: item[ATTR.acceptedAt]?.S ?? '',
        body: JSON.stringify(decompressJson<unknown>(body)),
        failed: found.has(claimFailureKey(c.hospitalId, c.claimId)),
      });
    }
    const corrections = totals
      .filter((key) => found.get(key)?.[ATTR.pendingCorrection] !== undefined)
      .map((key) => parseMemberYearTag(key.slice(prefixOf('totals').length)));
    return { queued, corrections };
  }

  /**
   * Moves a queued claim to a new acceptance time after the sweeper queued it again, so the next
   * sweeps look at it once more only if it is still not settled later (its index entry moves with
   * it: two index writes, for a claim that was stuck). Nothing when it settled meanwhile.
   */
  async requeued(hospitalId: string, claimId: string, at: string): Promise<void> {
    const key = settlementKey(hospitalId, claimId);
    try {
      await this.table.db.send(
        new UpdateItemCommand({
          TableName: this.table.name,
          Key: { [ATTR.key]: { S: key } },
          UpdateExpression: 'SET #at = :at, #ao = :ao',
          ConditionExpression: '#st = :queued',
          ExpressionAttributeNames: { '#at': ATTR.acceptedAt, '#ao': ATTR.order, '#st': ATTR.status },
          ExpressionAttributeValues: { ':at': { S: at }, ':ao': { S: orderKey(at, key) }, ':queued': { S: QUEUED } },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /**
   * The hospitals whose order the sweeper reads: the directory the registry load keeps
   * (`addHospitals`), one item of their ids.
   */
  async hospitals(): Promise<string[]> {
    return (await this.table.getJson<string[]>(HOSPITAL_DIRECTORY_KEY, true)) ?? [];
  }

  /** Adds hospitals to the sweeper's directory (the registry load calls it with every hospital it writes). */
  async addHospitals(ids: readonly string[]): Promise<void> {
    const known = new Set(await this.hospitals());
    if (ids.every((id) => known.has(id))) return;
    for (const id of ids) known.add(id);
    await this.table.putJson(HOSPITAL_DIRECTORY_KEY, [...known].sort());
  }

  /** The sweeper's watermark: every claim accepted at or before it has been looked at. */
  async watermark(): Promise<string | undefined> {
    return (await this.table.getJson<{ upTo: string }>(SWEEP_WATERMARK_KEY, true))?.upTo;
  }

  /** Moves the watermark (only after a sweep checked everything up to it). */
  async setWatermark(upTo: string): Promise<void> {
    await this.table.putJson(SWEEP_WATERMARK_KEY, { upTo });
  }
}

/** Where the sweeper keeps its watermark. */
export const SWEEP_WATERMARK_KEY = `${prefixOf('sweeper')}sweeper`;
