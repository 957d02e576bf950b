/**
 * A revoke without approval (`inactivity.approve: false`) against the emulators: while Gmail refuses the notice, the
 * revoke is held and says why, and nothing is revoked at the time it was planned for; once the notice goes, the
 * account is suspended `noticeDays` after the notice, not before.
 */
import type { Run } from '../../lambdas/engine/model';
import { eventually, operator, postEvent } from '../support/harness';
import { useInactivityRuntime } from '../support/inactivity-runtime';

const DAY = 86_400_000;
const ALAN = 'alan.turing@example.com';
const GRACE = 'grace.hopper@example.com';

describe('a revoke without approval waits for its notice, end to end', () => {
  const time = useInactivityRuntime({ enabled: true, days: 90, noticeDays: 7, approve: false });
  const rt = () => time.rt();

  const revokeOf = async (): Promise<Run> => (await rt().engine.store.listRuns('E101')).find((r) => r.type === 'revoke')!;
  const notices = async () =>
    ((await (await fetch(`${rt().emulatorUrl}/_emulator/google/mail?to=${encodeURIComponent(ALAN)}`)).json()) as { messages: { subject: string }[] }).messages.filter((m) => m.subject.startsWith('Unused account'));

  it('Gmail refusing the notice: the revoke is held, says why, and nothing is revoked when it falls due', async () => {
    const mover = { eventId: 'hold-alan-profile', type: 'role_change', effectiveDate: '2099-03-01', employee: { id: 'E101', firstName: 'Alan', lastName: 'Turing', email: ALAN, managerEmail: GRACE, timezone: 'Europe/London' } };
    expect((await postEvent(rt(), mover)).status).toBe(202);
    const res = await fetch(`${rt().emulatorUrl}/_emulator/google/last-login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ userKey: ALAN, lastLoginTime: new Date(time.now - 120 * DAY).toISOString() }) });
    expect(res.status).toBe(200);
    rt().emulators.google.faults.failNext({ method: 'POST', path: '/gmail/v1/users/[^/]+/messages/send$', count: 1000, status: 400, reason: 'failedPrecondition', message: 'Mail service not enabled' });

    const report = await rt().inactivityNow();
    expect(report.created).toEqual([expect.objectContaining({ email: ALAN, status: 'awaiting_approval' })]);
    expect(report.notices).toEqual([expect.objectContaining({ error: expect.stringMatching(/Mail service not enabled/) })]);
    const held = await revokeOf();
    // What an operator reads of the run: why it waits.
    const shown = await operator(rt(), 'GET', `/v1/runs/${held.runId}`);
    expect(shown.status).toBe(200);
    expect(JSON.stringify(shown.body)).toMatch(/waits for its notice \(approve: false\).*the notice could not be sent: .*Mail service not enabled/);

    time.now += 8 * DAY;
    await rt().sweepNow();
    await rt().inactivityNow(); // the mail still refused
    await rt().sweepNow();
    const still = await revokeOf();
    expect(still.status).toBe('awaiting_approval');
    expect(still.steps.every((s) => s.status === 'pending')).toBe(true);
    expect(rt().emulators.google.user(ALAN)?.suspended).toBe(false);
    expect(await notices()).toEqual([]);
  }, 120_000);

  it('the notice sent at last: the account is suspended noticeDays after it, not before', async () => {
    rt().emulators.google.faults.clear();
    const sentAt = time.now;
    const report = await rt().inactivityNow();
    expect(report.notices).toEqual([expect.objectContaining({ to: [ALAN, GRACE], releasedDueAt: new Date(sentAt + 7 * DAY).toISOString() })]);
    expect(await notices()).toHaveLength(1);
    const released = await revokeOf();
    expect(released).toMatchObject({ status: 'scheduled', approval: { decision: 'approved', decidedBy: 'inactivity-check' } });

    time.now += 6 * DAY;
    await rt().sweepNow();
    expect(rt().emulators.google.user(ALAN)?.suspended).toBe(false);
    time.now += DAY;
    await rt().sweepNow();
    await eventually(async () => {
      const run = await revokeOf();
      if (run.steps.some((s) => s.status === 'needs_attention')) throw new Error(JSON.stringify(run.steps.map((s) => [s.stepId, s.status, s.lastError?.message])));
      return run.status === 'completed' && rt().idle() ? run : undefined;
    }, 30_000, 'the revoke to complete');
    expect(rt().emulators.google.user(ALAN)?.suspended).toBe(true);
  }, 120_000);
});
