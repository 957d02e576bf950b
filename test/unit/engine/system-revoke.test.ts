/** The revoke of one person's access in one system: a run of its own, planned from the leaver's plan of that system. */
import { revokeSystemAccess, RevokeRefused, revokeEventId } from '../../../lambdas/engine/system-revoke';
import { dispatchStep } from '../../../lambdas/engine/dispatch';
import { sweep } from '../../../lambdas/engine/sweep';
import { operatorApprove } from '../../../lambdas/engine/operator';
import { intake } from '../../../lambdas/engine/intake';
import { noRole } from '../../../lambdas/roles/role-plan';
import { playbooksForSet } from '../../../config/playbooks';
import type { Run } from '../../../lambdas/engine/model';
import { memoryEngine, type MemoryEngine } from '../../support/memory-engine';

const EMPLOYEE = { id: 'E7', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', managerEmail: 'grace@example.com', timezone: 'Europe/Berlin' };
const GOOGLE = { employeeId: 'E7', system: 'google', accountId: 'g-7', email: 'ada@example.com', reason: 'inactivity', detail: 'unused for 120 days in google', requestedBy: 'inactivity-check' } as const;

/** A hire whose role gave a Google group and Nextcloud: what the leaver's plan revokes. */
async function hired(engine: MemoryEngine): Promise<void> {
  await engine.deps.store.putEmployee(EMPLOYEE, engine.clock.now().toISOString());
  const role = noRole('engineer');
  role.lists.googleGroups = [{ value: 'eng@example.com', grantedBy: 'engineer' }];
  role.lists.nextcloudGroups = [{ value: 'staff', grantedBy: 'engineer' }];
  const at = '2026-01-01T00:00:00.000Z';
  const hire: Run = {
    runId: 'hire-1', employeeId: 'E7', eventId: 'hr-hire', type: 'hire', status: 'completed', effectiveDate: '2026-01-02', urgent: false,
    steps: [], version: 3, createdAt: at, updatedAt: at, employee: EMPLOYEE, role: { name: 'engineer', resolved: role, planned: 1 },
  };
  await engine.store.createRun(hire);
}

const setUp = async () => {
  const engine = memoryEngine({ deps: { playbooks: playbooksForSet('default') } });
  await hired(engine);
  return engine;
};
const runOf = async (engine: MemoryEngine, runId: string) => (await engine.store.getRun('E7', runId))!;
const drain = async (engine: MemoryEngine) => {
  for (let i = 0; i < 20 && engine.queue.sent.length; i++) {
    const batch = engine.queue.sent.splice(0);
    for (const { message } of batch) await dispatchStep(engine.deps, message, 1);
  }
};

describe('revokeSystemAccess', () => {
  it('plans only that system’s steps of the leaver plan, all due when asked, waiting for approval with the reason', async () => {
    const engine = await setUp();
    const dueAt = new Date('2026-12-07T08:00:00Z');
    const { runId, status } = await revokeSystemAccess(engine.deps, GOOGLE, { dueAt });
    expect(status).toBe('awaiting_approval');
    const run = await runOf(engine, runId);
    expect(run).toMatchObject({ type: 'revoke', eventId: revokeEventId(GOOGLE, engine.clock.now()), revoke: { system: 'google', accountId: 'g-7', reason: 'inactivity' } });
    expect(run.steps.map((s) => [s.stepId, s.action])).toEqual([
      ['sign-out', 'google.signOut'],
      ['revoke-tokens', 'google.revokeTokens'],
      ['delete-app-passwords', 'google.deleteAppPasswords'],
      ['suspend-user', 'google.suspendUser'],
    ]);
    expect(run.steps.every((s) => s.dueAt === dueAt.toISOString() && s.removes)).toBe(true);
    expect(run.steps.find((s) => s.stepId === 'suspend-user')?.after).toEqual(['sign-out', 'revoke-tokens', 'delete-app-passwords']);
    expect(run.approval?.requiredBy).toBe('inactivity: unused for 120 days in google (requested by inactivity-check)');
    expect(run.employee.email).toBe('ada@example.com');
    expect(engine.queue.sent).toEqual([]);
    expect((await engine.store.listAudit('E7')).map((a) => a.change)).toEqual([expect.stringContaining('revoke run planned: the google account ada@example.com, inactivity')]);
  });

  it('for Nextcloud the role’s leaver step, nextcloud.disableUser, and nothing of Google', async () => {
    const engine = await setUp();
    const { runId } = await revokeSystemAccess(engine.deps, { ...GOOGLE, system: 'nextcloud', accountId: 'ada' });
    const run = await runOf(engine, runId);
    expect(run.steps.map((s) => [s.stepId, s.action, s.params])).toEqual([['disable-nextcloud-user', 'nextcloud.disableUser', { granted: { groups: ['staff'] } }]]);
  });

  it('an account the role never gave is still disabled (a SCIM app’s deactivation names the app)', async () => {
    const engine = await setUp();
    const { runId } = await revokeSystemAccess(engine.deps, { ...GOOGLE, system: 'scim:wiki', accountId: 'ada' });
    expect((await runOf(engine, runId)).steps.map((s) => [s.stepId, s.action, s.params])).toEqual([['scim-wiki-deactivate', 'scim.deactivateUser', { app: 'wiki' }]]);
  });

  it('asked twice, the same day or later while it stands, is one run', async () => {
    const engine = await setUp();
    const first = await revokeSystemAccess(engine.deps, GOOGLE);
    expect(await revokeSystemAccess(engine.deps, GOOGLE)).toEqual(first);
    engine.clock.advance(3 * 86_400_000);
    expect(await revokeSystemAccess(engine.deps, { ...GOOGLE, detail: 'unused for 123 days in google' })).toEqual(first);
    // Asked by consolidation while the inactivity revoke is open: the same run, not a second approval and set of calls.
    expect(await revokeSystemAccess(engine.deps, { ...GOOGLE, reason: 'consolidation', detail: 'a leaver’s account still active', requestedBy: 'ops' })).toEqual(first);
    expect((await engine.store.listRuns('E7')).filter((r) => r.type === 'revoke')).toHaveLength(1);
  });

  it('refuses an account bound to nobody, and a system it has no revoke for, naming the field', async () => {
    const engine = await setUp();
    await expect(revokeSystemAccess(engine.deps, { ...GOOGLE, employeeId: undefined })).rejects.toMatchObject({ name: 'RevokeRefused', path: 'employeeId' });
    await expect(revokeSystemAccess(engine.deps, { ...GOOGLE, system: 'jira' })).rejects.toBeInstanceOf(RevokeRefused);
    await expect(revokeSystemAccess(engine.deps, { ...GOOGLE, system: 'jira' })).rejects.toMatchObject({ path: 'system' });
    expect((await engine.store.listRuns('E7')).filter((r) => r.type === 'revoke')).toEqual([]);
  });

  it('without approval it is counted by the mass-change guard and what is due is queued at once', async () => {
    const engine = await setUp();
    const { runId, status } = await revokeSystemAccess(engine.deps, GOOGLE, { approve: false });
    expect(status).toBe('in_progress');
    const run = await runOf(engine, runId);
    expect(run.massChange).toMatchObject({ ordinal: 1, held: false });
    expect(engine.queue.sent.map((m) => m.message.stepId).sort()).toEqual(['delete-app-passwords', 'revoke-tokens', 'sign-out']);
  });

  it('approved and due, its steps run; a cancel of its event, once it has completed, gives the account back', async () => {
    const engine = await setUp();
    const dueAt = new Date(engine.clock.now().getTime() + 7 * 86_400_000);
    const { runId } = await revokeSystemAccess(engine.deps, GOOGLE, { dueAt });
    const held = await runOf(engine, runId);
    await operatorApprove(engine.deps, runId, held.approval!.planHash, 'ops@example.com');
    expect(engine.queue.sent).toEqual([]);
    engine.clock.advance(7 * 86_400_000);
    await sweep(engine.deps);
    engine.invoker.answer('google.suspendUser', { ok: true, result: { suspended: true, wasSuspended: false, removed: { suspended: false } }, accountState: 'suspended' });
    await drain(engine);
    const done = await runOf(engine, runId);
    expect(done.status).toBe('completed');
    expect(engine.invoker.calls.map((c) => [c.action, c.eventType, c.employee.email])).toContainEqual(['google.suspendUser', 'revoke', 'ada@example.com']);

    const cancel = { eventId: 'ops-restore-1', type: 'cancel' as const, cancels: done.eventId };
    const restored = await intake(engine.deps, cancel, JSON.stringify(cancel));
    expect(restored.outcome).toBe('created');
    const restore = restored.outcome === 'created' ? restored.run : undefined;
    expect(restore?.cancelsRunId).toBe(runId);
    expect(restore?.steps.map((s) => [s.stepId, s.action])).toEqual([['restore-suspend-user', 'google.unsuspendUser']]);
    await drain(engine);
    expect(engine.invoker.calls.at(-1)).toMatchObject({ action: 'google.unsuspendUser', params: { result: { removed: { suspended: false } } } });
    expect((await runOf(engine, restore!.runId)).status).toBe('completed');
  });
});

describe('a revoke an operator asked for', () => {
  it('is approved by another operator, not by them', async () => {
    const engine = await setUp();
    const { runId } = await revokeSystemAccess(engine.deps, { ...GOOGLE, reason: 'consolidation', detail: 'a leaver’s account still active', requestedBy: 'alice@example.com' }, { sentBy: 'alice@example.com' });
    const run = await runOf(engine, runId);
    await expect(operatorApprove(engine.deps, runId, run.approval!.planHash, 'alice@example.com')).rejects.toThrow(/another approver must approve/);
    expect((await operatorApprove(engine.deps, runId, run.approval!.planHash, 'bob@example.com')).status).toBe('in_progress');
  });
});
