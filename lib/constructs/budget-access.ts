/** What taking from a request budget in the table grants a function: the UpdateItem of its window counters, and nothing else there. */
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { LifecycleFunction } from './lifecycle-function';

/**
 * Grants `fn` the window counters under `partitions` (and the table's key through DynamoDB only, when it has one), in
 * statements named `<sid>Windows` and `<sid>TableKey`.
 */
export function grantBudgetWindows(fn: LifecycleFunction, table: dynamodb.ITable, sid: string, partitions: readonly string[]): void {
  fn.function.addToRolePolicy(
    new iam.PolicyStatement({
      sid: `${sid}Windows`,
      actions: ['dynamodb:UpdateItem'],
      resources: [table.tableArn],
      conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [...partitions] } },
    }),
  );
  if (table.encryptionKey) {
    fn.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: `${sid}TableKey`,
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: [table.encryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${table.stack.region}.amazonaws.com` } },
      }),
    );
  }
}
