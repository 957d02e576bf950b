/** front.removeAccess (a mover's old teams and inboxes) and front.restoreAccess against the Front emulator. */
import { removeFrontAccess } from '../../../../lambdas/actions/front/remove-access';
import { restoreFrontAccess } from '../../../../lambdas/actions/front/restore-access';
import { runAction } from '../../../../lambdas/actions/run-action';
import type { ActionRequest } from '../../../../lambdas/engine/ports';
import { frontReferences } from '../../../../lambdas/providers/front/front-references';
import { expectFailure as failure, expectOk as ok } from '../../../support/google-emulator';
import { frontRequest, useFrontTestBed, ZOE, type FrontTestBed } from '../../../support/front-emulator';

const currentBed = useFrontTestBed();
let bed: FrontTestBed;
beforeEach(() => {
  bed = currentBed();
});

const ADA = 'ada.lovelace@example.com';
const ADMIN = { id: 'E001', firstName: 'Work', email: 'admin@example.com', timezone: 'Europe/Berlin' };
const remove = (params: Record<string, unknown>, overrides: Partial<ActionRequest> = {}) => runAction(removeFrontAccess, bed.ctx, frontRequest('front.removeAccess', params, { eventType: 'role_change', ...overrides }));
const restore = (result: unknown, overrides: Partial<ActionRequest> = {}) => runAction(restoreFrontAccess, bed.ctx, frontRequest('front.restoreAccess', { result }, { eventType: 'cancel', ...overrides }));

describe('front.removeAccess', () => {
  it('takes the teammate out of the named team and inbox, read back, and records exactly what it removed', async () => {
    const res = ok(await remove({ teams: ['Support'], inboxes: ['Billing', 'Sales'] }));
    expect(bed.emulator.teamsOf(ADA)).toEqual([]);
    expect(bed.emulator.inboxesOf(ADA)).toEqual(['Support', 'Ada Lovelace']);
    expect(res.result).toEqual({ removed: { teammateId: bed.emulator.teammate(`alt:email:${ADA}`)!.id, email: ADA, teams: [{ id: bed.emulator.team('Support')!.id, name: 'Support' }], inboxes: [{ id: bed.emulator.inbox('Billing')!.id, name: 'Billing' }] } });
    expect(res.note).toMatch(/taken out of Support; inbox Billing taken away/);
  });

  it('already done: nothing removed, nothing recorded; no teammate: nothing to take away', async () => {
    const res = ok(await remove({ teams: ['Sales'], inboxes: ['Sales'] }));
    expect(res.note).toMatch(/already out of Sales, Sales/);
    expect(res.result).toEqual({ removed: null });
    expect(ok(await remove({ teams: ['Support'] }, { employee: ZOE })).note).toMatch(/nothing to take away/);
  });

  it('a name Front no longer lists (after a list it answered) is named as gone; the rest is removed', async () => {
    const res = ok(await remove({ teams: ['Gone', 'Support'] }));
    expect(res.note).toMatch(/taken out of Support; team Gone no longer in Front/);
    expect(bed.emulator.teamsOf(ADA)).toEqual([]);
  });

  it.each([401, 403, 400])('a %i on the list of teams is not "gone": the step fails, not retryable, the teammate left in the team', async (status) => {
    bed.emulator.faults.failNext({ method: 'GET', path: '/teams$', count: 1, status });
    const error = failure(await remove({ teams: ['Support'] }));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(new RegExp(`list teams: ${status}`));
    expect(bed.emulator.teamsOf(ADA)).toEqual(['Support']);
  });

  it('a 503 or 429 on the list of inboxes is retryable, the teammate left in the inbox', async () => {
    bed.emulator.faults.failNext({ method: 'GET', path: '/inboxes$', count: 1, status: 503 });
    expect(failure(await remove({ inboxes: ['Billing'] })).retryable).toBe(true);
    expect(bed.emulator.inboxesOf(ADA)).toContain('Billing');
  });

  it('a failed list is not kept: the next lookup of the same step asks Front again', async () => {
    bed.emulator.faults.failNext({ method: 'GET', path: '/teams$', count: 1, status: 403 });
    const refs = frontReferences(bed.front.core);
    await expect(refs.findTeams(['Support'])).rejects.toMatchObject({ status: 403 });
    await expect(refs.findTeams(['Support', 'Gone'])).resolves.toMatchObject({ found: [{ name: 'Support' }], gone: ['Gone'] });
  });

  it('holds a Front admin until an operator confirms, changing nothing', async () => {
    bed.emulator.state.scim.users.find((u) => u.userName === ADMIN.email)!.externalId = ADMIN.id;
    const error = failure(await remove({ teams: ['Support', 'Sales'] }, { employee: ADMIN }));
    expect(error).toMatchObject({ hold: 'protected' });
    expect(bed.emulator.teamsOf(ADMIN.email)).toEqual(['Support', 'Sales']);
  });

  it('refuses the teammate of another employee at the address, changing nothing', async () => {
    const error = failure(await remove({ teams: ['Support'] }, { employee: { id: 'E999', firstName: 'Eve', email: ADA, timezone: 'Europe/Berlin' } }));
    expect(error).toMatchObject({ retryable: false, hold: 'bound_elsewhere' });
    expect(bed.emulator.teamsOf(ADA)).toEqual(['Support']);
  });

  it('a removal Front answers 204 to but does not apply fails the read-back, retryable', async () => {
    bed.emulator.acceptWithoutApplying(1);
    const error = failure(await remove({ teams: ['Support'] }));
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/is still in team Support after the change/);
    expect(bed.emulator.teamsOf(ADA)).toEqual(['Support']);
  });
});

describe('front.restoreAccess', () => {
  it("after a cancelled move: puts back exactly what the removal recorded, read back, and nothing else", async () => {
    const removed = ok(await remove({ teams: ['Support'], inboxes: ['Billing'] })).result;
    // Taken away since by someone else, not by the removal: the restore leaves it.
    bed.emulator.inbox('Support')!.teammateIds = bed.emulator.inbox('Support')!.teammateIds.filter((id) => id !== bed.emulator.teammate(`alt:email:${ADA}`)!.id);
    const res = ok(await restore(removed));
    expect(bed.emulator.teamsOf(ADA)).toEqual(['Support']);
    expect(bed.emulator.inboxesOf(ADA)).toEqual(['Billing', 'Ada Lovelace']);
    expect(res.note).toMatch(/put back Front teammate .* back in Support; inbox Billing given back/);
    expect(ok(await restore(removed)).note).toMatch(/already as before the mover's step/);
  });

  it('a team deleted since is named by its id, even when a new team carries its name', async () => {
    const removed = ok(await remove({ teams: ['Support'], inboxes: ['Billing'] })).result;
    bed.emulator.state.teams = bed.emulator.state.teams.filter((t) => t.name !== 'Support');
    bed.emulator.addTeam('Support');
    const res = ok(await restore(removed));
    expect(res.note).toMatch(/inbox Billing given back; team Support no longer in Front/);
    expect(bed.emulator.teamsOf(ADA)).toEqual([]);
  });

  it('nothing recorded: nothing to restore; a teammate that is not the one changed is refused', async () => {
    expect(ok(await restore({ removed: null })).note).toMatch(/nothing to restore/);
    const removed = ok(await remove({ teams: ['Support'] })).result as { removed: Record<string, unknown> };
    const other = bed.emulator.teammate('alt:email:grace.hopper@example.com')!.id;
    const error = failure(await restore({ removed: { ...removed.removed, teammateId: other } }));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/restore it by hand/);
  });
});
