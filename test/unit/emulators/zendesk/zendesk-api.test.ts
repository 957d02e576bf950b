/** The Zendesk emulator's API as the client reads it: auth, paging both ways, search, bulk update jobs, error bodies. */
import { ZendeskApiError, ZendeskClient, zendeskAuthorization, zendeskBaseUrl, zendeskSlowDownMs } from '../../../../lambdas/providers/zendesk/zendesk-client';
import { zendeskProviderError } from '../../../../lambdas/providers/zendesk/zendesk-errors';
import { ProviderError } from '../../../../lambdas/providers/provider-error';
import { LOCAL_ZENDESK_EMAIL, LOCAL_ZENDESK_TOKEN } from '../../../../local/emulators/zendesk/zendesk-emulator';
import { useZendeskTestBed, type ZendeskTestBed } from '../../../support/zendesk-emulator';

const currentBed = useZendeskTestBed();
let bed: ZendeskTestBed;
beforeEach(() => {
  bed = currentBed();
});

const raw = (path: string, init: RequestInit = {}) =>
  fetch(`${bed.url}${path}`, { ...init, headers: { Authorization: zendeskAuthorization(LOCAL_ZENDESK_EMAIL, LOCAL_ZENDESK_TOKEN), 'Content-Type': 'application/json', ...init.headers } });

describe('the Zendesk emulator and client', () => {
  it('builds the base URL from a subdomain and the token auth header as Zendesk documents', () => {
    expect(zendeskBaseUrl('acme')).toBe('https://acme.zendesk.com');
    expect(zendeskBaseUrl('https://acme.zendesk.com/')).toBe('https://acme.zendesk.com');
    expect(zendeskAuthorization('a@b.c', 't')).toBe(`Basic ${Buffer.from('a@b.c/token:t').toString('base64')}`);
  });

  it('answers 401 without the API token', async () => {
    const res = await fetch(`${bed.url}/api/v2/users/1.json`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "Couldn't authenticate you" });
  });

  it('answers Zendesk’s error bodies: 404 RecordNotFound, 422 RecordInvalid with details', async () => {
    const missing = await raw('/api/v2/users/999999.json');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'RecordNotFound', description: 'Not found' });
    const dup = await raw('/api/v2/users.json', { method: 'POST', body: JSON.stringify({ user: { name: 'A', email: 'ada.lovelace@example.com' } }) });
    expect(dup.status).toBe(422);
    expect(await dup.json()).toEqual({
      error: 'RecordInvalid',
      description: 'Record validation errors',
      details: { email: [{ description: 'Email: ada.lovelace@example.com is already being used by another user', error: 'DuplicateValue' }] },
    });
  });

  it('pages groups by cursor (page[size], links.next) and the client reads every page', async () => {
    for (let i = 0; i < 205; i++) bed.emulator.addGroup(`g${i}`);
    const first = (await (await raw('/api/v2/groups.json?page[size]=100')).json()) as { groups: unknown[]; meta: { has_more: boolean }; links: { next: string } };
    expect(first.groups).toHaveLength(100);
    expect(first.meta.has_more).toBe(true);
    expect(first.links.next).toContain('page%5Bafter%5D=');
    expect(await bed.client.listGroups()).toHaveLength(208);
  });

  it('searches tickets by assignee and status, paging by next_page', async () => {
    const ada = bed.emulator.userByEmail('ada.lovelace@example.com')!;
    expect((await bed.client.openTicketsAssignedTo(ada.id)).map((t) => t.status).sort()).toEqual(['open', 'pending']);
    for (let i = 0; i < 150; i++) bed.emulator.addTicket({ subject: `t${i}`, assigneeId: ada.id, status: 'hold' });
    const page = (await (await raw(`/api/v2/search.json?query=${encodeURIComponent(`type:ticket assignee:${ada.id} status<solved`)}`)).json()) as { results: unknown[]; next_page: string | null; count: number };
    expect(page).toMatchObject({ count: 152 });
    expect(page.results).toHaveLength(100);
    expect(page.next_page).toContain('page=2');
    expect(await bed.client.openTicketsAssignedTo(ada.id)).toHaveLength(152);
  });

  it('search answers a changed ticket as it was for searchLagMs; tickets/show_many answers it as it is', async () => {
    const ada = bed.emulator.userByEmail('ada.lovelace@example.com')!;
    const ids = (await bed.client.openTicketsAssignedTo(ada.id)).map((t) => t.id);
    bed.emulator.searchLagMs = 60_000;
    await bed.client.updateManyTickets(ids, { assignee_id: null });
    expect((await bed.client.showManyTickets(ids)).map((t) => t.assignee_id)).toEqual([null, null]);
    expect((await bed.client.openTicketsAssignedTo(ada.id)).map((t) => t.id)).toEqual(ids);
    bed.emulator.searchLagMs = 0;
    await expect(bed.client.request('too many', 'GET', `/api/v2/tickets/show_many.json?ids=${Array.from({ length: 101 }, (_, i) => i + 1).join(',')}`)).rejects.toMatchObject({ status: 400, error: 'TooManyValues' });
  });

  it('runs update_many as a job: queued when asked, completed with a result per ticket', async () => {
    const ada = bed.emulator.userByEmail('ada.lovelace@example.com')!;
    const ids = bed.emulator.ticketsAssignedTo(ada.id).map((t) => t.id);
    bed.emulator.jobDelayMs = 60_000;
    const job = await bed.client.updateManyTickets(ids, { assignee_id: null });
    expect(job).toMatchObject({ status: 'queued', total: 3 });
    expect(bed.emulator.ticketsAssignedTo(ada.id)).toHaveLength(3);
    expect((await bed.client.jobStatus(job.id)).status).toBe('queued');
  });

  it('the client maps 429 and 5xx to retryable errors, other 4xx not', () => {
    const err = (status: number) => zendeskProviderError(new ZendeskApiError('x', status, 'e'));
    expect([429, 500, 503, 400, 403, 404, 422].map((s) => err(s).retryable)).toEqual([true, true, true, false, false, false, false]);
  });

  it('answers the rate limit headers under a quota, and the client slows down when few requests are left', async () => {
    expect(zendeskSlowDownMs(new Headers({ 'ratelimit-remaining': '50', 'ratelimit-reset': '30' }), 10)).toBe(0);
    expect(zendeskSlowDownMs(new Headers({ 'ratelimit-remaining': '2', 'ratelimit-reset': '30' }), 10)).toBe(10_000);
    expect(zendeskSlowDownMs(new Headers({ 'x-rate-limit-remaining': '0' }), 10)).toBe(60_000);
    expect(zendeskSlowDownMs(new Headers({ 'x-rate-limit-remaining': '0' }), 0)).toBe(0);
    bed.emulator.faults.setQuota(100);
    const res = await fetch(`${bed.url}/api/v2/custom_roles.json`, { headers: { Authorization: zendeskAuthorization(LOCAL_ZENDESK_EMAIL, LOCAL_ZENDESK_TOKEN) } });
    expect(Object.fromEntries(['x-rate-limit', 'x-rate-limit-remaining', 'ratelimit-limit', 'ratelimit-remaining'].map((h) => [h, res.headers.get(h)]))).toEqual({
      'x-rate-limit': '100',
      'x-rate-limit-remaining': '99',
      'ratelimit-limit': '100',
      'ratelimit-remaining': '99',
    });
    expect(Number(res.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    // 5 a minute and slowing down at 2 left: the fourth call waits (at most maxInlineWaitMs), the first ones do not.
    bed.emulator.faults.setQuota(5);
    const careful = new ZendeskClient({ baseUrl: bed.url, email: LOCAL_ZENDESK_EMAIL, token: async () => LOCAL_ZENDESK_TOKEN, requestsPerMinute: 100_000, slowDownBelow: 2, maxInlineWaitMs: 400 });
    const timed = async () => {
      const start = Date.now();
      await careful.listCustomRoles();
      return Date.now() - start;
    };
    expect(await timed()).toBeLessThan(300);
    expect(await timed()).toBeLessThan(300);
    expect(await timed()).toBeLessThan(300);
    expect(await timed()).toBeGreaterThanOrEqual(350);
  });

  it('waits out a short Retry-After and sends again; a long one goes back to the engine', async () => {
    const patient = new ZendeskClient({ baseUrl: bed.url, email: LOCAL_ZENDESK_EMAIL, token: async () => LOCAL_ZENDESK_TOKEN, maxRetries: 1, maxInlineWaitMs: 2_000 });
    bed.emulator.faults.failNext({ path: '^/api/v2/custom_roles', count: 1, status: 429, retryAfterSeconds: 1 });
    expect(await patient.listCustomRoles()).toHaveLength(1);
    bed.emulator.faults.failNext({ path: '^/api/v2/custom_roles', count: 1, status: 429, retryAfterSeconds: 60 });
    await expect(patient.listCustomRoles()).rejects.toMatchObject({ status: 429, retryAfter: 60 });
  });

  it('stops a step that would wait longer than its wait budget with a retryable error; each step counts its own', async () => {
    // 50 a minute, slowing down at 100 left: every answer asks the next request to wait (at most 300 ms here).
    bed.emulator.faults.setQuota(50);
    const careful = new ZendeskClient({ baseUrl: bed.url, email: LOCAL_ZENDESK_EMAIL, token: async () => LOCAL_ZENDESK_TOKEN, requestsPerMinute: 100_000, slowDownBelow: 100, maxInlineWaitMs: 300, waitBudgetMs: 700 });
    const step = careful.forStep(undefined);
    await step.listCustomRoles();
    await step.listCustomRoles();
    await step.listCustomRoles();
    // Up to 600 ms waited (a wait is 300 ms, or less when Zendesk's minute resets sooner): a third would pass the 700.
    const error = await step.listCustomRoles().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ retryable: true, message: expect.stringMatching(/waited \d+ ms of the 700 ms it may spend waiting/) });
    expect(Number(/waited (\d+) ms/.exec((error as Error).message)![1])).toBeLessThanOrEqual(600);
    // Another step has its own budget.
    await expect(careful.forStep(undefined).listCustomRoles()).resolves.toHaveLength(1);
  });

  it('a 429 whose wait the step has no room left for goes back to the engine as the 429', async () => {
    const patient = new ZendeskClient({ baseUrl: bed.url, email: LOCAL_ZENDESK_EMAIL, token: async () => LOCAL_ZENDESK_TOKEN, maxRetries: 2, maxInlineWaitMs: 2_000, waitBudgetMs: 1_500, slowDownBelow: 0 });
    bed.emulator.faults.failNext({ path: '^/api/v2/custom_roles', count: 2, status: 429, retryAfterSeconds: 1 });
    await expect(patient.forStep(undefined).listCustomRoles()).rejects.toMatchObject({ status: 429, retryAfter: 1 });
  });

  it('a pause one client leaves does not hold a client that does not slow down, even at the same account', async () => {
    bed.emulator.faults.setQuota(50);
    const careful = new ZendeskClient({ baseUrl: bed.url, email: LOCAL_ZENDESK_EMAIL, token: async () => LOCAL_ZENDESK_TOKEN, requestsPerMinute: 100_000, slowDownBelow: 100, maxInlineWaitMs: 400 });
    await careful.listCustomRoles();
    const start = Date.now();
    await bed.client.listCustomRoles();
    expect(Date.now() - start).toBeLessThan(250);
    // The careful one still waits: the other's answer did not clear its pause.
    const again = Date.now();
    await careful.listCustomRoles();
    expect(Date.now() - again).toBeGreaterThanOrEqual(300);
  });
});
