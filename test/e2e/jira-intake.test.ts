/** Jira Cloud as an intake, end to end: a ticket moved to its start status is a hire; anything unsigned writes nothing. */
import { LOCAL_DEFAULTS } from '../../config/local-defaults';
import { jiraSignature } from '../../lambdas/providers/jira/jira-signature';
import { adfDoc, openHireTicket, SAMPLE_JIRA } from '../../local/emulators/jira/jira-sample';
import { reportMarker, type AdfDoc } from '../../lambdas/providers/jira/adf';
import { JiraClient } from '../../lambdas/providers/jira/jira-client';
import { jiraWebhookBody } from '../../local/emulators/jira/jira-webhook-sender';
import { daysFromToday } from '../support/builders';
import { operator } from '../support/harness';
import { JIRA_SECRET as SECRET, jiraE2e, transitionInto } from '../support/jira-e2e';

const e2e = jiraE2e();
const { hire, readyTicket } = e2e;
const READY = transitionInto('Ready for IT');
const CANCEL = transitionInto('Cancelled');

const nothingWritten = async (employeeId: string) => {
  expect((await operator(e2e.rt, 'GET', `/v1/employees/${employeeId}`)).status).toBe(404);
};

describe('POST /v1/intake/jira', () => {
  it('a New hire ticket moved to Ready for IT is a hire planned from its role; the same delivery again answers the same run', async () => {
    const { issue, body } = readyTicket(hire('E-JIRA-1'));
    const res = await e2e.send(body);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ issueKey: issue.key, eventId: `jira-${issue.key}`, type: 'hire' });
    const view = await operator(e2e.rt, 'GET', '/v1/employees/E-JIRA-1');
    expect(view.body.runs).toHaveLength(1);
    const run = await operator(e2e.rt, 'GET', `/v1/runs/${res.body.runId}`);
    expect(run.body).toMatchObject({ employee: { id: 'E-JIRA-1', firstName: 'Alan', lastName: 'Turing', personalEmail: 'alan@home.example', role: 'support-agent', timezone: 'Europe/Berlin' } });
    expect(run.body.role).toMatchObject({ name: 'support-agent' });
    const again = await e2e.send(body);
    expect(again).toMatchObject({ status: 200, body: { runId: res.body.runId } });
  });

  it('an edit of the description of a ticket whose run is going revises the request: the run is planned again from the new role', async () => {
    const jira = e2e.rt.emulators.jira;
    const { issue, body } = readyTicket(hire('E-JIRA-REV'));
    const first = await e2e.send(body);
    expect(first.status).toBe(202);
    const before = (await operator(e2e.rt, 'GET', `/v1/runs/${first.body.runId}`)).body;
    const edit = jira.editIssue(issue.key, { description: adfDoc(['Please prepare the accounts.', 'Role: senior-support-agent']) });
    const revisedBody = jiraWebhookBody(issue, 'jira:issue_updated', edit);
    const res = await e2e.send(revisedBody);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ runId: first.body.runId, eventId: `jira-${issue.key}`, revision: { number: 2 } });
    const after = (await operator(e2e.rt, 'GET', `/v1/runs/${first.body.runId}`)).body;
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
    const audit = (await operator(e2e.rt, 'GET', '/v1/employees/E-JIRA-REV')).body.audit.map((a: { change: string; actor: string }) => `${a.actor}: ${a.change}`);
    expect(audit).toEqual(expect.arrayContaining([expect.stringMatching(/^jira-webhook: request revised \(revision 2\): planned again from role senior-support-agent/)]));
    // The same revision again changes nothing more.
    const again = await e2e.send(revisedBody);
    expect(again).toMatchObject({ status: 200, body: { runId: first.body.runId } });
    expect(again.body.revision).toBeUndefined();
  });

  it('an edit undone (A, then B, then A) revises the run back to A', async () => {
    const jira = e2e.rt.emulators.jira;
    const { issue, body } = readyTicket(hire('E-JIRA-ABA'));
    const first = await e2e.send(body);
    const toB = jiraWebhookBody(issue, 'jira:issue_updated', jira.editIssue(issue.key, { description: adfDoc(['Role: senior-support-agent']) }));
    expect((await e2e.send(toB)).body).toMatchObject({ revision: { number: 2 } });
    const backToA = jiraWebhookBody(issue, 'jira:issue_updated', jira.editIssue(issue.key, { description: adfDoc(['Please prepare the accounts.', 'Role: support-agent']) }));
    const res = await e2e.send(backToA);
    expect(res.body).toMatchObject({ runId: first.body.runId, revision: { number: 3 } });
    expect((await operator(e2e.rt, 'GET', `/v1/runs/${first.body.runId}`)).body.role.name).toBe('support-agent');
  });

  it('A → B → C: a step the role of B no longer wanted (cancelled) is planned again when C wants it back', async () => {
    const jira = e2e.rt.emulators.jira;
    const { issue, body } = readyTicket(hire('E-JIRA-ABC'));
    const first = await e2e.send(body);
    const statusById = async () => new Map(((await operator(e2e.rt, 'GET', `/v1/runs/${first.body.runId}`)).body.steps as { stepId: string; status: string }[]).map((s) => [s.stepId, s.status]));
    const toB = await e2e.send(jiraWebhookBody(issue, 'jira:issue_updated', jira.editIssue(issue.key, { description: adfDoc(['Role: engineer']) })));
    const dropped: string[] = toB.body.revision.cancelled;
    expect(dropped).toEqual(expect.arrayContaining(['provision-zendesk-user']));
    const afterB = await statusById();
    for (const id of dropped) expect(afterB.get(id)).toBe('cancelled');
    const toC = await e2e.send(jiraWebhookBody(issue, 'jira:issue_updated', jira.editIssue(issue.key, { description: adfDoc(['Role: support-agent']) })));
    expect(toC.body.revision).toMatchObject({ number: 3, replanned: expect.arrayContaining(dropped) });
    const afterC = await statusById();
    for (const id of dropped) expect(afterC.get(id)).toBe('pending');
  });

  it("the write-back's own comment and move bump the ticket's updated time but are not edits: an edit made before them, delivered after, still revises", async () => {
    const jira = e2e.rt.emulators.jira;
    const { issue, body } = readyTicket(hire('E-JIRA-BUMP'));
    const first = await e2e.send(body);
    expect(first.status).toBe(202);
    const tick = () => new Promise((r) => setTimeout(r, 5));
    await tick();
    // HR edits the role; Jira is slow to deliver it.
    const toB = jiraWebhookBody(issue, 'jira:issue_updated', jira.editIssue(issue.key, { description: adfDoc(['Role: senior-support-agent']) }));
    await tick();
    // Meanwhile the write-back edits its comment and moves the ticket (each bumps its updated), and Jira delivers those first.
    const before = jira.issue(issue.key)!.fields.updated as string;
    const writeBack = new JiraClient({ baseUrl: e2e.rt.emulatorUrl, email: SAMPLE_JIRA.account.email, apiToken: LOCAL_DEFAULTS.jiraApiToken });
    await writeBack.writeRunComment(issue.key, first.body.runId, { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: reportMarker(first.body.runId) }] }] } as AdfDoc);
    expect((jira.issue(issue.key)!.fields.updated as string) > before).toBe(true);
    await tick();
    const commented = { ...jiraWebhookBody(issue, 'jira:issue_updated'), issue_event_type_name: 'issue_commented', comment: { id: '1' } };
    const commentCreated = { ...jiraWebhookBody(issue, 'jira:issue_updated'), webhookEvent: 'comment_created', comment: { id: '1' } };
    const moved = jiraWebhookBody(issue, 'jira:issue_updated', jira.transition(issue.key, transitionInto('Waiting for HR')));
    for (const delivery of [commented, commentCreated, moved]) expect((await e2e.send(delivery)).status).toBe(202);
    const run = (await operator(e2e.rt, 'GET', `/v1/runs/${first.body.runId}`)).body;
    expect(run.revision).toBeUndefined();
    // The edit delivered last is not older than anything the run has applied: it revises.
    const res = await e2e.send(toB);
    expect(res).toMatchObject({ status: 200, body: { runId: first.body.runId, revision: { number: 2 } } });
  });

  it('a revision that sends the welcome link to another personal address waits for an approver before anything runs', async () => {
    const jira = e2e.rt.emulators.jira;
    const { issue, body } = readyTicket(hire('E-JIRA-NEWMAIL'));
    const first = await e2e.send(body);
    const edit = jiraWebhookBody(issue, 'jira:issue_updated', jira.editIssue(issue.key, { customfield_10053: 'someone.else@home.example' }));
    const res = await e2e.send(edit);
    expect(res.status).toBe(200);
    const after = (await operator(e2e.rt, 'GET', `/v1/runs/${first.body.runId}`)).body;
    expect(after.status).toBe('awaiting_approval');
    expect(after.approval.requiredBy).toContain('personal email changed from alan@home.example to someone.else@home.example');
  });

  it('a revision naming a role the catalog does not have is a 422 naming the description line, and the run is unchanged', async () => {
    const jira = e2e.rt.emulators.jira;
    const { issue, body } = readyTicket(hire('E-JIRA-REV2'));
    const first = await e2e.send(body);
    const before = (await operator(e2e.rt, 'GET', `/v1/runs/${first.body.runId}`)).body;
    const edit = jira.editIssue(issue.key, { description: adfDoc(['Role: astronaut']) });
    const res = await e2e.send(jiraWebhookBody(issue, 'jira:issue_updated', edit));
    expect(res.status).toBe(422);
    expect(res.body.issues[0]).toMatchObject({ path: 'description:Role', eventField: 'employee.role' });
    expect((await operator(e2e.rt, 'GET', `/v1/runs/${first.body.runId}`)).body).toEqual(before);
  });

  it.each([
    ['a wrong secret', 'not-the-secret'],
    ['no signature', null],
  ])('a delivery with %s is a 401 and writes nothing', async (_name, secret) => {
    const { body } = readyTicket(hire('E-JIRA-BAD'));
    const res = await e2e.send(body, secret);
    expect(res.status).toBe(401);
    expect(res.body.error).toMatch(/X-Hub-Signature|signature does not match/);
    await nothingWritten('E-JIRA-BAD');
  });

  it('a signature of another body is a 401: the signature covers the raw body', async () => {
    const { body } = readyTicket(hire('E-JIRA-SWAP'));
    const raw = JSON.stringify(body);
    const res = await fetch(e2e.url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Hub-Signature': jiraSignature(SECRET, `${raw} `) }, body: raw });
    expect(res.status).toBe(401);
    await nothingWritten('E-JIRA-SWAP');
  });

  it('the local default secret is refused when the stage is given another', async () => {
    const { body } = readyTicket(hire('E-JIRA-DEF'));
    expect((await e2e.send(body, LOCAL_DEFAULTS.jiraWebhookSecret)).status).toBe(401);
    await nothingWritten('E-JIRA-DEF');
  });

  it('deliveries that are not a start are answered 202 ignored, with why, and write nothing', async () => {
    const jira = e2e.rt.emulators.jira;
    const other = jira.createIssue('OPS', { issuetype: { name: 'New hire' }, customfield_10050: 'E-JIRA-IGN', customfield_10051: 'X', customfield_10055: daysFromToday(10) });
    const otherProject = jiraWebhookBody(other, 'jira:issue_updated', jira.transition(other.key, READY));
    const wrongType = readyTicket(hire('E-JIRA-IGN')).body as { issue: { fields: Record<string, unknown> } };
    wrongType.issue.fields = { ...wrongType.issue.fields, issuetype: { name: 'Bug' } };
    const issue = openHireTicket(jira, hire('E-JIRA-IGN'));
    const toCancelled = jiraWebhookBody(issue, 'jira:issue_updated', jira.transition(issue.key, CANCEL));
    const comment = { ...jiraWebhookBody(issue, 'jira:issue_updated'), webhookEvent: 'comment_created' };
    const expectations: [unknown, RegExp][] = [
      [otherProject, /project OPS is not HR/],
      [wrongType, /issue type Bug is not New hire/],
      [toCancelled, /status moved to Cancelled, not Ready for IT/],
      [comment, /webhook event comment_created is not read/],
    ];
    for (const [body, reason] of expectations) {
      const res = await e2e.send(body as Record<string, unknown>);
      expect({ status: res.status, body: res.body }).toEqual({ status: 202, body: { ignored: true, reason: expect.stringMatching(reason) } });
    }
    await nothingWritten('E-JIRA-IGN');
  });

  it('a ticket missing a mapped field is a 422 naming the Jira field, and writes nothing', async () => {
    const { body } = readyTicket(hire('E-JIRA-422', { firstName: '' }));
    const res = await e2e.send(body);
    expect(res.status).toBe(422);
    expect(res.body.issues).toEqual([{ path: 'customfield_10051', eventField: 'employee.firstName', message: expect.stringContaining('is empty') }]);
    await nothingWritten('E-JIRA-422');
  });

  it('a field the event schema refuses is a 422 naming the Jira field it came from', async () => {
    const { body } = readyTicket(hire('E-JIRA-MAIL', { personalEmail: 'not-an-address' }));
    const res = await e2e.send(body);
    expect(res.status).toBe(422);
    expect(res.body.issues).toEqual([{ path: 'customfield_10053', eventField: 'employee.personalEmail', message: 'must be an email address' }]);
    await nothingWritten('E-JIRA-MAIL');
  });

  it('a ticket larger than an HR event is read; one over 512 KB is a 400', async () => {
    const body = readyTicket(hire('E-JIRA-BIG')).body as { issue: { fields: Record<string, unknown> } };
    body.issue.fields.customfield_19999 = 'x'.repeat(200 * 1024);
    expect((await e2e.send(body)).status).toBe(202);
    body.issue.fields.customfield_19999 = 'x'.repeat(600 * 1024);
    expect((await e2e.send(body)).status).toBe(400);
  });

  it('a body that is not JSON, signed, is a 400', async () => {
    const res = await e2e.send('{not json');
    expect(res.status).toBe(400);
  });
});
