/**
 * Wakes: a step marked exactTime gets a one-off schedule of its own, so it is queued at its minute
 * rather than at the first sweep after it. A wake is only a nudge: the due index still holds the
 * step, so a wake that is never made, or never fires, leaves the step to the sweep (up to one sweep
 * interval late), and a wake that fires for a held or finished run releases nothing.
 */
import { createHash } from 'node:crypto';
import type { AuditEntry, Run, RunStatus } from './model';
import type { EngineDeps, Wake } from './ports';
import { releaseRun } from './sweep';
import { wallClock } from './time';
import { errorFields } from '../shared/log-fields';

/** The audit actor of what wakes do. */
export const WAKE_ACTOR = 'wake';

/** Runs in which no step will run again: a wake for them would release nothing. */
const ENDED: readonly RunStatus[] = ['completed', 'cancelled', 'rejected'];

/** A wake and the step it is for. */
export type StepWake = Wake & { stepId: string };

/**
 * The wake's name: the same run and step always give the same name, so scheduling twice is
 * harmless. EventBridge Scheduler allows at most 64 of [0-9a-zA-Z-_.]; a hash fits any step id.
 */
export function wakeName(runId: string, stepId: string): string {
  return `wake-${createHash('sha256').update(`${runId}/${stepId}`).digest('hex').slice(0, 40)}`;
}

/** Wall-clock time of an instant in a zone, YYYY-MM-DDTHH:MM:SS (what Scheduler's at() takes). */
export function localDateTime(instant: Date, timeZone: string): string {
  const w = wallClock(instant, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${two(w.month)}-${two(w.day)}T${two(w.hour)}:${two(w.minute)}:${two(w.second)}`;
}

/** One wake per pending exactTime step of the run that falls due after `now`. Pure. */
export function wakesFor(run: Run, now: Date): StepWake[] {
  if (ENDED.includes(run.status)) return [];
  return run.steps
    .filter((step) => step.exactTime && step.status === 'pending' && Date.parse(step.dueAt) > now.getTime())
    .map((step) => {
      // Whole seconds, rounded up: a wake must never fire before its step is due.
      const at = new Date(Math.ceil(Date.parse(step.dueAt) / 1000) * 1000);
      return {
        stepId: step.stepId,
        name: wakeName(run.runId, step.stepId),
        at: at.toISOString(),
        timezone: run.employee.timezone,
        localDateTime: localDateTime(at, run.employee.timezone),
        employeeId: run.employeeId,
        runId: run.runId,
      };
    });
}

/**
 * Schedules the wakes of a newly planned run and records each in the audit trail. Never throws: a
 * wake that cannot be made is logged and audited, and the sweep runs its step.
 */
export async function scheduleWakes(deps: EngineDeps, run: Run): Promise<void> {
  const port = deps.wakes;
  if (!port) return;
  try {
    const audit: AuditEntry[] = [];
    const entry = (stepId: string, change: string, detail: Record<string, unknown>): AuditEntry => ({
      at: deps.clock.now().toISOString(),
      employeeId: run.employeeId,
      runId: run.runId,
      stepId,
      actor: WAKE_ACTOR,
      change,
      detail,
    });
    for (const { stepId, ...wake } of wakesFor(run, deps.clock.now())) {
      const detail = { wake: wake.name, at: wake.at, localTime: `${wake.localDateTime} ${wake.timezone}` };
      try {
        const outcome = await port.schedule(wake);
        audit.push(entry(stepId, outcome === 'scheduled' ? 'wake scheduled at the exact time' : 'wake already scheduled', detail));
      } catch (err) {
        deps.log.warn('a wake could not be scheduled; the sweep will queue the step', { runId: run.runId, stepId, wake: wake.name, ...errorFields(err) });
        audit.push(entry(stepId, 'wake not scheduled: the step is queued by the first sweep after its time', { ...detail, error: String(err).slice(0, 500) }));
      }
    }
    if (audit.length) await deps.store.appendAudit(audit);
  } catch (err) {
    deps.log.warn('the wakes of a run could not be scheduled or audited; the sweep will queue its steps', { runId: run.runId, ...errorFields(err) });
  }
}

/** Removes the wakes of a run that will not run its steps (cancelled, rejected). Never throws. */
export async function cancelWakes(deps: EngineDeps, run: Run): Promise<void> {
  const port = deps.wakes;
  if (!port) return;
  for (const step of run.steps.filter((s) => s.exactTime)) {
    const name = wakeName(run.runId, step.stepId);
    try {
      await port.cancel(name);
    } catch (err) {
      // Left in place it fires, finds the run held, and releases nothing.
      deps.log.warn('a wake could not be removed', { runId: run.runId, stepId: step.stepId, wake: name, ...errorFields(err) });
    }
  }
}

export interface WakeReport {
  runId: string;
  stepsQueued: number;
  /** The release failed; the run stays in the due index and the sweep queues it. */
  failed?: boolean;
}

/** A wake fired: queue what of its run is due now, as the sweep would for that run alone. */
export async function wakeRun(deps: EngineDeps, wake: { employeeId: string; runId: string }): Promise<WakeReport> {
  try {
    const stepsQueued = await releaseRun(deps, wake.employeeId, wake.runId, WAKE_ACTOR);
    deps.log.info('wake released the due steps of a run', { runId: wake.runId, stepsQueued });
    return { runId: wake.runId, stepsQueued };
  } catch (err) {
    deps.log.error('a wake could not queue the due steps of a run; the sweep will', { runId: wake.runId, ...errorFields(err) });
    return { runId: wake.runId, stepsQueued: 0, failed: true };
  }
}
