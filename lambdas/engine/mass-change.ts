/** The mass-change guard: counts runs that take access away, quarantines those past the threshold, releases or rejects the batch. */
import { MASS_CHANGE_DEFAULTS, type MassChangeSettings } from '../../config/schema';
import type { MassChangeBatch } from '../store/lifecycle-store';
import { PLAN_STEP } from './alerts';
import type { Alert, MassChangeMark, Run, Step } from './model';
import type { EngineDeps } from './ports';
import { queuedAudit, updateRun } from './run-updates';
import { releaseDue, TransitionError, withSchedule, type Released, type ScheduleSettings } from './step-machine';
import { cancelWakes } from './wakes';
import { resolveRunAlerts } from './cancellation';

/** The action name the batch's alert carries: no step failed, the guard holds the runs. */
export const MASS_CHANGE_ACTION = 'massChange.guard';

export function massChangeSettings(settings: { massChange?: MassChangeSettings }): MassChangeSettings {
  return settings.massChange ?? { ...MASS_CHANGE_DEFAULTS };
}

/**
 * What the guard counts: every termination, and a role change whose plan takes something away (a step planned
 * from the role in its removal phase: old groups, calendars, license, custom schema values, Connect access).
 * Hires, rehires, cancels and role changes that only add never count.
 */
export function countsForMassChange(run: Pick<Run, 'type'> & { steps: Pick<Step, 'fromRole' | 'removes'>[] }): boolean {
  if (run.type === 'terminate') return true;
  // A revoke that does not wait for an approver (lambdas/engine/system-revoke.ts) takes access away like a leaver.
  if (run.type === 'revoke') return true;
  if (run.type === 'role_change') return run.steps.some((s) => s.fromRole && s.removes);
  return false;
}

const windowMs = (windowMinutes: number) => windowMinutes * 60_000;

/** The fixed window (aligned to the epoch, UTC) an instant falls in, named by its start. */
export function windowStartOf(at: Date, windowMinutes: number): string {
  const size = windowMs(windowMinutes);
  return new Date(Math.floor(at.getTime() / size) * size).toISOString();
}

export function previousWindowStart(windowStart: string, windowMinutes: number): string {
  return new Date(Date.parse(windowStart) - windowMs(windowMinutes)).toISOString();
}

/**
 * Held when the run's place in its window plus everything counted in the window before exceeds the threshold.
 * Any span of `windowMinutes` lies within two adjacent windows, and every run that proceeded in the later one had a
 * place no higher than the threshold less the earlier one's count: so at most `threshold` runs proceed in any such
 * span, even for a burst across a window's edge.
 */
export function isOverThreshold(place: number, previousWindowCount: number, threshold: number): boolean {
  return place + previousWindowCount > threshold;
}

/** Holds a newly planned run in quarantine: nothing is due until an operator releases the batch. */
export function quarantine(run: Run, mark: MassChangeMark, settings: ScheduleSettings): Run {
  return withSchedule({ ...run, status: 'quarantined', massChange: mark }, settings);
}

function requireQuarantined(run: Run): MassChangeMark {
  if (run.status !== 'quarantined' || !run.massChange) throw new TransitionError(`run ${run.runId} is ${run.status}, not quarantined`, 'conflict');
  return run.massChange;
}

/** An operator releases a quarantined run: it is scheduled, and whatever is due (an urgent leaver's cut-off) is queued now. */
export function releaseFromQuarantine(run: Run, actor: string, now: Date, settings: ScheduleSettings): Released {
  const mark = requireQuarantined(run);
  const at = now.toISOString();
  const massChange = { ...mark, decision: 'released' as const, decidedBy: actor, decidedAt: at };
  // Released from the quarantine, a run whose plan is still to be approved (an event sent from the console) waits for
  // that approval: the guard's release is not a second person's go-ahead.
  if (run.approval && !run.approval.decision) return { run: withSchedule({ ...run, status: 'awaiting_approval', massChange, updatedAt: at }, settings), enqueue: [] };
  const scheduled = withSchedule({ ...run, status: 'scheduled', massChange, updatedAt: at }, settings);
  return releaseDue(scheduled, now, settings);
}

/** An operator rejects a quarantined run: no step runs, the run ends as rejected. */
export function rejectFromQuarantine(run: Run, actor: string, reason: string, now: Date, settings: ScheduleSettings): Run {
  const mark = requireQuarantined(run);
  const at = now.toISOString();
  const steps = run.steps.map((s): Step => ({ ...s, status: 'cancelled', finishedAt: at }));
  return withSchedule({ ...run, steps, status: 'rejected', massChange: { ...mark, decision: 'rejected', decidedBy: actor, decidedAt: at, reason }, updatedAt: at }, settings);
}

export const batchAlertId = (batchId: string) => `mass-change:${batchId}`;

/** The one alert of a batch, raised by the run that opened it. */
export function buildMassChangeAlert(run: Run, mark: MassChangeMark, raisedAt: string): Alert {
  const before = mark.previousWindowCount ? ` and ${mark.previousWindowCount} in the window before` : '';
  return {
    alertId: batchAlertId(run.runId),
    raisedAt,
    employeeId: run.employeeId,
    runId: run.runId,
    stepId: PLAN_STEP,
    action: MASS_CHANGE_ACTION,
    attempts: mark.ordinal,
    providerAnswer: `${mark.ordinal} runs that take access away counted in the ${mark.windowMinutes}-minute window from ${mark.windowStart}${before}; threshold ${mark.threshold}`,
    message:
      `Mass change: more than ${mark.threshold} terminations or access-removing role changes within ${mark.windowMinutes} minutes. ` +
      `The ${run.type} run ${run.runId} of employee ${run.employeeId} and every such run after it are held in quarantine: no account was touched.`,
    whatToDo:
      `Check the held runs: GET /v1/quarantine and GET /v1/runs?status=quarantined (npx lifecycle quarantine). If the batch is genuine, release it ` +
      `naming how many are held: POST /v1/quarantine/release {"count": n} (npx lifecycle quarantine release --count n); if not, reject it: ` +
      `POST /v1/quarantine/reject {"count": n, "reason": "..."} (npx lifecycle quarantine reject --count n --reason "...").`,
    status: 'open',
  };
}

/**
 * Counts a run that takes access away and quarantines it past the threshold; before the run is written. The window
 * is the one the event was first received in, so a repeat after a crash finds the place it had and counts nothing new.
 */
export async function guardMassChange(deps: EngineDeps, run: Run): Promise<Run> {
  if (!countsForMassChange(run)) return run;
  const { threshold, windowMinutes } = massChangeSettings(deps.settings);
  const received = (await deps.store.getEvent(run.eventId))?.receivedAt;
  const windowStart = windowStartOf(received ? new Date(received) : deps.clock.now(), windowMinutes);
  const ordinal = await deps.store.countMassChange(windowStart, run.eventId);
  const previousWindowCount = await deps.store.massChangeCount(previousWindowStart(windowStart, windowMinutes));
  const held = isOverThreshold(ordinal, previousWindowCount, threshold);
  const mark: MassChangeMark = { windowStart, ordinal, previousWindowCount, threshold, windowMinutes, held };
  return held ? quarantine(run, mark, deps.settings) : { ...run, massChange: mark };
}

/** Raises a batch's alert once: a deterministic id, stored conditionally, published only when new. */
async function raiseBatchAlert(deps: EngineDeps, run: Run, mark: MassChangeMark): Promise<void> {
  const alert = buildMassChangeAlert(run, mark, deps.clock.now().toISOString());
  if (await deps.store.putAlert(alert)) {
    await deps.alerts.publish(alert);
    deps.log.warn('mass-change guard: runs quarantined, operator alert raised', { runId: run.runId, alertId: alert.alertId });
  }
}

/**
 * A quarantined run joins the open batch, or opens one. Called after the run is written, so a release that closes
 * the batch and then looks again for held runs sees this one, or this one finds the batch closed and opens a new one.
 */
export async function joinQuarantineBatch(deps: EngineDeps, run: Run): Promise<void> {
  if (run.status !== 'quarantined' || !run.massChange?.held) return;
  const { batch } = await deps.store.openMassChangeBatch({ batchId: run.runId, alertId: batchAlertId(run.runId), openedAt: deps.clock.now().toISOString() });
  // Only the opener raises the alert (again, harmlessly, when it is a repeat after a crash).
  if (batch.batchId === run.runId) await raiseBatchAlert(deps, run, run.massChange);
}

export interface QuarantineView {
  held: number;
  batch?: MassChangeBatch;
  threshold: number;
  windowMinutes: number;
}

export async function quarantineView(deps: EngineDeps): Promise<QuarantineView> {
  const [held, batch] = await Promise.all([deps.store.listAllRunsByStatus('quarantined'), deps.store.getMassChangeBatch()]);
  return { held: held.length, ...(batch ? { batch } : {}), ...massChangeSettings(deps.settings) };
}

export type QuarantineDecision =
  | { ok: true; decision: 'released' | 'rejected'; count: number; runIds: string[]; batchId?: string }
  /** The count named is not the number held now: nothing changed. */
  | { ok: false; held: number };

/** Runs `work` over `items`, `limit` at a time: a batch of hundreds is written quickly without a storm of conflicts. */
async function eachLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

const DECISION_LANES = 8;

/**
 * Releases or rejects every quarantined run, if the operator named how many are held now. A run that left the
 * quarantine meanwhile (an HR cancel, a concurrent decision) is left as it is. The batch is then closed and its
 * alert resolved; a run quarantined while this ran, found by looking again, opens a new batch with its own alert.
 */
export async function decideQuarantine(
  deps: EngineDeps,
  decision: { kind: 'release'; count: number } | { kind: 'reject'; count: number; reason: string },
  actor: string,
): Promise<QuarantineDecision> {
  const held = await deps.store.listAllRunsByStatus('quarantined');
  if (held.length !== decision.count) return { ok: false, held: held.length };
  const batch = await deps.store.getMassChangeBatch();
  const detail = { count: decision.count, ...(batch ? { batchId: batch.batchId } : {}) };
  const changed = await eachLimited(held, DECISION_LANES, async (found) => {
    const { run, changed } = await updateRun(deps, found.employeeId, found.runId, (current) => {
      if (current.status !== 'quarantined') return { run: current, value: null };
      const now = deps.clock.now();
      if (decision.kind === 'reject') {
        const next = rejectFromQuarantine(current, actor, decision.reason, now, deps.settings);
        return { run: next, audit: [{ actor, change: 'rejected in quarantine by an operator: no step ran', from: current.status, to: next.status, detail: { ...detail, reason: decision.reason } }], value: null };
      }
      const released = releaseFromQuarantine(current, actor, now, deps.settings);
      return {
        run: released.run,
        enqueue: released.enqueue,
        audit: [{ actor, change: 'released from quarantine by an operator', from: current.status, to: released.run.status, detail }, ...(queuedAudit(current, released.enqueue, actor) ?? [])],
        value: null,
      };
    });
    if (changed && decision.kind === 'reject') await cancelWakes(deps, run);
    if (changed && decision.kind === 'reject') await resolveRunAlerts(deps, run, `rejected in quarantine by an operator (${actor}): ${decision.reason}`);
    return changed ? run.runId : undefined;
  });
  if (batch) {
    await deps.store.closeMassChangeBatch(batch.batchId);
    await deps.store.resolveAlert(batch.alertId, deps.clock.now().toISOString());
  }
  const stragglers = await deps.store.listAllRunsByStatus('quarantined');
  if (stragglers.length) await joinQuarantineBatch(deps, stragglers[0]);
  const runIds = changed.filter((id): id is string => id !== undefined);
  return { ok: true, decision: decision.kind === 'release' ? 'released' : 'rejected', count: runIds.length, runIds, ...(batch ? { batchId: batch.batchId } : {}) };
}
