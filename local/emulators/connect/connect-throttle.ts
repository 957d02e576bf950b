/**
 * Amazon Connect's API throttling: a token bucket per API (per account and Region on AWS; per emulator here), each
 * with a steady rate and a burst, answering 429 ThrottlingException past it as the service does. Off unless a test or
 * benchmark turns it on, so nothing else sees a throttled Connect.
 *
 * The documented defaults (Amazon Connect API Reference, "Throttling limits for the Amazon Connect API operations"; the
 * administrator guide's "Connect Customer service quotas", which also says the limits are per API at the account
 * level, not per instance): GetMetricData and GetCurrentMetricData 5 requests a second with a burst of 8, every other
 * operation 2 a second with a burst of 5.
 */
import { connectErrorResponse } from './connect-errors';
import type { EmulatorResponse } from '../server';

export interface ApiRate {
  /** Tokens added per second. */
  perSecond: number;
  /** The bucket's size: requests answered at once after a quiet spell. */
  burst: number;
}

export interface ConnectThrottleRates {
  /** Every API not named in `apis`. */
  default: ApiRate;
  /** By operation name as the SDK names it: `PutUserStatus`, `GetCurrentUserData`, … */
  apis?: Record<string, ApiRate>;
}

/** The documented defaults, the one place the emulator learns them from. */
export const DOCUMENTED_CONNECT_RATES: ConnectThrottleRates = {
  default: { perSecond: 2, burst: 5 },
  apis: { GetMetricData: { perSecond: 5, burst: 8 }, GetCurrentMetricData: { perSecond: 5, burst: 8 } },
};

/** The message Connect's ThrottlingException carries in the API reference. */
export const THROTTLED_MESSAGE = 'The throttling limit has been exceeded.';

interface Bucket {
  tokens: number;
  at: number;
}

export class ConnectThrottle {
  private rates: ConnectThrottleRates | undefined;
  private readonly buckets = new Map<string, Bucket>();
  /** Requests and 429s per API since the throttle was last set, for tests and benchmarks. */
  readonly requests = new Map<string, number>();
  readonly throttled = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Turns throttling on at these rates (`documented`: the service's defaults), or off with undefined; the counts start again. */
  set(rates: ConnectThrottleRates | 'documented' | undefined): void {
    this.rates = rates === 'documented' ? DOCUMENTED_CONNECT_RATES : rates;
    this.buckets.clear();
    this.requests.clear();
    this.throttled.clear();
  }

  get enabled(): boolean {
    return this.rates !== undefined;
  }

  rateOf(api: string): ApiRate | undefined {
    return this.rates && (this.rates.apis?.[api] ?? this.rates.default);
  }

  /** Takes a token for one request to `api`: undefined when it may go on, else the 429 Connect answers. */
  check(api: string): EmulatorResponse | undefined {
    const rate = this.rateOf(api);
    if (!rate) return undefined;
    this.requests.set(api, (this.requests.get(api) ?? 0) + 1);
    const at = this.now();
    const bucket = this.buckets.get(api) ?? { tokens: rate.burst, at };
    bucket.tokens = Math.min(rate.burst, bucket.tokens + ((at - bucket.at) * rate.perSecond) / 1000);
    bucket.at = at;
    this.buckets.set(api, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    this.throttled.set(api, (this.throttled.get(api) ?? 0) + 1);
    return connectErrorResponse('ThrottlingException', THROTTLED_MESSAGE);
  }

  /** Totals over every API. */
  totals(): { requests: number; throttled: number } {
    const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
    return { requests: sum(this.requests), throttled: sum(this.throttled) };
  }

  toJSON(): { rates: ConnectThrottleRates | null; requests: Record<string, number>; throttled: Record<string, number> } {
    return { rates: this.rates ?? null, requests: Object.fromEntries(this.requests), throttled: Object.fromEntries(this.throttled) };
  }
}
