/** The Front Core API client: Front's error body, its 429 with retry-after (sent again inside the call), and paging. */
import { FrontApiError, FrontClient } from '../../../../lambdas/providers/front/front-client';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('FrontClient', () => {
  it("reads Front's _error body: a 404 is not found, a 429 retryable with its retry-after, a 400 not retryable", async () => {
    const answers = [
      json(404, { _error: { status: 404, title: 'Not found', message: 'Unknown teammate tea_1' } }),
      json(429, { _error: { status: 429, title: 'Too many requests', message: 'Rate limit exceeded. Please retry in 2 seconds.' } }, { 'retry-after': '2' }),
      json(400, { _error: { status: 400, title: 'Bad request', message: 'teammate_ids must be a non-empty array' } }),
    ];
    const client = new FrontClient({ baseUrl: 'https://front.test', token: async () => 't', requestsPerMinute: 100_000, rateLimit: { maxRetries: 0 }, fetch: async () => answers.shift()! });
    expect(await client.teammate('tea_1')).toBeUndefined();
    const throttled = await client.listTeams().catch((e: unknown) => e);
    expect(throttled).toBeInstanceOf(FrontApiError);
    expect(throttled).toMatchObject({ status: 429, retryable: true, retryAfterSeconds: 2, title: 'Too many requests' });
    const bad = await client.addToTeam('tim_1', []).catch((e: unknown) => e);
    expect(bad).toMatchObject({ status: 400, retryable: false, providerAnswer: '400 Bad request teammate_ids must be a non-empty array' });
  });

  it('sends a throttled request again after retry-after, with the bearer token, and follows _pagination.next', async () => {
    const seen: { url: string; auth: string | null }[] = [];
    const answers = [
      json(429, { _error: { status: 429, title: 'Too many requests', message: 'slow down' } }, { 'retry-after': '0' }),
      json(200, { _results: [{ id: 'inb_1', name: 'A', is_private: false }], _pagination: { next: 'https://front.test/inboxes?page_token=p2' } }),
      json(200, { _results: [{ id: 'inb_2', name: 'B', is_private: false }], _pagination: { next: null } }),
    ];
    const client = new FrontClient({
      baseUrl: 'https://front.test/',
      token: async () => 'secret',
      requestsPerMinute: 100_000,
      rateLimit: { maxRetries: 2, baseDelayMs: 1 },
      fetch: async (input, init) => {
        seen.push({ url: String(input), auth: new Headers(init?.headers).get('authorization') });
        return answers.shift()!;
      },
    });
    expect((await client.listInboxes()).map((i) => i.id)).toEqual(['inb_1', 'inb_2']);
    expect(seen.map((s) => s.url)).toEqual(['https://front.test/inboxes', 'https://front.test/inboxes', 'https://front.test/inboxes?page_token=p2']);
    expect(seen.every((s) => s.auth === 'Bearer secret')).toBe(true);
  });

  describe("pacing on Front's x-ratelimit headers", () => {
    const ok200 = (remaining: string, reset: string) => json(200, { _results: [] }, { 'x-ratelimit-limit': '50', 'x-ratelimit-remaining': remaining, 'x-ratelimit-reset': reset });
    const paced = (answers: Response[], maxWaitMs: number, start = 1_800_000_000_000) => {
      let now = start;
      const waits: number[] = [];
      const client = new FrontClient({
        baseUrl: `https://front-${Math.random()}.test`,
        token: async () => 't',
        requestsPerMinute: 100_000,
        rateLimit: { maxRetries: 0 },
        maxWaitMs,
        now: () => now,
        sleep: async (ms) => {
          waits.push(ms);
          now += ms;
        },
        fetch: async () => answers.shift()!,
      });
      return { client, waits };
    };

    it('waits for the reset when none is left, within the wait it may take', async () => {
      const reset = String(1_800_000_000 + 12);
      const { client, waits } = paced([ok200('3', reset), ok200('0', reset), ok200('49', String(1_800_000_000 + 72))], 15_000);
      await client.listTeams();
      await client.listTeams();
      expect(waits).toEqual([]);
      await client.listTeams();
      expect(waits).toEqual([12_000]);
    });

    it('past the wait it may take, a retryable error naming the reset, no request sent', async () => {
      const answers = [ok200('0', String(1_800_000_000 + 40)), ok200('49', String(1_800_000_000 + 100))];
      const { client, waits } = paced(answers, 15_000);
      await client.listTeams();
      const error = await client.listTeams().catch((e: unknown) => e);
      expect(error).toMatchObject({ retryable: true, message: expect.stringMatching(/rate limit is spent until 2027-01-15T08:00:40.000Z/) });
      expect(waits).toEqual([]);
      expect(answers).toHaveLength(1);
    });

    it("a 429's retry-after is honoured past the 5 s the retries sleep, by the next request", async () => {
      const { client, waits } = paced([json(429, { _error: { status: 429, title: 'Too many requests', message: 'slow down' } }, { 'retry-after': '9' }), ok200('10', '0')], 15_000);
      expect(await client.listTeams().catch((e: unknown) => e)).toMatchObject({ status: 429, retryable: true });
      await client.listTeams();
      expect(waits).toEqual([9_000]);
    });
  });
});
