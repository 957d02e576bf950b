/** Plans a run from a playbook: which steps, when each is due, and what each waits for. Pure. */
import type { Playbooks, PlaybookStep } from '../../config/schema';
import { runIdFor } from './ids';
import type { CancelEvent, PlannedEvent, Run, Step } from './model';
import { addDays, zonedTimeToUtc } from './time';
import { withSchedule, type ScheduleSettings } from './step-machine';

/** When a playbook step falls due for an event. */
export function stepDueAt(step: PlaybookStep, event: PlannedEvent, now: Date): string {
  if (step.cutoff) {
    // The cut-off is the end of the last working day in the employee's zone, unless access must go now.
    if (event.urgent) return now.toISOString();
    return zonedTimeToUtc(addDays(event.effectiveDate, 1), '00:00', event.employee.timezone).toISOString();
  }
  return zonedTimeToUtc(addDays(event.effectiveDate, step.offsetDays), step.at, event.employee.timezone).toISOString();
}

/** The run an event starts: every enabled playbook step, pending, with its due time. */
export function planRun(event: PlannedEvent, playbooks: Playbooks, now: Date, settings: ScheduleSettings): Run {
  const playbook = playbooks[event.type];
  const enabled = playbook.steps.filter((s) => s.enabled);
  const enabledIds = new Set(enabled.map((s) => s.id));
  const steps: Step[] = enabled.map((s) => ({
    stepId: s.id,
    action: s.action,
    params: s.params,
    status: 'pending',
    dueAt: stepDueAt(s, event, now),
    // A disabled step is not planned, so nothing may wait for it.
    after: s.after.filter((dep) => enabledIds.has(dep)),
    attempts: 0,
  }));
  const at = now.toISOString();
  return withSchedule(
    {
      runId: runIdFor(event.eventId),
      employeeId: event.employee.id,
      eventId: event.eventId,
      type: event.type,
      status: 'scheduled',
      effectiveDate: event.effectiveDate,
      urgent: event.urgent,
      employee: event.employee,
      steps,
      version: 0,
      createdAt: at,
      updatedAt: at,
    },
    settings,
  );
}

/** The run a cancel event records: no steps of its own, pointing at the run it cancelled. */
export function planCancelRun(event: CancelEvent, cancelled: Run, now: Date): Run {
  const at = now.toISOString();
  return {
    runId: runIdFor(event.eventId),
    employeeId: cancelled.employeeId,
    eventId: event.eventId,
    type: 'cancel',
    status: 'completed',
    effectiveDate: event.effectiveDate ?? at.slice(0, 10),
    urgent: false,
    employee: cancelled.employee,
    steps: [],
    version: 0,
    createdAt: at,
    updatedAt: at,
    cancelsRunId: cancelled.runId,
  };
}
