/**
 * The community's member tasks in OpenProject (docs/openproject.md#member-tasks): a work package per proposed hire,
 * carrying its specification, whose status workflow drives the run. `openMemberTask` opens the task of a run waiting
 * for approval; `memberTaskChanged` reads a task set to `scheduled` (from the webhook or a poll): the specification
 * applied through the normal revision path, then the engine's approval, recorded with the OpenProject user as the
 * approver; `memberTaskReports` writes back what the run does (a failure sends the task back to In specification with
 * a comment; the end adds one). No comment is ever written on a task in specification.
 */
import { randomUUID } from 'node:crypto';
import type { MemberTaskSettings } from '../../config/openproject';
import type { PlannedEvent, Run } from '../engine/model';
import type { EngineDeps, RunNotice, RunReports } from '../engine/ports';
import { parseLifecycleEvent } from '../engine/event-schema';
import { intake } from '../engine/intake';
import { operatorApprove, operatorRetry } from '../engine/operator';
import type { ProposalAccepted } from '../engine/proposals';
import { intakeOrRevise } from '../engine/revision';
import { previewEvent } from '../engine/preview';
import { updateRun, type RunChange } from '../engine/run-updates';
import { errorFields } from '../shared/log-fields';
import { idOfLink, OpenProjectApiError, type OpenProjectClient, type WorkPackage } from '../providers/openproject/openproject-client';
import { accountProblems, accountsOfRun, employeeOf, parseSpecification, OPENPROJECT_ACTOR, problemsComment, runIdOf, specificationOf, taskDescription, taskReport, taskSubject, type Specification, type SpecProblem } from './member-task-spec';

export interface MemberTaskDeps {
  engine: EngineDeps;
  /** The OpenProject client (the stage's API token). */
  openproject: () => OpenProjectClient | Promise<OpenProjectClient>;
  settings: MemberTaskSettings & { emailDomain?: string };
}

/** How the audit trail names the member task intake. */
export const MEMBER_TASK_ACTOR = 'openproject-member-task';

/** The approver as the audit trail names them: the OpenProject user who set the task to scheduled. */
export const openProjectActor = (login: string | undefined): string => `${OPENPROJECT_ACTOR}${login ?? 'unknown user'}`;

type Role = 'inSpecification' | 'scheduled' | 'inProgress' | 'other';

const statusCache = new WeakMap<MemberTaskDeps, Promise<Map<string, number>>>();

/** The workflow's statuses by name → id (read once per deps; a status the stage names that OpenProject lacks is an error). */
async function statusIds(deps: MemberTaskDeps): Promise<Record<'inSpecification' | 'scheduled' | 'inProgress', number>> {
  let known = statusCache.get(deps);
  if (!known) {
    known = Promise.resolve(deps.openproject()).then(async (c) => new Map((await c.statuses()).map((s) => [s.name, s.id])));
    statusCache.set(deps, known);
    known.catch(() => statusCache.delete(deps));
  }
  const byName = await known;
  const out = {} as Record<'inSpecification' | 'scheduled' | 'inProgress', number>;
  for (const key of ['inSpecification', 'scheduled', 'inProgress'] as const) {
    const id = byName.get(deps.settings.statuses[key]);
    if (id === undefined) throw new Error(`OpenProject has no status ${JSON.stringify(deps.settings.statuses[key])} (openproject.memberTasks.statuses.${key})`);
    out[key] = id;
  }
  return out;
}

async function roleOf(deps: MemberTaskDeps, wp: WorkPackage): Promise<Role> {
  const ids = await statusIds(deps);
  const id = idOfLink(wp._links.status);
  return id === ids.inSpecification ? 'inSpecification' : id === ids.scheduled ? 'scheduled' : id === ids.inProgress ? 'inProgress' : 'other';
}

/** How long a claim to open a run's member task holds before another call takes it over (its call died). */
export const OPENING_CLAIM_STALE_MS = 5 * 60_000;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Another call holds the claim to open the run's member task and has not recorded it: try again later. */
export class MemberTaskOpeningPending extends Error {
  readonly retryable = true;
  constructor(readonly runId: string) {
    super(`the member task of run ${runId} is being opened by another call; try again later`);
    this.name = 'MemberTaskOpeningPending';
  }
}

/**
 * Opens the member task of a proposed hire (a hire run waiting for approval): a work package of the stage's project
 * and type, In specification, whose description is the specification, recorded on the run. Idempotent: a run that has
 * one, or whose task is found in the project (made by an earlier call whose record was lost), gets no second one.
 * Two calls at once (a sync turn repeated by another process) make one: the call that claims the opening on the run
 * (a conditional write) makes the task; the other waits for its record, or finds the task in the project. A claim
 * older than OPENING_CLAIM_STALE_MS (its call died) is taken over: the project is searched first, then the task made.
 * Answers the work package id, or undefined for a run that is not a proposed hire. A call that finds another's claim
 * and neither its record nor its task after a few seconds throws `MemberTaskOpeningPending` (retryable): its caller
 * (the proposal, so the Matrix command) is not counted as done and comes again, and takes the claim over once stale.
 * The task records the run's personal address as the one it may approve (`approvedEmail`: the proposal's).
 */
export async function openMemberTask(deps: MemberTaskDeps, run: Run): Promise<{ workPackageId: number; created: boolean } | undefined> {
  if (run.type !== 'hire' || run.status !== 'awaiting_approval') return undefined;
  const stored = (await deps.engine.store.getRun(run.employeeId, run.runId)) ?? run;
  if (stored.memberTask) return { workPackageId: stored.memberTask.workPackageId, created: false };
  const { project, typeId } = deps.settings;
  const claim = randomUUID();
  const claimedAt = deps.engine.clock.now();
  const claimed = await updateRun(deps.engine, run.employeeId, run.runId, (current): RunChange<{ recorded?: number; won: boolean }> => {
    if (current.memberTask) return { run: current, value: { recorded: current.memberTask.workPackageId, won: false } };
    const other = current.memberTaskOpening;
    if (other && claimedAt.getTime() - Date.parse(other.at) < OPENING_CLAIM_STALE_MS) return { run: current, value: { won: false } };
    return { run: { ...current, memberTaskOpening: { claim, at: claimedAt.toISOString() } }, value: { won: true } };
  });
  if (claimed.value.recorded !== undefined) return { workPackageId: claimed.value.recorded, created: false };
  const client = await deps.openproject();
  const findInProject = async () => (await client.workPackagesOf(project, { typeId })).find((wp) => runIdOf(wp.description?.raw) === run.runId);
  if (!claimed.value.won) {
    // Another call is opening it: its record, once written, or the task it made.
    for (let i = 0; i < 20; i++) {
      const now = await deps.engine.store.getRun(run.employeeId, run.runId);
      if (now?.memberTask) return { workPackageId: now.memberTask.workPackageId, created: false };
      if (!now?.memberTaskOpening) break;
      await pause(250);
    }
    const found = await findInProject();
    if (found) return { workPackageId: found.id, created: false };
    deps.engine.log.info('member task being opened by another call', { runId: run.runId });
    throw new MemberTaskOpeningPending(run.runId);
  }
  let wp: WorkPackage;
  let existing: WorkPackage | undefined;
  try {
    existing = await findInProject();
    const ids = await statusIds(deps);
    wp = existing ?? (await client.createWorkPackage(project, { subject: taskSubject(stored), description: taskDescription(stored), typeId, statusId: ids.inSpecification }));
  } catch (err) {
    // Nothing made: the claim is given up, so the next call (a repeated turn) opens the task at once.
    await updateRun(deps.engine, run.employeeId, run.runId, (current) => {
      if (current.memberTaskOpening?.claim !== claim) return { run: current, value: null };
      const { memberTaskOpening: _o, ...rest } = current;
      return { run: rest, value: null };
    }).catch(() => undefined);
    throw err;
  }
  await updateRun(deps.engine, run.employeeId, run.runId, (current) => {
    const { memberTaskOpening: _o, ...rest } = current;
    if (current.memberTask) return { run: current.memberTaskOpening?.claim === claim ? rest : current, value: null };
    const personal = current.employee.personalEmail;
    return { run: { ...rest, memberTask: { system: 'openproject', workPackageId: wp.id, ...(personal ? { approvedEmail: personal } : {}) } }, audit: [{ actor: MEMBER_TASK_ACTOR, change: `member task #${wp.id} opened in OpenProject project ${project}, In specification`, detail: { workPackageId: wp.id } }], value: null };
  });
  deps.engine.log.info('member task opened', { runId: run.runId, workPackageId: wp.id, created: !existing });
  return { workPackageId: wp.id, created: !existing };
}

/** Sets the task's status (read again for its lockVersion; once more on a 409 UpdateConflict). */
async function moveTask(client: OpenProjectClient, id: number, statusId: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const wp = await client.getWorkPackage(id);
    if (!wp || idOfLink(wp._links.status) === statusId) return;
    try {
      await client.updateWorkPackage(id, wp.lockVersion, { statusId });
      return;
    } catch (err) {
      if (attempt < 3 && err instanceof OpenProjectApiError && err.identifier === 'UpdateConflict') continue;
      throw err;
    }
  }
}

/** A comment, then the move back to In specification: the comment is written while the task is not in specification. */
async function sendBack(deps: MemberTaskDeps, wp: WorkPackage, comment: string): Promise<void> {
  const client = await deps.openproject();
  if ((await roleOf(deps, (await client.getWorkPackage(wp.id)) ?? wp)) === 'inSpecification') return;
  await client.comment(wp.id, comment);
  await moveTask(client, wp.id, (await statusIds(deps)).inSpecification);
}

/** The event field a refusal names, as the specification names it. */
const SPEC_FIELD_OF: Record<string, SpecProblem['field']> = {
  'employee.firstName': 'First name',
  'employee.lastName': 'Last name',
  'employee.email': 'Username',
  'employee.personalEmail': 'Email',
  'employee.role': 'Role',
  effectiveDate: 'First day',
};
const specField = (path: string): SpecProblem['field'] => SPEC_FIELD_OF[path] ?? 'description';

export type TaskOutcome =
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'sent back'; runId: string; problems: SpecProblem[] }
  | { outcome: 'started'; runId: string; revised: boolean; approved: boolean; retried: string[] }
  /**
   * The task changed the personal email: the run waits for an approver in the console or API (four eyes). `reason`
   * names ids only (it goes back to the webhook's sender); the audit trail has the addresses.
   */
  | { outcome: 'held'; runId: string; revised: boolean; reason: string }
  /** The change is being handled by another delivery that has not finished: delivered again later, it is handled then. */
  | { outcome: 'busy'; reason: string }
  | { outcome: 'role changed'; runId: string };

/** The task's last status change (its newest journal with one): the journal's id, and who made it by their login. */
export async function lastStatusChange(client: OpenProjectClient, workPackageId: number): Promise<{ activityId: number; login?: string } | undefined> {
  const activities = await client.activities(workPackageId);
  const last = [...activities].reverse().find((a) => (a.details ?? []).some((d) => /status/i.test(String((d as { raw?: unknown }).raw ?? ''))));
  if (!last) return undefined;
  const userId = idOfLink(last._links.user);
  const login = userId === undefined ? undefined : (await client.getUser(userId))?.login;
  return { activityId: last.id, ...(login ? { login } : {}) };
}

/** Who last changed the task's status, by their login. */
export async function statusChangedBy(client: OpenProjectClient, workPackageId: number): Promise<string | undefined> {
  return (await lastStatusChange(client, workPackageId))?.login;
}

/** How long a claim on a task's status change holds before a later delivery takes it over (its handling died). */
export const HANDLING_CLAIM_STALE_MS = 10 * 60_000;

/** The runs of a task: its first run and later role changes made from it; the newest last. */
async function runsOfTask(deps: MemberTaskDeps, first: Run, workPackageId: number): Promise<Run[]> {
  const runs = await deps.engine.store.listRuns(first.employeeId);
  return runs.filter((r) => r.runId === first.runId || r.memberTask?.workPackageId === workPackageId).sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
}

/** The personal address as compared for the four-eyes hold: case does not matter. */
const personalOf = (run: Run) => run.employee.personalEmail?.toLowerCase();

/**
 * The personal address the task may approve (four eyes): the one its run records (`memberTask.approvedEmail`: the
 * proposal's, or the one an approver in the console or API approved last). A task opened before that was recorded
 * falls back to the address its hold started from, else the run's before this handling.
 */
function approvableEmail(run: Run, before: Run): string | undefined {
  const task = run.memberTask;
  if (task?.approvedEmail) return task.approvedEmail.toLowerCase();
  if (task?.emailHeld && before.status === 'awaiting_approval') return task.emailHeld.from?.toLowerCase();
  return personalOf(before);
}

/** Why the task must not approve the run as it is now (four eyes), if it must not: checked again inside the approval's write. */
function fourEyesHold(current: Run, approvable: string | undefined): string | undefined {
  if (current.memberTask?.emailHeld) return 'its personal email waits for an approver in the console or API';
  const allowed = current.memberTask?.approvedEmail?.toLowerCase() ?? approvable;
  if (personalOf(current) !== allowed) return 'its personal email is not the one approved or proposed, so an approver in the console or API approves it';
  return undefined;
}

/**
 * A task changed in OpenProject (`by`: the login of who changed it). Only a task set to `scheduled` acts, once per
 * status change: the change (its journal) is claimed on the run by a conditional write before anything is written, so
 * a delivery sent twice at once, or a delivery and a poll, act once; the other answers `ignored`. Then its
 * specification is read (a problem: a comment naming the field and back to In specification, nothing changed on the
 * run), applied to the run through the normal revision path when it differs, the role's accounts checked, and the run
 * approved (a run waiting for approval) or its failed steps retried (a run sent back after a failure), recorded with
 * the OpenProject user as the actor; the task goes to `in progress` with a comment first. A specification that changes
 * the personal email (where the welcome and credentials go) approves nothing: its author would approve their own
 * address, so the run waits for an approver in the console or API, and the task says so (`held`). A task of a
 * completed run whose role changed plans a role change run: the new role's additional accounts (the mover plan from
 * the diff).
 */
export async function memberTaskChanged(deps: MemberTaskDeps, delivered: WorkPackage, by?: string): Promise<TaskOutcome> {
  // Read again: a delivery sent twice, or late, shows the task as it was; the task as it is now decides.
  const client = await deps.openproject();
  const wp = (await client.getWorkPackage(delivered.id)) ?? delivered;
  const runId = runIdOf(wp.description?.raw);
  if (!runId) return { outcome: 'ignored', reason: `work package ${wp.id} names no run in its description` };
  const first = await deps.engine.store.findRun(runId);
  if (!first) return { outcome: 'ignored', reason: `run ${runId} named by work package ${wp.id} is not recorded` };
  // A description anyone may write names the run; only the task the run itself records as its member task acts on it,
  // so a task naming another person's run changes nothing.
  if (first.memberTask?.workPackageId !== wp.id) {
    deps.engine.log.warn('member task names a run that is not its own', { runId, workPackageId: wp.id });
    return { outcome: 'ignored', reason: `work package ${wp.id} is not run ${runId}'s member task` };
  }
  const role = await roleOf(deps, wp);
  if (role !== 'scheduled') return { outcome: 'ignored', reason: `work package ${wp.id} is ${wp._links.status.title ?? 'in another status'}: nothing to do until it is set to ${deps.settings.statuses.scheduled}` };
  // The webhook does not say who made the change: the task's journal does, and its id names the change.
  const change = await lastStatusChange(client, wp.id);
  by ??= change?.login;
  // An approval is recorded with the person who gave it: a change whose author the journal does not show approves nothing.
  if (!by) return { outcome: 'ignored', reason: `work package ${wp.id}: who set it to scheduled is not in its history` };
  // The task read again after its journal: when another handling moved it before the journal was read, the newest
  // status change is that move, not the one to scheduled; the task then shows it, and this delivery has nothing to do
  // (and claims nothing, so the other's claim stands).
  const movedOn = async () => {
    const still = await client.getWorkPackage(wp.id);
    return !still || (await roleOf(deps, still)) !== 'scheduled';
  };
  const movedOnAnswer: TaskOutcome = { outcome: 'ignored', reason: `work package ${wp.id} moved on from ${deps.settings.statuses.scheduled} while it was read: handled by another delivery, or changed again` };
  if (await movedOn()) return movedOnAnswer;
  const key = change ? `journal:${change.activityId}` : `lockVersion:${wp.lockVersion}`;
  const at = deps.engine.clock.now();
  const claim = await updateRun(deps.engine, first.employeeId, first.runId, (current): RunChange<'claimed' | 'done' | 'busy' | 'not its task'> => {
    const task = current.memberTask;
    if (task?.workPackageId !== wp.id) return { run: current, value: 'not its task' };
    const h = task.handled;
    if (h && h.change === key && h.done) return { run: current, value: 'done' };
    if (h && h.change === key && at.getTime() - Date.parse(h.at) < HANDLING_CLAIM_STALE_MS) return { run: current, value: 'busy' };
    return { run: { ...current, memberTask: { ...task, handled: { change: key, at: at.toISOString() } } }, value: 'claimed' };
  });
  if (claim.value === 'not its task') return { outcome: 'ignored', reason: `work package ${wp.id} is not run ${runId}'s member task` };
  if (claim.value === 'done') return { outcome: 'ignored', reason: `work package ${wp.id}: its change to ${deps.settings.statuses.scheduled} is already handled` };
  // Claimed by a handling not finished (still going, or died less than HANDLING_CLAIM_STALE_MS ago): not dropped, the
  // sender is asked to deliver it again (the webhook answers 503, the poll keeps its cursor before the task).
  if (claim.value === 'busy') return { outcome: 'busy', reason: `work package ${wp.id}: its change to ${deps.settings.statuses.scheduled} is being handled; deliver it again later` };
  const settle = (done: boolean) =>
    updateRun(deps.engine, first.employeeId, first.runId, (current) => {
      const task = current.memberTask;
      if (!task?.handled || task.handled.change !== key || task.handled.at !== at.toISOString()) return { run: current, value: null };
      const { handled: _h, ...rest } = task;
      return { run: { ...current, memberTask: done ? { ...task, handled: { ...task.handled, done: true } } : rest }, value: null };
    });
  let outcome: TaskOutcome;
  try {
    // Once more under the claim: a person may have changed the status since (a new change, handled by its own delivery).
    const newest = change ? await lastStatusChange(client, wp.id) : undefined;
    if ((change && newest?.activityId !== change.activityId) || (await movedOn())) {
      await settle(false);
      return movedOnAnswer;
    }
    outcome = await handleScheduled(deps, client, wp, first, by);
  } catch (err) {
    // Not handled (OpenProject or the store did not answer): the claim is given up, so the delivery sent again acts.
    await settle(false).catch(() => undefined);
    throw err;
  }
  await settle(true).catch((err: unknown) => deps.engine.log.warn('member task handling not marked done', { runId, workPackageId: wp.id, ...errorFields(err) }));
  return outcome;
}

/**
 * The Accounts line checked against the run the revision would make, before it is made: the run's own accounts when the
 * role stays, else the new role's as the intake would plan them (a read-only preview under a probe event id). A
 * preview the intake would refuse finds nothing here: the revision answers that refusal itself.
 */
async function revisedAccountProblems(deps: MemberTaskDeps, spec: Specification, run: Run, event: PlannedEvent): Promise<SpecProblem[]> {
  if ((event.employee.role ?? '') === (run.employee.role ?? '')) return accountProblems(spec, run);
  const preview = await previewEvent(deps.engine, { ...event, eventId: `${run.eventId}#accounts` });
  if (preview.outcome !== 'planned') return [];
  return accountProblems(spec, { steps: preview.preview.steps.map((s) => ({ ...s, status: 'pending' })) as Run['steps'], role: preview.preview.role ? ({ name: preview.preview.role.name } as Run['role']) : undefined });
}

/** The handling of a task set to scheduled, once its change is claimed. */
async function handleScheduled(deps: MemberTaskDeps, client: OpenProjectClient, wp: WorkPackage, first: Run, by: string): Promise<TaskOutcome> {
  const runs = await runsOfTask(deps, first, wp.id);
  let run = runs[runs.length - 1];
  const actor = openProjectActor(by);
  const scheduled = deps.settings.statuses.scheduled;
  const bounce = async (problems: SpecProblem[]): Promise<TaskOutcome> => {
    await sendBack(deps, wp, problemsComment(problems, scheduled));
    deps.engine.log.info('member task sent back', { runId: run.runId, workPackageId: wp.id, fields: problems.map((p) => p.field).join(',') });
    return { outcome: 'sent back', runId: run.runId, problems };
  };
  const parsed = parseSpecification(wp.description?.raw);
  if (!parsed.ok) return bounce(parsed.problems);
  const spec = parsed.spec;
  const shaped = employeeOf(run, spec, deps.settings.emailDomain);
  if (!shaped.ok) return bounce(shaped.problems);
  const ids = await statusIds(deps);

  if (run.status === 'completed') {
    // Four eyes: a role change run is not held for an approver, so it never carries an address written on the task.
    if (shaped.employee.personalEmail?.toLowerCase() !== personalOf(run)) {
      return bounce([{ field: 'Email', message: `the accounts are made, so the personal email is not changed from this task: an approver changes it in the console or through the API (run ${run.runId})` }]);
    }
    if ((shaped.employee.role ?? '') === (run.employee.role ?? '')) {
      const problems = accountProblems(spec, run);
      if (problems.length) return bounce(problems);
      return { outcome: 'ignored', reason: `run ${run.runId} is completed and the task asks for nothing new` };
    }
    // A later edit granting more: a role change run, whose plan is the diff of the roles (the additions, and what the old role alone gave after the grace period).
    const eventId = `openproject-${wp.id}-${runs.length + 1}`;
    const event = parseLifecycleEvent({ eventId, type: 'role_change', effectiveDate: deps.engine.clock.now().toISOString().slice(0, 10), employee: shaped.employee }, deps.engine.clock.now());
    if (!event.ok) return bounce(event.issues.map((i) => ({ field: specField(i.path), message: i.message })));
    await client.comment(wp.id, `Role changed to ${shaped.employee.role ?? '(none)'} by ${by}: the accounts it adds are being made.`);
    await moveTask(client, wp.id, ids.inProgress);
    const result = await intake(deps.engine, event.event, event.canonical);
    if (result.outcome !== 'created' && result.outcome !== 'duplicate') return bounce([{ field: result.outcome === 'rejected' ? specField(result.path) : 'Role', message: result.message }]);
    await updateRun(deps.engine, result.run.employeeId, result.run.runId, (current) => (current.memberTask ? { run: current, value: null } : { run: { ...current, memberTask: { system: 'openproject', workPackageId: wp.id } }, audit: [{ actor, change: `role change asked on member task #${wp.id}` }], value: null }));
    return { outcome: 'role changed', runId: result.run.runId };
  }
  if (!['awaiting_approval', 'scheduled', 'in_progress', 'needs_attention'].includes(run.status)) return { outcome: 'ignored', reason: `run ${run.runId} is ${run.status}` };

  // The specification applied through the revision path when it says something else than the run.
  const before = run;
  const now = specificationOf(run);
  const differs = JSON.stringify({ ...now, accounts: [] }) !== JSON.stringify({ ...specificationOf({ ...run, employee: shaped.employee, effectiveDate: spec.firstDay }), accounts: [] });
  let revised = false;
  if (differs) {
    const event = parseLifecycleEvent({ eventId: run.eventId, type: 'hire', effectiveDate: spec.firstDay, employee: shaped.employee }, deps.engine.clock.now());
    if (!event.ok) return bounce(event.issues.map((i) => ({ field: specField(i.path), message: i.message })));
    // The accounts are checked before the revision is written: a specification sent back changes nothing on the run.
    const early = await revisedAccountProblems(deps, spec, run, event.event as PlannedEvent);
    if (early.length) return bounce(early);
    // A changed personal email always holds the run for an approver, whatever the stage's approvePersonalEmailChanges says
    // (a run already approved goes back to waiting for approval; one under way refuses the revision): its author cannot approve it.
    const engine = { ...deps.engine, settings: { ...deps.engine.settings, approvePersonalEmailChanges: true, personalEmailChangeRule: 'a member task: its author does not approve the address it wrote' } };
    const result = await intakeOrRevise(engine, event.event as PlannedEvent, event.canonical, actor);
    if (result.outcome === 'rejected') return bounce([{ field: specField(result.path), message: result.message }]);
    if (result.outcome === 'conflict' || result.outcome === 'unavailable') return bounce([{ field: 'description', message: result.message }]);
    if (result.outcome === 'stale') return { outcome: 'ignored', reason: 'an older state of the task' };
    run = result.run;
    revised = result.outcome === 'revised';
  }
  const problems = accountProblems(spec, run);
  if (problems.length) return bounce(problems);

  // Four eyes: whoever wrote the address the welcome and credentials go to does not approve it themselves. Compared with
  // the address the task may approve, not with the run before this handling: an earlier handling may have written the
  // address and been sent back (another field) or died before its hold. A hold stands until an approver decides.
  const approvable = approvableEmail(run, before);
  if (run.status === 'awaiting_approval' && fourEyesHold(run, approvable)) return holdForApprover(deps, client, wp, run, approvable, by, revised);

  // The task moves first, so a step failing right after the approval finds it in progress and sends it back.
  const waiting = run.steps.filter((s) => s.status === 'needs_attention').map((s) => s.stepId);
  const accounts = accountsOfRun(run).join(', ') || 'no account';
  await client.comment(wp.id, `${run.status === 'awaiting_approval' ? 'Approved' : 'Scheduled again'} by ${by}${revised ? ' as specified' : ''}: making ${accounts} for ${[shaped.employee.firstName, shaped.employee.lastName].filter(Boolean).join(' ')}, first day ${spec.firstDay}.`);
  await moveTask(client, wp.id, ids.inProgress);
  let approved = false;
  const retried: string[] = [];
  try {
    if (run.status === 'awaiting_approval') {
      // The plan hash binds the person too (a run held again for another address has another hash), and the four-eyes
      // check is made again inside the approval's write: a later change of the task held meanwhile is not approved here.
      await operatorApprove(deps.engine, run.runId, run.approval!.planHash, actor, undefined, (current) => fourEyesHold(current, approvable));
      approved = true;
    } else
      for (const stepId of waiting) {
        await operatorRetry(deps.engine, run.runId, stepId, actor);
        retried.push(stepId);
      }
  } catch (err) {
    // Approved or retried already from this task (by a handling of an earlier change): done, not a failure.
    const current = await deps.engine.store.findRun(run.runId);
    const done =
      run.status === 'awaiting_approval'
        ? current?.approval?.decision === 'approved' && Boolean(current.approval.decidedBy?.startsWith(OPENPROJECT_ACTOR))
        : waiting.every((id) => current?.steps.find((s) => s.stepId === id)?.status !== 'needs_attention');
    if (done) {
      deps.engine.log.info('member task already scheduled', { runId: run.runId, workPackageId: wp.id });
      return { outcome: 'started', runId: run.runId, revised, approved: false, retried };
    }
    // A later change of the task (its Email) holds the run meanwhile: the task goes back to scheduled and says so.
    if (run.status === 'awaiting_approval' && current?.status === 'awaiting_approval' && fourEyesHold(current, approvable)) {
      await moveTask(client, wp.id, ids.scheduled);
      return holdForApprover(deps, client, wp, current, approvable, by, revised);
    }
    deps.engine.log.warn('member task approval refused', { runId: run.runId, workPackageId: wp.id, ...errorFields(err) });
    return bounce([{ field: 'description', message: err instanceof Error ? err.message : String(err) }]);
  }
  deps.engine.log.info('member task scheduled', { runId: run.runId, workPackageId: wp.id, approved, revised });
  return { outcome: 'started', runId: run.runId, revised, approved, retried };
}

/**
 * The run waiting for approval has a personal email the task may not approve (changed from the task, now or in an
 * earlier change still unapproved): the run keeps waiting for an approver in the console or API, the task stays
 * scheduled and says so (it is not in specification, so a comment is written), and the audit trail records why the
 * task approved nothing, with both addresses. The answer names ids only.
 */
async function holdForApprover(deps: MemberTaskDeps, client: OpenProjectClient, wp: WorkPackage, run: Run, approvable: string | undefined, by: string, revised: boolean): Promise<TaskOutcome> {
  const actor = openProjectActor(by);
  const at = deps.engine.clock.now().toISOString();
  await updateRun(deps.engine, run.employeeId, run.runId, (current) => {
    const task = current.memberTask ?? { system: 'openproject' as const, workPackageId: wp.id };
    const to = current.employee.personalEmail;
    const from = task.emailHeld?.from ?? task.approvedEmail ?? approvable;
    const same = task.emailHeld && task.emailHeld.to?.toLowerCase() === to?.toLowerCase();
    const held = same ? task.emailHeld! : { by: actor, ...(from ? { from } : {}), ...(to ? { to } : {}), at };
    const change = `approval from member task #${wp.id} withheld: the personal email was changed on member task #${wp.id} (from ${from ?? '(none)'} to ${to ?? '(none)'}): the welcome and credentials go there, so the task's author cannot approve it; an approver approves run ${current.runId} in the console or API`;
    return { run: { ...current, memberTask: { ...task, emailHeld: held } }, audit: [{ actor, change, from: current.status, to: current.status, detail: { workPackageId: wp.id } }], value: null };
  });
  await client.comment(
    wp.id,
    `Not approved from this task: the Email line was changed (the welcome and the account details go to that address), and whoever changes it cannot approve it too. An approver other than ${by} approves run ${run.runId} in the console or through the API; the accounts are made then.`,
  );
  deps.engine.log.info('member task held for an approver', { runId: run.runId, workPackageId: wp.id, revised });
  const reason = `the personal email was changed on member task #${wp.id}: the task's author cannot approve it; an approver approves run ${run.runId} in the console or API`;
  return { outcome: 'held', runId: run.runId, revised, reason };
}

/**
 * The write-back to a run's member task (the engine's RunReports): a step needing an operator sends the task back to
 * In specification with a comment naming it; the end adds a comment (accounts ready). Best effort: a failure is logged
 * by ids and code, the run stands.
 */
export function memberTaskReports(deps: MemberTaskDeps): RunReports {
  return {
    async runChanged(run: Run, notice: RunNotice) {
      if (!run.memberTask) return;
      const id = run.memberTask.workPackageId;
      try {
        const client = await deps.openproject();
        const wp = await client.getWorkPackage(id);
        if (!wp) return void deps.engine.log.warn('member task gone', { runId: run.runId, workPackageId: id });
        const report = taskReport(run, notice, await roleOf(deps, wp));
        if (report.comment) await client.comment(id, report.comment);
        if (report.moveTo) await moveTask(client, id, (await statusIds(deps))[report.moveTo]);
        if (report.comment || report.moveTo) deps.engine.log.info('member task reported', { runId: run.runId, workPackageId: id, ...(report.moveTo ? { movedTo: report.moveTo } : {}) });
      } catch (err) {
        deps.engine.log.warn('member task not reported', { runId: run.runId, workPackageId: id, ...errorFields(err) });
      }
    },
  };
}

/**
 * For a stage without webhooks: the member tasks updated since `since` (ISO), oldest update first, each read as a
 * webhook delivery would be. Answers the outcomes and the next call's `since`: the newest update time seen, but never
 * past a task whose change another handling has claimed and not finished (`busy`), so the next poll reads it again.
 */
export async function pollMemberTasks(deps: MemberTaskDeps, since: string): Promise<{ next: string; outcomes: TaskOutcome[] }> {
  const client = await deps.openproject();
  const changed = await client.workPackagesOf(deps.settings.project, { typeId: deps.settings.typeId, updatedSince: since });
  const outcomes: TaskOutcome[] = [];
  let next = since;
  let stopped = false;
  for (const wp of [...changed].sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : 0))) {
    let outcome: TaskOutcome;
    try {
      outcome = await memberTaskChanged(deps, wp);
    } catch (err) {
      // One task whose handling fails holds the position before it (it is read again next turn), never the tasks after it.
      deps.engine.log.error('member task poll: a task not handled, read again next turn', { workPackageId: wp.id, ...errorFields(err) });
      outcome = { outcome: 'busy', reason: `work package ${wp.id} could not be handled: ${err instanceof Error ? err.message : String(err)}` };
    }
    outcomes.push(outcome);
    if (outcome.outcome === 'busy') stopped = true;
    if (!stopped && wp.updatedAt > next) next = wp.updatedAt;
  }
  return { next, outcomes };
}

/**
 * What follows every accepted proposal on a stage, in order: the one place the composition roots (the local runtime and
 * the Matrix sync function) read it from. With the stage's member tasks, a proposed hire gets its member task
 * (`openMemberTask`, idempotent: a repeated proposal finds the task it has); without them, nothing follows.
 */
export function proposalFollowUps(memberTasks?: MemberTaskDeps): ProposalAccepted[] {
  if (!memberTasks) return [];
  return [async (_deps, run) => void (await openMemberTask(memberTasks, run))];
}
