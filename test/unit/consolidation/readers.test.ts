/**
 * Each directory reader against its emulator at the real paths: every page read (the providers' page sizes), the
 * binding read as the actions write it, the last sign-in where the system keeps one, a protected account marked, and a
 * 429 with Retry-After waited out without losing a page.
 */
import { startProviderEmulators, type ProviderEmulators } from '../../../local/emulators/provider-emulators';
import { localProviderClients, type ProviderClients } from '../../../local/provider-clients';
import { seedDirectory, type SeededAccount } from '../../../local/emulators/seed-directory';
import { directoryReaders } from '../../../lambdas/consolidation/readers';
import type { CountedReader } from '../../../lambdas/consolidation/readers/reader-stats';
import type { DirectoryAccount } from '../../../lambdas/consolidation/directory';
import { DEFAULT_ACCOUNT_POLICY } from '../../../lambdas/actions/account-policy';
import type { FaultInjector } from '../../../local/emulators/faults';

const N = 520;
let emulators: ProviderEmulators;
let clients: ProviderClients;
let seeded: SeededAccount[];

beforeAll(async () => {
  emulators = await startProviderEmulators({ port: 0, dataDir: null, downstream: { name: 'downstream', keys: () => ({ current: 'k' }) } });
  seeded = seedDirectory(emulators, N, 'rd');
  clients = localProviderClients(emulators, { zendesk: { requestsPerMinute: 100_000 }, front: { requestsPerMinute: 100_000 }, nextcloud: { requestsPerMinute: 100_000 }, openproject: { requestsPerMinute: 100_000 } });
}, 60_000);
afterAll(async () => {
  await emulators?.stop();
});

const policy = { ...DEFAULT_ACCOUNT_POLICY, protected: { orgUnits: [], addresses: ['rd.00002@example.com'] } };
const reader = (system: string) => directoryReaders(clients, policy).find((r) => r.system === system) as CountedReader;

async function readAll(system: string): Promise<{ accounts: DirectoryAccount[]; stats: CountedReader['stats'] }> {
  const r = reader(system);
  const accounts: DirectoryAccount[] = [];
  for await (const a of r.accounts()) accounts.push(a);
  return { accounts, stats: r.stats };
}

const faultsOf = (system: string): FaultInjector =>
  ({ google: emulators.google.faults, connect: emulators.connect.faults, zendesk: emulators.zendesk.faults, front: emulators.front.scim.faults, 'scim:wiki': emulators.scim.app('wiki').faults, nextcloud: emulators.nextcloud.faults, openproject: emulators.openproject.faults })[system]!;

/** The path of each system's account pages, for a 429 on the first. */
const PAGE_PATH: Record<string, string> = {
  google: '/admin/directory/v1/users$',
  connect: '/search-users$',
  zendesk: '/api/v2/users(\\.json)?$',
  front: '/scim/front/v2/Users$',
  'scim:wiki': '/scim/wiki/v2/Users$',
  nextcloud: '/ocs/v2.php/cloud/users/details$',
  openproject: '/api/v3/users$',
};

describe('directory readers against the emulators', () => {
  it('reads one reader per system, one per SCIM app', () => {
    expect(directoryReaders(clients, policy).map((r) => r.system)).toEqual(['google', 'connect', 'zendesk', 'front', 'scim:wiki', 'nextcloud', 'openproject']);
    const { openproject: _none, ...withoutOpenProject } = clients;
    expect(directoryReaders(withoutOpenProject, policy).map((r) => r.system)).not.toContain('openproject');
  });

  it.each(Object.keys(PAGE_PATH))('%s: every page, every seeded account bound to its employee id, a 429 waited out', async (system) => {
    const faults = faultsOf(system);
    const seen = faults.startRecording();
    faults.failNext({ path: PAGE_PATH[system], count: 1, status: 429, retryAfterSeconds: 1, reason: system === 'connect' ? 'ThrottlingException' : 'rateLimitExceeded', message: 'slow down' });
    const { accounts, stats } = await readAll(system);
    const byEmployee = new Map(accounts.filter((a) => a.employeeId).map((a) => [a.employeeId!, a]));
    for (const s of seeded) expect(byEmployee.get(s.employeeId)).toMatchObject({ system, email: system === 'connect' ? s.email.split('@')[0] : s.email, active: true });
    expect(stats.pages).toBeGreaterThan(1);
    expect(stats.calls).toBeGreaterThanOrEqual(stats.pages);
    // The injected 429 was answered and its page asked for again: one request more than the pages read.
    expect(seen.filter((r) => new RegExp(PAGE_PATH[system]).test(r.split(' ')[1])).length).toBe(stats.pages + 1);
    expect(new Set(accounts.map((a) => a.accountId)).size).toBe(accounts.length);
  }, 60_000);

  it('google: last sign-in, groups and license named as the role model names them, admins and listed addresses protected', async () => {
    const { accounts } = await readAll('google');
    const first = accounts.find((a) => a.employeeId === seeded[0].employeeId)!;
    expect(first).toMatchObject({ signInKnown: true, lastSignInAt: seeded[0].lastSignInAt, access: ['googleGroups:rd-team-1@example.com', 'googleLicenseSku:1010020028'] });
    expect(accounts.find((a) => a.email === 'admin@example.com')).toMatchObject({ protected: true });
    expect(accounts.find((a) => a.email === 'rd.00002@example.com')).toMatchObject({ protected: true });
    expect(first.protected).toBeUndefined();
    // Never signed in: known, and absent.
    expect(accounts.find((a) => a.email === 'admin@example.com')).toMatchObject({ signInKnown: true });
    expect(accounts.find((a) => a.email === 'admin@example.com')!.lastSignInAt).toBeUndefined();
  }, 60_000);

  it('nextcloud: the user id as the binding, lastLogin as the last sign-in, groups as access, an admin protected', async () => {
    const { accounts } = await readAll('nextcloud');
    expect(accounts.find((a) => a.accountId === seeded[0].employeeId)).toMatchObject({ employeeId: seeded[0].employeeId, signInKnown: true, lastSignInAt: seeded[0].lastSignInAt, access: ['nextcloudGroups:Engineering'] });
    expect(accounts.find((a) => a.accountId === 'admin')).toMatchObject({ protected: true, signInKnown: true });
  }, 60_000);

  it('openproject: every user a page of 100 by id, the employee id field as the binding, locked inactive, an admin protected, no last sign-in', async () => {
    const op = emulators.openproject;
    const locked = op.addUser({ login: 'rd.locked', firstName: 'Locked', lastName: 'User', email: 'rd.locked@example.com', status: 'locked', customFields: { customField1: 'RD-LOCKED' } });
    const invited = op.addUser({ login: 'rd.invited', firstName: 'Invited', lastName: 'User', email: 'rd.invited@example.com', status: 'invited' });
    const seen = op.faults.startRecording();
    const r = reader('openproject');
    const accounts: DirectoryAccount[] = [];
    for await (const a of r.accounts()) accounts.push(a);
    // Every user OpenProject holds, each once: the seeded ones, the sample's and the two above, over more than one page.
    expect(accounts).toHaveLength(op.state.users.length);
    expect(new Set(accounts.map((a) => a.accountId))).toEqual(new Set(op.state.users.map((u) => String(u.id))));
    expect(r.stats).toEqual({ calls: Math.ceil(op.state.users.length / 100), pages: Math.ceil(op.state.users.length / 100) });
    const pages = seen.filter((x) => /\/api\/v3\/users$/.test(x.split(' ')[1]));
    expect(pages).toHaveLength(r.stats.calls);
    const first = op.userByLogin(`rd.${seeded[0].employeeId.split('-')[1]}`)!;
    expect(accounts.find((a) => a.accountId === String(first.id))).toEqual({
      system: 'openproject',
      accountId: String(first.id),
      email: seeded[0].email,
      employeeId: seeded[0].employeeId,
      active: true,
      signInKnown: false,
      createdAt: first.createdAt,
      access: ['openprojectAccount:user'],
    });
    expect(accounts.find((a) => a.accountId === String(locked.id))).toMatchObject({ employeeId: 'RD-LOCKED', active: false });
    // Invited: the invitation can still be accepted, so the account is live (and unbound: no employee id).
    const inv = accounts.find((a) => a.accountId === String(invited.id))!;
    expect(inv).toMatchObject({ active: true, email: 'rd.invited@example.com' });
    expect(inv.employeeId).toBeUndefined();
    expect(accounts.find((a) => a.email === 'admin@example.com')).toMatchObject({ protected: true });
    expect(accounts.find((a) => a.email === 'rd.00002@example.com')).toMatchObject({ protected: true });
    expect(accounts.find((a) => a.email === 'charles.babbage@example.com')).not.toHaveProperty('employeeId');
    expect(accounts.filter((a) => a.protected).map((a) => a.email).sort()).toEqual(['admin@example.com', 'rd.00002@example.com']);
    expect(accounts.every((a) => a.signInKnown === false && a.lastSignInAt === undefined)).toBe(true);
  }, 60_000);

  it('openproject: a 429 whose Retry-After is too long to wait here fails the read naming OpenProject', async () => {
    emulators.openproject.faults.failNext({ path: PAGE_PATH.openproject, count: 3, status: 429, retryAfterSeconds: 60, message: 'slow down' });
    await expect(readAll('openproject')).rejects.toThrow(/OpenProject list users[\s\S]*429[\s\S]*Retry-After 60/);
    emulators.openproject.faults.failNext({ path: PAGE_PATH.openproject, count: 0, status: 429 });
  }, 60_000);

  it('connect, zendesk, scim, front: the access each holds, named as the role model names it', async () => {
    const id = seeded[0].employeeId;
    const at = async (system: string) => (await readAll(system)).accounts.find((a) => a.employeeId === id)!;
    expect(await at('connect')).toMatchObject({ signInKnown: false, access: ['connectRoutingProfile:Support-Tier1', 'connectSecurityProfiles:Agent'] });
    expect(await at('zendesk')).toMatchObject({ access: ['zendeskRole:agent'] });
    expect(await at('scim:wiki')).toMatchObject({ access: ['scimApps:wiki'] });
    expect(await at('front')).toMatchObject({ access: [] });
  }, 60_000);

  it('a read that keeps failing ends in an error naming the provider, not a partial list taken for whole', async () => {
    emulators.nextcloud.faults.failNext({ path: PAGE_PATH.nextcloud, count: 10, status: 503, message: 'maintenance' });
    await expect(readAll('nextcloud')).rejects.toThrow(/Nextcloud/);
    emulators.nextcloud.faults.failNext({ path: PAGE_PATH.nextcloud, count: 0, status: 503 });
  }, 60_000);
});
