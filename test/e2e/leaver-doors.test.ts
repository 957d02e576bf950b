/**
 * A leaver's other doors and their role's grants, end to end: a joiner hired into a role that shares two team
 * calendars and sets SAML.role, who then has two aliases and a recovery phone, leaves at once. After the cut-off the
 * aliases, the recovery phone, POP and IMAP, the calendars and SAML.role are gone, read back through the emulator's
 * real API paths; HR cancels, and every one of them is back.
 */
import { eventually, googleClientsOf, operator, postEvent } from '../support/harness';
import { useE2eRuntime } from '../support/e2e-runtime';

const EMPLOYEE = {
  id: 'E-DOORS',
  firstName: 'Mary',
  lastName: 'Somerville',
  personalEmail: 'mary@home.example',
  managerEmail: 'grace.hopper@example.com',
  role: 'support-agent',
  timezone: 'Europe/London',
};
const ADDRESS = 'msomerville@example.com';
const ALIASES = ['mary@example.com', 'support.mary@example.com'];
const PHONE = '+447700900777';
const ROTA = 'c_support000000000000000000000@group.calendar.google.com';
const ESCALATIONS = 'c_escalations0000000000000000@group.calendar.google.com';

describe("a leaver's doors and their role's grants: closed at the cut-off, opened again by HR's cancel", () => {
  let now = Date.parse('2099-03-01T10:00:00Z');
  const { rt, runOf, finished } = useE2eRuntime(() => now, EMPLOYEE.id, { timeoutMs: 60_000 });
  const google = () => googleClientsOf(rt());

  /** Everything this test opens and closes, read through the Directory, Gmail and Calendar APIs as Google serves them. */
  const doors = async () => {
    const g = google();
    const user = (await g.directory.users.get({ userKey: ADDRESS, projection: 'full' })).data as { recoveryPhone?: string; customSchemas?: Record<string, Record<string, unknown>> };
    const aliases = (((await g.directory.users.aliases.list({ userKey: ADDRESS })).data.aliases ?? []) as { alias?: string }[]).map((a) => a.alias).sort();
    const acl = (calendarId: string) =>
      g.calendar.acl.get({ calendarId, ruleId: `user:${ADDRESS}` }).then((r) => r.data.role, (err: { code?: number }) => (err.code === 404 ? null : Promise.reject(err)));
    const gmail = await g.gmailFor(ADDRESS);
    return {
      aliases,
      recoveryPhone: user.recoveryPhone ?? null,
      samlRole: user.customSchemas?.SAML?.role ?? null,
      calendars: { rota: await acl(ROTA), escalations: await acl(ESCALATIONS) },
      imap: (await gmail.users.settings.getImap({ userId: ADDRESS })).data.enabled,
      pop: (await gmail.users.settings.getPop({ userId: ADDRESS })).data.accessWindow,
    };
  };

  let before: Awaited<ReturnType<typeof doors>>;
  let leaverRunId = '';

  it('hires a joiner into a role with team calendars and SAML.role; they add two aliases and a recovery phone, and turn POP on', async () => {
    const hire = await postEvent(rt(), { eventId: 'doors-hire', type: 'hire', effectiveDate: '2099-03-10', employee: EMPLOYEE });
    expect(hire.status).toBe(202);
    // The first day, after the welcome email's 09:00: every step of the hire is due.
    now = Date.parse('2099-03-10T09:30:00Z');
    await rt().sweepNow();
    const run = await eventually(async () => {
      const r = await runOf(hire.body.runId);
      return r.status === 'completed' && rt().idle() ? r : undefined;
    }, 60_000, 'the hire');
    expect(run.employee.email).toBe(ADDRESS);

    const g = google();
    for (const alias of ALIASES) await g.directory.users.aliases.insert({ userKey: ADDRESS, requestBody: { alias } });
    await g.directory.users.patch({ userKey: ADDRESS, requestBody: { recoveryPhone: PHONE } });
    await (await g.gmailFor(ADDRESS)).users.settings.updatePop({ userId: ADDRESS, requestBody: { accessWindow: 'fromNowOn', disposition: 'leaveInInbox' } });
    before = await doors();
    expect(before).toEqual({ aliases: ALIASES, recoveryPhone: PHONE, samlRole: 'helpdesk', calendars: { rota: 'reader', escalations: 'reader' }, imap: true, pop: 'fromNowOn' });
  }, 90_000);

  it('an urgent leaver: the plan revokes the role held, and after the cut-off every door is closed', async () => {
    now = Date.parse('2099-04-01T10:00:00Z');
    const res = await postEvent(rt(), { eventId: 'doors-leave', type: 'terminate', effectiveDate: '2099-04-01', urgent: true, employee: { ...EMPLOYEE, email: ADDRESS } });
    expect(res.status).toBe(202);
    leaverRunId = res.body.runId;
    const planned = Object.fromEntries(res.body.steps.map((s: { stepId: string; action: string }) => [s.stepId, s.action]));
    expect(planned).toMatchObject({
      'remove-recovery-info': 'google.removeRecoveryInfo',
      'turn-off-pop-imap': 'google.turnOffPopImap',
      'remove-send-as': 'google.removeSendAs',
      'remove-aliases': 'google.removeAliases',
      'unshare-calendars': 'google.unshareCalendars',
      'remove-custom-schemas': 'google.updateCustomSchemas',
    });
    // The role held is kept on the run, as an operator reads it.
    const view = await operator(rt(), 'GET', `/v1/runs/${leaverRunId}`);
    expect(view.body.role).toMatchObject({ name: 'support-agent', grantedByRunId: expect.any(String) });

    const run = await finished(leaverRunId, 'the cut-off');
    for (const id of ['remove-recovery-info', 'turn-off-pop-imap', 'remove-aliases', 'unshare-calendars', 'remove-custom-schemas']) {
      expect(run.steps.find((s) => s.stepId === id)?.status).toBe('succeeded');
    }
    expect(await doors()).toEqual({ aliases: [], recoveryPhone: null, samlRole: null, calendars: { rota: null, escalations: null }, imap: false, pop: 'disabled' });
  }, 90_000);

  it('HR cancels: every door and every grant of the role is back as it was, though Vault refuses to release the mail hold', async () => {
    // Releasing the hold gives the person nothing back: its refusal waits for an operator and holds back no other restore.
    rt().emulators.google.faults.failNext({ method: 'GET', path: '^/v1/matters/[^/]+/holds/', count: 1, status: 403, reason: 'forbidden', message: 'The caller does not have permission' });
    const cancel = await postEvent(rt(), { eventId: 'doors-leave-cancel', type: 'cancel', cancels: 'doors-leave' });
    expect(cancel.status).toBe(202);
    expect(cancel.body.steps.map((s: { stepId: string }) => s.stepId)).toEqual(
      expect.arrayContaining(['restore-hold-mail', 'restore-remove-recovery-info', 'restore-turn-off-pop-imap', 'restore-remove-aliases', 'restore-unshare-calendars', 'restore-remove-custom-schemas']),
    );
    const restored = await eventually(async () => {
      const run = await runOf(cancel.body.runId);
      const others = run.steps.filter((s) => s.stepId !== 'restore-hold-mail');
      const hold = run.steps.find((s) => s.stepId === 'restore-hold-mail');
      return hold?.status === 'needs_attention' && others.every((s) => s.status === 'succeeded') && rt().idle() ? run : undefined;
    }, 60_000, 'every restore but the hold release');
    expect(restored.steps.find((s) => s.stepId === 'restore-hold-mail')?.lastError).toMatchObject({ retryable: false });
    expect(await doors()).toEqual(before);
  }, 90_000);
});
