/** zendesk.updateUser (a mover) against the Zendesk emulator through the fetch client. */
import { updateZendeskUser } from '../../../../lambdas/actions/zendesk/update-user';
import { runAction } from '../../../../lambdas/actions/run-action';
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

describe('zendesk.updateUser', () => {
  it('adds the new role’s groups and custom role, recording what the user had before', async () => {
    const res = ok(await update({ customRole: 'Light agent', addGroups: ['Tier 2'] }));
    expect(bed.emulator.groupNamesOf(ada().id)).toEqual(['Support', 'Tier 2']);
    expect(ada().custom_role_id).toBe(bed.emulator.customRoles()[0].id);
    expect(res.result).toEqual({ previous: { role: 'agent', customRoleId: null, groups: ['Support'] }, changed: ['custom role', 'added to Tier 2'] });
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
