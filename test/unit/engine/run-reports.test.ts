/** The engine tells its RunReports port of a run that ended or of a change in the steps waiting for an operator, after the write. */
import { dispatchStep } from '../../../lambdas/engine/dispatch';
import type { Run } from '../../../lambdas/engine/model';
import { operatorCancel, operatorRetry, operatorSkip } from '../../../lambdas/engine/operator';
import type { RunNotice, RunReports } from '../../../lambdas/engine/ports';
import { runNotice } from '../../../lambdas/engine/run-updates';
import { DISPATCH_OVERHEAD_SECONDS, RUN_REPORT_DEADLINE_MS } from '../../../config/dispatch-timing';
import { memoryEngine } from '../../support/memory-engine';
import { accept, laterLeaver, queuedLeaver } from './engine-fixtures';

const ACTION = 'forward.event';

/** A reporter that records each notice with the run's status as the store had it when told. */
function recorder(read: (run: Run) => Promise<Run | undefined>, fail = false) {
  const told: { notice: RunNotice; status: string; stored?: string }[] = [];
  const reports: RunReports = {
    async runChanged(run, notice) {
      told.push({ notice, status: run.status, stored: (await read(run))?.status });
      if (fail) throw Object.assign(new Error('Jira down'), { code: 'JIRA_DOWN' });
    },
  };
  return { told, reports };
}

describe('runNotice', () => {
  const run = (status: Run['status'], steps: [string, string][]) => ({ status, steps: steps.map(([stepId, s]) => ({ stepId, status: s })) }) as unknown as Run;

  it('names the settled status once, and the steps that newly need an operator', () => {
    expect(runNotice(run('in_progress', [['a', 'running']]), run('completed', [['a', 'succeeded']]))).toEqual({ settled: 'completed', needsAttention: [] });
    expect(runNotice(run('in_progress', [['a', 'running'], ['b', 'needs_attention']]), run('needs_attention', [['a', 'needs_attention'], ['b', 'needs_attention']]))).toEqual({ needsAttention: ['a'] });
    expect(runNotice(run('awaiting_approval', [['a', 'pending']]), run('rejected', [['a', 'cancelled']]))).toEqual({ settled: 'rejected', needsAttention: [] });
  });

  it('names the steps that leave the operator\'s hands: retried or skipped, and a retried step once it has settled', () => {
    const step = (stepId: string, status: string, retries?: number) => ({ stepId, status, ...(retries ? { retries } : {}) });
    const runOf = (status: Run['status'], steps: object[]) => ({ status, steps }) as unknown as Run;
    expect(runNotice(runOf('needs_attention', [step('a', 'needs_attention')]), runOf('in_progress', [step('a', 'skipped')]))).toEqual({ needsAttention: [], cleared: ['a'] });
    expect(runNotice(runOf('needs_attention', [step('a', 'needs_attention')]), runOf('in_progress', [step('a', 'queued', 1)]))).toEqual({ needsAttention: [], cleared: ['a'] });
    // The retried step's claim tells nothing; its success does, once.
    expect(runNotice(runOf('in_progress', [step('a', 'queued', 1)]), runOf('in_progress', [step('a', 'running', 1)]))).toBeUndefined();
    expect(runNotice(runOf('in_progress', [step('a', 'running', 1), step('b', 'pending')]), runOf('in_progress', [step('a', 'succeeded', 1), step('b', 'queued')]))).toEqual({ needsAttention: [], cleared: ['a'] });
    expect(runNotice(runOf('in_progress', [step('a', 'succeeded', 1), step('b', 'running')]), runOf('in_progress', [step('a', 'succeeded', 1), step('b', 'succeeded')]))).toBeUndefined();
    // Failing again after the retry: it needs an operator again.
    expect(runNotice(runOf('in_progress', [step('a', 'running', 1)]), runOf('needs_attention', [step('a', 'needs_attention', 1)]))).toEqual({ needsAttention: ['a'] });
  });

  it('is nothing for a change that neither ends the run nor hands a step to an operator', () => {
    expect(runNotice(run('scheduled', [['a', 'pending']]), run('in_progress', [['a', 'queued']]))).toBeUndefined();
    expect(runNotice(run('completed', [['a', 'succeeded']]), run('completed', [['a', 'succeeded']]))).toBeUndefined();
    expect(runNotice(run('needs_attention', [['a', 'needs_attention']]), run('needs_attention', [['a', 'needs_attention']]))).toBeUndefined();
  });
});

describe('the RunReports port', () => {
  it('is told once a step that failed for good is written as needing an operator, and not of the claim before', async () => {
    const engine = memoryEngine();
    const { told, reports } = recorder((r) => engine.store.getRun(r.employeeId, r.runId));
    engine.deps.reports = reports;
    const { message } = await queuedLeaver(engine);
    engine.invoker.answer(ACTION, { ok: false, error: { message: 'Zendesk answered 422: Email is already being used by another user', retryable: false } });
    expect(await dispatchStep(engine.deps, message, 1)).toBe('needs_attention');
    expect(told).toEqual([{ notice: { needsAttention: [message.stepId] }, status: 'needs_attention', stored: 'needs_attention' }]);
  });

  it('is told when an operator retries a step and when the retried step succeeds, not of the claim between; and when one is skipped', async () => {
    const engine = memoryEngine();
    const { told, reports } = recorder((r) => engine.store.getRun(r.employeeId, r.runId));
    engine.deps.reports = reports;
    const { run, message } = await queuedLeaver(engine);
    engine.invoker.answer(ACTION, { ok: false, error: { message: 'Google answered 412 conditionNotMet', retryable: false } }).answer(ACTION, { ok: true, note: 'done' });
    expect(await dispatchStep(engine.deps, message, 1)).toBe('needs_attention');
    await operatorRetry(engine.deps, run.runId, message.stepId, 'it@example.com');
    expect(await dispatchStep(engine.deps, message, 1)).toBe('succeeded');
    expect(told.map((t) => t.notice)).toEqual([{ needsAttention: [message.stepId] }, { needsAttention: [], cleared: [message.stepId] }, { settled: 'completed', needsAttention: [], cleared: [message.stepId] }]);

    const other = memoryEngine();
    const skips = recorder((r) => other.store.getRun(r.employeeId, r.runId));
    other.deps.reports = skips.reports;
    const second = await queuedLeaver(other);
    other.invoker.answer(ACTION, { ok: false, error: { message: 'Google answered 412 conditionNotMet', retryable: false } });
    await dispatchStep(other.deps, second.message, 1);
    skips.told.length = 0;
    await operatorSkip(other.deps, second.run.runId, second.message.stepId, 'it@example.com');
    expect(skips.told.map((t) => t.notice.cleared)).toEqual([[second.message.stepId]]);
  });

  it('is told when a run completes, and when an operator cancels one', async () => {
    const engine = memoryEngine();
    const { told, reports } = recorder((r) => engine.store.getRun(r.employeeId, r.runId));
    engine.deps.reports = reports;
    const { message } = await queuedLeaver(engine);
    await dispatchStep(engine.deps, message, 1);
    expect(told).toEqual([{ notice: { settled: 'completed', needsAttention: [] }, status: 'completed', stored: 'completed' }]);
    const later = await accept(engine, laterLeaver());
    await operatorCancel(engine.deps, later.runId, 'it@example.com');
    expect(told.at(-1)).toEqual({ notice: { settled: 'cancelled', needsAttention: [] }, status: 'cancelled', stored: 'cancelled' });
  });

  it('a reporter that fails is logged by ids and code; the change stands and the step is not failed', async () => {
    const warned: Record<string, unknown>[] = [];
    const engine = memoryEngine({ deps: { log: { info: () => {}, error: () => {}, warn: (_m, extra) => void warned.push(extra ?? {}) } } });
    const { reports } = recorder(async () => undefined, true);
    engine.deps.reports = reports;
    const { run, message } = await queuedLeaver(engine);
    expect(await dispatchStep(engine.deps, message, 1)).toBe('succeeded');
    expect((await engine.store.getRun('E100', run.runId))?.status).toBe('completed');
    expect(warned).toEqual([{ runId: run.runId, employeeId: 'E100', errorName: 'Error', errorCode: 'JIRA_DOWN' }]);
  });

  it('a reporter that hangs is abandoned at the deadline, logged by ids; the step is recorded without waiting for it', async () => {
    const warned: { message: string; extra: Record<string, unknown> }[] = [];
    const engine = memoryEngine({ deps: { log: { info: () => {}, error: () => {}, warn: (message, extra) => void warned.push({ message, extra: extra ?? {} }) } } });
    engine.deps.reports = { runChanged: () => new Promise<void>(() => {}) };
    const { run, message } = await queuedLeaver(engine);
    const started = Date.now();
    expect(await dispatchStep(engine.deps, message, 1)).toBe('succeeded');
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(RUN_REPORT_DEADLINE_MS - 50);
    expect(took).toBeLessThan(RUN_REPORT_DEADLINE_MS + 1500);
    expect(RUN_REPORT_DEADLINE_MS).toBeLessThan(DISPATCH_OVERHEAD_SECONDS.recording * 1000);
    expect((await engine.store.getRun('E100', run.runId))?.status).toBe('completed');
    expect(warned).toEqual([{ message: 'run report abandoned', extra: { runId: run.runId, employeeId: 'E100', deadlineMs: RUN_REPORT_DEADLINE_MS } }]);
  }, 10_000);
});
