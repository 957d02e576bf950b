/** front.deactivateTeammate and front.restoreTeammate against the Front emulator through the real clients. */
import { deactivateFrontTeammate } from '../../../../lambdas/actions/front/deactivate-teammate';
import { restoreFrontTeammate } from '../../../../lambdas/actions/front/restore-teammate';
import { runAction } from '../../../../lambdas/actions/run-action';
import type { ActionRequest } from '../../../../lambdas/engine/ports';
import { expectFailure as failure, expectOk as ok } from '../../../support/google-emulator';
import { frontRequest, useFrontTestBed, type FrontTestBed } from '../../../support/front-emulator';

const currentBed = useFrontTestBed();
let bed: FrontTestBed;
beforeEach(() => {
  bed = currentBed();
});

const ADA = 'ada.lovelace@example.com';
const deactivate = (overrides: Partial<ActionRequest> = {}) => runAction(deactivateFrontTeammate, bed.ctx, frontRequest('front.deactivateTeammate', { granted: { teams: ['Support'] } }, overrides));
const restore = (result: unknown) => runAction(restoreFrontTeammate, bed.ctx, frontRequest('front.restoreTeammate', { result }, { eventType: 'cancel' }));

describe('front.deactivateTeammate', () => {
  it('takes the teammate out of every team and shared inbox and deactivates it through SCIM, recording a snapshot', async () => {
    const teammate = bed.emulator.teammate(`alt:email:${ADA}`)!;
    const res = ok(await deactivate());
    expect(bed.emulator.scimUser(ADA)).toMatchObject({ active: false, externalId: 'E100' });
    expect(bed.emulator.teammate(`alt:email:${ADA}`)).toMatchObject({ is_blocked: true });
    expect(bed.emulator.teamsOf(ADA)).toEqual([]);
    // Her individual inbox is hers: left alone.
    expect(bed.emulator.inboxesOf(ADA)).toEqual(['Ada Lovelace']);
    expect(res.result).toEqual({
      removed: {
        userId: bed.emulator.scimUser(ADA)!.id,
        teammateId: teammate.id,
        email: ADA,
        active: true,
        teams: [{ id: bed.emulator.team('Support')!.id, name: 'Support' }],
        inboxes: [{ id: bed.emulator.inbox('Support')!.id, name: 'Support' }, { id: bed.emulator.inbox('Billing')!.id, name: 'Billing' }],
      },
    });
    expect(res.account).toMatchObject({ system: 'front', address: ADA, state: 'suspended', boundBy: 'binding' });
    expect(res.note).toMatch(/deactivated Front teammate .*taken out of team Support, inboxes Support, Billing taken away/);
  });

  it('a second run is already done', async () => {
    ok(await deactivate());
    const again = ok(await deactivate());
    expect(again.note).toMatch(/already deactivated, in no team or shared inbox/);
  });

  it('no teammate bound to the employee or at their address: nothing to deactivate', async () => {
    const res = ok(await deactivate({ employee: { id: 'E300', firstName: 'No', email: 'nobody@example.com', timezone: 'Europe/Berlin' } }));
    expect(res).toMatchObject({ result: { removed: null } });
    expect(res.note).toMatch(/nothing to deactivate/);
  });

  it('refuses the teammate of another employee at the address, changing nothing', async () => {
    const error = failure(await deactivate({ employee: { id: 'E999', firstName: 'Eve', email: ADA, timezone: 'Europe/Berlin' } }));
    expect(error).toMatchObject({ retryable: false, hold: 'bound_elsewhere' });
    expect(bed.emulator.scimUser(ADA)).toMatchObject({ active: true });
    expect(bed.emulator.teamsOf(ADA)).toEqual(['Support']);
  });

  it('a 5xx halfway is retryable and keeps the snapshot; the retry finishes and records the snapshot taken before', async () => {
    bed.emulator.faults.failNext({ method: 'DELETE', path: '/inboxes/.*/teammates$', count: 1, status: 502 });
    const error = failure(await deactivate());
    expect(error.retryable).toBe(true);
    // The team went before the inbox failed: the snapshot still holds it.
    expect(bed.emulator.teamsOf(ADA)).toEqual([]);
    const progress = error.progress as { snapshot: { teams: { name: string }[]; inboxes: { name: string }[] } };
    expect(progress.snapshot.teams.map((t) => t.name)).toEqual(['Support']);
    const res = ok(await deactivate({ progress, attempt: 2 }));
    expect((res.result as { removed: { teams: unknown[]; inboxes: unknown[] } }).removed.teams).toEqual(progress.snapshot.teams);
    expect(bed.emulator.scimUser(ADA)).toMatchObject({ active: false });
    expect(bed.emulator.inboxesOf(ADA)).toEqual(['Ada Lovelace']);
  });

  it('a 400 of the SCIM update is not retryable; a 429 is, with its Retry-After', async () => {
    bed.emulator.scim.faults.failNext({ method: 'PATCH', path: '/Users/', count: 1, status: 400 });
    expect(failure(await deactivate()).retryable).toBe(false);
    bed.emulator.scim.faults.failNext({ method: 'PATCH', path: '/Users/', count: 1, status: 429, retryAfterSeconds: 3 });
    const throttled = failure(await deactivate());
    expect(throttled.retryable).toBe(true);
    expect(throttled.message).toMatch(/429 tooMany .*Retry-After 3s/);
    expect(bed.emulator.scimUser(ADA)).toMatchObject({ active: true });
  });

  it('holds a Front admin bound to the employee until an operator confirms', async () => {
    const admin = bed.emulator.state.scim.users.find((u) => u.userName === 'admin@example.com')!;
    admin.externalId = 'E001';
    const error = failure(await deactivate({ employee: { id: 'E001', firstName: 'Work', email: 'admin@example.com', timezone: 'Europe/Berlin' } }));
    expect(error).toMatchObject({ hold: 'protected' });
    expect(bed.emulator.scimUser('admin@example.com')).toMatchObject({ active: true });
  });
});

describe('front.restoreTeammate', () => {
  it('after a cancelled termination: active again, back in the teams and inboxes of the snapshot, read back', async () => {
    const removed = ok(await deactivate()).result;
    const res = ok(await restore(removed));
    expect(bed.emulator.scimUser(ADA)).toMatchObject({ active: true });
    expect(bed.emulator.teammate(`alt:email:${ADA}`)).toMatchObject({ is_blocked: false });
    expect(bed.emulator.teamsOf(ADA)).toEqual(['Support']);
    expect(bed.emulator.inboxesOf(ADA)).toEqual(['Support', 'Billing', 'Ada Lovelace']);
    expect(res.note).toMatch(/restored Front teammate .*active again, back in team Support, inboxes Support, Billing given back/);
    // Done twice, the same.
    expect(ok(await restore(removed)).note).toMatch(/restored/);
  });

  it('a teammate inactive before the leaver step is left inactive', async () => {
    bed.emulator.state.scim.users.find((u) => u.userName === ADA)!.active = false;
    const removed = ok(await deactivate()).result;
    ok(await restore(removed));
    expect(bed.emulator.scimUser(ADA)).toMatchObject({ active: false });
    expect(bed.emulator.teamsOf(ADA)).toEqual(['Support']);
  });

  it('a team or inbox deleted since the leaver step is named; the rest is restored', async () => {
    const removed = ok(await deactivate()).result;
    bed.emulator.state.inboxes = bed.emulator.state.inboxes.filter((i) => i.name !== 'Billing');
    const res = ok(await restore(removed));
    expect(bed.emulator.inboxesOf(ADA)).toEqual(['Support', 'Ada Lovelace']);
    expect(bed.emulator.teamsOf(ADA)).toEqual(['Support']);
    expect(res.note).toMatch(/inbox Support given back; inbox Billing no longer in Front/);
    expect(res.result).toMatchObject({ restored: { inboxes: ['Support'], gone: ['inbox Billing'] } });
  });

  it('nothing recorded: nothing to restore', async () => {
    expect(ok(await restore({ removed: null })).note).toMatch(/nothing to restore/);
  });

  it('a teammate bound to the employee that is not the one deactivated is refused', async () => {
    const removed = ok(await deactivate()).result as { removed: Record<string, unknown> };
    const error = failure(await restore({ removed: { ...removed.removed, userId: 'someone-else' } }));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/restore it by hand/);
  });
});
