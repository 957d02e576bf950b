/** nextcloud.provisionUser and nextcloud.updateUser against the Nextcloud emulator through the fetch client. */
import { provisionNextcloudUser } from '../../../../lambdas/actions/nextcloud/provision-user';
import { updateNextcloudUser } from '../../../../lambdas/actions/nextcloud/update-user';
import { DEFAULT_ACCOUNT_POLICY } from '../../../../lambdas/actions/account-policy';
import { runAction } from '../../../../lambdas/actions/run-action';
import type { ActionRequest } from '../../../../lambdas/engine/ports';
import { expectFailure as failure, expectOk as ok } from '../../../support/google-emulator';
import { NORA, nextcloudRequest, useNextcloudTestBed, type NextcloudTestBed } from '../../../support/nextcloud-emulator';

const currentBed = useNextcloudTestBed();
let bed: NextcloudTestBed;
beforeEach(() => {
  bed = currentBed();
});

const provision = (params: Record<string, unknown>, overrides: Partial<ActionRequest> = {}) => runAction(provisionNextcloudUser, bed.ctx, nextcloudRequest('nextcloud.provisionUser', params, { employee: NORA, ...overrides }));
const CHARLES = { id: 'E090', firstName: 'Charles', email: 'charles.babbage@example.com', timezone: 'Europe/Berlin' };
const update = (params: Record<string, unknown>, overrides: Partial<ActionRequest> = {}) => runAction(updateNextcloudUser, bed.ctx, nextcloudRequest('nextcloud.updateUser', params, { eventType: 'role_change', ...overrides }));

describe('nextcloud.provisionUser', () => {
  it('creates the user with the employee id as its id, the company address (a welcome mail), the groups and the quota, read back', async () => {
    const res = ok(await provision({ groups: ['Engineering', 'Support'], quota: '5 GB' }));
    expect(bed.emulator.user(NORA.id)).toMatchObject({ email: NORA.email, displayname: 'Nora Cloud', enabled: true, groups: ['Engineering', 'Support'], quota: 5 * 1024 ** 3, passwordSet: false });
    expect(bed.emulator.state.welcomeMails).toEqual([NORA.id]);
    expect(res.result).toEqual({ created: { userId: NORA.id, email: NORA.email, groups: ['Engineering', 'Support'], quota: '5 GB' } });
    expect(res.account).toEqual({ system: 'nextcloud', address: NORA.email, accountId: NORA.id, state: 'active', boundBy: 'created' });
  });

  it('already done: a second run changes nothing and says so', async () => {
    ok(await provision({ groups: ['Engineering'], quota: '5 GB' }));
    const again = ok(await provision({ groups: ['Engineering'], quota: '5 GB' }));
    expect(again.note).toMatch(/already as the role says/);
    expect(bed.emulator.state.welcomeMails).toEqual([NORA.id]);
  });

  it('a rehire: the disabled user is enabled again, its quota and missing groups set', async () => {
    bed.emulator.addUser({ id: NORA.id, email: NORA.email, enabled: false });
    const res = ok(await provision({ groups: ['Engineering'], quota: '1 GB' }));
    expect(bed.emulator.user(NORA.id)).toMatchObject({ enabled: true, groups: ['Engineering'], quota: 1024 ** 3 });
    expect(res.note).toMatch(/enabled again; quota 1 GB; added to Engineering/);
  });

  it('a group Nextcloud does not have: not retryable, nothing made', async () => {
    const error = failure(await provision({ groups: ['Nope'] }));
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toMatch(/no group Nope/);
    expect(bed.emulator.user(NORA.id)).toBeUndefined();
  });

  it("checks the role's groups by searching for each, not by listing every group of the server", async () => {
    for (let i = 0; i < 450; i++) bed.emulator.addGroup(`Team ${String(i).padStart(3, '0')}`);
    const calls = bed.emulator.faults.startRecording();
    ok(await provision({ groups: ['Engineering', 'Support'] }));
    expect(calls.filter((c) => /^GET \/ocs\/v2\.php\/cloud\/groups$/.test(c))).toHaveLength(2);
  });

  it('a bad quota in the step is refused before any call', async () => {
    const error = failure(await provision({ quota: 'lots' }));
    expect(error.retryable).toBe(false);
    expect(bed.emulator.user(NORA.id)).toBeUndefined();
  });

  it('a quota Nextcloud stores rounded ("1500 MB" as "1.5 GB") is read back as stored, and a second run changes nothing', async () => {
    ok(await provision({ quota: '1500 MB' }));
    expect(bed.emulator.user(NORA.id)!.quota).toBe(Math.round(1.5 * 1024 ** 3));
    expect(ok(await provision({ quota: '1500 MB' })).note).toMatch(/already as the role says/);
  });

  it('a quota Nextcloud refuses (past its max_quota): not retryable, naming the quota; the user keeps its email and welcome mail', async () => {
    bed.emulator.state.maxQuota = 1024 ** 3;
    const error = failure(await provision({ groups: ['Engineering'], quota: '5 GB' }));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/quota.*OCS 102.*maximum quota/);
    expect(bed.emulator.user(NORA.id)).toMatchObject({ email: NORA.email, groups: ['Engineering'] });
    expect(bed.emulator.state.welcomeMails).toEqual([NORA.id]);
  });

  it('"5 GiB" (which Nextcloud reads as 5 bytes) is refused before any call', async () => {
    const error = failure(await provision({ quota: '5 GiB' }));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/quota/);
    expect(bed.emulator.user(NORA.id)).toBeUndefined();
  });

  it('a 5xx or a 429 is retryable; an OCS failure (a 4xx) is not', async () => {
    bed.emulator.faults.failNext({ method: 'POST', path: '/cloud/users$', count: 1, status: 503 });
    expect(failure(await provision({ groups: ['Engineering'] })).retryable).toBe(true);
    bed.emulator.faults.failNext({ method: 'POST', path: '/cloud/users$', count: 1, status: 429, retryAfterSeconds: 30 });
    const throttled = failure(await provision({ groups: ['Engineering'] }));
    expect(throttled.retryable).toBe(true);
    expect(throttled.message).toMatch(/Retry-After 30/);
    bed.emulator.faults.failNext({ method: 'POST', path: '/cloud/users$', count: 1, status: 403 });
    expect(failure(await provision({ groups: ['Engineering'] })).retryable).toBe(false);
    ok(await provision({ groups: ['Engineering'] }));
  });

  it('an unbound user at the address (made by hand) is held for an operator and left untouched', async () => {
    const error = failure(await provision({ groups: ['Support'] }, { employee: { id: 'E090', firstName: 'Charles', email: 'charles.babbage@example.com', timezone: 'Europe/Berlin' } }));
    expect(error).toMatchObject({ retryable: false, hold: 'unbound' });
    expect(bed.emulator.user('charles')!.groups).toEqual(['Analytical Engine']);
    expect(bed.emulator.user('E090')).toBeUndefined();
  });

  it('an operator adopting the hand-made user lets the step act on it', async () => {
    const charles = { id: 'E090', firstName: 'Charles', email: 'charles.babbage@example.com', timezone: 'Europe/Berlin' };
    const res = ok(await provision({ groups: ['Support'] }, { employee: charles, confirmedAccounts: [{ system: 'nextcloud', account: 'charles.babbage@example.com', confirms: 'adopt' }] }));
    expect(bed.emulator.user('charles')!.groups).toEqual(['Analytical Engine', 'Support']);
    expect(res.account).toMatchObject({ accountId: 'charles', boundBy: 'adopted' });
  });
});

describe('the Nextcloud account check', () => {
  const adopting = () => ({ ...bed.ctx, accountPolicy: () => ({ ...DEFAULT_ACCOUNT_POLICY, adoptUnbound: { domains: ['example.com'], orgUnits: [] } }) });

  it("the stage's rule adopts an enabled user made by hand at the address", async () => {
    const res = ok(await runAction(provisionNextcloudUser, adopting(), nextcloudRequest('nextcloud.provisionUser', { groups: ['Support'] }, { employee: CHARLES })));
    expect(res.account).toMatchObject({ accountId: 'charles', boundBy: 'adopted' });
  });

  it('two users at the address: not retryable, naming both, neither touched, even with an adoption', async () => {
    bed.emulator.addUser({ id: 'cbabbage', email: 'charles.babbage@example.com' });
    const adopt = { confirmedAccounts: [{ system: 'nextcloud' as const, account: 'charles.babbage@example.com', confirms: 'adopt' as const }] };
    const error = failure(await runAction(provisionNextcloudUser, bed.ctx, nextcloudRequest('nextcloud.provisionUser', { groups: ['Support'] }, { employee: CHARLES, ...adopt })));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/cbabbage, charles all have the address/);
    expect(bed.emulator.user('cbabbage')!.groups).toEqual([]);
    expect(bed.emulator.user('charles')!.groups).toEqual(['Analytical Engine']);
  });

  it('a user whose id is the employee id in another case (Nextcloud finds it) is not bound: held, and marked adopted once an operator adopts it', async () => {
    bed.emulator.addUser({ id: 'e300', displayname: 'made by hand' });
    const held = failure(await provision({ groups: ['Support'] }));
    expect(held).toMatchObject({ hold: 'unbound' });
    expect(held.message).toMatch(/Nextcloud user e300/);
    expect(bed.emulator.user('e300')!.groups).toEqual([]);
    const res = ok(await provision({ groups: ['Support'] }, { confirmedAccounts: [{ system: 'nextcloud', account: 'e300', confirms: 'adopt' }] }));
    expect(res.account).toMatchObject({ accountId: 'e300', boundBy: 'adopted' });
  });

  it("never a disabled one (a leaver's whose address was given again): held for an operator, naming its user id, left untouched", async () => {
    bed.emulator.user('charles')!.enabled = false;
    const error = failure(await runAction(provisionNextcloudUser, adopting(), nextcloudRequest('nextcloud.provisionUser', { groups: ['Support'] }, { employee: CHARLES })));
    expect(error).toMatchObject({ retryable: false, hold: 'unbound' });
    expect(error.message).toMatch(/Nextcloud user charles/);
    expect(bed.emulator.user('charles')).toMatchObject({ enabled: false, groups: ['Analytical Engine'] });
    expect(bed.emulator.user(CHARLES.id)).toBeUndefined();
  });
});

describe('nextcloud.updateUser', () => {
  it("adds the new role's groups and quota, read back, recording the quota before", async () => {
    const res = ok(await update({ addGroups: ['Support'], quota: '20 GB' }));
    expect(bed.emulator.user('E100')).toMatchObject({ groups: ['Engineering', 'Support'], quota: 20 * 1024 ** 3 });
    expect(res.result).toEqual({ changed: ['quota 20 GB', 'added to Support'], added: ['Support'], previousQuota: 10 * 1024 ** 3 });
  });

  it("a move to the server's default quota sets it, though the quota Nextcloud answers cannot show it", async () => {
    const res = ok(await update({ quota: 'default' }));
    expect(bed.emulator.user('E100')!.quota).toBe('default');
    expect(res.result).toMatchObject({ changed: ["quota set to the server's default"], previousQuota: 10 * 1024 ** 3 });
  });

  it('no user bound to the employee: not retryable', async () => {
    expect(failure(await update({ addGroups: ['Support'] }, { employee: NORA })).retryable).toBe(false);
  });
});
