/**
 * What the leaver benchmarks share: the whole local runtime in memory, urgent terminates sent signed
 * as HR sends them, and when each leaver's cut-off steps finished, read from the runs themselves.
 */
import { playbooks } from '../config/playbooks';
import { priorityOfStep } from '../lambdas/actions/step-priority';
import type { RequestPriority } from '../lambdas/providers/rate-limited-fetch';
import type { Run, StepStatus } from '../lambdas/engine/model';
import { HR_PURPOSE, signedHeaders } from '../lambdas/http/signature';
import type { StaffRecord } from '../local/emulators/seed-staff';
import { startRuntime, type Runtime, type RuntimeOptions } from '../local/runtime';

const SECRET = 'bench-secret';
export const OPERATOR_TOKEN = 'bench-operator-token';

/** The default terminate playbook's cut-off steps: due at once for an urgent leaver. */
export const CUTOFF_STEPS = playbooks.terminate.steps.filter((s) => s.cutoff && s.enabled).map((s) => ({ stepId: s.id, action: s.action }));
const CUTOFF_IDS = new Set(CUTOFF_STEPS.map((s) => s.stepId));
/** The cut-off steps queued the moment an urgent leaver is accepted: those waiting for no other step (the Connect removal waits for the agent to go offline). */
const QUEUED_AT_ONCE = new Set(playbooks.terminate.steps.filter((s) => s.cutoff && s.enabled && !s.after?.length).map((s) => s.id));

/** The cut-off steps of class `lockout` (the step's own class, else its action's): what stops a leaver acting now. */
export const LOCKOUT_STEPS = playbooks.terminate.steps.filter((s) => s.cutoff && s.enabled && isLockout(s)).map((s) => ({ stepId: s.id, action: s.action }));

/** Whether a step (as planned or as stored) is of class `lockout`. */
export function isLockout(step: { action: string }): boolean {
  return priorityOfStep({ action: step.action, priority: (step as { priority?: RequestPriority }).priority }) === 'lockout';
}

/** The runtime as `npm start` assembles it, on free ports, with the store, queues and emulators in memory. */
export function startBenchRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  return startRuntime({ port: 0, emulatorPort: 0, dataDir: null, hmacSecret: SECRET, operatorToken: OPERATOR_TOKEN, sweepIntervalSeconds: 3600, ...options });
}

export interface SentLeaver {
  employee: StaffRecord;
  runId: string;
  /** Epoch ms when the 202 arrived: the clock the steps' finishedAt is written with. */
  acceptedAt: number;
  /** Held by the mass-change guard: accepted, nothing queued until the quarantine is released. */
  held: boolean;
}

/**
 * One urgent terminate, signed; throws unless the API answers 202 with every cut-off step queued, or, when
 * `mayBeHeld`, 202 quarantined with every step still pending.
 */
export async function sendUrgentTerminate(rt: Runtime, employee: StaffRecord, eventId: string, options: { mayBeHeld?: boolean } = {}): Promise<SentLeaver> {
  const raw = JSON.stringify({ eventId, type: 'terminate', effectiveDate: new Date().toISOString().slice(0, 10), urgent: true, employee });
  const res = await fetch(`${rt.apiUrl}/v1/events`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...signedHeaders(SECRET, HR_PURPOSE, raw) }, body: raw });
  const acceptedAt = Date.now();
  const body = (await res.json()) as { runId?: string; status?: string; steps?: { stepId: string; status: string }[] };
  if (res.status !== 202 || !body.runId) throw new Error(`terminate of ${employee.id}: ${res.status} ${JSON.stringify(body)}`);
  if (body.status === 'quarantined') {
    if (!options.mayBeHeld) throw new Error(`terminate of ${employee.id} was quarantined by the mass-change guard: raise its threshold for this benchmark`);
    if (!(body.steps ?? []).every((s) => s.status === 'pending')) throw new Error(`terminate of ${employee.id}: quarantined with steps moving ${JSON.stringify(body.steps)}`);
    return { employee, runId: body.runId, acceptedAt, held: true };
  }
  const queued = (body.steps ?? []).filter((s) => s.status === 'queued').map((s) => s.stepId);
  if (queued.length !== QUEUED_AT_ONCE.size || !queued.every((id) => QUEUED_AT_ONCE.has(id))) {
    throw new Error(`terminate of ${employee.id}: queued [${queued.join(', ')}], expected the ${QUEUED_AT_ONCE.size} cut-off steps that wait for no other`);
  }
  return { employee, runId: body.runId, acceptedAt, held: false };
}

/** The operator's one call that releases the quarantine, naming how many runs it holds; throws unless it answers 200. */
export async function releaseQuarantine(rt: Runtime, count: number): Promise<{ released: number }> {
  const res = await fetch(`${rt.apiUrl}/v1/quarantine/release`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${OPERATOR_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ count }),
  });
  const body = (await res.json()) as { count?: number };
  if (res.status !== 200 || typeof body.count !== 'number') throw new Error(`release of ${count} quarantined runs: ${res.status} ${JSON.stringify(body)}`);
  return { released: body.count };
}

export interface CutoffStepTiming {
  stepId: string;
  action: string;
  status: StepStatus;
  attempts: number;
  /** ms after the 202 that the last attempt started and that the step finished. */
  startMs?: number;
  doneMs?: number;
  /** Of class `lockout`. */
  lockout: boolean;
}

export interface CutoffTiming {
  employeeId: string;
  runId: string;
  acceptedAt: number;
  /** ms from the 202 to the last cut-off step's finish; undefined while any is still open. */
  ms?: number;
  /** ms from the 202 until every `lockout` step had succeeded: the leaver locked out; undefined until then. */
  lockoutMs?: number;
  steps: CutoffStepTiming[];
  needsAttention: string[];
}

function timingOf(sent: SentLeaver, run: Run): CutoffTiming {
  const since = (iso?: string) => (iso ? Date.parse(iso) - sent.acceptedAt : undefined);
  const steps = run.steps
    .filter((s) => CUTOFF_IDS.has(s.stepId))
    .map((s) => ({
      stepId: s.stepId,
      action: s.action,
      status: s.status,
      attempts: s.attempts,
      startMs: since(s.startedAt),
      doneMs: s.finishedAt ? since(s.finishedAt) : undefined,
      lockout: isLockout(s),
    }));
  const settled = steps.every((s) => s.status === 'succeeded' || s.status === 'needs_attention');
  const lockout = steps.filter((s) => s.lockout);
  return {
    employeeId: run.employeeId,
    runId: run.runId,
    acceptedAt: sent.acceptedAt,
    ms: settled ? Math.max(...steps.map((s) => s.doneMs ?? 0)) : undefined,
    lockoutMs: lockout.length > 0 && lockout.every((s) => s.status === 'succeeded') ? Math.max(...lockout.map((s) => s.doneMs ?? 0)) : undefined,
    steps,
    needsAttention: steps.filter((s) => s.status === 'needs_attention').map((s) => s.stepId),
  };
}

/**
 * Polls the runs until every cut-off step has settled (succeeded, or handed to an operator, which
 * never moves again by itself). Settled runs are not read again, so polling costs less as leavers finish.
 * Times come from the steps' own finishedAt, so the poll interval does not add to them.
 */
export async function waitForCutoffs(
  rt: Runtime,
  sent: SentLeaver[],
  options: { pollMs: number; timeoutMs: number; onPoll?: (settled: number, lockedOut: number) => void },
): Promise<{ timings: CutoffTiming[]; timedOut: boolean }> {
  const done = new Map<string, CutoffTiming>();
  // A succeeded step never moves again: a leaver once locked out stays so.
  const lockedOut = new Set<string>();
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    for (const s of sent) {
      if (done.has(s.runId)) continue;
      const run = await rt.engine.store.getRun(s.employee.id, s.runId);
      if (!run) throw new Error(`run ${s.runId} of ${s.employee.id} is missing`);
      const timing = timingOf(s, run);
      if (timing.lockoutMs !== undefined) lockedOut.add(s.runId);
      if (timing.ms !== undefined) done.set(s.runId, timing);
    }
    options.onPoll?.(done.size, lockedOut.size);
    if (done.size === sent.length) return { timings: sent.map((s) => done.get(s.runId)!), timedOut: false };
    if (Date.now() > deadline) {
      const open = await Promise.all(sent.filter((s) => !done.has(s.runId)).map(async (s) => timingOf(s, (await rt.engine.store.getRun(s.employee.id, s.runId))!)));
      return { timings: [...done.values(), ...open], timedOut: true };
    }
    await new Promise((r) => setTimeout(r, options.pollMs));
  }
}

/** Nearest-rank percentile (the smallest value with at least q of the values at or below it). */
export function percentile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export const median = (values: number[]) => percentile(values, 0.5);

/** The step that finished last: what a leaver's time to revoke waited for. */
export function lastStep(t: CutoffTiming): CutoffStepTiming {
  return t.steps.reduce((a, b) => ((b.doneMs ?? 0) > (a.doneMs ?? 0) ? b : a));
}
