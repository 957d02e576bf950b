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
  clients = localProviderClients(emulators, { zendesk: { requestsPerMinute: 100_000 }, front: { requestsPerMinute: 100_000 }, nextcloud: { requestsPerMinute: 100_000 } });
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
  ({ google: emulators.google.faults, connect: emulators.connect.faults, zendesk: emulators.zendesk.faults, front: emulators.front.scim.faults, 'scim:wiki': emulators.scim.app('wiki').faults, nextcloud: emulators.nextcloud.faults })[system]!;

/** The path of each system's account pages, for a 429 on the first. */
const PAGE_PATH: Record<string, string> = {
  google: '/admin/directory/v1/users$',
  connect: '/search-users$',
  zendesk: '/api/v2/users(\\.json)?$',
  front: '/scim/front/v2/Users$',
  'scim:wiki': '/scim/wiki/v2/Users$',
  nextcloud: '/ocs/v2.php/cloud/users/details$',
};

describe('directory readers against the emulators', () => {
  it('reads one reader per system, one per SCIM app (OpenProject is not read yet)', () => {
    expect(directoryReaders(clients, policy).map((r) => r.system)).toEqual(['google', 'connect', 'zendesk', 'front', 'scim:wiki', 'nextcloud']);
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
