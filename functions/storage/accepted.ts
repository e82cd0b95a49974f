/**
 * Accepted claims: the intake's record that it queued a claim, so an accepted claim can always be
 * told from one never sent, and one whose message was lost can be found and queued again.
 *
 * The record is the claim's settlement item in waiting (key hospital id + claim id): the intake puts
 * it with status `queued`, the SHA-256 of the claim's canonical JSON, the acceptance time and hour
 * bucket (the keys of the sparse `byAcceptedHour` index) and the claim body; the settle path turns the
 * same item into the settlement, keeping hash and acceptance keys and dropping the body. So a settled
 * claim costs one extra small write (the accepted put) and one index entry written once, never a
 * second item to settle or delete. docs/storage.md, "Accepted claims and the sweeper", has the
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
import { claimFailureKey, parseSettlementKey, prefixOf, settlementKey } from './keys.js';
import { ACCEPTED_INDEX, ATTR } from './table.js';

/** The status of an accepted claim not yet settled. */
export const QUEUED = 'queued';

/** Shards of an acceptance hour: spreads one hour's index writes over several index partitions. */
export const ACCEPTED_SHARDS = 4;

/** SHA-256 of the claim's canonical JSON: "the same claim sent again" means the same hash. */
export function claimHash(claim: Claim): Uint8Array {
  return createHash('sha256').update(canonicalClaimJson(claim)).digest();
}

/** The acceptance index partition of a time and claim key: `YYYY-MM-DDTHH#shard`. */
export function acceptedBucket(at: string, key: string): string {
  const shard = createHash('sha256').update(key).digest()[0]! % ACCEPTED_SHARDS;
  return `${at.slice(0, 13)}#${shard}`;
}

/** The partitions of every hour from `from` to `to` (ISO times, both included). */
export function bucketsBetween(from: string, to: string): string[] {
  const buckets: string[] = [];
  for (let hour = Date.parse(`${from.slice(0, 13)}:00:00.000Z`); hour <= Date.parse(to); hour += 3_600_000) {
    const prefix = new Date(hour).toISOString().slice(0, 13);
    for (let shard = 0; shard < ACCEPTED_SHARDS; shard++) buckets.push(`${prefix}#${shard}`);
  }
  return buckets;
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
    [ATTR.acceptedBucket]: { S: acceptedBucket(at, key) },
    [ATTR.claimBody]: { B: compressJson(rawClaim) },
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
   * The claims accepted after `after` and at or before `upTo` (ISO times) that are still queued,
   * with whether a failure reason is stored for each: one query per hour shard of the sparse
   * acceptance index (keys only), then consistent batch reads of the records and their failure keys.
   */
  async queuedBetween(after: string, upTo: string): Promise<QueuedClaim[]> {
    const keys: string[] = [];
    for (const bucket of bucketsBetween(after, upTo)) {
      const pages = this.table.queryPages({
        IndexName: ACCEPTED_INDEX.name,
        KeyConditionExpression: '#ab = :ab AND #at BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#ab': ATTR.acceptedBucket, '#at': ATTR.acceptedAt },
        ExpressionAttributeValues: { ':ab': { S: bucket }, ':from': { S: after }, ':to': { S: upTo } },
      });
      for await (const page of pages) {
        for (const item of page) {
          const key = keyOf(item);
          if (key !== undefined && item[ATTR.acceptedAt]?.S !== after) keys.push(key);
        }
      }
    }
    const claims = keys.map((key) => ({ key, ...parseSettlementKey(key) }));
    const found = await this.table.batchGet(
      claims.flatMap((c) => [c.key, claimFailureKey(c.hospitalId, c.claimId)]),
      true,
    );
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
    return queued;
  }

  /**
   * Moves a queued claim to a new acceptance time after the sweeper queued it again, so the next
   * sweeps look at it once more only if it is still not settled later. Nothing when it settled meanwhile.
   */
  async requeued(hospitalId: string, claimId: string, at: string): Promise<void> {
    const key = settlementKey(hospitalId, claimId);
    try {
      await this.table.db.send(
        new UpdateItemCommand({
          TableName: this.table.name,
          Key: { [ATTR.key]: { S: key } },
          UpdateExpression: 'SET #at = :at, #ab = :ab',
          ConditionExpression: '#st = :queued',
          ExpressionAttributeNames: { '#at': ATTR.acceptedAt, '#ab': ATTR.acceptedBucket, '#st': ATTR.status },
          ExpressionAttributeValues: { ':at': { S: at }, ':ab': { S: acceptedBucket(at, key) }, ':queued': { S: QUEUED } },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
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
