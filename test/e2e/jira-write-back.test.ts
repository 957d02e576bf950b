/**
 * The run's report on its Jira ticket, read back from the Jira emulator: the plan and role tree, a revision, a step that
 * needs an operator (written by the engine as the step is, no polling), the run's end with its outcome and the ticket
 * moved, a delivery older than the request applied, and a service desk's internal comment.
 */
import { adfDoc } from '../../local/emulators/jira/jira-sample';
import { jiraWebhookBody } from '../../local/emulators/jira/jira-webhook-sender';
import { reportMarker } from '../../lambdas/jira/jira-report';
import { daysFromToday } from '../support/builders';
import { eventually, operator } from '../support/harness';
import { jiraE2e } from '../support/jira-e2e';

const e2e = jiraE2e();
const { ours, statusOf } = e2e;
/** Each hire a last name of its own: the Google account's address is made from it. */
const hire = (id: string, more: Parameters<typeof e2e.hire>[1] = {}) => e2e.hire(id, { lastName: id.replace(/\W/g, ''), ...more });

async function moveToReady(h: ReturnType<typeof hire>) {
  const { issue, body } = e2e.readyTicket(h);
  return { issue, res: await e2e.send(body) };
}

/** The comment once it says `what`. */
const commentSaying = (key: string, what: string) =>
  eventually(async () => {
    const [c] = ours(key);
    return c?.text.includes(what) ? c.text : undefined;
  }, 20_000, `"${what}" on ${key}`);

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

    const edit = e2e.rt.emulators.jira.editIssue(issue.key, { description: adfDoc(['Role: senior-support-agent']) });
    const revised = await e2e.send(jiraWebhookBody(issue, 'jira:issue_updated', edit));
    expect(revised.status).toBe(200);
    const after = ours(issue.key);
    expect(after).toHaveLength(1);
    expect(after[0].id).toBe(first.id);
    expect(after[0].text).toContain('revision 2');
    expect(after[0].text).toContain('Role senior-support-agent');
  });

  it("a step the provider refuses is shown on the ticket with the provider's words and what to change, and the ticket waits for HR", async () => {
    // Google refuses the account: the hire's first step fails for good and waits for an operator.
    e2e.rt.emulators.google.faults.failNext({ method: 'POST', path: '/admin/directory/v1/users$', count: 10, status: 400, message: 'Invalid Given/Family Name: FamilyName' });
    const { issue, res } = await moveToReady(hire('E-WB-FAIL', { startDate: daysFromToday(0) }));
    expect(res.status).toBe(202);
    const text = await commentSaying(issue.key, 'Needs a change or an operator');
    // A name the provider refuses is the requester's to correct: the status line, the advice and the move agree.
    expect(text).toContain('Status: waiting for a change on this ticket: see below');
    expect(text).toContain('create-user: ');
    expect(text).toContain('Invalid Given/Family Name: FamilyName');
    expect(text).toContain('What to do: The service refused the employee data as the ticket gives it: correct it on this ticket');
    expect(ours(issue.key)).toHaveLength(1);
    // The stage's transitions.needsAttention: the ticket goes back to HR, where an edit is still a revision.
    await eventually(async () => statusOf(issue.key) === 'Waiting for HR' || undefined, 10_000, 'the ticket in Waiting for HR');
    e2e.rt.emulators.google.faults.clear();
  });

  it('once IT skips the refused step, the comment drops it and the ticket goes back to Ready for IT; that move is no new request', async () => {
    e2e.rt.emulators.google.faults.failNext({ method: 'POST', path: '/admin/directory/v1/users$', count: 10, status: 400, message: 'Invalid Given/Family Name: FamilyName' });
    const { issue, res } = await moveToReady(hire('E-WB-BACK', { startDate: daysFromToday(0) }));
    const runId = res.body.runId as string;
    await commentSaying(issue.key, 'Needs a change or an operator');
    await eventually(async () => statusOf(issue.key) === 'Waiting for HR' || undefined, 10_000, 'the ticket in Waiting for HR');
    e2e.rt.emulators.google.faults.clear();
    expect((await operator(e2e.rt, 'POST', `/v1/runs/${runId}/steps/create-user/skip`, { reason: 'made by hand' })).status).toBe(200);
    await eventually(async () => statusOf(issue.key) === 'Ready for IT' || undefined, 10_000, 'the ticket back in Ready for IT');
    const [comment] = ours(issue.key);
    expect(comment.text).not.toContain('Needs a change or an operator');
    expect(comment.text).not.toContain('waiting for a change on this ticket');
    expect(comment.text).toContain('create-user (google.createUser): done by hand (skipped)');
    // Jira delivers the write-back's move: answered ignored, the run as it was.
    const before = (await operator(e2e.rt, 'GET', `/v1/runs/${runId}`)).body;
    const back = e2e.rt.emulators.jira.issue(issue.key)!.changelog.at(-1)!;
    expect(back.items[0]).toMatchObject({ field: 'status', fromString: 'Waiting for HR', toString: 'Ready for IT' });
    const delivered = await e2e.send(jiraWebhookBody(e2e.rt.emulators.jira.issue(issue.key)!, 'jira:issue_updated', back));
    expect(delivered.status).toBe(202);
    expect(delivered.body).toMatchObject({ ignored: true, reason: 'status moved back from Waiting for HR to Ready for IT: its request goes on as it is, not a new one' });
    const after = (await operator(e2e.rt, 'GET', `/v1/runs/${runId}`)).body;
    expect(after.revision).toEqual(before.revision);
    expect(after.status).not.toBe('cancelled');
    expect(((await operator(e2e.rt, 'GET', '/v1/employees/E-WB-BACK')).body.runs as unknown[]).length).toBe(1);
  });

  it('a Zendesk failure → the comment shows it in plain words', async () => {
    // Google makes the account; Zendesk refuses the agent, a 422 with its validation details.
    e2e.rt.emulators.zendesk.faults.failNext({ method: 'POST', path: '/api/v2/users\\.json$', count: 10, status: 422, message: 'Email: alan@home.example is already being used by another user' });
    const { issue, res } = await moveToReady(hire('E-WB-ZD', { startDate: daysFromToday(0) }));
    expect(res.status).toBe(202);
    const text = await commentSaying(issue.key, 'provision-zendesk-user: ');
    expect(text).toContain('Needs a change or an operator');
    expect(text).toMatch(/provision-zendesk-user: [^\n]*is already being used by another user/);
    expect(text).toContain('What to do: The service refused the employee data as the ticket gives it: correct it on this ticket');
    expect(text).not.toContain('{"error"');
    expect(ours(issue.key)).toHaveLength(1);
    e2e.rt.emulators.zendesk.faults.clear();
  });

  it("the run's end updates the comment with its outcome and moves the ticket: every step done by hand → Done", async () => {
    const { issue, res } = await moveToReady(hire('E-WB-END'));
    const runId = res.body.runId as string;
    const steps = (await operator(e2e.rt, 'GET', `/v1/runs/${runId}`)).body.steps as { stepId: string }[];
    for (const s of steps) expect((await operator(e2e.rt, 'POST', `/v1/runs/${runId}/steps/${s.stepId}/skip`, { reason: 'done by hand' })).status).toBe(200);
    expect((await operator(e2e.rt, 'GET', `/v1/runs/${runId}`)).body.status).toBe('completed');
    // Written in the operator's call, after the write that completed the run: there when the call answers.
    const [comment, ...more] = ours(issue.key);
    expect(more).toEqual([]);
    expect(comment.text).toContain('Status: done');
    expect(comment.text).toContain('Outcome');
    expect(comment.text).toMatch(/Left to do by hand: create-user \(done by hand \(skipped\)\)/);
    expect(statusOf(issue.key)).toBe('Done');
    expect(e2e.rt.emulators.jira.issue(issue.key)!.changelog.at(-1)!.items[0]).toMatchObject({ field: 'status', fromString: 'Ready for IT', toString: 'Done' });
  });

  it('a run cancelled by an operator is reported cancelled and the ticket moved to Cancelled', async () => {
    const { issue, res } = await moveToReady(hire('E-WB-CANCEL'));
    expect((await operator(e2e.rt, 'POST', `/v1/runs/${res.body.runId}/cancel`)).status).toBe(200);
    const [comment] = ours(issue.key);
    expect(comment.text).toContain('Status: cancelled');
    expect(comment.text).toMatch(/Left to do by hand: [^\n]*create-user \(cancelled\)/);
    expect(statusOf(issue.key)).toBe('Cancelled');
  });

  it('a delivery older than the request applied is answered 200, ignored: nothing written, the comment unchanged', async () => {
    const jira = e2e.rt.emulators.jira;
    const { issue, res } = await moveToReady(hire('E-WB-ORDER'));
    // Two edits; Jira delivers the second first, then the first (each delivery the ticket as it was then).
    const first = JSON.parse(JSON.stringify(jiraWebhookBody(issue, 'jira:issue_updated', jira.editIssue(issue.key, { description: adfDoc(['Role: senior-support-agent']) }), Date.now())));
    await new Promise((r) => setTimeout(r, 5));
    const second = JSON.parse(JSON.stringify(jiraWebhookBody(issue, 'jira:issue_updated', jira.editIssue(issue.key, { description: adfDoc(['Role: support-team-lead']) }), Date.now())));
    expect((await e2e.send(second)).body).toMatchObject({ runId: res.body.runId, revision: { number: 2 } });
    const run = (await operator(e2e.rt, 'GET', `/v1/runs/${res.body.runId}`)).body;
    const comment = ours(issue.key);
    const late = await e2e.send(first);
    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({ runId: res.body.runId, ignored: true, reason: expect.stringContaining('before the request the run has') });
    expect(late.body.revision).toBeUndefined();
    expect((await operator(e2e.rt, 'GET', `/v1/runs/${res.body.runId}`)).body).toEqual(run);
    expect(run.role.name).toBe('support-team-lead');
    expect(ours(issue.key)).toEqual(comment);
  });

  it("by hand through the emulator's control routes: open a ticket, move it, edit it, each change delivered signed", async () => {
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${e2e.rt.emulatorUrl}/_emulator/jira${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      return (await res.json()) as Record<string, any>;
    };
    const opened = await post('/hires', hire('E-WB-CTL'));
    expect(opened.delivery).toMatchObject({ status: 202, body: { ignored: true, reason: 'status Open is not Ready for IT' } });
    expect(await post(`/issues/${opened.issue.key}/move`, { to: 'Done' })).toEqual({ error: "Transition id '41' is not valid for this issue." });
    const moved = await post(`/issues/${opened.issue.key}/move`, { to: 'Ready for IT' });
    expect(moved.delivery).toMatchObject({ status: 202, body: { eventId: `jira-${opened.issue.key}`, type: 'hire' } });
    const edited = await post(`/issues/${opened.issue.key}/edit`, { role: 'senior-support-agent' });
    expect(edited.delivery).toMatchObject({ status: 200, body: { runId: moved.delivery.body.runId, revision: { number: 2 } } });
    expect(ours(opened.issue.key)).toHaveLength(1);
  });

  it('a Jira that refuses the comment leaves the intake answer as it is', async () => {
    e2e.rt.emulators.jira.faults.failNext({ path: '/comment$', count: 5, status: 503, message: 'Service Unavailable' });
    const { issue, res } = await moveToReady(hire('E-WB-503'));
    expect(res.status).toBe(202);
    expect(ours(issue.key)).toEqual([]);
    e2e.rt.emulators.jira.faults.clear();
  });
});

describe('a Jira Service Management desk (jira.serviceDesk)', () => {
  const desk = jiraE2e({ jira: { serviceDesk: true } });

  it('the comment is internal: the sd.public.comment property, jsdPublic false, kept so when edited', async () => {
    const { issue, body } = desk.readyTicket(desk.hire('E-WB-JSM'));
    const res = await desk.send(body);
    expect(res.status).toBe(202);
    await operator(desk.rt, 'POST', `/v1/runs/${res.body.runId}/cancel`);
    const [comment, ...more] = desk.rt.emulators.jira.issue(issue.key)!.comments;
    expect(more).toEqual([]);
    expect(comment.properties).toEqual([{ key: 'sd.public.comment', value: { internal: true } }]);
    expect(desk.ours(issue.key)[0].text).toContain('Status: cancelled');
  });
});

describe('jira.serviceDesk on a project that is not a service desk', () => {
  const notDesk = jiraE2e({ jira: { serviceDesk: true } });

  it('no comment is written (it would be public); the hire goes ahead', async () => {
    // The stage says service desk; the project is a software one.
    notDesk.rt.emulators.jira.setProjectType('HR', 'software');
    const { issue, body } = notDesk.readyTicket(notDesk.hire('E-WB-NOTJSM'));
    const res = await notDesk.send(body);
    expect(res.status).toBe(202);
    await operator(notDesk.rt, 'POST', `/v1/runs/${res.body.runId}/cancel`);
    expect(notDesk.rt.emulators.jira.issue(issue.key)!.comments).toEqual([]);
  });
});
