/**
 * What the end-to-end files share: the local runtime started once before a file's tests on a clock the test moves
 * (the emulators on the same clock unless told otherwise) and stopped after them, and the waits for one employee's
 * runs, which fail at once with the reason when a step waits for an operator.
 */
import type { Run, Step } from '../../lambdas/engine/model';
import type { Runtime } from '../../local/runtime';
import { fastPolling } from './fast-playbooks';
import { eventually, start } from './harness';

export interface E2eRuntimeOptions {
  /** Whether the emulators keep the test's time too (default true): a mail's delivery time read back, a rule's window. */
  emulatorsOnClock?: boolean;
  /** Set-up once the runtime is up (free licence seats, a quota). */
  setUp?: (rt: Runtime) => void | Promise<void>;
  /** How long a wait gives a run (default 30 s). */
  timeoutMs?: number;
}

export interface E2eRuntime {
  /** The runtime, once the file's beforeAll has started it. */
  rt: () => Runtime;
  runOf: (runId: string) => Promise<Run>;
  /** The run and the step once the step has succeeded. */
  stepDone: (runId: string, stepId: string) => Promise<{ run: Run; step: Step }>;
  /** The run once the steps named have succeeded (or `done` says so) and the runtime is idle. */
  settled: (runId: string, done: readonly string[] | ((run: Run) => boolean), what: string) => Promise<Run>;
  /** The run once no step is queued or running and the runtime is idle. */
  finished: (runId: string, what: string) => Promise<Run>;
}

export function useE2eRuntime(now: () => number, employeeId: string, options: E2eRuntimeOptions = {}): E2eRuntime {
  let runtime: Runtime | undefined;
  beforeAll(async () => {
    const clock = { now: () => new Date(now()) };
    runtime = await start({ clock, ...(options.emulatorsOnClock === false ? {} : { providerClock: clock }), roleCacheMs: 0, playbooks: fastPolling });
    await options.setUp?.(runtime);
  });
  afterAll(async () => {
    await runtime?.stop();
  });
  const rt = () => runtime!;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const runOf = async (runId: string): Promise<Run> => (await rt().engine.store.getRun(employeeId, runId))!;
  /** A step waiting for an operator ends the wait with each such step's alert (or error). */
  const failIfStuck = async (run: Run, what: string, steps: readonly Step[] = run.steps) => {
    const stuck = steps.filter((s) => s.status === 'needs_attention');
    if (!stuck.length) return;
    const alerts = (await rt().engine.store.listAlerts('open')).filter((a) => a.runId === run.runId);
    throw new Error(`${what}: ${stuck.map((s) => `${s.stepId}: ${alerts.find((a) => a.stepId === s.stepId)?.message ?? s.lastError?.message}`).join('\n')}`);
  };
  return {
    rt,
    runOf,
    stepDone: (runId, stepId) =>
      eventually(async () => {
        const run = await runOf(runId);
        const step = run.steps.find((s) => s.stepId === stepId);
        if (step) await failIfStuck(run, stepId, [step]);
        return step?.status === 'succeeded' ? { run, step } : undefined;
      }, timeoutMs, stepId),
    settled: (runId, done, what) =>
      eventually(async () => {
        const run = await runOf(runId);
        if (typeof done === 'function') {
          await failIfStuck(run, what);
          return done(run) && rt().idle() ? run : undefined;
        }
        const open = run.steps.filter((s) => done.includes(s.stepId) && s.status !== 'succeeded');
        await failIfStuck(run, what, open);
        return open.length === 0 && rt().idle() ? run : undefined;
      }, timeoutMs, what),
    finished: (runId, what) =>
      eventually(async () => {
        const run = await runOf(runId);
        await failIfStuck(run, what);
        return run.steps.every((s) => s.status !== 'queued' && s.status !== 'running') && rt().idle() ? run : undefined;
      }, timeoutMs, what),
  };
}

/** One more Business Standard seat than the sample tenant uses (its seats are all taken): for a hire that needs one. */
export function freeSeat(rt: Runtime): void {
  const seats = rt.emulators.google.seats('Google-Apps', '1010020028')!;
  rt.emulators.google.setSkuSeats('Google-Apps', '1010020028', seats.used + 1);
}
