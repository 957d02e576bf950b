/**
 * A termination for an employee whose earlier termination is still in progress. Pure: the same content
 * again is that run; an earlier one that has not started any step is superseded; otherwise HR cancels it first.
 */
import { canonicalJson } from './event-schema';
import type { PlannedEvent, Run, Step } from './model';
import { cutoffDueAt } from './plan';

export type TerminationOverlap =
  /** No termination is in progress: the event plans its own run. */
  | { kind: 'none' }
  /** The same termination again under another event id: the run in progress is the answer. */
  | { kind: 'same'; run: Run }
  /** Earlier terminations none of whose steps has started: cancelled in favour of this one. */
  | { kind: 'supersede'; runs: Run[] }
  /** A termination that has started: refused until HR cancels it. */
  | { kind: 'refuse'; run: Run };

export const ENDED: readonly Run['status'][] = ['completed', 'cancelled', 'rejected'];

/** What a termination event says, apart from its id: compared to tell a repeat from a change. */
const contentOf = (e: Pick<PlannedEvent, 'effectiveDate' | 'urgent' | 'employee'>) => canonicalJson({ effectiveDate: e.effectiveDate, urgent: e.urgent, employee: e.employee });

/** True once any step of the run has been tried (or an operator has acted on one). */
export const hasStarted = (run: Run): boolean => run.steps.some((s) => s.attempts > 0 || (s.status !== 'pending' && s.status !== 'queued'));

export function terminationOverlap(runs: Run[], event: PlannedEvent, ownRunId: string): TerminationOverlap {
  if (event.type !== 'terminate') return { kind: 'none' };
  const inProgress = runs
    .filter((r) => r.type === 'terminate' && r.runId !== ownRunId && !ENDED.includes(r.status))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  if (inProgress.length === 0) return { kind: 'none' };
  const same = inProgress.find((r) => contentOf(r) === contentOf(event));
  if (same) return { kind: 'same', run: same };
  const started = inProgress.find(hasStarted);
  return started ? { kind: 'refuse', run: started } : { kind: 'supersede', runs: inProgress };
}

/**
 * The employee's hire or role change runs a termination stops: those not ended (completed, cancelled or rejected)
 * with a step not started that would run once the employee has left. An urgent termination, or one whose cut-off
 * has passed, stops every such run with a step not started; a later cut-off stops a run with a step due at or after
 * it (a fixed-term contract's hire, sent with its end, goes ahead). Their steps not started are cancelled; what they
 * already did stays, and the leaver undoes it.
 */
export function unfinishedJoiners(runs: Run[], event: PlannedEvent, ownRunId: string, now: Date): Run[] {
  if (event.type !== 'terminate') return [];
  const cutoff = cutoffDueAt(event, now);
  const left = cutoff <= now.toISOString();
  const runsAfter = (s: Step) => NOT_STARTED.includes(s.status) && (left || s.dueAt >= cutoff);
  return runs.filter((r) => (r.type === 'hire' || r.type === 'role_change') && r.runId !== ownRunId && !ENDED.includes(r.status) && r.steps.some(runsAfter));
}

/** The steps a cancel stops (step-machine's cancelRun): not started, or handed to an operator. */
const NOT_STARTED: readonly Step['status'][] = ['pending', 'queued', 'needs_attention'];

/** The audit line of a hire or role change stopped by a termination. */
export const stoppedByTermination = (eventId: string) => `run cancelled by the termination of event ${eventId}: its steps not started will not run`;

/** The 409 of a termination refused because another has started. */
export function overlapMessage(employeeId: string, run: Run): string {
  return `employee ${employeeId} has a termination in progress (run ${run.runId}, event ${run.eventId}) whose steps have started; send a cancel of event ${run.eventId} first, then this termination again`;
}
