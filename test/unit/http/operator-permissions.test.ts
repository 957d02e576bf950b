/** Who may call which operator route: groups for people, scopes for machines, a 403 naming what is missing, and the audit naming the caller. */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { LOCAL_DEFAULTS, LOCAL_OPERATOR_TOKENS } from '../../../config/local-defaults';
import { localCaller, localOperatorTokens } from '../../../local/runtime';
import { noMetrics, silentLog, type EngineDeps } from '../../../lambdas/engine/ports';
import { actionCatalog } from '../../../lambdas/handlers/engine-deps';
import { routeApi, type ApiDeps } from '../../../lambdas/http/api-routes';
import { callerFromClaims, type Caller } from '../../../lambdas/http/operator-auth';
import { OPERATOR_GROUPS, type OperatorGroup } from '../../../lambdas/http/operator-access';
import { isOperatorRoute, ROUTES, type RouteSpec } from '../../../lambdas/http/route-table';
import { HR_PURPOSE, signedHeaders } from '../../../lambdas/http/signature';
import { daysFromToday, hrBody, settings } from '../../support/builders';
import { lazyStore, type LazyStore } from '../../support/lazy-store';
import { FORWARD_ONLY_PLAYBOOKS } from '../../support/playbooks';

/** Written out by hand, not derived from GROUP_PERMISSIONS, so a changed grant fails here. */
const ALLOWED: Record<OperatorGroup, string[]> = {
  viewer: ['getMe', 'listUpcoming', 'previewEvent', 'searchEmployees', 'getEmployee', 'listRuns', 'getRun', 'listAlerts', 'listRoles', 'getRole', 'getQuarantine', 'getInactivity', 'getAttestation', 'getAttestationKey', 'getConsolidation'],
  operator: ['getMe', 'listUpcoming', 'previewEvent', 'searchEmployees', 'getEmployee', 'listRuns', 'getRun', 'listAlerts', 'listRoles', 'getRole', 'getQuarantine', 'getInactivity', 'getAttestation', 'getAttestationKey', 'cancelRun', 'replanRun', 'confirmAccount', 'retryStep', 'skipStep', 'sweep', 'getConsolidation', 'runConsolidation', 'fixConsolidationFinding', 'runInactivity'],
  approver: ['getMe', 'listUpcoming', 'previewEvent', 'searchEmployees', 'getEmployee', 'listRuns', 'getRun', 'listAlerts', 'listRoles', 'getRole', 'getQuarantine', 'getInactivity', 'getAttestation', 'getAttestationKey', 'approveRun', 'rejectRun', 'releaseQuarantine', 'rejectQuarantine', 'postOperatorEvent', 'getConsolidation'],
};

const operatorRoutes = ROUTES.filter(isOperatorRoute) as RouteSpec[];

/** An engine that fails loudly when touched: reaching it means the permission check let the call through. */
const untouchableEngine = new Proxy({}, { get: () => { throw new Error('reached the engine'); } }) as EngineDeps;

const request = (route: RouteSpec): APIGatewayProxyEvent =>
  ({ httpMethod: route.method, path: route.path.replace(/\{[^}]+\}/g, 'x1'), headers: {}, body: '{}', isBase64Encoded: false }) as unknown as APIGatewayProxyEvent;

/** The answer, or `reached` when the call got past authorization into its handler. */
async function call(route: RouteSpec, caller: Caller | undefined): Promise<{ status: number; body: Record<string, unknown> } | 'reached'> {
  const deps = { engine: untouchableEngine, hrKeys: async () => ({ current: 'unused' }), operator: () => caller } as ApiDeps;
  try {
    const out = await routeApi(deps, request(route));
    if (out.statusCode !== 401 && out.statusCode !== 403) return 'reached';
    return { status: out.statusCode, body: JSON.parse(out.body) as Record<string, unknown> };
  } catch (err) {
    if (err instanceof Error && err.message === 'reached the engine') return 'reached';
    throw err;
  }
}

const person = (groups: OperatorGroup[], name = 'jane@corp.example'): Caller => ({ name, kind: 'person', groups });

describe('operator permissions', () => {
  const cases = OPERATOR_GROUPS.flatMap((group) => operatorRoutes.map((route) => [group, `${route.method} ${route.path}`, route, ALLOWED[group].includes(route.key)] as const));

  it.each(cases)('a person in %s calling %s: allowed %s', async (group, _name, route, allowed) => {
    const out = await call(route, person([group]));
    if (allowed) expect(out).toBe('reached');
    else expect(out).toMatchObject({ status: 403 });
  });

  it('every operator route is in the table above: a new route needs its grant written down', () => {
    const listed = new Set(Object.values(ALLOWED).flat());
    expect(operatorRoutes.map((r) => r.key).filter((k) => !listed.has(k))).toEqual([]);
  });

  it('a person in several groups may do what each of them may', async () => {
    const both = person(['operator', 'approver']);
    for (const route of operatorRoutes) expect(await call(route, both)).toBe('reached');
  });

  it('a person in no group may read nothing', async () => {
    expect(await call(operatorRoutes.find((r) => r.key === 'listRuns')!, person([]))).toMatchObject({ status: 403 });
  });

  it('the 403 names the permission missing, the groups that hold it and the caller with their groups', async () => {
    const approve = operatorRoutes.find((r) => r.key === 'approveRun')!;
    expect(await call(approve, person(['viewer', 'operator']))).toEqual({
      status: 403,
      body: { error: 'missing permission approve: it needs group approver (jane@corp.example is in: viewer, operator)', permission: 'approve' },
    });
  });

  it('the 403 to a machine names the scope it lacks', async () => {
    const caller = callerFromClaims({ client_id: 'svc123', scope: 'account-lifecycle/read' });
    const sweep = operatorRoutes.find((r) => r.key === 'sweep')!;
    expect(await call(sweep, caller)).toEqual({
      status: 403,
      body: { error: 'missing permission sweep: it needs scope account-lifecycle/operate (client:svc123 holds: account-lifecycle/read)', permission: 'sweep' },
    });
  });

  it('a call without a valid credential is a 401, before any permission', async () => {
    expect(await call(operatorRoutes[0], undefined)).toMatchObject({ status: 401 });
  });
});

describe('the caller from the claims API Gateway passes', () => {
  it('names a person by the email of an ID token and reads groups written with commas', () => {
    expect(callerFromClaims({ email: 'jane@corp.example', 'cognito:username': 'jane', 'cognito:groups': 'operator,approver', token_use: 'id' })).toEqual({
      name: 'jane@corp.example',
      kind: 'person',
      groups: ['operator', 'approver'],
    });
  });

  it('names a person by the user name of an access token and reads groups written as a list', () => {
    expect(callerFromClaims({ username: 'jane', client_id: 'cli1', scope: 'openid email', 'cognito:groups': '[viewer approver]', token_use: 'access' })).toEqual({
      name: 'jane',
      kind: 'person',
      groups: ['viewer', 'approver'],
    });
  });

  it('ignores groups that grant nothing here', () => {
    expect(callerFromClaims({ username: 'jane', 'cognito:groups': 'admins,viewer' })?.groups).toEqual(['viewer']);
  });

  it('names a machine by its app client and reads what it may do from its scopes, openid granting nothing', () => {
    expect(callerFromClaims({ client_id: 'svc123', scope: 'account-lifecycle/read account-lifecycle/operate openid', token_use: 'access' })).toEqual({
      name: 'client:svc123',
      kind: 'machine',
      groups: ['viewer', 'operator'],
    });
  });

  it('finds no caller without claims', () => {
    expect(callerFromClaims(undefined)).toBeUndefined();
    expect(callerFromClaims({})).toBeUndefined();
  });
});

describe('local tokens', () => {
  const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } }) as unknown as APIGatewayProxyEvent;

  it.each(LOCAL_OPERATOR_TOKENS.map((t) => [t.token, t.name, t.groups] as const))('%s is %s in %j', (token, name, groups) => {
    expect(localCaller(localOperatorTokens(), bearer(token))).toEqual({ name, kind: 'person', groups });
  });

  it('the default token, the CLI uses, is in the operator and approver groups', () => {
    expect(localCaller(localOperatorTokens(), bearer(LOCAL_DEFAULTS.operatorToken))?.groups).toEqual(['operator', 'approver']);
  });

  it('a token set in the environment replaces the default one, which then no longer works', () => {
    const tokens = localOperatorTokens('from-env-token');
    expect(localCaller(tokens, bearer('from-env-token'))?.name).toBe('local-admin');
    expect(localCaller(tokens, bearer(LOCAL_DEFAULTS.operatorToken))).toBeUndefined();
  });

  it('an unknown or missing token is nobody', () => {
    expect(localCaller(localOperatorTokens(), bearer('guess'))).toBeUndefined();
    expect(localCaller(localOperatorTokens(), { headers: {} } as unknown as APIGatewayProxyEvent)).toBeUndefined();
  });
});

/** The API on an engine with the embedded store, whose operators are read from the authorizer's claims. */
function apiOn(db: LazyStore): { engine: EngineDeps; deps: ApiDeps } {
  const engine = {
    store: db.store,
    queue: { send: async () => {}, retryLater: async () => {} },
    actions: actionCatalog,
    clock: { now: () => new Date() },
    settings,
    playbooks: FORWARD_ONLY_PLAYBOOKS,
    log: silentLog,
    metrics: noMetrics,
  } as unknown as EngineDeps;
  const deps: ApiDeps = {
    engine,
    hrKeys: async () => ({ current: 'hr-key' }),
    operator: (event) => callerFromClaims(event.requestContext?.authorizer?.claims as Record<string, unknown>),
  };
  return { engine, deps };
}

describe('the audit trail names the person', () => {
  let db: LazyStore;
  beforeEach(() => {
    db = lazyStore();
  });
  afterEach(() => db.stop());

  it('a cancel by a signed-in person is recorded under their email, not a fixed operator', async () => {
    const { deps } = apiOn(db);
    const claims = { email: 'jane@corp.example', 'cognito:groups': 'operator' };
    const body = JSON.stringify(hrBody({ eventId: 'audit-1', effectiveDate: daysFromToday(200), employee: { ...hrBody().employee, id: 'E-audit' } }));
    const headers = { 'Content-Type': 'application/json', ...signedHeaders('hr-key', HR_PURPOSE, body, Math.floor(Date.now() / 1000)) };
    const created = await routeApi(deps, { httpMethod: 'POST', path: '/v1/events', headers, body } as unknown as APIGatewayProxyEvent);
    expect(created.statusCode).toBe(202);
    const { runId } = JSON.parse(created.body) as { runId: string };

    const asJane = { headers: {}, body: null, requestContext: { authorizer: { claims } } };
    const cancelled = await routeApi(deps, { ...asJane, httpMethod: 'POST', path: `/v1/runs/${runId}/cancel` } as unknown as APIGatewayProxyEvent);
    expect(cancelled.statusCode).toBe(200);
    const audit = await db.store.listAudit('E-audit');
    const cancels = audit.filter((a) => a.change === 'run cancelled by an operator');
    expect(cancels.length).toBeGreaterThan(0);
    expect(cancels.map((a) => a.actor)).toEqual(cancels.map(() => 'jane@corp.example'));
  });

  it('a sweep run by hand is recorded under the person who ran it', async () => {
    const { engine, deps } = apiOn(db);
    const body = JSON.stringify(hrBody({ eventId: 'audit-2', effectiveDate: daysFromToday(30), employee: { ...hrBody().employee, id: 'E-sweep' } }));
    const headers = { 'Content-Type': 'application/json', ...signedHeaders('hr-key', HR_PURPOSE, body, Math.floor(Date.now() / 1000)) };
    expect((await routeApi(deps, { httpMethod: 'POST', path: '/v1/events', headers, body } as unknown as APIGatewayProxyEvent)).statusCode).toBe(202);

    // The sweep runs on the day the step is due.
    const later = { ...deps, engine: { ...engine, clock: { now: () => new Date(Date.now() + 40 * 86_400_000) } } };
    const asJane = { headers: {}, body: null, requestContext: { authorizer: { claims: { email: 'jane@corp.example', 'cognito:groups': 'operator' } } } };
    const swept = await routeApi(later, { ...asJane, httpMethod: 'POST', path: '/v1/sweep' } as unknown as APIGatewayProxyEvent);
    expect(swept.statusCode).toBe(200);
    const queued = (await db.store.listAudit('E-sweep')).filter((a) => a.change === 'step queued');
    expect(queued.length).toBeGreaterThan(0);
    expect(queued.map((a) => a.actor)).toEqual(queued.map(() => 'sweep by jane@corp.example'));
  });
});
