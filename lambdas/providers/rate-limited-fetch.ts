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

/** What a request takes before it goes out: resolves when the request may be sent. */
export interface RequestBudget {
  take(priority?: RequestPriority): Promise<void>;
}

interface Waiter {
  priority?: RequestPriority;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * A budget's callers waiting for a request: every waiting `lockout` call ahead of the rest, each line in the order it
 * asked. Only two lines: below `lockout` the queues already order the work, and a line per class here would let a
 * stream of `protect` calls hold a `housekeeping` call back for ever.
 */
export class WaitLine {
  private readonly lockout: Waiter[] = [];
  private readonly rest: Waiter[] = [];

  add(priority: RequestPriority | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => (priority === 'lockout' ? this.lockout : this.rest).push({ priority, resolve, reject }));
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
  ) {
    this.tokens = burst;
    this.last = now();
  }

  take(priority?: RequestPriority): Promise<void> {
    const turn = this.line.add(priority);
    void this.serve();
    return turn;
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

/** One bucket per provider per process: every worker of the process shares it. */
export function providerBucket(provider: string, perMinute: number): TokenBucket {
  const key = `${provider}:${perMinute}`;
  let bucket = buckets.get(key);
  if (!bucket) {
    bucket = new TokenBucket(perMinute);
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
