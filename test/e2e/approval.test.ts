/** The approval gate end to end: a hire waits, its plan is shown with a hash, and only that plan runs once approved. */
import type { Runtime } from '../../local/runtime';
import { hrBody } from '../support/builders';
import { operator, postEvent, runReaches, start } from '../support/harness';

let rt: Runtime;
beforeAll(async () => {
  rt = await start({ settings: { retryBaseSeconds: 1, approveHires: true } });
});
afterAll(async () => {
  await rt.stop();
});

const hire = (id: string) => hrBody({ eventId: `hire-${id}`, type: 'hire', effectiveDate: '2026-01-05', employee: { ...hrBody().employee, id } });

describe('a hire that needs approval', () => {
  it('waits with nothing queued, runs once its plan is approved, and the approval is on record', async () => {
    const res = await postEvent(rt, hire('E-APPROVE'));
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('awaiting_approval');
    expect(res.body.steps.every((s: { status: string }) => s.status === 'pending')).toBe(true);
    // Past its date, yet the sweep leaves it alone.
    expect((await operator(rt, 'POST', '/v1/sweep')).body.stepsQueued).toBe(0);
    expect(rt.downstream.deliveries.get(`${res.body.runId}:forward-event`)).toBeUndefined();

    const shown = await operator(rt, 'GET', `/v1/runs/${res.body.runId}`);
    expect(shown.status).toBe(200);
    const planHash = shown.body.approval.planHash;
    expect(planHash).toBe(res.body.approval.planHash);

    const approved = await operator(rt, 'POST', `/v1/runs/${res.body.runId}/approve`, { planHash });
    expect(approved.status).toBe(200);
    expect(approved.body.approval).toMatchObject({ decision: 'approved', decidedBy: expect.any(String) });
    const run = await runReaches(rt, 'E-APPROVE', res.body.runId, 'completed');
    expect(run.steps.map((s) => s.status)).toEqual(['succeeded']);
    expect(rt.downstream.deliveries.get(`${res.body.runId}:forward-event`)?.times).toBe(1);

    const audit = (await operator(rt, 'GET', '/v1/employees/E-APPROVE')).body.audit.map((a: { change: string }) => a.change);
    expect(audit.slice(0, 3)).toEqual(['hire run planned, awaiting approval (stage setting approveHires)', 'plan approved by an operator', 'step queued']);
    // Decided once: a second approval is a conflict.
    expect((await operator(rt, 'POST', `/v1/runs/${res.body.runId}/approve`, { planHash })).status).toBe(409);
  });

  it('only an approver approves: a viewer or an operator is refused with 403 naming approve, and the approver is named on the run and in the audit', async () => {
    const res = await postEvent(rt, hire('E-WHO'));
    const planHash = res.body.approval.planHash;
    for (const token of ['local-viewer-token', 'local-operator-only-token']) {
      const refused = await operator(rt, 'POST', `/v1/runs/${res.body.runId}/approve`, { planHash }, token);
      expect({ token, status: refused.status, permission: refused.body.permission }).toEqual({ token, status: 403, permission: 'approve' });
    }
    expect((await operator(rt, 'GET', `/v1/runs/${res.body.runId}`, undefined, 'local-viewer-token')).body.status).toBe('awaiting_approval');
    const approved = await operator(rt, 'POST', `/v1/runs/${res.body.runId}/approve`, { planHash }, 'local-approver-token');
    expect(approved.body.approval).toMatchObject({ decision: 'approved', decidedBy: 'local-approver' });
    const audit = (await operator(rt, 'GET', '/v1/employees/E-WHO')).body.audit as { change: string; actor: string }[];
    expect(audit.find((a) => a.change === 'plan approved by an operator')?.actor).toBe('local-approver');
  });

  it('refuses an approval without the plan hash, or with another, naming the field, and changes nothing', async () => {
    const res = await postEvent(rt, hire('E-HASH'));
    const missing = await operator(rt, 'POST', `/v1/runs/${res.body.runId}/approve`, {});
    expect(missing.status).toBe(400);
    expect(missing.body.issues[0].path).toBe('planHash');
    const wrong = await operator(rt, 'POST', `/v1/runs/${res.body.runId}/approve`, { planHash: '0'.repeat(32) });
    expect(wrong.status).toBe(409);
    expect(wrong.body.error).toContain('read the run again');
    expect((await operator(rt, 'GET', `/v1/runs/${res.body.runId}`)).body.status).toBe('awaiting_approval');
  });

  it('a rejected plan never runs, and the reason is kept', async () => {
    const res = await postEvent(rt, hire('E-REJECT'));
    const rejected = await operator(rt, 'POST', `/v1/runs/${res.body.runId}/reject`, { planHash: res.body.approval.planHash, reason: 'start date moved' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', approval: { decision: 'rejected', reason: 'start date moved' } });
    expect(rejected.body.steps.every((s: { status: string }) => s.status === 'cancelled')).toBe(true);
    await operator(rt, 'POST', '/v1/sweep');
    expect(rt.downstream.deliveries.get(`${res.body.runId}:forward-event`)).toBeUndefined();
    expect((await operator(rt, 'GET', '/v1/runs?status=rejected')).body.runs.map((r: { runId: string }) => r.runId)).toContain(res.body.runId);
  });

  it('a leaver is never held for approval', async () => {
    const res = await postEvent(rt, hrBody({ eventId: 'leaver-not-held', urgent: true, employee: { ...hrBody().employee, id: 'E-LEAVES' } }));
    expect(res.body.status).not.toBe('awaiting_approval');
    await runReaches(rt, 'E-LEAVES', res.body.runId, 'completed');
  });
});
