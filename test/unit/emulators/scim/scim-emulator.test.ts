/** The SCIM emulator over HTTP: its filters, paging, PatchOp, PATCH turned off, error bodies, auth, faults and quota. */
import { ScimEmulator } from '../../../../local/emulators/scim/scim-emulator';
import { matches, parseFilter } from '../../../../local/emulators/scim/scim-filter';
import { startEmulatorServer, type EmulatorServer } from '../../../../local/emulators/server';

let server: EmulatorServer;
let emulator: ScimEmulator;
const base = () => `${server.url}/scim/wiki/v2`;
const call = async (method: string, path: string, body?: unknown, token = 't') => {
  const res = await fetch(`${base()}${path}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
};

beforeEach(async () => {
  emulator = new ScimEmulator();
  const wiki = emulator.addApp('wiki', { token: 't' });
  for (let i = 1; i <= 5; i++) wiki.addUser({ userName: `u${i}@example.com`, externalId: `E${i}`, active: i % 2 === 1 });
  server = await startEmulatorServer(emulator.routes(), 0);
});
afterEach(() => server.stop());

describe('SCIM filters', () => {
  const user = { userName: 'Ada@Example.com', externalId: 'E100', active: true, emails: [{ value: 'ada@example.com' }], name: { givenName: 'Ada' } };
  it.each([
    ['userName eq "ada@example.com"', true],
    ['externalId eq "e100"', false],
    ['userName eq "x" or externalId eq "E100"', true],
    ['userName eq "ada@example.com" and active eq false', false],
    ['emails.value co "example"', true],
    ['name.givenName sw "A" and not (active eq false)', true],
    ['title pr', false],
  ])('%s → %s', (filter, expected) => {
    expect(matches(parseFilter(filter), user)).toBe(expected);
  });

  it('a filter it cannot read is a 400 invalidFilter in the SCIM error shape', async () => {
    const res = await call('GET', '/Users?filter=userName%20zz%20%22x%22');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', scimType: 'invalidFilter', detail: expect.stringContaining('invalid') });
  });
});

describe('the SCIM emulator over HTTP', () => {
  it('an app with `or` turned off answers 400 invalidFilter to an or filter, and eq filters as before', async () => {
    emulator.app('wiki').state.orFilter = false;
    const or = await call('GET', `/Users?filter=${encodeURIComponent('userName eq "u1@example.com" or externalId eq "E2"')}`);
    expect(or).toMatchObject({ status: 400, body: { scimType: 'invalidFilter' } });
    expect((await call('GET', `/Users?filter=${encodeURIComponent('externalId eq "E2"')}`)).body.totalResults).toBe(1);
  });

  it('leaves members out of list results (or cuts them) as an app says; GET of the group with attributes=members has them all', async () => {
    const wiki = emulator.app('wiki');
    const group = wiki.addGroup('Team', wiki.state.users.map((u) => u.id));
    for (const [cut, listed] of [['all', 5], [2, 2]] as const) {
      wiki.state.membersInLists = cut;
      expect((await call('GET', '/Groups')).body.Resources[0].members).toHaveLength(listed);
    }
    wiki.state.membersInLists = 'omitted';
    expect((await call('GET', '/Groups')).body.Resources[0]).not.toHaveProperty('members');
    const one = await call('GET', `/Groups/${group.id}?attributes=members`);
    expect(Object.keys(one.body).sort()).toEqual(['id', 'members', 'schemas']);
    expect(one.body.members).toHaveLength(5);
  });

  it('pages with 1-based startIndex and count, totalResults counting every match', async () => {
    const page = await call('GET', '/Users?startIndex=2&count=2&filter=active%20eq%20true');
    expect(page.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 3, startIndex: 2, itemsPerPage: 2 });
    expect(page.body.Resources.map((u: { userName: string }) => u.userName)).toEqual(['u3@example.com', 'u5@example.com']);
    expect(page.headers.get('content-type')).toBe('application/scim+json');
  });

  it('creates with 201 and Location, refuses a taken userName with 409 uniqueness', async () => {
    const made = await call('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada@example.com' });
    expect(made.status).toBe(201);
    expect(made.headers.get('location')).toBe(`/scim/wiki/v2/Users/${made.body.id}`);
    const taken = await call('POST', '/Users', { userName: 'ADA@example.com' });
    expect(taken).toMatchObject({ status: 409, body: { scimType: 'uniqueness', status: '409' } });
  });

  it('applies PatchOp add and remove of members, and answers 501 to PATCH where an app has it off', async () => {
    const ada = (await call('POST', '/Users', { userName: 'ada@example.com' })).body;
    const group = (await call('POST', '/Groups', { displayName: 'Editors' })).body;
    await call('PATCH', `/Groups/${group.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'members', value: [{ value: ada.id }] }] });
    expect((await call('GET', `/Users/${ada.id}`)).body.groups).toMatchObject([{ value: group.id, display: 'Editors' }]);
    expect((await call('GET', `/Groups?filter=members.value%20eq%20%22${ada.id}%22`)).body.totalResults).toBe(1);
    await call('PATCH', `/Groups/${group.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'remove', path: `members[value eq "${ada.id}"]` }] });
    expect((await call('GET', `/Groups/${group.id}`)).body.members).toEqual([]);
    emulator.app('wiki').state.patch = false;
    expect((await call('GET', '/ServiceProviderConfig')).body.patch).toEqual({ supported: false });
    expect((await call('PATCH', `/Users/${ada.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] })).status).toBe(501);
  });

  it('refuses a wrong token with 401, injects faults, and answers 429 with Retry-After past the quota', async () => {
    expect((await call('GET', '/Users', undefined, 'wrong')).status).toBe(401);
    emulator.app('wiki').faults.failNext({ path: '/Users$', count: 1, status: 503 });
    expect((await call('GET', '/Users')).status).toBe(503);
    emulator.app('wiki').faults.setQuota(1);
    expect((await call('GET', '/Users')).status).toBe(200);
    const throttled = await call('GET', '/Users');
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(throttled.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '429', scimType: 'tooMany' });
  });
});
