/**
 * Takes one person's access away in one system, as a run of its own (type `revoke`): the leaver's plan restricted to
 * that system's steps that take access away and that a restore gives back. An account unused too long (inactivity) and
 * a consolidation fix both go through it, so the binding, protected-account and approval guards, the audit trail, the
 * alerts and the restore are those of every run.
 */
import { createHash } from 'node:crypto';
import { bodyHash, planHash, runIdFor } from './ids';
import type { Employee, PlannedEvent, RevokeScope, Run, RunStatus, Step } from './model';
import type { EngineDeps } from './ports';
import { planRun } from './plan';
import { leaverRole } from './role-planning';
import { withPriorities } from './priority';
import { holdForApproval, releaseDue, withSchedule } from './step-machine';
import { queuedAudit, updateRun } from './run-updates';
import { guardMassChange, joinQuarantineBatch } from './mass-change';
import { ENDED } from './termination-overlap';
import { canonicalJson } from './event-schema';

export type RevokeRequest = Pick<RevokeScope, 'system' | 'accountId' | 'email' | 'reason' | 'detail' | 'requestedBy'> & { employeeId?: string };

export interface RevokeOptions {
  /** When the steps fall due (an inactivity notice's days later); default now. */
  dueAt?: Date;
  /** Whether the run waits for an operator's approval; default true. */
  approve?: boolean;
  /**
   * With `approve: false`, a run that must not act before its notice (inactivity): held awaiting approval until the
   * notice is recorded (releaseAfterNotice), then released with its steps due these many days after the notice.
   */
  releaseAfterNoticeDays?: number;
  /**
   * The person who asked, when one did (a consolidation fix clicked by an operator), and their token's subject: kept on
   * the run as its sender, so the four-eyes rule lets another operator, not them, approve it.
   */
  sentBy?: string;
  senderSubject?: string;
}

/** A revoke that cannot be planned: `path` names the field of the request that decides it. */
export class RevokeRefused extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'RevokeRefused';
  }
}

/**
 * The actions of the leaver's plan a revoke keeps, per system: what stops the person using the account and what a
 * restore gives back (or the person makes again: a sign-in, a token, an app password). Left out: the password reset
 * (the old one cannot be given back), handovers, delegation, auto-reply, transfers, mail retention, deletion, mail to
 * the manager: the person has not left. The last action of each list disables the account and runs after the others.
 */
export const REVOKE_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  google: ['google.signOut', 'google.revokeTokens', 'google.deleteAppPasswords', 'google.suspendUser'],
  nextcloud: ['nextcloud.disableUser'],
  scim: ['scim.deactivateUser'],
  zendesk: ['zendesk.suspendUser'],
  front: ['front.deactivateTeammate'],
};

/**
 * The disabling step when the leaver's plan has none for the system: an account the person's role never gave (made by
 * hand, or before this system) is disabled all the same. Its id is the one the role's leaver plan gives it.
 */
function disableStep(system: string): { id: string; action: string; params: Record<string, unknown> } | undefined {
  const [provider, app] = system.split(':');
  if (provider === 'google') return { id: 'suspend-user', action: 'google.suspendUser', params: {} };
  if (provider === 'nextcloud') return { id: 'disable-nextcloud-user', action: 'nextcloud.disableUser', params: {} };
  if (provider === 'scim' && app) return { id: `scim-${app}-deactivate`, action: 'scim.deactivateUser', params: { app } };
  return undefined;
}

/** Whether a step of the leaver's plan belongs to the system's revoke: its action's provider, and for a SCIM app that app. */
function inRevoke(step: Pick<Step, 'action' | 'params'>, system: string): boolean {
  const [provider, app] = system.split(':');
  if (!REVOKE_ACTIONS[provider]?.includes(step.action)) return false;
  return provider !== 'scim' || step.params.app === app;
}

/** The day (UTC) or account a revoke's event id is made of: the same account, reason and day is one event. */
export function revokeEventId(req: Pick<RevokeRequest, 'system' | 'accountId' | 'reason'>, now: Date): string {
  const account = createHash('sha256').update(`${req.system}\n${req.accountId}`).digest('hex').slice(0, 16);
  return `revoke-${req.reason}-${req.system.replace(/[^A-Za-z0-9._-]/g, '.')}-${account}-${now.toISOString().slice(0, 10)}`;
}

/** Why the run waits for an approver: the reason and its detail, as the approval shows them. */
export const revokeApprovalReason = (scope: RevokeScope) => `${scope.reason}: ${scope.detail} (requested by ${scope.requestedBy})`;

/** Why a revoke without approval waits all the same: its notice has not gone yet. `failure`: why the last try did not send it. */
export const noticeHoldReason = (scope: RevokeScope, days: number, failure?: string) =>
  `${revokeApprovalReason(scope)}; waits for its notice (approve: false): released ${days} days after the notice to the person and their manager is sent` +
  (failure ? `; the notice could not be sent: ${failure}` : '');

/**
 * The revoke run, pure: the leaver's plan (its playbook's steps and the revocation of the role held, `leaver`) kept to
 * the system's revoke steps, all due at `dueAt`, the disabling step after the others; a disabling step is added when
 * the plan has none. Without any step for the system, refused.
 */
export function planRevokeRun(input: { leaver: Run; scope: RevokeScope; employee: Employee; eventId: string; now: Date; dueAt: Date; settings: Parameters<typeof withSchedule>[1] }): Run {
  const { leaver, scope, now, dueAt } = input;
  const provider = scope.system.split(':')[0];
  const kept = leaver.steps.filter((s) => inRevoke(s, scope.system));
  const disabling = REVOKE_ACTIONS[provider]?.at(-1);
  const fallback = disableStep(scope.system);
  if (!kept.some((s) => s.action === disabling) && fallback) {
    kept.push({ stepId: fallback.id, action: fallback.action, params: fallback.params, status: 'pending', dueAt: '', after: [], attempts: 0 });
  }
  if (!kept.length) throw new RevokeRefused(`system ${scope.system}: no revoke is planned for it (a revoke takes access away in ${Object.keys(REVOKE_ACTIONS).join(', ')}, a SCIM app as scim:<app>)`, 'system');
  const ids = kept.map((s) => s.stepId);
  const steps: Step[] = kept.map((s) => ({
    ...s,
    dueAt: dueAt.toISOString(),
    // Signed out and tokens gone first: the disabling step waits for them, as the leaver's suspension waits for its cut-off.
    after: s.action === disabling ? ids.filter((id) => id !== s.stepId) : s.after.filter((id) => ids.includes(id)),
    status: 'pending',
    attempts: 0,
    removes: true,
  }));
  const at = now.toISOString();
  return withSchedule(
    {
      runId: runIdFor(input.eventId),
      employeeId: input.employee.id,
      eventId: input.eventId,
      type: 'revoke',
      status: 'scheduled',
      effectiveDate: dueAt.toISOString().slice(0, 10),
      urgent: false,
      employee: input.employee,
      steps,
      version: 0,
      createdAt: at,
      updatedAt: at,
      revoke: scope,
      ...(leaver.role ? { role: leaver.role } : {}),
    },
    input.settings,
  );
}

/** A revoke run of the same account for the same reason that has not ended: asking again is answered with it. */
export function openRevoke(runs: readonly Run[], req: Pick<RevokeRequest, 'system' | 'accountId'>): Run | undefined {
  // Whatever asked for it (inactivity, consolidation): one account has one open revoke, one approval, one set of calls.
  return runs.find((r) => r.type === 'revoke' && r.revoke?.system === req.system && r.revoke.accountId === req.accountId && !ENDED.includes(r.status));
}

/**
 * Plans, records and (unless it waits for approval) releases the revoke of one account. The same account asked again,
 * the same day or while its revoke has not ended, answers the run there is. An account bound to nobody is refused
 * (RevokeRefused naming employeeId): a run acts only on an account bound to its employee, and binding one to a
 * made-up id would write that id on the provider; bind it to its person first.
 */
export async function revokeSystemAccess(deps: EngineDeps, req: RevokeRequest, options: RevokeOptions = {}): Promise<{ runId: string; status: RunStatus }> {
  const label = `the ${req.system} account ${req.email ?? req.accountId}`;
  if (!req.employeeId) {
    throw new RevokeRefused(`${label} is bound to no employee: a revoke run acts only on an account bound to an employee id; bind it to its person first (adopt it in a run of theirs), or remove it by hand`, 'employeeId');
  }
  const employeeId = req.employeeId;
  const now = deps.clock.now();
  const runs = await deps.store.listRuns(employeeId);
  const open = openRevoke(runs, req);
  if (open) return { runId: open.runId, status: open.status };

  const eventId = revokeEventId(req, now);
  const scope: RevokeScope = { system: req.system, accountId: req.accountId, ...(req.email ? { email: req.email } : {}), reason: req.reason, detail: req.detail, requestedBy: req.requestedBy };
  const profile = await deps.store.getEmployee(employeeId);
  const employee: Employee = { ...(profile ?? { id: employeeId, firstName: employeeId, timezone: 'UTC' }), ...(req.email ? { email: req.email.toLowerCase() } : {}) };
  const leaverEvent: PlannedEvent = { eventId, type: 'terminate', effectiveDate: now.toISOString().slice(0, 10), urgent: true, employee };
  const leaver = planRun(leaverEvent, deps.playbooks, now, deps.settings, leaverRole(runs, runIdFor(eventId), 1));
  const plan = planRevokeRun({ leaver, scope, employee, eventId, now, dueAt: options.dueAt ?? now, settings: deps.settings });
  const sender = options.sentBy ? { sentBy: options.sentBy, ...(options.senderSubject ? { sentBySubject: options.senderSubject } : {}) } : {};
  const planned = withPriorities({ ...plan, ...sender }, deps.actions.priorityOf);
  const guarded = options.approve === false ? await guardMassChange(deps, planned) : undefined;
  const noticeDays = options.releaseAfterNoticeDays;
  // Without an approver, a revoke that needs its notice first still waits: nothing is due until the notice is recorded.
  const noticeHeld = (run: Run): Run => ({ ...run, revoke: { ...scope, releaseAfterNoticeDays: noticeDays! } });
  const held = !guarded
    ? holdForApproval(planned, revokeApprovalReason(scope), deps.settings)
    : noticeDays === undefined
      ? guarded
      : guarded.status !== 'quarantined'
        ? holdForApproval(noticeHeld(guarded), noticeHoldReason(scope, noticeDays), deps.settings)
        : // Quarantined by the mass-change guard, it carries the notice hold too: the guard's release sends it back to
          // waiting (an undecided approval), so it still runs only after its notice.
          { ...noticeHeld(guarded), approval: { requiredBy: noticeHoldReason(scope, noticeDays), planHash: planHash(guarded.steps, guarded.employee) } };

  const recorded = await deps.store.putEventIfAbsent({ eventId, bodyHash: bodyHash(canonicalJson(scope)), runId: held.runId, employeeId, receivedAt: now.toISOString() });
  if (!recorded.created) {
    const existing = await deps.store.getRun(employeeId, recorded.existing!.runId);
    if (existing) return { runId: existing.runId, status: existing.status };
  }
  if (await deps.store.createRun(held)) {
    await deps.store.appendAudit([
      {
        at: now.toISOString(),
        employeeId,
        runId: held.runId,
        actor: req.requestedBy,
        change: `revoke run planned: ${label}, ${req.reason}: ${req.detail}${held.revoke?.releaseAfterNoticeDays !== undefined ? ', held until its notice is sent' : held.approval ? ', awaiting approval' : ''}${held.massChange?.held ? ', quarantined by the mass-change guard' : ''}`,
        to: held.status,
        detail: { eventId, revoke: scope, ...(held.approval ? { planHash: held.approval.planHash } : {}), steps: held.steps.map((s) => ({ stepId: s.stepId, action: s.action, dueAt: s.dueAt })) },
      },
    ]);
  }
  await joinQuarantineBatch(deps, held);
  if (held.status !== 'scheduled') return { runId: held.runId, status: held.status };
  const { run } = await updateRun(deps, employeeId, held.runId, (current) => {
    const released = releaseDue(current, deps.clock.now(), deps.settings);
    return { run: released.run, enqueue: released.enqueue, audit: queuedAudit(current, released.enqueue, req.requestedBy), value: null };
  });
  return { runId: run.runId, status: run.status };
}

const DAY_MS = 86_400_000;

/**
 * Releases a revoke held for its notice (`releaseAfterNoticeDays`) once `noticeSentAt` is recorded: approved by `actor`
 * (the system, not an operator), its steps due `releaseAfterNoticeDays` after the notice, and what is due queued. Does
 * nothing to a run not so held, or whose notice is not recorded; asked twice, the second finds it released.
 */
export async function releaseAfterNotice(deps: EngineDeps, employeeId: string, runId: string, actor: string): Promise<{ released: boolean; dueAt?: string }> {
  const { value } = await updateRun<{ released: boolean; dueAt?: string }>(deps, employeeId, runId, (current) => {
    const days = current.revoke?.releaseAfterNoticeDays;
    const sentAt = current.revoke?.noticeSentAt;
    if (current.status !== 'awaiting_approval' || !current.approval || days === undefined || !sentAt) return { run: current, value: { released: false } };
    const at = deps.clock.now();
    const dueAt = new Date(Date.parse(sentAt) + days * DAY_MS).toISOString();
    const steps = current.steps.map((s) => (s.status === 'pending' ? { ...s, dueAt } : s));
    const { releaseAfterNoticeDays: _d, ...revoke } = current.revoke!;
    const approval = { ...current.approval, planHash: planHash(steps), decision: 'approved' as const, decidedBy: actor, decidedAt: at.toISOString() };
    const scheduled = withSchedule({ ...current, steps, revoke, status: 'scheduled', approval, effectiveDate: dueAt.slice(0, 10), updatedAt: at.toISOString() }, deps.settings);
    const released = releaseDue(scheduled, at, deps.settings);
    return {
      run: released.run,
      enqueue: released.enqueue,
      audit: [
        { actor, change: `revoke released after its notice (sent ${sentAt} to ${(current.revoke?.noticeTo ?? []).join(', ')}): its steps fall due ${dueAt}, ${days} days after the notice (approve: false)`, from: current.status, to: released.run.status },
        ...(queuedAudit(scheduled, released.enqueue, actor) ?? []),
      ],
      value: { released: true, dueAt },
    };
  });
  return value;
}

/**
 * Records on a revoke held for its notice why the notice did not go, in the reason its approval shows, so an operator
 * reading the runs awaiting approval sees it (and may approve or reject it). Written only when the reason changes.
 */
export async function recordNoticeFailure(deps: EngineDeps, employeeId: string, runId: string, actor: string, failure: string): Promise<void> {
  await updateRun<null>(deps, employeeId, runId, (current) => {
    const days = current.revoke?.releaseAfterNoticeDays;
    if (current.status !== 'awaiting_approval' || !current.approval || days === undefined || !current.revoke) return { run: current, value: null };
    const requiredBy = noticeHoldReason(current.revoke, days, failure);
    if (requiredBy === current.approval.requiredBy) return { run: current, value: null };
    return {
      run: { ...current, approval: { ...current.approval, requiredBy }, updatedAt: deps.clock.now().toISOString() },
      audit: [{ actor, change: `revoke still held: its notice could not be sent (${failure}); nothing runs until it is sent, or an operator approves or rejects it` }],
      value: null,
    };
  });
}
