/** What taking from the stage's shared Google budget grants a Google action: its window counters in the table, and nothing else there. */
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { ENV } from '../../lambdas/shared/env-names';
import { keys } from '../../lambdas/store/table-schema';
import type { LifecycleFunction } from './lifecycle-function';

/** The budget's partition key: every window counter of the Google budget lives under it. */
export const GOOGLE_BUDGET_PARTITION = keys.requestBudgetSlot('google', 0).PK;

/** `containers`: the most action calls the stage can run at once, each of which may fall back to its own share. */
export function bindGoogleBudget(fn: LifecycleFunction, table: dynamodb.ITable, containers: number): void {
  fn.addEnvironment(ENV.googleBudgetTable, table.tableName);
  fn.addEnvironment(ENV.googleBudgetContainers, String(containers));
  fn.function.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'GoogleBudgetWindows',
      actions: ['dynamodb:UpdateItem'],
      resources: [table.tableArn],
      conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [GOOGLE_BUDGET_PARTITION] } },
    }),
  );
  if (table.encryptionKey) {
    fn.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'GoogleBudgetTableKey',
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: [table.encryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${table.stack.region}.amazonaws.com` } },
      }),
    );
  }
}
