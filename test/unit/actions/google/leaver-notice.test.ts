/**
 * google.sendLeaverNotice against the Google emulator through the real Directory and Gmail clients: to the manager's
 * primary address before the cut-off, once only, to the operators when there is no manager, never after the cut-off.
 */
import { sendLeaverNotice } from '../../../../lambdas/actions/google/send-leaver-notice';
import { runAction } from '../../../../lambdas/actions/run-action';
import type { ActionRequest } from '../../../../lambdas/engine/ports';
import { expectFailure as failure, expectOk, useGoogleTestBed, type GoogleTestBed } from '../../../support/google-emulator';

// Ada's last day is Monday 30 November 2026 in London: the cut-off is 2026-12-01T00:00Z. The notice goes three days before.
const NOTICE_TIME = Date.parse('2026-11-27T09:00:00Z');
const CUTOFF = '2026-12-01T00:00:00.000Z';
let emulatorNow = NOTICE_TIME;
const currentBed = useGoogleTestBed({ emulatorNow: () => emulatorNow });
let bed: GoogleTestBed;
const OPERATORS = ['it-ops@example.com', 'Service-Desk@example.com'];
let operators = OPERATORS;
beforeEach(() => {
  emulatorNow = NOTICE_TIME;
  operators = OPERATORS;
  bed = currentBed();
  bed.clock.set(new Date(NOTICE_TIME));
});

type RunSteps = NonNullable<ActionRequest['runSteps']>;
const steps: RunSteps = [
  { stepId: 'sign-out', action: 'google.signOut', status: 'pending', dueAt: CUTOFF },
  { stepId: 'delegate-to-manager', action: 'google.delegateToManager', status: 'pending', dueAt: CUTOFF },
  { stepId: 'transfer-data', action: 'google.transferData', status: 'pending', dueAt: '2026-12-01T09:00:00.000Z' },
  { stepId: 'suspend-user', action: 'google.suspendUser', status: 'pending', dueAt: '2026-12-30T09:00:00.000Z' },
];
const role = { name: 'support-agent', manualTasks: ['Order a laptop', 'Issue a building badge'] };

function notice(overrides: Partial<Omit<ActionRequest, 'employee'>> & { employee?: Partial<ActionRequest['employee']> } = {}, params: Record<string, unknown> = {}) {
  const ctx = { ...bed.ctx, operatorEmails: () => operators };
  return runAction(
    sendLeaverNotice,
    ctx,
    bed.request('google.sendLeaverNotice', { runId: 'run-leave-3', stepId: 'leaver-notice', params, role, runSteps: steps, ...overrides }),
  );
}

describe('google.sendLeaverNotice', () => {
  it('mails the manager from the welcome sender: the cut-off in the leaver’s zone, what goes where, what to collect', async () => {
    const res = expectOk(await notice());
    const mails = bed.emulator.sentMail();
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail).toMatchObject({ mailbox: bed.sample.users.admin.email, to: bed.sample.users.grace.email });
    expect(mail.cc ?? '').toBe('');
    expect(mail.headers['X-Lifecycle-Step']).toBe('run-leave-3/leaver-notice');
    expect(mail.subject).toBe('Leaver notice: Ada Lovelace leaves on Monday 30 November 2026');
    const text = mail.text.replace(/\r\n/g, '\n');
    expect(text).toContain('Their access ends at the cut-off, the end of that day: Tuesday 1 December 2026, 00:00 Europe/London.');
    expect(text).toContain('What will be removed:\n  At the cut-off (Tuesday 1 December 2026, 00:00 Europe/London):\n    - signed out of every Google session\n');
    expect(text).toContain(`ownership goes to ${bed.sample.users.grace.email}`);
    expect(text).toContain('not deleted: its mail and files stay with the company.');
    expect(text).toMatch(/To collect or close by hand[^\n]*\n {2}- Order a laptop\n {2}- Issue a building badge\n/);
    expect(res.result).toEqual({
      messageId: mail.id,
      sentAt: '2026-11-27T09:00:00.000Z',
      to: [bed.sample.users.grace.email],
      cutoffAt: CUTOFF,
      removed: 2,
      transferred: 2,
      manualTasks: role.manualTasks,
    });
  });

  it('takes the manager by the primary address Google answers, whatever the case HR wrote it in', async () => {
    expectOk(await notice({ employee: { managerEmail: ' Grace.Hopper@Example.com ' } }));
    expect(bed.emulator.sentMail()[0].to).toBe(bed.sample.users.grace.email);
  });

  it('run again, it finds its mail and sends no second one; an answer lost after the send is found too', async () => {
    bed.emulator.faults.failNext({ method: 'GET', path: '^/gmail/v1/users/me/messages/[0-9a-f]+$', count: 1, status: 503 });
    expect(failure(await notice())).toMatchObject({ retryable: true });
    expect(bed.emulator.sentMail()).toHaveLength(1);
    const again = expectOk(await notice());
    expect(again.result).toMatchObject({ alreadySent: true, to: [bed.sample.users.grace.email] });
    expect(again.note).toContain('not sent again');
    expect(bed.emulator.sentMail()).toHaveLength(1);
  });

  it('a manager Google has no account for fails for an operator, naming employee.managerEmail, and sends nothing', async () => {
    const error = failure(await notice({ employee: { managerEmail: 'nobody@example.com' } }));
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toContain('employee.managerEmail nobody@example.com is no account of the domain');
    expect(bed.emulator.sentMail()).toEqual([]);
  });

  it('a suspended manager fails the same way', async () => {
    const error = failure(await notice({ employee: { managerEmail: 'charles.babbage@example.com' } }));
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toContain('is suspended');
    expect(bed.emulator.sentMail()).toEqual([]);
  });

  it('a malformed manager address is refused, naming the field', async () => {
    const error = failure(await notice({ employee: { managerEmail: 'grace at example' } }));
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toContain('employee.managerEmail');
    expect(bed.emulator.sentMail()).toEqual([]);
  });

  it('with no manager it goes to the operators', async () => {
    const res = expectOk(await notice({ employee: { managerEmail: undefined } }));
    expect(bed.emulator.sentMail()[0]).toMatchObject({ to: 'it-ops@example.com, service-desk@example.com' });
    expect(res.note).toContain('no manager: the operators');
  });

  it('with no manager and no operators it fails for an operator, naming employee.managerEmail, and sends nothing', async () => {
    operators = [];
    const error = failure(await notice({ employee: { managerEmail: undefined } }));
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toContain('employee.managerEmail');
    expect(bed.emulator.sentMail()).toEqual([]);
  });

  it('once the cut-off has passed (a run released late) it sends nothing, and says so', async () => {
    bed.clock.set(new Date(CUTOFF));
    const res = expectOk(await notice());
    expect(res.note).toContain('has passed: the leaver notice is not sent now');
    expect(res.result).toEqual({ sent: false, cutoffAt: CUTOFF });
    expect(bed.emulator.sentMail()).toEqual([]);
  });

  it.each([
    ['POST', '^/gmail/v1/users/me/messages/send$', 503, true, undefined],
    ['POST', '^/gmail/v1/users/me/messages/send$', 403, false, 'forbidden'],
    ['GET', '^/admin/directory/v1/users/grace', 503, true, undefined],
  ])('a %s %s answering %s is retryable: %s, and nothing is sent', async (method, path, status, retryable, reason) => {
    bed.emulator.faults.failNext({ method, path, count: 1, status, reason });
    const error = failure(await notice());
    expect(error).toMatchObject({ retryable });
    expect(bed.emulator.sentMail()).toEqual([]);
  });

  it('refuses parameters it does not take, naming them', async () => {
    const error = failure(await notice({}, { days: 3 }));
    expect(error.message).toContain('days');
    expect(bed.emulator.sentMail()).toEqual([]);
  });
});
