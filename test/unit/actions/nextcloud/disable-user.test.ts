/** nextcloud.disableUser, nextcloud.enableUser, nextcloud.removeGroups and nextcloud.restoreGroups against the emulator. */
import { disableNextcloudUser } from '../../../../lambdas/actions/nextcloud/disable-user';
import { enableNextcloudUser } from '../../../../lambdas/actions/nextcloud/enable-user';
import { removeNextcloudGroups } from '../../../../lambdas/actions/nextcloud/remove-groups';
import { restoreNextcloudGroups } from '../../../../lambdas/actions/nextcloud/restore-groups';
import { runAction } from '../../../../lambdas/actions/run-action';
import type { ActionRequest } from '../../../../lambdas/engine/ports';
import { expectFailure as failure, expectOk as ok } from '../../../support/google-emulator';
import { NORA, nextcloudRequest, useNextcloudTestBed, type NextcloudTestBed } from '../../../support/nextcloud-emulator';

const currentBed = useNextcloudTestBed();
let bed: NextcloudTestBed;
beforeEach(() => {
  bed = currentBed();
});

const disable = (overrides: Partial<ActionRequest> = {}) => runAction(disableNextcloudUser, bed.ctx, nextcloudRequest('nextcloud.disableUser', {}, overrides));
const enable = (result: unknown, overrides: Partial<ActionRequest> = {}) => runAction(enableNextcloudUser, bed.ctx, nextcloudRequest('nextcloud.enableUser', { result }, { eventType: 'cancel', ...overrides }));
const removeGroups = (groups: string[]) => runAction(removeNextcloudGroups, bed.ctx, nextcloudRequest('nextcloud.removeGroups', { groups }, { eventType: 'role_change' }));
const restoreGroups = (result: unknown) => runAction(restoreNextcloudGroups, bed.ctx, nextcloudRequest('nextcloud.restoreGroups', { result }, { eventType: 'cancel' }));
const ada = () => bed.emulator.user('E100')!;

describe('nextcloud.disableUser', () => {
  it('records a snapshot, takes the user out of every group and disables it, read back', async () => {
    ada().groups.push('Support');
    const res = ok(await disable());
    expect(ada()).toMatchObject({ enabled: false, groups: [] });
    expect(res.result).toEqual({ removed: { user: { userId: 'E100', email: 'ada.lovelace@example.com', enabled: true, groups: ['Engineering', 'Support'] } } });
    expect(res.note).toMatch(/disabled Nextcloud user E100, removed from Engineering, Support/);
  });

  it('already done: a disabled user in no group is a success with a note', async () => {
    ok(await disable());
    const again = ok(await disable());
    expect(again.note).toMatch(/already disabled and in no group/);
  });

  it('not found: no user bound to the employee is a success with a note', async () => {
    const res = ok(await disable({ employee: NORA }));
    expect(res.result).toEqual({ removed: null });
  });

  it('a 5xx halfway is retryable and keeps the snapshot; the retry records what the user had before the first try', async () => {
    ada().groups.push('Support');
    bed.emulator.faults.failNext({ method: 'DELETE', path: '/groups$', count: 1, status: 500, message: 'Internal Server Error' });
    const first = failure(await disable());
    expect(first.retryable).toBe(true);
    const progress = first.progress as { snapshot: { enabled: boolean; groups: string[] } };
    expect(progress.snapshot).toMatchObject({ enabled: true, groups: ['Engineering', 'Support'] });
    // Between the tries Engineering went (a removal whose answer was lost): only the snapshot still knows it.
    ada().groups = ['Support'];
    const res = ok(await disable({ progress, attempt: 2 }));
    expect((res.result as { removed: { user: unknown } }).removed.user).toMatchObject({ enabled: true, groups: ['Engineering', 'Support'] });
    expect(ada()).toMatchObject({ enabled: false, groups: [] });
  });

  it('locks the user out first: a group removal Nextcloud refuses leaves the user disabled', async () => {
    bed.emulator.faults.failNext({ method: 'DELETE', path: '/groups$', count: 1, status: 403, message: 'Forbidden' });
    expect(failure(await disable()).retryable).toBe(false);
    expect(ada().enabled).toBe(false);
  });

  it('a 429 is retryable; a 401 (a wrong app password) is not', async () => {
    bed.emulator.faults.failNext({ method: 'PUT', path: '/disable$', count: 1, status: 429, retryAfterSeconds: 60 });
    expect(failure(await disable()).retryable).toBe(true);
    bed.emulator.state.appPasswords.admin = 'rotated';
    const error = failure(await disable());
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/OCS 997.*app password/);
  });

  it('a user made by hand at the address is held for an operator and left untouched', async () => {
    const error = failure(await disable({ employee: { id: 'E090', firstName: 'Charles', email: 'charles.babbage@example.com', timezone: 'Europe/Berlin' } }));
    expect(error).toMatchObject({ retryable: false, hold: 'unbound' });
    expect(bed.emulator.user('charles')).toMatchObject({ enabled: true, groups: ['Analytical Engine'] });
  });

  it('an admin bound to the employee is held until an operator confirms', async () => {
    ada().groups.push('admin');
    expect(failure(await disable())).toMatchObject({ hold: 'protected' });
    expect(ada().enabled).toBe(true);
  });

  it('a group admin (subadmin) is protected too, until an operator confirms', async () => {
    ada().subadmin = ['Support'];
    const error = failure(await disable());
    expect(error).toMatchObject({ hold: 'protected' });
    expect(error.message).toMatch(/group admin \(subadmin\) of Support/);
    expect(ada()).toMatchObject({ enabled: true, groups: ['Engineering'] });
    ok(await disable({ confirmedAccounts: [{ system: 'nextcloud', account: 'ada.lovelace@example.com', confirms: 'protected' }] }));
    expect(ada().enabled).toBe(false);
  });
});

describe('nextcloud.enableUser', () => {
  it('enables the user and puts the groups of the snapshot back, read back', async () => {
    const removed = ok(await disable()).result;
    const res = ok(await enable(removed));
    expect(ada()).toMatchObject({ enabled: true, groups: ['Engineering'] });
    expect(res.note).toMatch(/restored Nextcloud user E100: enabled, back in Engineering/);
  });

  it('a group deleted since is named, the rest restored', async () => {
    const removed = ok(await disable()).result;
    bed.emulator.state.groups = bed.emulator.state.groups.filter((g) => g !== 'Engineering');
    const res = ok(await enable(removed));
    expect(ada().enabled).toBe(true);
    expect(res.note).toMatch(/group Engineering no longer in Nextcloud/);
  });

  it('a user disabled before the leaver step and enabled by hand since: groups back, left enabled, no retry', async () => {
    ada().enabled = false;
    const removed = ok(await disable()).result;
    ada().enabled = true;
    const res = ok(await enable(removed));
    expect(ada()).toMatchObject({ enabled: true, groups: ['Engineering'] });
    expect(res.note).toMatch(/left enabled as found/);
  });

  it('nothing recorded: nothing to restore', async () => {
    expect(ok(await enable({ removed: null })).note).toMatch(/nothing to restore/);
  });

  it('a user gone since the leaver step: not retryable', async () => {
    const removed = ok(await disable()).result;
    bed.emulator.state.users = bed.emulator.state.users.filter((u) => u.id !== 'E100');
    expect(failure(await enable(removed)).retryable).toBe(false);
  });
});

describe('nextcloud.removeGroups and nextcloud.restoreGroups', () => {
  it("takes the mover out of the old role's groups, recording them; the restore puts them back", async () => {
    ada().groups.push('Support');
    const res = ok(await removeGroups(['Support', 'Analytical Engine']));
    expect(ada().groups).toEqual(['Engineering']);
    expect(res.result).toEqual({ removed: { userId: 'E100', groups: ['Support'] } });
    const back = ok(await restoreGroups(res.result));
    expect(ada().groups).toEqual(['Engineering', 'Support']);
    expect(back.note).toMatch(/back in Support/);
  });

  it('already out of them: a success recording nothing', async () => {
    const res = ok(await removeGroups(['Support']));
    expect(res.result).toEqual({ removed: null });
    expect(ok(await restoreGroups(res.result)).note).toMatch(/nothing to restore/);
  });
});
