/** The member task's specification and what a run's change does to its task: pure. */
import type { Run, Step } from '../../../lambdas/engine/model';
import { accountProblems, accountsOfRun, employeeOf, parseSpecification, runIdOf, taskDescription, taskReport } from '../../../lambdas/openproject/member-task-spec';
import { memberTaskOf, openProjectWebhookSignature, verifyOpenProjectSignature } from '../../../lambdas/providers/openproject/openproject-webhook';

const step = (stepId: string, action: string, status: Step['status'] = 'pending', more: Partial<Step> = {}): Step => ({ stepId, action, status, attempts: 0, dueAt: '2099-01-19T08:00:00.000Z', params: {}, ...more }) as Step;

function run(more: Partial<Run> = {}): Run {
  return {
    runId: 'run-1',
    employeeId: 'E-1',
    eventId: 'console-1',
    type: 'hire',
    status: 'awaiting_approval',
    effectiveDate: '2099-01-20',
    urgent: false,
    steps: [step('create-account', 'google.createUser'), step('provision-openproject-user', 'openproject.provisionUser'), step('joiner-summary', 'google.sendJoinerSummary')],
    version: 1,
    createdAt: '2099-01-10T10:00:00.000Z',
    updatedAt: '2099-01-10T10:00:00.000Z',
    employee: { id: 'E-1', firstName: 'Ada', lastName: 'Byron', personalEmail: 'ada@home.example', role: 'community-member', timezone: 'Europe/Berlin' },
    role: { name: 'community-member', planned: 1 },
    ...more,
  } as Run;
}

describe('the member task specification', () => {
  it('writes the run’s specification, read back the same', () => {
    const text = taskDescription(run());
    expect(runIdOf(text)).toBe('run-1');
    expect(text).toContain('- First name: Ada\n- Last name: Byron\n- Email: ada@home.example\n- Username: abyron\n- Role: community-member\n- First day: 2099-01-20\n- Accounts: google, openproject');
    expect(parseSpecification(text)).toEqual({ ok: true, spec: { firstName: 'Ada', lastName: 'Byron', email: 'ada@home.example', username: 'abyron', role: 'community-member', firstDay: '2099-01-20', accounts: ['google', 'openproject'] } });
  });

  it('names each field it cannot read', () => {
    const text = taskDescription(run()).replace('Ada\n', '\n').replace('ada@home.example', 'ada at home').replace('2099-01-20', 'soon').replace('google, openproject', 'google, slack').replace('abyron', 'A Byron');
    const parsed = parseSpecification(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problems.map((p) => p.field)).toEqual(['First name', 'Email', 'Username', 'First day', 'Accounts']);
    expect(parseSpecification('- First name: Ada\n- First day: 2099-01-20')).toMatchObject({ ok: false, problems: [{ field: 'description' }] });
  });

  it('the accounts are the role’s: one it does not give, or one left out, is named', () => {
    const r = run();
    expect(accountsOfRun(r)).toEqual(['google', 'openproject']);
    const spec = (accounts: string) => (parseSpecification(taskDescription(r).replace('google, openproject', accounts)) as { ok: true; spec: Parameters<typeof accountProblems>[0] }).spec;
    expect(accountProblems(spec('google, openproject'), r)).toEqual([]);
    expect(accountProblems(spec('google, openproject, nextcloud'), r)).toEqual([{ field: 'Accounts', message: expect.stringMatching(/role community-member does not give nextcloud/) }]);
    expect(accountProblems(spec('google'), r)).toEqual([{ field: 'Accounts', message: expect.stringMatching(/gives openproject too/) }]);
  });

  it('a chosen username becomes the company address at the run’s domain, else the stage’s; none to use is named', () => {
    const parsed = parseSpecification(taskDescription(run()).replace('- Username: abyron', '- Username: ada.byron').replace('- Role: community-member', '- Role: engineer'));
    if (!parsed.ok) throw new Error('unreadable');
    expect(employeeOf(run(), parsed.spec, 'example.org')).toEqual({ ok: true, employee: expect.objectContaining({ email: 'ada.byron@example.org', personalEmail: 'ada@home.example', role: 'engineer' }) });
    expect(employeeOf(run(), parsed.spec, undefined)).toEqual({ ok: false, problems: [{ field: 'Username', message: expect.stringMatching(/emailDomain is not set/) }] });
    const withCompany = run({ employee: { ...run().employee, email: 'abyron@example.com' } });
    expect(employeeOf(withCompany, parsed.spec, undefined)).toMatchObject({ ok: true, employee: { email: 'ada.byron@example.com' } });
  });
});

describe('what a run’s change does to its task', () => {
  const failed = run({ status: 'needs_attention', steps: [step('provision-openproject-user', 'openproject.provisionUser', 'needs_attention', { lastError: { message: 'OpenProject create user abyron: 403 MissingPermission', retryable: false } } as Partial<Step>)] });

  it('a step needing an operator: a comment naming it, and back to In specification', () => {
    expect(taskReport(failed, { needsAttention: ['provision-openproject-user'] }, 'inProgress')).toEqual({ comment: expect.stringMatching(/- provision-openproject-user \(openproject\.provisionUser\): OpenProject create user abyron: 403 MissingPermission/), moveTo: 'inSpecification' });
  });

  it('never writes on a task In specification', () => {
    expect(taskReport(failed, { needsAttention: ['provision-openproject-user'] }, 'inSpecification')).toEqual({});
    expect(taskReport(run({ status: 'completed' }), { settled: 'completed', needsAttention: [] }, 'inSpecification')).toEqual({});
  });

  it('the end: accounts ready with what was made; a cancel says so; nothing else is reported', () => {
    const done = run({ status: 'completed', steps: [step('provision-openproject-user', 'openproject.provisionUser', 'succeeded', { note: 'created OpenProject user abyron (7)' })] });
    expect(taskReport(done, { settled: 'completed', needsAttention: [] }, 'inProgress').comment).toBe('Accounts ready for Ada Byron:\n\n- created OpenProject user abyron (7)');
    expect(taskReport(run({ status: 'cancelled' }), { settled: 'cancelled', needsAttention: [] }, 'other').comment).toMatch(/was cancelled/);
    expect(taskReport(run(), { needsAttention: [], cleared: ['x'] }, 'inProgress')).toEqual({});
  });

  it('an approval given in the console moves the task to in progress (a comment unless in specification); the task’s own approval is its own to report', () => {
    const approved = run({ status: 'scheduled' });
    expect(taskReport(approved, { needsAttention: [], approvedBy: 'linus@example.com' }, 'scheduled')).toEqual({ comment: expect.stringMatching(/^Approved by linus@example\.com in the console: making /), moveTo: 'inProgress' });
    expect(taskReport(approved, { needsAttention: [], approvedBy: 'linus@example.com' }, 'inSpecification')).toEqual({ moveTo: 'inProgress' });
    expect(taskReport(approved, { needsAttention: [], approvedBy: 'openproject:grace.hopper' }, 'scheduled')).toEqual({});
    expect(taskReport(approved, { needsAttention: [], approvedBy: 'linus@example.com' }, 'inProgress')).toEqual({});
  });
});

describe('the OpenProject webhook', () => {
  const body = JSON.stringify({ action: 'work_package:updated', work_package: { id: 5, _links: { project: { href: '/api/v3/projects/3' }, type: { href: '/api/v3/types/8', title: 'Member task' }, status: { href: '/api/v3/statuses/14' } }, _embedded: { project: { id: 3, identifier: 'community' } } } });

  it('is verified by its X-OP-Signature: sha1=HMAC-SHA1 of the body; another secret, a changed body or no header is refused', () => {
    const signature = openProjectWebhookSignature('s', body);
    expect(signature).toMatch(/^sha1=[0-9a-f]{40}$/);
    expect(verifyOpenProjectSignature('s', { 'x-op-signature': signature }, body)).toEqual({ ok: true });
    expect(verifyOpenProjectSignature('t', { 'X-OP-Signature': signature }, body)).toMatchObject({ ok: false, error: expect.stringMatching(/does not match/) });
    expect(verifyOpenProjectSignature('s', { 'X-OP-Signature': signature }, `${body} `)).toMatchObject({ ok: false });
    expect(verifyOpenProjectSignature('s', {}, body)).toMatchObject({ ok: false, error: expect.stringMatching(/missing X-OP-Signature/) });
    expect(verifyOpenProjectSignature('s', { 'X-OP-Signature': 'sha256=abc' }, body)).toMatchObject({ ok: false, error: expect.stringMatching(/must be sha1=/) });
  });

  it('reads a member task of the project and type; anything else is ignored with why', () => {
    const payload = JSON.parse(body);
    expect(memberTaskOf(payload, 'community', 8)).toMatchObject({ ok: true, workPackage: { id: 5 } });
    expect(memberTaskOf(payload, '3', 8)).toMatchObject({ ok: true });
    expect(memberTaskOf(payload, 'other', 8)).toEqual({ ok: false, reason: 'project community is not other' });
    expect(memberTaskOf(payload, 'community', 1)).toMatchObject({ ok: false, reason: expect.stringMatching(/type Member task is not the member task type 1/) });
    expect(memberTaskOf({ ...payload, action: 'time_entry:created' }, 'community', 8)).toMatchObject({ ok: false, reason: expect.stringMatching(/is not read/) });
    expect(memberTaskOf({ action: 'work_package:updated' }, 'community', 8)).toEqual({ ok: false, reason: 'the delivery carries no work package' });
  });
});
