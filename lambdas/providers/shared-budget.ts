/**
 * A request budget shared by every process of a stage: each window (one second) allows `perMinute / 60` requests,
 * counted in one store item that every process takes from with a conditional write, so ten dispatchers and their
 * action functions together stay within the provider's quota however many containers run.
 */
import type { RequestBudget } from './rate-limited-fetch';

/** Where the windows' counts live (the lifecycle table on AWS and locally). */
export interface BudgetStore {
  /**
   * Takes `want` requests from window `window` of budget `budget`, which allows `capacity`: answers `want`, or 0 when
   * the window has less than that left (or a later window has already begun in the store).
   */
  take(budget: string, window: number, want: number, capacity: number): Promise<number>;
}

export interface SharedBudgetOptions {
  /** The budget's name, one per provider: `google`. */
  name: string;
  /** Requests per minute the stage allows itself, all processes together. */
  perMinute: number;
  store: BudgetStore;
  /** Requests taken per store write: more saves writes, and wastes what a process takes and does not use. Default 1. */
  block?: number;
  /** Used when the store cannot be reached: the process keeps working within its own bucket. */
  fallback: RequestBudget;
  onStoreError?: (err: unknown) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const BUDGET_WINDOW_MS = 1_000;

/** Requests one window allows: any 60 s (61 windows at most) then stays within perMinute × 61/60. */
export function windowCapacity(perMinute: number): number {
  return Math.max(1, Math.floor((perMinute * BUDGET_WINDOW_MS) / 60_000));
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class SharedBudget implements RequestBudget {
  private window = -1;
  private held = 0;
  private queue: Promise<void> = Promise.resolve();
  private readonly capacity: number;
  private readonly block: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: SharedBudgetOptions) {
    if (!(options.perMinute > 0)) throw new Error(`shared budget ${options.name}: perMinute must be positive, got ${options.perMinute}`);
    this.capacity = windowCapacity(options.perMinute);
    this.block = Math.min(this.capacity, Math.max(1, Math.floor(options.block ?? 1)));
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** Callers of one process wait in order, as with the token bucket. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.takeOne());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async takeOne(): Promise<void> {
    for (;;) {
      const window = Math.floor(this.now() / BUDGET_WINDOW_MS);
      if (window !== this.window) {
        // What a process holds lapses with its window: carried over, it would let a later window exceed its count.
        this.window = window;
        this.held = 0;
      }
      if (this.held > 0) {
        this.held -= 1;
        return;
      }
      let got: number;
      try {
        got = await this.options.store.take(this.options.name, window, this.block, this.capacity);
      } catch (err) {
        this.options.onStoreError?.(err);
        return this.options.fallback.take();
      }
      if (got > 0) {
        this.held = got - 1;
        return;
      }
      // The window is spent: wait for the next, with a little jitter so the processes do not all write at its first ms.
      await this.sleep(Math.max(1, (window + 1) * BUDGET_WINDOW_MS - this.now()) + Math.floor(Math.random() * 20));
    }
  }
}
