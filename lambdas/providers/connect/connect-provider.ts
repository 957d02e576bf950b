/**
 * The Connect provider every Connect action is given: one SDK client per priority class, all on the one instance, the one
 * Connect budget and the one set of container caches (agent statuses, the users' index), so a step's class rides with each of its requests (as Google's clients'
 * withPriority does).
 */
import type { ConnectClient } from '@aws-sdk/client-connect';
import type { ConnectProvider } from '../providers';
import type { RequestPriority } from '../rate-limited-fetch';
import { shareConnectCaches } from './container-cache';
import { takeFromConnectBudget, type ConnectBudgets } from './connect-budget';
import { createConnectClient, type ConnectClientOptions } from './connect-client';

export interface ConnectProviderOptions extends ConnectClientOptions {
  instanceId: string;
  /** What each request takes from before it is sent; unset: nothing (the SDK's adaptive retry alone). */
  budgets?: ConnectBudgets;
  /** The longest a request waits in its budget's line (default: half of every stage's action timeout, connectBudgetMaxWaitMs). */
  maxBudgetWaitMs?: number;
}

export function createConnectProvider(options: ConnectProviderOptions): ConnectProvider {
  const variants = new Map<RequestPriority | undefined, ConnectProvider>();
  let first: ConnectClient | undefined;
  const variant = (priority: RequestPriority | undefined): ConnectProvider => {
    let provider = variants.get(priority);
    if (!provider) {
      const client = createConnectClient(options);
      if (options.budgets) takeFromConnectBudget(client, options.budgets, priority, options.maxBudgetWaitMs);
      if (first) shareConnectCaches(client, first);
      else first = client;
      provider = { client, instanceId: options.instanceId, priority, withPriority: variant };
      variants.set(priority, provider);
    }
    return provider;
  };
  return variant(undefined);
}

/** The provider as the step it serves takes from the budget: its class when the provider has variants, else itself. */
export function connectForPriority(provider: ConnectProvider, priority: RequestPriority | undefined): ConnectProvider {
  return provider.withPriority && provider.priority !== priority ? provider.withPriority(priority) : provider;
}
