/** zendesk.updateUser (a mover) against the Zendesk emulator through the fetch client. */
import { restoreZendeskRole } from '../../../../lambdas/actions/zendesk/restore-role';
import { updateZendeskUser } from '../../../../lambdas/actions/zendesk/update-user';
import { restoreRuleFor } from '../../../../lambdas/actions/catalog';
import { runAction } from '../../../../lambdas/actions/run-action';
import { DEFAULT_ACCOUNT_POLICY } from '../../../../lambdas/actions/account-policy';
import { expectFailure as failure, expectOk as ok } from '../../../support/google-emulator';
import { useZendeskTestBed, zendeskRequest, type ZendeskTestBed } from '../../../support/zendesk-emulator';

const currentBed = useZendeskTestBed();
let bed: ZendeskTestBed;
beforeEach(() => {
  bed = currentBed();
});

const update = (params: Record<string, unknown>, employee?: { id: string; firstName: string; email: string; timezone: string }) =>
  runAction(updateZendeskUser, bed.ctx, zendeskRequest('zendesk.updateUser', params, { eventType: 'role_change', ...(employee ? { employee } : {}) }));
const ada = () => bed.emulator.userByEmail('ada.lovelace@example.com')!;
const restore = (result: unknown) => runAction(restoreZendeskRole, bed.ctx, zendeskRequest('zendesk.restoreRole', { result }, { eventType: 'cancel' }));
const groupId = (name: string) => bed.emulator.groupByName(name)!.id;

describe('zendesk.updateUser', () => {
  it('adds the new role’s groups and custom role, recording what the user had before', async () => {
    const res = ok(await update({ customRole: 'Light agent', addGroups: ['Tier 2'] }));
    expect(bed.emulator.groupNamesOf(ada().id)).toEqual(['Support', 'Tier 2']);
    expect(ada().custom_role_id).toBe(bed.emulator.customRoles()[0].id);
    expect(res.result).toEqual({
      previous: { role: 'agent', customRoleId: null, groups: ['Support'], groupIds: [groupId('Support')] },
      changed: ['custom role', 'added to Tier 2'],
      undo: { userId: ada().id, customRoleId: { from: null, to: bed.emulator.customRoles()[0].id }, added: [{ groupId: groupId('Tier 2'), name: 'Tier 2' }], removed: [], finishedAt: expect.any(String) },
    });
  });

  it('removes the old role’s groups and custom role after the grace period; a second run is already done', async () => {
    ok(await update({ customRole: 'Light agent', addGroups: ['Tier 2'] }));
    const res = ok(await update({ removeGroups: ['Support'], customRole: null }));
    expect(bed.emulator.groupNamesOf(ada().id)).toEqual(['Tier 2']);
    expect(ada().custom_role_id).toBeNull();
    expect(res.note).toMatch(/removed from Support/);
    expect(ok(await update({ removeGroups: ['Support'], customRole: null })).note).toMatch(/already as planned/);
  });

  it('changes the role: an agent made an admin', async () => {
    ok(await update({ role: 'admin' }));
    expect(ada().role).toBe('admin');
  });

  it('no user: removing is already done, adding needs the user', async () => {
    const nobody = { id: 'E300', firstName: 'No', email: 'nobody@example.com', timezone: 'Europe/Berlin' };
    expect(ok(await update({ removeGroups: ['Support'] }, nobody)).note).toMatch(/nothing to remove/);
    expect(failure(await update({ addGroups: ['Support'] }, nobody))).toMatchObject({ retryable: false });
  });

  it('refuses the user of another employee', async () => {
    expect(failure(await update({ addGroups: ['Tier 2'] }, { id: 'E999', firstName: 'Eve', email: 'ada.lovelace@example.com', timezone: 'Europe/Berlin' }))).toMatchObject({ hold: 'bound_elsewhere' });
    expect(bed.emulator.groupNamesOf(ada().id)).toEqual(['Support']);
  });

  it.each([
    [502, true],
    [404, false],
  ])('a %s on adding the membership is retryable: %s, and keeps what the user had before', async (status, retryable) => {
    bed.emulator.faults.failNext({ method: 'POST', path: '^/api/v2/group_memberships', count: 1, status });
    const error = failure(await update({ addGroups: ['Tier 2'] }));
    expect(error).toMatchObject({ retryable, progress: { previous: { groups: ['Support'] } } });
  });
});

describe('zendesk.restoreRole (a cancelled mover run)', () => {
  it('is the catalog restore of zendesk.updateUser, for a cancel only', () => {
    expect(restoreRuleFor('zendesk.updateUser')).toEqual({ restoredBy: 'zendesk.restoreRole', phase: 2, onRehire: false });
  });

  it('puts back the role, custom role and groups both mover steps changed, latest first, and reads them back', async () => {
    const added = ok(await update({ customRole: 'Light agent', addGroups: ['Tier 2'] }));
    const removed = ok(await update({ removeGroups: ['Support'] }));
    expect(bed.emulator.groupNamesOf(ada().id)).toEqual(['Tier 2']);
    expect(ok(await restore(removed.result)).note).toMatch(/back in Support/);
    const res = ok(await restore(added.result));
    expect(res.note).toMatch(/put back .*: custom role; out of Tier 2/);
    expect(ada()).toMatchObject({ role: 'agent', custom_role_id: null });
    expect(bed.emulator.groupNamesOf(ada().id)).toEqual(['Support']);
    // Already restored: a second run changes nothing.
    expect(ok(await restore(added.result)).note).toMatch(/already as before the mover's step/);
  });

  it('a retried mover step restores to what the user had before its first try', async () => {
    bed.emulator.faults.failNext({ method: 'POST', path: '^/api/v2/group_memberships', count: 1, status: 502 });
    const error = failure(await update({ customRole: 'Light agent', addGroups: ['Tier 2'] }));
    expect(ada().custom_role_id).not.toBeNull();
    const res = ok(await runAction(updateZendeskUser, bed.ctx, zendeskRequest('zendesk.updateUser', { customRole: 'Light agent', addGroups: ['Tier 2'] }, { eventType: 'role_change', progress: error.progress })));
    expect(res.result).toMatchObject({ undo: { customRoleId: { from: null } } });
    ok(await restore(res.result));
    expect(ada().custom_role_id).toBeNull();
    expect(bed.emulator.groupNamesOf(ada().id)).toEqual(['Support']);
  });

  it('leaves a role someone changed since, and names it', async () => {
    const done = ok(await update({ role: 'admin', addGroups: ['Tier 2'] }));
    bed.emulator.updateUser(ada().id, { role: 'end-user' });
    const res = ok(await restore(done.result));
    expect(ada().role).toBe('end-user');
    expect(res.note).toMatch(/left as it is: role end-user/);
  });

  it('nothing changed or no user: nothing to restore', async () => {
    const done = ok(await update({ addGroups: ['Support'] }));
    expect(ok(await restore(done.result)).note).toMatch(/nothing to restore/);
    expect(ok(await restore({ previous: null })).note).toMatch(/nothing to restore/);
  });

  it('refuses a user that is not the one the mover step changed, or is bound to another employee', async () => {
    const done = ok(await update({ addGroups: ['Tier 2'] }));
    const undo = (done.result as { undo: { userId: number } }).undo;
    expect(failure(await restore({ ...done.result, undo: { ...undo, userId: 1 } }))).toMatchObject({ retryable: false });
    const other = await runAction(restoreZendeskRole, bed.ctx, zendeskRequest('zendesk.restoreRole', { result: done.result }, { eventType: 'cancel', employee: { id: 'E999', firstName: 'Eve', email: 'ada.lovelace@example.com', timezone: 'Europe/Berlin' } }));
    expect(failure(other)).toMatchObject({ hold: 'bound_elsewhere' });
    expect(bed.emulator.groupNamesOf(ada().id)).toEqual(['Support', 'Tier 2']);
  });

  it('keeps a group the mover joined when its membership was made after the step finished (a later run gave it), naming it', async () => {
    const done = ok(await update({ addGroups: ['Tier 2'] }));
    expect((done.result as { undo: { finishedAt?: string } }).undo.finishedAt).toEqual(expect.any(String));
    // A later run took the user out of Tier 2 and put them back in: the membership is not the mover step's.
    const tier2 = (await bed.client.userMemberships(ada().id)).find((m) => m.group_id === groupId('Tier 2'))!;
    await bed.client.removeMembership(tier2.id);
    await new Promise((r) => setTimeout(r, 5));
    await bed.client.addMembership(ada().id, groupId('Tier 2'));
    const res = ok(await restore(done.result));
    expect(bed.emulator.groupNamesOf(ada().id)).toEqual(['Support', 'Tier 2']);
    expect(res.note).toMatch(/left as it is: in Tier 2 \(joined again after the mover's step\)/);
  });

  it('a step recorded before the undo record changed things: not retryable, pointing at what it had before', async () => {
    const done = ok(await update({ addGroups: ['Tier 2'] }));
    const { undo: _undo, ...older } = done.result as { undo: unknown; previous: unknown; changed: string[] };
    const error = failure(await restore(older));
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toMatch(/changed the user \(added to Tier 2\) .* by hand from the step's result.previous \(role agent, custom role none, groups Support\)/);
    expect(bed.emulator.groupNamesOf(ada().id)).toEqual(['Support', 'Tier 2']);
  });

  it('nothing recorded: no look at Zendesk at all', async () => {
    bed.emulator.faults.failNext({ path: '^/api/v2/users', count: 10, status: 500 });
    expect(ok(await restore({ previous: null })).note).toMatch(/nothing to restore/);
    const done = { undo: { userId: ada().id, added: [], removed: [] } };
    expect(ok(await restore(done)).note).toMatch(/nothing to restore/);
  });

  it('refuses, not retryable and adopting nothing, a user unbound since the mover step, though the stage adopts unbound users', async () => {
    const done = ok(await update({ addGroups: ['Tier 2'] }));
    bed.emulator.updateUser(ada().id, { external_id: null });
    const adopting = { ...bed.ctx, accountPolicy: () => ({ ...DEFAULT_ACCOUNT_POLICY, adoptUnbound: { domains: ['example.com'], orgUnits: [] } }) };
    const error = failure(await runAction(restoreZendeskRole, adopting, zendeskRequest('zendesk.restoreRole', { result: done.result }, { eventType: 'cancel' })));
    expect(error).toMatchObject({ retryable: false, hold: 'bound_elsewhere' });
    expect(error.message).toMatch(/bound to no employee .* adopts none/);
    expect(ada().external_id).toBeNull();
    expect(bed.emulator.groupNamesOf(ada().id)).toEqual(['Support', 'Tier 2']);
  });

  it('a group that answers 422 is named gone only when Zendesk no longer has it', async () => {
    const done = ok(await update({ removeGroups: ['Support'] }));
    // A 422 whose words name the group, but Support still exists: a failure, not "gone".
    bed.emulator.faults.failNext({ method: 'POST', path: '^/api/v2/group_memberships', count: 1, status: 422, message: 'Group membership limit reached' });
    const error = failure(await restore(done.result));
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toMatch(/422 RecordInvalid/);
    expect(bed.emulator.groupNamesOf(ada().id)).toEqual([]);
    // Support deleted since: the same answer now means it is gone, and is named.
    bed.emulator.deleteGroup(groupId('Support'));
    expect(ok(await restore(done.result)).note).toMatch(/group Support no longer exists/);
  });

  it.each([
    [503, true],
    [403, false],
  ])('a %s on putting the role back is retryable: %s', async (status, retryable) => {
    const done = ok(await update({ role: 'admin' }));
    bed.emulator.faults.failNext({ method: 'PUT', path: '^/api/v2/users/', count: 1, status });
    expect(failure(await restore(done.result))).toMatchObject({ retryable });
    expect(ada().role).toBe('admin');
  });
});
