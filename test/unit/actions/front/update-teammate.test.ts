/** front.updateTeammate (the mover's new teams and inboxes) against the Front emulator through the real clients. */
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
  it("gives the new role's team and inbox, each read back, and records what it added", async () => {
    const res = ok(await update({ addTeams: ['Sales'], addInboxes: ['Sales'] }));
    expect(bed.emulator.teamsOf(ADA)).toEqual(['Support', 'Sales']);
    expect(bed.emulator.inboxesOf(ADA)).toEqual(['Support', 'Billing', 'Sales', 'Ada Lovelace']);
    expect(res.result).toEqual({ added: { teams: [{ id: bed.emulator.team('Sales')!.id, name: 'Sales' }], inboxes: [{ id: bed.emulator.inbox('Sales')!.id, name: 'Sales' }] } });
    expect(res.note).toMatch(/added to Sales; given inbox Sales/);
  });

  it('already done: nothing changes and nothing is recorded as added', async () => {
    const res = ok(await update({ addTeams: ['Support'], addInboxes: ['Billing'] }));
    expect(res.note).toMatch(/already as the role says/);
    expect(res.result).toEqual({ added: { teams: [], inboxes: [] } });
  });

  it('an addition for an employee without a teammate, or naming an unknown inbox, is not retryable', async () => {
    expect(failure(await update({ addTeams: ['Sales'] }, { employee: ZOE })).message).toMatch(/front.provisionTeammate makes it/);
    const unknown = failure(await update({ addInboxes: ['Nowhere'] }));
    expect(unknown.retryable).toBe(false);
    expect(unknown.message).toMatch(/Front inboxes/);
    expect(bed.emulator.inboxesOf(ADA)).toEqual(['Support', 'Billing', 'Ada Lovelace']);
  });

  it('a 500 of the Core API is retryable; a step naming nothing, or a removal, is refused', async () => {
    bed.emulator.faults.failNext({ method: 'POST', path: '/teams/', count: 1, status: 500 });
    expect(failure(await update({ addTeams: ['Sales'] })).retryable).toBe(true);
    expect(failure(await update({})).message).toMatch(/name at least one of/);
    expect(failure(await update({ removeTeams: ['Support'] })).message).toMatch(/removeTeams/);
  });

  it('refuses the teammate of another employee at the address, changing nothing', async () => {
    const error = failure(await update({ addTeams: ['Sales'] }, { employee: { id: 'E999', firstName: 'Eve', email: ADA, timezone: 'Europe/Berlin' } }));
    expect(error).toMatchObject({ hold: 'bound_elsewhere' });
    expect(bed.emulator.teamsOf(ADA)).toEqual(['Support']);
  });
});
