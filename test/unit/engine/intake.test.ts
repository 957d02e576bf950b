/** The intake use case on the in-memory store and queue: an HR event recorded once, its run planned, what is due queued. */
import { intake } from '../../../lambdas/engine/intake';
import { previewEvent } from '../../../lambdas/engine/preview';
import type { Run } from '../../../lambdas/engine/model';
import { memoryEngine } from '../../support/memory-engine';
import { accept, laterLeaver, urgentLeaver } from './engine-fixtures';

describe('intake', () => {
  it("records an urgent leaver's run with its cut-off queued at once", async () => {
    const engine = memoryEngine();
    const run = await accept(engine, urgentLeaver());
    expect(run.steps.map((s) => [s.stepId, s.status])).toEqual([['forward-event', 'queued']]);
    expect(engine.queue.sent).toEqual([{ message: { runId: run.runId, employeeId: 'E100', stepId: 'forward-event', priority: 'housekeeping' }, delaySeconds: 0 }]);
    expect(await engine.store.getRun('E100', run.runId)).toEqual(run);
    expect(await engine.store.getEmployee('E100')).toMatchObject({ id: 'E100', firstName: 'Ada' });
    expect(await engine.store.getEvent('hr-7781')).toMatchObject({ runId: run.runId, employeeId: 'E100', receivedAt: '2026-11-30T08:00:00.000Z' });
    expect((await engine.store.listAudit('E100')).map((a) => [a.stepId, a.change, a.to])).toContainEqual(['forward-event', 'step queued', 'queued']);
  });

  it('answers the same event twice with the same run and queues nothing more', async () => {
    const engine = memoryEngine();
    const first = await accept(engine, urgentLeaver());
    const again = await intake(engine.deps, urgentLeaver(), JSON.stringify(urgentLeaver()));
    expect(again).toMatchObject({ outcome: 'duplicate', run: { runId: first.runId } });
    expect(await engine.store.listRuns('E100')).toHaveLength(1);
    expect(engine.queue.sent).toHaveLength(1);
  });

  it('refuses the same event id with another body as a conflict and changes nothing', async () => {
    const engine = memoryEngine();
    const first = await accept(engine, urgentLeaver());
    const changed = { ...urgentLeaver(), effectiveDate: '2026-12-01' };
    expect(await intake(engine.deps, changed, JSON.stringify(changed))).toEqual({ outcome: 'conflict', message: 'event hr-7781 was already received with a different body' });
    expect(await engine.store.listRuns('E100')).toEqual([first]);
    expect(engine.queue.sent).toHaveLength(1);
  });

  it('puts a leaver due later on the due index under a numbered shard, with nothing queued', async () => {
    const engine = memoryEngine();
    const run = await accept(engine, laterLeaver());
    expect(run.status).toBe('scheduled');
    expect(run.steps[0].status).toBe('pending');
    expect([0, 1, 2, 3]).toContain(run.dueShard);
    expect(engine.queue.sent).toEqual([]);
    expect((await engine.store.queryDue(run.dueShard!, '2026-12-16T00:00:00.000Z')).runs.map((r) => r.runId)).toEqual([run.runId]);
    expect((await engine.store.queryDue(run.dueShard!, '2026-12-01T00:00:00.000Z')).runs).toEqual([]);
  });

  it('withdraws a pending leaver when HR cancels the event', async () => {
    const engine = memoryEngine();
    const leaver = await accept(engine, laterLeaver());
    const cancel = { eventId: 'hr-cancel-later', type: 'cancel' as const, cancels: 'hr-later' };
    const result = await intake(engine.deps, cancel, JSON.stringify(cancel));
    expect(result).toMatchObject({ outcome: 'created', run: { type: 'cancel', cancelsRunId: leaver.runId } });
    const cancelled = await engine.store.getRun('E100', leaver.runId);
    expect(cancelled?.status).toBe('cancelled');
    expect(cancelled?.steps.map((s) => s.status)).toEqual(['cancelled']);
    expect(cancelled?.dueShard).toBeUndefined();
  });

  it('a cancel of a role change that a later role change followed plans no restore, naming why', async () => {
    const engine = memoryEngine();
    const roleChange = (runId: string, createdAt: string, status: Run['status']): Run => ({
      runId,
      employeeId: 'E100',
      eventId: `ev-${runId}`,
      type: 'role_change',
      status,
      effectiveDate: createdAt.slice(0, 10),
      urgent: false,
      employee: { id: 'E100', firstName: 'Ada', email: 'ada.lovelace@example.com', timezone: 'Europe/Berlin' },
      steps: [
        { stepId: 'update-zendesk-user', action: 'zendesk.updateUser', params: {}, status: 'succeeded', dueAt: createdAt, after: [], attempts: 1, finishedAt: createdAt, result: { previous: { role: 'agent', customRoleId: null, groups: [] }, changed: ['added to Tier 2'], undo: { userId: 7, added: [{ groupId: 1, name: 'Tier 2' }], removed: [] } } },
        { stepId: 'later-step', action: 'zendesk.updateUser', params: {}, status: 'pending', dueAt: '2026-12-20T09:00:00.000Z', after: [], attempts: 0 },
      ],
      version: 0,
      createdAt,
      updatedAt: createdAt,
    });
    const first = roleChange('r1', '2026-11-20T09:00:00.000Z', 'in_progress');
    await engine.store.createRun(first);
    await engine.store.putEventIfAbsent({ eventId: 'ev-r1', bodyHash: 'x', runId: 'r1', employeeId: 'E100', receivedAt: first.createdAt });
    const cancel = { eventId: 'hr-cancel-r1', type: 'cancel' as const, cancels: 'ev-r1' };
    // Alone, the cancel undoes the mover's step.
    const preview = await previewEvent(engine.deps, cancel);
    expect(preview).toMatchObject({ outcome: 'planned', preview: { steps: [{ action: 'zendesk.restoreRole' }] } });
    await engine.store.createRun(roleChange('r2', '2026-11-25T09:00:00.000Z', 'scheduled'));
    const result = await intake(engine.deps, cancel, JSON.stringify(cancel));
    expect(result).toMatchObject({ outcome: 'created', run: { type: 'cancel', cancelsRunId: 'r1', steps: [] } });
    const run = (result as { run: Run }).run;
    expect(run.notes).toEqual([expect.stringMatching(/^not undone: step update-zendesk-user \(zendesk.restoreRole would undo it\)\. The employee's role change of run r2/)]);
  });
});
