/** Jira Cloud as an intake, end to end: a ticket moved to its start status is a hire; anything unsigned writes nothing. */
import type { Runtime } from '../../local/runtime';
import { LOCAL_DEFAULTS } from '../../config/local-defaults';
import { jiraSignature } from '../../lambdas/providers/jira/jira-signature';
import { JIRA_WORKFLOW } from '../../local/emulators/jira/jira-emulator';
import { adfDoc, openHireTicket, type SampleHire } from '../../local/emulators/jira/jira-sample';
import { jiraWebhookBody, sendJiraWebhook as deliver } from '../../local/emulators/jira/jira-webhook-sender';

/** A signed delivery to the intake, its answer read loosely as the tests read answers. */
const sendJiraWebhook = async (...args: Parameters<typeof deliver>) => (await deliver(...args)) as { status: number; body: Record<string, any> };
import { daysFromToday } from '../support/builders';
import { operator, start } from '../support/harness';

const SECRET = 'e2e-jira-webhook-secret';
const READY = JIRA_WORKFLOW.find((t) => t.status.name === 'Ready for IT')!.transitionId;
const DONE = JIRA_WORKFLOW.find((t) => t.status.name === 'Done')!.transitionId;

let rt: Runtime;
let url: string;
beforeAll(async () => {
  // The default playbooks: a hire is planned from its role in the Notion catalog.
  rt = await start({ jiraWebhookSecret: SECRET, playbooks: undefined });
  url = `${rt.apiUrl}/v1/intake/jira`;
});
afterAll(async () => {
  await rt.stop();
});

const hire = (id: string, more: Partial<SampleHire> = {}): SampleHire => ({
  id,
  firstName: 'Alan',
  lastName: 'Turing',
  personalEmail: 'alan@home.example',
  managerEmail: 'grace.hopper@example.com',
  startDate: daysFromToday(30),
  role: 'support-agent',
  ...more,
});

/** Opens a ticket and moves it to Ready for IT: the delivery Jira sends for that move. */
function readyTicket(h: SampleHire) {
  const issue = openHireTicket(rt.emulators.jira, h);
  const change = rt.emulators.jira.transition(issue.key, READY);
  return { issue, body: jiraWebhookBody(issue, 'jira:issue_updated', change) };
}

const nothingWritten = async (employeeId: string) => {
  expect((await operator(rt, 'GET', `/v1/employees/${employeeId}`)).status).toBe(404);
};

describe('POST /v1/intake/jira', () => {
  it('a New hire ticket moved to Ready for IT is a hire planned from its role; the same delivery again answers the same run', async () => {
    const { issue, body } = readyTicket(hire('E-JIRA-1'));
    const res = await sendJiraWebhook(url, SECRET, body);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ issueKey: issue.key, eventId: `jira-${issue.key}`, type: 'hire' });
    const view = await operator(rt, 'GET', '/v1/employees/E-JIRA-1');
    expect(view.body.runs).toHaveLength(1);
    const run = await operator(rt, 'GET', `/v1/runs/${res.body.runId}`);
    expect(run.body).toMatchObject({ employee: { id: 'E-JIRA-1', firstName: 'Alan', lastName: 'Turing', personalEmail: 'alan@home.example', role: 'support-agent', timezone: 'Europe/Berlin' } });
    expect(run.body.role).toMatchObject({ name: 'support-agent' });
    const again = await sendJiraWebhook(url, SECRET, body);
    expect(again).toMatchObject({ status: 200, body: { runId: res.body.runId } });
  });

  it('an edit of the description of a ticket whose run is going revises the request: the run is planned again from the new role', async () => {
    const jira = rt.emulators.jira;
    const { issue, body } = readyTicket(hire('E-JIRA-REV'));
    const first = await sendJiraWebhook(url, SECRET, body);
    expect(first.status).toBe(202);
    const before = (await operator(rt, 'GET', `/v1/runs/${first.body.runId}`)).body;
    const edit = jira.editIssue(issue.key, { description: adfDoc(['Please prepare the accounts.', 'Role: senior-support-agent']) });
    const revisedBody = jiraWebhookBody(issue, 'jira:issue_updated', edit);
    const res = await sendJiraWebhook(url, SECRET, revisedBody);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ runId: first.body.runId, eventId: `jira-${issue.key}`, revision: { number: 2 } });
    const after = (await operator(rt, 'GET', `/v1/runs/${first.body.runId}`)).body;
    expect(after.role.name).toBe('senior-support-agent');
    expect(after.employee.role).toBe('senior-support-agent');
    // What the senior role grants beyond the plain one is planned; nothing had run yet, so nothing is kept from before.
    const ids = (run: Record<string, any>) => (run.steps as { stepId: string }[]).map((s) => s.stepId);
    expect(ids(after)).toEqual(expect.arrayContaining(res.body.revision.added));
    expect(res.body.revision.added.length + res.body.revision.replanned.length).toBeGreaterThan(0);
    expect(after.steps.filter((s: { status: string }) => s.status === 'cancelled').map((s: { stepId: string }) => s.stepId).sort()).toEqual([...res.body.revision.cancelled].sort());
    // Nothing had run yet: every step takes the new plan's form, the senior role's license and Connect profiles among them.
    const paramsOf = (run: Record<string, any>, id: string) => (run.steps as { stepId: string; params: unknown }[]).find((s) => s.stepId === id)?.params;
    expect(res.body.revision.replanned).toEqual(expect.arrayContaining(['assign-license', 'create-connect-agent']));
    expect(paramsOf(before, 'assign-license')).toMatchObject({ skuId: '1010020027' });
    expect(paramsOf(after, 'assign-license')).toMatchObject({ skuId: '1010020028' });
    expect(paramsOf(after, 'create-connect-agent')).not.toEqual(paramsOf(before, 'create-connect-agent'));
    const audit = (await operator(rt, 'GET', '/v1/employees/E-JIRA-REV')).body.audit.map((a: { change: string; actor: string }) => `${a.actor}: ${a.change}`);
    expect(audit).toEqual(expect.arrayContaining([expect.stringMatching(/^jira-webhook: request revised \(revision 2\): planned again from role senior-support-agent/)]));
    // The same revision again changes nothing more.
    const again = await sendJiraWebhook(url, SECRET, revisedBody);
    expect(again).toMatchObject({ status: 200, body: { runId: first.body.runId } });
    expect(again.body.revision).toBeUndefined();
  });

  it('an edit undone (A, then B, then A) revises the run back to A', async () => {
    const jira = rt.emulators.jira;
    const { issue, body } = readyTicket(hire('E-JIRA-ABA'));
    const first = await sendJiraWebhook(url, SECRET, body);
    const toB = jiraWebhookBody(issue, 'jira:issue_updated', jira.editIssue(issue.key, { description: adfDoc(['Role: senior-support-agent']) }));
    expect((await sendJiraWebhook(url, SECRET, toB)).body).toMatchObject({ revision: { number: 2 } });
    const backToA = jiraWebhookBody(issue, 'jira:issue_updated', jira.editIssue(issue.key, { description: adfDoc(['Please prepare the accounts.', 'Role: support-agent']) }));
    const res = await sendJiraWebhook(url, SECRET, backToA);
    expect(res.body).toMatchObject({ runId: first.body.runId, revision: { number: 3 } });
    expect((await operator(rt, 'GET', `/v1/runs/${first.body.runId}`)).body.role.name).toBe('support-agent');
  });

  it('a revision that sends the welcome link to another personal address waits for an approver before anything runs', async () => {
    const jira = rt.emulators.jira;
    const { issue, body } = readyTicket(hire('E-JIRA-NEWMAIL'));
    const first = await sendJiraWebhook(url, SECRET, body);
    const edit = jiraWebhookBody(issue, 'jira:issue_updated', jira.editIssue(issue.key, { customfield_10053: 'someone.else@home.example' }));
    const res = await sendJiraWebhook(url, SECRET, edit);
    expect(res.status).toBe(200);
    const after = (await operator(rt, 'GET', `/v1/runs/${first.body.runId}`)).body;
    expect(after.status).toBe('awaiting_approval');
    expect(after.approval.requiredBy).toContain('personal email changed from alan@home.example to someone.else@home.example');
  });

  it('a revision naming a role the catalog does not have is a 422 naming the description line, and the run is unchanged', async () => {
    const jira = rt.emulators.jira;
    const { issue, body } = readyTicket(hire('E-JIRA-REV2'));
    const first = await sendJiraWebhook(url, SECRET, body);
    const before = (await operator(rt, 'GET', `/v1/runs/${first.body.runId}`)).body;
    const edit = jira.editIssue(issue.key, { description: adfDoc(['Role: astronaut']) });
    const res = await sendJiraWebhook(url, SECRET, jiraWebhookBody(issue, 'jira:issue_updated', edit));
    expect(res.status).toBe(422);
    expect(res.body.issues[0]).toMatchObject({ path: 'description:Role', eventField: 'employee.role' });
    expect((await operator(rt, 'GET', `/v1/runs/${first.body.runId}`)).body).toEqual(before);
  });

  it.each([
    ['a wrong secret', 'not-the-secret'],
    ['no signature', null],
  ])('a delivery with %s is a 401 and writes nothing', async (_name, secret) => {
    const { body } = readyTicket(hire('E-JIRA-BAD'));
    const res = await sendJiraWebhook(url, secret, body);
    expect(res.status).toBe(401);
    expect(res.body.error).toMatch(/X-Hub-Signature|signature does not match/);
    await nothingWritten('E-JIRA-BAD');
  });

  it('a signature of another body is a 401: the signature covers the raw body', async () => {
    const { body } = readyTicket(hire('E-JIRA-SWAP'));
    const raw = JSON.stringify(body);
    const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Hub-Signature': jiraSignature(SECRET, `${raw} `) }, body: raw });
    expect(res.status).toBe(401);
    await nothingWritten('E-JIRA-SWAP');
  });

  it('the local default secret is refused when the stage is given another', async () => {
    const { body } = readyTicket(hire('E-JIRA-DEF'));
    expect((await sendJiraWebhook(url, LOCAL_DEFAULTS.jiraWebhookSecret, body)).status).toBe(401);
    await nothingWritten('E-JIRA-DEF');
  });

  it('deliveries that are not a start are answered 202 ignored, with why, and write nothing', async () => {
    const jira = rt.emulators.jira;
    const other = jira.createIssue('OPS', { issuetype: { name: 'New hire' }, customfield_10050: 'E-JIRA-IGN', customfield_10051: 'X', customfield_10055: daysFromToday(10) });
    const otherProject = jiraWebhookBody(other, 'jira:issue_updated', jira.transition(other.key, READY));
    const wrongType = readyTicket(hire('E-JIRA-IGN')).body as { issue: { fields: Record<string, unknown> } };
    wrongType.issue.fields = { ...wrongType.issue.fields, issuetype: { name: 'Bug' } };
    const issue = openHireTicket(jira, hire('E-JIRA-IGN'));
    const toDone = jiraWebhookBody(issue, 'jira:issue_updated', jira.transition(issue.key, DONE));
    const comment = { ...jiraWebhookBody(issue, 'jira:issue_updated'), webhookEvent: 'comment_created' };
    const expectations: [unknown, RegExp][] = [
      [otherProject, /project OPS is not HR/],
      [wrongType, /issue type Bug is not New hire/],
      [toDone, /status moved to Done, not Ready for IT/],
      [comment, /webhook event comment_created is not read/],
    ];
    for (const [body, reason] of expectations) {
      const res = await sendJiraWebhook(url, SECRET, body as Record<string, unknown>);
      expect({ status: res.status, body: res.body }).toEqual({ status: 202, body: { ignored: true, reason: expect.stringMatching(reason) } });
    }
    await nothingWritten('E-JIRA-IGN');
  });

  it('a ticket missing a mapped field is a 422 naming the Jira field, and writes nothing', async () => {
    const { body } = readyTicket(hire('E-JIRA-422', { firstName: '' }));
    const res = await sendJiraWebhook(url, SECRET, body);
    expect(res.status).toBe(422);
    expect(res.body.issues).toEqual([{ path: 'customfield_10051', eventField: 'employee.firstName', message: expect.stringContaining('is empty') }]);
    await nothingWritten('E-JIRA-422');
  });

  it('a field the event schema refuses is a 422 naming the Jira field it came from', async () => {
    const { body } = readyTicket(hire('E-JIRA-MAIL', { personalEmail: 'not-an-address' }));
    const res = await sendJiraWebhook(url, SECRET, body);
    expect(res.status).toBe(422);
    expect(res.body.issues).toEqual([{ path: 'customfield_10053', eventField: 'employee.personalEmail', message: 'must be an email address' }]);
    await nothingWritten('E-JIRA-MAIL');
  });

  it('a ticket larger than an HR event is read; one over 512 KB is a 400', async () => {
    const body = readyTicket(hire('E-JIRA-BIG')).body as { issue: { fields: Record<string, unknown> } };
    body.issue.fields.customfield_19999 = 'x'.repeat(200 * 1024);
    expect((await sendJiraWebhook(url, SECRET, body)).status).toBe(202);
    body.issue.fields.customfield_19999 = 'x'.repeat(600 * 1024);
    expect((await sendJiraWebhook(url, SECRET, body)).status).toBe(400);
  });

  it('a body that is not JSON, signed, is a 400', async () => {
    const res = await sendJiraWebhook(url, SECRET, '{not json');
    expect(res.status).toBe(400);
  });
});
