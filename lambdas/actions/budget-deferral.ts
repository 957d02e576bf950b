/**
 * A step whose provider request would wait in the budget's line longer than the step can wait answers "not done yet,
 * check again when its turn comes" rather than holding its function until the timeout stops it and a retry is spent:
 * the engine queues it again then (a deferral, not a failure: no retry is counted, nothing was sent).
 */
import type { ActionResponse } from '../engine/ports';
import { budgetWaitOf } from '../providers/rate-limited-fetch';

/** How long after the budget reckons its turn comes a step looks again: its reckoning does not see other processes. */
export const BUDGET_RETRY_SLACK_MS = 2_000;

/**
 * The deferral for `err` when it is (or carries) a BudgetWaitTooLong, else undefined. `progress` is all the step keeps
 * (the engine replaces the step's progress with it): pass what it had, with anything this attempt recorded.
 */
export function deferredByBudget(err: unknown, now: Date, progress: Record<string, unknown> | undefined, what: string): Extract<ActionResponse, { ok: true }> | undefined {
  const wait = budgetWaitOf(err);
  if (!wait) return undefined;
  const checkAgainAt = new Date(Math.max(now.getTime(), wait.retryAt) + BUDGET_RETRY_SLACK_MS).toISOString();
  return {
    ok: true,
    checkAgainAt,
    ...(progress && Object.keys(progress).length > 0 ? { progress } : {}),
    note: `${what}: ${wait.message}; nothing sent, checking again at ${checkAgainAt}`,
  };
}
