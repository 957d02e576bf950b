/** A delivery handed back for want of time: a fresh copy that spends no receive, and still counts the failures before it. */
import { dispatchStep, handBack, RetryLaterError } from '../../../lambdas/engine/dispatch';
import { memoryEngine } from '../../support/memory-engine';
import { queuedLeaver } from './engine-fixtures';

const failing = { ok: false as const, error: { message: 'HTTP 503 from downstream', retryable: true } };

describe('handBack', () => {
  it('queues a copy visible at once, carrying the failed receives before this one, and claims nothing', async () => {
    const engine = memoryEngine();
    const { run, message } = await queuedLeaver(engine);
    await handBack(engine.deps, message, 3);
    expect(engine.queue.sent.at(-1)).toMatchObject({ message: { ...message, priorReceives: 2 }, delaySeconds: 0 });
    const after = await engine.store.getRun(run.employeeId, run.runId);
    expect(after?.steps[0]).toMatchObject({ status: 'queued', attempts: 0 });
  });

  it('a first delivery handed back makes a copy with no failures to carry', async () => {
    const engine = memoryEngine();
    const { message } = await queuedLeaver(engine);
    await handBack(engine.deps, message, 1);
    expect(engine.queue.sent.at(-1)?.message).toEqual(message);
  });
});

describe('dispatchStep on a handed-back copy', () => {
  it('hands the step to an operator when its failures, the copies before it included, reach maxReceiveCount', async () => {
    const engine = memoryEngine({ settings: { maxReceiveCount: 4 } });
    const { run, message } = await queuedLeaver(engine);
    engine.invoker.answer('forward.event', failing);
    // Two failed receives before the hand-back, one on the copy: three, so one more try.
    const third = await dispatchStep(engine.deps, { ...message, priorReceives: 2 }, 1).catch((err: unknown) => err);
    expect(third).toBeInstanceOf(RetryLaterError);
    expect(await dispatchStep(engine.deps, { ...message, priorReceives: 2 }, 2)).toBe('needs_attention');
    const after = await engine.store.getRun(run.employeeId, run.runId);
    expect(after?.steps[0]).toMatchObject({ status: 'needs_attention', lastError: { message: 'HTTP 503 from downstream' } });
    expect(engine.published).toHaveLength(1);
  });

  it('leaves a message never handed back to the dead-letter queue, as before', async () => {
    const engine = memoryEngine({ settings: { maxReceiveCount: 4 } });
    const { message } = await queuedLeaver(engine);
    engine.invoker.answer('forward.event', failing);
    const fourth = await dispatchStep(engine.deps, message, 4).catch((err: unknown) => err);
    expect(fourth).toBeInstanceOf(RetryLaterError);
  });
});
