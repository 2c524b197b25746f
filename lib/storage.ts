/**
 * The incident table (adapters/aws/store/table.ts): on-demand, point-in-time recovery, encrypted
 * with a key this stack owns, TTL on dedup claims, the status index, and retained with deletion
 * protection in production.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { TABLE } from '../adapters/aws/store/table.js';
import type { DeployConfig } from './config.js';
import { acknowledgeKmsGrant, acknowledgeWildcardResource } from './nag.js';

export class Storage extends Construct {
  readonly table: Table;
  readonly key: Key;

  constructor(scope: Construct, id: string, config: DeployConfig) {
    super(scope, id);
    const removalPolicy = config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.key = new Key(this, 'Key', {
      description: 'Firebreak incident data (table, approval task tokens at rest)',
      enableKeyRotation: true,
      // A retained table is unreadable without its key, so the key lives as long as the table.
      removalPolicy,
      pendingWindow: Duration.days(30),
    });
    this.table = new Table(this, 'Incidents', {
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: {
        pointInTimeRecoveryEnabled: true,
        recoveryPeriodInDays: config.retention.backupDays,
      },
      timeToLiveAttribute: TABLE.ttlAttribute,
      deletionProtection: config.deletionProtection,
      removalPolicy,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE.statusIndex,
      partitionKey: { name: TABLE.statusIndexPartitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.statusIndexSortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
  }

  /** Read and write items and query the status index, through this table's key. */
  grantReadWrite(fn: IFunction & { role?: IRole }): void {
    this.table.grantReadWriteData(fn);
    if (!fn.role) return;
    acknowledgeWildcardResource(
      fn.role,
      `${this.table.tableArn}/index/*`,
      "Queries the incident table's own indexes (byStatus); the wildcard stays inside this one table.",
    );
    acknowledgeKmsGrant(fn.role);
  }
}
