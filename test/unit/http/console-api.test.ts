/** The routes the operator console reads: who is signed in, the steps coming up, runs filtered and paged, and an event's plan before it is sent. */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { parsePlaybooks } from '../../../config/playbooks';
import type { PlannedEvent, Run } from '../../../lambdas/engine/model';
import type { EngineDeps } from '../../../lambdas/engine/ports';
import { routeApi, type ApiDeps } from '../../../lambdas/http/api-routes';
import { callerFromClaims, type Caller } from '../../../lambdas/http/operator-auth';
import type { LifecycleStore } from '../../../lambdas/store/lifecycle-store';
import { hrBody, terminateEvent } from '../../support/builders';
import { memoryEngine, type MemoryEngine } from '../../support/memory-engine';
import { parseLifecycleEvent } from '../../../lambdas/engine/event-schema';
import { intake } from '../../../lambdas/engine/intake';
import { accept } from '../engine/engine-fixtures';
import { catalogOf, role } from '../roles/role-fixtures';

const viewer: Caller = { name: 'hr@corp.example', kind: 'person', groups: ['viewer'] };

/** Every store call, by method name, so a test can say what a route read and that it wrote nothing. */
function recording(store: LifecycleStore): { store: LifecycleStore; calls: string[] } {
  const calls: string[] = [];
  const proxy = new Proxy(store, {
    get(target, name: string) {
      const value = (target as unknown as Record<string, unknown>)[name];
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(name);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: proxy, calls };
}

const READS = new Set(['getEvent', 'getEmployee', 'getRun', 'findRun', 'listRuns', 'listRunsByStatus', 'listAllRunsByStatus', 'pageRunsByStatus', 'queryDue', 'listAudit', 'listAlerts', 'getCredential', 'findByRevealToken', 'findRefusal', 'massChangeCount', 'getMassChangeBatch']);

function api(engine: MemoryEngine, caller: Caller | null = viewer) {
  const rec = recording(engine.store);
  const deps: ApiDeps = { engine: { ...engine.deps, store: rec.store }, hrKeys: async () => ({ current: 'hr-key' }), operator: () => caller ?? undefined };
  const call = async (method: string, path: string, query?: Record<string, string>, body?: unknown) => {
    const out = await routeApi(deps, {
      httpMethod: method,
      path,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      queryStringParameters: query ?? null,
      body: body === undefined ? null : JSON.stringify(body),
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEvent);
    return { status: out.statusCode, body: JSON.parse(out.body) as Record<string, any> };
  };
  return { call, calls: rec.calls };
}

describe('GET /v1/me', () => {
  it('answers who is signed in, their groups, and every permission those groups give, so the console shows only their buttons', async () => {
    const caller = callerFromClaims({ sub: '7f3a-11', email: 'jane@corp.example', 'cognito:groups': 'operator,approver' })!;
    const { call } = api(memoryEngine(), caller);
    expect(await call('GET', '/v1/me')).toEqual({
      status: 200,
      body: {
        subject: '7f3a-11',
        name: 'jane@corp.example',
        kind: 'person',
        groups: ['operator', 'approver'],
        permissions: ['read', 'retry', 'skip', 'cancel', 'sweep', 'confirm-account', 'replan', 'approve', 'reject', 'quarantine-release', 'quarantine-reject', 'send-event'],
      },
    });
  });

  it('a viewer may read and nothing else; a token without a subject is named by its name', async () => {
    const { call } = api(memoryEngine(), viewer);
    expect((await call('GET', '/v1/me')).body).toEqual({ subject: 'hr@corp.example', name: 'hr@corp.example', kind: 'person', groups: ['viewer'], permissions: ['read'] });
  });

  it('needs a credential like every operator route', async () => {
    const { call } = api(memoryEngine(), null);
    expect((await call('GET', '/v1/me')).status).toBe(401);
  });
});

/** A hire playbook with two steps a day apart: the run's due index holds only the first. */
const TWO_STEP_PLAYBOOKS = parsePlaybooks({
  hire: {
    steps: [
      { id: 'prepare', action: 'forward.event', offsetDays: -1, at: '09:00' },
      { id: 'first-day', action: 'forward.event', offsetDays: 0, at: '09:00', after: ['prepare'] },
    ],
  },
  role_change: { steps: [{ id: 'forward-event', action: 'forward.event' }] },
  terminate: { steps: [{ id: 'forward-event', action: 'forward.event', cutoff: true }] },
});

const employee = (id: string, firstName = 'Ada') => ({ ...terminateEvent().employee, id, firstName, personalEmail: `${id.toLowerCase()}@home.example` });
const hireOf = (id: string, effectiveDate: string, firstName?: string): PlannedEvent => terminateEvent({ type: 'hire', eventId: `hire-${id}`, effectiveDate, employee: employee(id, firstName) });
const leaverOf = (id: string, effectiveDate: string): PlannedEvent => terminateEvent({ eventId: `leave-${id}`, effectiveDate, employee: employee(id) });

describe('GET /v1/upcoming', () => {
  // The memory engine's clock: 2026-11-30 08:00 UTC.
  let engine: MemoryEngine;
  beforeEach(async () => {
    engine = memoryEngine({ deps: { playbooks: TWO_STEP_PLAYBOOKS } });
    await accept(engine, hireOf('E1', '2026-12-10', 'Grace'));
    await accept(engine, leaverOf('E2', '2026-12-03'));
    await accept(engine, leaverOf('E3', '2027-02-15'));
    // Its first step falls on the window's last instant, its second the day after.
    await accept(engine, hireOf('E4', '2026-12-31'));
  });

  it('lists the pending steps due in the next 30 days across runs, earliest first, every step of a run inside the window', async () => {
    const { call } = api(engine);
    const out = await call('GET', '/v1/upcoming');
    expect(out.status).toBe(200);
    expect(out.body.from).toBe('2026-11-30T08:00:00.000Z');
    expect(out.body.to).toBe('2026-12-30T08:00:00.000Z');
    expect(out.body.steps.map((s: { employeeId: string; stepId: string }) => `${s.employeeId}/${s.stepId}`)).toEqual(['E2/forward-event', 'E1/prepare', 'E1/first-day', 'E4/prepare']);
    expect(out.body.steps[1]).toEqual({
      employeeId: 'E1',
      employeeName: 'Grace Lovelace',
      timezone: 'Europe/Berlin',
      runId: expect.any(String),
      type: 'hire',
      stepId: 'prepare',
      action: 'forward.event',
      dueAt: '2026-12-09T08:00:00.000Z',
      status: 'pending',
    });
  });

  it('takes the window in days, up to 90', async () => {
    const { call } = api(engine);
    expect((await call('GET', '/v1/upcoming', { days: '5' })).body.steps.map((s: { employeeId: string }) => s.employeeId)).toEqual(['E2']);
    expect((await call('GET', '/v1/upcoming', { days: '90' })).body.steps.map((s: { employeeId: string }) => s.employeeId)).toEqual(['E2', 'E1', 'E1', 'E4', 'E4', 'E3']);
  });

  it('reads only the due index: no listing of runs by status or employee, and nothing written', async () => {
    const { call, calls } = api(engine);
    await call('GET', '/v1/upcoming', { days: '90' });
    expect([...new Set(calls)]).toEqual(['queryDue']);
  });

  it.each(['0', '91', 'abc', '1.5', ''])('refuses days=%j naming the field', async (days) => {
    const { call } = api(engine);
    const out = await call('GET', '/v1/upcoming', { days });
    expect(out.status).toBe(400);
    expect(out.body.issues).toEqual([{ path: 'days', message: 'must be a whole number from 1 to 90' }]);
  });
});

describe('GET /v1/runs', () => {
  let engine: MemoryEngine;
  beforeEach(async () => {
    engine = memoryEngine({ deps: { playbooks: TWO_STEP_PLAYBOOKS } });
    for (let i = 1; i <= 7; i++) {
      await accept(engine, leaverOf(`L${i}`, `2026-12-${String(i + 1).padStart(2, '0')}`));
      engine.clock.advance(1000);
    }
    await accept(engine, hireOf('H1', '2026-12-05'));
    engine.clock.advance(1000);
    await accept(engine, terminateEvent({ type: 'role_change', eventId: 'move-H1', effectiveDate: '2027-01-10', employee: employee('H1') }));
  });

  const ids = (runs: Run[]) => runs.map((r) => r.employeeId);

  it('keeps its default: the runs that need attention, in { runs }', async () => {
    const { call } = api(engine);
    expect(await call('GET', '/v1/runs')).toEqual({ status: 200, body: { runs: [] } });
  });

  it('filters on status, type and the effective date (both ends included), newest update first', async () => {
    const { call } = api(engine);
    const out = await call('GET', '/v1/runs', { status: 'scheduled', type: 'terminate', from: '2026-12-03', to: '2026-12-05' });
    expect(out.status).toBe(200);
    expect(ids(out.body.runs)).toEqual(['L4', 'L3', 'L2']);
    expect(out.body.next).toBeUndefined();
    expect(ids((await call('GET', '/v1/runs', { status: 'scheduled', type: 'hire' })).body.runs)).toEqual(['H1']);
    expect(ids((await call('GET', '/v1/runs', { status: 'scheduled', from: '2026-12-08' })).body.runs)).toEqual(['H1', 'L7']);
  });

  it('pages with limit and next: every run once, none skipped, also when the filter keeps few of those read', async () => {
    const { call } = api(engine);
    for (const filter of [{}, { type: 'hire' }, { from: '2026-12-04' }, { type: 'terminate', to: '2026-12-05' }] as Record<string, string>[]) {
      const seen: string[] = [];
      let next: string | undefined;
      let pages = 0;
      do {
        const out = await call('GET', '/v1/runs', { status: 'scheduled', limit: '2', ...filter, ...(next ? { next } : {}) });
        expect(out.status).toBe(200);
        expect(out.body.runs.length).toBeLessThanOrEqual(2);
        seen.push(...out.body.runs.map((r: Run) => r.runId));
        next = out.body.next;
        pages += 1;
      } while (next && pages < 20);
      const all = (await call('GET', '/v1/runs', { status: 'scheduled', limit: '100', ...filter })).body.runs.map((r: Run) => r.runId);
      expect(seen).toEqual(all);
      expect(new Set(seen).size).toBe(seen.length);
    }
  });

  it('lists one employee, every status unless one is named, paged the same way', async () => {
    const { call } = api(engine);
    const out = await call('GET', '/v1/runs', { employee: 'H1' });
    expect(out.body.runs.map((r: Run) => r.type)).toEqual(['role_change', 'hire']);
    const first = await call('GET', '/v1/runs', { employee: 'H1', limit: '1' });
    expect(first.body.runs.map((r: Run) => r.type)).toEqual(['role_change']);
    const second = await call('GET', '/v1/runs', { employee: 'H1', limit: '1', next: first.body.next });
    expect(second.body).toEqual({ runs: [expect.objectContaining({ type: 'hire' })] });
    expect((await call('GET', '/v1/runs', { employee: 'H1', type: 'hire' })).body.runs).toHaveLength(1);
    expect((await call('GET', '/v1/runs', { employee: 'H1', status: 'needs_attention' })).body.runs).toEqual([]);
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '101' }, 'limit'],
    [{ type: 'promotion' }, 'type'],
    [{ status: 'done' }, 'status'],
    [{ from: '2026-13-01' }, 'from'],
    [{ to: '2026-02-30' }, 'to'],
    [{ from: '2026-12-05', to: '2026-12-01' }, 'to'],
    [{ next: 'not-a-cursor' }, 'next'],
    [{ next: Buffer.from(JSON.stringify({ c: { PK: 'x' } })).toString('base64url') }, 'next'],
    [{ employee: 'H1', next: Buffer.from(JSON.stringify({ c: {} })).toString('base64url') }, 'next'],
    [{ sort: 'asc' }, 'sort'],
  ])('refuses %j naming %s', async (query, field) => {
    const { call } = api(engine);
    const out = await call('GET', '/v1/runs', query as Record<string, string>);
    expect(out.status).toBe(400);
    expect(out.body.issues.map((i: { path: string }) => i.path)).toEqual([field]);
  });

  it('a cursor of one status is refused on another', async () => {
    const { call } = api(engine);
    const { next } = (await call('GET', '/v1/runs', { status: 'scheduled', limit: '1' })).body;
    const out = await call('GET', '/v1/runs', { status: 'completed', next });
    expect(out.status).toBe(400);
    expect(out.body.issues[0].path).toBe('next');
  });
});

describe('POST /v1/events/preview', () => {
  const catalog = catalogOf([
    role('employee', undefined, { 'Google OU': '/Staff', Groups: ['all-staff@example.com'] }),
    role('agent', 'employee', { Groups: ['support@example.com'] }),
    role('engineer', 'employee', { Groups: ['eng@example.com'] }),
  ]);
  const rolePlaybooks = parsePlaybooks({
    hire: {
      role: { offsetDays: -1, at: '09:00', after: ['create-user'] },
      steps: [{ id: 'create-user', action: 'google.createUser', offsetDays: -1, at: '09:00' }],
    },
    role_change: { role: { offsetDays: 0, at: '00:00' }, steps: [{ id: 'forward-event', action: 'forward.event' }] },
    terminate: { steps: [{ id: 'forward-event', action: 'forward.event', cutoff: true }] },
  });
  const withRoles = () => memoryEngine({ deps: { playbooks: rolePlaybooks, roles: { catalog: { load: async () => catalog } } } as Partial<EngineDeps> });
  const hireBody = (overrides: Record<string, unknown> = {}) => hrBody({ eventId: 'hire-p1', type: 'hire', effectiveDate: '2026-12-10', employee: { ...hrBody().employee, id: 'P1', role: 'agent' }, ...overrides });

  it('answers the plan a hire would make, with due dates and the role resolved, and writes nothing', async () => {
    const engine = withRoles();
    const { call, calls } = api(engine);
    const out = await call('POST', '/v1/events/preview', undefined, hireBody());
    expect(out.status).toBe(200);
    expect(out.body).toMatchObject({ type: 'hire', employeeId: 'P1', status: 'scheduled', role: { name: 'agent', resolved: { name: 'agent' } } });
    expect(out.body.steps.map((s: { stepId: string; dueAt: string }) => [s.stepId, s.dueAt])).toEqual(
      expect.arrayContaining([['create-user', '2026-12-09T08:00:00.000Z']]),
    );
    expect(out.body.steps.length).toBeGreaterThan(1);
    expect(calls.filter((c) => !READS.has(c))).toEqual([]);
    expect(engine.queue.sent).toEqual([]);
    expect(engine.published).toEqual([]);
    expect(await engine.store.getEvent('hire-p1')).toBeUndefined();
    expect(await engine.store.listRuns('P1')).toEqual([]);
    expect(await engine.store.getEmployee('P1')).toBeUndefined();
  });

  it('answers a mover the access added, removed and kept between the role held and the new one', async () => {
    const engine = withRoles();
    await accept(engine, { ...(hireBody() as unknown as PlannedEvent), urgent: false });
    const { call, calls } = api(engine);
    const out = await call('POST', '/v1/events/preview', undefined, hrBody({ eventId: 'move-p1', type: 'role_change', effectiveDate: '2026-12-20', employee: { ...hrBody().employee, id: 'P1', role: 'engineer' } }));
    expect(out.status).toBe(200);
    expect(out.body.role.previous).toEqual({ name: 'agent', runId: expect.any(String) });
    expect(out.body.diff.lists.googleGroups).toMatchObject({
      added: [{ value: 'eng@example.com' }],
      removed: [{ value: 'support@example.com' }],
      kept: [{ value: 'all-staff@example.com' }],
    });
    expect(out.body.moverDiff).toMatchObject({
      from: 'agent',
      to: 'engineer',
      previousKnown: true,
      added: [{ field: 'googleGroups', kind: 'list', value: 'eng@example.com', grantedBy: 'engineer' }],
      removed: [{ field: 'googleGroups', kind: 'list', value: 'support@example.com', grantedBy: 'agent' }],
      graceDate: '2026-12-27',
    });
    expect(calls.filter((c) => !READS.has(c))).toEqual([]);
    expect(await engine.store.getEvent('move-p1')).toBeUndefined();
  });

  it('GET /v1/runs/{runId} of the mover, once sent, shows the same diff and grace date', async () => {
    const engine = withRoles();
    await accept(engine, { ...(hireBody() as unknown as PlannedEvent), urgent: false });
    const moved = await accept(engine, { ...(hrBody({ eventId: 'move-p1', type: 'role_change', effectiveDate: '2026-12-20', employee: { ...hrBody().employee, id: 'P1', role: 'engineer' } }) as unknown as PlannedEvent) });
    const out = await api(engine).call('GET', `/v1/runs/${moved.runId}`);
    expect(out.status).toBe(200);
    expect(out.body.moverDiff).toEqual({
      from: 'agent',
      fromRunId: moved.role?.previous?.runId,
      to: 'engineer',
      previousKnown: true,
      added: [{ field: 'googleGroups', label: 'Google groups', kind: 'list', value: 'eng@example.com', grantedBy: 'engineer' }],
      removed: [{ field: 'googleGroups', label: 'Google groups', kind: 'list', value: 'support@example.com', grantedBy: 'agent' }],
      kept: [
        { field: 'googleOrgUnit', label: 'Google org unit', kind: 'single', value: '/Staff', grantedBy: 'employee' },
        { field: 'googleGroups', label: 'Google groups', kind: 'list', value: 'all-staff@example.com', grantedBy: 'employee' },
      ],
      removalsDueAt: '2026-12-26T23:00:00.000Z',
      graceDate: '2026-12-27',
    });
  });

  it('needs no HR signature but an operator credential', async () => {
    const { call } = api(withRoles(), null);
    expect((await call('POST', '/v1/events/preview', undefined, hireBody())).status).toBe(401);
  });

  it('refuses an invalid event naming the field, as POST /v1/events does', async () => {
    const { call } = api(withRoles());
    const out = await call('POST', '/v1/events/preview', undefined, hireBody({ effectiveDate: 'soon' }));
    expect(out.status).toBe(400);
    expect(out.body.issues.map((i: { path: string }) => i.path)).toEqual(['effectiveDate']);
  });

  it('says when the event id was received already, naming its run; with another body, that it would be refused', async () => {
    const engine = withRoles();
    const parsed = parseLifecycleEvent(hireBody(), engine.deps.clock.now());
    if (!parsed.ok) throw new Error('the hire is valid');
    const received = await intake(engine.deps, parsed.event, parsed.canonical);
    if (received.outcome !== 'created') throw new Error(received.outcome);
    const { call } = api(engine);
    const out = await call('POST', '/v1/events/preview', undefined, hireBody());
    expect(out).toMatchObject({ status: 409, body: { runId: received.run.runId } });
    const changed = await call('POST', '/v1/events/preview', undefined, { ...hireBody(), effectiveDate: '2026-12-11' });
    expect(changed).toMatchObject({ status: 409, body: { error: expect.stringContaining('different body') } });
    expect(changed.body.runId).toBeUndefined();
  });

  it('answers a cancel with the run it would cancel', async () => {
    const engine = withRoles();
    const run = await accept(engine, { ...(hireBody() as unknown as PlannedEvent), urgent: false });
    const { call } = api(engine);
    const out = await call('POST', '/v1/events/preview', undefined, { eventId: 'cancel-p1', type: 'cancel', cancels: 'hire-p1' });
    expect(out).toMatchObject({ status: 200, body: { type: 'cancel', cancelsRunId: run.runId } });
  });
});


describe('GET /v1/employees?q=', () => {
  let engine: MemoryEngine;
  beforeEach(async () => {
    engine = memoryEngine();
    await accept(engine, leaverOf('E-1001', '2026-12-10'));
    await accept(engine, terminateEvent({ eventId: 'leave-2', effectiveDate: '2026-12-11', employee: { ...employee('E-2002', 'Zoë'), lastName: 'Müller', email: 'zoe.mueller@example.com' } }));
  });
  const found = async (q: string, extra: Record<string, string> = {}) => {
    const out = await api(engine).call('GET', '/v1/employees', { q, ...extra });
    expect(out.status).toBe(200);
    return out.body.employees.map((e: { id: string }) => e.id);
  };

  it('finds by the start of an id, a first or last name, the full name or the company address, ignoring case and accents', async () => {
    expect(await found('e-20')).toEqual(['E-2002']);
    expect(await found('zoe')).toEqual(['E-2002']);
    expect(await found('MULL')).toEqual(['E-2002']);
    expect(await found('zoë mü')).toEqual(['E-2002']);
    expect(await found('zoe.mueller@')).toEqual(['E-2002']);
    expect(await found('ada')).toEqual(['E-1001']);
    expect(await found('lovelace')).toEqual(['E-1001']);
    expect(await found('nobody')).toEqual([]);
  });

  it('answers the profile fields a list shows, up to the limit', async () => {
    const out = await api(engine).call('GET', '/v1/employees', { q: 'e-', limit: '1' });
    expect(out.body.employees).toEqual([{ id: 'E-1001', firstName: 'Ada', lastName: 'Lovelace', email: 'ada.lovelace@example.com' }]);
  });

  it('does not find an employee by a name they no longer have', async () => {
    await accept(engine, terminateEvent({ eventId: 'leave-3', effectiveDate: '2026-12-12', employee: { ...employee('E-1001', 'Augusta'), lastName: 'Byron', email: 'augusta.byron@example.com' } }));
    expect(await found('augusta')).toEqual(['E-1001']);
    expect(await found('ada')).toEqual([]);
    expect(await found('lovelace')).toEqual([]);
  });

  it.each([[{}, 'q'], [{ q: 'a' }, 'q'], [{ q: 'ada', limit: '51' }, 'limit']])('refuses %j naming %s', async (query, field) => {
    const out = await api(engine).call('GET', '/v1/employees', query as Record<string, string>);
    expect(out.status).toBe(400);
    expect(out.body.issues.map((i: { path: string }) => i.path)).toEqual([field]);
  });
});

describe('POST /v1/runs/{runId}/steps/{stepId}/skip with a reason', () => {
  const operatorCaller: Caller = { name: 'ops@corp.example', kind: 'person', groups: ['operator'] };

  it('keeps why the step was done by hand in the audit trail, beside who skipped it', async () => {
    const engine = memoryEngine();
    const run = await accept(engine, terminateEvent({ eventId: 'skip-1', effectiveDate: '2026-12-20' }));
    const stepId = run.steps[0].stepId;
    const out = await api(engine, operatorCaller).call('POST', `/v1/runs/${run.runId}/steps/${stepId}/skip`, undefined, { reason: 'done by hand in the admin console' });
    expect(out.status).toBe(200);
    const audit = await engine.store.listAudit(run.employeeId);
    expect(audit.at(-1)).toMatchObject({ stepId, actor: 'ops@corp.example', change: 'step skipped by an operator: done by hand in the admin console', to: 'skipped' });
  });

  it.each([[{ reason: '' }], [{ reason: 'x'.repeat(1001) }], [{ reason: 'done\n2026-12-04 admin approved' }], [{ why: 'no' }]])('refuses %j naming the field, and skips nothing', async (body) => {
    const engine = memoryEngine();
    const run = await accept(engine, terminateEvent({ eventId: 'skip-2', effectiveDate: '2026-12-20' }));
    const out = await api(engine, operatorCaller).call('POST', `/v1/runs/${run.runId}/steps/${run.steps[0].stepId}/skip`, undefined, body);
    expect(out.status).toBe(400);
    expect((await engine.store.getRun(run.employeeId, run.runId))?.steps[0].status).toBe(run.steps[0].status);
  });
});
