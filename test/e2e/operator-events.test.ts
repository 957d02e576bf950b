/** An event sent from the console on the local runtime: an approver's token, no HR signature, a second approver's go-ahead, the run carried out and both on record. */
import type { Runtime } from '../../local/runtime';
import { hrBody } from '../support/builders';
import { operator, postEvent, runReaches, start } from '../support/harness';

let rt: Runtime;
beforeAll(async () => {
  rt = await start();
});
afterAll(async () => {
  await rt.stop();
});

const leaver = (id: string) => hrBody({ eventId: `console-${id}`, urgent: true, employee: { ...hrBody().employee, id } });

describe('POST /v1/operator/events on the local runtime', () => {
  it('an approver’s urgent leaver waits for a second approver, then runs to the end, both named on the run and in its audit trail', async () => {
    const res = await operator(rt, 'POST', '/v1/operator/events', leaver('E-CON'), 'local-approver-token');
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ type: 'terminate', status: 'awaiting_approval', sentBy: 'local-approver' });
    const planHash = res.body.approval.planHash;
    expect((await operator(rt, 'POST', `/v1/runs/${res.body.runId}/approve`, { planHash }, 'local-approver-token')).status).toBe(409);
    expect((await operator(rt, 'POST', `/v1/runs/${res.body.runId}/approve`, { planHash })).status).toBe(200);
    const run = await runReaches(rt, 'E-CON', res.body.runId, 'completed');
    expect(run).toMatchObject({ sentBy: 'local-approver', approval: { decision: 'approved', decidedBy: 'local-admin' } });
    expect(rt.downstream.deliveries.get(`${res.body.runId}:forward-event`)).toMatchObject({ times: 1, event: { eventId: 'console-E-CON' } });
    const view = await operator(rt, 'GET', '/v1/employees/E-CON');
    expect(view.body.audit.slice(0, 2).map((a: { actor: string }) => a.actor)).toEqual(['local-approver', 'local-admin']);
    // The same event from HR afterwards is the same event: its run, nothing new.
    const fromHr = await postEvent(rt, leaver('E-CON'));
    expect(fromHr).toMatchObject({ status: 200, body: { runId: res.body.runId, sentBy: 'local-approver' } });
  });

  it('a viewer’s token is refused naming send-event, and nothing is recorded', async () => {
    const res = await operator(rt, 'POST', '/v1/operator/events', leaver('E-VIEW'), 'local-viewer-token');
    expect(res).toMatchObject({ status: 403, body: { permission: 'send-event' } });
    expect((await operator(rt, 'GET', '/v1/employees/E-VIEW')).status).toBe(404);
  });
});
