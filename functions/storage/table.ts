/**
 * The table's definition: attribute names, the index, and the `CreateTable` input. The CDK
 * stack (infra/storage.ts) and the local stack both read it from here, so the deployed table cannot
 * drift from what the handlers query.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/** Attribute names. */
export const ATTR = {
  key: 'pk',
  hospital: 'h',
  /** The member-year a settled claim belongs to (`{memberId}#{year}`, percent-encoded): plain data, no index. */
  memberYear: 'my',
  discharged: 'd',
  status: 'st',
  payload: 'p',
  reversedAt: 'ra',
  version: 'v',
  totals: 't',
  /** Accepted claims: SHA-256 of the claim's canonical JSON, when accepted, the order bucket, the claim content. */
  claimHash: 'ch',
  acceptedAt: 'at',
  acceptedBucket: 'ab',
  claimBody: 'c',
  /** The order index's sort key: `{at}#{pk}` (docs/storage.md, "The order index"). */
  order: 'ao',
  /** The member-year chain: the previous claim's key on a claim, the last claim's key on the totals. */
  previous: 'pv',
  last: 'l',
  /** The totals before the last claim of the chain (so an unfinished last claim can be finished). */
  lastBefore: 'lb',
  /** A claim's current settlement version (absent: 1) and the version whose content is current (absent: 1). */
  currentVersion: 'cv',
  contentVersion: 'cc',
  /** A pending correction on the totals item (docs/storage.md, "Corrections"). */
  pendingCorrection: 'pc',
  /** Registry members: the name and ID number, each an Encryption SDK message (functions/storage/field-crypto.ts). */
  personName: 'pn',
  personIdNumber: 'pi',
} as const;

/**
 * The one index: every item a hospital or the sweeper reads in bulk, in the order it entered the
 * table (a claim when it was accepted, a settlement version when its correction was made).
 * Partition `h` = the hospital id (pending corrections: CORRECTIONS_PARTITION), sort `ao` =
 * `{time}#{pk}`. Its keys are written once, with the item, and never change on settlement, so
 * settling a claim writes no index entry. It serves the settlement feed and the hospital statements
 * (one key range of one partition) and the sweeper (each hospital's range since its watermark).
 * docs/storage.md, "The order index", has the reasoning.
 */
export const ORDER_INDEX = { name: 'byHospitalOrder', partition: ATTR.hospital, sort: ATTR.order } as const;
/** Every index of the table, in the order CreateTable lists them. */
export const TABLE_INDEXES = [ORDER_INDEX] as const;


/**
 * One table, partition key `pk` only, on-demand billing, one keys-only global secondary index:
 * keys-only keeps each index entry about 150 bytes (one write unit), written once per item.
 */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: ATTR.key, AttributeType: 'S' },
      { AttributeName: ATTR.hospital, AttributeType: 'S' },
      { AttributeName: ATTR.order, AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: ATTR.key, KeyType: 'HASH' }],
    GlobalSecondaryIndexes: TABLE_INDEXES.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partition, KeyType: 'HASH' as const },
        { AttributeName: index.sort, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' as const },
    })),
  };
}
