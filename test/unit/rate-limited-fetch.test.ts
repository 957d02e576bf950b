import { backoffMs, DEFAULT_RATE_LIMIT, rateLimitedFetch, TokenBucket } from '../../lambdas/providers/rate-limited-fetch';
import { startTarget } from '../support/http-target';

describe('backoffMs', () => {
  const limit = { ...DEFAULT_RATE_LIMIT, baseDelayMs: 100, maxDelayMs: 1000 };
  it('honours Retry-After, capped', () => {
    expect(backoffMs(1, limit, '0')).toBe(0);
    expect(backoffMs(1, limit, '0.5')).toBe(500);
    expect(backoffMs(1, limit, '60')).toBe(1000);
  });
  it.each([
    [1, 50, 100],
    [2, 100, 200],
    [3, 200, 400],
    [6, 500, 1000],
  ])('retry %i waits between %i and %i ms', (n, low, high) => {
    expect(backoffMs(n, limit, null, () => 0)).toBe(low);
    expect(backoffMs(n, limit, null, () => 1)).toBe(high);
  });
});

describe('TokenBucket', () => {
  it('lets a burst through, then paces callers at the rate', async () => {
    let now = 0;
    const bucket = new TokenBucket(60, 2, () => now);
    await bucket.take();
    await bucket.take();
    let third = false;
    const pending = bucket.take().then(() => (third = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(third).toBe(false);
    now += 1000;
    await pending;
    expect(third).toBe(true);
  });
});

describe('rateLimitedFetch', () => {
  it.each([
    [429, ''],
    [503, ''],
    [403, '{"error":{"errors":[{"reason":"rateLimitExceeded"}]}}'],
  ])('retries a %i throttle after Retry-After and returns the success', async (status, body) => {
    const target = await startTarget((_r, n, res) => {
      if (n === 1) {
        res.writeHead(status, { 'Retry-After': '0' });
        res.end(body);
        return;
      }
      res.writeHead(200);
      res.end('ok');
    });
    try {
      const f = rateLimitedFetch(`test-${status}`, { ...DEFAULT_RATE_LIMIT, perMinute: 6000 });
      const res = await f(target.url);
      expect(res.status).toBe(200);
      expect(target.received).toHaveLength(2);
    } finally {
      await target.close();
    }
  });

  it('does not retry a 403 that is not about rate limits', async () => {
    const target = await startTarget((_r, _n, res) => {
      res.writeHead(403);
      res.end('{"error":{"errors":[{"reason":"forbidden"}]}}');
    });
    try {
      const res = await rateLimitedFetch('test-forbidden', { ...DEFAULT_RATE_LIMIT, perMinute: 6000 })(target.url);
      expect(res.status).toBe(403);
      expect(target.received).toHaveLength(1);
    } finally {
      await target.close();
    }
  });

  it('hands back the throttled answer after maxRetries', async () => {
    const target = await startTarget((_r, _n, res) => {
      res.writeHead(429, { 'Retry-After': '0' });
      res.end();
    });
    try {
      const res = await rateLimitedFetch('test-give-up', { ...DEFAULT_RATE_LIMIT, perMinute: 6000, maxRetries: 2 })(target.url);
      expect(res.status).toBe(429);
      expect(target.received).toHaveLength(3);
    } finally {
      await target.close();
    }
  });
});
