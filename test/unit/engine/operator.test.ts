/** Operator use cases on the in-memory parts: retry, skip and cancel, and what an operator reads. */
import { dispatchStep } from '../../../lambdas/engine/dispatch';
import { employeeView, findRunView, listAlerts, listRuns, operatorCancel, operatorRetry, operatorSkip } from '../../../lambdas/engine/operator';
import { TransitionError } from '../../../lambdas/engine/step-machine';
import { memoryEngine, type MemoryEngine } from '../../support/memory-engine';
import { accept, laterLeaver, queuedLeaver } from './engine-fixtures';

/** A leaver whose cut-off failed with an error a retry cannot fix: needs_attention, one open alert. */
async function stuckLeaver(engine: MemoryEngine) {
  const { run, message } = await queuedLeaver(engine);
  engine.invoker.answer('forward.event', { ok: false, error: { message: '403 from the receiver', retryable: false } }).answer('forward.event', { ok: true });
  expect(await dispatchStep(engine.deps, message, 1)).toBe('needs_attention');
  return { run, message };
}

describe('operator calls', () => {
  it('retry queues a step in needs_attention again and resolves its alert', async () => {
    const engine = memoryEngine();
    const { run, message } = await stuckLeaver(engine);
    const sentBefore = engine.queue.sent.length;

    const retried = await operatorRetry(engine.deps, run.runId, 'forward-event', 'ops@example.com');
    expect(retried.steps[0].status).toBe('queued');
    expect(engine.queue.sent.slice(sentBefore).map((s) => s.message)).toEqual([message]);
    expect(await listAlerts(engine.deps, 'open')).toEqual([]);
    expect((await engine.store.listAudit('E100')).find((a) => a.change === 'step retried by an operator')).toMatchObject({ actor: 'ops@example.com', to: 'queued' });

    expect(await dispatchStep(engine.deps, message, 1)).toBe('succeeded');
    expect((await findRunView(engine.deps, run.runId))?.status).toBe('completed');
  });

  it('retry hands the action what the failed attempt learnt (progress of a failure a retry cannot fix)', async () => {
    const engine = memoryEngine();
    const { run, message } = await queuedLeaver(engine);
    engine.invoker
      .answer('forward.event', { ok: false, error: { message: 'no room', retryable: false, progress: { removed: ['old@example.com'] } } })
      .answer('forward.event', { ok: true });
    expect(await dispatchStep(engine.deps, message, 1)).toBe('needs_attention');

    await operatorRetry(engine.deps, run.runId, 'forward-event', 'ops@example.com');
    expect(await dispatchStep(engine.deps, message, 1)).toBe('succeeded');
    expect(engine.invoker.calls[1]).toMatchObject({ progress: { removed: ['old@example.com'] } });
    // And tells it the step was retried by an operator, so a clock kept in progress (a wait's start) can start again.
    expect(engine.invoker.calls[0]).not.toHaveProperty('retries');
    expect(engine.invoker.calls[1]).toMatchObject({ retries: 1 });
  });

  it('skip settles a step in needs_attention, completes the run and resolves its alert', async () => {
    const engine = memoryEngine();
    const { run } = await stuckLeaver(engine);
    const skipped = await operatorSkip(engine.deps, run.runId, 'forward-event', 'ops@example.com');
    expect(skipped.steps[0].status).toBe('skipped');
    expect(skipped.status).toBe('completed');
    expect(await listAlerts(engine.deps, 'open')).toEqual([]);
  });

  it('cancel stops a scheduled leaver: every step cancelled, nothing left on the due index', async () => {
    const engine = memoryEngine();
    const run = await accept(engine, laterLeaver());
    const cancelled = await operatorCancel(engine.deps, run.runId, 'ops@example.com');
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.steps.map((s) => s.status)).toEqual(['cancelled']);
    expect((await engine.store.queryDue(run.dueShard!, '2027-01-01T00:00:00.000Z')).runs).toEqual([]);
    expect(engine.queue.sent).toEqual([]);
  });

  it('refuses a call on a run that does not exist as not found', async () => {
    const engine = memoryEngine();
    const refusal = await operatorRetry(engine.deps, 'no-such-run', 'forward-event', 'ops').catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(TransitionError);
    expect(refusal).toMatchObject({ message: 'run no-such-run not found', code: 'not_found' });
    expect(await findRunView(engine.deps, 'no-such-run')).toBeUndefined();
  });

  it('shows a run without the lease token only workers use', async () => {
    const engine = memoryEngine();
    const { run, message } = await queuedLeaver(engine);
    engine.invoker.answer('forward.event', async () => {
      const seen = await findRunView(engine.deps, run.runId);
      expect(seen?.steps[0].status).toBe('running');
      expect(seen?.steps[0]).not.toHaveProperty('leaseToken');
      return { ok: true };
    });
    await dispatchStep(engine.deps, message, 1);
  });

  it('shows an employee with their runs and audit trail, and lists runs by status', async () => {
    const engine = memoryEngine();
    const run = await accept(engine, laterLeaver());
    const view = await employeeView(engine.deps, 'E100');
    expect(view).toMatchObject({ employee: { id: 'E100' }, accounts: [], runs: [{ runId: run.runId }] });
    expect(view?.audit.length).toBeGreaterThan(0);
    expect(await employeeView(engine.deps, 'nobody')).toBeUndefined();
    expect((await listRuns(engine.deps, 'scheduled')).map((r) => r.runId)).toEqual([run.runId]);
    expect(await listRuns(engine.deps, 'completed')).toEqual([]);
  });
});
