/**
 * The stage's Amazon Connect budget: every Connect request, its SDK retries too, takes from the budget of its API before
 * it is sent, as the class of the step it serves (`lockout` first). Connect throttles each API on its own, per account
 * and Region (2 requests a second with a burst of 5 by default), so there is one budget per API, named
 * `connect.<Operation>`; each is a RequestBudget (the stage's SharedBudget in the table on AWS, this process's
 * TokenBucket locally), so the Google budget's rules hold here too: a lower class never takes a request a waiting
 * `lockout` call needs.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ConnectClient } from '@aws-sdk/client-connect';
import { DEFAULT_ACTION_TIMEOUT_SECONDS } from '../../../config/dispatch-timing';
import type { RequestBudget, RequestPriority } from '../rate-limited-fetch';

/** Requests a second per Connect API that a stage allows itself by default: Connect's documented default rate. */
export const DEFAULT_CONNECT_REQUESTS_PER_SECOND = 2;

/**
 * The longest one Connect request waits in its budget's line, from the action functions' timeout (the stage's
 * actionTimeoutSeconds): half of it, so a step whose turn comes later answers "not done yet, check again then" in
 * time, rather than being stopped at its timeout and retried (docs/engine.md, "The Connect budget").
 */
export const connectBudgetMaxWaitMs = (actionTimeoutSeconds: number) => (actionTimeoutSeconds * 1000) / 2;


/** When each step's first Connect request asked (keyed by the step's request, which its account check and its run share). */
const stepStarts = new WeakMap<object, number>();
const currentStep = new AsyncLocalStorage<number>();

/**
 * Runs `work` as part of `step` (the step's request): its Connect requests together wait in their budgets' lines no
 * longer than the one limit, counted from the step's first one, so a step of several calls each waiting its turn does
 * not outlast its timeout either. Its account check and its run each call this with the same request.
 */
export function asConnectStep<T>(step: object, work: () => Promise<T>, now: () => number = Date.now): Promise<T> {
  let started = stepStarts.get(step);
  if (started === undefined) stepStarts.set(step, (started = now()));
  return currentStep.run(started, work);
}

/** What is left of a request's wait: the limit, less what its step has been running since its first Connect request. */
export function budgetWaitLeftMs(maxWaitMs: number, now: number = Date.now()): number {
  const started = currentStep.getStore();
  return started === undefined ? maxWaitMs : Math.max(0, Math.min(maxWaitMs, started + maxWaitMs - now));
}

/** The budget each Connect API takes from, by operation name (`PutUserStatus`). */
export type ConnectBudgets = (operation: string) => RequestBudget;

/** The name of an API's budget: also its key in the table (`BUDGET#connect.PutUserStatus`). */
export const connectBudgetName = (operation: string) => `connect.${operation}`;

/** The operation a `connect:<Operation>` permission names: the budgets a function takes from are those of its permissions. */
export const operationOfPermission = (permission: string) => permission.replace(/^connect:/, '');

/** One budget per API, each made once by `make` (given the budget's name) and shared by every client of the process. */
export function connectBudgets(make: (name: string) => RequestBudget): ConnectBudgets {
  const byOperation = new Map<string, RequestBudget>();
  return (operation) => {
    let budget = byOperation.get(operation);
    if (!budget) byOperation.set(operation, (budget = make(connectBudgetName(operation))));
    return budget;
  };
}

/** The SDK names a command's operation `<Operation>Command` in its handler context. */
export const operationOfCommand = (commandName: string | undefined) => (commandName ?? 'Unknown').replace(/Command$/, '');

/** A middleware of the client's stack, typed from the client so no @smithy/types import is needed. */
type StackMiddleware = Parameters<ConnectClient['middlewareStack']['addRelativeTo']>[0];

export const CONNECT_BUDGET_MIDDLEWARE = 'lifecycleConnectBudget';

/**
 * Makes every request of `client` take from its API's budget as `priority` first. It sits inside the SDK's retry step,
 * so each attempt takes its own request (a retry after a 429 waits its turn like any other call), and before signing.
 * A request whose turn would come after `maxWaitMs` is not sent: it fails with BudgetWaitTooLong (see connectBudgetMaxWaitMs).
 */
export function takeFromConnectBudget(
  client: ConnectClient,
  budgets: ConnectBudgets,
  priority: RequestPriority | undefined,
  maxWaitMs: number = connectBudgetMaxWaitMs(DEFAULT_ACTION_TIMEOUT_SECONDS),
): void {
  const middleware = (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
    // A longer wait rejects with BudgetWaitTooLong, which the SDK does not retry: the step comes back when its turn is due.
    await budgets(operationOfCommand(context.commandName)).take(priority, { maxWaitMs: budgetWaitLeftMs(maxWaitMs) });
    return next(args);
  };
  // Before signing, which comes right after the retry step: a request signed and then held back could outlive its signature.
  client.middlewareStack.addRelativeTo(middleware as unknown as StackMiddleware, { name: CONNECT_BUDGET_MIDDLEWARE, relation: 'before', toMiddleware: 'httpSigningMiddleware' });
}
