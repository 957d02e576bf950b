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
  return { run, cancelled: value };
}
