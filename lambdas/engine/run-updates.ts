/** Read-modify-write of a run under optimistic locking, then the queue messages the change calls for. */
import type { AuditEntry, Run } from './model';
import type { EngineDeps, RunNotice } from './ports';
import { sortByPriority, stepPriority, withPriorities } from './priority';
import { VersionConflictError } from '../store/lifecycle-store';
import { errorFields } from '../shared/log-fields';
import { RUN_REPORT_DEADLINE_MS } from '../../config/dispatch-timing';

/**
 * Every step of a run lives in the run's one item, so workers finishing steps of the same run at
 * once race for it: a lost race re-reads and re-applies, after a short random pause that spreads
 * the racers out.
 */
const MAX_TRIES = 40;
const pause = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * Math.min(250, 10 * attempt)));

export interface RunChange<T> {
  /** The next run, or the same object when nothing changes. */
  run: Run;
  /** Steps that need a queue message once the write has landed. */
  enqueue?: string[];
  /** Delay of those messages, for a step that asked to be checked again shortly. */
  enqueueDelaySeconds?: number;
  audit?: Omit<AuditEntry, 'at' | 'employeeId' | 'runId'>[];
  value: T;
}

/**
 * Applies `change` to the current run and writes it conditionally on its version, re-reading and
 * re-applying on a lost race. Messages go out only after the write: a crash in between leaves a
 * queued step that the sweep enqueues again once it has been quiet too long.
 */
export async function updateRun<T>(
  deps: Pick<EngineDeps, 'store' | 'queue' | 'clock' | 'actions'> & Partial<Pick<EngineDeps, 'reports' | 'log'>>,
  employeeId: string,
  runId: string,
  change: (run: Run) => RunChange<T>,
  /** A copy already in hand (the sweep's index page): tried first, saving a read; a stale copy just loses the race. */
  initial?: Run,
): Promise<{ run: Run; value: T; changed: boolean }> {
  const { run, next, written } = await oneAtATime(`${employeeId}/${runId}`, () => writeChange(deps, employeeId, runId, change, initial));
  if (!written) return { run, value: next.value, changed: false };
  if (next.enqueue?.length) {
    const classOf = (stepId: string) => {
      const step = written.steps.find((s) => s.stepId === stepId);
      return step ? stepPriority(step, deps.actions.priorityOf) : undefined;
    };
    await deps.queue.send(
      // Higher classes first, so a queue shared by classes (and a reader of the batch) meets the lockouts first.
      sortByPriority(next.enqueue.map((stepId) => ({ runId, employeeId, stepId, priority: classOf(stepId) }))),
      next.enqueueDelaySeconds,
    );
  }
  if (next.audit?.length) {
    const at = deps.clock.now().toISOString();
    await deps.store.appendAudit(next.audit.map((a) => ({ ...a, at, employeeId, runId })));
  }
  await tellReports(deps, run, written);
  return { run: written, value: next.value, changed: true };
}

const SETTLED_RUN_STATUSES = ['completed', 'cancelled', 'rejected'] as const;

/**
 * What a written change did that the run's followers are told of: the run ended, it was approved, or the set of steps
 * needing an operator changed (steps came to need one, or left that state: retried and done, skipped). Other writes (a
 * claim, a step done in its turn) tell nothing, so a report is rare.
 */
export function runNotice(before: Run, after: Run): RunNotice | undefined {
  const settled = before.status !== after.status ? SETTLED_RUN_STATUSES.find((s) => s === after.status) : undefined;
  const ids = (run: Run, pick: (s: Run['steps'][number]) => boolean) => new Set(run.steps.filter(pick).map((s) => s.stepId));
  const waiting = (s: Run['steps'][number]) => s.status === 'needs_attention';
  // A step an operator retried that has not settled yet: it leaves the operator's hands once it succeeds (or is skipped).
  const handedBack = (s: Run['steps'][number]) => (s.retries ?? 0) > 0 && (s.status === 'pending' || s.status === 'queued' || s.status === 'running');
  const wasWaiting = ids(before, waiting);
  const isWaiting = ids(after, waiting);
  const stillHanded = ids(after, (s) => waiting(s) || handedBack(s));
  const needsAttention = [...isWaiting].filter((id) => !wasWaiting.has(id));
  const cleared = [
    // Retried, skipped, cancelled or replanned away by this change.
    ...[...wasWaiting].filter((id) => !isWaiting.has(id)),
    // Retried before, and settled with this change.
    ...[...ids(before, handedBack)].filter((id) => !stillHanded.has(id)),
  ];
  const approvedBy = before.status === 'awaiting_approval' && after.status !== 'awaiting_approval' && after.approval?.decision === 'approved' ? after.approval.decidedBy : undefined;
  if (!settled && !needsAttention.length && !cleared.length && !approvedBy) return undefined;
  return { ...(settled ? { settled } : {}), needsAttention, ...(cleared.length ? { cleared } : {}), ...(approvedBy ? { approvedBy } : {}) };
}

/**
 * After the write: a reporter that throws is logged and the change stands. One that takes longer than
 * RUN_REPORT_DEADLINE_MS is not waited for: logged by ids, left to finish or fail on its own; the run's next report
 * brings it up to date.
 */
async function tellReports(deps: Partial<Pick<EngineDeps, 'reports' | 'log'>>, before: Run, after: Run, deadlineMs = RUN_REPORT_DEADLINE_MS): Promise<void> {
  if (!deps.reports) return;
  const notice = runNotice(before, after);
  if (!notice) return;
  const ids = { runId: after.runId, employeeId: after.employeeId };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = Symbol('late');
  const report = Promise.resolve()
    .then(() => deps.reports!.runChanged(after, notice))
    .catch((err: unknown) => void deps.log?.warn('run report failed', { ...ids, ...errorFields(err) }));
  const deadline = new Promise<typeof late>((resolve) => {
    timer = setTimeout(() => resolve(late), deadlineMs);
  });
  try {
    if ((await Promise.race([report, deadline])) === late) deps.log?.warn('run report abandoned', { ...ids, deadlineMs });
  } finally {
    clearTimeout(timer);
  }
}

/** The read, the change and the conditional write, retried on a lost race; `written` is undefined when nothing changed. */
async function writeChange<T>(
  deps: Pick<EngineDeps, 'store' | 'actions'>,
  employeeId: string,
  runId: string,
  change: (run: Run) => RunChange<T>,
  initial: Run | undefined,
): Promise<{ run: Run; next: RunChange<T>; written?: Run }> {
  for (let attempt = 1; ; attempt++) {
    const stored = attempt === 1 && initial ? initial : await deps.store.getRun(employeeId, runId);
    if (!stored) throw new Error(`run ${runId} of employee ${employeeId} not found`);
    // A step stored before steps carried a class takes its action's class, so the change (releaseDue's order) and the queue see it.
    const current = withPriorities(stored, deps.actions.priorityOf);
    const next = change(current);
    if (next.run === current) return { run: current, next };
    const written: Run = { ...next.run, version: current.version + 1 };
    try {
      await deps.store.saveRun(written);
      return { run: current, next, written };
    } catch (err) {
      if (err instanceof VersionConflictError && attempt < MAX_TRIES) {
        await pause(attempt);
        continue;
      }
      throw err;
    }
  }
}

/**
 * Changes to one run made in this process wait for each other instead of racing: a dispatcher working a leaver's
 * lockout steps side by side would otherwise lose most of its writes to itself, each loss a read and a write more.
 * Only the read-modify-write waits (not the queue and audit writes after it); other processes still race, and the
 * version check decides between them as before.
 */
const inProcess = new Map<string, Promise<unknown>>();

/** How many runs have a change being written or waiting in this process: none once every change has settled. */
export const runsBeingWritten = (): number => inProcess.size;

function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
  const mine = (inProcess.get(key) ?? Promise.resolve()).then(work);
  const tail = mine.then(
    () => undefined,
    () => undefined,
  );
  inProcess.set(key, tail);
  void tail.then(() => {
    if (inProcess.get(key) === tail) inProcess.delete(key);
  });
  return mine;
}

/** Audit lines for steps that a change queued. */
export function queuedAudit(before: Run, stepIds: string[], actor: string): RunChange<unknown>['audit'] {
  return stepIds.map((stepId) => ({
    stepId,
    actor,
    change: 'step queued',
    from: before.steps.find((s) => s.stepId === stepId)?.status,
    to: 'queued',
  }));
}
