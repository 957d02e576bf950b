/** Cancelling a run, whoever asks: an operator, HR's cancel event, a rehire, or a termination that supersedes it. */
import type { Run } from './model';
import type { EngineDeps } from './ports';
import { updateRun } from './run-updates';
import { cancelRun, TransitionError } from './step-machine';
import { cancelWakes } from './wakes';

export interface CancelRequest {
  actor: string;
  /** The audit line: why the run is cancelled. */
  change: string;
  /** Cancel only while this holds of the run as it is at the write (re-checked on a lost race). */
  onlyIf?: (run: Run) => boolean;
  /** A run that has completed meanwhile: refused with a TransitionError ('throw', an operator's call) or left as it is ('keep'). */
  ifCompleted: 'throw' | 'keep';
}

/**
 * Cancels the run's steps that have not started (a running step finishes), writes the audit line and
 * removes its exact-time wakes. Answers the run as it now is, and whether this call cancelled it.
 */
export async function cancelFor(deps: EngineDeps, target: Run, request: CancelRequest): Promise<{ run: Run; cancelled: boolean }> {
  const { run, value } = await updateRun(deps, target.employeeId, target.runId, (current) => {
    if (request.onlyIf && !request.onlyIf(current)) return { run: current, value: false };
    let next: Run;
    try {
      next = cancelRun(current, deps.clock.now(), deps.settings);
    } catch (err) {
      if (err instanceof TransitionError && request.ifCompleted === 'keep') return { run: current, value: false };
      throw err;
    }
    return {
      run: next,
      audit: next === current ? [] : [{ actor: request.actor, change: request.change, from: current.status, to: 'cancelled' }],
      value: next !== current,
    };
  });
  if (run.status === 'cancelled') await cancelWakes(deps, run);
  if (run.status === 'cancelled') await resolveRunAlerts(deps, run, `${request.change} (${request.actor})`);
  return { run, cancelled: value };
}

/**
 * The open alerts of a run that has ended cancelled or rejected: its steps' (a failure, an account hold) and its
 * plan's (a role that cannot be planned from). Nothing is left to act on, so each is resolved, saying why. An
 * alert resolved already keeps its first resolution, so a repeat (after a crash, a second cancel) changes nothing.
 */
export async function resolveRunAlerts(deps: EngineDeps, run: Run, why: string): Promise<void> {
  const ids = new Set([...run.steps.map((s) => s.alertId), run.role?.alertId].filter((id): id is string => id !== undefined));
  const at = deps.clock.now().toISOString();
  for (const alertId of ids) await deps.store.resolveAlert(alertId, at, why);
}
