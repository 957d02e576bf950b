/** Operator use cases: look at an employee, list runs and alerts, approve or reject a plan, cancel, retry, skip. */
import type { Alert, AuditEntry, Employee, Run, RunStatus } from './model';
import type { EngineDeps } from './ports';
import { queuedAudit, updateRun } from './run-updates';
import { approveRun, cancelRun, rejectRun, retryStep, skipStep, TransitionError } from './step-machine';

export interface EmployeeView {
  employee: Employee;
  runs: Run[];
  audit: AuditEntry[];
}

export async function employeeView(deps: EngineDeps, employeeId: string): Promise<EmployeeView | undefined> {
  const employee = await deps.store.getEmployee(employeeId);
  if (!employee) return undefined;
  const [runs, audit] = await Promise.all([deps.store.listRuns(employeeId), deps.store.listAudit(employeeId)]);
  return { employee, runs: runs.map(publicRun), audit };
}

export async function listRuns(deps: EngineDeps, status: RunStatus, limit = 100): Promise<Run[]> {
  return (await deps.store.listRunsByStatus(status, limit)).map(publicRun);
}

export async function listAlerts(deps: EngineDeps, status?: Alert['status']): Promise<Alert[]> {
  return deps.store.listAlerts(status);
}

/** A run as operators see it: without the lease tokens that only workers use. */
export function publicRun(run: Run): Run {
  return { ...run, steps: run.steps.map(({ leaseToken: _t, ...s }) => s) };
}

export async function findRunView(deps: EngineDeps, runId: string): Promise<Run | undefined> {
  const run = await deps.store.findRun(runId);
  return run ? publicRun(run) : undefined;
}

async function requireRun(deps: EngineDeps, runId: string): Promise<Run> {
  const run = await deps.store.findRun(runId);
  if (!run) throw new TransitionError(`run ${runId} not found`, 'not_found');
  return run;
}

export async function operatorCancel(deps: EngineDeps, runId: string, actor: string): Promise<Run> {
  const found = await requireRun(deps, runId);
  const { run } = await updateRun(deps, found.employeeId, runId, (current) => {
    const next = cancelRun(current, deps.clock.now(), deps.settings);
    return { run: next, audit: [{ actor, change: 'run cancelled by an operator', from: current.status, to: 'cancelled' }], value: null };
  });
  return publicRun(run);
}

export async function operatorRetry(deps: EngineDeps, runId: string, stepId: string, actor: string): Promise<Run> {
  const found = await requireRun(deps, runId);
  const alertId = found.steps.find((s) => s.stepId === stepId)?.alertId;
  const { run } = await updateRun(deps, found.employeeId, runId, (current) => {
    const released = retryStep(current, stepId, deps.clock.now(), deps.settings);
    return { run: released.run, enqueue: released.enqueue, audit: [{ stepId, actor, change: 'step retried by an operator', from: 'needs_attention', to: 'queued' }], value: null };
  });
  if (alertId) await deps.store.resolveAlert(alertId, deps.clock.now().toISOString());
  return publicRun(run);
}

export async function operatorSkip(deps: EngineDeps, runId: string, stepId: string, actor: string): Promise<Run> {
  const found = await requireRun(deps, runId);
  const alertId = found.steps.find((s) => s.stepId === stepId)?.alertId;
  const { run } = await updateRun(deps, found.employeeId, runId, (current) => {
    const from = current.steps.find((s) => s.stepId === stepId)?.status;
    const skipped = skipStep(current, stepId, deps.clock.now(), deps.settings);
    return {
      run: skipped.run,
      enqueue: skipped.enqueue,
      audit: [{ stepId, actor, change: 'step skipped by an operator', from, to: 'skipped' }, ...(queuedAudit(current, skipped.enqueue, actor) ?? [])],
      value: null,
    };
  });
  if (alertId) await deps.store.resolveAlert(alertId, deps.clock.now().toISOString());
  return publicRun(run);
}


/** Approves the plan the operator was shown (its hash): the run is scheduled and what is due is queued. */
export async function operatorApprove(deps: EngineDeps, runId: string, seenPlanHash: string, actor: string): Promise<Run> {
  const found = await requireRun(deps, runId);
  const { run } = await updateRun(deps, found.employeeId, runId, (current) => {
    const released = approveRun(current, seenPlanHash, actor, deps.clock.now(), deps.settings);
    return {
      run: released.run,
      enqueue: released.enqueue,
      audit: [
        { actor, change: 'plan approved by an operator', from: current.status, to: released.run.status, detail: { planHash: seenPlanHash } },
        ...(queuedAudit(current, released.enqueue, actor) ?? []),
      ],
      value: null,
    };
  });
  return publicRun(run);
}

/** Rejects the plan the operator was shown: no step runs. */
export async function operatorReject(deps: EngineDeps, runId: string, seenPlanHash: string, reason: string, actor: string): Promise<Run> {
  const found = await requireRun(deps, runId);
  const { run } = await updateRun(deps, found.employeeId, runId, (current) => {
    const next = rejectRun(current, seenPlanHash, actor, reason, deps.clock.now(), deps.settings);
    return { run: next, audit: [{ actor, change: 'plan rejected by an operator', from: current.status, to: 'rejected', detail: { planHash: seenPlanHash, reason } }], value: null };
  });
  return publicRun(run);
}
