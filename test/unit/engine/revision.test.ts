/** How a revised request's plan is merged into its run: done kept, waiting replanned, new added, unwanted cancelled. */
import { alertIdFor, buildAccountHoldAlert } from '../../../lambdas/engine/alerts';
import { intakeOrRevise, mergeRevision } from '../../../lambdas/engine/revision';
import type { PlannedEvent, Run, Step } from '../../../lambdas/engine/model';
import { memoryEngine, type MemoryEngine } from '../../support/memory-engine';

const step = (stepId: string, status: Step['status'], params: Record<string, unknown> = {}, more: Partial<Step> = {}): Step => ({
  stepId,
  action: `google.${stepId.replace(/-/g, '')}`,
  params,
  status,
  dueAt: '2027-01-03T08:00:00.000Z',
  after: [],
  attempts: status === 'pending' ? 0 : 1,
  ...more,
});

const run = (steps: Step[]): Run => ({ steps } as unknown as Run);

describe('mergeRevision', () => {
  const current = run([
    step('create-user', 'succeeded', { orgUnit: '/Support' }),
    step('add-groups', 'pending', { groups: ['support@example.com'] }),
    step('share-calendars', 'needs_attention', { calendars: ['a'] }, { alertId: 'alert-1', lastError: { message: 'boom' } as Step['lastError'], retries: 1 }),
    step('create-connect-agent', 'running', { routingProfile: 'Basic' }),
    step('old-pending', 'pending'),
    step('old-done', 'succeeded'),
    step('old-failed', 'needs_attention', {}, { alertId: 'alert-2' }),
  ]);
  const fresh = run([
    step('create-user', 'pending', { orgUnit: '/Support/Senior' }),
    step('add-groups', 'pending', { groups: ['support@example.com', 'seniors@example.com'] }),
    step('share-calendars', 'pending', { calendars: ['a', 'b'] }),
    step('create-connect-agent', 'pending', { routingProfile: 'Senior' }),
    step('assign-license', 'pending', { sku: 'x' }),
  ]);
  const out = mergeRevision(current, fresh, '2026-12-05T00:00:00.000Z');

  it('keeps what ran or runs, replans what waits, adds what is new and cancels what waited and is no longer wanted', () => {
    expect(out).toMatchObject({
      added: ['assign-license'],
      replanned: ['add-groups', 'share-calendars'],
      cancelled: ['old-pending', 'old-failed'],
      kept: ['create-user', 'create-connect-agent', 'old-done'],
    });
  });

  it('a kept step keeps its own form; a replanned one takes the new plan, its retries count carried, its alert and error gone', () => {
    const by = new Map(out.steps.map((s) => [s.stepId, s]));
    expect(by.get('create-user')).toMatchObject({ status: 'succeeded', params: { orgUnit: '/Support' } });
    expect(by.get('create-connect-agent')).toMatchObject({ status: 'running', params: { routingProfile: 'Basic' } });
    expect(by.get('add-groups')).toMatchObject({ status: 'pending', params: { groups: ['support@example.com', 'seniors@example.com'] } });
    expect(by.get('share-calendars')).toEqual(step('share-calendars', 'pending', { calendars: ['a', 'b'] }, { retries: 1, replans: 1 }));
  });

  it('a cancelled step says why and drops its alert; a step done but no longer wanted says it is left to undo by hand', () => {
    const by = new Map(out.steps.map((s) => [s.stepId, s]));
    expect(by.get('old-failed')).toMatchObject({ status: 'cancelled', note: 'no longer in the revised request', finishedAt: '2026-12-05T00:00:00.000Z' });
    expect(by.get('old-failed')?.alertId).toBeUndefined();
    expect(by.get('old-done')).toMatchObject({ status: 'succeeded', note: expect.stringContaining('undo by hand') });
  });
});

describe('a step cancelled by one revision and wanted again by a later one', () => {
  it('A → B → C: what B dropped and C asks for again is planned again, not left cancelled', () => {
    const a = run([step('create-user', 'succeeded'), step('add-groups', 'pending', { groups: ['support@example.com'] }), step('assign-license', 'pending', { sku: 'x' })]);
    const b = mergeRevision(a, run([step('create-user', 'pending'), step('add-groups', 'pending', { groups: ['support@example.com'] })]), '2026-12-05T00:00:00.000Z');
    expect(b).toMatchObject({ cancelled: ['assign-license'], replanned: ['add-groups'], kept: ['create-user'] });
    const c = mergeRevision(run(b.steps), run([step('create-user', 'pending'), step('add-groups', 'pending'), step('assign-license', 'pending', { sku: 'y' })]), '2026-12-05T01:00:00.000Z');
    expect(c).toMatchObject({ replanned: ['add-groups', 'assign-license'], cancelled: [], kept: ['create-user'] });
    expect(c.steps.find((s) => s.stepId === 'assign-license')).toEqual(step('assign-license', 'pending', { sku: 'y' }, { replans: 1 }));
  });
});

describe('a step that failed, then planned again by a revision, alerts again when it fails again', () => {
  const runOf = (steps: Step[]) => ({ runId: 'run-1', employeeId: 'E1', steps }) as unknown as Run;
  const failed = (s: Step): Step => ({ ...s, status: 'needs_attention', attempts: 1, lastError: { message: '422', retryable: false } });
  const at = '2026-12-05T00:00:00.000Z';

  it('A → B → C: failed in A, cancelled by B, planned again by C and failing again: another alert id', () => {
    const a = runOf([step('create-user', 'succeeded'), failed(step('assign-license', 'pending', { sku: 'x' }))]);
    const first = alertIdFor(a, a.steps[1]);
    const b = runOf(mergeRevision(a, runOf([step('create-user', 'pending')]), at).steps);
    expect(b.steps.find((s) => s.stepId === 'assign-license')?.status).toBe('cancelled');
    const c = runOf(mergeRevision(b, runOf([step('create-user', 'pending'), step('assign-license', 'pending', { sku: 'x' })]), at).steps);
    const again = failed(c.steps.find((s) => s.stepId === 'assign-license')!);
    expect(alertIdFor(c, again)).not.toBe(first);
    // Delivered twice, the same failure is still one alert.
    expect(alertIdFor(c, again)).toBe(alertIdFor(c, { ...again }));
  });

  it('a step waiting for an operator, planned again directly and failing again: another alert id (an account hold too)', () => {
    const a = runOf([failed(step('assign-license', 'pending', { sku: 'x' }))]);
    const b = runOf(mergeRevision(a, runOf([step('assign-license', 'pending', { sku: 'y' })]), at).steps);
    const again = failed(b.steps[0]);
    expect(alertIdFor(b, again)).not.toBe(alertIdFor(a, a.steps[0]));
    const hold = { message: 'unbound', retryable: false, hold: 'unbound' as const };
    expect(buildAccountHoldAlert(b, again, hold, at).alertId).not.toBe(buildAccountHoldAlert(a, a.steps[0], hold, at).alertId);
  });

  it('a run no revision touched keeps its alert ids as they were', () => {
    const a = runOf([failed(step('assign-license', 'pending'))]);
    expect(alertIdFor(a, a.steps[0])).toBe('run-1:assign-license:1');
    expect(alertIdFor(a, { ...a.steps[0], retries: 2 })).toBe('run-1:assign-license:retry2:1');
  });
});

describe('deliveries out of order (intakeOrRevise with the source time)', () => {
  const hire = (lastName: string): PlannedEvent =>
    ({ eventId: 'jira-HR-9', type: 'hire', effectiveDate: '2026-12-20', urgent: false, employee: { id: 'E900', firstName: 'Alan', lastName, personalEmail: 'alan@home.example', timezone: 'Europe/Berlin' } }) as PlannedEvent;
  const send = (engine: MemoryEngine, lastName: string, at?: string) => intakeOrRevise(engine.deps, hire(lastName), JSON.stringify(hire(lastName)), 'jira-webhook', at ? { sourceUpdatedAt: at } : {});

  it('a delivery older than the request the run has is answered stale and writes nothing; a newer one revises', async () => {
    const engine = memoryEngine();
    const created = await send(engine, 'Turing', '2026-11-30T08:00:00.000Z');
    expect(created).toMatchObject({ outcome: 'created', run: { sourceUpdatedAt: '2026-11-30T08:00:00.000Z' } });
    const runId = (created as { run: Run }).run.runId;
    expect(await send(engine, 'Turing-B', '2026-11-30T08:02:00.000Z')).toMatchObject({ outcome: 'revised', revision: 2, run: { sourceUpdatedAt: '2026-11-30T08:02:00.000Z' } });
    const before = await engine.store.getRun('E900', runId);
    const audit = (await engine.store.listAudit('E900')).length;
    // The edit made in between arrives last: older than what the run has.
    expect(await send(engine, 'Turing-late', '2026-11-30T08:01:00.000Z')).toMatchObject({ outcome: 'stale', appliedAt: '2026-11-30T08:02:00.000Z' });
    // The first delivery sent again by Jira, after the revision: also older.
    expect((await send(engine, 'Turing', '2026-11-30T08:00:00.000Z')).outcome).toBe('stale');
    expect(await engine.store.getRun('E900', runId)).toEqual(before);
    expect((await engine.store.listAudit('E900')).length).toBe(audit);
    expect(await send(engine, 'Turing-C', '2026-11-30T08:03:00.000Z')).toMatchObject({ outcome: 'revised', revision: 3 });
  });

  it('a newer revision landing while an older one is planned wins: the older finds it in the version check and is stale', async () => {
    const engine = memoryEngine();
    const created = (await send(engine, 'Turing', '2026-11-30T08:00:00.000Z')) as { run: Run };
    // Another process writes the newer revision just before this older one's write: the version check refuses it.
    const getRun = engine.store.getRun.bind(engine.store);
    const saveRun = engine.store.saveRun.bind(engine.store);
    let raced = false;
    engine.store.saveRun = async (run) => {
      if (!raced) {
        raced = true;
        const now = (await getRun(run.employeeId, run.runId))!;
        await saveRun({ ...now, sourceUpdatedAt: '2026-11-30T08:05:00.000Z', version: now.version + 1 });
      }
      return saveRun(run);
    };
    const out = await send(engine, 'Turing-old', '2026-11-30T08:01:00.000Z');
    expect(raced).toBe(true);
    expect(out).toMatchObject({ outcome: 'stale', appliedAt: '2026-11-30T08:05:00.000Z' });
    expect((await getRun('E900', created.run.runId))?.employee.lastName).toBe('Turing');
  });

  it('A → B → A delivered as A, A again, then the late B: the second A moves the run time forward, so B is stale', async () => {
    const engine = memoryEngine();
    const created = (await send(engine, 'Turing', '2026-11-30T08:00:00.000Z')) as { run: Run };
    // The edit back to A (08:02) arrives before the edit to B (08:01): the same request, but newer.
    expect(await send(engine, 'Turing', '2026-11-30T08:02:00.000Z')).toMatchObject({ outcome: 'duplicate', run: { sourceUpdatedAt: '2026-11-30T08:02:00.000Z' } });
    expect((await engine.store.getRun('E900', created.run.runId))?.sourceUpdatedAt).toBe('2026-11-30T08:02:00.000Z');
    expect(await send(engine, 'Turing-B', '2026-11-30T08:01:00.000Z')).toMatchObject({ outcome: 'stale', appliedAt: '2026-11-30T08:02:00.000Z' });
    const after = await engine.store.getRun('E900', created.run.runId);
    expect(after?.employee.lastName).toBe('Turing');
    expect(after?.revision).toBeUndefined();
    // The same delivery again (no newer time) writes nothing.
    const version = after!.version;
    expect((await send(engine, 'Turing', '2026-11-30T08:02:00.000Z')).outcome).toBe('duplicate');
    expect((await engine.store.getRun('E900', created.run.runId))?.version).toBe(version);
  });

  it('the newer repeat of the request meets a revision that landed meanwhile: it revises the run back to its body', async () => {
    const engine = memoryEngine();
    const created = (await send(engine, 'Turing', '2026-11-30T08:00:00.000Z')) as { run: Run };
    const getRun = engine.store.getRun.bind(engine.store);
    const saveRun = engine.store.saveRun.bind(engine.store);
    let raced = false;
    engine.store.saveRun = async (run) => {
      if (!raced) {
        raced = true;
        // Another process applies the edit to B (08:01) just before this delivery of A (08:02) moves the time forward.
        const now = (await getRun(run.employeeId, run.runId))!;
        await saveRun({ ...now, revision: { number: 2, bodyHash: 'body-of-B', revisedAt: '2026-11-30T08:01:30.000Z' }, sourceUpdatedAt: '2026-11-30T08:01:00.000Z', version: now.version + 1 });
      }
      return saveRun(run);
    };
    const out = await send(engine, 'Turing', '2026-11-30T08:02:00.000Z');
    expect(raced).toBe(true);
    expect(out).toMatchObject({ outcome: 'revised', revision: 3, run: { sourceUpdatedAt: '2026-11-30T08:02:00.000Z' } });
    expect((await getRun('E900', created.run.runId))?.employee.lastName).toBe('Turing');
  });
});
