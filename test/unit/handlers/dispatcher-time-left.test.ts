/**
 * The dispatcher against its own timeout: records run in parallel lanes, and a record it has no time for is handed
 * back unclaimed, as a fresh copy, so no healthy step spends a receive. Time is driven (Jest's clock): the actions'
 * 25 s and the function's 60 s pass in a few milliseconds.
 */
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { createDispatcherHandler } from '../../../lambdas/handlers/dispatcher';
import type { StepMessage } from '../../../lambdas/engine/ports';
import { LocalQueue, LocalStepQueue } from '../../../local/local-queue';
import { startQueueWorker, type SqsHandler } from '../../../local/queue-worker';
import { terminateEvent } from '../../support/builders';
import { memoryEngine, type MemoryEngine } from '../../support/memory-engine';
import { accept } from '../engine/engine-fixtures';

const SLOW_MS = 25_000;
const QUICK_MS = 2_000;
const DISPATCHER_TIMEOUT_SECONDS = 60;

interface Delivery {
  step: string;
  receiveCount: number;
}

async function queuedLeavers(engine: MemoryEngine, count: number): Promise<StepMessage[]> {
  const base = terminateEvent().employee;
  const out: StepMessage[] = [];
  for (let i = 0; i < count; i++) {
    const id = `E-${i}`;
    const run = await accept(engine, terminateEvent({ urgent: true, eventId: `hr-${id}`, employee: { ...base, id, email: `e${i}@example.com` } }));
    const sent = engine.queue.sent.at(-1)?.message;
    if (sent?.runId !== run.runId) throw new Error(`intake queued nothing for ${id}`);
    out.push(sent);
  }
  return out;
}

/** Ten leavers' steps in one batch: the first two actions take 25 s, the other eight 2 s; the dispatcher on a local queue. */
async function scenario(parallel: number) {
  const engine = memoryEngine({ settings: { massChange: { threshold: 100, windowMinutes: 60 }, actionTimeoutSeconds: 30 } });
  const messages = await queuedLeavers(engine, 10);
  const slow = new Set(messages.slice(0, 2).map((m) => m.runId));
  const steps = new LocalQueue({ name: 'steps', visibilityTimeoutSeconds: 6 * DISPATCHER_TIMEOUT_SECONDS, redrive: { deadLetter: new LocalQueue({ name: 'dlq', visibilityTimeoutSeconds: 30 }), maxReceiveCount: 4 } });
  for (const m of messages) steps.send(JSON.stringify(m));
  engine.invoker.answer('forward.event', async (request) => {
    await new Promise((r) => setTimeout(r, slow.has(request.runId) ? SLOW_MS : QUICK_MS));
    return { ok: true };
  });
  const deliveries: Delivery[] = [];
  const dispatcher = createDispatcherHandler(() => ({ ...engine.deps, queue: new LocalStepQueue(steps) }), { parallel });
  const handler: SqsHandler = (event: SQSEvent, context) => {
    for (const r of event.Records as SQSRecord[]) deliveries.push({ step: (JSON.parse(r.body) as StepMessage).runId, receiveCount: Number(r.attributes.ApproximateReceiveCount) });
    return dispatcher(event, context);
  };
  const timeouts: unknown[] = [];
  const worker = startQueueWorker({ queue: steps, handler, functionName: 'dispatcher', batchSize: 10, timeoutSeconds: DISPATCHER_TIMEOUT_SECONDS, onError: (e) => timeouts.push(e) });
  // Drive the clock until the queue is empty, at most ten virtual minutes.
  for (let waited = 0; !worker.idle() && waited < 600_000; waited += 1_000) await jest.advanceTimersByTimeAsync(1_000);
  const idle = worker.idle();
  const stopping = worker.stop();
  await jest.advanceTimersByTimeAsync(1_000);
  await stopping;
  const runs = await Promise.all(messages.map((m) => engine.store.getRun(m.employeeId, m.runId)));
  return { engine, idle, deliveries, timeouts, runs, messages, dlq: steps.options.redrive!.deadLetter };
}

describe('the dispatcher and the time it has left', () => {
  beforeEach(() => jest.useFakeTimers({ now: Date.parse('2026-11-30T08:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('runs two 25 s actions and eight quick ones in one invocation: all ten succeed, none received twice', async () => {
    const out = await scenario(10);
    expect(out.idle).toBe(true);
    expect(out.timeouts).toEqual([]);
    expect(out.runs.map((r) => r?.steps[0].status)).toEqual(Array(10).fill('succeeded'));
    expect(out.runs.map((r) => r?.steps[0].attempts)).toEqual(Array(10).fill(1));
    // One delivery per step, each its message's first receive.
    expect(out.deliveries).toHaveLength(10);
    expect(out.deliveries.every((d) => d.receiveCount === 1)).toBe(true);
  });

  it('hands back what one record at a time has no time for: delivered again at once, its attempts and receive count untouched', async () => {
    // One at a time, a slow action leaves 35 s of the 60: less than an action's worst case (30 s, a cold start, recording).
    const out = await scenario(1);
    expect(out.timeouts).toEqual([]);
    expect(out.runs.map((r) => r?.steps[0].status)).toEqual(Array(10).fill('succeeded'));
    expect(out.runs.map((r) => r?.steps[0].attempts)).toEqual(Array(10).fill(1));
    // Everything behind the first slow action was handed back at least once, each copy a first receive.
    const handedBack = out.messages.slice(1).map((m) => m.runId);
    const perStep = (runId: string) => out.deliveries.filter((d) => d.step === runId);
    for (const runId of handedBack) expect(perStep(runId).length).toBeGreaterThanOrEqual(2);
    expect(out.deliveries.every((d) => d.receiveCount === 1)).toBe(true);
    expect(out.dlq.peek()).toEqual([]);
  });
});
