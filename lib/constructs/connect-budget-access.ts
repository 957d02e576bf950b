/** What taking from the stage's Connect budget grants a Connect action: the window counters of the APIs it calls, and nothing else in the table. */
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { ConnectPermission } from '../../lambdas/actions/catalog';
import { connectBudgetName, operationOfPermission } from '../../lambdas/providers/connect/connect-budget';
import { ENV } from '../../lambdas/shared/env-names';
import { keys } from '../../lambdas/store/table-schema';
import { grantBudgetWindows } from './budget-access';
import type { LifecycleFunction } from './lifecycle-function';

/** The partition of each API's budget the action calls: one per `connect:<Operation>` it is granted. */
export const connectBudgetPartitions = (permissions: readonly ConnectPermission[]): string[] =>
  [...new Set(permissions)].map((p) => keys.requestBudgetSlot(connectBudgetName(operationOfPermission(p)), 0).PK).sort();

/** `containers`: the most action calls the stage can run at once, each of which may fall back to its own share. */
export function bindConnectBudget(
  fn: LifecycleFunction,
  table: dynamodb.ITable,
  containers: number,
  requestsPerSecond: number,
  permissions: readonly ConnectPermission[],
  actionTimeoutSeconds: number,
): void {
  fn.addEnvironment(ENV.actionTimeoutSeconds, String(actionTimeoutSeconds));
  fn.addEnvironment(ENV.connectBudgetTable, table.tableName);
  fn.addEnvironment(ENV.connectBudgetContainers, String(containers));
  fn.addEnvironment(ENV.connectRequestsPerSecond, String(requestsPerSecond));
  grantBudgetWindows(fn, table, 'ConnectBudget', connectBudgetPartitions(permissions));
}
