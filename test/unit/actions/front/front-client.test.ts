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
});
