/** The table's definition: what the CDK stack declares and what the local stack creates. */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { ATTR, HOSPITAL_DATE_INDEX, MEMBER_YEAR_INDEX } from '../../shared/pipeline/records.js';

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
    ],
    KeySchema: [{ AttributeName: ATTR.key, KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [MEMBER_YEAR_INDEX, HOSPITAL_DATE_INDEX].map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partition, KeyType: 'HASH' as const },
        { AttributeName: index.sort, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' as const },
    })),
  };
}
