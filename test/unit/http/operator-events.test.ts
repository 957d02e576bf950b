/**
 * POST /v1/operator/events: an event a person sends from the console, with their bearer token instead of the HR
 * signature. Approvers only; the HR route's contract, idempotency, guard and approval rules; the sender recorded.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { EngineDeps } from '../../../lambdas/engine/ports';
import { routeApi, type ApiDeps } from '../../../lambdas/http/api-routes';
import type { Caller } from '../../../lambdas/http/operator-auth';
import { HR_PURPOSE, signedHeaders } from '../../../lambdas/http/signature';
import { parseLifecycleEvent } from '../../../lambdas/engine/event-schema';
import { importEventId } from '../../../lambdas/engine/hire-import';
import { bodyHash, runIdFor } from '../../../lambdas/engine/ids';
import { hrBody } from '../../support/builders';
import { memoryEngine, type MemoryEngine } from '../../support/memory-engine';

const PATH = '/v1/operator/events';
const HR_KEY = 'hr-key';
const approver: Caller = { name: 'alice@corp.example', kind: 'person', groups: ['approver'] };
const operator: Caller = { name: 'ops@corp.example', kind: 'person', groups: ['operator'] };
const viewer: Caller = { name: 'hr@corp.example', kind: 'person', groups: ['viewer'] };

/** A leaver a few days after the memory engine's clock (2026-11-30 08:00 UTC). */
const leaver = (overrides: Record<string, unknown> = {}) => hrBody({ eventId: 'console-1', effectiveDate: '2026-12-04', ...overrides });

const bob: Caller = { name: 'bob@corp.example', kind: 'person', groups: ['approver'] };

/** Any operator route, as `caller`. */
async function call(engine: MemoryEngine, caller: Caller, method: string, path: string, body?: unknown) {
  const deps: ApiDeps = { engine: engine.deps, hrKeys: async () => ({ current: HR_KEY }), operator: () => caller };
  const [route, query] = path.split('?');
  const out = await routeApi(deps, {
    httpMethod: method,
    path: route,
    queryStringParameters: query ? Object.fromEntries(new URLSearchParams(query)) : null,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEvent);
  return { status: out.statusCode, body: JSON.parse(out.body) as Record<string, any> };
}

function api(engine: MemoryEngine, caller: Caller | undefined) {
  const deps: ApiDeps = { engine: engine.deps, hrKeys: async () => ({ current: HR_KEY }), operator: () => caller };
  const send = async (body: unknown, path = PATH, headers: Record<string, string> = {}) => {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const out = await routeApi(deps, { httpMethod: 'POST', path, headers: { 'Content-Type': 'application/json', ...headers }, body: raw, isBase64Encoded: false } as unknown as APIGatewayProxyEvent);
    return { status: out.statusCode, body: JSON.parse(out.body) as Record<string, any> };
  };
  return { send, fromHr: (body: unknown) => send(body, '/v1/events', signedHeaders(HR_KEY, HR_PURPOSE, JSON.stringify(body))) };
}

/** Nothing of the event is in the store: no event record, run, profile or audit entry, and nothing queued. */
async function expectNothingWritten(engine: MemoryEngine, eventId = 'console-1', employeeId = 'E100') {
  expect(await engine.store.getEvent(eventId)).toBeUndefined();
  expect(await engine.store.listRuns(employeeId)).toEqual([]);
  expect(await engine.store.getEmployee(employeeId)).toBeUndefined();
  expect(await engine.store.listAudit(employeeId)).toEqual([]);
  expect(engine.queue.sent).toEqual([]);
}

describe('POST /v1/operator/events: who may send', () => {
  it.each([
    ['viewer', viewer],
    ['operator', operator],
  ])('a person in %s gets 403 naming the permission send-event, and nothing is written', async (_group, caller) => {
    const engine = memoryEngine();
    const out = await api(engine, caller).send(leaver());
    expect(out).toEqual({
      status: 403,
      body: { error: `missing permission send-event: it needs group approver (${caller.name} is in: ${caller.groups.join(', ')})`, permission: 'send-event' },
    });
    await expectNothingWritten(engine);
  });

  it('needs a bearer token: an HR signature alone is not one', async () => {
    const engine = memoryEngine();
    const body = leaver();
    const out = await api(engine, undefined).send(body, PATH, signedHeaders(HR_KEY, HR_PURPOSE, JSON.stringify(body)));
    expect(out.status).toBe(401);
    await expectNothingWritten(engine);
  });
});

describe('POST /v1/operator/events: an approver sends an event', () => {
  it('creates the run as the HR route does (202 with the run summary), naming the sender on the run, and holds it for a second approver', async () => {
    const engine = memoryEngine();
    const out = await api(engine, approver).send(leaver());
    expect(out.status).toBe(202);
    expect(out.body).toMatchObject({ runId: expect.any(String), type: 'terminate', status: 'awaiting_approval', sentBy: 'alice@corp.example' });
    expect(out.body.approval).toMatchObject({ requiredBy: 'sent by alice@corp.example through the operator API: a second approver approves it' });
    expect(out.body.steps).toEqual([expect.objectContaining({ stepId: 'forward-event', status: 'pending' })]);
    const run = await engine.store.getRun('E100', out.body.runId);
    expect(run?.sentBy).toBe('alice@corp.example');
    expect(await engine.store.getEvent('console-1')).toMatchObject({ runId: out.body.runId, employeeId: 'E100' });
  });

  it('names the person as the actor of the audit entry that records the run, so an auditor sees it came from the console', async () => {
    const engine = memoryEngine();
    const out = await api(engine, approver).send(leaver());
    const [created] = await engine.store.listAudit('E100');
    expect(created).toMatchObject({
      runId: out.body.runId,
      actor: 'alice@corp.example',
      change: 'terminate run planned, from an event sent by alice@corp.example through the operator API, awaiting approval (sent by alice@corp.example through the operator API: a second approver approves it)',
      detail: expect.objectContaining({ eventId: 'console-1', sentBy: 'alice@corp.example' }),
    });
  });

  it('an HR event records neither: its actor stays hr-event and its run has no sentBy', async () => {
    const engine = memoryEngine();
    const out = await api(engine, undefined).fromHr(leaver({ eventId: 'hr-1' }));
    expect(out.status).toBe(202);
    expect(out.body.sentBy).toBeUndefined();
    expect((await engine.store.getRun('E100', out.body.runId))?.sentBy).toBeUndefined();
    expect((await engine.store.listAudit('E100'))[0]).toMatchObject({ actor: 'hr-event', change: 'terminate run planned' });
  });

  it('one approver alone locks nobody out: an urgent leaver from the console queues nothing until a second approver approves it', async () => {
    const engine = memoryEngine();
    const sent = await api(engine, approver).send(leaver({ urgent: true, effectiveDate: '2026-11-30' }));
    expect(sent.body.status).toBe('awaiting_approval');
    expect(engine.queue.sent).toEqual([]);
    const bob: Caller = { name: 'bob@corp.example', kind: 'person', groups: ['approver'] };
    const deps: ApiDeps = { engine: engine.deps, hrKeys: async () => ({ current: HR_KEY }), operator: () => bob };
    const body = JSON.stringify({ planHash: sent.body.approval.planHash });
    const approved = await routeApi(deps, { httpMethod: 'POST', path: `/v1/runs/${sent.body.runId}/approve`, headers: { 'Content-Type': 'application/json' }, body, isBase64Encoded: false } as unknown as APIGatewayProxyEvent);
    expect(approved.statusCode).toBe(200);
    expect(engine.queue.sent).toHaveLength(1);
    const audit = await engine.store.listAudit('E100');
    expect(audit.map((a) => [a.actor, a.to])).toEqual([
      ['alice@corp.example', 'awaiting_approval'],
      ['bob@corp.example', 'in_progress'],
      ['bob@corp.example', 'queued'],
    ]);
  });

  it('refuses an event id outside the console’s namespaces (HR’s ids stay HR’s) and a cancel, naming the field, and writes nothing', async () => {
    const engine = memoryEngine();
    const hrId = await api(engine, approver).send(leaver({ eventId: 'hr-7781' }));
    expect(hrId).toMatchObject({ status: 400, body: { issues: [{ path: 'eventId', message: expect.stringContaining('console-') }] } });
    await expectNothingWritten(engine, 'hr-7781');
    const cancel = await api(engine, approver).send({ eventId: 'console-9', type: 'cancel', cancels: 'hr-1' });
    expect(cancel).toMatchObject({ status: 400, body: { issues: [{ path: 'type', message: expect.stringContaining('/cancel') }] } });
    expect(await engine.store.getEvent('console-9')).toBeUndefined();
  });

  it('the same event again answers 200 with the first run; from HR too, since it is one event', async () => {
    const engine = memoryEngine();
    const first = await api(engine, approver).send(leaver());
    const again = await api(engine, { ...approver, name: 'bob@corp.example' }).send(leaver());
    expect(again).toEqual({ status: 200, body: first.body });
    expect((await api(engine, undefined).fromHr(leaver())).status).toBe(200);
    expect(await engine.store.listRuns('E100')).toHaveLength(1);
  });

  it('the same event id with another body is a 409, and changes nothing', async () => {
    const engine = memoryEngine();
    const first = await api(engine, approver).send(leaver());
    const out = await api(engine, approver).send(leaver({ effectiveDate: '2026-12-05' }));
    expect(out).toEqual({ status: 409, body: { error: 'event console-1 was already received with a different body' } });
    expect((await engine.store.getRun('E100', first.body.runId))?.effectiveDate).toBe('2026-12-04');
  });

  it.each([
    [{ effectiveDate: 'soon' }, 'effectiveDate'],
    [{ type: 'promotion' }, 'type'],
    [{ employee: { ...hrBody().employee, timezone: 'Mars/Olympus' } }, 'employee.timezone'],
    [{ eventId: '' }, 'eventId'],
  ])('refuses %j with 400 naming %s, and writes nothing', async (overrides, field) => {
    const engine = memoryEngine();
    const out = await api(engine, approver).send(leaver(overrides));
    expect(out.status).toBe(400);
    expect([...new Set(out.body.issues.map((i: { path: string }) => i.path))]).toEqual([field]);
    await expectNothingWritten(engine, (overrides as { eventId?: string }).eventId ?? 'console-1');
  });

  it('refuses a body that is not JSON, naming the body', async () => {
    const engine = memoryEngine();
    const out = await api(engine, approver).send('{"eventId":');
    expect(out.status).toBe(400);
    expect(out.body.issues).toEqual([{ path: '(body)', message: 'must be valid JSON' }]);
    await expectNothingWritten(engine);
  });

  it('holds a hire for approval under the stage’s rule, as an HR event would be held', async () => {
    const engine = memoryEngine({ settings: { approveHires: true } as Partial<EngineDeps['settings']> });
    const out = await api(engine, approver).send(leaver({ type: 'hire', eventId: 'console-hire-1', effectiveDate: '2026-12-10' }));
    expect(out.status).toBe(202);
    expect(out.body).toMatchObject({ status: 'awaiting_approval', approval: { requiredBy: 'sent by alice@corp.example through the operator API: a second approver approves it; stage setting approveHires' }, sentBy: 'alice@corp.example' });
  });

  it('needs a second person to approve it: the sender is refused with 409 and the run still waits; another approver approves', async () => {
    const engine = memoryEngine();
    const sent = await api(engine, approver).send(leaver({ type: 'hire', eventId: 'console-hire-2', effectiveDate: '2026-12-10' }));
    const approve = async (caller: Caller) => {
      const deps: ApiDeps = { engine: engine.deps, hrKeys: async () => ({ current: HR_KEY }), operator: () => caller };
      const path = `/v1/runs/${sent.body.runId}/approve`;
      const out = await routeApi(deps, { httpMethod: 'POST', path, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ planHash: sent.body.approval.planHash }), isBase64Encoded: false } as unknown as APIGatewayProxyEvent);
      return { status: out.statusCode, body: JSON.parse(out.body) as Record<string, any> };
    };
    const own = await approve(approver);
    expect(own.status).toBe(409);
    expect(own.body.error).toContain('another approver must approve');
    expect((await engine.store.listRuns('E100'))[0]).toMatchObject({ status: 'awaiting_approval' });
    const second = await approve({ name: 'bob@corp.example', kind: 'person', groups: ['approver'] });
    expect(second.status).toBe(200);
    expect(second.body.approval).toMatchObject({ decision: 'approved', decidedBy: 'bob@corp.example' });
  });

  it('knows the sender by their token’s subject: the same person under another name (user name, not email) is refused', async () => {
    const engine = memoryEngine();
    const alice: Caller = { ...approver, subject: 'sub-alice' };
    const sent = await api(engine, alice).send(leaver({ type: 'hire', eventId: 'console-hire-3', effectiveDate: '2026-12-10' }));
    expect(sent.status).toBe(202);
    expect((await engine.store.listRuns('E100'))[0]).toMatchObject({ sentBy: 'alice@corp.example', sentBySubject: 'sub-alice' });
    expect(await engine.store.getEvent('console-hire-3')).toMatchObject({ sentBy: 'alice@corp.example', sentBySubject: 'sub-alice' });
    const approveAs = (caller: Caller) => call(engine, caller, 'POST', `/v1/runs/${sent.body.runId}/approve`, { planHash: sent.body.approval.planHash });
    // Her access token names her by user name; her subject is the same.
    const sameSubject = await approveAs({ name: 'alice', kind: 'person', groups: ['approver'], subject: 'sub-alice' });
    expect(sameSubject.status).toBe(409);
    expect(sameSubject.body.error).toContain('another approver must approve');
    // Her address in other letters is her address.
    const otherCase = await approveAs({ name: 'Alice@Corp.Example', kind: 'person', groups: ['approver'] });
    expect(otherCase.status).toBe(409);
    expect((await engine.store.listRuns('E100'))[0]).toMatchObject({ status: 'awaiting_approval' });
    const other = await approveAs({ name: 'bob@corp.example', kind: 'person', groups: ['approver'], subject: 'sub-bob' });
    expect(other.status).toBe(200);
  });

  it('is counted by the mass-change guard like an HR event: past the threshold the run is quarantined', async () => {
    const engine = memoryEngine({ settings: { massChange: { threshold: 1, windowMinutes: 60 } } });
    await api(engine, undefined).fromHr(leaver({ eventId: 'hr-1', employee: { ...hrBody().employee, id: 'E1' } }));
    const out = await api(engine, approver).send(leaver({ eventId: 'console-2', employee: { ...hrBody().employee, id: 'E2' } }));
    expect(out.status).toBe(202);
    expect(out.body).toMatchObject({ status: 'quarantined', massChange: { held: true, threshold: 1 }, sentBy: 'alice@corp.example' });
    // Its sender releasing the quarantine is not a second person's approval: the run goes on waiting for one.
    const released = await call(engine, approver, 'POST', '/v1/quarantine/release', { count: 1 });
    expect(released.status).toBe(200);
    expect(await engine.store.getRun('E2', out.body.runId)).toMatchObject({ status: 'awaiting_approval', massChange: { decision: 'released' } });
    expect(engine.queue.sent).toEqual([]);
    const approved = await call(engine, bob, 'POST', `/v1/runs/${out.body.runId}/approve`, { planHash: out.body.approval.planHash });
    expect(approved.status).toBe(200);
    expect((await engine.store.getRun('E2', out.body.runId))?.status).not.toBe('awaiting_approval');
  });

  it('stops nothing HR planned before a second person looks: replacing a termination not yet started, or a rehire, is a 409 and changes nothing', async () => {
    const engine = memoryEngine();
    const hr = await api(engine, undefined).fromHr(leaver({ eventId: 'hr-1', effectiveDate: '2026-12-20' }));
    const replace = await api(engine, approver).send(leaver({ eventId: 'console-3', effectiveDate: '2026-12-04' }));
    expect(replace.status).toBe(409);
    expect(replace.body.error).toContain('cancel that run first');
    expect((await engine.store.getRun('E100', hr.body.runId))?.status).toBe('scheduled');
    expect(await engine.store.getEvent('console-3')).toBeUndefined();
    // The preview as the console sends it says the same, and writes nothing.
    const preview = await call(engine, approver, 'POST', '/v1/events/preview?from=console', leaver({ eventId: 'console-3', effectiveDate: '2026-12-04' }));
    expect(preview.status).toBe(409);
  });

  it('an import id is the CSV import’s id of that hire only: another body, another type or another person under it is a 400', async () => {
    const engine = memoryEngine();
    const hire = leaver({ type: 'hire', effectiveDate: '2026-12-10' });
    const id = importEventId('E100', '2026-12-10');
    expect((await api(engine, approver).send({ ...hire, eventId: id })).status).toBe(202);
    const other = await api(engine, approver).send(leaver({ eventId: importEventId('E100', '2026-12-04') }));
    expect(other).toMatchObject({ status: 400, body: { issues: [{ path: 'eventId' }] } });
    const made = await api(engine, approver).send({ ...hire, eventId: 'import-0123456789abcdef' });
    expect(made).toMatchObject({ status: 400, body: { issues: [{ path: 'eventId' }] } });
  });

  it('an import id of a leaver or mover is the CSV import’s id for that type, person and date; a hire’s id does not pass for their leaver', async () => {
    const engine = memoryEngine();
    const id = importEventId('E100', '2026-12-04', 'terminate');
    expect((await api(engine, approver).send(leaver({ eventId: id }))).status).toBe(202);
    const hireId = await api(engine, approver).send(leaver({ eventId: importEventId('E100', '2026-12-05'), effectiveDate: '2026-12-05' }));
    expect(hireId).toMatchObject({ status: 400, body: { issues: [{ path: 'eventId' }] } });
    const asMover = await api(engine, approver).send(leaver({ type: 'role_change', eventId: importEventId('E100', '2026-12-06', 'terminate'), effectiveDate: '2026-12-06' }));
    expect(asMover).toMatchObject({ status: 400, body: { issues: [{ path: 'eventId' }] } });
    const mover = await api(engine, approver).send(leaver({ type: 'role_change', eventId: importEventId('E101', '2026-12-06', 'role_change'), effectiveDate: '2026-12-06', employee: { ...leaver().employee, id: 'E101' } }));
    expect(mover.status).toBe(202);
  });

  it('a preview of an event id received with another body says it would be refused (409 without a run), not that it was received', async () => {
    const engine = memoryEngine();
    await api(engine, approver).send(leaver());
    const same = await call(engine, approver, 'POST', '/v1/events/preview?from=console', leaver());
    expect(same).toMatchObject({ status: 409, body: { runId: expect.any(String) } });
    const changed = await call(engine, approver, 'POST', '/v1/events/preview?from=console', leaver({ effectiveDate: '2026-12-05' }));
    expect(changed.status).toBe(409);
    expect(changed.body.runId).toBeUndefined();
    expect(changed.body.error).toContain('different body');
  });

  it('a repeat that finishes a run the first delivery left unbuilt holds it as the first sender’s, whoever repeats it', async () => {
    const engine = memoryEngine();
    // The first delivery (alice's, through the operator route) recorded the event and stopped before its run.
    const body = leaver();
    const parsed = parseLifecycleEvent(body, engine.deps.clock.now());
    if (!parsed.ok) throw new Error('the test body is valid');
    const record = { eventId: 'console-1', bodyHash: bodyHash(parsed.canonical), runId: runIdFor('console-1'), employeeId: 'E100', receivedAt: '2026-11-30T08:00:00.000Z', sentBy: 'alice@corp.example' };
    await engine.store.putEventIfAbsent(record);
    // HR happens to send the same event: the run is built as alice's, held for a second approver.
    const repeat = await api(engine, undefined).fromHr(body);
    expect(repeat.status).toBe(200);
    expect(await engine.store.getRun('E100', record.runId)).toMatchObject({ sentBy: 'alice@corp.example', status: 'awaiting_approval' });
    expect(engine.queue.sent).toEqual([]);
  });
});
