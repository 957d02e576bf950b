/**
 * A finding's fix: one call that starts a normal run, so binding, guards, approval and audit all apply. `bind` plans
 * the role's grants in the account's system for the named employee with the account adopted for the run (the engine's
 * `adopt` confirmation, as an operator gives it on a held step); `grant` plans the person's role again for the system,
 * each step doing only what is missing; `remove` is a system-scoped revoke run (revokeSystemAccess). The run's event id
 * comes from the finding and the fix, so asking twice gives the one run.
 */
import type { AccountConfirmation, AccountSystem, Run, Step } from '../engine/model';
import { ACCOUNT_SYSTEMS } from '../engine/model';
import type { EngineDeps } from '../engine/ports';
import { runIdFor } from '../engine/ids';
import { RevokeRefused, type RevokeOptions, type RevokeRequest } from '../engine/system-revoke';
import { heldRole } from '../engine/plan';
import { finishPlan } from '../engine/intake';
import { updateRun, queuedAudit } from '../engine/run-updates';
import { releaseDue, withSchedule } from '../engine/step-machine';
import { scheduleWakes } from '../engine/wakes';
import { publicRun } from '../engine/operator';
import { joinerPlan } from '../roles/role-plan';
import type { ResolvedRole } from '../roles/resolve';
import { hasLeft } from './compare';
import type { ConsolidationStore, Finding, FixKind } from './report';

/** The system-scoped revoke run (lambdas/engine/system-revoke.ts), wired by the composition root once it exists. */
export type RevokeSystemAccess = (deps: EngineDeps, input: RevokeRequest, options?: RevokeOptions) => Promise<{ runId: string; status: string }>;

export interface FixDeps {
  engine: EngineDeps;
  store: ConsolidationStore;
  /** The system-scoped revoke run (lambdas/engine/system-revoke.ts); unset, a `remove` answers 501 and changes nothing. */
  revokeSystemAccess?: RevokeSystemAccess;
}

/** Who asked for a fix: the operator's name and, where their token has one, its stable subject. */
type Sender = { sentBy: string; senderSubject?: string };

export type FixRequest = { fix: 'bind'; employeeId: string } | { fix: 'grant' } | { fix: 'remove' };

export type FixOutcome =
  | { ok: true; fix: FixKind; findingId: string; runId: string; status: string; created: boolean }
  | { ok: false; status: 400 | 404 | 409 | 501; message: string; path?: string };

/** The event id of a fix's run: the same finding and fix always name the same run. */
export const fixEventId = (findingId: string, fix: FixKind, employeeId?: string) => `consolidation-${fix}-${findingId}${employeeId ? `-${employeeId}` : ''}`;

const refuse = (status: 400 | 404 | 409 | 501, message: string, path?: string): FixOutcome => ({ ok: false, status, message, ...(path ? { path } : {}) });

/** The AccountSystem a directory system's runs act through (`scim:<app>` → `scim`). */
function accountSystem(system: string): AccountSystem | undefined {
  const base = system.split(':')[0];
  return ACCOUNT_SYSTEMS.find((s) => s === base);
}

/** The role's grants in one system, as a joiner's steps (each idempotent: what is there already is left as it is). */
function grantSteps(role: ResolvedRole, system: string): ReturnType<typeof joinerPlan>['steps'] {
  const [base, app] = system.split(':');
  return joinerPlan(role).steps.filter((s) => s.phase === 'add' && s.action.startsWith(`${base}.`) && (app === undefined || s.params.app === app));
}

export async function applyFix(deps: FixDeps, findingId: string, request: FixRequest, actor: string, subject?: string): Promise<FixOutcome> {
  // The fix's run is the operator's: a second person approves it, told apart by the token's subject where there is one.
  const sender = { sentBy: actor, ...(subject ? { senderSubject: subject } : {}) };
  const report = await deps.store.latestReport();
  const finding = report?.findings.find((f) => f.id === findingId);
  if (!finding) return refuse(404, `finding ${findingId} is not in the latest consolidation report`);
  if (!finding.fixes.some((f) => f.fix === request.fix)) {
    return refuse(409, `finding ${findingId} (${finding.kind}) offers ${finding.fixes.map((f) => f.fix).join(', ') || 'no fix'}, not ${request.fix}${finding.account?.protected ? ': the account is protected' : ''}`, 'fix');
  }
  switch (request.fix) {
    case 'bind':
      return bind(deps, finding, request.employeeId, sender);
    case 'grant':
      return grant(deps, finding, sender);
    case 'remove':
      if (!deps.revokeSystemAccess) return refuse(501, 'the remove fix is not wired in this build: the system-scoped revoke run is not available yet; nothing was changed');
      try {
        // The revoke answers the open run it finds for the account: `created` says whether this call made it.
        const before = finding.employeeId ? new Set((await deps.engine.store.listRuns(finding.employeeId)).map((r) => r.runId)) : new Set<string>();
        const out = await deps.revokeSystemAccess(deps.engine, {
          ...(finding.employeeId ? { employeeId: finding.employeeId } : {}),
          system: finding.system,
          accountId: finding.account!.accountId,
          ...(finding.account?.email ? { email: finding.account.email } : {}),
          reason: 'consolidation',
          detail: `${finding.kind} (finding ${finding.id}): ${finding.message}`,
          requestedBy: actor,
        }, sender);
        return { ok: true, fix: 'remove', findingId, runId: out.runId, status: out.status, created: !before.has(out.runId) };
      } catch (err) {
        if (err instanceof RevokeRefused) return refuse(409, `${err.message}; nothing was changed`, err.path);
        throw err;
      }
  }
}

async function bind(deps: FixDeps, finding: Finding, employeeId: string, sender: Sender): Promise<FixOutcome> {
  const actor = sender.sentBy;
  const system = accountSystem(finding.system);
  if (!system || !finding.account) return refuse(409, `a ${finding.system} account cannot be bound by a run`);
  const employee = await deps.engine.store.getEmployee(employeeId);
  if (!employee) return refuse(400, `no employee ${employeeId} is on record`, 'employeeId');
  const runs = await deps.engine.store.listRuns(employeeId);
  if (hasLeft(runs)) return refuse(409, `employee ${employeeId} has left: an account is not bound to a leaver`, 'employeeId');
  // The account checks find an unbound account at the employee's company address: only such an account can be adopted.
  const address = finding.account.email?.toLowerCase();
  if (!address || address !== employee.email?.toLowerCase()) {
    return refuse(409, `the ${finding.system} account ${address ?? finding.account.accountId} is not at employee ${employeeId}'s company address (${employee.email ?? 'none on record'}): a run adopts only the account at that address; nothing was changed`, 'employeeId');
  }
  const role = heldRole(runs, '')?.role;
  let steps = role ? grantSteps(role, finding.system) : [];
  // A role that gives no Nextcloud groups still lets the provisioning step adopt the user: it takes no parameter.
  if (!steps.length && finding.system === 'nextcloud') steps = [{ id: 'provision-nextcloud-user', action: 'nextcloud.provisionUser', params: {}, phase: 'add', offsetDays: 0 }];
  if (!steps.length) return refuse(409, `employee ${employeeId}'s role ${role ? role.name : '(none on record)'} gives nothing in ${finding.system}: no step of a run would touch the account to adopt it`, 'employeeId');
  const confirmation: AccountConfirmation = { system, account: address, confirms: 'adopt', by: actor, at: deps.engine.clock.now().toISOString() };
  return startFixRun(deps, { finding, fix: 'bind', employee, steps, role, sender, confirmation });
}

async function grant(deps: FixDeps, finding: Finding, sender: Sender): Promise<FixOutcome> {
  if (!finding.employeeId) return refuse(409, `finding ${finding.id} names no employee to grant to`);
  const employee = await deps.engine.store.getEmployee(finding.employeeId);
  if (!employee) return refuse(409, `employee ${finding.employeeId} is no longer on record`);
  const runs = await deps.engine.store.listRuns(finding.employeeId);
  if (hasLeft(runs)) return refuse(409, `employee ${finding.employeeId} has left: nothing is granted to a leaver`);
  const role = heldRole(runs, '')?.role;
  if (!role) return refuse(409, `employee ${finding.employeeId} holds no role on record: there is nothing to plan again`);
  if (!finding.account && finding.system === 'google') return refuse(409, `employee ${finding.employeeId} has no Google account: a hire makes it, not a role's grants`);
  const steps = grantSteps(role, finding.system);
  if (!steps.length) return refuse(409, `role ${role.name} gives nothing in ${finding.system} now: plan nothing`);
  return startFixRun(deps, { finding, fix: 'grant', employee, steps, role, sender });
}

async function startFixRun(
  deps: FixDeps,
  input: { finding: Finding; fix: 'bind' | 'grant'; employee: Run['employee']; steps: ReturnType<typeof joinerPlan>['steps']; role?: ResolvedRole; sender: Sender; confirmation?: AccountConfirmation },
): Promise<FixOutcome> {
  const { engine } = deps;
  const eventId = fixEventId(input.finding.id, input.fix, input.fix === 'bind' ? input.employee.id : undefined);
  const runId = runIdFor(eventId);
  const existing = await engine.store.findRun(runId);
  if (existing) return { ok: true, fix: input.fix, findingId: input.finding.id, runId, status: existing.status, created: false };
  const now = engine.clock.now();
  const at = now.toISOString();
  const ids = new Set(input.steps.map((s) => s.id));
  const steps: Step[] = input.steps.map((s) => ({
    stepId: s.id,
    action: s.action,
    params: s.params,
    status: 'pending',
    dueAt: at,
    after: (s.after ?? []).filter((id) => ids.has(id)),
    attempts: 0,
    fromRole: true,
  }));
  const plan = withSchedule(
    {
      runId,
      employeeId: input.employee.id,
      eventId,
      // A role change to the role held: its grants in the one system, planned from nothing, each step doing what is missing.
      type: 'role_change',
      status: 'scheduled',
      effectiveDate: at.slice(0, 10),
      urgent: false,
      employee: input.employee,
      steps,
      version: 0,
      createdAt: at,
      updatedAt: at,
      sentBy: input.sender.sentBy,
      ...(input.sender.senderSubject ? { sentBySubject: input.sender.senderSubject } : {}),
      notes: [`consolidation ${input.fix} for finding ${input.finding.id} (${input.finding.kind}, ${input.finding.system}): ${input.finding.message}`],
      ...(input.role ? { role: { name: input.role.name, resolved: input.role, planned: 1 } } : {}),
      ...(input.confirmation ? { accountConfirmations: [input.confirmation] } : {}),
    },
    engine.settings,
  );
  const run = finishPlan(plan, engine);
  const created = await engine.store.createRun(run);
  if (!created) {
    const raced = await engine.store.findRun(runId);
    return { ok: true, fix: input.fix, findingId: input.finding.id, runId, status: raced?.status ?? run.status, created: false };
  }
  await engine.store.appendAudit([
    {
      at,
      employeeId: run.employeeId,
      runId,
      actor: input.sender.sentBy,
      change: `consolidation ${input.fix} run planned for the ${input.finding.system} finding ${input.finding.id}${input.confirmation ? `, adopting the unbound ${input.confirmation.system} account ${input.confirmation.account} for this run` : ''}${run.approval ? `, awaiting approval (${run.approval.requiredBy})` : ''}`,
      to: run.status,
      detail: { eventId, finding: { id: input.finding.id, kind: input.finding.kind, system: input.finding.system }, steps: run.steps.map((s) => ({ stepId: s.stepId, action: s.action })), ...(input.confirmation ? { confirmation: input.confirmation } : {}) },
    },
  ]);
  await scheduleWakes(engine, run);
  const { run: released } = await updateRun(engine, run.employeeId, runId, (current) => {
    const next = releaseDue(current, engine.clock.now(), engine.settings);
    return { run: next.run, enqueue: next.enqueue, audit: queuedAudit(current, next.enqueue, input.sender.sentBy), value: null };
  });
  return { ok: true, fix: input.fix, findingId: input.finding.id, runId, status: publicRun(released).status, created: true };
}
