/**
 * The local steps queues: one local queue per priority class (as on AWS, where SQS has no priorities), read by one pool
 * of pollers that takes the highest class first. So that no lower class starves, a class that has had messages waiting
 * for `starvationSeconds` without being served is served next, one batch, and its wait starts again: a continuous stream
 * of lockouts still lets a batch of each lower class through at least once a minute by default. A layoff's lockouts
 * (300 leavers under a 2,400-a-minute quota) take about that minute, so the bound barely touches them.
 */
import { DEFAULT_PRIORITY, PRIORITY_CLASSES, type PriorityClass } from '../config/priority';
import type { StepMessage } from '../lambdas/engine/ports';
import type { LocalQueue, QueueMessage } from './local-queue';

/** How long a class with messages waiting may go unserved while higher classes are taken. */
export const DEFAULT_STARVATION_SECONDS = 60;

/** Since when (epoch ms) each class has had messages waiting unserved; undefined while it has none waiting. */
export type WaitingSince = Readonly<Record<PriorityClass, number | undefined>>;

/**
 * The ordering rule, pure: the class the next batch is taken from. The class that has waited longest, once it has
 * waited `starvationMs` or more; else the highest class with messages waiting; undefined when nothing waits.
 */
export function nextClass(waiting: ReadonlySet<PriorityClass>, since: WaitingSince, now: number, starvationMs: number): PriorityClass | undefined {
  const starved = PRIORITY_CLASSES.filter((c) => waiting.has(c) && since[c] !== undefined && now - since[c] >= starvationMs).sort((a, b) => since[a]! - since[b]!);
  return starved[0] ?? PRIORITY_CLASSES.find((c) => waiting.has(c));
}

/** The waits after a receive served `served`: its wait starts again now, a class with nothing waiting has none, the others keep theirs. */
export function afterServing(served: PriorityClass, waiting: ReadonlySet<PriorityClass>, since: WaitingSince, now: number): Record<PriorityClass, number | undefined> {
  const next = { ...since };
  for (const c of PRIORITY_CLASSES) next[c] = !waiting.has(c) ? undefined : c === served ? now : (since[c] ?? now);
  return next;
}

/** The three steps queues behind one face: what a worker, the runtime and the tests read of "the steps queue". */
export class PriorityQueues {
  private since: WaitingSince = { lockout: undefined, protect: undefined, housekeeping: undefined };

  constructor(
    readonly queues: Readonly<Record<PriorityClass, LocalQueue>>,
    readonly starvationSeconds = DEFAULT_STARVATION_SECONDS,
    private readonly now: () => number = Date.now,
  ) {}

  get name() {
    return 'steps';
  }

  /** Sends a step message to its class's queue (a message naming no class goes to DEFAULT_PRIORITY's). */
  send(body: string, delaySeconds = 0): string {
    const priority = (JSON.parse(body) as StepMessage).priority ?? DEFAULT_PRIORITY;
    return (this.queues[priority] ?? this.queues[DEFAULT_PRIORITY]).send(body, delaySeconds);
  }

  /** Receives up to `max` messages of one class, chosen by the ordering rule (a batch, as an event source mapping hands one, comes from one queue). */
  receive(max = 10): QueueMessage[] {
    const waiting = new Set(PRIORITY_CLASSES.filter((c) => this.queues[c].stats().visible > 0));
    const now = this.now();
    const served = nextClass(waiting, this.since, now, this.starvationSeconds * 1000);
    if (!served) return [];
    this.since = afterServing(served, waiting, this.since, now);
    return this.queues[served].receive(max);
  }

  delete(receiptHandle: string): boolean {
    return PRIORITY_CLASSES.some((c) => this.queues[c].delete(receiptHandle));
  }

  changeVisibility(receiptHandle: string, seconds: number): boolean {
    return PRIORITY_CLASSES.some((c) => this.queues[c].changeVisibility(receiptHandle, seconds));
  }

  /** Counts over the three queues, as the SQS console shows them. */
  stats() {
    const all = PRIORITY_CLASSES.map((c) => this.queues[c].stats());
    return { visible: sum(all.map((s) => s.visible)), inFlight: sum(all.map((s) => s.inFlight)), delayed: sum(all.map((s) => s.delayed)) };
  }

  peek(): QueueMessage[] {
    return PRIORITY_CLASSES.flatMap((c) => this.queues[c].peek());
  }

  flush() {
    for (const c of PRIORITY_CLASSES) this.queues[c].flush();
  }
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
