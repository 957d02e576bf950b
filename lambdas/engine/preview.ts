/**
 * What an event would do, without doing it: the same checks and plan as the intake, read-only. Nothing is written
 * (no event record, run, profile, audit, alert, wake or queue message), and the mass-change guard is not counted.
 */
import { bodyHash, runIdFor } from './ids';
import type { EventPreview, LifecycleEvent, Run } from './model';
import type { EngineDeps } from './ports';
import { planCancelRun, planRehireRun, planRun } from './plan';
import { cancellableTarget, finishPlan, missingWelcomeAddress, personalEmailOnRecord, prepare, rehireOf, undoesBeforeApproval, withSender, type EventOrigin } from './intake';
import { withPriorities } from './priority';
import { countsForMassChange } from './mass-change';
import { terminationOverlap, overlapMessage, unfinishedJoiners } from './termination-overlap';
import { diffRoles } from '../roles/diff';
import { moverDiffView } from './mover-diff';

export type PreviewResult =
  | { outcome: 'planned'; preview: EventPreview }
  /** The event id was received already: sending it again answers that run. */
  | { outcome: 'received'; runId: string; message: string }
  /** The same termination is in progress under another event: sending this answers that run. */
  | { outcome: 'same'; runId: string; message: string }
  | { outcome: 'conflict'; message: string }
  | { outcome: 'rejected'; path: string; message: string }
  | { outcome: 'unavailable'; message: string };

const GUARD_NOTE = 'the mass-change guard counts the run when the event is sent; a preview is not counted';

function previewOf(run: Run, extra: Partial<EventPreview> = {}): EventPreview {
  const role = run.role;
  return {
    type: run.type,
    employeeId: run.employeeId,
    runId: run.runId,
    status: run.status,
    steps: run.steps.map((s) => ({
      stepId: s.stepId,
      action: s.action,
      dueAt: s.dueAt,
      after: s.after,
      params: s.params,
      ...(s.fromRole ? { fromRole: true as const } : {}),
      ...(s.removes ? { removes: true as const } : {}),
      ...(s.exactTime ? { exactTime: true as const } : {}),
    })),
    ...(run.approval ? { approvalRequiredBy: run.approval.requiredBy } : {}),
    ...(role
      ? {
          role: {
            name: role.name,
            ...(role.resolved ? { resolved: role.resolved } : {}),
            ...(role.text ? { text: role.text } : {}),
            ...(role.errors?.length ? { errors: role.errors } : {}),
            ...(role.previous ? { previous: role.previous } : {}),
          },
        }
      : {}),
    ...(run.restoresRunId ? { restoresRunId: run.restoresRunId } : {}),
    ...(run.cancelsRunId ? { cancelsRunId: run.cancelsRunId } : {}),
    ...(run.notes?.length ? { notes: run.notes } : {}),
    ...extra,
  };
}

/**
 * The plan a validated event would make now, with the same refusals the intake would answer. Reads only. `origin`:
 * as sent through the operator route by that person (it then waits for a second approver).
 */
export async function previewEvent(deps: EngineDeps, event: LifecycleEvent, origin: EventOrigin = {}, canonicalBody?: string): Promise<PreviewResult> {
  const now = deps.clock.now();
  const seen = await deps.store.getEvent(event.eventId);
  // Received with another body: sending this one would be refused, not answered with that run.
  if (seen && canonicalBody !== undefined && seen.bodyHash !== bodyHash(canonicalBody)) return { outcome: 'conflict', message: `event ${event.eventId} was already received with a different body` };
  if (seen) return { outcome: 'received', runId: seen.runId, message: `event ${event.eventId} was already received (run ${seen.runId}): sending it again plans nothing new` };
  if (event.type === 'cancel') {
    const target = await cancellableTarget(deps, event);
    if ('outcome' in target) return target as PreviewResult;
    const runs = await deps.store.listRuns(target.employeeId);
    const run = withPriorities(withSender(planCancelRun(event, target, now, deps.settings, deps.actions.restoreRuleFor, runs), origin), deps.actions.priorityOf);
    return { outcome: 'planned', preview: previewOf(run) };
  }
  const missing = missingWelcomeAddress(deps, event);
  if (missing) return missing as PreviewResult;
  const runId = runIdFor(event.eventId);
  const runs = await deps.store.listRuns(event.employee.id);
  const alone = origin.sentBy ? undoesBeforeApproval(event, runs, now) : undefined;
  if (alone) return alone as PreviewResult;
  const overlap = terminationOverlap(runs, event, runId);
  if (overlap.kind === 'same') return { outcome: 'same', runId: overlap.run.runId, message: `the same termination is in progress (run ${overlap.run.runId}): sending this answers that run` };
  if (overlap.kind === 'refuse') return { outcome: 'conflict', message: overlapMessage(event.employee.id, overlap.run) };
  const rehire = rehireOf(runs, event);
  if ('outcome' in rehire) return rehire as PreviewResult;
  const prepared = await prepare(deps, event, runs);
  if ('outcome' in prepared) return prepared as PreviewResult;
  const role = prepared.role;
  const plan = rehire.former
    ? planRehireRun(prepared.event, deps.playbooks, rehire.former, now, deps.settings, deps.actions.restoreRuleFor, role)
    : planRun(prepared.event, deps.playbooks, now, deps.settings, role);
  const planned = withSender(prepared.notes?.length ? { ...plan, notes: [...(plan.notes ?? []), ...prepared.notes] } : plan, origin);
  const personalEmailWas = await personalEmailOnRecord(deps, prepared.event);
  const run = finishPlan(personalEmailWas ? { ...planned, personalEmailWas } : planned, deps);
  const diff = event.type === 'role_change' && role && 'resolved' in role ? diffRoles(role.previous?.role, role.resolved) : undefined;
  const moverDiff = diff && role && 'resolved' in role ? moverDiffView(run, role.previous?.role, deps) : undefined;
  const guarded = countsForMassChange(run);
  const stops = unfinishedJoiners(runs, event, runId, now);
  return {
    outcome: 'planned',
    preview: previewOf(run, {
      ...(diff ? { diff } : {}),
      ...(moverDiff ? { moverDiff } : {}),
      ...(overlap.kind === 'supersede' ? { supersedesRunIds: overlap.runs.map((r) => r.runId) } : {}),
      ...(stops.length ? { stopsRunIds: stops.map((r) => r.runId) } : {}),
      ...(guarded ? { notes: [...(run.notes ?? []), GUARD_NOTE] } : {}),
    }),
  };
}
