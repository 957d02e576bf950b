/** scim.addToGroups and scim.removeFromGroups (a mover's group diff) against the SCIM emulator, and the removal's restore. */
import { addScimUserToGroups } from '../../../../lambdas/actions/scim/add-to-groups';
import { removeScimUserFromGroups } from '../../../../lambdas/actions/scim/remove-from-groups';
import { reactivateScimUser } from '../../../../lambdas/actions/scim/reactivate-user';
import { runAction } from '../../../../lambdas/actions/run-action';
import { restoreRuleFor } from '../../../../lambdas/actions/catalog';
import type { ActionResponse } from '../../../../lambdas/engine/ports';
import { scimRequest, useScimTestBed } from '../../../support/scim-emulator';

const bed = useScimTestBed();
const add = (app: string, groups: string[]) => runAction(addScimUserToGroups, bed().ctx, scimRequest('scim.addToGroups', { app, groups }, { eventType: 'role_change' }));
const remove = (app: string, groups: string[]) => runAction(removeScimUserFromGroups, bed().ctx, scimRequest('scim.removeFromGroups', { app, groups }, { eventType: 'role_change' }));
const ok = (res: ActionResponse) => {
  if (!res.ok) throw new Error(`expected success, got ${JSON.stringify(res.error)}`);
  return res;
};
const failed = (res: ActionResponse) => {
  if (res.ok) throw new Error(`expected a failure, got ${JSON.stringify(res)}`);
  return res.error;
};
const ada = (appName: string, externalId = 'E100') => bed().emulator.app(appName).addUser({ userName: 'ada.lovelace@example.com', externalId });

describe.each(['wiki', 'crm'])('the group diff in %s', (appName) => {
  const [first, second] = appName === 'wiki' ? ['Engineering', 'Wiki Editors'] : ['Sales', 'Support'];

  it('adds the new groups, reads them back, and says which it found already', async () => {
    const user = ada(appName);
    ok(await add(appName, [first]));
    const res = ok(await add(appName, [first, second]));
    expect(bed().emulator.app(appName).groupsOf(user.id).sort()).toEqual([first, second].sort());
    expect(res.result).toMatchObject({ addedGroups: [{ displayName: second }], alreadyInGroups: [{ displayName: first }] });
  });

  it('removes the old groups, recording each; run again, removes nothing', async () => {
    const user = ada(appName);
    ok(await add(appName, [first, second]));
    const res = ok(await remove(appName, [first]));
    expect(bed().emulator.app(appName).groupsOf(user.id)).toEqual([second]);
    expect(res.result).toEqual({ removed: { app: appName, userId: user.id, userName: 'ada.lovelace@example.com', groups: [{ id: bed().emulator.app(appName).group(first)!.id, displayName: first }] } });
    expect(ok(await remove(appName, [first])).result).toEqual({ removed: null });
  });

  it('a cancel puts the removed group back (scim.reactivateUser), leaving the active flag alone', async () => {
    const user = ada(appName);
    ok(await add(appName, [first]));
    const removed = ok(await remove(appName, [first])).result;
    const res = ok(await runAction(reactivateScimUser, bed().ctx, scimRequest('scim.reactivateUser', { result: removed }, { eventType: 'cancel' })));
    expect(bed().emulator.app(appName).groupsOf(user.id)).toEqual([first]);
    expect(res.result).not.toHaveProperty('restored.active');
  });
});

describe.each(['wiki', 'crm'])('a server that leaves members out of list results (%s)', (appName) => {
  const [first, second] = appName === 'wiki' ? ['Engineering', 'Wiki Editors'] : ['Sales', 'Support'];

  it.each<['omitted' | number]>([['omitted'], [0]])('members %s in lists: each group is read by itself, added, removed and read back', async (cut) => {
    const user = ada(appName);
    const app = bed().emulator.app(appName);
    app.state.membersInLists = cut;
    ok(await add(appName, [first, second]));
    expect(app.groupsOf(user.id).sort()).toEqual([first, second].sort());
    expect(ok(await add(appName, [first])).result).toMatchObject({ addedGroups: [], alreadyInGroups: [{ displayName: first }] });
    const res = ok(await remove(appName, [first]));
    expect(app.groupsOf(user.id)).toEqual([second]);
    expect(res.result).toMatchObject({ removed: { groups: [{ displayName: first }] } });
    expect(bed().requests.filter((r) => r.startsWith('GET') && r.includes('/Groups/')).length).toBeGreaterThan(0);
  });
});

describe('scim.addToGroups / scim.removeFromGroups edge cases', () => {
  it('with PATCH, a removal is sent even when the group does not list the user (idempotent), and reads back', async () => {
    ada('wiki');
    const group = bed().emulator.app('wiki').group('Engineering')!;
    bed().requests.length = 0;
    expect(ok(await remove('wiki', ['Engineering'])).result).toEqual({ removed: null });
    expect(bed().requests).toContain(`PATCH /scim/wiki/v2/Groups/${group.id}`);
  });

  it('with PATCH, a 400 noTarget answer to the removal of someone the group did not list is taken as done; another 400 is not', async () => {
    ada('wiki');
    const group = bed().emulator.app('wiki').group('Engineering')!;
    bed().emulator.app('wiki').faults.failNext({ method: 'PATCH', path: `/Groups/${group.id}$`, count: 1, status: 400, reason: 'noTarget', message: 'no member matched the path' });
    bed().requests.length = 0;
    expect(ok(await remove('wiki', ['Engineering'])).result).toEqual({ removed: null });
    expect(bed().requests).toContain(`PATCH /scim/wiki/v2/Groups/${group.id}`);
    bed().emulator.app('wiki').faults.failNext({ method: 'PATCH', path: `/Groups/${group.id}$`, count: 1, status: 400, reason: 'invalidValue', message: 'bad value' });
    expect(failed(await remove('wiki', ['Engineering']))).toMatchObject({ retryable: false });
  });

  it('adding to a user the app does not have fails, not retryable: the joiner step makes it', async () => {
    const error = failed(await add('wiki', ['Engineering']));
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toContain('provision it first');
  });

  it('removing from a user the app does not have is a success with nothing recorded', async () => {
    expect(ok(await remove('wiki', ['Engineering'])).result).toEqual({ removed: null });
  });

  it('a user bound to another employee is refused either way', async () => {
    const other = ada('wiki', 'E999');
    bed().emulator.app('wiki').group('Engineering')!.members = [{ value: other.id }];
    expect(failed(await add('wiki', ['Everyone']))).toMatchObject({ hold: 'bound_elsewhere' });
    expect(failed(await remove('wiki', ['Engineering']))).toMatchObject({ hold: 'bound_elsewhere' });
    expect(bed().emulator.app('wiki').groupsOf(other.id)).toEqual(['Engineering']);
  });

  it('a 502 on the membership change is retryable', async () => {
    ada('wiki');
    bed().emulator.app('wiki').faults.failNext({ method: 'PATCH', path: '/Groups/', count: 1, status: 502 });
    expect(failed(await add('wiki', ['Engineering']))).toMatchObject({ retryable: true });
  });

  it('the removal is undone by scim.reactivateUser on a cancel, not on a rehire', () => {
    expect(restoreRuleFor('scim.removeFromGroups')).toMatchObject({ restoredBy: 'scim.reactivateUser', onRehire: false });
  });
});
