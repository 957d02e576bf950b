/** The Front emulator over HTTP: the Core API's shapes, errors, alias and quota, and SCIM users as teammates. */
import { FrontEmulator, frontCoreBaseUrl, frontScimBaseUrl, LOCAL_FRONT_TOKEN } from '../../../../local/emulators/front/front-emulator';
import { seedFrontSample } from '../../../../local/emulators/front/front-sample';
import { startEmulatorServer, type EmulatorServer } from '../../../../local/emulators/server';

let server: EmulatorServer;
let front: FrontEmulator;
beforeEach(async () => {
  front = seedFrontSample(new FrontEmulator());
  server = await startEmulatorServer(front.routes(), 0);
});
afterEach(() => server.stop());

const auth = { Authorization: `Bearer ${LOCAL_FRONT_TOKEN}`, 'Content-Type': 'application/json' };
const core = (path: string, init: RequestInit = {}) => fetch(`${frontCoreBaseUrl(server.url)}${path}`, { ...init, headers: { ...auth, ...init.headers } });

describe('Front emulator', () => {
  it('answers lists as _results with _links, a teammate by id or alt:email, and 204 to a membership change', async () => {
    const list = (await (await core('/teammates')).json()) as { _links: { self: string }; _results: { id: string; email: string }[] };
    expect(list._links.self).toMatch(/\/front\/teammates$/);
    const ada = list._results.find((t) => t.email === 'ada.lovelace@example.com')!;
    expect(ada.id).toMatch(/^tea_/);
    const byAlias = await core(`/teammates/${encodeURIComponent('alt:email:Ada.Lovelace@example.com')}`);
    expect(await byAlias.json()).toMatchObject({ id: ada.id, is_blocked: false, username: 'ada_lovelace', first_name: 'Ada' });
    const sales = front.team('Sales')!;
    const add = await core(`/teams/${sales.id}/teammates`, { method: 'POST', body: JSON.stringify({ teammate_ids: [ada.id] }) });
    expect(add.status).toBe(204);
    expect(front.teamsOf('ada.lovelace@example.com')).toEqual(['Support', 'Sales']);
  });

  it("answers Front's error body: 401 without the token, 404 for an unknown teammate, 400 for a bad body", async () => {
    const noToken = await fetch(`${frontCoreBaseUrl(server.url)}/teams`);
    expect(noToken.status).toBe(401);
    expect(await noToken.json()).toEqual({ _error: { status: 401, title: 'Unauthenticated', message: expect.any(String) } });
    expect((await core('/teammates/tea_nobody')).status).toBe(404);
    const bad = await core(`/inboxes/${front.inbox('Sales')!.id}/teammates`, { method: 'POST', body: JSON.stringify({ teammate_ids: [] }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { _error: { title: string } })._error.title).toBe('Bad request');
  });

  it('past the per-minute quota answers 429 with retry-after and the x-ratelimit headers', async () => {
    front.setQuota(2);
    expect((await core('/teams')).headers.get('x-ratelimit-limit')).toBe('2');
    await core('/teams');
    const throttled = await core('/teams');
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(throttled.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(await throttled.json()).toMatchObject({ _error: { status: 429, title: 'Too many requests' } });
  });

  it('sends the three x-ratelimit headers on every answer, an error too, remaining counting down to the reset', async () => {
    front.setQuota(5);
    const first = await core('/teams');
    const second = await core('/teammates/tea_nobody');
    const noToken = await fetch(`${frontCoreBaseUrl(server.url)}/teams`);
    for (const res of [first, second, noToken]) {
      expect(res.headers.get('x-ratelimit-limit')).toBe('5');
      expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    }
    expect([first, second, noToken].map((r) => r.headers.get('x-ratelimit-remaining'))).toEqual(['4', '3', '2']);
    front.setQuota(undefined);
    expect((await core('/teams')).headers.get('x-ratelimit-remaining')).toBe('1000');
  });

  it('a membership change can be accepted without being applied (a test switch), and a template left unechoed', async () => {
    front.acceptWithoutApplying(1);
    const ada = front.teammate('alt:email:ada.lovelace@example.com')!;
    const add = await core(`/teams/${front.team('Sales')!.id}/teammates`, { method: 'POST', body: JSON.stringify({ teammate_ids: [ada.id] }) });
    expect(add.status).toBe(204);
    expect(front.teamsOf('ada.lovelace@example.com')).toEqual(['Support']);
    // Still checked: an unknown team is a 404 all the same.
    expect((await core('/teams/tim_nowhere/teammates', { method: 'POST', body: JSON.stringify({ teammate_ids: [ada.id] }) })).status).toBe(404);
    front.templatesEchoed = false;
    const made = await fetch(`${frontScimBaseUrl(server.url)}/Users`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/scim+json' }, body: JSON.stringify({ userName: 'n@example.com', roles: [{ value: 'Support agent' }] }) });
    expect(made.status).toBe(201);
    expect(((await made.json()) as { roles?: unknown }).roles).toBeUndefined();
    expect(front.scimUser('n@example.com')!.roles).toBeUndefined();
  });

  it('a SCIM user is a teammate: made by POST /Users, blocked by active: false', async () => {
    const scim = (path: string, init: RequestInit = {}) => fetch(`${frontScimBaseUrl(server.url)}${path}`, { ...init, headers: { ...auth, 'Content-Type': 'application/scim+json' } });
    const made = await scim('/Users', { method: 'POST', body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'new@example.com', externalId: 'E7', name: { givenName: 'New' }, roles: [{ value: 'Support agent' }] }) });
    expect(made.status).toBe(201);
    const { id } = (await made.json()) as { id: string };
    expect(front.teammate('alt:email:new@example.com')).toMatchObject({ email: 'new@example.com', is_blocked: false });
    await scim(`/Users/${id}`, { method: 'PATCH', body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] }) });
    expect(front.teammate('alt:email:new@example.com')).toMatchObject({ is_blocked: true });
    const unknown = await scim('/Users', { method: 'POST', body: JSON.stringify({ userName: 'x@example.com', roles: [{ value: 'Wizard' }] }) });
    expect(unknown.status).toBe(400);
  });
});
