/** POST /v1/inactivity/run: the check for real, now, named as run by the operator; refused on a stage with it off. */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { EngineDeps } from '../../../lambdas/engine/ports';
import type { InactivityRunAnswer } from '../../../lambdas/consolidation/directory-read';
import type { InactivityReport } from '../../../lambdas/inactivity/check';
import { routeApi, type ApiDeps } from '../../../lambdas/http/api-routes';
import type { Caller } from '../../../lambdas/http/operator-auth';

const jane: Caller = { name: 'jane@corp.example', kind: 'person', groups: ['operator'] };
const post = { httpMethod: 'POST', path: '/v1/inactivity/run', headers: {}, body: null, isBase64Encoded: false } as unknown as APIGatewayProxyEvent;

async function callWith(inactivityRun?: (requestedBy: string) => Promise<InactivityRunAnswer>) {
  const deps = { engine: {} as EngineDeps, hrKeys: async () => ({ current: 'unused' }), operator: () => jane, ...(inactivityRun ? { inactivityRun } : {}) } as ApiDeps;
  const out = await routeApi(deps, post);
  return { status: out.statusCode, body: JSON.parse(out.body) as Record<string, unknown> };
}

describe('POST /v1/inactivity/run', () => {
  it('runs the check as the operator who asked and answers its report where it ran at once', async () => {
    const asked: string[] = [];
    const report = { checkedAt: '2026-12-05T10:00:00.000Z', dryRun: false, requestedBy: 'jane@corp.example', created: [] } as unknown as InactivityReport;
    const out = await callWith(async (by) => (asked.push(by), { report }));
    expect(out).toEqual({ status: 200, body: report });
    expect(asked).toEqual(['jane@corp.example']);
  });

  it('answers 202 where the check was handed to the directory read function', async () => {
    const out = await callWith(async () => ({ accepted: true }));
    expect(out.status).toBe(202);
    expect(out.body).toMatchObject({ accepted: true, message: expect.stringMatching(/^inactivity check started/) });
  });

  it('refuses with 409 on a stage with the check off, naming the setting', async () => {
    const out = await callWith(async () => ({ off: true }));
    expect(out.status).toBe(409);
    expect(out.body.error).toMatch(/the inactivity check is off on this stage \(inactivity\.enabled\): nothing was run/);
  });

  it('answers 503 where no check is wired in', async () => {
    const out = await callWith();
    expect(out.status).toBe(503);
    expect(out.body.error).toMatch(/no inactivity check is configured/);
  });
});
