import { dispatcherConcurrencyByClass } from './priority';

/**
 * What a dispatched step may take beyond its action's timeout: the one place the dispatcher's time check and the
 * stage settings' validation read it from.
 */
export const DISPATCH_OVERHEAD_SECONDS = {
  /** A cold action function's INIT phase: Lambda allows up to 10 s and does not count it in the function's timeout. */
  actionColdStart: 10,
  /** Claiming the step before the call and recording its answer after it (a run report included: RUN_REPORT_DEADLINE_MS). */
  recording: 5,
} as const;

/**
 * The longest a run write waits for its report to the run's followers (the Jira write-back): past it the report is
 * abandoned and logged, and the write stands. Below `recording`, so a Jira that hangs cannot hold a dispatched step
 * past the time the dispatcher allows for it, nor the API past its 29 s.
 */
export const RUN_REPORT_DEADLINE_MS = 3_000;

/** The action functions' timeout where none is given (every stage sets its own `actionTimeoutSeconds`). */
export const DEFAULT_ACTION_TIMEOUT_SECONDS = 30;

/** The longest one delivery may take from its claim to its recorded answer, for an action timeout in seconds. */
export function worstCaseDispatchSeconds(actionTimeoutSeconds: number): number {
  return actionTimeoutSeconds + DISPATCH_OVERHEAD_SECONDS.actionColdStart + DISPATCH_OVERHEAD_SECONDS.recording;
}

/**
 * Records of one dispatcher invocation handled at once. Each mostly waits for its action's function, so the batch size
 * (10) lets two slow actions and eight quick ones all finish within one invocation.
 */
export const DISPATCH_PARALLELISM = 10;

/**
 * The most action calls a stage can have in flight at once: every dispatcher invocation of every class's queue
 * running a full batch.
 */
export function maxConcurrentActions(dispatcherMaxConcurrency: number): number {
  const byClass = Object.values(dispatcherConcurrencyByClass(dispatcherMaxConcurrency));
  return byClass.reduce((a, b) => a + b, 0) * DISPATCH_PARALLELISM;
}
