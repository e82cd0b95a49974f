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
import { ATTR, TABLE_INDEXES } from '../functions/storage/table.js';
import type { StageConfig } from './config.js';
import { stackInstanceSuffix } from './names.js';

/** The global secondary indexes of the table: every read on a request path is a GetItem or a Query on one of these. */
export { TABLE_INDEXES };

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
      // Signed national requests' nonces carry an expiry (functions/storage/keys-store.ts); DynamoDB deletes them after it.
      timeToLiveAttribute: 'ttl',
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

    if (config.backups) {
      const { coldAfterDays, monthlyDays, yearlyDays } = config.backups;
      // The vault outlives the stack in prod (its copies are the point), so its name carries the stack
      // instance (infra/names.ts): a recreated stack makes a new vault instead of failing on the old one.
      const vault = new BackupVault(this, 'Vault', {
        backupVaultName: `resident-claims-${config.stage}-${stackInstanceSuffix()}`,
        encryptionKey: key,
        removalPolicy: config.dataRemovalPolicy,
      });
      // 18:00 UTC is 02:00 in China, the quietest hour for hospitals. Cold storage of DynamoDB copies
      // needs AWS Backup's advanced features for DynamoDB turned on in the account (docs/deployment.md).
      const rule = (ruleName: string, day: string, month: string | undefined, deleteAfterDays: number): BackupPlanRule =>
        new BackupPlanRule({
          ruleName,
          scheduleExpression: Schedule.cron({ day, ...(month ? { month } : {}), hour: '18', minute: '0' }),
          moveToColdStorageAfter: Duration.days(coldAfterDays),
          deleteAfter: Duration.days(deleteAfterDays),
        });
      this.backupPlan = new BackupPlan(this, 'BackupPlan', {
        backupVault: vault,
        backupPlanRules: [rule('Monthly', '1', undefined, monthlyDays), rule('Yearly', '1', '1', yearlyDays)],
      });
      this.backupPlan.addSelection('Table', { resources: [BackupResource.fromDynamoDbTable(this.table)] });
    }
  }
}
