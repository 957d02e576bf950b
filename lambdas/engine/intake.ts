/** Accepts an HR event: records it once, plans its run, and queues at once whatever is already due. */
import { bodyHash, runIdFor } from './ids';
import { HELD_RUN_STATUSES, PROPOSAL_SOURCE_NAMES, REHIRE_CANCEL, type CancelEvent, type HireProposalMark, type LifecycleEvent, type PlannedEvent, type Run } from './model';
import { buildRoleAlert } from './alerts';
import { formerEmployment, pendingTermination, planCancelRun, planRehireRun, planRun, type PlannedRole } from './plan';
import { WELCOME_EMAIL_ACTION } from './action-names';
import { knownAddress, leaverRole, roleForEvent, unrevokedRoleNote } from './role-planning';
import type { EngineDeps } from './ports';
import { queuedAudit, updateRun } from './run-updates';
import { holdForApproval, releaseDue } from './step-machine';
import { scheduleWakes } from './wakes';
import { withPriorities } from './priority';
import { guardMassChange, joinQuarantineBatch } from './mass-change';
import { cancelFor } from './cancellation';
import { mergeProfile } from './profile';
import { hasStarted, overlapMessage, stoppedByTermination, terminationOverlap, unfinishedJoiners } from './termination-overlap';
import type { EventRecord } from '../store/lifecycle-store';

export type IntakeResult =
  | { outcome: 'created'; run: Run }
  | { outcome: 'duplicate'; run: Run }
  | { outcome: 'conflict'; message: string }
  | { outcome: 'rejected'; path: string; message: string }
  /** Something the plan needs (the role catalog) cannot be read now; nothing was recorded. */
  | { outcome: 'unavailable'; message: string };

/** How the audit trail names the HR system, the sender of a signed event. */
export const HR_ACTOR = 'hr-event';

/**
 * Who sent an event: the HR system (a signed `POST /v1/events`), or a person through the operator route
 * (`POST /v1/operator/events`), named as the audit trail names operators. Every write the event causes is theirs.
 */
export interface EventOrigin {
  /** Set for an event sent through the operator route: the person (or machine) who sent it. */
  sentBy?: string;
  /** The sender's stable subject (their token's `sub`), when it carried one. */
  senderSubject?: string;
  /** When the source of the request last changed (a Jira ticket's `updated`, ISO UTC): kept on the run (Run.sourceUpdatedAt). */
  sourceUpdatedAt?: string;
  /** A hire proposed from outside HR (proposals.ts): kept on the run and its event record; the run waits for approval. */
  proposal?: HireProposalMark;
}

const actorOf = (origin: EventOrigin): string => origin.sentBy ?? (origin.proposal ? `${origin.proposal.source}:${origin.proposal.proposedBy}` : HR_ACTOR);
/** The run as its origin sent it: an event from the operator route names its sender on the run. */
export const withSender = (run: Run, origin: EventOrigin): Run => {
  const sent = origin.sentBy ? { ...run, sentBy: origin.sentBy, ...(origin.senderSubject ? { sentBySubject: origin.senderSubject } : {}) } : run;
  const proposed = origin.proposal && run.type === 'hire' ? { ...sent, proposal: origin.proposal } : sent;
  return origin.sourceUpdatedAt ? { ...proposed, sourceUpdatedAt: origin.sourceUpdatedAt } : proposed;
};

/** Queues the steps of a new run that are due already (an urgent leaver, a late event). */
async function releaseNow(deps: EngineDeps, run: Run, origin: EventOrigin): Promise<Run> {
  const { run: next } = await updateRun(deps, run.employeeId, run.runId, (current) => {
    const released = releaseDue(current, deps.clock.now(), deps.settings);
    return { run: released.run, enqueue: released.enqueue, audit: queuedAudit(current, released.enqueue, actorOf(origin)), value: null };
  });
  return next;
}

/**
 * Why a run waits for an operator's approval before anything runs, if it does: an event a person sent from the
 * console (any type: one approver alone must not lock someone out or move them), the stage's setting, a rehire (it
 * restores access), a changed personal email (the welcome link goes there), or the role's.
 */
export function approvalReason(run: Run, settings: EngineDeps['settings']): string | undefined {
  if (run.role?.errors?.length) return undefined;
  // Every reason, so an approver of a rehire also sees that the welcome link goes to a new address.
  const reasons: string[] = [];
  if (run.sentBy) reasons.push(`sent by ${run.sentBy} through the operator API: a second approver approves it`);
  if (run.type !== 'hire') return reasons.length ? reasons.join('; ') : undefined;
  if (run.proposal) reasons.push(`proposed in ${PROPOSAL_SOURCE_NAMES[run.proposal.source]} by ${run.proposal.proposedBy}`);
  if (settings.approveHires) reasons.push('stage setting approveHires');
  if (run.restoresRunId && settings.approveRehires !== false) reasons.push(`rehire: restores what run ${run.restoresRunId} removed (stage setting approveRehires)`);
  if (run.personalEmailWas !== undefined && settings.approvePersonalEmailChanges !== false) {
    reasons.push(`personal email changed from ${run.personalEmailWas} to ${run.employee.personalEmail ?? '(none)'}: the welcome link goes there (stage setting approvePersonalEmailChanges)`);
  }
  const by = run.role?.resolved?.approvalRequiredBy;
  if (by) reasons.push(`role ${by}${by === run.role?.name ? '' : ` (inherited by ${run.role?.name})`} requires approval`);
  return reasons.length ? reasons.join('; ') : undefined;
}

/** Raises the alert of a run whose role cannot be planned from. Before the run is written: a crash after it only repeats it. */
export async function raiseRoleAlert(deps: EngineDeps, run: Run): Promise<void> {
  const role = run.role;
  if (!role?.errors?.length) return;
  const alert = buildRoleAlert(run, role.errors, role.planned, deps.clock.now().toISOString());
  if (await deps.store.putAlert(alert)) {
    await deps.alerts.publish(alert);
    deps.log.warn('operator alert raised', { runId: run.runId, stepId: alert.stepId, action: alert.action, alertId: alert.alertId });
  }
}

/** The run as planned, with its role's alert id and any approval hold. */
export function finishPlan(plan: Run, deps: EngineDeps): Run {
  const planned = withPriorities(plan, deps.actions.priorityOf);
  const withAlert = planned.role?.errors?.length ? { ...planned, role: { ...planned.role, alertId: buildRoleAlert(planned, planned.role.errors, planned.role.planned, planned.createdAt).alertId } } : planned;
  const reason = approvalReason(withAlert, deps.settings);
  return reason ? holdForApproval(withAlert, reason, deps.settings) : withAlert;
}

async function createPlannedRun(deps: EngineDeps, origin: EventOrigin, event: PlannedEvent, former?: Run, role?: PlannedRole, notes?: string[]): Promise<Run> {
  const now = deps.clock.now();
  const actor = actorOf(origin);
  // The former employee's termination stops where it is: what it has not run yet never will.
  if (former) await cancelFor(deps, former, { actor, change: `${REHIRE_CANCEL}${event.eventId}`, ifCompleted: 'keep' });
  await stopJoiners(deps, actor, event, now);
  const plan = former ? planRehireRun(event, deps.playbooks, former, now, deps.settings, deps.actions.restoreRuleFor, role) : planRun(event, deps.playbooks, now, deps.settings, role);
  const planned = withSender(notes?.length ? { ...plan, notes: [...(plan.notes ?? []), ...notes] } : plan, origin);
  const personalEmailWas = await personalEmailOnRecord(deps, event);
  // Counted (and held past the threshold) before the run is written: a crash in between only repeats the count's answer.
  const run = await guardMassChange(deps, finishPlan(personalEmailWas ? { ...planned, personalEmailWas } : planned, deps));
  await raiseRoleAlert(deps, run);
  const created = await deps.store.createRun(run);
  // The profile after the run: a new employee's profile is written by the repeat if a crash came in between.
  await updateProfile(deps, run);
  if (created) {
    await deps.store.appendAudit([
      {
        at: now.toISOString(),
        employeeId: run.employeeId,
        runId: run.runId,
        actor,
        change:
          `${run.type} run planned${run.role ? ` from role ${run.role.name}` : ''}${origin.sentBy ? `, from an event sent by ${origin.sentBy} through the operator API` : ''}${run.proposal ? `, proposed in ${PROPOSAL_SOURCE_NAMES[run.proposal.source]} by ${run.proposal.proposedBy}` : ''}${former ? `, restoring what run ${former.runId} removed` : ''}` +
          `${run.approval ? `, awaiting approval (${run.approval.requiredBy})` : ''}${run.role?.errors?.length ? ', waiting: the role cannot be planned from' : ''}` +
          `${run.massChange?.held ? `, quarantined by the mass-change guard (${run.massChange.ordinal} counted in the window, threshold ${run.massChange.threshold})` : ''}`,
        to: run.status,
        detail: {
          eventId: event.eventId,
          ...(origin.sentBy ? { sentBy: origin.sentBy } : {}),
          ...(former ? { restoresRunId: former.runId } : {}),
          ...(run.approval ? { planHash: run.approval.planHash } : {}),
          ...(run.massChange ? { massChange: run.massChange } : {}),
          ...(run.role ? { role: run.role.name, ...(run.role.previous ? { previousRole: run.role.previous } : {}), ...(run.role.errors ? { roleErrors: run.role.errors } : {}) } : {}),
          steps: run.steps.map((s) => ({ stepId: s.stepId, action: s.action, dueAt: s.dueAt })),
        },
      },
    ]);
  }
  await joinQuarantineBatch(deps, run);
  await scheduleWakes(deps, run);
  return releaseNow(deps, run, origin);
}

/** For a hire, the personal email on record when the event names another: the welcome link would go elsewhere now. */
export async function personalEmailOnRecord(deps: EngineDeps, event: PlannedEvent): Promise<string | undefined> {
  if (event.type !== 'hire') return undefined;
  // The address of the employee's last hire that went ahead (not rejected, cancelled or still waiting): the profile
  // is rewritten by every event, a rejected hire's or a leaver's too, so it cannot say where links went before.
  const hires = (await deps.store.listRuns(event.employee.id))
    .filter((r) => r.type === 'hire' && r.runId !== runIdFor(event.eventId) && !HELD_RUN_STATUSES.includes(r.status))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const was = hires.at(-1)?.employee.personalEmail;
  return was && was.toLowerCase() !== event.employee.personalEmail?.toLowerCase() ? was : undefined;
}

/** The profile with what the run's event named; what it left out stays as it was on record. */
async function updateProfile(deps: EngineDeps, run: Run): Promise<void> {
  const onRecord = await deps.store.getEmployee(run.employeeId);
  await deps.store.putEmployee(mergeProfile(onRecord, run.employee), deps.clock.now().toISOString());
}

/**
 * For a hire: the termination it brings back, read after the cancel above may have settled it, or a
 * rejection when the hire names another account than the one the employee left with.
 */
export function rehireOf(runs: Run[], event: PlannedEvent): { former?: Run } | IntakeResult {
  if (event.type !== 'hire') return {};
  const former = formerEmployment(runs, runIdFor(event.eventId));
  if (!former) {
    // A termination that has not run is no former job: the hire would otherwise undo it and take over its account.
    const pending = pendingTermination(runs, runIdFor(event.eventId));
    if (pending) {
      return {
        outcome: 'conflict',
        message: `employee ${event.employee.id} has a termination (run ${pending.runId}, event ${pending.eventId}) that has not run yet; a hire does not undo it: send a cancel of event ${pending.eventId} first`,
      };
    }
    return {};
  }
  const left = former.employee.email?.toLowerCase();
  const named = event.employee.email?.toLowerCase();
  if (left && named && left !== named) {
    return {
      outcome: 'rejected',
      path: 'employee.email',
      message: `employee ${event.employee.id} left with the account ${left} (run ${former.runId}); a rehire restores that account: send that email or none`,
    };
  }
  return { former };
}

/** Checks that a cancel can take effect, before anything is written. */
export async function cancellableTarget(deps: EngineDeps, event: CancelEvent): Promise<Run | IntakeResult> {
  const target = await deps.store.getEvent(event.cancels);
  if (!target) return { outcome: 'rejected', path: 'cancels', message: `no event ${event.cancels} was received` };
  if (event.employee && event.employee.id !== target.employeeId) {
    return { outcome: 'rejected', path: 'employee.id', message: `event ${event.cancels} belongs to another employee` };
  }
  const run = await deps.store.getRun(target.employeeId, target.runId);
  if (!run) return { outcome: 'conflict', message: `the run of event ${event.cancels} is not recorded yet; send the cancel again` };
  if (run.type === 'cancel') return { outcome: 'rejected', path: 'cancels', message: `event ${event.cancels} is itself a cancel` };
  // A revoke (lambdas/engine/system-revoke.ts) completes as soon as the access is gone: its cancel is how it is undone.
  if (run.status === 'completed' && run.type !== 'revoke') {
    return { outcome: 'conflict', message: `run ${run.runId} of event ${event.cancels} has already completed; nothing is left to cancel` };
  }
  return run;
}

async function createCancelRun(deps: EngineDeps, origin: EventOrigin, event: CancelEvent, target: Run): Promise<Run> {
  const now = deps.clock.now();
  const actor = actorOf(origin);
  // Completed in the meantime: the cancel run still records that it was asked for. The answer is the run as
  // written, so a step that finished meanwhile is restored too.
  const { run: settled } = await cancelFor(deps, target, { actor, change: `run cancelled by event ${event.eventId}`, ifCompleted: 'keep' });
  const runs = await deps.store.listRuns(settled.employeeId);
  const run = withSender(withPriorities(planCancelRun(event, settled, now, deps.settings, deps.actions.restoreRuleFor, runs), deps.actions.priorityOf), origin);
  if (await deps.store.createRun(run)) {
    await deps.store.appendAudit([
      {
        at: now.toISOString(),
        employeeId: run.employeeId,
        runId: run.runId,
        actor,
        change: `cancel of run ${target.runId} recorded${origin.sentBy ? `, from an event sent by ${origin.sentBy} through the operator API` : ''}`,
        to: run.status,
        detail: {
          eventId: event.eventId,
          ...(origin.sentBy ? { sentBy: origin.sentBy } : {}),
          restores: run.steps.map((s) => ({ stepId: s.stepId, action: s.action })),
          ...(run.notes?.length ? { notes: run.notes } : {}),
        },
      },
    ]);
  }
  return releaseNow(deps, run, origin);
}

/** An event that may go ahead, with what its run is planned from. */
interface Accepted {
  event: LifecycleEvent;
  /** A cancel's target, or the termination a hire brings back. */
  target?: Run;
  role?: PlannedRole;
  /** What the run must tell whoever reads it (a leaver's role that could not be read). */
  notes?: string[];
  /** The run already in progress that is this event's answer (the same termination again). */
  existing?: Run;
}

/** Builds (or rebuilds, after a crash) the run of an accepted event. */
async function ensureRun(deps: EngineDeps, origin: EventOrigin, { event, target, role, notes }: Accepted): Promise<Run> {
  if (event.type === 'cancel') return createCancelRun(deps, origin, event, target!);
  return createPlannedRun(deps, origin, event, target, role, notes);
}

/**
 * What a planned event needs before anything is written: the role it names, resolved, and the employee's
 * known address for a mover whose event leaves it out.
 */
export async function prepare(deps: EngineDeps, event: PlannedEvent, runs: Run[]): Promise<{ event: PlannedEvent; role?: PlannedRole; notes?: string[] } | IntakeResult> {
  // A leaver revokes the grants of the role held, read from the runs that granted it (never the catalog). Someone
  // hired before the catalog was used has none on record: their run says what is left to check by hand.
  if (event.type === 'terminate') {
    const role = leaverRole(runs, runIdFor(event.eventId), 1);
    if (role) return { event, role };
    return event.employee.role ? { event, notes: [unrevokedRoleNote(event.employee.role)] } : { event };
  }
  // Only a playbook with a role section plans from the role.
  if (!event.employee.role || !deps.playbooks[event.type].role) return { event };
  const lookup = await roleForEvent(deps, event, runs, runIdFor(event.eventId), 1);
  if (!lookup.ok) return { outcome: 'unavailable', message: lookup.message };
  const email = event.employee.email ?? (event.type === 'role_change' ? knownAddress(runs) : undefined);
  return { event: email ? { ...event, employee: { ...event.employee, email } } : event, role: lookup.role };
}

/** A hire whose plan mails the joiner a welcome needs the personal address it goes to: refused without it. */
export function missingWelcomeAddress(deps: EngineDeps, event: PlannedEvent): IntakeResult | undefined {
  if (event.type !== 'hire' || event.employee.personalEmail) return undefined;
  const welcome = deps.playbooks.hire.steps.find((s) => s.enabled && s.action === WELCOME_EMAIL_ACTION);
  if (!welcome) return undefined;
  return {
    outcome: 'rejected',
    path: 'employee.personalEmail',
    message: `is required for a hire: step ${welcome.id} mails the one-time password link to the personal address`,
  };
}

/**
 * An earlier termination of the employee still in progress: the same one again is answered with its run;
 * one that has not started any step is cancelled in favour of this one; one that has started is a 409.
 */
async function settleOverlap(deps: EngineDeps, origin: EventOrigin, event: PlannedEvent, runs: Run[]): Promise<{ existing?: Run } | IntakeResult> {
  const overlap = terminationOverlap(runs, event, runIdFor(event.eventId));
  if (overlap.kind === 'none') return {};
  if (overlap.kind === 'same') return { existing: overlap.run };
  if (overlap.kind === 'refuse') return { outcome: 'conflict', message: overlapMessage(event.employee.id, overlap.run) };
  for (const earlier of overlap.runs) {
    const change = `run superseded by the termination of event ${event.eventId}, sent before any of its steps had started`;
    const { run, cancelled } = await cancelFor(deps, earlier, { actor: actorOf(origin), change, onlyIf: (r) => !hasStarted(r), ifCompleted: 'keep' });
    // A step started meanwhile: it is no longer for this event to replace.
    if (!cancelled && run.status !== 'cancelled') return { outcome: 'conflict', message: overlapMessage(event.employee.id, run) };
  }
  return {};
}

/**
 * A termination stops the employee's hire or role change still going, as a cancel does: what it has not started
 * never runs (a welcome mail to the personal address, a grant), a running step finishes, what is done stays for
 * the leaver to undo. A cancel of the termination later does not bring those steps back.
 */
async function stopJoiners(deps: EngineDeps, actor: string, event: PlannedEvent, now: Date): Promise<void> {
  for (const joiner of unfinishedJoiners(await deps.store.listRuns(event.employee.id), event, runIdFor(event.eventId), now)) {
    await cancelFor(deps, joiner, { actor, change: stoppedByTermination(event.eventId), ifCompleted: 'keep' });
  }
}

/**
 * What a person's event (the operator route) may not do, since it would act before a second approver sees it: stop
 * an earlier termination that has not started (a later one supersedes it at intake), stop a hire or role change still
 * going by terminating the employee, or stop a former employee's termination by rehiring them (the rehire cancels
 * what it has not run). HR's events may; a person cancels the run.
 */
export function undoesBeforeApproval(event: PlannedEvent, runs: Run[], now: Date): IntakeResult | undefined {
  const overlap = terminationOverlap(runs, event, runIdFor(event.eventId));
  if (overlap.kind === 'supersede') {
    const ids = overlap.runs.map((r) => r.runId).join(', ');
    return { outcome: 'conflict', message: `employee ${event.employee.id} has a termination planned (run ${ids}) that this event would replace before anyone approves it: cancel that run first (POST /v1/runs/{runId}/cancel), or let HR send the change` };
  }
  const joiners = unfinishedJoiners(runs, event, runIdFor(event.eventId), now);
  if (joiners.length) {
    const ids = joiners.map((r) => r.runId).join(', ');
    return { outcome: 'conflict', message: `employee ${event.employee.id} has a ${joiners[0].type} run in progress (run ${ids}) that this termination would stop before anyone approves it: cancel that run first (POST /v1/runs/{runId}/cancel), or let HR send the termination` };
  }
  const rehire = rehireOf(runs, event);
  if (!('outcome' in rehire) && rehire.former) {
    return { outcome: 'conflict', message: `employee ${event.employee.id} left (run ${rehire.former.runId}); a rehire stops what that termination has not run yet, before anyone approves it: HR sends rehires` };
  }
  return undefined;
}

/** Checks an event before anything of it is written, and finds what its run is planned from. */
async function accept(deps: EngineDeps, origin: EventOrigin, event: LifecycleEvent): Promise<Accepted | IntakeResult> {
  if (event.type === 'cancel') {
    const target = await cancellableTarget(deps, event);
    return 'runId' in target ? { event, target } : target;
  }
  const missing = missingWelcomeAddress(deps, event);
  if (missing) return missing;
  const runs = await deps.store.listRuns(event.employee.id);
  const alone = origin.sentBy ? undoesBeforeApproval(event, runs, deps.clock.now()) : undefined;
  if (alone) return alone;
  const overlap = await settleOverlap(deps, origin, event, runs);
  if ('outcome' in overlap) return overlap;
  if (overlap.existing) return { event, existing: overlap.existing };
  const rehire = rehireOf(runs, event);
  if ('outcome' in rehire) return rehire;
  const prepared = await prepare(deps, event, runs);
  if ('outcome' in prepared) return prepared;
  return { event: prepared.event, target: rehire.former, role: prepared.role, ...(prepared.notes ? { notes: prepared.notes } : {}) };
}

const isRefusal = (checked: Accepted | IntakeResult): checked is IntakeResult => 'outcome' in checked;

/**
 * Takes a validated event. The event record is written first with a condition, so the same id
 * twice yields one run; a repeat after a crash finishes building the run the first call began.
 * The same event id from HR and from the operator route is one event: a repeat answers the run of the first.
 */
export async function intake(deps: EngineDeps, event: LifecycleEvent, canonicalBody: string, origin: EventOrigin = {}): Promise<IntakeResult> {
  const hash = bodyHash(canonicalBody);
  const seen = await deps.store.getEvent(event.eventId);
  if (seen) return repeat(deps, event, seen, hash);
  const checked = await accept(deps, origin, event);
  if (isRefusal(checked)) return checked;
  const employeeId = event.type === 'cancel' ? checked.target!.employeeId : event.employee.id;
  const runId = checked.existing?.runId ?? runIdFor(event.eventId);
  const put = await deps.store.putEventIfAbsent({ eventId: event.eventId, bodyHash: hash, runId, employeeId, receivedAt: deps.clock.now().toISOString(), ...(origin.sentBy ? { sentBy: origin.sentBy } : {}), ...(origin.senderSubject ? { sentBySubject: origin.senderSubject } : {}), ...(origin.proposal ? { proposal: origin.proposal } : {}) });
  if (!put.created) return repeat(deps, event, put.existing!, hash);
  if (checked.existing) return { outcome: 'duplicate', run: checked.existing };
  return { outcome: 'created', run: await ensureRun(deps, origin, checked) };
}

async function repeat(deps: EngineDeps, event: LifecycleEvent, seen: EventRecord, hash: string): Promise<IntakeResult> {
  if (seen.bodyHash !== hash) {
    return { outcome: 'conflict', message: `event ${event.eventId} was already received with a different body` };
  }
  const existing = await deps.store.getRun(seen.employeeId, seen.runId);
  if (existing) {
    // The first delivery stopped between its run and the profile: a new employee still gets one.
    if (existing.type !== 'cancel' && !(await deps.store.getEmployee(seen.employeeId))) await updateProfile(deps, existing);
    return { outcome: 'duplicate', run: existing };
  }
  // The first delivery stopped between recording the event and its run: finish the job now, as the first sender's.
  const first: EventOrigin = {
    ...(seen.sentBy ? { sentBy: seen.sentBy, ...(seen.sentBySubject ? { senderSubject: seen.sentBySubject } : {}) } : {}),
    ...(seen.proposal ? { proposal: seen.proposal } : {}),
  };
  const checked = await accept(deps, first, event);
  if (isRefusal(checked)) return checked;
  return { outcome: 'duplicate', run: checked.existing ?? (await ensureRun(deps, first, checked)) };
}
