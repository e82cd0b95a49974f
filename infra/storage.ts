/**
 * The pipeline's single DynamoDB table (registry, API key hashes, totals, settlements, failures), keyed
 * exactly as the storage adapter (`functions/storage/table.ts`) defines it for the local stack: the key
 * and index names come from there, so the deployed table cannot drift from what the handlers query.
 */
import { Duration } from 'aws-cdk-lib';
import { BackupPlan, BackupPlanRule, BackupResource, BackupVault } from 'aws-cdk-lib/aws-backup';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule } from 'aws-cdk-lib/aws-events';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ATTR, HOSPITAL_DATE_INDEX, MEMBER_YEAR_INDEX } from '../functions/storage/table.js';
import type { StageConfig } from './config.js';

/** The global secondary indexes of the table: every read on a request path is a GetItem or a Query on one of these. */
export const TABLE_INDEXES = [MEMBER_YEAR_INDEX, HOSPITAL_DATE_INDEX] as const;

export class Storage extends Construct {
  readonly table: Table;
  readonly backupPlan?: BackupPlan;

  constructor(scope: Construct, id: string, props: { config: StageConfig; key: IKey }) {
    super(scope, id);
    const { config, key } = props;
    this.table = new Table(this, 'Table', {
      partitionKey: { name: ATTR.key, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: config.tableDeletionProtection,
      removalPolicy: config.dataRemovalPolicy,
    });
    for (const index of TABLE_INDEXES) {
      // Keys only, as the handlers expect: a query returns keys, then BatchGetItem reads the items.
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partition, type: AttributeType.STRING },
        sortKey: { name: index.sort, type: AttributeType.STRING },
        projectionType: ProjectionType.KEYS_ONLY,
      });
    }

    if (config.backupPlan) {
      // PITR covers 35 days; settled claims are accounting records kept for years, so prod also keeps
      // daily and monthly snapshots in a vault encrypted with the same data key.
      const vault = new BackupVault(this, 'Vault', { encryptionKey: key, removalPolicy: config.dataRemovalPolicy });
      this.backupPlan = new BackupPlan(this, 'BackupPlan', {
        backupVault: vault,
        backupPlanRules: [
          // 18:00 UTC is 02:00 in China, the quietest hour for hospitals.
          new BackupPlanRule({ ruleName: 'Daily', scheduleExpression: Schedule.cron({ hour: '18', minute: '0' }), deleteAfter: Duration.days(35) }),
          new BackupPlanRule({
            ruleName: 'Monthly',
            scheduleExpression: Schedule.cron({ day: '1', hour: '18', minute: '0' }),
            // No cold-storage tier: for DynamoDB it needs AWS Backup's advanced features opted in per account.
            deleteAfter: Duration.days(10 * 365),
          }),
        ],
      });
      this.backupPlan.addSelection('Table', { resources: [BackupResource.fromDynamoDbTable(this.table)] });
    }
  }
}
