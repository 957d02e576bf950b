/** Plans a run from a playbook: which steps, when each is due, and what each waits for. Pure. */
import type { Playbooks, PlaybookStep } from '../../config/schema';
import { runIdFor } from './ids';
import type { CancelEvent, PlannedEvent, Run, Step } from './model';
import { addDays, zonedTimeToUtc } from './time';
import { withSchedule, type ScheduleSettings } from './step-machine';
import { planRestoreSteps, type RestoreRule } from './restore';

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

/**
 * The run a cancel event records: it points at the run it cancelled, and restores from their
 * records whatever that run's steps had already removed.
 */
export function planCancelRun(event: CancelEvent, cancelled: Run, now: Date, settings: ScheduleSettings, rules: (action: string) => RestoreRule | undefined): Run {
  const at = now.toISOString();
  return withSchedule({
    runId: runIdFor(event.eventId),
    employeeId: cancelled.employeeId,
    eventId: event.eventId,
    type: 'cancel',
    status: 'scheduled',
    effectiveDate: event.effectiveDate ?? at.slice(0, 10),
    urgent: false,
    employee: cancelled.employee,
    steps: planRestoreSteps(cancelled.steps, rules, at, 'cancel'),
    version: 0,
    createdAt: at,
    updatedAt: at,
    cancelsRunId: cancelled.runId,
  }, settings);
}

/** A rehire's restores are due when the new employment starts (midnight in the employee's zone), or now if that is past. */
export function rehireRestoreDueAt(event: PlannedEvent, now: Date): string {
  const start = zonedTimeToUtc(event.effectiveDate, '00:00', event.employee.timezone);
  return (start > now ? start : now).toISOString();
}

/**
 * The hire of someone whose termination is on record: the hire playbook's steps, plus the restore of
 * what the termination removed (from its records, as a cancel would, less what a rehire does not
 * want back), so the former account is brought back rather than a second one made.
 */
export function planRehireRun(
  event: PlannedEvent,
  playbooks: Playbooks,
  former: Run,
  now: Date,
  settings: ScheduleSettings,
  rules: (action: string) => RestoreRule | undefined,
): Run {
  // The account to bring back is the former one: a hire that names none acts on it.
  const employee = { ...event.employee, email: event.employee.email ?? former.employee.email };
  const hire = planRun({ ...event, employee }, playbooks, now, settings);
  const restores = planRestoreSteps(former.steps, rules, rehireRestoreDueAt(event, now), 'rehire');
  const clash = restores.find((r) => hire.steps.some((s) => s.stepId === r.stepId));
  if (clash) throw new Error(`the hire playbook has a step id ${clash.stepId}, which a rehire's restore uses`);
  return withSchedule({ ...hire, steps: [...restores, ...hire.steps], restoresRunId: former.runId }, settings);
}

/**
 * The termination a hire brings back, if any: the employee's latest termination that no cancel undid
 * and no earlier rehire restored. A termination still to come is brought back too (its steps are
 * cancelled, nothing is restored): the person stays.
 */
export function formerEmployment(runs: Run[], hireRunId: string): Run | undefined {
  const others = runs.filter((r) => r.runId !== hireRunId);
  const undone = new Set(others.flatMap((r) => [r.cancelsRunId, r.restoresRunId]).filter((id): id is string => id !== undefined));
  const last = others
    .filter((r) => r.type === 'terminate' && !undone.has(r.runId))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .at(-1);
  // Hired again since, by another event: that hire dealt with it.
  if (!last || others.some((r) => r.type === 'hire' && r.createdAt > last.createdAt)) return undefined;
  return last;
}
