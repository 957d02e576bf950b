/** The Nextcloud emulator over HTTP: the OCS envelope on v1 and v2, its failure codes, auth, the quota, and WebDAV. */
import { NextcloudApiError, NextcloudClient } from '../../../../lambdas/providers/nextcloud/nextcloud-client';
import { LOCAL_NEXTCLOUD_ADMIN, LOCAL_NEXTCLOUD_APP_PASSWORD, NextcloudEmulator } from '../../../../local/emulators/nextcloud/nextcloud-emulator';
import { startEmulatorServer } from '../../../../local/emulators/server';
import { useNextcloudTestBed, type NextcloudTestBed } from '../../../support/nextcloud-emulator';

const currentBed = useNextcloudTestBed();
let bed: NextcloudTestBed;
beforeEach(() => {
  bed = currentBed();
});

const auth = `Basic ${Buffer.from(`${LOCAL_NEXTCLOUD_ADMIN}:${LOCAL_NEXTCLOUD_APP_PASSWORD}`).toString('base64')}`;
type Json = any;
const json = async (res: Response): Promise<Json> => res.json();
const call = (method: string, path: string, body?: string) =>
  fetch(`${bed.url}${path}`, { method, headers: { Authorization: auth, 'OCS-APIRequest': 'true', ...(body ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) }, ...(body ? { body } : {}) });

describe('the Nextcloud emulator', () => {
  it('answers the OCS envelope: v1 statuscode 100, v2 statuscode 200', async () => {
    const v1 = await call('GET', '/ocs/v1.php/cloud/users/E100?format=json');
    expect(v1.status).toBe(200);
    const b1 = await json(v1);
    expect(b1.ocs.meta).toMatchObject({ status: 'ok', statuscode: 100 });
    expect(b1.ocs.data).toMatchObject({ id: 'E100', enabled: true, email: 'ada.lovelace@example.com', groups: ['Engineering'], quota: { quota: 10 * 1024 ** 3 } });
    expect(typeof b1.ocs.data.lastLogin).toBe('number');
    const v2 = await json(await call('GET', '/ocs/v2.php/cloud/users?search=ada&format=json'));
    expect(v2.ocs).toEqual({ meta: expect.objectContaining({ status: 'ok', statuscode: 200 }), data: { users: ['E100'] } });
  });

  it('answers XML without format=json (or an Accept naming JSON), as Nextcloud does', async () => {
    const xml = await call('GET', '/ocs/v2.php/cloud/users?search=ada');
    expect(xml.headers.get('content-type')).toMatch(/application\/xml/);
    const text = await xml.text();
    expect(text.startsWith('<?xml version="1.0"?>\n<ocs>\n <meta>\n  <status>ok</status>\n  <statuscode>200</statuscode>')).toBe(true);
    expect(text).toContain('<users>\n   <element>E100</element>\n  </users>');
    const byAccept = await fetch(`${bed.url}/ocs/v2.php/cloud/users/E100`, { headers: { Authorization: auth, 'OCS-APIRequest': 'true', Accept: 'application/json' } });
    expect((await json(byAccept)).ocs.data.id).toBe('E100');
  });

  it('a failure: v1 answers HTTP 200 with the code, v2 maps it (102 → 400, 998 → 404, 997 → 401)', async () => {
    const dup1 = await call('POST', '/ocs/v1.php/cloud/users?format=json', 'userid=E100&email=x%40example.com');
    expect(dup1.status).toBe(200);
    expect((await json(dup1)).ocs.meta).toMatchObject({ status: 'failure', statuscode: 102, message: 'User already exists' });
    const dup2 = await call('POST', '/ocs/v2.php/cloud/users?format=json', 'userid=E100&email=x%40example.com');
    expect(dup2.status).toBe(400);
    // getUser's OCSNotFoundException is code 404 (v2: HTTP 404, statuscode 404; v1: HTTP 200); editUser's is 998.
    const missing = await call('GET', '/ocs/v2.php/cloud/users/nobody?format=json');
    expect(missing.status).toBe(404);
    expect((await json(missing)).ocs.meta).toMatchObject({ status: 'failure', statuscode: 404, message: 'User does not exist' });
    const missing1 = await call('GET', '/ocs/v1.php/cloud/users/nobody?format=json');
    expect(missing1.status).toBe(200);
    expect((await json(missing1)).ocs.meta).toMatchObject({ status: 'failure', statuscode: 404 });
    expect(await bed.nextcloud.client.getUser('nobody')).toBeUndefined();
    const anon = await fetch(`${bed.url}/ocs/v2.php/cloud/users?format=json`, { headers: { 'OCS-APIRequest': 'true' } });
    expect(anon.status).toBe(401);
    expect((await json(anon)).ocs.meta.statuscode).toBe(997);
  });

  it('creates a user with groups[] and a quota; a missing group is 104, no password and no email 108', async () => {
    expect((await json(await call('POST', '/ocs/v2.php/cloud/users?format=json', 'userid=x&email=x%40example.com&groups%5B%5D=Nope'))).ocs.meta.statuscode).toBe(104);
    expect((await json(await call('POST', '/ocs/v2.php/cloud/users?format=json', 'userid=x'))).ocs.meta.statuscode).toBe(108);
    const ok = await call('POST', '/ocs/v2.php/cloud/users?format=json', 'userid=x&email=x%40example.com&groups%5B%5D=Support&quota=2%20GB');
    expect(ok.status).toBe(200);
    expect(bed.emulator.user('x')).toMatchObject({ groups: ['Support'], quota: 2 * 1024 ** 3 });
  });

  it('reads a quota as Nextcloud does: "5 GiB" is 5 bytes, "1500 MB" is kept as "1.5 GB", past max_quota is 102', async () => {
    const put = (value: string) => call('PUT', '/ocs/v2.php/cloud/users/E100?format=json', `key=quota&value=${encodeURIComponent(value)}`);
    expect((await put('5 GiB')).status).toBe(200);
    expect(bed.emulator.user('E100')!.quota).toBe(5);
    await put('1500 MB');
    expect(bed.emulator.user('E100')!.quota).toBe(Math.round(1.5 * 1024 ** 3));
    expect((await json(await put('lots'))).ocs.meta).toMatchObject({ status: 'failure', statuscode: 102 });
    bed.emulator.state.maxQuota = 1024 ** 3;
    expect((await json(await put('2 GB'))).ocs.meta).toMatchObject({ statuscode: 102, message: expect.stringMatching(/maximum quota/) });
  });

  it('a refused quota in POST /users leaves the user made, with no email and no welcome mail (102)', async () => {
    bed.emulator.state.maxQuota = 1024 ** 3;
    const res = await call('POST', '/ocs/v2.php/cloud/users?format=json', 'userid=x&email=x%40example.com&quota=5%20GB');
    expect(res.status).toBe(400);
    expect((await json(res)).ocs.meta.statuscode).toBe(102);
    expect(bed.emulator.user('x')).toMatchObject({ email: null });
    expect(bed.emulator.state.welcomeMails).toEqual([]);
  });

  it('edit and enable/disable answer as Nextcloud does: no such user 998 (404) on edit, 101 on disable; an unknown key 113; the admin itself 101', async () => {
    expect((await call('PUT', '/ocs/v2.php/cloud/users/nobody?format=json', 'key=quota&value=none')).status).toBe(404);
    expect((await json(await call('PUT', '/ocs/v2.php/cloud/users/E100?format=json', 'key=nope&value=x'))).ocs.meta.statuscode).toBe(113);
    expect((await json(await call('PUT', '/ocs/v2.php/cloud/users/nobody/disable?format=json'))).ocs.meta.statuscode).toBe(101);
    expect((await json(await call('PUT', `/ocs/v2.php/cloud/users/${LOCAL_NEXTCLOUD_ADMIN}/disable?format=json`))).ocs.meta.statuscode).toBe(101);
    expect(bed.emulator.user(LOCAL_NEXTCLOUD_ADMIN)!.enabled).toBe(true);
  });

  it('answers 429 with Retry-After past its per-minute quota; the client says so', async () => {
    bed.emulator.faults.setQuota(1);
    await bed.nextcloud.client.getUser('E100');
    const err = await bed.nextcloud.client.getUser('E100').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NextcloudApiError);
    expect(err).toMatchObject({ status: 429 });
    expect((err as NextcloudApiError).retryAfter).toBeGreaterThan(0);
  });

  it('the client waits out a short Retry-After and sends again; a long one goes back at once, retryable', async () => {
    const client = new NextcloudClient({ baseUrl: bed.url, user: LOCAL_NEXTCLOUD_ADMIN, appPassword: async () => LOCAL_NEXTCLOUD_APP_PASSWORD, requestsPerMinute: 100_000, maxRetries: 2, maxInlineWaitMs: 2_000 });
    bed.emulator.faults.failNext({ method: 'GET', path: '/cloud/users/E100$', count: 1, status: 429, retryAfterSeconds: 1 });
    const started = Date.now();
    expect((await client.getUser('E100'))?.id).toBe('E100');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    bed.emulator.faults.failNext({ method: 'GET', path: '/cloud/users/E100$', count: 1, status: 429, retryAfterSeconds: 60 });
    const quick = Date.now();
    await expect(client.getUser('E100')).rejects.toMatchObject({ status: 429, retryAfter: 60 });
    expect(Date.now() - quick).toBeLessThan(900);
  });

  it('lists users page by page and reads lastLogin', async () => {
    for (let i = 0; i < 120; i++) bed.emulator.addUser({ id: `u${String(i).padStart(3, '0')}` });
    const ids: string[] = [];
    for await (const id of bed.nextcloud.client.listUserIds()) ids.push(id);
    expect(ids).toHaveLength(bed.emulator.state.users.length);
    expect(await bed.nextcloud.client.lastLogin('E100')).toBe(Date.parse('2026-11-28T08:30:00Z'));
    expect(await bed.nextcloud.client.lastLogin('charles')).toBeUndefined();
  });

  it('a decimal user id comes as a JSON number in the list (PHP array keys); the client reads it as the id string', async () => {
    bed.emulator.addUser({ id: '100234', email: 'num@example.com' });
    expect((await json(await call('GET', '/ocs/v2.php/cloud/users?search=num&format=json'))).ocs.data.users).toEqual([100234]);
    const ids: string[] = [];
    for await (const id of bed.nextcloud.client.listUserIds()) ids.push(id);
    expect(ids).toContain('100234');
    expect((await bed.nextcloud.client.usersByEmail('num@example.com')).map((u) => u.id)).toEqual(['100234']);
  });

  it('records a sign-in at its own clock (a test clock), or at a given time; lastLogin answers it in milliseconds', async () => {
    const at = Date.parse('2099-03-01T10:00:00Z');
    const emulator = new NextcloudEmulator(undefined, () => at);
    emulator.addUser({ id: 'E1' });
    const server = await startEmulatorServer(emulator.routes(), 0);
    try {
      expect((await json(await fetch(`${server.url}/_emulator/nextcloud/users/E1/login`, { method: 'POST' }))).lastLogin).toBe(at);
      await fetch(`${server.url}/_emulator/nextcloud/users/E1/login`, { method: 'POST', body: JSON.stringify({ at: '2098-11-01T00:00:00Z' }) });
      expect(emulator.user('E1')!.lastLogin).toBe(Date.parse('2098-11-01T00:00:00Z'));
    } finally {
      await server.stop();
    }
  });

  it('lists every user with details page by page (GET /cloud/users/details), a request per 100, lastLogin in ms', async () => {
    for (let i = 0; i < 230; i++) bed.emulator.addUser({ id: `d${String(i).padStart(3, '0')}`, enabled: i % 2 === 0 });
    const calls = bed.emulator.faults.startRecording();
    const users = [];
    for await (const u of bed.nextcloud.client.listUsersDetails()) users.push(u);
    expect(users).toHaveLength(bed.emulator.state.users.length);
    expect(calls.filter((c) => c.includes('/users/details'))).toHaveLength(3);
    expect(users.find((u) => u.id === 'E100')).toMatchObject({ enabled: true, lastLogin: Date.parse('2026-11-28T08:30:00Z'), groups: ['Engineering'] });
    expect(users.find((u) => u.id === 'd001')!.enabled).toBe(false);
    const none = await json(await call('GET', '/ocs/v2.php/cloud/users/details?search=nobody-at-all&format=json'));
    expect(none.ocs.data).toEqual({ users: [] });
  });

  it('WebDAV: PROPFIND lists a folder, GET reads a file, a missing one is 404', async () => {
    bed.emulator.putFile('admin', 'HR/newcomers/2099-01.csv', 'id,name\nE1,Nora\n');
    expect((await bed.nextcloud.client.listFolder('admin', 'HR/newcomers')).sort()).toEqual(['2099-01.csv', 'README.txt']);
    expect(await bed.nextcloud.client.readFile('admin', 'HR/newcomers/2099-01.csv')).toBe('id,name\nE1,Nora\n');
    await expect(bed.nextcloud.client.readFile('admin', 'HR/nope.csv')).rejects.toMatchObject({ status: 404 });
  });
});
