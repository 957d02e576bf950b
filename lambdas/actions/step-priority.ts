/**
 * The priority class of a step: its own when it carries one, else its action's. The one place the budget and the
 * benchmarks learn a step's class from; while the catalog does not yet give every action its class, the actions that
 * stop a person acting now (`lockout`) are named here, and every other step is served after them.
 */
import type { RequestPriority } from '../providers/rate-limited-fetch';

/** Sign-out, password, tokens, app passwords, backup codes: what stops a leaver acting now. */
const LOCKOUT_ACTIONS: ReadonlySet<string> = new Set(['google.signOut', 'google.resetPassword', 'google.revokeTokens', 'google.deleteAppPasswords', 'google.invalidateBackupCodes']);

export function priorityOfStep(step: { action: string; priority?: RequestPriority }): RequestPriority | undefined {
  if (step.priority) return step.priority;
  return LOCKOUT_ACTIONS.has(step.action) ? 'lockout' : undefined;
}
