/**
 * The manager's notice before a leaver's last day, end to end with the default playbook and the sample role catalog:
 * a joiner hired as a support agent (whose role lists manual tasks) later leaves, not urgently; three days before the
 * last day, at 09:00 in the leaver's zone, the manager gets one mail from the welcome sender, read at the emulator's
 * mail endpoint, and nothing else of the leaver has happened yet.
 */
import { loadStageConfig } from '../../config/stages';
import { postEvent } from '../support/harness';
import { useE2eRuntime } from '../support/e2e-runtime';

const GRACE = 'grace.hopper@example.com';
const EMPLOYEE = {
  id: 'E-NOTICE',
  firstName: 'Lin',
  lastName: 'Okafor',
  personalEmail: 'lin@home.example',
  managerEmail: GRACE,
  role: 'support-agent',
  timezone: 'Europe/Berlin',
};
const SENDER = loadStageConfig('local').welcomeEmail.sender;

interface MailView {
  from: string;
  to: string;
  cc: string;
  subject: string;
  internalDate: string;
  headers: Record<string, string>;
  text: string;
}

describe('the manager’s notice before a leaver’s last day, end to end', () => {
  let now = Date.parse('2099-01-10T10:00:00Z');
  const { rt, runOf, settled } = useE2eRuntime(() => now, EMPLOYEE.id);
  /** The mail to the manager, as the emulator's mail endpoint shows it. */
  const notices = async (): Promise<MailView[]> => {
    const res = await fetch(`${rt().emulatorUrl}/_emulator/google/mail?to=${encodeURIComponent(GRACE)}`);
    expect(res.status).toBe(200);
    const { messages } = (await res.json()) as { messages: MailView[] };
    return messages.filter((m) => m.subject.startsWith('Leaver notice'));
  };

  let leaveRunId = '';

  it('a joiner hired into a role with manual tasks, whose accounts are made', async () => {
    const res = await postEvent(rt(), { eventId: 'notice-hire', type: 'hire', effectiveDate: '2099-01-20', employee: EMPLOYEE });
    expect(res.status).toBe(202);
    now = Date.parse('2099-01-19T08:00:00Z');
    await rt().sweepNow();
    await settled(res.body.runId, ['create-user', 'add-groups', 'joiner-summary'], 'the joiner steps');
  });

  it('leaving on a Friday, not urgently: the notice is planned three days before, at 09:00 Berlin time', async () => {
    now = Date.parse('2099-02-01T10:00:00Z');
    const { personalEmail: _p, role: _r, ...employee } = EMPLOYEE;
    const res = await postEvent(rt(), { eventId: 'notice-leave', type: 'terminate', effectiveDate: '2099-02-13', urgent: false, employee });
    expect(res.status).toBe(202);
    leaveRunId = res.body.runId;
    const due = Object.fromEntries(res.body.steps.map((s: { stepId: string; dueAt: string }) => [s.stepId, s.dueAt]));
    expect(due['leaver-notice']).toBe('2099-02-10T08:00:00.000Z');
    expect(due['sign-out']).toBe('2099-02-13T23:00:00.000Z');
    // The role the leaver held is on the run: its manual tasks are the manager's to collect.
    const held = (await runOf(leaveRunId)).role;
    expect(held).toMatchObject({ name: 'support-agent' });
    expect(held?.resolved?.lists.manualTasks.map((g) => g.value)).toEqual(['Order a laptop', 'Issue a building badge']);
    expect(await notices()).toEqual([]);
  });

  it('three days before, the manager gets one mail: the cut-off in Berlin time, what goes where, what to collect', async () => {
    now = Date.parse('2099-02-10T08:00:00Z');
    await rt().sweepNow();
    const run = await settled(leaveRunId, ['leaver-notice'], 'the leaver notice');
    // Nothing else of the leaver has happened yet.
    expect(run.steps.filter((s) => s.stepId !== 'leaver-notice' && s.status !== 'pending').map((s) => s.stepId)).toEqual([]);

    const mails = await notices();
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail).toMatchObject({ from: SENDER, to: GRACE, cc: '', subject: 'Leaver notice: Lin Okafor leaves on Friday 13 February 2099' });
    expect(mail.headers['X-Lifecycle-Step']).toBe(`${leaveRunId}/leaver-notice`);
    expect(mail.internalDate).toBe('2099-02-10T08:00:00.000Z');
    const text = mail.text.replace(/\r\n/g, '\n');
    expect(text).toContain('Their access ends at the cut-off, the end of that day: Saturday 14 February 2099, 00:00 Europe/Berlin.');
    expect(text).toContain('What will be removed:\n  At the cut-off (Saturday 14 February 2099, 00:00 Europe/Berlin):\n    - signed out of every Google session\n');
    expect(text).toContain(`the mailbox: ${GRACE} can read it and reply from it (mail delegation)`);
    expect(text).toMatch(/On Sunday 15 March 2099, 09:00 Europe\/Berlin:\n(?: {4}- .*\n)*? {4}- Google account suspended\n/);
    expect(text).toContain(`The mailbox stays open to ${GRACE} until Sunday 15 March 2099, 09:00 Europe/Berlin.`);
    expect(text).toMatch(/To collect or close by hand[^\n]*\n {2}- Order a laptop\n {2}- Issue a building badge\n/);

    // Another sweep sends nothing more.
    now += 60 * 60_000;
    await rt().sweepNow();
    await settled(leaveRunId, ['leaver-notice'], 'the leaver notice');
    expect(await notices()).toHaveLength(1);
  });
});
