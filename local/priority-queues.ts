/**
 * The local steps queues: one local queue per priority class (as on AWS, where SQS has no priorities), read by one pool
 * of pollers that takes the highest class first. So no lower class starves, a class passed over `starvationBound`
 * times in a row while it had messages waiting is served next: with the default of 4 and batches of 10, a continuous
 * stream of lockouts still lets one batch of each lower class through at least every fifth receive.
 */
import { DEFAULT_PRIORITY, PRIORITY_CLASSES, type PriorityClass } from '../config/priority';
import type { StepMessage } from '../lambdas/engine/ports';
import type { LocalQueue, QueueMessage } from './local-queue';

/** Receives in a row a class with waiting messages may be passed over for a higher one before it is served first. */
export const DEFAULT_STARVATION_BOUND = 4;

/**
 * The ordering rule, pure: the class the next batch is taken from, given which classes have messages waiting and how
 * many receives in a row each was passed over. The class passed over longest once it reached the bound, else the
 * highest class waiting; undefined when nothing waits.
 */
export function nextClass(waiting: ReadonlySet<PriorityClass>, passedOver: Readonly<Record<PriorityClass, number>>, starvationBound: number): PriorityClass | undefined {
  const starved = PRIORITY_CLASSES.filter((c) => waiting.has(c) && passedOver[c] >= starvationBound).sort((a, b) => passedOver[b] - passedOver[a]);
  return starved[0] ?? PRIORITY_CLASSES.find((c) => waiting.has(c));
}

/** The counts after a receive served `served`: it starts again at 0, every other class still waiting was passed over once more. */
export function afterServing(served: PriorityClass, waiting: ReadonlySet<PriorityClass>, passedOver: Readonly<Record<PriorityClass, number>>): Record<PriorityClass, number> {
  const next = { ...passedOver };
  for (const c of PRIORITY_CLASSES) next[c] = c === served || !waiting.has(c) ? 0 : passedOver[c] + 1;
  return next;
}

const zero = (): Record<PriorityClass, number> => ({ lockout: 0, protect: 0, housekeeping: 0 });

/** The three steps queues behind one face: what a worker, the runtime and the tests read of "the steps queue". */
export class PriorityQueues {
  private passedOver = zero();

  constructor(
    readonly queues: Readonly<Record<PriorityClass, LocalQueue>>,
    readonly starvationBound = DEFAULT_STARVATION_BOUND,
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
    const served = nextClass(waiting, this.passedOver, this.starvationBound);
    if (!served) return [];
    this.passedOver = afterServing(served, waiting, this.passedOver);
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
