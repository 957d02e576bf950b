/** The consolidation routes: a bad body or id is a 400 naming the field and reaches nothing; the answers of the report, a run and a fix. */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { routeApi, type ApiDeps } from '../../../lambdas/http/api-routes';
import type { ConsolidationApi } from '../../../lambdas/consolidation/consolidation-api';
import { silentLog, type EngineDeps } from '../../../lambdas/engine/ports';
import { sampleReport } from '../../support/consolidation-report';

const ID = '0123456789abcdef0123';
const report = sampleReport();

function fake() {
  const calls: unknown[][] = [];
  const api: ConsolidationApi = {
    latest: async () => report,
    run: async (by) => (calls.push(['run', by]), { report }),
    fix: async (id, req, actor) => (calls.push(['fix', id, req, actor]), { ok: true, fix: req.fix, findingId: id, runId: 'run-1', status: 'awaiting_approval', created: true }),
  };
  return { api, calls };
}

const call = (deps: Partial<ApiDeps>, method: string, path: string, body?: string) =>
  routeApi(
    { engine: { log: silentLog } as unknown as EngineDeps, hrKeys: async () => ({ current: 'k' }), operator: () => ({ name: 'ops', kind: 'person', groups: ['operator'] }), ...deps } as ApiDeps,
    { httpMethod: method, path, headers: {}, body: body ?? null, isBase64Encoded: false } as unknown as APIGatewayProxyEvent,
  );

describe('consolidation routes', () => {
  it.each([
    ['{"fix":"bind"}', 'employeeId'],
    ['{"fix":"delete"}', 'fix'],
    ['{"fix":"grant","employeeId":"E1"}', '(body)'],
    ['{"fix":"bind","employeeId":"E 1/x"}', 'employeeId'],
    ['not json', '(body)'],
  ])('a fix with %s is a 400 naming %s, and nothing is asked of consolidation', async (body, path) => {
    const { api, calls } = fake();
    const out = await call({ consolidation: api }, 'POST', `/v1/consolidation/findings/${ID}/fix`, body);
    expect(out.statusCode).toBe(400);
    expect(JSON.parse(out.body).issues.map((i: { path: string }) => i.path)).toContain(path);
    expect(calls).toEqual([]);
  });

  it('a finding id that is not one is a 400 naming it', async () => {
    const { api, calls } = fake();
    const out = await call({ consolidation: api }, 'POST', '/v1/consolidation/findings/nope/fix', '{"fix":"grant"}');
    expect(out.statusCode).toBe(400);
    expect(JSON.parse(out.body).issues).toEqual([{ path: 'id', message: 'is not a finding id' }]);
    expect(calls).toEqual([]);
  });

  it('answers the report with its duration, a run by its operator, and a fix as 201 with its run', async () => {
    const { api, calls } = fake();
    expect(JSON.parse((await call({ consolidation: api }, 'GET', '/v1/consolidation')).body)).toMatchObject({ reportId: 'r1', durationMs: 4500, systems: [{ system: 'google', calls: 21 }] });
    expect((await call({ consolidation: api }, 'POST', '/v1/consolidation/run')).statusCode).toBe(200);
    const fixed = await call({ consolidation: api }, 'POST', `/v1/consolidation/findings/${ID}/fix`, '{"fix":"bind","employeeId":"E123"}');
    expect(fixed.statusCode).toBe(201);
    expect(calls).toEqual([['run', 'ops'], ['fix', ID, { fix: 'bind', employeeId: 'E123' }, 'ops']]);
  });

  it('answers 503 where consolidation is not configured, and 401 without a credential', async () => {
    expect((await call({}, 'GET', '/v1/consolidation')).statusCode).toBe(503);
    expect((await call({ operator: () => undefined }, 'POST', '/v1/consolidation/run')).statusCode).toBe(401);
  });
});
