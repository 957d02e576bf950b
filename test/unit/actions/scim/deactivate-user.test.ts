/**
 * scim.deactivateUser and its restore scim.reactivateUser against the SCIM emulator: the snapshot first, memberships
 * removed, active: false, read back; a cancel (or a rehire) sets it active and in its groups again.
 */
import { deactivateScimUser } from '../../../../lambdas/actions/scim/deactivate-user';
import { reactivateScimUser } from '../../../../lambdas/actions/scim/reactivate-user';
import { runAction } from '../../../../lambdas/actions/run-action';
import { restoreRuleFor } from '../../../../lambdas/actions/catalog';
import { DEFAULT_ACCOUNT_POLICY } from '../../../../lambdas/actions/account-policy';
import type { ActionResponse } from '../../../../lambdas/engine/ports';
import { scimRequest, useScimTestBed } from '../../../support/scim-emulator';

const bed = useScimTestBed();
const deactivate = (app = 'wiki', overrides = {}) => runAction(deactivateScimUser, bed().ctx, scimRequest('scim.deactivateUser', { app }, { eventType: 'terminate', ...overrides }));
const reactivate = (result: unknown) => runAction(reactivateScimUser, bed().ctx, scimRequest('scim.reactivateUser', { result }, { eventType: 'cancel' }));
const ok = (res: ActionResponse) => {
  if (!res.ok) throw new Error(`expected success, got ${JSON.stringify(res.error)}`);
  return res;
};
const failed = (res: ActionResponse) => {
  if (res.ok) throw new Error(`expected a failure, got ${JSON.stringify(res)}`);
  return res.error;
};

/** Ada in an app, bound to E100, active, in the groups named. */
function adaIn(appName: string, groups: string[]) {
  const app = bed().emulator.app(appName);
  const ada = app.addUser({ userName: 'ada.lovelace@example.com', externalId: 'E100', displayName: 'Ada Lovelace' });
  for (const g of groups) app.group(g)!.members = [...((app.group(g)!.members as unknown[]) ?? []), { value: ada.id }];
  return { app, ada };
}

describe('scim.deactivateUser', () => {
  it('records the active flag and groups, removes every membership, sets active false and reads both back', async () => {
    const { app, ada } = adaIn('wiki', ['Engineering', 'Everyone']);
    const res = ok(await deactivate());
    expect(app.user(ada.id)).toMatchObject({ active: false, externalId: 'E100' });
    expect(app.groupsOf(ada.id)).toEqual([]);
    expect(res.result).toEqual({
      removed: { app: 'wiki', userId: ada.id, userName: 'ada.lovelace@example.com', active: true, groups: expect.arrayContaining([{ id: app.group('Engineering')!.id, displayName: 'Engineering' }, { id: app.group('Everyone')!.id, displayName: 'Everyone' }]) },
    });
    expect(res.note).toContain('deactivated SCIM user ada.lovelace@example.com');
    // Grace, in the same groups, keeps them.
    expect(app.groupsOf(String(app.userByName('grace.hopper@example.com')!.id))).toContain('Everyone');
    // PATCH on an app that supports it: replace active, remove members by value filter.
    expect(bed().requests).toContain(`PATCH /scim/wiki/v2/Users/${ada.id}`);
  });

  it.each(['wiki', 'crm'])('records and removes every group of a server that leaves members out of list results (%s)', async (appName) => {
    const groups = appName === 'wiki' ? ['Engineering', 'Everyone'] : ['Sales', 'Support'];
    const { app, ada } = adaIn(appName, groups);
    app.state.membersInLists = 'omitted';
    const res = ok(await deactivate(appName));
    expect(app.groupsOf(ada.id)).toEqual([]);
    expect((res.result as { removed: { groups: { displayName: string }[] } }).removed.groups.map((g) => g.displayName).sort()).toEqual(groups);
  });

  it('an app without PATCH gets the user PUT back with active false', async () => {
    const { app, ada } = adaIn('crm', ['Sales']);
    ok(await deactivate('crm'));
    expect(app.user(ada.id)).toMatchObject({ active: false, userName: 'ada.lovelace@example.com', externalId: 'E100', displayName: 'Ada Lovelace' });
    expect(app.groupsOf(ada.id)).toEqual([]);
    expect(bed().requests.filter((r) => r.startsWith('PATCH'))).toEqual([]);
    expect(bed().requests).toContain(`PUT /scim/crm/v2/Users/${ada.id}`);
  });

  it('a user already inactive in no group is a success saying so', async () => {
    const { app, ada } = adaIn('wiki', []);
    app.state.users.find((u) => u.id === ada.id)!.active = false;
    const res = ok(await deactivate());
    expect(res.note).toContain('was inactive in no group already');
  });

  it('no user in the app is a success with nothing recorded', async () => {
    const res = ok(await deactivate());
    expect(res.note).toContain('nothing to deactivate');
    expect(res.result).toEqual({ removed: null });
  });

  it('refuses a user of that userName bound to another employee, and never touches it', async () => {
    const app = bed().emulator.app('wiki');
    const other = app.addUser({ userName: 'ada.lovelace@example.com', externalId: 'E999' });
    app.group('Everyone')!.members = [{ value: other.id }];
    expect(failed(await deactivate())).toMatchObject({ hold: 'bound_elsewhere', retryable: false });
    expect(app.user(other.id)).toMatchObject({ active: true });
    expect(app.groupsOf(other.id)).toEqual(['Everyone']);
  });

  it('a failure after the snapshot keeps it for the next attempt, which finishes and records what was there at first', async () => {
    const { app, ada } = adaIn('wiki', ['Engineering']);
    app.faults.failNext({ method: 'PATCH', path: '/Users/', count: 1, status: 500 });
    const error = failed(await deactivate());
    expect(error).toMatchObject({ retryable: true, progress: { snapshot: { active: true, groups: [{ displayName: 'Engineering' }] } } });
    // The membership went before the failure; the retry's own look would find none.
    expect(app.groupsOf(ada.id)).toEqual([]);
    const res = ok(await deactivate('wiki', { progress: error.progress }));
    expect(res.result).toMatchObject({ removed: { active: true, groups: [{ displayName: 'Engineering' }] } });
    expect(app.user(ada.id)).toMatchObject({ active: false });
  });

  it('a 401 (a token refused) is not retryable and names the status', async () => {
    adaIn('wiki', []);
    bed().emulator.app('wiki').state.token = 'rotated';
    const error = failed(await deactivate());
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toContain('answered 401');
  });
});

describe('scim.reactivateUser (the restore of a deactivation, on a cancel or a rehire)', () => {
  it('is the catalog restore of scim.deactivateUser, on a rehire too', () => {
    expect(restoreRuleFor('scim.deactivateUser')).toMatchObject({ restoredBy: 'scim.reactivateUser', onRehire: true });
  });

  it('sets the user active and back in each recorded group, and reads it back', async () => {
    const { app, ada } = adaIn('wiki', ['Engineering', 'Everyone']);
    const removed = ok(await deactivate()).result;
    const res = ok(await reactivate(removed));
    expect(app.user(ada.id)).toMatchObject({ active: true });
    expect(app.groupsOf(ada.id).sort()).toEqual(['Engineering', 'Everyone']);
    expect(res.note).toContain('active again');
    expect(res.result).toMatchObject({ restored: { app: 'wiki', userId: ada.id, active: true } });
  });

  it('run twice, the second finds it all in place', async () => {
    adaIn('crm', ['Support']);
    const removed = ok(await deactivate('crm')).result;
    ok(await reactivate(removed));
    const again = ok(await reactivate(removed));
    expect(again.note).toContain('already in Support');
  });

  it('a group deleted since is named, not a failure; one made again under its name is found by name', async () => {
    const { app, ada } = adaIn('wiki', ['Engineering', 'Wiki Editors']);
    const removed = ok(await deactivate()).result;
    app.state.groups = app.state.groups.filter((g) => g.displayName !== 'Wiki Editors' && g.displayName !== 'Engineering');
    app.addGroup('Engineering');
    const res = ok(await reactivate(removed));
    expect(app.groupsOf(ada.id)).toEqual(['Engineering']);
    expect(res.note).toContain('Wiki Editors no longer in the app: not restored');
  });

  it('nothing recorded, nothing to do', async () => {
    expect(ok(await reactivate({ removed: null })).note).toContain('nothing to restore');
  });

  it('a user deleted from the app since is not made again: not retryable, named', async () => {
    const { app, ada } = adaIn('wiki', []);
    const removed = ok(await deactivate()).result;
    app.state.users = app.state.users.filter((u) => u.id !== ada.id);
    const error = failed(await reactivate(removed));
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toContain('has no user ada.lovelace@example.com');
  });

  it('refuses, not retryable, a user that is not the one recorded, or no longer bound to the employee', async () => {
    const { app, ada } = adaIn('wiki', ['Engineering']);
    const removed = ok(await deactivate()).result as { removed: { userId: string } };
    const other = failed(await reactivate({ removed: { ...removed.removed, userId: 'someone-else' } }));
    expect(other).toMatchObject({ retryable: false });
    expect(other.message).toContain(`is now ${ada.id}, not someone-else`);
    // Unbound since (externalId cleared): refused, not adopted though the stage's rule adopts unbound users of its domain.
    app.state.users.find((u) => u.id === ada.id)!.externalId = '';
    const adopting = { ...bed().ctx, accountPolicy: () => ({ ...DEFAULT_ACCOUNT_POLICY, adoptUnbound: { domains: ['example.com'], orgUnits: [] } }) };
    const unbound = failed(await runAction(reactivateScimUser, adopting, scimRequest('scim.reactivateUser', { result: removed }, { eventType: 'cancel' })));
    expect(unbound).toMatchObject({ retryable: false, hold: 'bound_elsewhere' });
    expect(unbound.message).toMatch(/bound to no employee .* a restore puts back only on an account still bound to employee E100, and adopts none/);
    expect(app.user(ada.id)).toMatchObject({ active: false, externalId: '' });
    expect(app.groupsOf(ada.id)).toEqual([]);
  });

  it('a user now bound to another employee is refused', async () => {
    const { app, ada } = adaIn('wiki', ['Engineering']);
    const removed = ok(await deactivate()).result;
    app.state.users.find((u) => u.id === ada.id)!.externalId = 'E999';
    expect(failed(await reactivate(removed))).toMatchObject({ hold: 'bound_elsewhere' });
    expect(app.user(ada.id)).toMatchObject({ active: false });
  });
});
