/** The HR API end to end: signed events in, runs and steps out, bad input changing nothing. */
import type { Runtime } from '../../local/runtime';
import { LOCAL_DEFAULTS } from '../../config/local-defaults';
import { forwardPurpose, HR_PURPOSE, signedHeaders } from '../../lambdas/http/signature';
import { addDays, zonedTimeToUtc } from '../../lambdas/engine/time';
import { daysFromToday, hrBody } from '../support/builders';
import { operator, postEvent, runReaches, SECRET, start } from '../support/harness';

let rt: Runtime;
beforeAll(async () => {
  rt = await start();
});
afterAll(async () => {
  await rt.stop();
});

const nothingWritten = async (employeeId: string) => {
  expect((await operator(rt, 'GET', `/v1/employees/${employeeId}`)).status).toBe(404);
};

describe('POST /v1/events', () => {
  it('an urgent terminate is planned, queued at once and forwarded, signed, to the downstream', async () => {
    const res = await postEvent(rt, hrBody({ eventId: 'urgent-1', urgent: true, employee: { ...hrBody().employee, id: 'E-URG' } }));
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ type: 'terminate', steps: [{ stepId: 'forward-event', action: 'forward.event', status: 'queued' }] });
    const run = await runReaches(rt, 'E-URG', res.body.runId, 'completed');
    expect(run.steps[0]).toMatchObject({ status: 'succeeded', attempts: 1 });
    const delivery = rt.downstream.deliveries.get(`${res.body.runId}:forward-event`);
    expect(delivery).toMatchObject({ times: 1, event: { eventId: 'urgent-1', urgent: true, employee: { id: 'E-URG' } } });
    const view = await operator(rt, 'GET', '/v1/employees/E-URG');
    expect(view.body.audit.map((a: { change: string }) => a.change)).toEqual(['terminate run planned', 'step queued', 'attempt 1 started', 'step succeeded']);
    expect(view.body.audit[3].detail.providerAnswer).toContain('answered 200');
  });

  it('a terminate for a later day waits for its cut-off', async () => {
    const later = daysFromToday(300);
    const res = await postEvent(rt, hrBody({ eventId: 'later-1', effectiveDate: later, employee: { ...hrBody().employee, id: 'E-LATER' } }));
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('scheduled');
    // The cut-off: midnight after the last day, in Berlin.
    expect(res.body.steps[0]).toMatchObject({ status: 'pending', dueAt: zonedTimeToUtc(addDays(later, 1), '00:00', 'Europe/Berlin').toISOString() });
    const sweep = await operator(rt, 'POST', '/v1/sweep');
    expect(sweep.body.stepsQueued).toBe(0);
  });

  it('an event that arrives after its effective date catches up at once', async () => {
    const res = await postEvent(rt, hrBody({ eventId: 'late-1', effectiveDate: daysFromToday(-30), employee: { ...hrBody().employee, id: 'E-LATE' } }));
    expect(res.status).toBe(202);
    expect(res.body.steps[0].status).toBe('queued');
    await runReaches(rt, 'E-LATE', res.body.runId, 'completed');
  });

  it('the same event again returns the first run and creates nothing', async () => {
    const body = hrBody({ eventId: 'dup-1', employee: { ...hrBody().employee, id: 'E-DUP' } });
    const first = await postEvent(rt, body);
    const again = await postEvent(rt, JSON.parse(JSON.stringify(body)));
    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.body.runId).toBe(first.body.runId);
    const view = await operator(rt, 'GET', '/v1/employees/E-DUP');
    expect(view.body.runs).toHaveLength(1);
  });

  it('the same event id with another body is a 409 and changes nothing', async () => {
    // Far ahead, so no step falls due and no worker changes the run between the two reads.
    const body = hrBody({ eventId: 'dup-2', effectiveDate: daysFromToday(400), employee: { ...hrBody().employee, id: 'E-DUP2' } });
    await postEvent(rt, body);
    const before = await operator(rt, 'GET', '/v1/employees/E-DUP2');
    const conflict = await postEvent(rt, { ...body, effectiveDate: daysFromToday(401) });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error).toContain('different body');
    expect(await operator(rt, 'GET', '/v1/employees/E-DUP2')).toEqual(before);
  });

  // Timestamps are taken when the case runs, not when the file loads: the runtime takes seconds to start.
  const inSeconds = (offset: number) => Math.floor(Date.now() / 1000) + offset;
  it.each([
    ['a wrong secret', () => ({ secret: 'not-the-secret' }), 'signature does not match'],
    ['a replayed request 10 minutes old', () => ({ timestamp: inSeconds(-600) }), 'more than 300 s old'],
    ['a timestamp 31 s ahead', () => ({ timestamp: inSeconds(31) }), 'more than 30 s ahead'],
    ["a forward's signature, made with the HR key's bytes", () => ({ purpose: forwardPurpose(LOCAL_DEFAULTS.downstreamName) }), 'signature does not match'],
  ])('rejects %s with 401 and writes nothing', async (_what, opts, message) => {
    const res = await postEvent(rt, hrBody({ eventId: `sig-${message.length}`, employee: { ...hrBody().employee, id: 'E-SIG' } }), opts());
    expect(res.status).toBe(401);
    expect(res.body.error).toContain(message);
    await nothingWritten('E-SIG');
  });

  it('a refused cancel sent again after its target arrived is still refused, and cancels nothing', async () => {
    const raw = JSON.stringify({ eventId: 'cancel-early-1', type: 'cancel', cancels: 'early-1' });
    const headers = { 'Content-Type': 'application/json', ...signedHeaders(SECRET, HR_PURPOSE, raw) };
    const early = await postEvent(rt, undefined, { raw, headers });
    expect(early.status).toBe(400);
    const target = await postEvent(rt, hrBody({ eventId: 'early-1', effectiveDate: daysFromToday(120), employee: { ...hrBody().employee, id: 'E-EARLY' } }));
    expect(target.status).toBe(202);
    const replay = await postEvent(rt, undefined, { raw, headers });
    expect(replay.status).toBe(409);
    expect(replay.body.error).toContain('refused before');
    const view = await operator(rt, 'GET', '/v1/employees/E-EARLY');
    expect(view.body.runs.map((r: { type: string; status: string }) => `${r.type}:${r.status}`)).toEqual(['terminate:scheduled']);
  });

  it('the sample receiver accepts only forwards signed for it with its own key', async () => {
    const raw = JSON.stringify({ eventId: 'direct-1' });
    const post = (headers: Record<string, string>) =>
      fetch(`${rt.emulatorUrl}/downstream/events`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Lifecycle-Delivery': 'direct-1', ...headers }, body: raw });
    const purpose = forwardPurpose(LOCAL_DEFAULTS.downstreamName);
    expect((await post(signedHeaders(SECRET, HR_PURPOSE, raw))).status).toBe(401);
    expect((await post(signedHeaders(SECRET, purpose, raw))).status).toBe(401);
    expect((await post(signedHeaders(LOCAL_DEFAULTS.downstreamKey, forwardPurpose('another-receiver'), raw))).status).toBe(401);
    expect((await post(signedHeaders(LOCAL_DEFAULTS.downstreamKey, purpose, raw))).status).toBe(200);
  });

  it('rejects an unsigned request with 401', async () => {
    const res = await fetch(`${rt.apiUrl}/v1/events`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(hrBody()) });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toContain('missing');
  });

  const bad = hrBody({ employee: { ...hrBody().employee, id: 'E-BAD' } });
  it.each([
    ['a bad email', { ...bad, employee: { ...bad.employee, email: 'ada-at-example' } }, 'employee.email'],
    ['an unknown type', { ...bad, type: 'promote' }, 'type'],
    ['an impossible date', { ...bad, effectiveDate: '2026-02-30' }, 'effectiveDate'],
    // 9999-12-31 plus a step's offset is past what a JavaScript date holds: refused before planning, not a 500.
    ['a terminate dated 9999-12-31', { ...bad, effectiveDate: '9999-12-31' }, 'effectiveDate'],
    ['a hire dated 9999-12-31', { ...bad, type: 'hire', effectiveDate: '9999-12-31' }, 'effectiveDate'],
    ['a terminate over a year back', { ...bad, effectiveDate: daysFromToday(-400) }, 'effectiveDate'],
    ['a hire over two years ahead', { ...bad, type: 'hire', effectiveDate: daysFromToday(740) }, 'effectiveDate'],
    ['an ANSI escape in the first name', { ...bad, employee: { ...bad.employee, firstName: '\u001b]0;pwned\u0007Ada' } }, 'employee.firstName'],
    ['a line break in the last name', { ...bad, employee: { ...bad.employee, lastName: 'Lovelace\r\nX-Injected: 1' } }, 'employee.lastName'],
    ['a bidi override in the role', { ...bad, employee: { ...bad.employee, role: 'support\u202eagent' } }, 'employee.role'],
    ['an unknown time zone', { ...bad, employee: { ...bad.employee, timezone: 'Europe/Atlantis' } }, 'employee.timezone'],
    ['a missing employee id', { ...bad, employee: { ...bad.employee, id: undefined } }, 'employee.id'],
  ])('rejects %s with 400 naming the field, and writes nothing', async (_what, body, path) => {
    const res = await postEvent(rt, body);
    expect(res.status).toBe(400);
    expect(res.body.issues.map((i: { path: string }) => i.path)).toContain(path);
    expect(res.body.error).toContain(path);
    await nothingWritten('E-BAD');
  });

  it('rejects a body over 64 KB', async () => {
    const res = await postEvent(rt, { ...bad, padding: 'x'.repeat(70 * 1024) });
    expect(res.status).toBe(400);
    expect(res.body.issues[0]).toEqual({ path: '(body)', message: 'must be at most 65536 bytes' });
    await nothingWritten('E-BAD');
  });

  it('rejects a wrong content type', async () => {
    const res = await postEvent(rt, bad, { contentType: 'text/plain' });
    expect(res.status).toBe(400);
    expect(res.body.issues[0].path).toBe('content-type');
    await nothingWritten('E-BAD');
  });

  it('rejects a body that is not JSON', async () => {
    const res = await postEvent(rt, undefined, { raw: '{"eventId":' });
    expect(res.status).toBe(400);
    expect(res.body.issues[0]).toEqual({ path: '(body)', message: 'must be valid JSON' });
  });
});

describe('cancel events', () => {
  it('a cancel stops the steps of the event it names', async () => {
    const target = await postEvent(rt, hrBody({ eventId: 'to-cancel', effectiveDate: daysFromToday(200), employee: { ...hrBody().employee, id: 'E-CANCEL' } }));
    const res = await postEvent(rt, { eventId: 'cancel-1', type: 'cancel', cancels: 'to-cancel' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ type: 'cancel', status: 'completed', cancelsRunId: target.body.runId });
    const view = await operator(rt, 'GET', '/v1/employees/E-CANCEL');
    const cancelled = view.body.runs.find((r: { runId: string }) => r.runId === target.body.runId);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.steps[0].status).toBe('cancelled');
    expect(cancelled.dueAt).toBeUndefined();
  });

  it('a hire of someone whose termination has not run yet is refused until HR cancels the termination', async () => {
    const employee = { ...hrBody().employee, id: 'E-STAYS' };
    const leaving = await postEvent(rt, hrBody({ eventId: 'stays-leave', effectiveDate: daysFromToday(230), employee }));
    const refused = await postEvent(rt, hrBody({ eventId: 'stays-hire', type: 'hire', effectiveDate: daysFromToday(231), employee }));
    expect(refused.status).toBe(409);
    expect(refused.body.error).toContain(`a termination (run ${leaving.body.runId}, event stays-leave) that has not run yet`);
    expect(await rt.engine.store.getEvent('stays-hire')).toBeUndefined();
    // HR cancels the termination; a new hire event is then an ordinary hire, restoring nothing.
    expect((await postEvent(rt, { eventId: 'stays-cancel', type: 'cancel', cancels: 'stays-leave' })).status).toBe(202);
    const res = await postEvent(rt, hrBody({ eventId: 'stays-hire-2', type: 'hire', effectiveDate: daysFromToday(231), employee }));
    expect(res.status).toBe(202);
    expect(res.body.restoresRunId).toBeUndefined();
    const view = await operator(rt, 'GET', '/v1/employees/E-STAYS');
    expect(view.body.runs.find((r: { runId: string }) => r.runId === leaving.body.runId)).toMatchObject({ status: 'cancelled' });
  });

  it('a cancel of an unknown event is a 400 naming cancels, and writes nothing', async () => {
    const res = await postEvent(rt, { eventId: 'cancel-2', type: 'cancel', cancels: 'never-sent' });
    expect(res.status).toBe(400);
    expect(res.body.issues[0]).toEqual({ path: 'cancels', message: 'no event never-sent was received' });
    // Signed anew (another timestamp), it is judged again; the very same signed request is a replay (see the replay memory).
    const again = await postEvent(rt, { eventId: 'cancel-2', type: 'cancel', cancels: 'never-sent' }, { timestamp: Math.floor(Date.now() / 1000) - 30 });
    expect(again.status).toBe(400);
  });
});

describe('operator endpoints', () => {
  it.each([
    ['GET', '/v1/employees/E-URG'],
    ['GET', '/v1/runs'],
    ['GET', '/v1/alerts'],
    ['POST', '/v1/sweep'],
  ])('%s %s needs the operator token', async (method, path) => {
    expect((await operator(rt, method, path, undefined, 'wrong')).status).toBe(401);
  });

  it('health is open', async () => {
    expect(await (await fetch(`${rt.apiUrl}/health`)).json()).toEqual({ status: 'ok' });
  });

  it('lists runs by status and rejects an unknown status', async () => {
    const scheduled = await operator(rt, 'GET', '/v1/runs?status=scheduled');
    expect(scheduled.body.runs.map((r: { eventId: string }) => r.eventId)).toContain('later-1');
    expect((await operator(rt, 'GET', '/v1/runs?status=bogus')).status).toBe(400);
  });

  it('cancels a run by id, and answers 404 for an unknown one', async () => {
    const res = await postEvent(rt, hrBody({ eventId: 'op-cancel', effectiveDate: daysFromToday(231), employee: { ...hrBody().employee, id: 'E-OPC' } }));
    const cancelled = await operator(rt, 'POST', `/v1/runs/${res.body.runId}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect((await operator(rt, 'POST', '/v1/runs/nope/cancel')).status).toBe(404);
  });

  it('skips a pending step and refuses to retry one that does not need attention', async () => {
    const res = await postEvent(rt, hrBody({ eventId: 'op-skip', effectiveDate: daysFromToday(231), employee: { ...hrBody().employee, id: 'E-OPS' } }));
    const retry = await operator(rt, 'POST', `/v1/runs/${res.body.runId}/steps/forward-event/retry`);
    expect(retry.status).toBe(409);
    const skipped = await operator(rt, 'POST', `/v1/runs/${res.body.runId}/steps/forward-event/skip`);
    expect(skipped.status).toBe(200);
    expect(skipped.body).toMatchObject({ status: 'completed', steps: [{ status: 'skipped' }] });
  });
});
