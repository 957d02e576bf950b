import { actionCatalog } from '../../lambdas/handlers/engine-deps';
/**
 * The engine's dependencies in memory, for unit tests of its use cases: the in-memory store and queue, a clock the
 * test moves, an action invoker the test scripts, and the alerts and metrics it records.
 */
import type { Alert } from '../../lambdas/engine/model';
import { silentLog, type ActionInvoker, type ActionRequest, type ActionResponse, type EngineDeps, type EngineSettings } from '../../lambdas/engine/ports';
import { settings as defaultSettings } from './builders';
import { ManualClock } from './manual-clock';
import { MemoryQueue } from './memory-queue';
import { MemoryStore } from './memory-store';
import { FORWARD_ONLY_PLAYBOOKS } from './playbooks';

/** Answers each action call with what the test scripted for its action (success unless told otherwise). */
export class ScriptedInvoker implements ActionInvoker {
  readonly calls: ActionRequest[] = [];
  private readonly answers = new Map<string, ((request: ActionRequest) => ActionResponse | Promise<ActionResponse>)[]>();

  /** The next call of `action` gets `answer`; several calls queue answers in order, the last one repeating. */
  answer(action: string, answer: ActionResponse | ((request: ActionRequest) => ActionResponse | Promise<ActionResponse>)): this {
    const list = this.answers.get(action) ?? [];
    list.push(typeof answer === 'function' ? answer : () => answer);
    this.answers.set(action, list);
    return this;
  }

  async invoke(request: ActionRequest): Promise<ActionResponse> {
    this.calls.push(request);
    const list = this.answers.get(request.action);
    if (!list?.length) return { ok: true };
    const next = list.length > 1 ? list.shift()! : list[0];
    return next(request);
  }
}

export interface MemoryEngine {
  deps: EngineDeps;
  store: MemoryStore;
  queue: MemoryQueue;
  clock: ManualClock;
  invoker: ScriptedInvoker;
  published: Alert[];
  succeeded: string[];
  failed: string[];
}

export function memoryEngine(options: { start?: string; settings?: Partial<EngineSettings>; deps?: Partial<EngineDeps> } = {}): MemoryEngine {
  const clock = new ManualClock(options.start ?? '2026-11-30T08:00:00.000Z');
  const store = new MemoryStore();
  const queue = new MemoryQueue(clock);
  const invoker = new ScriptedInvoker();
  const published: Alert[] = [];
  const succeeded: string[] = [];
  const failed: string[] = [];
  const deps: EngineDeps = {
    store,
    queue,
    invoker,
    actions: actionCatalog,
    alerts: { publish: async (alert) => void published.push(alert) },
    clock,
    settings: { ...defaultSettings, ...options.settings },
    playbooks: FORWARD_ONLY_PLAYBOOKS,
    log: silentLog,
    metrics: { stepSucceeded: (action) => void succeeded.push(action), stepFailed: (action) => void failed.push(action) },
    ...options.deps,
  };
  return { deps, store, queue, clock, invoker, published, succeeded, failed };
}
