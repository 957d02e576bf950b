/**
 * A fetch that respects a provider's limits: a token bucket shared by every caller in the process,
 * and retries with exponential backoff and jitter on 429, 503 and Google's 403 rateLimitExceeded,
 * honouring Retry-After. Provider clients take it as their transport.
 */
import type { PriorityClass } from '../../config/priority';

export interface RateLimit {
  /** Sustained requests per minute for this process. */
  perMinute: number;
  /** Retries of a throttled request before its answer is handed back. */
  maxRetries: number;
  /** First backoff; doubles per retry, with full jitter, capped at maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { perMinute: 1500, maxRetries: 6, baseDelayMs: 500, maxDelayMs: 30_000 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The priority class of the step a request serves (config/priority.ts): a budget gives its requests to `lockout` first,
 * and to the other classes, or a request no step made, in the order they asked.
 */
export type RequestPriority = PriorityClass;

/** How a caller takes from a budget. */
export interface TakeOptions {
  /**
   * The longest the caller will wait in line: when its turn is reckoned to come later (or has not come by then), it
   * leaves the line and the take rejects with BudgetWaitTooLong, saying when to come back. Unset: it waits its turn.
   */
  maxWaitMs?: number;
}

/** What a request takes before it goes out: resolves when the request may be sent. */
export interface RequestBudget {
  take(priority?: RequestPriority, options?: TakeOptions): Promise<void>;
}

/**
 * A caller left a budget's line rather than wait longer than it could: nothing was sent. `retryAt` (epoch ms) is when
 * the budget reckons its turn would have come, from the callers ahead of it then: a step comes back a little after it.
 */
export class BudgetWaitTooLong extends Error {
  constructor(
    readonly budget: string,
    readonly retryAt: number,
    readonly maxWaitMs: number,
  ) {
    super(`the ${budget} budget's line is longer than ${maxWaitMs} ms: its turn comes at about ${new Date(retryAt).toISOString()}`);
    this.name = 'BudgetWaitTooLong';
  }
}

/** The BudgetWaitTooLong an error is or carries as its cause (an SDK call's wrapper), else undefined. */
export function budgetWaitOf(err: unknown): BudgetWaitTooLong | undefined {
  for (let at = err, depth = 0; at && depth < 5; at = (at as { cause?: unknown }).cause, depth++) {
    if (at instanceof BudgetWaitTooLong) return at;
  }
  return undefined;
}

interface Waiter {
  priority?: RequestPriority;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** A place in a budget's line: `turn` resolves when served; `leave` takes it off the line (false: it was served already). */
export interface Place {
  turn: Promise<void>;
  leave(err: unknown): boolean;
}

/**
 * A budget's callers waiting for a request: every waiting `lockout` call ahead of the rest, each line in the order it
 * asked. Only two lines: below `lockout` the queues already order the work, and a line per class here would let a
 * stream of `protect` calls hold a `housekeeping` call back for ever. A caller who leaves is taken off its line at
 * once: the callers behind it move up, and nothing of it stays.
 */
export class WaitLine {
  private readonly lockout: Waiter[] = [];
  private readonly rest: Waiter[] = [];

  add(priority: RequestPriority | undefined): Promise<void> {
    return this.join(priority).turn;
  }

  /** Joins the line; the place can be left while it waits. */
  join(priority: RequestPriority | undefined): Place {
    const line = priority === 'lockout' ? this.lockout : this.rest;
    let waiter!: Waiter;
    const turn = new Promise<void>((resolve, reject) => line.push((waiter = { priority, resolve, reject })));
    return {
      turn,
      leave: (err) => {
        const at = line.indexOf(waiter);
        if (at < 0) return false;
        line.splice(at, 1);
        waiter.reject(err);
        return true;
      },
    };
  }

  /** Callers served before one of `priority` joining now: every `lockout` caller, and for the others the rest's line too. */
  ahead(priority: RequestPriority | undefined): number {
    return priority === 'lockout' ? this.lockout.length : this.size;
  }

  get size(): number {
    return this.lockout.length + this.rest.length;
  }

  lockoutWaiting(): boolean {
    return this.lockout.length > 0;
  }

  /** The caller served next, taken off the line. */
  next(): Waiter | undefined {
    return this.lockout.shift() ?? this.rest.shift();
  }
}

/**
 * Takes a place in `line` for a caller who waits at most `maxWaitMs`: when `turnAfterMs(ahead)` (the budget's reckoning
 * of when a caller with `ahead` callers before it is served) is already too late it never joins; otherwise it leaves at
 * `maxWaitMs` if still waiting (a `lockout` call may have come in ahead of it), its timer cleared once it is served.
 */
export function joinWithin(
  line: WaitLine,
  budget: string,
  priority: RequestPriority | undefined,
  options: TakeOptions | undefined,
  now: () => number,
  turnAfterMs: (ahead: number) => number,
): Promise<void> | undefined {
  const maxWaitMs = options?.maxWaitMs;
  if (maxWaitMs === undefined) return undefined;
  const ahead = line.ahead(priority);
  const wait = turnAfterMs(ahead);
  if (wait > maxWaitMs) return Promise.reject(new BudgetWaitTooLong(budget, now() + wait, maxWaitMs));
  const place = line.join(priority);
  const timer = setTimeout(() => {
    place.leave(new BudgetWaitTooLong(budget, now() + turnAfterMs(Math.max(0, line.ahead(priority))), maxWaitMs));
  }, maxWaitMs);
  timer.unref?.();
  const clear = () => clearTimeout(timer);
  place.turn.then(clear, clear);
  return place.turn;
}

/** A token bucket refilled continuously; callers wait their turn, `lockout` first. */
export class TokenBucket implements RequestBudget {
  private tokens: number;
  private last: number;
  private readonly line = new WaitLine();
  private serving = false;

  constructor(
    private readonly perMinute: number,
    private readonly burst = Math.max(1, Math.ceil(perMinute / 60)),
    private readonly now: () => number = Date.now,
    private readonly name = 'local',
  ) {
    this.tokens = burst;
    this.last = now();
  }

  take(priority?: RequestPriority, options?: TakeOptions): Promise<void> {
    const turn = joinWithin(this.line, this.name, priority, options, this.now, (ahead) => this.turnAfterMs(ahead)) ?? this.line.add(priority);
    void this.serve();
    return turn;
  }

  /** When a caller with `ahead` callers before it gets its token, at the bucket's rate from the tokens it has now. */
  private turnAfterMs(ahead: number): number {
    const tokens = Math.min(this.burst, this.tokens + ((this.now() - this.last) * this.perMinute) / 60_000);
    const short = ahead + 1 - tokens;
    return short <= 0 ? 0 : Math.ceil((short * 60_000) / this.perMinute);
  }

  /** One loop per bucket hands out the tokens; whoever is first in line when a token is there gets it. */
  private async serve(): Promise<void> {
    if (this.serving) return;
    this.serving = true;
    try {
      while (this.line.size > 0) {
        const at = this.now();
        this.tokens = Math.min(this.burst, this.tokens + ((at - this.last) * this.perMinute) / 60_000);
        this.last = at;
        if (this.tokens >= 1) {
          this.tokens -= 1;
          this.line.next()!.resolve();
          continue;
        }
        await sleep(Math.ceil(((1 - this.tokens) * 60_000) / this.perMinute));
      }
    } finally {
      this.serving = false;
    }
  }
}

/** Whether an answer says "slow down": the cases a wait can fix. */
export async function isThrottled(res: Response): Promise<boolean> {
  if (res.status === 429 || res.status === 503) return true;
  if (res.status !== 403) return false;
  const text = await res.clone().text();
  return /rateLimitExceeded|userRateLimitExceeded|quotaExceeded/.test(text);
}

/** Delay before retry `n` (1-based): Retry-After when given, else exponential with full jitter. */
export function backoffMs(n: number, limit: RateLimit, retryAfter: string | null, random = Math.random): number {
  const seconds = retryAfter !== null ? Number(retryAfter) : NaN;
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(limit.maxDelayMs, seconds * 1000);
  const ceiling = Math.min(limit.maxDelayMs, limit.baseDelayMs * 2 ** (n - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

const buckets = new Map<string, TokenBucket>();

/**
 * One bucket per provider (and account: a server's base URL, where one stage may name several) per rate in the
 * process: every worker and step of the process shares it. `named` puts the provider's name in a too-long wait's error.
 */
export function providerBucket(provider: string, perMinute: number, options: { account?: string; named?: boolean } = {}): TokenBucket {
  const key = `${provider}:${options.account ? `${options.account}:` : ''}${perMinute}`;
  let bucket = buckets.get(key);
  if (!bucket) {
    bucket = options.named ? new TokenBucket(perMinute, undefined, undefined, provider) : new TokenBucket(perMinute);
    buckets.set(key, bucket);
  }
  return bucket;
}

/**
 * `budget` is what every request takes from first: the stage's shared budget where there is one, else this process's
 * bucket for the provider at `limit.perMinute`. Every request, its retries too, takes as `priority` (the class of the
 * step it serves).
 */
export function rateLimitedFetch(
  provider: string,
  limit: RateLimit = DEFAULT_RATE_LIMIT,
  base: typeof fetch = globalThis.fetch,
  budget?: RequestBudget,
  priority?: RequestPriority,
): typeof fetch {
  const bucket = budget ?? providerBucket(provider, limit.perMinute);
  return async (input, init) => {
    for (let attempt = 0; ; attempt++) {
      await bucket.take(priority);
      // A body stream can be sent once only; the clients send strings, which can be sent again.
      const res = await base(input, init);
      if (attempt >= limit.maxRetries || !(await isThrottled(res))) return res;
      await res.body?.cancel().catch(() => undefined);
      await sleep(backoffMs(attempt + 1, limit, res.headers.get('retry-after')));
    }
  };
}
