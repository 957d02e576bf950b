/**
 * A request budget shared by every process of a stage: each window (one second) allows `perMinute / 60` requests,
 * counted in one store item that every process takes from with a conditional write, so ten dispatchers and their
 * action functions together stay within the provider's quota however many containers run. It is spent on `lockout`
 * first: a `lockout` call that finds its window spent books its request in the next windows before they open, and the
 * other classes take only from the window that is open, so a lower class never takes a request a waiting `lockout`
 * call needs, and with no `lockout` waiting the other classes have the whole budget.
 */
import { joinWithin, WaitLine, type RequestBudget, type RequestPriority, type TakeOptions } from './rate-limited-fetch';

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
  /**
   * How many windows past the open one a waiting `lockout` call may book its request in (default 2): one is enough to
   * be ahead of the other classes, the second covers a booking written just as its window opens.
   */
  lookahead?: number;
  /** Used when the store cannot be reached: the process keeps working within its own bucket. */
  fallback: RequestBudget;
  onStoreError?: (err: unknown) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const BUDGET_WINDOW_MS = 1_000;

/**
 * What one process may spend while the shared budget cannot be read: its even share of the stage's figure among every
 * action call that may run at once, so the stage stays within its budget even then (slower, never over).
 */
export function fallbackPerMinute(perMinute: number, containers: number | undefined): number {
  if (!containers || !Number.isInteger(containers) || containers < 1) return perMinute;
  return Math.max(1, Math.floor(perMinute / containers));
}

/** Requests one window allows: any 60 s (61 windows at most) then stays within perMinute × 61/60. */
export function windowCapacity(perMinute: number): number {
  return Math.max(1, Math.floor((perMinute * BUDGET_WINDOW_MS) / 60_000));
}

/** Windows past the open one a `lockout` call books in by default; far below the 60 a window's item is reused after. */
export const LOCKOUT_LOOKAHEAD_WINDOWS = 2;
const MAX_LOOKAHEAD_WINDOWS = 30;

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const jitterMs = () => Math.floor(Math.random() * 20);

export class SharedBudget implements RequestBudget {
  private window = -1;
  private held = 0;
  /** The latest window this process saw refuse a single request: it stays full, since a window's count only grows. */
  private fullThrough = -1;
  private readonly line = new WaitLine();
  private serving = false;
  /** Set while the loop waits out a spent window for the other classes: a `lockout` call arriving wakes it to book. */
  private wake: (() => void) | undefined;
  private readonly capacity: number;
  private readonly block: number;
  private readonly lookahead: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: SharedBudgetOptions) {
    if (!(options.perMinute > 0)) throw new Error(`shared budget ${options.name}: perMinute must be positive, got ${options.perMinute}`);
    const lookahead = options.lookahead ?? LOCKOUT_LOOKAHEAD_WINDOWS;
    if (!Number.isInteger(lookahead) || lookahead < 1 || lookahead > MAX_LOOKAHEAD_WINDOWS) {
      throw new Error(`shared budget ${options.name}: lookahead must be a whole number of windows from 1 to ${MAX_LOOKAHEAD_WINDOWS}, got ${lookahead}`);
    }
    this.capacity = windowCapacity(options.perMinute);
    this.block = Math.min(this.capacity, Math.max(1, Math.floor(options.block ?? 1)));
    this.lookahead = lookahead;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** Callers of one process wait in line, `lockout` first; one loop per process writes to the store. */
  take(priority?: RequestPriority, options?: TakeOptions): Promise<void> {
    const turn = joinWithin(this.line, this.options.name, priority, options, this.now, (ahead) => this.turnAfterMs(ahead)) ?? this.line.add(priority);
    if (priority === 'lockout') this.wake?.();
    void this.serve();
    return turn;
  }

  /**
   * When a caller with `ahead` callers of this process before it would be served: a window's worth of them per window
   * from the first one not known to be spent. The other processes' requests are not seen here, so it can be later.
   */
  private turnAfterMs(ahead: number): number {
    const now = this.now();
    const window = Math.floor(now / BUDGET_WINDOW_MS);
    const held = window === this.window ? this.held : 0;
    if (ahead < held) return 0;
    const at = Math.max(window, this.fullThrough + 1) + Math.floor((ahead - held) / this.capacity);
    return Math.max(0, at * BUDGET_WINDOW_MS - now);
  }

  private async serve(): Promise<void> {
    if (this.serving) return;
    this.serving = true;
    try {
      while (this.line.size > 0) await this.serveNext();
    } finally {
      this.serving = false;
    }
  }

  private async serveNext(): Promise<void> {
    const window = Math.floor(this.now() / BUDGET_WINDOW_MS);
    if (window !== this.window) {
      // What a process holds lapses with its window: carried over, it would let a later window exceed its count.
      this.window = window;
      this.held = 0;
    }
    if (this.held > 0) {
      const caller = this.line.next();
      if (!caller) return;
      this.held -= 1;
      caller.resolve();
      return;
    }
    const lockout = this.line.lockoutWaiting();
    try {
      if (lockout) {
        const at = await this.book(window);
        // Every window it may book in is spent (by other `lockout` calls: the other classes cannot reach a later one).
        if (at === undefined) return await this.waitFor(window + 1, false);
        // The first `lockout` caller still there: only this loop serves callers, new ones join behind, and one that left
        // meanwhile (it would wait too long) hands its booked request to the next (none there: the request goes unused).
        const caller = this.line.next();
        if (!caller) return;
        if (at === window) caller.resolve();
        else void this.sleep(Math.max(0, at * BUDGET_WINDOW_MS - this.now())).then(caller.resolve, caller.reject);
        return;
      }
      // Below `lockout` only the open window is taken from, and not at all once it is known to be spent.
      if (this.fullThrough >= window) return await this.waitFor(window + 1, true);
      const got = await this.options.store.take(this.options.name, window, this.block, this.capacity);
      if (got > 0) {
        // The first in line now gets it: a `lockout` call that arrived during the write goes first.
        // Every caller may have left meanwhile: then the process holds what it took for the next ones of this window.
        const caller = this.line.next();
        this.held = caller ? got - 1 : got;
        caller?.resolve();
        return;
      }
      if (this.block === 1) this.fullThrough = Math.max(this.fullThrough, window);
      // The window is spent: wait for the next, with a little jitter so the processes do not all write at its first ms.
      return await this.waitFor(window + 1, true);
    } catch (err) {
      this.options.onStoreError?.(err);
      const caller = this.line.next();
      if (caller) this.options.fallback.take(caller.priority).then(caller.resolve, caller.reject);
    }
  }

  /**
   * A `lockout` request's window: the open one if it has room, else the first of the next `lookahead` windows that
   * has, taken in the store before that window opens. Undefined when all of them are spent.
   */
  private async book(window: number): Promise<number | undefined> {
    for (let at = Math.max(window, this.fullThrough + 1); at <= window + this.lookahead; at++) {
      if ((await this.options.store.take(this.options.name, at, 1, this.capacity)) > 0) return at;
      this.fullThrough = Math.max(this.fullThrough, at);
    }
    return undefined;
  }

  /** Until window `next` opens; for the other classes, or until a `lockout` call joins the line. */
  private waitFor(next: number, wakeForLockout: boolean): Promise<void> {
    const slept = this.sleep(Math.max(1, next * BUDGET_WINDOW_MS - this.now()) + jitterMs());
    if (!wakeForLockout) return slept;
    return new Promise<void>((resolve) => {
      this.wake = resolve;
      void slept.then(resolve);
    }).finally(() => {
      this.wake = undefined;
    });
  }
}
