/**
 * google.sendJoinerSummary against the Google emulator through the real Gmail client: to the manager with the
 * operators in copy, once the run's due steps have settled, once only.
 */
import { sendJoinerSummary } from '../../../../lambdas/actions/google/send-joiner-summary';
import { runAction } from '../../../../lambdas/actions/run-action';
import type { ActionRequest } from '../../../../lambdas/engine/ports';
import { expectFailure as failure, expectOk, useGoogleTestBed, type GoogleTestBed } from '../../../support/google-emulator';

const DAY_BEFORE_0905 = Date.parse('2026-11-30T09:05:00Z');
let emulatorNow = DAY_BEFORE_0905;
const currentBed = useGoogleTestBed({ emulatorNow: () => emulatorNow });
let bed: GoogleTestBed;
const OPERATORS = ['it-ops@example.com', 'Service-Desk@example.com'];
let operators = OPERATORS;
beforeEach(() => {
  emulatorNow = DAY_BEFORE_0905;
  operators = OPERATORS;
  bed = currentBed();
  bed.clock.set(new Date(DAY_BEFORE_0905));
});


type RunSteps = NonNullable<ActionRequest['runSteps']>;
const settled: RunSteps = [
  { stepId: 'create-user', action: 'google.createUser', status: 'succeeded', dueAt: '2026-11-30T09:00:00.000Z', note: 'created Google account jmueller@example.com in /Support' },
  { stepId: 'role-license', action: 'google.assignLicense', status: 'succeeded', dueAt: '2026-11-30T09:00:00.000Z', note: 'assigned 1010020027 to jmueller@example.com' },
  { stepId: 'role-connect', action: 'connect.createAgent', status: 'needs_attention', dueAt: '2026-11-30T09:00:00.000Z', error: 'routing profile Tier 1 does not exist' },
  { stepId: 'welcome-email', action: 'google.sendWelcomeEmail', status: 'pending', dueAt: '2026-12-01T09:00:00.000Z' },
  { stepId: 'role-old-groups', action: 'google.removeFromGroups', status: 'skipped', dueAt: '2026-11-30T09:00:00.000Z' },
];
const role = { name: 'Support agent', text: 'Support agent\n└─ Staff: org unit /Support (Support agent)', manualTasks: ['Order a headset', 'Add to the on-call rota'] };
const jana = { id: 'E300', firstName: 'Jana', lastName: 'Müller', email: 'jmueller@example.com', managerEmail: 'grace.hopper@example.com', timezone: 'Europe/London' };

function summary(overrides: Partial<Omit<ActionRequest, 'employee'>> & { employee?: Partial<ActionRequest['employee']> } = {}, params: Record<string, unknown> = {}) {
  const { employee, ...rest } = overrides;
  const ctx = { ...bed.ctx, operatorEmails: () => operators };
  return runAction(
    sendJoinerSummary,
    ctx,
    bed.request('google.sendJoinerSummary', {
      eventType: 'hire',
      effectiveDate: '2026-12-01',
      runId: 'run-hire-7',
      stepId: 'joiner-summary',
      params,
      role,
      runSteps: settled,
      ...rest,
      employee: { ...jana, ...employee },
    }),
  );
}

describe('google.sendJoinerSummary', () => {
  it('mails the manager, operators in copy: what was made, what waits, what is left by hand, and the role tree', async () => {
    const res = expectOk(await summary());
    const mails = bed.emulator.sentMail();
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail).toMatchObject({ mailbox: bed.sample.users.admin.email, to: 'grace.hopper@example.com', cc: 'it-ops@example.com, service-desk@example.com' });
    expect(mail.headers['X-Lifecycle-Step']).toBe('run-hire-7/joiner-summary');
    expect(mail.subject).toBe('New joiner: Jana Müller starts Tuesday 1 December 2026 (1 step needs an operator)');
    const text = mail.text.replace(/\r\n/g, '\n');
    expect(text).toContain('Jana Müller starts on Tuesday 1 December 2026 as Support agent.');
    expect(text).toContain('Company address: jmueller@example.com');
    expect(text).toContain('Done:\n  - create-user (google.createUser): created Google account jmueller@example.com in /Support\n  - role-license (google.assignLicense): assigned 1010020027 to jmueller@example.com\n');
    expect(text).toContain('Still to come:\n  - welcome-email (google.sendWelcomeEmail): due Tuesday 1 December 2026, 09:00 Europe/London\n');
    expect(text).toContain('Waiting for an operator:\n  - role-connect (connect.createAgent): routing profile Tier 1 does not exist\n');
    expect(text).toContain('Skipped or cancelled:\n  - role-old-groups (google.removeFromGroups): skipped\n');
    expect(text).toContain('Left to do by hand:\n  - Order a headset\n  - Add to the on-call rota\n');
    expect(text).toContain(role.text);
    expect(text).toContain('one-time link');
    expect(res.result).toEqual({
      messageId: mail.id,
      sentAt: '2026-11-30T09:05:00.000Z',
      to: ['grace.hopper@example.com'],
      cc: ['it-ops@example.com', 'service-desk@example.com'],
      done: 2,
      stillToCome: ['welcome-email'],
      waitingForOperator: ['role-connect'],
      manualTasks: ['Order a headset', 'Add to the on-call rota'],
    });
  });

  it('waits while a step already due is on its way, and sends once it has settled', async () => {
    const inFlight: RunSteps = settled.map((s) => (s.stepId === 'role-license' ? { ...s, status: 'running', note: undefined } : s));
    const first = expectOk(await summary({ runSteps: inFlight }));
    expect(first).toMatchObject({ checkAgainAt: '2026-11-30T09:06:00.000Z', progress: { waitingSince: '2026-11-30T09:05:00.000Z' } });
    expect(first.note).toContain('role-license');
    expect(bed.emulator.sentMail()).toEqual([]);

    bed.clock.set(new Date('2026-11-30T09:06:00Z'));
    const second = expectOk(await summary({ runSteps: settled, progress: first.progress }));
    expect(second.checkAgainAt).toBeUndefined();
    expect(bed.emulator.sentMail()).toHaveLength(1);
  });

  it('after waitMinutes it reports a step still on its way as still to come', async () => {
    const inFlight: RunSteps = settled.map((s) => (s.stepId === 'role-license' ? { ...s, status: 'queued', note: undefined } : s));
    const first = expectOk(await summary({ runSteps: inFlight }, { waitMinutes: 10, pollSeconds: 600 }));
    expect(first.checkAgainAt).toBe('2026-11-30T09:15:00.000Z');
    bed.clock.set(new Date('2026-11-30T09:15:00Z'));
    const res = expectOk(await summary({ runSteps: inFlight, progress: first.progress }, { waitMinutes: 10, pollSeconds: 600 }));
    expect(res.result).toMatchObject({ stillToCome: ['role-license', 'welcome-email'] });
    expect(bed.emulator.sentMail()[0].text).toContain('role-license (google.assignLicense): due Monday 30 November 2026, 09:00 Europe/London');
  });

  it('run again, it finds its mail and sends no second one; an answer lost after the send is found too', async () => {
    bed.emulator.faults.failNext({ method: 'GET', path: '^/gmail/v1/users/me/messages/[0-9a-f]+$', count: 1, status: 503 });
    expect(failure(await summary())).toMatchObject({ retryable: true });
    const again = expectOk(await summary());
    expect(again.result).toMatchObject({ alreadySent: true, to: ['grace.hopper@example.com'] });
    expect(bed.emulator.sentMail()).toHaveLength(1);
  });

  it('with no manager it goes to the operators', async () => {
    expectOk(await summary({ employee: { managerEmail: undefined } }));
    expect(bed.emulator.sentMail()[0]).toMatchObject({ to: 'it-ops@example.com', cc: 'service-desk@example.com' });
  });

  it('with no manager and no operators it fails for an operator, naming employee.managerEmail, and sends nothing', async () => {
    operators = [];
    const error = failure(await summary({ employee: { managerEmail: undefined } }));
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toContain('employee.managerEmail');
    expect(bed.emulator.sentMail()).toEqual([]);
  });

  it('a malformed manager address is refused, naming the field', async () => {
    const error = failure(await summary({ employee: { managerEmail: 'grace at example' } }));
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toContain('employee.managerEmail');
    expect(bed.emulator.sentMail()).toEqual([]);
  });

  it('a hire with no role says so, and the manager is not copied twice', async () => {
    operators = ['grace.hopper@example.com', 'it-ops@example.com'];
    expectOk(await summary({ role: undefined }));
    const [mail] = bed.emulator.sentMail();
    expect(mail).toMatchObject({ to: 'grace.hopper@example.com', cc: 'it-ops@example.com' });
    expect(mail.text).toContain('nothing listed: the hire named no role');
    expect(mail.text).not.toContain('which role grants what');
  });

  it.each([
    [503, true, undefined],
    [403, false, 'forbidden'],
  ])('a %s from Gmail on send is retryable: %s, and nothing is sent', async (status, retryable, reason) => {
    bed.emulator.faults.failNext({ method: 'POST', path: '^/gmail/v1/users/me/messages/send$', count: 1, status, reason });
    const error = failure(await summary());
    expect(error).toMatchObject({ retryable });
    expect(bed.emulator.sentMail()).toEqual([]);
  });

  it('refuses unknown or out-of-range parameters, naming them', async () => {
    const error = failure(await summary({}, { waitMinutes: -1 }));
    expect(error.message).toContain('waitMinutes');
    expect(bed.emulator.sentMail()).toEqual([]);
  });
});
