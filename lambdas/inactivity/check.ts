/**
 * The daily inactivity check: reads the checked systems through their DirectoryReaders, decides who is idle
 * (./decide.ts), plans a revoke run for each (lambdas/engine/system-revoke.ts) due `noticeDays` later, mails the
 * person and their manager, and cancels the revoke of an account signed in to since. A dry run only reports.
 */
import type { DirectoryReader } from '../consolidation/directory';
import type { InactivitySettings } from '../../config/inactivity';
import type { AccountPolicy } from '../../config/account-policy';
import type { EngineDeps } from '../engine/ports';
import { RUN_STATUSES, type Run } from '../engine/model';
import { ENDED, hasStarted } from '../engine/termination-overlap';
import { cancelFor } from '../engine/cancellation';
import { updateRun } from '../engine/run-updates';
import { recordNoticeFailure, releaseAfterNotice, revokeSystemAccess, RevokeRefused } from '../engine/system-revoke';
import { errorFields } from '../shared/log-fields';
import { decideInactivity, type AccountRef, type IdleAccount, type InactivityAccount, type InactivityDecision } from './decide';
import type { InactivityMailer } from './notice-mailer';

/** How the audit trail names the check. */
export const INACTIVITY_ACTOR = 'inactivity-check';

/** The actor a check's revoke runs and cancels name: the check, and the operator who ran it now if one did. */
export const inactivityActor = (requestedBy?: string) => (requestedBy ? `${INACTIVITY_ACTOR} run by ${requestedBy}` : INACTIVITY_ACTOR);

const DAY_MS = 86_400_000;

/** A notice claim older than this was left by a check that died before sending: another check takes it over. */
export const NOTICE_CLAIM_STALE_MS = 10 * 60_000;

export interface InactivityCheckDeps {
  engine: EngineDeps;
  /** One per system checked (the consolidation readers); a system with no reader is reported, not checked. */
  readers: readonly DirectoryReader[];
  settings: InactivitySettings;
  policy: AccountPolicy;
  /** Sends the notice; without it the runs are still planned and the report says no notice went. */
  mailer?: InactivityMailer;
}

export interface InactivityReport {
  checkedAt: string;
  dryRun: boolean;
  /** The operator who asked for a run now (POST /v1/inactivity/run); unset for the daily schedule and a dry run. */
  requestedBy?: string;
  enabled: boolean;
  days: number;
  noticeDays: number;
  approve: boolean;
  /** What each system's reader gave, and how long it took. */
  reads: { system: string; accounts: number; ms: number; error?: string }[];
  decision: InactivityDecision;
  created: (AccountRef & { runId: string; status: Run['status'] })[];
  cancelled: (AccountRef & { runId: string })[];
  /** `releasedDueAt`: a revoke without approval held for its notice, released by it: when its steps fall due. */
  notices: { runId: string; to: string[]; messageId?: string; alreadySent?: boolean; releasedDueAt?: string; error?: string }[];
  errors: { system?: string; accountId?: string; runId?: string; message: string }[];
}

const OPEN_STATUSES = RUN_STATUSES.filter((s) => !ENDED.includes(s));

async function readAll(deps: InactivityCheckDeps, report: InactivityReport): Promise<InactivityAccount[]> {
  const accounts: InactivityAccount[] = [];
  for (const system of deps.settings.systems) {
    const reader = deps.readers.find((r) => r.system === system);
    const started = Date.now();
    if (!reader) {
      report.reads.push({ system, accounts: 0, ms: 0, error: `no reader of ${system} is configured: not checked` });
      continue;
    }
    let count = 0;
    try {
      for await (const account of reader.accounts()) {
        accounts.push(account);
        count += 1;
      }
      report.reads.push({ system, accounts: count, ms: Date.now() - started });
    } catch (err) {
      // A system that cannot be read is not checked this time; what it gave so far is not decided on either.
      accounts.splice(accounts.length - count, count);
      report.reads.push({ system, accounts: 0, ms: Date.now() - started, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return accounts;
}

/** The runs the decision needs: every revoke still open, and every run of an employee one of whose accounts is idle by time. */
async function runsFor(deps: InactivityCheckDeps, accounts: InactivityAccount[], now: Date): Promise<Run[]> {
  const byId = new Map<string, Run>();
  for (const status of OPEN_STATUSES) for (const r of await deps.engine.store.listAllRunsByStatus(status)) if (r.type === 'revoke') byId.set(r.runId, r);
  const idleEmployees = new Set(
    accounts
      .filter((a) => a.employeeId && a.active && a.signInKnown)
      .filter((a) => {
        const since = a.lastSignInAt ?? a.createdAt;
        return since !== undefined && now.getTime() - Date.parse(since) >= deps.settings.days * DAY_MS;
      })
      .map((a) => a.employeeId!),
  );
  for (const employeeId of idleEmployees) for (const r of await deps.engine.store.listRuns(employeeId)) byId.set(r.runId, r);
  return [...byId.values()];
}

const detailOf = (a: IdleAccount) => `unused for ${a.idleDays} days in ${a.system} (${a.sinceKind === 'last sign-in' ? `last sign-in ${a.since.slice(0, 10)}` : `made ${a.since.slice(0, 10)}, never signed in`})`;

/**
 * Mails the person and their manager about a revoke run not yet noticed, and marks the run. A revoke without approval
 * waits for its notice (`releaseAfterNoticeDays`): sent, it is released with its steps due `noticeDays` after it; not
 * sent, it stays held and the reason its approval shows says why, for an operator to see.
 */
async function sendNotice(deps: InactivityCheckDeps, report: InactivityReport, runId: string, employeeId: string, idle: IdleAccount): Promise<void> {
  const run = await deps.engine.store.getRun(employeeId, runId);
  // A run the mass-change guard holds is not noticed: the batch may be a mistake; once released it is noticed as any other.
  if (!run?.revoke || ENDED.includes(run.status) || run.status === 'quarantined') return;
  // Held for its notice while it still waits: an operator who approved it before the notice went set its steps' time.
  const heldForNotice = run.revoke.releaseAfterNoticeDays !== undefined && run.status === 'awaiting_approval';
  if (run.revoke.noticeSentAt) {
    // Noticed, but not released (the release did not get written): released now, due from the notice as ever.
    if (heldForNotice) await releaseAfterNotice(deps.engine, employeeId, runId, INACTIVITY_ACTOR);
    return;
  }
  const notSent = async (message: string) => {
    if (heldForNotice) await recordNoticeFailure(deps.engine, employeeId, runId, INACTIVITY_ACTOR, message);
  };
  const profile = await deps.engine.store.getEmployee(employeeId);
  const person = (idle.email ?? profile?.email)?.toLowerCase();
  const manager = profile?.managerEmail?.toLowerCase();
  const to = [...new Set([person, manager].filter((a): a is string => Boolean(a)))];
  if (!to.length || !deps.mailer) {
    const message = !to.length ? `no address for employee ${employeeId} or their manager: no notice sent` : 'no mail sender is configured: no notice sent';
    report.notices.push({ runId, to, error: message });
    await notSent(message);
    return;
  }
  const now = deps.engine.clock.now();
  // Two checks at once (the schedule and an operator's run now) would both find no notice sent: one claims it first.
  const claim = await updateRun(deps.engine, employeeId, runId, (current) => {
    const revoke = current.revoke;
    if (!revoke || revoke.noticeSentAt) return { run: current, value: 'sent' as const };
    const claimedMs = revoke.noticeClaimedAt ? Date.parse(revoke.noticeClaimedAt) : NaN;
    if (now.getTime() - claimedMs < NOTICE_CLAIM_STALE_MS) return { run: current, value: 'busy' as const };
    return { run: { ...current, revoke: { ...revoke, noticeClaimedAt: now.toISOString() } }, value: 'claimed' as const };
  });
  if (claim.value === 'sent') return;
  if (claim.value === 'busy') {
    report.notices.push({ runId, to, error: `another check is sending this notice (claimed at ${claim.run.revoke?.noticeClaimedAt})` });
    return;
  }
  // Held for its notice, the revoke falls due noticeDays from now (when the notice goes), not from when it was planned.
  const revokeAt = heldForNotice
    ? new Date(now.getTime() + run.revoke.releaseAfterNoticeDays! * DAY_MS).toISOString()
    : (run.steps.map((s) => s.dueAt).sort()[0] ?? now.toISOString());
  try {
    const sent = await deps.mailer.send({
      to,
      runId,
      name: [profile?.firstName, profile?.lastName].filter(Boolean).join(' ') || employeeId,
      employeeId,
      system: idle.system,
      account: idle.email ?? idle.accountId,
      since: idle.since,
      sinceKind: idle.sinceKind,
      idleDays: idle.idleDays,
      revokeAt,
      timezone: profile?.timezone ?? 'UTC',
      approval: run.status === 'awaiting_approval' && !heldForNotice,
    });
    await updateRun(deps.engine, employeeId, runId, (current) => ({
      run: current.revoke ? { ...current, revoke: { ...current.revoke, noticeSentAt: sent.sentAt, noticeTo: to } } : current,
      audit: [{ actor: INACTIVITY_ACTOR, change: `inactivity notice ${sent.alreadySent ? 'found already sent' : 'sent'} to ${to.join(', ')} (message ${sent.messageId})` }],
      value: null,
    }));
    const released = heldForNotice ? await releaseAfterNotice(deps.engine, employeeId, runId, INACTIVITY_ACTOR) : undefined;
    report.notices.push({ runId, to, messageId: sent.messageId, alreadySent: sent.alreadySent, ...(released?.dueAt ? { releasedDueAt: released.dueAt } : {}) });
  } catch (err) {
    deps.engine.log.warn('inactivity notice not sent', { runId, employeeId, ...errorFields(err) });
    // The claim is let go: the next check (or an operator's run now) tries again at once, not after it goes stale.
    const claimedAt = now.toISOString();
    await updateRun(deps.engine, employeeId, runId, (current) => {
      if (!current.revoke || current.revoke.noticeClaimedAt !== claimedAt) return { run: current, value: null };
      const { noticeClaimedAt: _released, ...revoke } = current.revoke;
      return { run: { ...current, revoke }, value: null };
    });
    const message = err instanceof Error ? err.message : String(err);
    report.notices.push({ runId, to, error: message });
    await notSent(message);
  }
}

/**
 * Runs the check. With `dryRun` (the operator's `lifecycle inactivity`, GET /v1/inactivity) nothing is written: the
 * report shows who is idle, who is excluded and why, and who already has a revoke run. A stage with inactivity off
 * is reported the same way and nothing is done. `requestedBy`: the operator who ran it now (their revoke runs and
 * cancels name them beside the check); unset, the daily schedule.
 */
export async function checkInactivity(deps: InactivityCheckDeps, options: { dryRun: boolean; requestedBy?: string }): Promise<InactivityReport> {
  const now = deps.engine.clock.now();
  const { settings } = deps;
  const actor = inactivityActor(options.requestedBy);
  const report: InactivityReport = {
    checkedAt: now.toISOString(),
    dryRun: options.dryRun || !settings.enabled,
    ...(options.requestedBy ? { requestedBy: options.requestedBy } : {}),
    enabled: settings.enabled,
    days: settings.days,
    noticeDays: settings.noticeDays,
    approve: settings.approve,
    reads: [],
    decision: { idle: [], excluded: [], withRun: [], usedAgain: [], checked: 0 },
    created: [],
    cancelled: [],
    notices: [],
    errors: [],
  };
  const accounts = await readAll(deps, report);
  const runs = await runsFor(deps, accounts, now);
  report.decision = decideInactivity({ accounts, runs, settings, policy: deps.policy, now });
  if (report.dryRun) return report;

  for (const used of report.decision.usedAgain) {
    const run = runs.find((r) => r.runId === used.runId);
    if (!run) continue;
    const { cancelled } = await cancelFor(deps.engine, run, {
      actor,
      change: `run cancelled: the ${used.system} account ${used.email ?? used.accountId} was signed in to after its revoke was planned`,
      onlyIf: (r) => !hasStarted(r),
      ifCompleted: 'keep',
    });
    if (cancelled) report.cancelled.push({ ...used, runId: used.runId });
    else report.errors.push({ ...used, message: `run ${used.runId} has started: the account was used again, but what the run did stays until it is cancelled (a cancel of its event gives it back)` });
  }

  const dueAt = new Date(now.getTime() + settings.noticeDays * DAY_MS);
  for (const idle of report.decision.idle) {
    try {
      const { runId, status } = await revokeSystemAccess(
        deps.engine,
        { employeeId: idle.employeeId, system: idle.system, accountId: idle.accountId, email: idle.email, reason: 'inactivity', detail: detailOf(idle), requestedBy: actor },
        // Without an approver the notice is what stands between the check and the revoke: held until it is sent.
        { dueAt, approve: settings.approve, ...(settings.approve ? {} : { releaseAfterNoticeDays: settings.noticeDays }) },
      );
      report.created.push({ ...idle, runId, status });
      await sendNotice(deps, report, runId, idle.employeeId!, idle);
    } catch (err) {
      if (!(err instanceof RevokeRefused)) deps.engine.log.error('inactivity revoke not planned', { system: idle.system, employeeId: idle.employeeId, ...errorFields(err) });
      report.errors.push({ system: idle.system, accountId: idle.accountId, message: err instanceof Error ? err.message : String(err) });
    }
  }
  // A run planned earlier whose notice did not go (the mail failed): tried again.
  for (const open of report.decision.withRun) {
    const idle: IdleAccount = { ...open, since: '', sinceKind: 'last sign-in', idleDays: open.idleDays ?? settings.days };
    const account = accounts.find((a) => a.system === open.system && a.accountId === open.accountId);
    const since = account?.lastSignInAt ?? account?.createdAt;
    if (!since || !open.employeeId) continue;
    await sendNotice(deps, report, open.runId, open.employeeId, { ...idle, since, sinceKind: account?.lastSignInAt ? 'last sign-in' : 'created, never signed in' });
  }
  // What it did, by run ids and counts (no address): on AWS a run now answers 202, and this line is its record.
  deps.engine.log.info('inactivity check done', {
    runNow: options.requestedBy !== undefined,
    checked: report.decision.checked,
    idle: report.decision.idle.length,
    excluded: report.decision.excluded.length,
    created: report.created.map((c) => c.runId),
    cancelled: report.cancelled.map((c) => c.runId),
    noticesSent: report.notices.filter((n) => !n.error).length,
    noticesNotSent: report.notices.filter((n) => n.error).map((n) => n.runId),
    errors: report.errors.length,
  });
  return report;
}
