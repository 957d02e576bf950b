/**
 * Fault injection and quotas for an emulator: fail matching requests N times with a status, and
 * answer 429 past a per-minute quota, each in the provider's own error shape, so tests and
 * benchmarks reach every error path of the real clients.
 */
import type { EmulatorRequest, EmulatorResponse, EmulatorRoute } from './server';

export interface FaultRule {
  method?: string;
  /** A regular expression tested against the request path. */
  path: string;
  count: number;
  status: number;
  /** Provider reason, e.g. Google's rateLimitExceeded or Connect's ThrottlingException. */
  reason?: string;
  message?: string;
  retryAfterSeconds?: number;
}

/** Renders an error in the provider's shape. */
export type ErrorShape = (status: number, message: string, reason?: string) => EmulatorResponse;

export class FaultInjector {
  private rules: (FaultRule & { pattern: RegExp })[] = [];
  private quotaPerMinute?: number;
  private window: number[] = [];
  /** Requests answered, for benchmarks: how many calls a workload made. */
  requests = 0;
  throttled = 0;
  /** Requests seen since startRecording ("GET /path"), for tests that count which calls a workload made; off by default. */
  private recorded?: string[];

  constructor(
    readonly name: string,
    private readonly shape: ErrorShape,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts listing every request from now on and answers the list, which grows as requests arrive. */
  startRecording(): readonly string[] {
    this.recorded = [];
    return this.recorded;
  }

  failNext(rule: FaultRule): void {
    this.rules.push({ ...rule, pattern: new RegExp(rule.path) });
  }

  setQuota(perMinute: number | undefined): void {
    this.quotaPerMinute = perMinute;
    this.window = [];
  }

  clear(): void {
    this.rules = [];
    this.setQuota(undefined);
  }

  /** The injected answer for this request, if a rule or the quota says so. */
  check(req: Pick<EmulatorRequest, 'method' | 'path'>): EmulatorResponse | undefined {
    this.requests += 1;
    this.recorded?.push(`${req.method} ${req.path}`);
    const rule = this.rules.find((r) => r.count > 0 && (!r.method || r.method === req.method) && r.pattern.test(req.path));
    if (rule) {
      rule.count -= 1;
      const out = this.shape(rule.status, rule.message ?? `injected failure (${this.name})`, rule.reason);
      return rule.retryAfterSeconds ? { ...out, headers: { ...out.headers, 'Retry-After': String(rule.retryAfterSeconds) } } : out;
    }
    if (this.quotaPerMinute !== undefined) {
      const at = this.now();
      this.window = this.window.filter((t) => t > at - 60_000);
      if (this.window.length >= this.quotaPerMinute) {
        this.throttled += 1;
        const retryAfter = Math.max(1, Math.ceil((this.window[0] + 60_000 - at) / 1000));
        const out = this.shape(429, `Quota exceeded: ${this.quotaPerMinute} requests per minute (${this.name})`, 'rateLimitExceeded');
        return { ...out, headers: { ...out.headers, 'Retry-After': String(retryAfter) } };
      }
      this.window.push(at);
    }
    return undefined;
  }

  /** Where the per-minute quota stands (after the requests counted so far), for providers that answer it in headers. */
  quotaState(): { limit: number; remaining: number; resetSeconds: number } | undefined {
    if (this.quotaPerMinute === undefined) return undefined;
    const at = this.now();
    const inWindow = this.window.filter((t) => t > at - 60_000);
    return { limit: this.quotaPerMinute, remaining: Math.max(0, this.quotaPerMinute - inWindow.length), resetSeconds: inWindow.length ? Math.max(1, Math.ceil((inWindow[0] + 60_000 - at) / 1000)) : 60 };
  }

  /** Wraps routes so every request passes the fault and quota check first. */
  wrap(routes: EmulatorRoute[]): EmulatorRoute[] {
    return routes.map((route) => ({
      ...route,
      handle: (req: EmulatorRequest) => this.check(req) ?? route.handle(req),
    }));
  }

  /** Control routes under /_emulator/<name>/: faults and quota, for tests and benchmarks over HTTP. */
  controlRoutes(): EmulatorRoute[] {
    const base = `/_emulator/${this.name}`;
    return [
      {
        method: 'POST',
        pattern: new RegExp(`^${base}/faults$`),
        handle: (req) => {
          const rule = JSON.parse(req.body || '{}') as FaultRule;
          if (!rule.path || !rule.count || !rule.status) return { status: 400, body: { error: 'path, count and status are required' } };
          this.failNext(rule);
          return { status: 200, body: { added: rule } };
        },
      },
      {
        method: 'POST',
        pattern: new RegExp(`^${base}/quota$`),
        handle: (req) => {
          const { perMinute } = JSON.parse(req.body || '{}') as { perMinute?: number };
          this.setQuota(perMinute);
          return { status: 200, body: { perMinute: perMinute ?? null } };
        },
      },
      {
        method: 'DELETE',
        pattern: new RegExp(`^${base}/faults$`),
        handle: () => {
          this.clear();
          return { status: 200, body: { cleared: true } };
        },
      },
      { method: 'GET', pattern: new RegExp(`^${base}/stats$`), handle: () => ({ status: 200, body: { requests: this.requests, throttled: this.throttled } }) },
    ];
  }
}
