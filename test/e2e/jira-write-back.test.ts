/** The run's report on its Jira ticket, read back from the Jira emulator: the plan and role tree, a revision, a failure. */
import type { Runtime } from '../../local/runtime';
import { JIRA_WORKFLOW } from '../../local/emulators/jira/jira-emulator';
import { adfDoc, openHireTicket, SAMPLE_JIRA, type SampleHire } from '../../local/emulators/jira/jira-sample';
import { jiraWebhookBody, sendJiraWebhook as deliver } from '../../local/emulators/jira/jira-webhook-sender';

/** A signed delivery to the intake, its answer read loosely as the tests read answers. */
const sendJiraWebhook = async (...args: Parameters<typeof deliver>) => (await deliver(...args)) as { status: number; body: Record<string, any> };
import { adfText } from '../../lambdas/providers/jira/jira-webhook';
import { reportMarker } from '../../lambdas/jira/jira-report';
import { daysFromToday } from '../support/builders';
import { eventually, start } from '../support/harness';

const SECRET = 'e2e-jira-webhook-secret';
const READY = JIRA_WORKFLOW.find((t) => t.status.name === 'Ready for IT')!.transitionId;

let rt: Runtime;
let url: string;
beforeAll(async () => {
  rt = await start({ jiraWebhookSecret: SECRET, playbooks: undefined });
  url = `${rt.apiUrl}/v1/intake/jira`;
});
afterAll(async () => {
  await rt.stop();
});

const hire = (id: string, more: Partial<SampleHire> = {}): SampleHire => ({
  id,
  firstName: 'Alan',
  lastName: id.replace(/\W/g, ''),
  personalEmail: 'alan@home.example',
  managerEmail: 'grace.hopper@example.com',
  startDate: daysFromToday(30),
  role: 'support-agent',
  ...more,
});

async function moveToReady(h: SampleHire) {
  const issue = openHireTicket(rt.emulators.jira, h);
  const res = await sendJiraWebhook(url, SECRET, jiraWebhookBody(issue, 'jira:issue_updated', rt.emulators.jira.transition(issue.key, READY)));
  return { issue, res };
}

/** The ticket's comments written by the write-back account, as plain text. */
const ours = (key: string) =>
  rt.emulators.jira
    .issue(key)!
    .comments.filter((c) => c.author.emailAddress === SAMPLE_JIRA.account.email)
    .map((c) => ({ id: c.id, text: adfText(c.body) }));

describe('the report on the Jira ticket', () => {
  it('a planned hire is commented with its plan and role tree; an edit of the role updates that one comment', async () => {
    const { issue, res } = await moveToReady(hire('E-WB-1'));
    expect(res.status).toBe(202);
    const [first, ...more] = ours(issue.key);
    expect(more).toEqual([]);
    expect(first.text).toContain(reportMarker(res.body.runId));
    expect(first.text).toContain('Status: planned, nothing due yet');
    expect(first.text).toMatch(/create-user \(google\.createUser\): planned, due \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(first.text).toContain('Role support-agent');
    expect(first.text).toMatch(/support-agent\n[\s\S]*junior-support-agent[\s\S]*Effective access:/);

    const edit = rt.emulators.jira.editIssue(issue.key, { description: adfDoc(['Role: senior-support-agent']) });
    const revised = await sendJiraWebhook(url, SECRET, jiraWebhookBody(issue, 'jira:issue_updated', edit));
    expect(revised.status).toBe(200);
    const after = ours(issue.key);
    expect(after).toHaveLength(1);
    expect(after[0].id).toBe(first.id);
    expect(after[0].text).toContain('revision 2');
    expect(after[0].text).toContain('Role senior-support-agent');
  });

  it("a step the provider refuses is shown on the ticket with the provider's words and what to change", async () => {
    // Google refuses the account: the hire's first step fails for good and waits for an operator.
    rt.emulators.google.faults.failNext({ method: 'POST', path: '/admin/directory/v1/users$', count: 10, status: 400, message: 'Invalid Given/Family Name: FamilyName' });
    const { issue, res } = await moveToReady(hire('E-WB-FAIL', { startDate: daysFromToday(0) }));
    expect(res.status).toBe(202);
    const text = await eventually(async () => {
      const [c] = ours(issue.key);
      return c?.text.includes('Needs a change or an operator') ? c.text : undefined;
    }, 20_000, 'the failure on the ticket');
    expect(text).toContain('Status: waiting for IT: a step needs an operator');
    expect(text).toContain('create-user: ');
    expect(text).toContain('Invalid Given/Family Name: FamilyName');
    expect(text).toContain('What to do: The service refused the request as it is: correct the employee data on this ticket');
    expect(ours(issue.key)).toHaveLength(1);
    rt.emulators.google.faults.clear();
  });

  it("by hand through the emulator's control routes: open a ticket, move it, edit it, each change delivered signed", async () => {
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${rt.emulatorUrl}/_emulator/jira${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      return (await res.json()) as Record<string, any>;
    };
    const opened = await post('/hires', hire('E-WB-CTL'));
    expect(opened.delivery).toMatchObject({ status: 202, body: { ignored: true, reason: 'status Open is not Ready for IT' } });
    const moved = await post(`/issues/${opened.issue.key}/move`, { to: 'Ready for IT' });
    expect(moved.delivery).toMatchObject({ status: 202, body: { eventId: `jira-${opened.issue.key}`, type: 'hire' } });
    const edited = await post(`/issues/${opened.issue.key}/edit`, { role: 'senior-support-agent' });
    expect(edited.delivery).toMatchObject({ status: 200, body: { runId: moved.delivery.body.runId, revision: { number: 2 } } });
    expect(ours(opened.issue.key)).toHaveLength(1);
  });

  it('a Jira that refuses the comment leaves the intake answer as it is', async () => {
    rt.emulators.jira.faults.failNext({ path: '/comment$', count: 5, status: 503, message: 'Service Unavailable' });
    const { issue, res } = await moveToReady(hire('E-WB-503'));
    expect(res.status).toBe(202);
    expect(ours(issue.key)).toEqual([]);
    rt.emulators.jira.faults.clear();
  });
});
