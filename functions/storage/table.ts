/**
 * The table's definition: attribute names, the two indexes, and the `CreateTable` input. The CDK
 * stack (infra/storage.ts) and the local stack both read it from here, so the deployed table cannot
 * drift from what the handlers query.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/** Attribute names, and the two global secondary indexes over settlement items. */
export const ATTR = {
  key: 'pk',
  hospital: 'h',
  memberYear: 'my',
  discharged: 'd',
  /** settledAt ISO + '#' + the claim key: unique per item and in settlement order (the feed's and statements' sort key). */
  settledOrder: 'so',
  status: 'st',
  payload: 'p',
  reversedAt: 'ra',
  version: 'v',
  totals: 't',
  /** Accepted claims: SHA-256 of the claim's canonical JSON, when accepted, the acceptance bucket, the queued body. */
  claimHash: 'ch',
  acceptedAt: 'at',
  acceptedBucket: 'ab',
  claimBody: 'c',
  /** Registry members: the name and ID number, each an Encryption SDK message (functions/storage/field-crypto.ts). */
  personName: 'pn',
  personIdNumber: 'pi',
} as const;

/** Settlements of a member in an insurance year, by discharge date (`GET /members/{id}/years/{year}`). */
export const MEMBER_YEAR_INDEX = { name: 'byMemberYear', partition: ATTR.memberYear, sort: ATTR.discharged } as const;
/**
 * Settlements of a hospital in settlement order (the settlement feed, hospital statements and
 * reconciliation, which select by settlement period). One index serves all three: a second one by
 * discharge date would cost another write unit per claim. Accepted records carry no `so`, so only
 * settlements have entries here.
 */
export const HOSPITAL_SETTLED_INDEX = { name: 'byHospitalSettled', partition: ATTR.hospital, sort: ATTR.settledOrder } as const;
/**
 * Claims by the hour (and shard) they were accepted, then acceptance time: the sweeper's listing of
 * what was accepted in a window (docs/storage.md, "Accepted claims and the sweeper"). Its keys are
 * written once, by the intake; the settlement keeps them, so settling writes no entry here.
 */
export const ACCEPTED_INDEX = { name: 'byAcceptedHour', partition: ATTR.acceptedBucket, sort: ATTR.acceptedAt } as const;
/** Every index of the table, in the order CreateTable lists them. */
export const TABLE_INDEXES = [MEMBER_YEAR_INDEX, HOSPITAL_SETTLED_INDEX, ACCEPTED_INDEX] as const;


/**
 * One table, partition key `pk` only, on-demand billing. Two keys-only global secondary indexes over
 * settlement items: keys-only keeps each index entry about 200 bytes (one write unit) per claim.
 */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: ATTR.key, AttributeType: 'S' },
      { AttributeName: ATTR.memberYear, AttributeType: 'S' },
      { AttributeName: ATTR.hospital, AttributeType: 'S' },
      { AttributeName: ATTR.discharged, AttributeType: 'S' },
      { AttributeName: ATTR.settledOrder, AttributeType: 'S' },
      { AttributeName: ATTR.acceptedBucket, AttributeType: 'S' },
      { AttributeName: ATTR.acceptedAt, AttributeType: 'S' },
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
