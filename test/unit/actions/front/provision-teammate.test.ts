/** front.provisionTeammate against the Front emulator (Core API and SCIM) through the real clients. */
import { provisionFrontTeammate } from '../../../../lambdas/actions/front/provision-teammate';
import { runAction } from '../../../../lambdas/actions/run-action';
import type { ActionRequest } from '../../../../lambdas/engine/ports';
import { expectFailure as failure, expectOk as ok } from '../../../support/google-emulator';
import { frontRequest, useFrontTestBed, ZOE, type FrontTestBed } from '../../../support/front-emulator';

const currentBed = useFrontTestBed();
let bed: FrontTestBed;
beforeEach(() => {
  bed = currentBed();
});

const role = { teams: ['Support'], inboxes: ['Support', 'Billing'], template: 'Support agent' };
const provision = (params: Record<string, unknown> = role, overrides: Partial<ActionRequest> = { employee: ZOE }) => runAction(provisionFrontTeammate, bed.ctx, frontRequest('front.provisionTeammate', params, overrides));

describe('front.provisionTeammate', () => {
  it('creates the teammate through SCIM bound to the employee id from the template, in the teams and inboxes, read back', async () => {
    const res = ok(await provision());
    const user = bed.emulator.scimUser(ZOE.email)!;
    expect(user).toMatchObject({ userName: ZOE.email, externalId: ZOE.id, active: true, roles: [{ value: 'Support agent', primary: true }], name: { givenName: 'Zoe', familyName: 'Desk' } });
    const teammate = bed.emulator.teammate(`alt:email:${ZOE.email}`)!;
    expect(teammate).toMatchObject({ email: ZOE.email, first_name: 'Zoe', last_name: 'Desk', is_blocked: false });
    expect(bed.emulator.teamsOf(ZOE.email)).toEqual(['Support']);
    expect(bed.emulator.inboxesOf(ZOE.email)).toEqual(['Support', 'Billing']);
    expect(res.result).toEqual({ created: { userId: user.id, teammateId: teammate.id, email: ZOE.email, teams: ['Support'], inboxes: ['Support', 'Billing'], template: 'Support agent', templateConfirmed: true } });
    expect(res.account).toEqual({ system: 'front', address: ZOE.email, accountId: teammate.id, state: 'active', boundBy: 'created' });
    expect(res.note).toMatch(/created Front teammate zoe.desk@example.com .* from template Support agent/);
  });

  it('a teammate already as the role says is already done', async () => {
    const res = ok(await provision(role, {}));
    expect(res.note).toMatch(/already as the role says/);
    expect(res.result).toMatchObject({ existing: { teams: ['Support'], inboxes: ['Support', 'Billing'] }, changed: [] });
    expect(res.account).toMatchObject({ boundBy: 'binding' });
  });

  it('a second run after a creation finds the teammate and changes nothing', async () => {
    ok(await provision());
    const again = ok(await provision());
    expect(again.note).toMatch(/already as the role says/);
    expect(bed.emulator.state.scim.users.filter((u) => u.userName === ZOE.email)).toHaveLength(1);
  });

  it('a rehire: the deactivated teammate is made active again and given what the role says', async () => {
    const ada = bed.emulator.state.scim.users.find((u) => u.userName === 'ada.lovelace@example.com')!;
    ada.active = false;
    bed.emulator.team('Support')!.memberIds = [];
    const res = ok(await provision(role, {}));
    expect(bed.emulator.scimUser('ada.lovelace@example.com')).toMatchObject({ active: true });
    expect(bed.emulator.teammate('alt:email:ada.lovelace@example.com')).toMatchObject({ is_blocked: false });
    expect(bed.emulator.teamsOf('ada.lovelace@example.com')).toEqual(['Support']);
    expect(res.note).toMatch(/reactivated; added to team Support; template Support agent not applied/);
  });

  it.each([
    [{ inboxes: ['Nowhere'] }, /Front has no shared inbox "Nowhere": fix the role's Front inboxes/],
    [{ teams: ['Ghosts'] }, /Front has no team "Ghosts": fix the role's Front teams/],
    [{ inboxes: ['Ada Lovelace'] }, /no shared inbox "Ada Lovelace"/],
  ])('a role naming what Front does not have (%j) fails not retryable with nothing made', async (params, message) => {
    const error = failure(await provision(params));
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toMatch(message);
    expect(bed.emulator.scimUser(ZOE.email)).toBeUndefined();
  });

  it('a template Front does not have is refused by SCIM, not retryable, nothing made', async () => {
    const error = failure(await provision({ template: 'Wizard' }));
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toMatch(/400 invalidValue No teammate template named "Wizard"/);
    expect(bed.emulator.scimUser(ZOE.email)).toBeUndefined();
  });

  it('a 5xx on the SCIM create is retryable; the next try makes the teammate', async () => {
    bed.emulator.scim.faults.failNext({ method: 'POST', path: '/Users$', count: 1, status: 503 });
    const error = failure(await provision());
    expect(error.retryable).toBe(true);
    expect(bed.emulator.scimUser(ZOE.email)).toBeUndefined();
    ok(await provision());
    expect(bed.emulator.teamsOf(ZOE.email)).toEqual(['Support']);
  });

  it("a 429 of the Core API is retryable and carries Front's retry-after; a 403 is not", async () => {
    bed.emulator.faults.failNext({ method: 'POST', path: '/teams/.*/teammates$', count: 1, status: 429, retryAfterSeconds: 7 });
    const throttled = failure(await provision());
    expect(throttled.retryable).toBe(true);
    expect(throttled.message).toMatch(/429 Too many requests .*retry-after 7s/);
    bed.emulator.faults.failNext({ method: 'POST', path: '/inboxes/.*/teammates$', count: 1, status: 403 });
    const forbidden = failure(await provision());
    expect(forbidden.retryable).toBe(false);
    expect(forbidden.message).toMatch(/403 Forbidden/);
  });

  it('refuses the teammate of another employee at the address, changing nothing', async () => {
    bed.emulator.team('Support')!.memberIds = [];
    const error = failure(await provision(role, { employee: { id: 'E999', firstName: 'Eve', email: 'ada.lovelace@example.com', timezone: 'Europe/Berlin' } }));
    expect(error).toMatchObject({ retryable: false, hold: 'bound_elsewhere' });
    expect(bed.emulator.teamsOf('ada.lovelace@example.com')).toEqual([]);
    expect(bed.emulator.scimUser('ada.lovelace@example.com')).toMatchObject({ externalId: 'E100' });
  });

  it('holds an unbound teammate made before this system until an operator adopts it', async () => {
    const error = failure(await provision(role, { employee: { id: 'E300', firstName: 'Work', email: 'admin@example.com', timezone: 'Europe/Berlin' } }));
    expect(error).toMatchObject({ hold: 'unbound' });
    expect(bed.emulator.scimUser('admin@example.com')!.externalId).toBeUndefined();
  });

  it("a template Front does not echo back is best effort: the teammate is made, the step succeeds with a note, the creation kept", async () => {
    bed.emulator.templatesEchoed = false;
    const res = ok(await provision());
    expect(bed.emulator.scimUser(ZOE.email)).toMatchObject({ externalId: ZOE.id, active: true });
    expect(bed.emulator.scimUser(ZOE.email)!.roles).toBeUndefined();
    expect(bed.emulator.teamsOf(ZOE.email)).toEqual(['Support']);
    expect(res.result).toMatchObject({ created: { email: ZOE.email, template: 'Support agent', templateConfirmed: false } });
    expect(res.account).toMatchObject({ boundBy: 'created' });
    expect(res.note).toMatch(/template Support agent asked for; Front did not confirm it: check the teammate in Front's settings/);
    expect(res.note).not.toMatch(/from template/);
  });

  it('a try that made the teammate and then failed: the retry still reports it created', async () => {
    bed.emulator.faults.failNext({ method: 'POST', path: '/inboxes/.*/teammates$', count: 1, status: 502 });
    const error = failure(await provision());
    expect(error.retryable).toBe(true);
    const user = bed.emulator.scimUser(ZOE.email)!;
    expect(error.progress).toEqual({ created: { userId: user.id } });
    const res = ok(await provision(role, { employee: ZOE, progress: error.progress, attempt: 2 }));
    expect(res.result).toMatchObject({ created: { userId: user.id, teams: ['Support'], inboxes: ['Support', 'Billing'] } });
    expect(res.account).toMatchObject({ boundBy: 'created' });
  });

  it('a membership Front answers 204 to but does not apply fails the read-back, retryable; the next try gives it', async () => {
    bed.emulator.acceptWithoutApplying(1);
    const error = failure(await provision());
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/is not in team Support after the change/);
    expect(bed.emulator.teamsOf(ZOE.email)).toEqual([]);
    ok(await provision(role, { employee: ZOE, progress: error.progress, attempt: 2 }));
    expect(bed.emulator.teamsOf(ZOE.email)).toEqual(['Support']);
  });
});
