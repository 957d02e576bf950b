/** Operator use cases: look at an employee, list runs and alerts, approve or reject a plan, cancel, retry, skip. */
import type { AccountConfirmation, Alert, AuditEntry, BoundAccount, Employee, Run, RunStatus, RunView } from './model';
import type { EngineDeps } from './ports';
import { queuedAudit, updateRun } from './run-updates';
import { approveRun, confirmAccount, rejectRun, releaseDue, retryStep, skipStep, TransitionError } from './step-machine';
import { eventOf, planRehireRun, planRun } from './plan';
import { finishPlan, raiseRoleAlert } from './intake';
import { roleForEvent } from './role-planning';
import { cancelWakes, scheduleWakes } from './wakes';
import { cancelFor, resolveRunAlerts } from './cancellation';
import { runMoverDiff } from './mover-diff';
import { decideQuarantine, quarantineView, type QuarantineDecision } from './mass-change';

export { quarantineView };

/** An account bound to the employee, as the last step that acted on it found or left it. */
export type AccountView = BoundAccount & { runId: string; stepId: string; at: string };

export interface EmployeeView {
  employee: Employee;
  /** The accounts bound to the employee id, one per system, newest state first known. */
  accounts: AccountView[];
  /** The company address the latest hire was given (HR's or derived), once its account was made. */
  hireAddress?: string;
  runs: Run[];
  audit: AuditEntry[];
}

/** Each system's account, from the latest step that acted on it (its `account`, kept when it succeeded). */
export function boundAccounts(runs: Run[]): { accounts: AccountView[]; hireAddress?: string } {
  const seen = runs.flatMap((run) =>
    run.steps.filter((s) => s.status === 'succeeded' && s.account).map((s) => ({ ...s.account!, runId: run.runId, stepId: s.stepId, at: s.finishedAt ?? run.updatedAt })),
  );
  const latest = new Map<string, AccountView>();
  for (const a of seen.sort((x, y) => x.at.localeCompare(y.at))) latest.set(a.system, a);
  const hire = runs.filter((r) => r.type === 'hire').sort((a, b) => a.createdAt.localeCompare(b.createdAt)).at(-1);
  const made = hire?.steps.find((s) => s.account?.system === 'google' && s.status === 'succeeded')?.account?.address;
  return { accounts: [...latest.values()], ...(made ? { hireAddress: made } : {}) };
}

export async function employeeView(deps: EngineDeps, employeeId: string): Promise<EmployeeView | undefined> {
  const employee = await deps.store.getEmployee(employeeId);
  if (!employee) return undefined;
  const [runs, audit] = await Promise.all([deps.store.listRuns(employeeId), deps.store.listAudit(employeeId)]);
  return { employee, ...boundAccounts(runs), runs: runs.map(publicRun), audit };
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

export async function findRunView(deps: EngineDeps, runId: string): Promise<RunView | undefined> {
  const run = await deps.store.findRun(runId);
  if (!run) return undefined;
  const moverDiff = await runMoverDiff(deps, run);
  return { ...publicRun(run), ...(moverDiff ? { moverDiff } : {}) };
}

async function requireRun(deps: EngineDeps, runId: string): Promise<Run> {
  const run = await deps.store.findRun(runId);
  if (!run) throw new TransitionError(`run ${runId} not found`, 'not_found');
  return run;
}

export async function operatorCancel(deps: EngineDeps, runId: string, actor: string): Promise<Run> {
  const found = await requireRun(deps, runId);
  const { run } = await cancelFor(deps, found, { actor, change: 'run cancelled by an operator', ifCompleted: 'throw' });
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

/** An operator adopts an unbound account for a run, or lets it act on a protected one: the held steps run again. */
export async function operatorConfirmAccount(
  deps: EngineDeps,
  runId: string,
  input: Pick<AccountConfirmation, 'system' | 'account' | 'confirms'>,
  actor: string,
): Promise<Run> {
  const found = await requireRun(deps, runId);
  const confirmation: AccountConfirmation = { ...input, account: input.account.toLowerCase(), by: actor, at: deps.clock.now().toISOString() };
  const { run } = await updateRun(deps, found.employeeId, runId, (current) => {
    const released = confirmAccount(current, confirmation, deps.clock.now(), deps.settings);
    return {
      run: released.run,
      enqueue: released.enqueue,
      audit: [
        {
          actor,
          change: `${confirmation.confirms === 'adopt' ? 'adopted the unbound' : 'confirmed acting on the protected'} ${confirmation.system} account ${confirmation.account} for this run`,
          detail: { confirmation, retried: released.enqueue },
        },
        ...released.enqueue.map((stepId) => ({ stepId, actor, change: `step retried after the account confirmation`, from: 'needs_attention', to: 'queued' })),
      ],
      value: null,
    };
  });
  const alerts = new Set(found.steps.filter((s) => run.steps.some((r) => r.stepId === s.stepId && r.status === 'queued') && s.alertId).map((s) => s.alertId!));
  for (const alertId of alerts) await deps.store.resolveAlert(alertId, deps.clock.now().toISOString());
  return publicRun(run);
}

/** `reason`: why the step is done by hand, kept in the audit trail beside who skipped it. */
export async function operatorSkip(deps: EngineDeps, runId: string, stepId: string, actor: string, reason?: string): Promise<Run> {
  const found = await requireRun(deps, runId);
  const alertId = found.steps.find((s) => s.stepId === stepId)?.alertId;
  const { run } = await updateRun(deps, found.employeeId, runId, (current) => {
    const from = current.steps.find((s) => s.stepId === stepId)?.status;
    const skipped = skipStep(current, stepId, deps.clock.now(), deps.settings);
    return {
      run: skipped.run,
      enqueue: skipped.enqueue,
      audit: [{ stepId, actor, change: reason ? `step skipped by an operator: ${reason}` : 'step skipped by an operator', from, to: 'skipped' }, ...(queuedAudit(current, skipped.enqueue, actor) ?? [])],
      value: null,
    };
  });
  if (alertId) await deps.store.resolveAlert(alertId, deps.clock.now().toISOString());
  return publicRun(run);
}


/**
 * Approves the plan the operator was shown (its hash): the run is scheduled and what is due is queued. `expect`: a
 * check of the run as it is at the write (inside the conditional write), answering why it must not be approved: an
 * approval given on behalf of another system (a member task) states there what it assumed. The approval of a run with
 * a member task records the personal address approved (`memberTask.approvedEmail`) and ends a hold of the task's
 * (`emailHeld`): the approver has seen the address.
 */
export async function operatorApprove(deps: EngineDeps, runId: string, seenPlanHash: string, actor: string, subject?: string, expect?: (current: Run) => string | undefined): Promise<Run> {
  const found = await requireRun(deps, runId);
  const { run } = await updateRun(deps, found.employeeId, runId, (current) => {
    const refused = expect?.(current);
    if (refused) throw new TransitionError(`run ${runId} is not approved: ${refused}`, 'conflict');
    const released = approveRun(current, seenPlanHash, actor, deps.clock.now(), deps.settings, subject);
    const task = released.run.memberTask;
    const { emailHeld: _held, approvedEmail: _was, ...kept } = task ?? { system: 'openproject' as const, workPackageId: 0 };
    const personal = released.run.employee.personalEmail;
    return {
      run: task ? { ...released.run, memberTask: { ...kept, ...(personal ? { approvedEmail: personal } : {}) } } : released.run,
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
  await cancelWakes(deps, run);
  await resolveRunAlerts(deps, run, `plan rejected by an operator (${actor}): ${reason}`);
  return publicRun(run);
}

/**
 * Plans a run again whose role could not be planned from, once an operator has fixed the catalog: the role is
 * read afresh; resolved, the run gets its steps (and any approval hold) and what is due is queued; still broken,
 * the run keeps waiting with the new errors and a new alert.
 */
export async function operatorReplan(deps: EngineDeps, runId: string, actor: string): Promise<{ ok: true; run: Run } | { ok: false; message: string }> {
  const found = await requireRun(deps, runId);
  if (!found.role?.errors?.length || found.status === 'cancelled') {
    throw new TransitionError(`run ${runId} is ${found.status} and does not wait for its role: there is nothing to plan again`, 'conflict');
  }
  deps.roles?.catalog.invalidate?.();
  const runs = await deps.store.listRuns(found.employeeId);
  const planned = found.role.planned + 1;
  const event = eventOf(found);
  const lookup = await roleForEvent(deps, event, runs, runId, planned);
  if (!lookup.ok) return lookup;
  const now = deps.clock.now();
  const former = found.restoresRunId ? runs.find((r) => r.runId === found.restoresRunId) : undefined;
  const replanned = former
    ? planRehireRun(event, deps.playbooks, former, now, deps.settings, deps.actions.restoreRuleFor, lookup.role)
    : planRun(event, deps.playbooks, now, deps.settings, lookup.role);
  const fresh = finishPlan({ ...replanned, createdAt: found.createdAt, ...(found.personalEmailWas ? { personalEmailWas: found.personalEmailWas } : {}), ...(found.sentBy ? { sentBy: found.sentBy } : {}) }, deps);
  await raiseRoleAlert(deps, fresh);
  const { run } = await updateRun(deps, found.employeeId, runId, (current) => {
    if (!current.role?.errors?.length || current.status === 'cancelled') throw new TransitionError(`run ${runId} changed meanwhile: it is ${current.status}`, 'conflict');
    const released = releaseDue({ ...fresh, version: current.version }, now, deps.settings);
    const resolved = !fresh.role?.errors?.length;
    return {
      run: released.run,
      enqueue: released.enqueue,
      audit: [
        {
          actor,
          change: resolved ? `planned again from role ${fresh.role?.name} by an operator` : `role ${fresh.role?.name} still cannot be planned from`,
          from: current.status,
          to: released.run.status,
          detail: resolved ? { steps: fresh.steps.map((s) => ({ stepId: s.stepId, action: s.action, dueAt: s.dueAt })) } : { roleErrors: fresh.role?.errors },
        },
        ...(queuedAudit(current, released.enqueue, actor) ?? []),
      ],
      value: null,
    };
  });
  if (found.role.alertId) await deps.store.resolveAlert(found.role.alertId, now.toISOString());
  if (!run.role?.errors?.length) await scheduleWakes(deps, run);
  return { ok: true, run: publicRun(run) };
}

/** Releases every quarantined run if `count` is how many are held now: each is scheduled and its due steps queued. */
export function operatorReleaseQuarantine(deps: EngineDeps, count: number, actor: string): Promise<QuarantineDecision> {
  return decideQuarantine(deps, { kind: 'release', count }, actor);
}

/** Rejects every quarantined run if `count` is how many are held now: none of their steps ever runs. */
export function operatorRejectQuarantine(deps: EngineDeps, count: number, reason: string, actor: string): Promise<QuarantineDecision> {
  return decideQuarantine(deps, { kind: 'reject', count, reason }, actor);
}
