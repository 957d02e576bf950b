/** The SCIM client against the emulator: Retry-After waited out within a call, paging, and the feature cache per container. */
import { ScimClient } from '../../../../lambdas/providers/scim/scim-client';
import { sampleScimBaseUrl } from '../../../../local/emulators/scim/scim-sample';
import { useScimTestBed } from '../../../support/scim-emulator';

const bed = useScimTestBed();
const client = (options: ConstructorParameters<typeof ScimClient>[1] = {}) =>
  new ScimClient({ name: 'wiki', baseUrl: sampleScimBaseUrl(bed().url), token: async () => 'local-scim-wiki-token', requestsPerSecond: 100 }, options);

describe('the SCIM client', () => {
  it('waits out a 429 Retry-After inside the call, and answers once the app takes the request', async () => {
    bed().emulator.app('wiki').faults.failNext({ method: 'GET', path: '/Users$', count: 1, status: 429, retryAfterSeconds: 1 });
    const started = Date.now();
    const users = await client().findUsers({ userName: 'grace.hopper@example.com', externalId: 'E050' });
    expect(users.map((u) => u.userName)).toEqual(['grace.hopper@example.com']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('pages through a list longer than the page size by startIndex until totalResults', async () => {
    const wiki = bed().emulator.app('wiki');
    for (let i = 0; i < 250; i++) wiki.addUser({ userName: `user${i}@example.com` });
    const listed = await client().list<{ userName: string }>('Users');
    expect(listed).toHaveLength(251);
    expect(new Set(listed.map((u) => u.userName)).size).toBe(251);
  });

  it('reads the ServiceProviderConfig once per container and server', async () => {
    const seen: string[] = [];
    const counting: typeof fetch = (input, init) => {
      seen.push(new URL(String(input)).pathname);
      return fetch(input, init);
    };
    await client({ fetch: counting }).list('Groups');
    await client({ fetch: counting }).list('Groups');
    expect(seen.filter((p) => p.endsWith('/ServiceProviderConfig'))).toHaveLength(1);
  });

  it('remembers a server that refused an `or` filter: a second look sends only the two eq filters', async () => {
    const wiki = bed().emulator.app('wiki');
    wiki.state.orFilter = false;
    const filters: string[] = [];
    const recording: typeof fetch = (input, init) => {
      const url = new URL(String(input));
      if (url.pathname.endsWith('/Users')) filters.push(`${init?.method ?? 'GET'} ${url.searchParams.get('filter')}`);
      return fetch(input, init);
    };
    const by = { userName: 'grace.hopper@example.com', externalId: 'E050' };
    expect((await client({ fetch: recording }).findUsers(by)).map((u) => u.userName)).toEqual(['grace.hopper@example.com']);
    expect(filters).toEqual(['GET userName eq "grace.hopper@example.com" or externalId eq "E050"', 'GET userName eq "grace.hopper@example.com"', 'GET externalId eq "E050"']);
    filters.length = 0;
    // Another client of the same container and server: no `or` is tried again.
    expect((await client({ fetch: recording }).findUsers(by)).map((u) => u.userName)).toEqual(['grace.hopper@example.com']);
    expect(filters).toEqual(['GET userName eq "grace.hopper@example.com"', 'GET externalId eq "E050"']);
  });
});
