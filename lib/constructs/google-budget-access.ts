/** What taking from the stage's shared Google budget grants a Google action: its window counters in the table, and nothing else there. */
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { ENV } from '../../lambdas/shared/env-names';
import { keys } from '../../lambdas/store/table-schema';
import { grantBudgetWindows } from './budget-access';
import type { LifecycleFunction } from './lifecycle-function';

/** The budget's partition key: every window counter of the Google budget lives under it. */
export const GOOGLE_BUDGET_PARTITION = keys.requestBudgetSlot('google', 0).PK;

/** `containers`: the most action calls the stage can run at once, each of which may fall back to its own share. */
export function bindGoogleBudget(fn: LifecycleFunction, table: dynamodb.ITable, containers: number): void {
  fn.addEnvironment(ENV.googleBudgetTable, table.tableName);
  fn.addEnvironment(ENV.googleBudgetContainers, String(containers));
  grantBudgetWindows(fn, table, 'GoogleBudget', [GOOGLE_BUDGET_PARTITION]);
}
