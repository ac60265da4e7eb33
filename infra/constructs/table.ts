import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** The table's one global secondary index: message id to touch (`gsi1pk`/`gsi1sk`). */
export const GSI1 = 'gsi1';

export interface RevisitTableProps {
  /**
   * What happens to the table and its key when they leave the stack.
   * @default RemovalPolicy.RETAIN: campaign history, replies and suppressions outlive any deployment
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The single table (campaigns, customers, lifecycles, touches, replies, suppressions), encrypted with
 * its own customer managed key. Key design: functions/adapters/dynamodb/keys.ts; the local engine creates
 * DynamoDB Local's table from the same schema (test/infra checks the two agree).
 */
export class RevisitTable extends Construct {
  /** The table: `pk`/`sk`, index `gsi1` (`gsi1pk`/`gsi1sk`), TTL on `expiresAt`. */
  public readonly table: Table;
  /** The key the table is encrypted with; readers and writers need it too. */
  public readonly key: Key;

  public constructor(scope: Construct, id: string, props: RevisitTableProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.key = new Key(this, 'Key', {
      description: 'revisit table: customer contact data, replies and survey answers',
      enableKeyRotation: true,
      removalPolicy,
    });

    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'expiresAt',
      removalPolicy,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: GSI1,
      partitionKey: { name: 'gsi1pk', type: AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
  }
}
