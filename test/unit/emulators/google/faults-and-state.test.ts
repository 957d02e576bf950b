import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GoogleWorkspaceEmulator, openSampleTenant, seedSample } from '../../../../local/emulators/google';
import { googleError, startGoogle, type GoogleHarness } from './google-harness';

describe('fault injection and quota', () => {
  let g: GoogleHarness;
  beforeEach(async () => {
    g = await startGoogle();
  });
  afterEach(() => g.stop());

  it('fails the next two calls on a path with 503, then lets the third through', async () => {
    g.emulator.faults.failNext({ method: 'GET', path: '^/admin/directory/v1/users/[^/]+$', count: 2, status: 503 });
    for (let i = 0; i < 2; i += 1) {
      const err = await googleError(g.directory.users.get({ userKey: 'ada.lovelace@example.com' }));
      expect(err).toMatchObject({ status: 503, error: { code: 503, status: 'UNAVAILABLE', errors: [{ reason: 'backendError' }] } });
    }
    expect((await g.directory.users.get({ userKey: 'ada.lovelace@example.com' })).data.primaryEmail).toBe('ada.lovelace@example.com');
  });

  it('injects faults over HTTP too, with a reason and Retry-After', async () => {
    const res = await fetch(`${g.server.url}/_emulator/google/faults`, {
      method: 'POST',
      body: JSON.stringify({ path: '/gmail/v1/users/', count: 1, status: 403, reason: 'userRateLimitExceeded', retryAfterSeconds: 7 }),
    });
    expect(res.status).toBe(200);
    const err = await googleError(g.gmail.users.settings.getVacation({ userId: 'ada.lovelace@example.com' }));
    expect(err).toMatchObject({ status: 403, headers: { 'retry-after': '7' }, error: { errors: [{ reason: 'userRateLimitExceeded' }] } });
  });

  it('answers 429 rateLimitExceeded with Retry-After past the per-minute quota', async () => {
    g.emulator.faults.setQuota(3);
    for (let i = 0; i < 3; i += 1) await g.directory.users.get({ userKey: 'ada.lovelace@example.com' });
    const err = await googleError(g.directory.users.get({ userKey: 'ada.lovelace@example.com' }));
    expect(err).toMatchObject({ status: 429, error: { code: 429, status: 'RESOURCE_EXHAUSTED', errors: [{ reason: 'rateLimitExceeded' }] } });
    expect(Number(err.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('refuses an unauthenticated call before it counts against the quota', async () => {
    g.emulator.faults.setQuota(1);
    expect((await fetch(`${g.rootUrl}admin/directory/v1/users?customer=my_customer`)).status).toBe(401);
    expect((await g.directory.users.list({ customer: 'my_customer' })).status).toBe(200);
  });
});

describe('emulator control routes', () => {
  it('sets the transfer behaviour and dumps the state over HTTP, without a token', async () => {
    const g = await startGoogle();
    try {
      const set = await fetch(`${g.server.url}/_emulator/google/transfers`, { method: 'POST', body: JSON.stringify({ delayMs: 10, movesNothing: true }) });
      expect(await set.json()).toMatchObject({ transferDelayMs: 10, transferMovesNothing: true });
      const state = (await (await fetch(`${g.server.url}/_emulator/google/state`)).json()) as { users: { primaryEmail: string }[] };
      expect(state.users.map((u) => u.primaryEmail)).toContain('ada.lovelace@example.com');
    } finally {
      await g.stop();
    }
  });
});

describe('keeping the tenant', () => {
  it('round-trips through toJSON/fromJSON and keeps issuing fresh ids', () => {
    const first = new GoogleWorkspaceEmulator();
    const sample = seedSample(first);
    first.seedUser({ email: 'mary.jackson@example.com', givenName: 'Mary', familyName: 'Jackson', orgUnitPath: '/Staff' });
    const copy = GoogleWorkspaceEmulator.fromJSON(JSON.parse(JSON.stringify(first)));
    expect(copy.user('mary.jackson@example.com')?.orgUnitPath).toBe('/Staff');
    expect(copy.user(sample.users.ada.id)?.primaryEmail).toBe('ada.lovelace@example.com');
    const next = copy.seedUser({ email: 'dorothy.vaughan@example.com', givenName: 'Dorothy', familyName: 'Vaughan' });
    expect(next.id).not.toBe(copy.user('mary.jackson@example.com')?.id);
    expect(() => GoogleWorkspaceEmulator.fromJSON({ version: 2 })).toThrow(/version 1/);
  });

  it('saves every API change to its file and reopens from it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'google-emulator-'));
    const file = join(dir, 'google.json');
    try {
      const opened = openSampleTenant(file);
      expect(opened.user('ada.lovelace@example.com')).toBeDefined();
      const { startEmulatorServer } = await import('../../../../local/emulators/server');
      const server = await startEmulatorServer(opened.routes(), 0);
      try {
        const res = await fetch(`${server.url}/admin/directory/v1/users/ada.lovelace@example.com`, {
          method: 'PATCH',
          headers: { Authorization: 'Bearer local', 'Content-Type': 'application/json' },
          body: JSON.stringify({ suspended: true }),
        });
        expect(res.status).toBe(200);
      } finally {
        await server.stop();
      }
      const reopened = openSampleTenant(file);
      expect(reopened.user('ada.lovelace@example.com')).toMatchObject({ suspended: true, suspensionReason: 'ADMIN' });
      expect(reopened.user('grace.hopper@example.com')?.suspended).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the last sign-in control route', () => {
  it('sets lastLoginTime as users.get answers it, clears it with null, and names a bad field', async () => {
    const g = await startGoogle();
    try {
      const post = (body: unknown) => fetch(`${g.server.url}/_emulator/google/last-login`, { method: 'POST', body: JSON.stringify(body) });
      expect((await post({ userKey: 'ada.lovelace@example.com', lastLoginTime: '2026-08-01T09:00:00Z' })).status).toBe(200);
      expect((await g.directory.users.get({ userKey: 'ada.lovelace@example.com' })).data.lastLoginTime).toBe('2026-08-01T09:00:00.000Z');
      expect((await post({ userKey: 'ada.lovelace@example.com', lastLoginTime: null })).status).toBe(200);
      expect((await g.directory.users.get({ userKey: 'ada.lovelace@example.com' })).data.lastLoginTime).toBe('1970-01-01T00:00:00.000Z');
      const bad = await post({ userKey: 'ada.lovelace@example.com', lastLoginTime: 'yesterday' });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({ error: 'lastLoginTime: expected an ISO 8601 time, or null for never' });
      expect((await post({ userKey: 'nobody@example.com', lastLoginTime: null })).status).toBe(404);
    } finally {
      await g.stop();
    }
  });
});
