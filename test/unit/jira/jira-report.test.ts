/** The comment a run writes on its Jira ticket: status, what needs a change, the plan, the role tree, the outcome. */
import type { Run, Step } from '../../../lambdas/engine/model';
import { jiraReport, plainAdvice, reportMarker, whoMustAct } from '../../../lambdas/jira/jira-report';
import { adfText } from '../../../lambdas/providers/jira/jira-webhook';

const step = (stepId: string, status: Step['status'], more: Partial<Step> = {}): Step => ({ stepId, action: `google.${stepId}`, params: {}, status, dueAt: '2027-01-03T08:00:00.000Z', after: [], attempts: 1, ...more });

const run = (status: Run['status'], steps: Step[], more: Partial<Run> = {}): Run =>
  ({
    runId: 'run-1',
    employeeId: 'E7',
    eventId: 'jira-HR-7',
    type: 'hire',
    status,
    effectiveDate: '2027-01-04',
    urgent: false,
    steps,
    version: 1,
    createdAt: '',
    updatedAt: '',
    employee: { id: 'E7', firstName: 'Alan', lastName: 'Turing', timezone: 'Europe/Berlin' },
    ...more,
  }) as Run;

describe('jiraReport', () => {
  it('starts with the line that finds it again, and shows the plan with due times and the role tree', () => {
    const doc = jiraReport(run('scheduled', [step('createUser', 'pending')], { role: { name: 'support-agent', text: 'support-agent\n  inherits junior-support-agent', planned: 1 }, revision: { number: 2, bodyHash: 'x', revisedAt: '' } }));
    expect(doc).toMatchObject({ type: 'doc', version: 1 });
    const text = adfText(doc);
    expect(text.split('\n')[0]).toBe(`${reportMarker('run-1')} · event jira-HR-7 · revision 2`);
    expect(text).toContain('Hire of Alan Turing (E7), first day 2027-01-04');
    expect(text).toContain('Status: planned, nothing due yet');
    expect(text).toContain('createUser (google.createUser): planned, due 2027-01-03 08:00 UTC');
    expect(text).toContain('Role support-agent\nsupport-agent\n  inherits junior-support-agent');
    expect(text).not.toContain('Outcome');
  });

  it('a step waiting for an operator is shown first, in the provider words, with what to do', () => {
    const failed = step('createUser', 'needs_attention', { lastError: { message: 'Google refused: Invalid Given/Family Name', retryable: false, providerAnswer: '400 invalid: Invalid Given/Family Name: GivenName' } });
    const text = adfText(jiraReport(run('needs_attention', [failed])));
    expect(text.indexOf('Needs a change or an operator')).toBeLessThan(text.indexOf('Plan'));
    expect(text).toContain('Status: waiting for a change on this ticket: see below');
    expect(text).toContain('createUser: Google refused: Invalid Given/Family Name. What to do: The service refused the employee data as the ticket gives it: correct it on this ticket');
  });

  it('a license shortage is IT\'s: the advice and the status line say so, and nothing on the ticket is asked for', () => {
    const shortage = step('assignLicense', 'needs_attention', {
      lastError: { message: 'assigning the license: Google answered 412 conditionNotMet: No more licenses available', retryable: false, providerAnswer: '412 conditionNotMet: No more licenses available for product Google-Apps, sku 1010020027' },
    });
    expect(whoMustAct(shortage)).toBe('it');
    const text = adfText(jiraReport(run('needs_attention', [shortage])));
    expect(text).toContain('Status: waiting for IT: a step needs an operator; nothing to change on the ticket');
    expect(text).toContain('What to do: IT fixes this in the service (a license, a permission, a setting it names) and retries or skips the step; nothing to change on the ticket.');
    expect(text).not.toMatch(/correct it on this ticket|employee data/);
  });

  it.each([
    ['a 400 naming the name', { providerAnswer: '400 invalid: Invalid Given/Family Name: FamilyName' }, 'requester'],
    ['a 422 naming the email', { providerAnswer: '422 RecordInvalid: Email: is invalid' }, 'requester'],
    ['a 409 of an address', { providerAnswer: '409 duplicate: Entity already exists: primaryEmail' }, 'requester'],
    ['a 422 citing the account blocklist', { providerAnswer: '422 RecordInvalid: Email is on the blocklist of this account' }, 'it'],
    ['a 403 permission', { providerAnswer: '403 forbidden: Not Authorized to access this resource/api' }, 'it'],
    ['a 404 of a configured group', { providerAnswer: '404 notFound: Resource Not Found: groupKey' }, 'it'],
    ['a 400 naming no employee field', { providerAnswer: '400 invalid: Invalid Input: orgUnitPath' }, 'it'],
    ['a quota 403 that passes later', { providerAnswer: '403 quotaExceeded: Quota exceeded', retryable: true }, 'it'],
    ['no provider answer', {}, 'it'],
  ])('who must act for %s', (_what, more, who) => {
    expect(whoMustAct(step('a', 'needs_attention', { lastError: { message: 'refused', retryable: false, ...more } }))).toBe(who);
  });

  it('a role the catalog does not have is the requester\'s; a broken role page is IT\'s', () => {
    const unknown = adfText(jiraReport(run('needs_attention', [], { role: { name: 'wizard', errors: [{ role: 'wizard', property: 'Name', message: 'no role of that name in the catalog' }], planned: 0 } as unknown as Run['role'] })));
    expect(unknown).toContain('What to do: name a role of the catalog on this ticket and save');
    expect(unknown).toContain('Status: waiting for a change on this ticket');
    const broken = adfText(jiraReport(run('needs_attention', [], { role: { name: 'agent', errors: [{ role: 'agent', property: 'Groups', message: 'unknown group "x"' }], planned: 0 } as unknown as Run['role'] })));
    expect(broken).toContain('What to do: IT fixes the role in the catalog');
  });

  it('says what to do by the kind of failure', () => {
    expect(plainAdvice(step('a', 'needs_attention', { lastError: { message: 'Google answered 503', retryable: true } })).change).toMatch(/nothing to change on the ticket; IT retries/);
    expect(plainAdvice(step('a', 'needs_attention', { lastError: { message: 'held', retryable: false }, hold: 'unbound' as Step['hold'] })).change).toMatch(/IT confirms which account/);
  });

  it('once the run has ended, what was made and what is left by hand, with the role manual tasks', () => {
    const resolved = { lists: { manualTasks: [{ value: 'Order a laptop', grantedBy: 'employee' }] } } as unknown as NonNullable<Run['role']>['resolved'];
    const text = adfText(
      jiraReport(run('completed', [step('createUser', 'succeeded', { note: 'created alan.turing@example.com' }), step('shareCalendars', 'skipped')], { role: { name: 'support-agent', resolved, text: 'support-agent', planned: 1 } })),
    );
    expect(text).toContain('Status: done');
    expect(text).toContain('Made: created alan.turing@example.com');
    expect(text).toContain('Left to do by hand: shareCalendars (done by hand (skipped)); Order a laptop (role employee)');
  });
});
