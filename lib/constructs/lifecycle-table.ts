/** The single lifecycle table: keys and indexes from the shared schema, protected like the only copy of the data it is. */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { GLOBAL_INDEXES, TABLE } from '../../lambdas/store/table-schema';

export interface LifecycleTableProps {
  readonly encryptionKey: kms.IKey;
}

export class LifecycleTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: LifecycleTableProps) {
    super(scope, id);

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
      // Runs and the audit trail are the record of who lost which access when: never deleted with the stack.
      removalPolicy: RemovalPolicy.RETAIN,
      // Only items that must not outlive their use carry it (a sealed initial password and its link, a remembered
      // refusal): DynamoDB drops them after their expiry; the rest stays.
      timeToLiveAttribute: TABLE.ttlAttribute,
    });

    // Every index projects ALL: the sweep and the operator views read whole runs from them, with no second fetch.
    // CloudFormation adds at most one new index to an existing table per update.
    for (const index of GLOBAL_INDEXES) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
  }
}
