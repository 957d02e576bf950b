/** The Jira write-back against the emulator: the comment, then the ticket's move for the notice; best effort throughout. */
import type { Run, Step } from '../../../lambdas/engine/model';
import { JiraClient } from '../../../lambdas/providers/jira/jira-client';
import { adfText } from '../../../lambdas/providers/jira/jira-webhook';
import { jiraWriteBack, transitionFor } from '../../../lambdas/jira/jira-write-back';
import { JIRA_WORKFLOW, JiraEmulator, type EmulatedIssue } from '../../../local/emulators/jira/jira-emulator';
import { openHireTicket, SAMPLE_JIRA, seedJiraSample } from '../../../local/emulators/jira/jira-sample';
import { startEmulatorServer, type EmulatorServer } from '../../../local/emulators/server';

let jira: JiraEmulator;
let server: EmulatorServer;
const logged: { level: string; message: string; extra?: Record<string, unknown> }[] = [];
const log = {
  info: (message: string, extra?: Record<string, unknown>) => void logged.push({ level: 'info', message, extra }),
  warn: (message: string, extra?: Record<string, unknown>) => void logged.push({ level: 'warn', message, extra }),
  error: (message: string, extra?: Record<string, unknown>) => void logged.push({ level: 'error', message, extra }),
};
const client = async () => new JiraClient({ baseUrl: server.url, email: SAMPLE_JIRA.account.email, apiToken: SAMPLE_JIRA.account.apiToken });
const transitions = { completed: 'Done', cancelled: 'Cancelled', needsAttention: 'Waiting for HR' };

beforeAll(async () => {
  jira = seedJiraSample(new JiraEmulator());
  server = await startEmulatorServer(jira.routes(), 0);
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  jira.faults.clear();
  logged.length = 0;
});

const step = (stepId: string, status: Step['status'], more: Partial<Step> = {}): Step => ({ stepId, action: `zendesk.${stepId}`, params: {}, status, dueAt: '2027-01-03T08:00:00.000Z', after: [], attempts: 1, ...more });
const runOf = (issue: EmulatedIssue, status: Run['status'], steps: Step[], more: Partial<Run> = {}): Run =>
  ({ runId: `run-${issue.key}`, employeeId: 'E7', eventId: `jira-${issue.key}`, type: 'hire', status, effectiveDate: '2027-01-04', urgent: false, steps, version: 3, createdAt: '', updatedAt: '', employee: { id: 'E7', firstName: 'Alan', lastName: 'Turing', timezone: 'Europe/Berlin' }, ...more }) as Run;
const ready = () => {
  const issue = openHireTicket(jira, { id: 'E7', firstName: 'Alan', startDate: '2027-01-04' });
  jira.transition(issue.key, JIRA_WORKFLOW.find((t) => t.status.name === 'Ready for IT')!.transitionId);
  return issue;
};
const statusOf = (issue: EmulatedIssue) => (jira.issue(issue.key)!.fields.status as { name: string }).name;
const commentText = (issue: EmulatedIssue) => jira.issue(issue.key)!.comments.map((c) => adfText(c.body));

describe('transitionFor', () => {
  const run = (status: Run['status'], steps: Step[] = []) => ({ status, steps });
  const refused = step('a', 'needs_attention', { lastError: { message: 'Zendesk answered 422', retryable: false, providerAnswer: '422 RecordInvalid: Email: is invalid' } });
  it('completed → completed; cancelled and rejected → cancelled; a step waiting for a change on the ticket → needsAttention; unset → none', () => {
    expect(transitionFor(run('completed'), transitions)).toBe('Done');
    expect(transitionFor(run('cancelled'), transitions)).toBe('Cancelled');
    expect(transitionFor(run('rejected'), transitions)).toBe('Cancelled');
    expect(transitionFor(run('needs_attention', [refused]), transitions)).toBe('Waiting for HR');
    expect(transitionFor(run('needs_attention', [refused]), { completed: 'Done' })).toBeUndefined();
    expect(transitionFor(run('completed'), undefined)).toBeUndefined();
  });

  it('a step IT settles (a retryable error, an account hold) or none waiting any more: no move', () => {
    expect(transitionFor(run('needs_attention', [step('a', 'needs_attention', { lastError: { message: '503', retryable: true } })]), transitions)).toBeUndefined();
    expect(transitionFor(run('needs_attention', [step('a', 'needs_attention', { hold: 'unbound', lastError: { message: 'held', retryable: false, hold: 'unbound' } })]), transitions)).toBeUndefined();
    expect(transitionFor(run('in_progress', [step('a', 'queued')]), transitions)).toBeUndefined();
  });
});

describe('jiraWriteBack.runChanged', () => {
  it('a Zendesk failure: the comment shows it in plain words with what to do, and the ticket goes to Waiting for HR', async () => {
    const issue = ready();
    const failed = step('provisionUser', 'needs_attention', {
      lastError: { message: 'Zendesk answered 422 to create user: Email: alan@home.example is already being used by another user', retryable: false, providerAnswer: '422 RecordInvalid: Record validation errors {"email":[{"description":"Email: alan@home.example is already being used by another user"}]}' },
    });
    await jiraWriteBack(client, log, { transitions }).runChanged(runOf(issue, 'needs_attention', [failed]), { needsAttention: ['provisionUser'] });
    const [text] = commentText(issue);
    expect(text).toContain('Status: waiting for a change on this ticket: see below');
    expect(text).toContain('provisionUser: Zendesk answered 422 to create user: Email: alan@home.example is already being used by another user. What to do: The service refused the employee data as the ticket gives it: correct it on this ticket');
    expect(statusOf(issue)).toBe('Waiting for HR');
  });

  it('the run ended: the outcome in the one comment, then the move; told again, the ticket is already there and not moved', async () => {
    const issue = ready();
    const writeBack = jiraWriteBack(client, log, { transitions });
    const run = runOf(issue, 'completed', [step('provisionUser', 'succeeded', { note: 'Zendesk agent alan@example.com made' }), step('addGroups', 'skipped')]);
    await writeBack.runChanged(run, { settled: 'completed', needsAttention: [] });
    await writeBack.runChanged(run, { settled: 'completed', needsAttention: [] });
    const texts = commentText(issue);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain('Made: Zendesk agent alan@example.com made');
    expect(texts[0]).toContain('Left to do by hand: addGroups (done by hand (skipped))');
    expect(statusOf(issue)).toBe('Done');
    expect(jira.issue(issue.key)!.changelog.filter((c) => c.items.some((i) => i.field === 'status')).map((c) => c.items[0].toString)).toEqual(['Ready for IT', 'Done']);
    expect(logged.filter((l) => l.message === 'jira ticket moved').map((l) => l.extra?.moved)).toEqual([true, false]);
  });

  it('a move the workflow does not offer from where the ticket is: logged by ids and code, noted on the comment, nothing thrown', async () => {
    const issue = openHireTicket(jira, { id: 'E7', firstName: 'Alan', startDate: '2027-01-04' });
    await jiraWriteBack(client, log, { transitions }).runChanged(runOf(issue, 'completed', [step('provisionUser', 'succeeded')]), { settled: 'completed', needsAttention: [] });
    expect(statusOf(issue)).toBe('Open');
    const [text] = commentText(issue);
    expect(text).toContain('Notes');
    expect(text).toContain('The ticket was not moved to Done: ');
    expect(text).toContain('its workflow offers Ready for IT, Cancelled. Move it by hand.');
    expect(logged.find((l) => l.message === 'jira ticket not moved')).toEqual({ level: 'warn', message: 'jira ticket not moved', extra: { runId: `run-${issue.key}`, issueKey: issue.key, errorName: 'ProviderError' } });
  });

  it('a Jira that is down: logged, nothing thrown; the step that told it is not failed', async () => {
    const issue = ready();
    jira.faults.failNext({ path: '.', count: 20, status: 503, message: 'Service Unavailable' });
    await expect(jiraWriteBack(client, log, { transitions }).runChanged(runOf(issue, 'cancelled', [step('a', 'cancelled')]), { settled: 'cancelled', needsAttention: [] })).resolves.toBeUndefined();
    expect(logged.map((l) => l.message)).toEqual(['jira comment not written', 'jira ticket not moved', 'jira comment not written']);
    expect(JSON.stringify(logged)).not.toContain('Service Unavailable');
    expect(statusOf(issue)).toBe('Ready for IT');
  });

  it('a run not from Jira is not reported; no transitions set: the comment only', async () => {
    const issue = ready();
    await jiraWriteBack(client, log, { transitions }).runChanged({ ...runOf(issue, 'completed', []), eventId: 'hr-1' }, { settled: 'completed', needsAttention: [] });
    expect(commentText(issue)).toEqual([]);
    await jiraWriteBack(client, log).runChanged(runOf(issue, 'completed', []), { settled: 'completed', needsAttention: [] });
    expect(commentText(issue)).toHaveLength(1);
    expect(statusOf(issue)).toBe('Ready for IT');
  });

  it('reports the run as stored when that is newer than the copy handed over; two reports at once make one comment', async () => {
    const issue = ready();
    const handed = runOf(issue, 'in_progress', [step('a', 'running')]);
    const stored = { ...runOf(issue, 'needs_attention', [step('a', 'needs_attention', { lastError: { message: 'boom', retryable: false } })]), version: 5 };
    const writeBack = jiraWriteBack(client, log, { latest: async () => stored });
    await Promise.all([writeBack.report(handed), writeBack.runChanged(stored, { needsAttention: ['a'] })]);
    const texts = commentText(issue);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain('a: boom.');
  });

  it('a service desk: the comment is written internal', async () => {
    jira.setProjectType('HR', 'service_desk');
    try {
      const issue = ready();
      await jiraWriteBack(client, log, { internal: true }).report(runOf(issue, 'scheduled', [step('a', 'pending')]));
      expect(jira.issue(issue.key)!.comments[0].properties).toEqual([{ key: 'sd.public.comment', value: { internal: true } }]);
    } finally {
      jira.setProjectType('HR', 'software');
    }
  });

  it('internal comments asked for on a project that is not a service desk: nothing written (it would be public), said once', async () => {
    const issue = ready();
    const calls: string[] = [];
    const counting = async () => {
      const c = await client();
      const isServiceDesk = c.isServiceDesk.bind(c);
      c.isServiceDesk = async (key) => {
        calls.push(key);
        return isServiceDesk(key);
      };
      return c;
    };
    const writeBack = jiraWriteBack(counting, log, { internal: true });
    expect(await writeBack.report(runOf(issue, 'scheduled', [step('a', 'pending')]))).toBe(false);
    expect(await writeBack.report(runOf(issue, 'scheduled', [step('a', 'pending')]))).toBe(false);
    expect(jira.issue(issue.key)!.comments).toEqual([]);
    expect(calls).toEqual(['HR']);
    expect(logged.filter((l) => l.level === 'error')).toEqual([
      { level: 'error', message: 'jira project is not a service desk: no comment is written (jira.serviceDesk asks for internal ones)', extra: { runId: `run-${issue.key}`, issueKey: issue.key, projectKey: 'HR' } },
    ]);
  });

  it('a license shortage (412, not retryable) is IT\'s: the comment says so, and the ticket stays where it is', async () => {
    const issue = ready();
    const shortage = step('assignLicense', 'needs_attention', {
      action: 'google.assignLicense',
      lastError: { message: 'assigning the license: Google answered 412 conditionNotMet: No more licenses available', retryable: false, providerAnswer: '412 conditionNotMet: No more licenses available' },
    });
    await jiraWriteBack(client, log, { transitions, startStatus: 'Ready for IT' }).runChanged(runOf(issue, 'needs_attention', [shortage]), { needsAttention: ['assignLicense'] });
    const [text] = commentText(issue);
    expect(text).toContain('Status: waiting for IT: a step needs an operator; nothing to change on the ticket');
    expect(text).toContain('What to do: IT fixes this in the service');
    expect(statusOf(issue)).toBe('Ready for IT');
  });

  it('once nothing waits for the requester any more (IT skipped or retried the step), the ticket goes back to the start status', async () => {
    const issue = ready();
    const writeBack = jiraWriteBack(client, log, { transitions, startStatus: 'Ready for IT' });
    const refused = step('createUser', 'needs_attention', { lastError: { message: 'Google refused the name', retryable: false, providerAnswer: '400 invalid: Invalid Given/Family Name: GivenName' } });
    await writeBack.runChanged(runOf(issue, 'needs_attention', [refused, step('addGroups', 'pending')]), { needsAttention: ['createUser'] });
    expect(statusOf(issue)).toBe('Waiting for HR');
    await writeBack.runChanged(runOf(issue, 'in_progress', [step('createUser', 'skipped'), step('addGroups', 'succeeded')], { version: 5 }), { needsAttention: [], cleared: ['createUser'] });
    expect(statusOf(issue)).toBe('Ready for IT');
    const texts = commentText(issue);
    expect(texts).toHaveLength(1);
    expect(texts[0]).not.toContain('needs an operator');
    expect(texts[0]).toContain('Status: in progress');
    expect(texts[0]).toContain('addGroups (zendesk.addGroups): done');
  });

  it('a ticket a person moved elsewhere is not moved back to the start status', async () => {
    const issue = openHireTicket(jira, { id: 'E7', firstName: 'Alan', startDate: '2027-01-04' });
    await jiraWriteBack(client, log, { transitions, startStatus: 'Ready for IT' }).runChanged(runOf(issue, 'in_progress', [step('createUser', 'skipped')]), { needsAttention: [], cleared: ['createUser'] });
    expect(statusOf(issue)).toBe('Open');
    expect(logged.filter((l) => l.message === 'jira ticket moved').map((l) => l.extra?.moved)).toEqual([false]);
  });

  it('a retryable failure: the comment says IT retries, and the ticket is not moved', async () => {
    const issue = ready();
    const failed = step('provisionUser', 'needs_attention', { lastError: { message: 'Zendesk answered 503', retryable: true } });
    await jiraWriteBack(client, log, { transitions }).runChanged(runOf(issue, 'needs_attention', [failed]), { needsAttention: ['provisionUser'] });
    expect(commentText(issue)[0]).toContain('IT retries the step');
    expect(statusOf(issue)).toBe('Ready for IT');
  });

  it('a report of an older change landing after the run ended: the comment and the ticket both show the end', async () => {
    const issue = ready();
    const failed = step('provisionUser', 'needs_attention', { lastError: { message: 'Zendesk answered 422', retryable: false } });
    const older = runOf(issue, 'needs_attention', [failed], { version: 4 });
    const ended = runOf(issue, 'completed', [step('provisionUser', 'skipped')], { version: 6 });
    // The API completed the run (skip) and reported it; the dispatcher's report of the failure comes after.
    await jiraWriteBack(client, log, { transitions, latest: async () => ended }).runChanged(ended, { settled: 'completed', needsAttention: [] });
    await jiraWriteBack(client, log, { transitions, latest: async () => ended }).runChanged(older, { needsAttention: ['provisionUser'] });
    expect(statusOf(issue)).toBe('Done');
    expect(commentText(issue)[0]).toContain('Status: done');
    // Read before the run ended, and the end's move landed meanwhile: the ticket is not moved away from Done.
    await jiraWriteBack(client, log, { transitions, latest: async () => older }).runChanged(older, { needsAttention: ['provisionUser'] });
    expect(statusOf(issue)).toBe('Done');
  });

  it('the run ends in another function while the comment is written: the comment is brought up to date and the move follows the end', async () => {
    const issue = ready();
    const failed = step('provisionUser', 'needs_attention', { lastError: { message: 'Zendesk answered 422', retryable: false } });
    const older = runOf(issue, 'needs_attention', [failed], { version: 4 });
    const ended = runOf(issue, 'cancelled', [step('provisionUser', 'cancelled')], { version: 5 });
    const reads = [older, ended];
    await jiraWriteBack(client, log, { transitions, latest: async () => reads.shift() ?? ended }).runChanged(older, { needsAttention: ['provisionUser'] });
    expect(statusOf(issue)).toBe('Cancelled');
    expect(commentText(issue)).toHaveLength(1);
    expect(commentText(issue)[0]).toContain('Status: cancelled');
  });

  it('a report stuck on a Jira that hangs is abandoned at the deadline; the next report of the ticket does not wait for it', async () => {
    const issue = ready();
    const hung: () => Promise<JiraClient> = () => new Promise(() => {});
    const clients = [hung, client];
    const writeBack = jiraWriteBack(() => clients.shift()!(), log, { deadlineMs: 200 });
    const started = Date.now();
    const [first, second] = await Promise.all([writeBack.report(runOf(issue, 'scheduled', [step('a', 'pending')])), writeBack.report(runOf(issue, 'scheduled', [step('a', 'pending')]))]);
    expect(Date.now() - started).toBeLessThan(1500);
    expect([first, second]).toEqual([false, true]);
    expect(logged.find((l) => l.message === 'jira report abandoned')).toEqual({ level: 'warn', message: 'jira report abandoned', extra: { runId: `run-${issue.key}`, issueKey: issue.key, deadlineMs: 200 } });
    expect(commentText(issue)).toHaveLength(1);
  });
});
