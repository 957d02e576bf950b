/**
 * Inactivity revocation end to end, against the Google emulator: an account unused 120 days gets a revoke run waiting
 * for approval and a notice to the person and their manager (read at the emulator's mail route); an excluded account
 * gets neither; approved and due, the account is suspended; a cancel of the revoke's event gives it back. The accounts
 * are read by the Google directory reader consolidation uses (users.list over the emulator's Directory API).
 */
import { revokeSystemAccess } from '../../lambdas/engine/system-revoke';
import type { Run } from '../../lambdas/engine/model';
import { eventually, operator, postEvent } from '../support/harness';
import { useInactivityRuntime } from '../support/inactivity-runtime';

const DAY = 86_400_000;
const ALAN = 'alan.turing@example.com';
const GRACE = 'grace.hopper@example.com';
const KATHERINE = 'katherine.johnson@example.com';

interface MailView {
  to: string;
  subject: string;
  headers: Record<string, string>;
  text: string;
}

describe('an account unused for too long, end to end', () => {
  const time = useInactivityRuntime({ enabled: true, days: 90, noticeDays: 7, exclude: { addresses: [KATHERINE], employeeIds: [], access: [] } });
  const rt = () => time.rt();

  const mailTo = async (address: string): Promise<MailView[]> => {
    const res = await fetch(`${rt().emulatorUrl}/_emulator/google/mail?to=${encodeURIComponent(address)}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { messages: MailView[] }).messages.filter((m) => m.subject.startsWith('Unused account'));
  };
  const lastLogin = async (userKey: string, daysAgo: number) => {
    const res = await fetch(`${rt().emulatorUrl}/_emulator/google/last-login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ userKey, lastLoginTime: new Date(time.now - daysAgo * DAY).toISOString() }),
    });
    expect(res.status).toBe(200);
  };
  const revokesOf = async (employeeId: string): Promise<Run[]> => (await rt().engine.store.listRuns(employeeId)).filter((r) => r.type === 'revoke');
  let revoke: Run;

  it('Alan, known to HR with his manager, last signed in 120 days ago; Katherine, excluded, 200 days; Ada 10 days', async () => {
    const mover = { eventId: 'inactivity-alan-profile', type: 'role_change', effectiveDate: '2099-03-01', employee: { id: 'E101', firstName: 'Alan', lastName: 'Turing', email: ALAN, managerEmail: GRACE, timezone: 'Europe/London' } };
    expect((await postEvent(rt(), mover)).status).toBe(202);
    await lastLogin(ALAN, 120);
    await lastLogin(KATHERINE, 200);
    await lastLogin('ada.lovelace@example.com', 10);
    const google = (await fetch(`${rt().emulatorUrl}/_emulator/google/state`).then((r) => r.json())) as { users: { primaryEmail: string; lastLoginTime?: string }[] };
    expect(google.users.find((u) => u.primaryEmail === ALAN)?.lastLoginTime).toBe(new Date(time.now - 120 * DAY).toISOString());
  });

  it('the dry run lists Alan as idle and Katherine as excluded, and changes nothing', async () => {
    const res = await operator(rt(), 'GET', '/v1/inactivity');
    expect(res.status).toBe(200);
    expect(res.body.decision.idle).toEqual([expect.objectContaining({ email: ALAN, employeeId: 'E101', idleDays: 120, sinceKind: 'last sign-in' })]);
    expect(res.body.decision.excluded).toEqual([expect.objectContaining({ email: KATHERINE, code: 'excluded_address' })]);
    expect(res.body.reads).toEqual([expect.objectContaining({ system: 'google', accounts: expect.any(Number) })]);
    expect(await revokesOf('E101')).toEqual([]);
    expect(await mailTo(ALAN)).toEqual([]);
  });

  it('the check, run now by an operator, plans a revoke waiting for approval, due a week later, and mails Alan and his manager once', async () => {
    const res = await operator(rt(), 'POST', '/v1/inactivity/run');
    expect(res.status).toBe(200);
    const report = res.body;
    expect(report).toMatchObject({ dryRun: false, requestedBy: expect.any(String) });
    expect(report.created).toEqual([expect.objectContaining({ email: ALAN, status: 'awaiting_approval' })]);
    [revoke] = await revokesOf('E101');
    expect(revoke.approval?.requiredBy).toMatch(/^inactivity: unused for 120 days in google/);
    // The run and its approval name the check and the operator who ran it.
    expect(revoke.revoke?.requestedBy).toBe(`inactivity-check run by ${report.requestedBy}`);
    expect(revoke.approval?.requiredBy).toContain(`(requested by inactivity-check run by ${report.requestedBy})`);
    expect(revoke.steps.map((s) => s.action)).toEqual(['google.signOut', 'google.revokeTokens', 'google.deleteAppPasswords', 'google.suspendUser']);
    expect(new Set(revoke.steps.map((s) => s.dueAt))).toEqual(new Set([new Date(time.now + 7 * DAY).toISOString()]));

    const [mail, ...more] = await mailTo(ALAN);
    expect(more).toEqual([]);
    expect(mail.to).toContain(GRACE);
    expect(mail.headers['X-Lifecycle-Step']).toBe(`${revoke.runId}/inactivity-notice`);
    expect(mail.subject).toBe(`Unused account: ${ALAN} (Google Workspace) will be revoked on Sunday 8 March 2099`);
    const text = mail.text.replace(/\r\n/g, '\n');
    expect(text).toContain('has not been used for 120 days. It was last signed in to on Saturday 1 November 2098.');
    expect(text).toContain('sign in to it before then');
    expect(await mailTo(KATHERINE)).toEqual([]);
    expect(await revokesOf('E102')).toEqual([]);

    // The next day's check plans no second run and sends no second mail.
    time.now += DAY;
    const again = await rt().inactivityNow();
    expect(again.created).toEqual([]);
    expect(again.decision.withRun).toEqual([expect.objectContaining({ email: ALAN, runId: revoke.runId })]);
    expect(await revokesOf('E101')).toHaveLength(1);
    expect(await mailTo(ALAN)).toHaveLength(1);
  });

  it('approved, nothing happens before it is due; once due, Alan’s account is signed out and suspended', async () => {
    const approved = await operator(rt(), 'POST', `/v1/runs/${revoke.runId}/approve`, { planHash: revoke.approval?.planHash });
    expect(approved.status).toBe(200);
    await rt().sweepNow();
    expect(rt().emulators.google.user(ALAN)?.suspended).toBe(false);
    time.now += 6 * DAY;
    await rt().sweepNow();
    const done = await eventually(async () => {
      const run = await rt().engine.store.getRun('E101', revoke.runId);
      if (run?.steps.some((s) => s.status === 'needs_attention')) throw new Error(JSON.stringify(run.steps.map((s) => [s.stepId, s.status, s.lastError?.message])));
      return run?.status === 'completed' && rt().idle() ? run : undefined;
    }, 30_000, 'the revoke to complete').catch(async (err) => {
      const run = await rt().engine.store.getRun('E101', revoke.runId);
      throw new Error(`${String(err)}: ${JSON.stringify({ status: run?.status, dueAt: run?.dueAt, steps: run?.steps.map((s) => [s.stepId, s.status, s.dueAt, s.lastError?.message]) })}`);
    });
    expect(done.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    expect(rt().emulators.google.user(ALAN)).toMatchObject({ suspended: true, orgUnitPath: '/Staff' });
    // Katherine and Ada keep their accounts.
    expect(rt().emulators.google.user(KATHERINE)?.suspended).toBe(false);
    expect(rt().emulators.google.user('ada.lovelace@example.com')?.suspended).toBe(false);
  });

  it('a cancel of the revoke’s event gives the account back', async () => {
    const res = await postEvent(rt(), { eventId: 'inactivity-alan-restore', type: 'cancel', cancels: revoke.eventId });
    expect(res.status).toBe(202);
    expect(res.body.steps).toEqual([expect.objectContaining({ stepId: 'restore-suspend-user', action: 'google.unsuspendUser' })]);
    await eventually(async () => {
      const run = await rt().engine.store.getRun('E101', res.body.runId);
      return run?.status === 'completed' && rt().idle() ? run : undefined;
    }, 30_000, 'the restore');
    expect(rt().emulators.google.user(ALAN)?.suspended).toBe(false);
    // Given back since its last use: the next check does not propose it again.
    const next = await rt().inactivityNow({ dryRun: true });
    expect(next.decision.excluded).toEqual(expect.arrayContaining([expect.objectContaining({ email: ALAN, code: 'decided' })]));
  });

  it('a protected account bound to an employee is held, not suspended, even without approval', async () => {
    rt().emulators.google.seedUser({ email: 'cfo@example.com', employeeId: 'E-CFO', givenName: 'Chief', familyName: 'Finance', isAdmin: true });
    const { runId } = await revokeSystemAccess(rt().engine, { employeeId: 'E-CFO', system: 'google', accountId: 'cfo', email: 'cfo@example.com', reason: 'consolidation', detail: 'test', requestedBy: 'ops@example.com' }, { approve: false });
    const held = await eventually(async () => {
      const run = await rt().engine.store.getRun('E-CFO', runId);
      return run && run.steps.filter((s) => s.hold === 'protected').length === 3 && rt().idle() ? run : undefined;
    }, 30_000, 'the protected holds');
    expect(held.steps.find((s) => s.stepId === 'suspend-user')?.status).toBe('pending');
    expect(rt().emulators.google.user('cfo@example.com')?.suspended).toBe(false);
  });
});
