/** Failures end as an operator alert after the first try and three retries; an operator can then retry. */
import type { Alert } from '../../lambdas/engine/model';
import type { Runtime } from '../../local/runtime';
import { hrBody } from '../support/builders';
import { eventually, operator, postEvent, runReaches, start } from '../support/harness';
import { startTarget } from '../support/http-target';
import { receiverWithKey } from '../../lambdas/actions/forward/forward-receivers';

const receiver = (url: string) => receiverWithKey('target', url, 'target-signing-key');

describe('a forward target answering 500', () => {
  let rt: Runtime;
  let healthy = false;
  let target: Awaited<ReturnType<typeof startTarget>>;
  const alerts: Alert[] = [];

  beforeAll(async () => {
    target = await startTarget((_req, _n, res) => {
      res.writeHead(healthy ? 200 : 500, { 'Content-Type': 'application/json' });
      res.end(healthy ? '{"ok":true}' : '{"error":"downstream database unavailable"}');
    });
    rt = await start({ forwardTo: [receiver(target.url)], settings: { retryBaseSeconds: 0.25 }, onAlert: (a) => alerts.push(a) });
  });
  afterAll(async () => {
    await rt.stop();
    await target.close();
  });

  it('is retried, then handed to an operator with an alert, then retried by the operator', async () => {
    const res = await postEvent(rt, hrBody({ eventId: 'fail-1', urgent: true, employee: { ...hrBody().employee, id: 'E-FAIL' } }));
    expect(res.status).toBe(202);
    const run = await runReaches(rt, 'E-FAIL', res.body.runId, 'needs_attention', 40_000);

    // The first try and three retries reached the target; the fifth receive went to the dead-letter queue.
    expect(target.received).toHaveLength(4);
    const step = run.steps[0];
    expect(step.status).toBe('needs_attention');
    expect(step.lastError?.message).toContain('failed with 500');
    expect(step.leaseUntil).toBeUndefined();
    expect(step.queuedAt).toBeUndefined();
    expect(run.dueAt).toBeUndefined();

    const listed = await operator(rt, 'GET', '/v1/alerts?status=open');
    const alert = listed.body.alerts.find((a: Alert) => a.runId === res.body.runId);
    expect(alert).toMatchObject({ employeeId: 'E-FAIL', stepId: 'forward-event', action: 'forward.event', attempts: 4, status: 'open' });
    expect(alert.providerAnswer).toContain('answered 500: {"error":"downstream database unavailable"}');
    expect(alert.whatToDo).toContain(`/v1/runs/${res.body.runId}/steps/forward-event/retry`);
    expect(alerts.filter((a) => a.runId === res.body.runId)).toHaveLength(1);
    expect(rt.deadLetters.stats()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });

    const view = await operator(rt, 'GET', '/v1/employees/E-FAIL');
    const changes = view.body.audit.map((a: { change: string }) => a.change);
    expect(changes.filter((c: string) => c.endsWith('failed; will retry'))).toHaveLength(4);
    expect(changes).toContain('failed 4 times and needs an operator');

    healthy = true;
    const retried = await operator(rt, 'POST', `/v1/runs/${res.body.runId}/steps/forward-event/retry`);
    expect(retried.status).toBe(200);
    const done = await runReaches(rt, 'E-FAIL', res.body.runId, 'completed');
    expect(done.steps[0]).toMatchObject({ status: 'succeeded', attempts: 1 });
    const after = await operator(rt, 'GET', '/v1/alerts?status=open');
    expect(after.body.alerts.find((a: Alert) => a.runId === res.body.runId)).toBeUndefined();
  }, 60_000);
});

describe('a forward target answering 403', () => {
  it('goes to an operator at once: a retry cannot fix it', async () => {
    const target = await startTarget((_r, _n, res) => {
      res.writeHead(403);
      res.end('{"error":"forbidden"}');
    });
    const rt = await start({ forwardTo: [receiver(target.url)] });
    try {
      const res = await postEvent(rt, hrBody({ eventId: 'forbid-1', urgent: true, employee: { ...hrBody().employee, id: 'E-403' } }));
      const run = await runReaches(rt, 'E-403', res.body.runId, 'needs_attention');
      expect(target.received).toHaveLength(1);
      expect(run.steps[0].attempts).toBe(1);
      const alerts = await eventually(async () => (await operator(rt, 'GET', '/v1/alerts')).body.alerts.length > 0 && (await operator(rt, 'GET', '/v1/alerts')).body.alerts);
      expect(alerts[0].providerAnswer).toContain('answered 403');
    } finally {
      await rt.stop();
      await target.close();
    }
  });
});

describe('a step that fails again after an operator retried it', () => {
  it('raises a second alert, and the run shows what it failed with each time', async () => {
    let answer = '{"error":"forbidden: token revoked"}';
    const target = await startTarget((_r, _n, res) => {
      res.writeHead(403);
      res.end(answer);
    });
    const raised: Alert[] = [];
    const rt = await start({ forwardTo: [receiver(target.url)], onAlert: (a) => raised.push(a) });
    try {
      const res = await postEvent(rt, hrBody({ eventId: 'again-1', urgent: true, employee: { ...hrBody().employee, id: 'E-AGAIN' } }));
      await runReaches(rt, 'E-AGAIN', res.body.runId, 'needs_attention');
      const first = await operator(rt, 'GET', `/v1/runs/${res.body.runId}`);
      expect(first.body.steps[0].lastError).toMatchObject({ message: expect.stringContaining('failed with 403'), providerAnswer: expect.stringContaining('token revoked') });

      answer = '{"error":"forbidden: scope missing"}';
      expect((await operator(rt, 'POST', `/v1/runs/${res.body.runId}/steps/forward-event/retry`)).status).toBe(200);
      await eventually(async () => raised.length === 2, 20_000, 'the second alert');
      await runReaches(rt, 'E-AGAIN', res.body.runId, 'needs_attention');

      expect(new Set(raised.map((a) => a.alertId)).size).toBe(2);
      const open = (await operator(rt, 'GET', '/v1/alerts?status=open')).body.alerts.filter((a: Alert) => a.runId === res.body.runId);
      expect(open).toHaveLength(1);
      expect(open[0].providerAnswer).toContain('scope missing');
      const second = await operator(rt, 'GET', `/v1/runs/${res.body.runId}`);
      expect(second.body.steps[0]).toMatchObject({ status: 'needs_attention', alertId: open[0].alertId });
      expect(second.body.steps[0].lastError.providerAnswer).toContain('scope missing');
    } finally {
      await rt.stop();
      await target.close();
    }
  });
});
