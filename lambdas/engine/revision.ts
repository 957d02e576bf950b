/**
 * A request revised while its run is going: the same event id with another body, from an intake that revises (a Jira
 * ticket edited in its description or a mapped field). The run is planned again from the new body; what already ran
 * is kept, a step still waiting takes the new plan's form, a step the new plan adds is added, and a step it no longer
 * has is cancelled if it has not run. HR's signed events keep their 409 for another body: only this entry revises.
 */
import { bodyHash } from './ids';
import { DONE_STEP_STATUSES, type PlannedEvent, type Run, type Step } from './model';
import { intake, prepare, type EventOrigin, type IntakeResult } from './intake';
import { planRun } from './plan';
import type { EngineDeps } from './ports';
import { withPriorities } from './priority';
import { mergeProfile } from './profile';
import { queuedAudit, updateRun } from './run-updates';
import { holdForApproval, releaseDue, TransitionError, withSchedule } from './step-machine';
import { scheduleWakes } from './wakes';

export type RevisionResult =
  | IntakeResult
  | { outcome: 'revised'; run: Run; revision: number; added: string[]; replanned: string[]; cancelled: string[]; kept: string[] }
  /** The delivery shows its source as it was before the request the run has now (sourceUpdatedAt): nothing is written. */
  | { outcome: 'stale'; run: Run; appliedAt: string };

/** A delivery older than the request the run has: its time is before the run's sourceUpdatedAt. */
const isStale = (run: Run, origin: EventOrigin): boolean => Boolean(origin.sourceUpdatedAt && run.sourceUpdatedAt && origin.sourceUpdatedAt < run.sourceUpdatedAt);

/** Raised inside the run's update when a newer revision landed meanwhile. */
class StaleRevision extends Error {}

/**
 * Run statuses a revision may change: the run is going, or waits for its approver (a proposed hire whose request is
 * still being specified: the revised plan waits for the approver in turn); not one held by the mass-change guard nor ended.
 */
const REVISABLE = ['awaiting_approval', 'scheduled', 'in_progress', 'needs_attention'] as const;

/** Why the revised plan waits for an approver: the revision's own reasons, else the reason the run already waits for. */
const heldReason = (current: Run, fresh: Run, settings: EngineDeps['settings']): string | undefined =>
  revisionApprovalReason(current, fresh, settings) ?? (current.status === 'awaiting_approval' ? (current.approval?.requiredBy ?? 'waiting for an approver') : undefined);

/**
 * Why a revision needs an approver's decision before it changes anything, if it does: the welcome link would go to
 * another personal address, the new role requires approval, or the stage has every hire approved. Approval holds
 * only a run none of whose steps has started; a run under way refuses such a revision (cancel it and ask again).
 */
export function revisionApprovalReason(current: Run, fresh: Run, settings: EngineDeps['settings']): string | undefined {
  const reasons: string[] = [];
  const was = current.employee.personalEmail?.toLowerCase();
  const now = fresh.employee.personalEmail?.toLowerCase();
  if (was !== now && settings.approvePersonalEmailChanges !== false) {
    reasons.push(`personal email changed from ${current.employee.personalEmail ?? '(none)'} to ${fresh.employee.personalEmail ?? '(none)'}: the welcome link goes there (${settings.personalEmailChangeRule ?? 'stage setting approvePersonalEmailChanges'})`);
  }
  const by = fresh.role?.resolved?.approvalRequiredBy;
  if (by && fresh.role?.name !== current.role?.name) reasons.push(`role ${by}${by === fresh.role?.name ? '' : ` (inherited by ${fresh.role?.name})`} requires approval`);
  if (settings.approveHires) reasons.push('stage setting approveHires');
  return reasons.length ? reasons.join('; ') : undefined;
}

/**
 * Steps that have started or ended keep their form; the others take the new plan's. A cancelled step is not among them:
 * in a run that is going, only a revision cancels a step, and a later revision that wants it again plans it again.
 */
const UNTOUCHED: readonly Step['status'][] = ['queued', 'running', ...DONE_STEP_STATUSES];

/** The first time an event id is seen, or the same body again: the ordinary intake. Another body: a revision of its run. */
export async function intakeOrRevise(deps: EngineDeps, event: PlannedEvent, canonicalBody: string, actor: string, origin: EventOrigin = {}): Promise<RevisionResult> {
  const hash = bodyHash(canonicalBody);
  const seen = await deps.store.getEvent(event.eventId);
  if (!seen) return intake(deps, event, canonicalBody, origin);
  const run = await deps.store.getRun(seen.employeeId, seen.runId);
  if (!run) {
    if (seen.bodyHash === hash) return intake(deps, event, canonicalBody, origin);
    return { outcome: 'conflict', message: `the run of event ${event.eventId} is not recorded yet; send the revision again` };
  }
  // Deliveries are not ordered: one showing the source before the request the run has now is answered, not applied.
  if (isStale(run, origin)) return { outcome: 'stale', run, appliedAt: run.sourceUpdatedAt! };
  // Compared with the request as the run has it now: an edit undone (A, then B, then A again) is a revision back to A.
  if ((run.revision?.bodyHash ?? seen.bodyHash) === hash) return sameRequest(deps, run, seen.bodyHash, event, hash, actor, origin);
  return revise(deps, run, event, hash, actor, origin);
}

/**
 * The request the run has, delivered again. A delivery newer than the run's source time still moves that time forward
 * (under the version check): the ticket went A → B → A, and the late delivery of B must then be older than the run's
 * time, not revise the run to B while the ticket says A. A revision that landed meanwhile is met as any other body.
 */
async function sameRequest(deps: EngineDeps, run: Run, firstHash: string, event: PlannedEvent, hash: string, actor: string, origin: EventOrigin): Promise<RevisionResult> {
  const newer = (current: Run) => Boolean(origin.sourceUpdatedAt && (!current.sourceUpdatedAt || origin.sourceUpdatedAt > current.sourceUpdatedAt));
  if (!newer(run)) return { outcome: 'duplicate', run };
  const updated = await updateRun(deps, run.employeeId, run.runId, (current) => {
    if (!newer(current)) return { run: current, value: 'same' as const };
    if ((current.revision?.bodyHash ?? firstHash) !== hash) return { run: current, value: 'revised meanwhile' as const };
    return { run: { ...current, sourceUpdatedAt: origin.sourceUpdatedAt }, value: 'moved' as const };
  });
  if (updated.value === 'revised meanwhile') return revise(deps, updated.run, event, hash, actor, origin);
  return { outcome: 'duplicate', run: updated.run };
}

/** The steps of the new plan merged into the run's: kept, replanned, added, cancelled. */
export function mergeRevision(current: Run, fresh: Run, at: string): { steps: Step[]; added: string[]; replanned: string[]; cancelled: string[]; kept: string[] } {
  const byId = new Map(current.steps.map((s) => [s.stepId, s]));
  const freshIds = new Set(fresh.steps.map((s) => s.stepId));
  const added: string[] = [];
  const replanned: string[] = [];
  const kept: string[] = [];
  const cancelled: string[] = [];
  const steps: Step[] = fresh.steps.map((step) => {
    const was = byId.get(step.stepId);
    if (!was) {
      added.push(step.stepId);
      return step;
    }
    if (UNTOUCHED.includes(was.status)) {
      kept.push(step.stepId);
      return was;
    }
    replanned.push(step.stepId);
    // Tried or cancelled before: planned again, it starts a new failure episode (alertIdFor), so a new failure alerts again.
    const replans = (was.replans ?? 0) + (was.attempts > 0 || was.status === 'cancelled' ? 1 : 0);
    return { ...step, ...(was.retries ? { retries: was.retries } : {}), ...(replans ? { replans } : {}) };
  });
  for (const was of current.steps) {
    if (freshIds.has(was.stepId)) continue;
    if (['pending', 'needs_attention'].includes(was.status)) {
      cancelled.push(was.stepId);
      const { alertId: _a, lastError: _e, hold: _h, heldAccount: _ha, ...rest } = was;
      steps.push({ ...rest, status: 'cancelled', finishedAt: at, note: 'no longer in the revised request' });
    } else {
      // Started or done before the revision: kept as it is; what it did is for an operator to undo if unwanted.
      kept.push(was.stepId);
      steps.push(DONE_STEP_STATUSES.includes(was.status) && !was.note ? { ...was, note: 'done before the revised request, which no longer asks for it: undo by hand if unwanted' } : was);
    }
  }
  return { steps, added, replanned, cancelled, kept };
}

async function revise(deps: EngineDeps, found: Run, event: PlannedEvent, hash: string, actor: string, origin: EventOrigin): Promise<RevisionResult> {
  if (found.type !== 'hire' || event.type !== 'hire') return { outcome: 'conflict', message: `event ${event.eventId} was already received with a different body; only a hire is revised` };
  if (event.employee.id !== found.employeeId) {
    return { outcome: 'rejected', path: 'employee.id', message: `the request is for employee ${found.employeeId} (run ${found.runId}); a revision cannot change whom it is for` };
  }
  if (!(REVISABLE as readonly string[]).includes(found.status)) {
    return { outcome: 'conflict', message: `run ${found.runId} of event ${event.eventId} is ${found.status}: a revision changes a run that is going, not one that is ${found.status}` };
  }
  const runs = await deps.store.listRuns(event.employee.id);
  const prepared = await prepare(deps, event, runs);
  if ('outcome' in prepared) return prepared;
  const role = prepared.role;
  if (role && 'errors' in role) {
    return { outcome: 'rejected', path: 'employee.role', message: `role ${role.name} cannot be planned from: ${role.errors.map((e) => `${e.role} ${e.property}: ${e.message}`).join('; ')}` };
  }
  const now = deps.clock.now();
  const at = now.toISOString();
  const fresh = withPriorities(planRun(prepared.event, deps.playbooks, now, deps.settings, role), deps.actions.priorityOf);
  const started = (run: Run) => run.steps.some((s) => s.status !== 'pending');
  const needsApproval = heldReason(found, fresh, deps.settings);
  if (needsApproval && started(found)) {
    return { outcome: 'conflict', message: `run ${found.runId} of event ${event.eventId} has started, and the revision needs an approver (${needsApproval}): cancel the run and send the request again` };
  }
  const updated = await updateRun(deps, found.employeeId, found.runId, (current) => {
    // A newer delivery revised the run while this one was planned: the version check re-read it, and this one is older.
    if (isStale(current, origin)) throw new StaleRevision(current.sourceUpdatedAt);
    const number = (current.revision?.number ?? 1) + 1;
    const reason = heldReason(current, fresh, deps.settings);
    if (reason && started(current)) throw new TransitionError(`run ${current.runId} started meanwhile, and the revision needs an approver (${reason}): cancel the run and send the request again`, 'conflict');
    const merged = mergeRevision(current, fresh, at);
    const revised: Run = withSchedule(
      {
        ...current,
        employee: fresh.employee,
        effectiveDate: fresh.effectiveDate,
        steps: merged.steps,
        ...(fresh.role ? { role: fresh.role } : {}),
        revision: { number, bodyHash: hash, revisedAt: at },
        ...(origin.sourceUpdatedAt ? { sourceUpdatedAt: origin.sourceUpdatedAt } : {}),
        updatedAt: at,
      },
      deps.settings,
    );
    // Nothing has run yet: the revised plan waits for an approver, who sees it whole.
    const released = reason ? { run: holdForApproval(revised, reason, deps.settings), enqueue: [] as string[] } : releaseDue(revised, now, deps.settings);
    const { steps: _s, ...counts } = merged;
    return {
      run: released.run,
      enqueue: released.enqueue,
      audit: [
        {
          actor,
          change: `request revised (revision ${number}): planned again${fresh.role ? ` from role ${fresh.role.name}` : ''}; ${merged.added.length} added, ${merged.replanned.length} replanned, ${merged.cancelled.length} cancelled, ${merged.kept.length} kept`,
          from: current.status,
          to: released.run.status,
          detail: { eventId: event.eventId, revision: number, ...counts, steps: released.run.steps.map((s) => ({ stepId: s.stepId, action: s.action, status: s.status, dueAt: s.dueAt })) },
        },
        ...(queuedAudit(current, released.enqueue, actor) ?? []),
      ],
      value: { ...counts, number },
    };
  }).catch(async (err: unknown) => {
    if (err instanceof TransitionError) return { outcome: 'conflict' as const, message: err.message };
    if (err instanceof StaleRevision) return { outcome: 'stale' as const, run: (await deps.store.getRun(found.employeeId, found.runId)) ?? found, appliedAt: err.message };
    throw err;
  });
  if ('outcome' in updated) return updated;
  const { run, value } = updated;
  // An alert of a step the revision cancelled or planned again is settled: the request it was about has changed.
  for (const was of found.steps) {
    if (was.alertId && [...value.cancelled, ...value.replanned].includes(was.stepId)) await deps.store.resolveAlert(was.alertId, at);
  }
  const onRecord = await deps.store.getEmployee(run.employeeId);
  await deps.store.putEmployee(mergeProfile(onRecord, run.employee), at);
  await scheduleWakes(deps, run);
  const { number, ...changes } = value;
  return { outcome: 'revised', run, revision: number, ...changes };
}
