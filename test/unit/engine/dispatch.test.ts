/** The dispatcher's use case on the in-memory parts: claim a queued step, run its action, record what came back. */
import { dispatchStep, handleDeadLetter, RetryLaterError, retryDelaySeconds } from '../../../lambdas/engine/dispatch';
import { memoryEngine } from '../../support/memory-engine';
import { queuedLeaver } from './engine-fixtures';
import { resolveRole } from '../../../lambdas/roles/resolve';
import type { Run } from '../../../lambdas/engine/model';
import { catalogOf, role } from '../roles/role-fixtures';

const ACTION = 'forward.event';

describe('dispatchStep', () => {
  it('runs a queued step once and completes the run', async () => {
    const engine = memoryEngine();
    const { run, message } = await queuedLeaver(engine);
    engine.clock.advanceSeconds(5);
    expect(await dispatchStep(engine.deps, message, 1)).toBe('succeeded');

    const done = await engine.store.getRun('E100', run.runId);
    expect(done?.status).toBe('completed');
    expect(done?.steps[0]).toMatchObject({ status: 'succeeded', attempts: 1, finishedAt: '2026-11-30T08:00:05.000Z' });
    expect(done?.dueShard).toBeUndefined();
    expect(engine.invoker.calls.map((c) => [c.action, c.attempt, c.employee.id, c.eventId])).toEqual([[ACTION, 1, 'E100', 'hr-7781']]);
    expect(engine.succeeded).toEqual([ACTION]);
    const changes = (await engine.store.listAudit('E100')).map((a) => a.change);
    expect(changes).toEqual(expect.arrayContaining(['attempt 1 started', 'step succeeded']));
  });

  it("tells the action the step's priority class, as the catalog gives it", async () => {
    const engine = memoryEngine();
    const { message } = await queuedLeaver(engine);
    await dispatchStep(engine.deps, message, 1);
    expect(engine.invoker.calls.map((c) => [c.action, c.priority])).toEqual([[ACTION, 'housekeeping']]);
  });

  describe("tells the action the role the leaver held: its manual tasks and its Mail retention", () => {
    const catalog = catalogOf([
      role('employee', undefined, { 'Manual tasks': ['Order a laptop'], 'Mail retention': 'vault-hold' }),
      role('engineer', 'employee', { 'Mail retention': 'archived-user-license' }),
      role('intern', 'employee', { 'Mail retention': undefined }),
    ]);
    const held = async (name: string, edit: (r: NonNullable<ReturnType<typeof resolveRole>['role']>) => void = () => {}) => {
      const engine = memoryEngine();
      const { run, message } = await queuedLeaver(engine);
      const resolved = structuredClone(resolveRole(catalog, name).role!);
      edit(resolved);
      const stored = (await engine.store.getRun('E100', run.runId))!;
      await engine.store.saveRun({ ...stored, role: { name, resolved, text: name, grantedByRunId: 'run-hire', planned: 1 }, version: stored.version + 1 } as Run);
      await dispatchStep(engine.deps, message, 1);
      return engine.invoker.calls[0].role;
    };

    it("the more specific role's method", async () => {
      expect(await held('engineer')).toEqual({ name: 'engineer', text: 'engineer', manualTasks: ['Order a laptop'], mailRetention: 'archived-user-license' });
    });

    it("an inherited method, and none when no role of the chain names one", async () => {
      expect(await held('intern')).toMatchObject({ mailRetention: 'vault-hold' });
      expect(await held('intern', (r) => delete r.single.mailRetention)).not.toHaveProperty('mailRetention');
    });

    it('not a value that is no method (a run stored by hand, or before the check): the stage decides', async () => {
      expect(await held('engineer', (r) => (r.single.mailRetention = { value: 'forever', grantedBy: 'engineer' }))).not.toHaveProperty('mailRetention');
    });
  });

  it('drops a second delivery of a step that is done, without running it again', async () => {
    const engine = memoryEngine();
    const { message } = await queuedLeaver(engine);
    await dispatchStep(engine.deps, message, 1);
    expect(await dispatchStep(engine.deps, message, 1)).toBe('nothing_to_do');
    expect(engine.invoker.calls).toHaveLength(1);
  });

  it('hands a failure a retry may fix back to the queue with a doubling backoff', async () => {
    const engine = memoryEngine();
    const { run, message } = await queuedLeaver(engine);
    engine.invoker.answer(ACTION, { ok: false, error: { message: 'HTTP 503 from downstream', retryable: true } });

    const failure = await dispatchStep(engine.deps, message, 2).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(RetryLaterError);
    expect((failure as RetryLaterError).delaySeconds).toBe(retryDelaySeconds(2, engine.deps.settings.retryBaseSeconds));
    expect((failure as RetryLaterError).delaySeconds).toBe(4);
    const after = await engine.store.getRun('E100', run.runId);
    expect(after?.steps[0]).toMatchObject({ status: 'queued', attempts: 1, lastError: { message: 'HTTP 503 from downstream', retryable: true } });
    expect(engine.failed).toEqual([ACTION]);
    expect(await engine.store.listAlerts()).toEqual([]);
  });

  it('caps the backoff at 15 minutes', () => {
    expect([1, 2, 3, 10, 20].map((n) => retryDelaySeconds(n, 2))).toEqual([2, 4, 8, 900, 900]);
  });

  it('hands a failure a retry cannot fix to an operator at once, with one alert', async () => {
    const engine = memoryEngine();
    const { run, message } = await queuedLeaver(engine);
    engine.invoker.answer(ACTION, { ok: false, error: { message: '403 from the receiver', retryable: false, providerAnswer: '403 Forbidden' } });

    expect(await dispatchStep(engine.deps, message, 1)).toBe('needs_attention');
    const after = await engine.store.getRun('E100', run.runId);
    expect(after?.status).toBe('needs_attention');
    const [alert] = await engine.store.listAlerts('open');
    expect(alert).toMatchObject({ runId: run.runId, stepId: 'forward-event', action: ACTION, status: 'open' });
    expect(after?.steps[0]).toMatchObject({ status: 'needs_attention', alertId: alert.alertId });
    expect(engine.published.map((a) => a.alertId)).toEqual([alert.alertId]);
  });

  it('sends a redelivery back until the lease of the worker running the step runs out', async () => {
    const engine = memoryEngine();
    const { message } = await queuedLeaver(engine);
    const seen: unknown[] = [];
    engine.invoker.answer(ACTION, async () => {
      // While the first worker runs the step: the same message received again, and a duplicate first delivery.
      seen.push(await dispatchStep(engine.deps, message, 2).catch((err: unknown) => err));
      seen.push(await dispatchStep(engine.deps, message, 1).catch((err: unknown) => err));
      return { ok: true };
    });
    expect(await dispatchStep(engine.deps, message, 1)).toBe('succeeded');
    expect(seen[0]).toBeInstanceOf(RetryLaterError);
    expect((seen[0] as RetryLaterError).delaySeconds).toBe(engine.deps.settings.leaseSeconds + 1);
    // A duplicate first delivery is handed back too, never dropped: its worker may be the one that died.
    expect(seen[1]).toBeInstanceOf(RetryLaterError);
    expect((seen[1] as RetryLaterError).delaySeconds).toBe(engine.deps.settings.leaseSeconds + 1);
    expect(engine.invoker.calls).toHaveLength(1);
  });

  it('queues a step that is not done yet to be checked again at the time it asked for', async () => {
    const engine = memoryEngine();
    const { run, message } = await queuedLeaver(engine);
    engine.invoker
      .answer(ACTION, { ok: true, checkAgainAt: '2026-11-30T08:05:00.000Z', progress: { transferId: 't-1' }, note: 'transfer running' })
      .answer(ACTION, { ok: true });

    expect(await dispatchStep(engine.deps, message, 1)).toBe('waiting');
    const after = await engine.store.getRun('E100', run.runId);
    expect(after?.steps[0]).toMatchObject({ status: 'queued', progress: { transferId: 't-1' }, note: 'transfer running' });
    expect(engine.queue.sent.at(-1)).toEqual({ message, delaySeconds: 300 });

    // The next attempt is handed what the last one learnt.
    engine.clock.advanceSeconds(300);
    expect(await dispatchStep(engine.deps, message, 1)).toBe('succeeded');
    expect(engine.invoker.calls[1]).toMatchObject({ attempt: 2, progress: { transferId: 't-1' } });
  });
});

describe('handleDeadLetter', () => {
  it('hands a step whose retries ran out to an operator once', async () => {
    const engine = memoryEngine();
    const { run, message } = await queuedLeaver(engine);
    engine.invoker.answer(ACTION, { ok: false, error: { message: 'HTTP 503', retryable: true } });
    await dispatchStep(engine.deps, message, 1).catch(() => undefined);

    expect(await handleDeadLetter(engine.deps, message)).toBe(true);
    expect(await handleDeadLetter(engine.deps, message)).toBe(false);
    const after = await engine.store.getRun('E100', run.runId);
    expect(after?.steps[0].status).toBe('needs_attention');
    expect(engine.published).toHaveLength(1);
    const audit = await engine.store.listAudit('E100');
    expect(audit.find((a) => a.to === 'needs_attention')).toMatchObject({ actor: 'dead-letter', change: 'failed 4 times and needs an operator' });
  });
});
