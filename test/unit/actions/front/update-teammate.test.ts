/** front.updateTeammate (the mover's diff of teams and inboxes) against the Front emulator through the real clients. */
import { updateFrontTeammate } from '../../../../lambdas/actions/front/update-teammate';
import { runAction } from '../../../../lambdas/actions/run-action';
import type { ActionRequest } from '../../../../lambdas/engine/ports';
import { expectFailure as failure, expectOk as ok } from '../../../support/google-emulator';
import { frontRequest, useFrontTestBed, ZOE, type FrontTestBed } from '../../../support/front-emulator';

const currentBed = useFrontTestBed();
let bed: FrontTestBed;
beforeEach(() => {
  bed = currentBed();
});

const ADA = 'ada.lovelace@example.com';
const update = (params: Record<string, unknown>, overrides: Partial<ActionRequest> = {}) => runAction(updateFrontTeammate, bed.ctx, frontRequest('front.updateTeammate', params, { eventType: 'role_change', ...overrides }));

describe('front.updateTeammate', () => {
  it("gives the new role's team and inbox and takes away the old role's, each read back and the removal recorded", async () => {
    const res = ok(await update({ addTeams: ['Sales'], addInboxes: ['Sales'], removeInboxes: ['Billing'] }));
    expect(bed.emulator.teamsOf(ADA)).toEqual(['Support', 'Sales']);
    expect(bed.emulator.inboxesOf(ADA)).toEqual(['Support', 'Sales', 'Ada Lovelace']);
    expect(res.result).toMatchObject({ added: { teams: [{ name: 'Sales' }], inboxes: [{ name: 'Sales' }] }, removed: { inboxes: [{ id: bed.emulator.inbox('Billing')!.id, name: 'Billing' }], teams: [] } });
    expect(res.note).toMatch(/added to Sales; given inbox Sales; inbox Billing taken away/);
  });

  it('already done: nothing changes and nothing is recorded as removed', async () => {
    const res = ok(await update({ addTeams: ['Support'], removeInboxes: ['Sales'] }));
    expect(res.note).toMatch(/already as the role says/);
    expect(res.result).toMatchObject({ removed: null });
  });

  it('a removal naming a team gone from Front says so; no teammate at all: nothing to take away', async () => {
    expect(ok(await update({ removeTeams: ['Gone'] })).note).toMatch(/Gone no longer in Front/);
    const none = ok(await update({ removeTeams: ['Support'] }, { employee: ZOE }));
    expect(none.note).toMatch(/nothing to take away/);
  });

  it('an addition for an employee without a teammate, or naming an unknown inbox, is not retryable', async () => {
    expect(failure(await update({ addTeams: ['Sales'] }, { employee: ZOE })).message).toMatch(/front.provisionTeammate makes it/);
    const unknown = failure(await update({ addInboxes: ['Nowhere'] }));
    expect(unknown.retryable).toBe(false);
    expect(unknown.message).toMatch(/Front inboxes/);
    expect(bed.emulator.inboxesOf(ADA)).toEqual(['Support', 'Billing', 'Ada Lovelace']);
  });

  it('a 500 of the Core API is retryable; a step naming nothing is refused', async () => {
    bed.emulator.faults.failNext({ method: 'POST', path: '/teams/', count: 1, status: 500 });
    expect(failure(await update({ addTeams: ['Sales'] })).retryable).toBe(true);
    expect(failure(await update({})).message).toMatch(/name at least one of/);
  });

  it('refuses the teammate of another employee at the address, changing nothing', async () => {
    const error = failure(await update({ removeTeams: ['Support'] }, { employee: { id: 'E999', firstName: 'Eve', email: ADA, timezone: 'Europe/Berlin' } }));
    expect(error).toMatchObject({ hold: 'bound_elsewhere' });
    expect(bed.emulator.teamsOf(ADA)).toEqual(['Support']);
  });
});
