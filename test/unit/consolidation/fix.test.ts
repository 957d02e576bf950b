/** A finding's fix: a grant plans just the role's grants in the one system; the same fix twice is one run; remove waits for its wiring; a bind is refused off the employee's address. */
import { revokeSystemAccess } from '../../../lambdas/engine/system-revoke';
import { applyFix, type RevokeSystemAccess } from '../../../lambdas/consolidation/fix';
import type { Finding } from '../../../lambdas/consolidation/report';
import type { ConsolidationReport, ConsolidationStore } from '../../../lambdas/consolidation/report';
import type { Run } from '../../../lambdas/engine/model';
import { noRole } from '../../../lambdas/roles/role-plan';
import { memoryEngine } from '../../support/memory-engine';

const role = (() => {
  const r = noRole('engineer');
  return { ...r, single: { openprojectAccount: { value: 'user', grantedBy: 'engineer' } }, lists: { ...r.lists, googleGroups: [{ value: 'eng@example.com', grantedBy: 'engineer' }], nextcloudGroups: [{ value: 'Engineering', grantedBy: 'engineer' }] } };
})();
const employee = { id: 'E1', firstName: 'Ada', email: 'ada@example.com', timezone: 'UTC' };

function setUp(findings: Finding[]) {
  const engine = memoryEngine();
  const hire: Run = {
    runId: 'hire-1', employeeId: 'E1', eventId: 'h1', type: 'hire', status: 'completed', effectiveDate: '2026-11-01', urgent: false, steps: [], version: 1,
    createdAt: '2026-11-01T00:00:00.000Z', updatedAt: '2026-11-01T00:00:00.000Z', employee, role: { name: 'engineer', resolved: role, planned: 1 },
  };
  const report: ConsolidationReport = { reportId: 'r', startedAt: 'x', finishedAt: 'x', requestedBy: 'schedule', systems: [], counts: {}, findings };
  const store: ConsolidationStore = { putReport: async () => {}, latestReport: async () => report, listEmployeeIds: async () => ['E1'] };
  return {
    engine,
    store,
    ready: async () => {
      await engine.store.putEmployee(employee);
      await engine.store.createRun(hire);
    },
  };
}

const missing: Finding = { id: 'a'.repeat(20), kind: 'missing', system: 'nextcloud', employeeId: 'E1', account: { accountId: 'E1', email: 'ada@example.com', active: true }, access: ['nextcloudGroups:Engineering'], message: 'lacks', fixes: [{ fix: 'grant', description: '' }] };
const unbound: Finding = { id: 'b'.repeat(20), kind: 'unbound', system: 'google', account: { accountId: 'g1', email: 'other@example.com', active: true }, message: 'unbound', fixes: [{ fix: 'bind', description: '' }, { fix: 'remove', description: '' }] };

describe('consolidation fixes', () => {
  it('grant plans the role\'s grants in that one system only, and asked twice answers the same run', async () => {
    const { engine, store, ready } = setUp([missing]);
    await ready();
    const first = await applyFix({ engine: engine.deps, store }, missing.id, { fix: 'grant' }, 'ops', 'sub-ops');
    expect(first).toMatchObject({ ok: true, created: true });
    const run = await engine.store.findRun((first as { runId: string }).runId);
    expect(run!.steps.map((s) => s.action)).toEqual(['nextcloud.provisionUser']);
    expect(run!.steps[0].params).toEqual({ groups: ['Engineering'] });
    expect(run).toMatchObject({ type: 'role_change', sentBy: 'ops', sentBySubject: 'sub-ops' });
    const again = await applyFix({ engine: engine.deps, store }, missing.id, { fix: 'grant' }, 'ops');
    expect(again).toMatchObject({ ok: true, created: false, runId: (first as { runId: string }).runId });
    expect((await engine.store.listRuns('E1')).length).toBe(2);
  });

  it('grant of a missing OpenProject account plans the OpenProject user alone', async () => {
    const noUser: Finding = { id: 'd'.repeat(20), kind: 'missing', system: 'openproject', employeeId: 'E1', access: ['openprojectAccount:user'], message: 'has no openproject account', fixes: [{ fix: 'grant', description: '' }] };
    const { engine, store, ready } = setUp([noUser]);
    await ready();
    const out = await applyFix({ engine: engine.deps, store }, noUser.id, { fix: 'grant' }, 'ops');
    expect(out).toMatchObject({ ok: true, created: true });
    const run = await engine.store.findRun((out as { runId: string }).runId);
    expect(run!.steps.map((s) => s.action)).toEqual(['openproject.provisionUser']);
  });

  it('a fix the finding does not offer is a 409; an unknown finding a 404', async () => {
    const { engine, store, ready } = setUp([missing]);
    await ready();
    expect(await applyFix({ engine: engine.deps, store }, missing.id, { fix: 'remove' }, 'ops')).toMatchObject({ ok: false, status: 409, path: 'fix' });
    expect(await applyFix({ engine: engine.deps, store }, 'c'.repeat(20), { fix: 'grant' }, 'ops')).toMatchObject({ ok: false, status: 404 });
  });

  it('remove answers 501 until the system-scoped revoke run is wired, then calls it with the finding', async () => {
    const { engine, store, ready } = setUp([unbound]);
    await ready();
    expect(await applyFix({ engine: engine.deps, store }, unbound.id, { fix: 'remove' }, 'ops')).toMatchObject({ ok: false, status: 501 });
    const revoke = jest.fn<ReturnType<RevokeSystemAccess>, Parameters<RevokeSystemAccess>>(async () => ({ runId: 'rv', status: 'awaiting_approval' }));
    expect(await applyFix({ engine: engine.deps, store, revokeSystemAccess: revoke }, unbound.id, { fix: 'remove' }, 'ops')).toMatchObject({ ok: true, runId: 'rv' });
    expect(revoke.mock.calls[0][1]).toMatchObject({ system: 'google', accountId: 'g1', email: 'other@example.com', reason: 'consolidation', requestedBy: 'ops' });
  });

  it('a revoke the engine refuses (an account bound to nobody) is a 409 naming the field, nothing planned', async () => {
    const { engine, store, ready } = setUp([unbound]);
    await ready();
    const refused = await applyFix({ engine: engine.deps, store, revokeSystemAccess: revokeSystemAccess }, unbound.id, { fix: 'remove' }, 'ops');
    expect(refused).toMatchObject({ ok: false, status: 409, path: 'employeeId', message: expect.stringContaining('bound to no employee') });
    expect((await engine.store.listRuns('E1')).length).toBe(1);
  });

  it('bind is refused, and nothing planned, for an account not at the employee\'s address or an unknown employee', async () => {
    const { engine, store, ready } = setUp([unbound]);
    await ready();
    expect(await applyFix({ engine: engine.deps, store }, unbound.id, { fix: 'bind', employeeId: 'E1' }, 'ops')).toMatchObject({ ok: false, status: 409, path: 'employeeId' });
    expect(await applyFix({ engine: engine.deps, store }, unbound.id, { fix: 'bind', employeeId: 'E9' }, 'ops')).toMatchObject({ ok: false, status: 400, path: 'employeeId' });
    expect((await engine.store.listRuns('E1')).length).toBe(1);
  });
});
