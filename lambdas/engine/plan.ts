/** Plans a run from a playbook: which steps, when each is due, and what each waits for. Pure. */
import { DEFAULT_LEAVER_NOTICE_DAYS, type Playbooks, type PlaybookStep } from '../../config/schema';
import { runIdFor } from './ids';
import type { CancelEvent, PlannedEvent, Run, RunRole, Step } from './model';
import type { RoleError } from '../roles/role-model';
import type { ResolvedRole } from '../roles/resolve';
import { DEFAULT_GRACE_DAYS, type MoverStepPlan } from '../roles/diff';
import { joinerPlan, leaverPlan, moverPlan, type AccountParams } from '../roles/role-plan';

import { CREATE_ACCOUNT_ACTION } from './action-names';
import { addDays, zonedTimeToUtc } from './time';
import { withSchedule, type ScheduleSettings } from './step-machine';
import { laterRoleRun, planRestoreSteps, restoreNotes, supersededRestoreNote, type RestoreRule } from './restore';

/** A non-urgent leaver's cut-off: the end of the last working day (the effective date) in the employee's zone. */
export function cutoffAt(event: Pick<PlannedEvent, 'effectiveDate' | 'employee'>): Date {
  return zonedTimeToUtc(addDays(event.effectiveDate, 1), '00:00', event.employee.timezone);
}

/** When a leaver's cut-off steps fall due: the cut-off, or now for an urgent leaver. */
export function cutoffDueAt(event: Pick<PlannedEvent, 'effectiveDate' | 'urgent' | 'employee'>, now: Date): string {
  return event.urgent ? now.toISOString() : cutoffAt(event).toISOString();
}

/** When a playbook step falls due for an event. */
export function stepDueAt(step: PlaybookStep, event: PlannedEvent, now: Date): string {
  if (step.cutoff) {
    // The cut-off is the end of the last working day in the employee's zone, unless access must go now.
    if (event.urgent) return now.toISOString();
    // A negative offsetDays plans it that many days before the cut-off (a handover: done, read back and any failure with
    // an operator while the leaver still has access); for an urgent leaver it runs at once, after the lockout.
    return zonedTimeToUtc(addDays(event.effectiveDate, 1 + step.offsetDays), '00:00', event.employee.timezone).toISOString();
  }
  return zonedTimeToUtc(addDays(event.effectiveDate, step.offsetDays), step.at, event.employee.timezone).toISOString();
}

/** Days before a leaver's last day that a `notice` step is due: the stage's setting, or the default. */
export const leaverNoticeDays = (settings: { leaverNoticeDays?: number }): number => settings.leaverNoticeDays ?? DEFAULT_LEAVER_NOTICE_DAYS;

/**
 * When a `notice` step (the manager's notice before a leaver's cut-off) is due: `leaverNoticeDays` before the effective
 * date at the step's `at`, or now when that has passed. None (the step is not planned) for an urgent event, once the
 * cut-off has passed, or when the stage sets 0 days: a notice that arrives after the cut-off tells nobody anything.
 */
export function noticeDueAt(step: PlaybookStep, event: PlannedEvent, now: Date, settings: { leaverNoticeDays?: number }): string | undefined {
  const days = leaverNoticeDays(settings);
  if (event.urgent || days === 0 || cutoffAt(event) <= now) return undefined;
  const due = zonedTimeToUtc(addDays(event.effectiveDate, -days), step.at, event.employee.timezone);
  return (due > now ? due : now).toISOString();
}

/** The role a hire or role change is planned from, as intake found it in the catalog. */
export type PlannedRole =
  | {
      name: string;
      resolved: ResolvedRole;
      /** The rendered tree, kept on the run. */
      text: string;
      /** For a role change: the role held before and the run that granted it; absent, nothing is removed. */
      previous?: { role: ResolvedRole; runId: string };
      /** For a leaver: the run that granted the role held, whose grants the leaver's plan revokes. */
      grantedByRunId?: string;
      planned: number;
    }
  | { name: string; errors: RoleError[]; planned: number };

/**
 * The steps a resolved role calls for, and the parameters it gives the account's creation: a joiner's grants, a
 * mover's diff, a leaver's revocation of every grant of the role held (less what the leaver's playbook removes wholesale).
 */
function roleSteps(event: PlannedEvent, role: Extract<PlannedRole, { resolved: ResolvedRole }>, graceDays: number, playbookSteps: PlaybookStep[]): { account: AccountParams; steps: MoverStepPlan[] } {
  if (event.type === 'hire') return joinerPlan(role.resolved);
  if (event.type === 'role_change') return { account: {}, steps: moverPlan(role.previous?.role, role.resolved, graceDays) };
  return { account: {}, steps: leaverPlan(role.resolved, removedWholesale(playbookSteps)) };
}

/**
 * Whether an enabled playbook step already removes what a step planned from the role would: the same action, narrowed
 * by none of the parameters the role's step names (google.removeFromGroups with no `groups` leaves every group,
 * google.removeLicenses with no `products` every license, connect.removeAgent removes the whole agent).
 */
export function removedWholesale(playbookSteps: PlaybookStep[]): (step: MoverStepPlan) => boolean {
  return (step) => playbookSteps.some((s) => s.enabled && s.action === step.action && Object.keys(step.params).every((key) => !(key in (s.params ?? {}))));
}

/** Days a mover keeps what only the old role granted: the stage's setting, or the default. */
export const moverGraceDays = (settings: { moverGraceDays?: number }): number => settings.moverGraceDays ?? DEFAULT_GRACE_DAYS;

/** When a playbook's role steps are due (its role section), for a playbook without one the effective date's start. */
export const roleTiming = (playbook: Playbooks[PlannedEvent['type']]) => playbook.role ?? { offsetDays: 0, at: '00:00', after: [] as string[] };

/** When a step planned from the role falls due: `offsetDays` (a mover's removals: the grace days) after the playbook's role time. */
export function roleStepDueAt(event: Pick<PlannedEvent, 'effectiveDate' | 'employee'>, timing: { offsetDays: number; at: string }, offsetDays: number): string {
  return zonedTimeToUtc(addDays(event.effectiveDate, timing.offsetDays + offsetDays), timing.at, event.employee.timezone).toISOString();
}

/**
 * The run an event starts: every enabled playbook step, pending, with its due time, and, for an event
 * naming a role, the steps the role calls for (due at the playbook's role time; a mover's removals
 * `moverGraceDays` later). A role that cannot be resolved plans no role step and holds the run.
 */
export function planRun(event: PlannedEvent, playbooks: Playbooks, now: Date, settings: ScheduleSettings & { moverGraceDays?: number; leaverNoticeDays?: number }, role?: PlannedRole): Run {
  const playbook = playbooks[event.type];
  // A notice with no time before the cut-off is left out, as a disabled step is.
  const enabled = playbook.steps.filter((s) => s.enabled && (!s.notice || noticeDueAt(s, event, now, settings)));
  const enabledIds = new Set(enabled.map((s) => s.id));
  // Only a playbook with a role section (when the role's steps are due) plans from the role; a leaver's revocation
  // always is, at the cut-off, so a role's joiner and leaver cannot drift apart by a playbook left without one.
  const leaver = event.type === 'terminate';
  const fromRole = role && 'resolved' in role && (playbook.role || leaver) ? roleSteps(event, role, moverGraceDays(settings), enabled) : { account: {}, steps: [] };
  const clash = fromRole.steps.find((r) => enabledIds.has(r.id));
  if (clash) throw new Error(`the ${event.type} playbook has a step id ${clash.id}, which a step planned from the role uses`);
  const roleIds = fromRole.steps.map((r) => r.id);
  const steps: Step[] = enabled.map((s) => ({
    stepId: s.id,
    action: s.action,
    // The role says where the account goes and what it carries; the playbook's values are the defaults.
    params: s.action === CREATE_ACCOUNT_ACTION ? { ...s.params, ...fromRole.account } : s.params,
    status: 'pending',
    dueAt: s.notice ? noticeDueAt(s, event, now, settings)! : stepDueAt(s, event, now),
    // A disabled step is not planned, so nothing may wait for it.
    after: [...s.after.filter((dep) => enabledIds.has(dep)), ...(s.afterRole ? roleIds : [])],
    attempts: 0,
    // The catalog's class is added when the plan is finished (withPriorities); the playbook's override wins.
    ...(s.priority ? { priority: s.priority } : {}),
    ...(s.exactTime ? { exactTime: true as const } : {}),
  }));
  // A leaver whose cut-off passed before the event came: the run says why the manager got no notice.
  const late = !event.urgent && leaverNoticeDays(settings) > 0 && playbook.steps.some((s) => s.enabled && s.notice) && cutoffAt(event) <= now;
  const notes = late ? [`no leaver notice to the manager: the cut-off (${cutoffAt(event).toISOString()}) had passed when the event arrived`] : [];
  const timing = roleTiming(playbook);
  const timingAfter = timing.after.filter((dep) => enabledIds.has(dep));
  for (const r of fromRole.steps) {
    steps.push({
      stepId: r.id,
      action: r.action,
      params: r.params,
      status: 'pending',
      dueAt: leaver ? cutoffDueAt(event, now) : roleStepDueAt(event, timing, r.offsetDays),
      after: [...(r.after ?? []), ...(leaver ? [] : timingAfter)],
      attempts: 0,
      fromRole: true,
      ...(r.phase === 'remove' ? { removes: true as const } : {}),
    });
  }
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
      ...(role ? { role: runRole(role) } : {}),
      ...(notes.length ? { notes } : {}),
    },
    settings,
  );
}

/** What the run keeps of its role. */
function runRole(role: PlannedRole): RunRole {
  if ('errors' in role) return { name: role.name, errors: role.errors, planned: role.planned };
  return {
    name: role.name,
    resolved: role.resolved,
    text: role.text,
    ...(role.previous ? { previous: { name: role.previous.role.name, runId: role.previous.runId } } : {}),
    ...(role.grantedByRunId ? { grantedByRunId: role.grantedByRunId } : {}),
    planned: role.planned,
  };
}

/** The event a run was planned from, to plan it again (an operator's replan after the role was fixed). */
export function eventOf(run: Run): PlannedEvent {
  if (run.type === 'cancel' || run.type === 'revoke') throw new Error(`run ${run.runId} is a ${run.type}; it has no event of its own to plan again`);
  return { eventId: run.eventId, type: run.type, effectiveDate: run.effectiveDate, urgent: run.urgent, employee: run.employee };
}

/**
 * The role a role change moves from: the role of the employee's latest hire or role change that was
 * planned from a resolved role and not undone (cancelled or rejected). A run cancelled after one of its role's
 * grants succeeded (a termination stops a hire still going) still holds what it granted, unless a cancel event undid it.
 */
export function heldRole(runs: Run[], exceptRunId: string): { role: ResolvedRole; runId: string } | undefined {
  const cancelled = new Set(runs.map((r) => r.cancelsRunId).filter((id): id is string => id !== undefined));
  const granted = (r: Run) => (r.steps ?? []).some((s) => s.fromRole && !s.removes && s.status === 'succeeded');
  const last = runs
    .filter((r) => r.runId !== exceptRunId && (r.type === 'hire' || r.type === 'role_change') && r.role?.resolved)
    .filter((r) => !cancelled.has(r.runId) && (r.status !== 'cancelled' || granted(r)) && r.status !== 'rejected')
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .at(-1);
  return last?.role?.resolved ? { role: last.role.resolved, runId: last.runId } : undefined;
}

/**
 * The run a cancel event records: it points at the run it cancelled, and restores from their
 * records whatever that run's steps had already removed.
 */
export function planCancelRun(
  event: CancelEvent,
  cancelled: Run,
  now: Date,
  settings: ScheduleSettings,
  rules: (action: string) => RestoreRule | undefined,
  /** The employee's runs: a role change followed by another hire or role change that stands is not undone (laterRoleRun). */
  runs: readonly Run[] = [],
): Run {
  const at = now.toISOString();
  const restores = planRestoreSteps(cancelled.steps, rules, at, 'cancel');
  const later = restores.length ? laterRoleRun(runs, cancelled) : undefined;
  const notes = [...restoreNotes(cancelled.steps), ...(later ? [supersededRestoreNote(later, restores)] : [])];
  return withSchedule({
    runId: runIdFor(event.eventId),
    employeeId: cancelled.employeeId,
    eventId: event.eventId,
    type: 'cancel',
    status: 'scheduled',
    effectiveDate: event.effectiveDate ?? at.slice(0, 10),
    urgent: false,
    employee: cancelled.employee,
    steps: later ? [] : restores,
    version: 0,
    createdAt: at,
    updatedAt: at,
    cancelsRunId: cancelled.runId,
    ...(notes.length ? { notes } : {}),
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
  settings: ScheduleSettings & { moverGraceDays?: number; leaverNoticeDays?: number },
  rules: (action: string) => RestoreRule | undefined,
  role?: PlannedRole,
): Run {
  // The account to bring back is the former one: a hire that names none acts on it.
  const employee = { ...event.employee, email: event.employee.email ?? former.employee.email };
  const hire = planRun({ ...event, employee }, playbooks, now, settings, role);
  const restores = planRestoreSteps(former.steps, rules, rehireRestoreDueAt(event, now), 'rehire');
  const clash = restores.find((r) => hire.steps.some((s) => s.stepId === r.stepId));
  if (clash) throw new Error(`the hire playbook has a step id ${clash.stepId}, which a rehire's restore uses`);
  // The account is brought back first: the hire's own steps wait for every restore (a suspended account refuses them).
  const restoreIds = restores.map((r) => r.stepId);
  const steps = hire.steps.map((s) => ({
    ...s,
    after: [...restoreIds, ...s.after],
    ...(s.action === CREATE_ACCOUNT_ACTION ? { params: { ...s.params, returning: true } } : {}),
    // The restored license is changed to the role's rather than a second one of the product refused.
    ...(s.fromRole && s.action === 'google.assignLicense' && !s.params.replaces ? { params: { ...s.params, replaceHeld: true } } : {}),
  }));
  return withSchedule({ ...hire, steps: [...restores, ...steps], restoresRunId: former.runId }, settings);
}

/** The employee's latest termination that no cancel undid, no earlier rehire restored and no later hire dealt with. */
function lastTermination(runs: Run[], hireRunId: string): Run | undefined {
  const others = runs.filter((r) => r.runId !== hireRunId);
  const undone = new Set(others.flatMap((r) => [r.cancelsRunId, r.restoresRunId]).filter((id): id is string => id !== undefined));
  const last = others
    .filter((r) => r.type === 'terminate' && !undone.has(r.runId) && r.status !== 'cancelled' && r.status !== 'rejected')
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .at(-1);
  // Hired again since, by another event: that hire dealt with it.
  if (!last || others.some((r) => r.type === 'hire' && r.createdAt > last.createdAt)) return undefined;
  return last;
}

/** A termination has taken effect once one of its steps succeeded: only then did the person leave. */
export const terminationRan = (run: Run) => run.steps.some((s) => s.status === 'succeeded');

/**
 * The termination a hire brings back, if any: the employee's latest termination that has run (one of its
 * steps succeeded), that no cancel undid and no earlier rehire restored. A termination that has not run is
 * no former job: see `pendingTermination`.
 */
export function formerEmployment(runs: Run[], hireRunId: string): Run | undefined {
  const last = lastTermination(runs, hireRunId);
  return last && terminationRan(last) ? last : undefined;
}

/** A termination planned for the employee that has not run yet: a hire does not undo it, a cancel does. */
export function pendingTermination(runs: Run[], hireRunId: string): Run | undefined {
  const last = lastTermination(runs, hireRunId);
  return last && !terminationRan(last) && last.status !== 'completed' ? last : undefined;
}
