/**
 * nextcloud.updateUser, nextcloud.removeGroups and nextcloud.restoreGroups against the emulator: already done, not
 * found, provider errors, users that are not the employee's, and the restore of a partial removal.
 */
import { removeNextcloudGroups } from '../../../../lambdas/actions/nextcloud/remove-groups';
import { restoreNextcloudGroups } from '../../../../lambdas/actions/nextcloud/restore-groups';
import { enableNextcloudUser } from '../../../../lambdas/actions/nextcloud/enable-user';
import { disableNextcloudUser } from '../../../../lambdas/actions/nextcloud/disable-user';
import { updateNextcloudUser } from '../../../../lambdas/actions/nextcloud/update-user';
import { runAction } from '../../../../lambdas/actions/run-action';
import type { ActionRequest } from '../../../../lambdas/engine/ports';
import { expectFailure as failure, expectOk as ok } from '../../../support/google-emulator';
import { NORA, nextcloudRequest, useNextcloudTestBed, type NextcloudTestBed } from '../../../support/nextcloud-emulator';

const currentBed = useNextcloudTestBed();
let bed: NextcloudTestBed;
beforeEach(() => {
  bed = currentBed();
});

const CHARLES = { id: 'E090', firstName: 'Charles', email: 'charles.babbage@example.com', timezone: 'Europe/Berlin' };
const update = (params: Record<string, unknown>, overrides: Partial<ActionRequest> = {}) => runAction(updateNextcloudUser, bed.ctx, nextcloudRequest('nextcloud.updateUser', params, { eventType: 'role_change', ...overrides }));
const removeGroups = (groups: string[], overrides: Partial<ActionRequest> = {}) => runAction(removeNextcloudGroups, bed.ctx, nextcloudRequest('nextcloud.removeGroups', { groups }, { eventType: 'role_change', ...overrides }));
const restoreGroups = (result: unknown, overrides: Partial<ActionRequest> = {}) => runAction(restoreNextcloudGroups, bed.ctx, nextcloudRequest('nextcloud.restoreGroups', { result }, { eventType: 'cancel', ...overrides }));
const ada = () => bed.emulator.user('E100')!;

describe('nextcloud.updateUser', () => {
  it('already done: a second run changes nothing and says so', async () => {
    ok(await update({ addGroups: ['Support'], quota: '20 GB' }));
    const again = ok(await update({ addGroups: ['Support'], quota: '20 GB' }));
    expect(again.note).toMatch(/already as the new role says/);
    expect(again.result).toMatchObject({ changed: [], added: [] });
  });

  it('a 5xx is retryable, an OCS failure (4xx) is not', async () => {
    bed.emulator.faults.failNext({ method: 'POST', path: '/groups$', count: 1, status: 503 });
    expect(failure(await update({ addGroups: ['Support'] })).retryable).toBe(true);
    bed.emulator.faults.failNext({ method: 'POST', path: '/groups$', count: 1, status: 403 });
    expect(failure(await update({ addGroups: ['Support'] })).retryable).toBe(false);
  });

  it('a user made by hand at the address is held for an operator and left untouched', async () => {
    const error = failure(await update({ addGroups: ['Support'] }, { employee: CHARLES }));
    expect(error).toMatchObject({ retryable: false, hold: 'unbound' });
    expect(error.message).toMatch(/Nextcloud user charles/);
    expect(bed.emulator.user('charles')!.groups).toEqual(['Analytical Engine']);
  });
});

describe('nextcloud.removeGroups', () => {
  it('no user bound to the employee: a success recording nothing', async () => {
    expect(ok(await removeGroups(['Support'], { employee: NORA })).result).toEqual({ removed: null });
  });

  it('a 5xx halfway is retryable and keeps what it was taking away; the retry records every group for the restore', async () => {
    ada().groups.push('Support');
    bed.emulator.faults.failNext({ method: 'DELETE', path: '/groups$', count: 1, status: 500 });
    const first = failure(await removeGroups(['Engineering', 'Support']));
    expect(first.retryable).toBe(true);
    expect(first.progress).toEqual({ removed: { userId: 'E100', groups: ['Engineering', 'Support'] } });
    // Engineering went in the first try (its answer lost): only the progress still knows it.
    ada().groups = ['Support'];
    const res = ok(await removeGroups(['Engineering', 'Support'], { progress: first.progress, attempt: 2 }));
    expect(res.result).toEqual({ removed: { userId: 'E100', groups: ['Engineering', 'Support'] } });
    ok(await restoreGroups(res.result));
    expect([...ada().groups].sort()).toEqual(['Engineering', 'Support']);
  });

  it('an admin is held until an operator confirms; a user made by hand until one adopts it', async () => {
    ada().groups.push('admin');
    expect(failure(await removeGroups(['Engineering']))).toMatchObject({ hold: 'protected' });
    expect(ada().groups).toContain('Engineering');
    expect(failure(await removeGroups(['Analytical Engine'], { employee: CHARLES }))).toMatchObject({ hold: 'unbound' });
    expect(bed.emulator.user('charles')!.groups).toEqual(['Analytical Engine']);
  });
});

describe('nextcloud.restoreGroups and nextcloud.enableUser', () => {
  it('a group deleted since is named, the rest put back', async () => {
    ada().groups.push('Support');
    const res = ok(await removeGroups(['Engineering', 'Support']));
    bed.emulator.state.groups = bed.emulator.state.groups.filter((g) => g !== 'Support');
    const back = ok(await restoreGroups(res.result));
    expect(ada().groups).toEqual(['Engineering']);
    expect(back.note).toMatch(/group Support no longer in Nextcloud/);
  });

  it('a recorded user that is not the one bound to the employee now is refused, nothing changed', async () => {
    const error = failure(await restoreGroups({ removed: { userId: 'charles', groups: ['Support'] } }));
    expect(error.retryable).toBe(false);
    expect(bed.emulator.user('charles')!.groups).toEqual(['Analytical Engine']);
    expect(ada().groups).toEqual(['Engineering']);
  });

  it("a restore never acts on a user made by hand at the address, even one the leaver's step was allowed to disable", async () => {
    const adopt = { confirmedAccounts: [{ system: 'nextcloud' as const, account: 'charles.babbage@example.com', confirms: 'adopt' as const }] };
    const removed = ok(await runAction(disableNextcloudUser, bed.ctx, nextcloudRequest('nextcloud.disableUser', {}, { employee: CHARLES, ...adopt }))).result;
    expect(bed.emulator.user('charles')!.enabled).toBe(false);
    const error = failure(await runAction(enableNextcloudUser, bed.ctx, nextcloudRequest('nextcloud.enableUser', { result: removed }, { eventType: 'cancel', employee: CHARLES })));
    expect(error).toMatchObject({ retryable: false, hold: 'bound_elsewhere' });
    expect(bed.emulator.user('charles')!.enabled).toBe(false);
  });

  it('enableUser: a 5xx is retryable and the next try finishes the restore', async () => {
    const removed = ok(await runAction(disableNextcloudUser, bed.ctx, nextcloudRequest('nextcloud.disableUser'))).result;
    bed.emulator.faults.failNext({ method: 'PUT', path: '/enable$', count: 1, status: 502 });
    const enable = () => runAction(enableNextcloudUser, bed.ctx, nextcloudRequest('nextcloud.enableUser', { result: removed }, { eventType: 'cancel' }));
    expect(failure(await enable()).retryable).toBe(true);
    ok(await enable());
    expect(ada()).toMatchObject({ enabled: true, groups: ['Engineering'] });
  });
});
