/**
 * Events that meet something already on record: a second termination of the same employee, a profile that later
 * events must not wipe, and hires or bodies refused before anything is written.
 */
import type { Runtime } from '../../local/runtime';
import type { Run } from '../../lambdas/engine/model';
import { parsePlaybooks } from '../../config/playbooks';
import { receiverWithKey } from '../../lambdas/actions/forward/forward-receivers';
import { daysFromToday, hrBody } from '../support/builders';
import { operator, postEvent, runReaches, start } from '../support/harness';
import { startTarget } from '../support/http-target';

/** A hire mails the welcome link (due on the first day, so never run here); a termination forwards the event. */
const playbooks = parsePlaybooks({
  hire: { steps: [{ id: 'welcome-email', action: 'google.sendWelcomeEmail', offsetDays: 0, at: '09:00' }] },
  role_change: { steps: [{ id: 'forward-event', action: 'forward.event' }] },
  terminate: { steps: [{ id: 'forward-event', action: 'forward.event', cutoff: true }] },
});

let rt: Runtime;
let target: Awaited<ReturnType<typeof startTarget>>;
beforeAll(async () => {
  // The receiver refuses the events of E-STARTED, so that termination starts and then waits for an operator.
  target = await startTarget((req, _n, res) => {
    const refused = req.body.includes('E-STARTED');
    res.writeHead(refused ? 403 : 200, { 'Content-Type': 'application/json' });
    res.end(refused ? '{"error":"forbidden"}' : '{"ok":true}');
  });
  rt = await start({ playbooks, forwardTo: [receiverWithKey('target', target.url, 'target-key')] });
});
afterAll(async () => {
  await rt.stop();
  await target.close();
});

const employee = (id: string, extra: Record<string, unknown> = {}) => ({ ...hrBody().employee, id, ...extra });
const terminationsOf = async (employeeId: string): Promise<Run[]> => (await rt.engine.store.listRuns(employeeId)).filter((r) => r.type === 'terminate');

describe('a second termination of an employee whose termination is in progress', () => {
  it('with the same content under another event id answers the run in progress and starts nothing', async () => {
    const first = await postEvent(rt, hrBody({ eventId: 'same-1', effectiveDate: daysFromToday(60), employee: employee('E-SAME') }));
    const again = await postEvent(rt, hrBody({ eventId: 'same-2', effectiveDate: daysFromToday(60), employee: employee('E-SAME') }));
    expect(again.status).toBe(200);
    expect(again.body.runId).toBe(first.body.runId);
    expect(await terminationsOf('E-SAME')).toHaveLength(1);
    // The same again under the second id is still that run.
    expect((await postEvent(rt, hrBody({ eventId: 'same-2', effectiveDate: daysFromToday(60), employee: employee('E-SAME') }), { timestamp: Math.floor(Date.now() / 1000) - 5 })).body.runId).toBe(first.body.runId);
  });

  it('supersedes one that has not started any step: the earlier run is cancelled and its audit says why', async () => {
    const first = await postEvent(rt, hrBody({ eventId: 'moved-1', effectiveDate: daysFromToday(60), employee: employee('E-MOVED') }));
    const second = await postEvent(rt, hrBody({ eventId: 'moved-2', effectiveDate: daysFromToday(30), employee: employee('E-MOVED') }));
    expect(second.status).toBe(202);
    expect(second.body.runId).not.toBe(first.body.runId);
    const runs = await terminationsOf('E-MOVED');
    expect(runs.find((r) => r.runId === first.body.runId)).toMatchObject({ status: 'cancelled' });
    expect(runs.filter((r) => r.status !== 'cancelled').map((r) => r.runId)).toEqual([second.body.runId]);
    const audit = await rt.engine.store.listAudit('E-MOVED');
    expect(audit.find((a) => a.runId === first.body.runId && a.to === 'cancelled')?.change).toBe(
      'run superseded by the termination of event moved-2, sent before any of its steps had started',
    );
  });

  it('refuses with 409 naming the run when one has started, until HR cancels it', async () => {
    const first = await postEvent(rt, hrBody({ eventId: 'started-1', urgent: true, effectiveDate: daysFromToday(0), employee: employee('E-STARTED') }));
    await runReaches(rt, 'E-STARTED', first.body.runId, 'needs_attention');
    const second = await postEvent(rt, hrBody({ eventId: 'started-2', effectiveDate: daysFromToday(3), employee: employee('E-STARTED') }));
    expect(second.status).toBe(409);
    expect(second.body.error).toContain(`termination in progress (run ${first.body.runId}, event started-1)`);
    expect(second.body.error).toContain('send a cancel of event started-1 first');
    expect(await terminationsOf('E-STARTED')).toHaveLength(1);
    expect(await rt.engine.store.getEvent('started-2')).toBeUndefined();

    const alertsOf = async (status: string) => ((await operator(rt, 'GET', `/v1/alerts?status=${status}`)).body.alerts as { runId: string; resolution?: string }[]).filter((a) => a.runId === first.body.runId);
    expect(await alertsOf('open')).toHaveLength(1);
    expect((await postEvent(rt, { eventId: 'started-cancel', type: 'cancel', cancels: 'started-1' })).status).toBe(202);
    // Nothing is left to act on: the cancelled run's alert is resolved, saying why.
    expect(await alertsOf('open')).toEqual([]);
    expect(await alertsOf('resolved')).toEqual([expect.objectContaining({ resolution: 'run cancelled by event started-cancel (hr-event)' })]);
    const third = await postEvent(rt, hrBody({ eventId: 'started-3', effectiveDate: daysFromToday(3), employee: employee('E-STARTED') }));
    expect(third.status).toBe(202);
  });
});

describe('the employee profile', () => {
  it('keeps what a later event leaves out, and keeps addresses as given with the domain lower-cased', async () => {
    const hire = await postEvent(rt, hrBody({ eventId: 'curie-hire', type: 'hire', effectiveDate: daysFromToday(20), employee: employee('E-CURIE', { email: 'MCurie@Example.COM' }) }));
    expect(hire.status).toBe(202);
    const { role: _r, personalEmail: _p, ...bare } = employee('E-CURIE', { email: 'MCurie@EXAMPLE.com' });
    expect((await postEvent(rt, { eventId: 'curie-leave', type: 'terminate', effectiveDate: daysFromToday(40), employee: bare })).status).toBe(202);
    const view = await operator(rt, 'GET', '/v1/employees/E-CURIE');
    expect(view.body.employee).toMatchObject({ email: 'MCurie@example.com', role: hrBody().employee.role, personalEmail: hrBody().employee.personalEmail });
  });
});

describe('refused before anything is written', () => {
  it('a hire without a personal email, when its plan mails the welcome link, is a 400 naming employee.personalEmail', async () => {
    const { personalEmail: _p, ...noPersonal } = employee('E-NOPERSONAL');
    const res = await postEvent(rt, hrBody({ eventId: 'nopersonal-hire', type: 'hire', effectiveDate: daysFromToday(20), employee: noPersonal }));
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([{ path: 'employee.personalEmail', message: expect.stringContaining('step welcome-email mails the one-time password link') }]);
    expect((await operator(rt, 'GET', '/v1/employees/E-NOPERSONAL')).status).toBe(404);
    expect(await rt.engine.store.getEvent('nopersonal-hire')).toBeUndefined();
  });

  it('a body without a type names every other missing field too', async () => {
    const res = await postEvent(rt, { eventId: 'typeless-1' });
    expect(res.status).toBe(400);
    expect(res.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['effectiveDate', 'employee', 'type']);
    const { effectiveDate: _d, type: _t, ...partial } = hrBody({ eventId: 'typeless-2' });
    const named = await postEvent(rt, partial);
    expect(named.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['effectiveDate', 'type']);
  });
});
