/** The Connect provider of an action Lambda, from its environment: imported only by Connect actions. */
import type { ConnectProvider } from '../providers';
import { ENV, requireEnv } from '../../shared/env-names';
import { logger } from '../../shared/observability';
import { errorFields } from '../../shared/log-fields';
import { createDocumentClient } from '../../store/dynamo/dynamo-table';
import { DynamoBudgetStore } from '../../store/dynamo/budget-repository';
import { TokenBucket } from '../rate-limited-fetch';
import { fallbackPerMinute, SharedBudget, type BudgetStore } from '../shared-budget';
import { DEFAULT_ACTION_TIMEOUT_SECONDS } from '../../../config/dispatch-timing';
import { connectBudgetMaxWaitMs, connectBudgets, DEFAULT_CONNECT_REQUESTS_PER_SECOND, type ConnectBudgets } from './connect-budget';
import { createConnectProvider } from './connect-provider';

/**
 * The stage's Connect budget, one per API: in the table when the function is given it (every function of the stage
 * together), each backed by this process's share of it; else this process's bucket per API at the stage's figure.
 */
export function connectBudgetsFromEnv(env: NodeJS.ProcessEnv = process.env): ConnectBudgets {
  const perSecond = Number(env[ENV.connectRequestsPerSecond]) || DEFAULT_CONNECT_REQUESTS_PER_SECOND;
  const perMinute = perSecond * 60;
  const table = env[ENV.connectBudgetTable];
  if (!table) return connectBudgets((name) => new TokenBucket(perMinute, undefined, undefined, name));
  const containers = Number(env[ENV.connectBudgetContainers]);
  let store: BudgetStore | undefined;
  return connectBudgets(
    (name) =>
      new SharedBudget({
        name,
        perMinute,
        store: (store ??= new DynamoBudgetStore({ doc: createDocumentClient(), name: table })),
        fallback: new TokenBucket(fallbackPerMinute(perMinute, containers)),
        onStoreError: (err) => logger.warn(`the shared Connect budget ${name} could not be read; this process keeps to its share of it`, errorFields(err)),
      }),
  );
}

export function connectFromEnv(): () => ConnectProvider {
  let provider: ConnectProvider | undefined;
  return () => {
    provider ??= createConnectProvider({
      region: process.env.AWS_REGION ?? 'us-east-1',
      endpoint: process.env[ENV.connectEndpoint] || undefined,
      instanceId: requireEnv(ENV.connectInstanceId),
      budgets: connectBudgetsFromEnv(),
      maxBudgetWaitMs: connectBudgetMaxWaitMs(Number(process.env[ENV.actionTimeoutSeconds]) || DEFAULT_ACTION_TIMEOUT_SECONDS),
    });
    return provider;
  };
}
