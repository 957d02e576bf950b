/** front.deactivateTeammate and front.restoreTeammate against the Front emulator through the real clients. */
import { deactivateFrontTeammate } from '../../../../lambdas/actions/front/deactivate-teammate';
import { restoreFrontTeammate } from '../../../../lambdas/actions/front/restore-teammate';
import { DEFAULT_ACCOUNT_POLICY } from '../../../../lambdas/actions/account-policy';
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

describe('front.deactivateTeammate: every team, and its cost', () => {
  const adaId = () => String(bed.emulator.teammate(`alt:email:${ADA}`)!.id);
  /** The company grows to `teams` teams (Support and Sales, then T03…): Ada is also in `extra`, which her role does not name. */
  const company = (teams: number, extra: string[]) => {
    for (let n = 3; n <= teams; n++) bed.emulator.addTeam(`T${String(n).padStart(2, '0')}`);
    for (const name of extra) bed.emulator.team(name)!.memberIds.push(adaId());
  };
  /** A clock that moves `stepMs` on every look, from a fixed start. */
  const ticking = (stepMs: number) => {
    let t = Date.parse('2026-11-30T17:00:00Z');
    return { ...bed.ctx, clock: { now: () => new Date((t += stepMs)) } };
  };

  it("takes the teammate out of a team the role held does not name too: every team goes", async () => {
    company(2, ['Sales']);
    const res = ok(await deactivate());
    expect(bed.emulator.teamsOf(ADA)).toEqual([]);
    expect((res.result as { removed: { teams: { name: string }[] } }).removed.teams.map((t) => t.name)).toEqual(['Support', 'Sales']);
  });

  it.each([2, 22, 60])('with %i teams in the company, costs the teams plus twice the teammate\'s teams plus its inboxes plus 10 requests', async (teams) => {
    company(teams, teams > 2 ? ['T03'] : []);
    const core = bed.emulator.faults.startRecording();
    const scim = bed.emulator.scim.faults.startRecording();
    ok(await deactivate());
    const held = teams > 2 ? 2 : 1;
    // Each held team read twice (the snapshot, the read-back); no inbox's member list at all.
    expect(core.filter((r) => r === `GET /front/teams/${bed.emulator.team('Support')!.id}`)).toHaveLength(2);
    expect(core.filter((r) => /^GET \/front\/inboxes\/.*\/teammates/.test(r))).toEqual([]);
    expect(core.length + scim.length).toBe(teams + 2 * held + 2 + 10);
  });

  it('stops before its time is up while reading the teams, keeps what it read, and the next try carries on from there', async () => {
    company(22, ['T22']);
    const error = failure(await runAction(deactivateFrontTeammate, ticking(1000), frontRequest('front.deactivateTeammate', {})));
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/time is up while reading the teams/);
    const progress = error.progress as { scan: { checked: string[]; teams: { name: string }[] } };
    expect(progress.scan.teams.map((t) => t.name)).toEqual(['Support']);
    expect(progress.scan.checked).toHaveLength(19);
    expect(bed.emulator.teamsOf(ADA)).toEqual(['Support', 'T22']);
    const core = bed.emulator.faults.startRecording();
    const res = ok(await deactivate({ progress, attempt: 2 }));
    // The teams read before are not read again: the 3 left, then the 2 held read back.
    expect(core.filter((r) => /^GET \/front\/teams\/tim_/.test(r))).toHaveLength(3 + 2);
    expect((res.result as { removed: { teams: { name: string }[] } }).removed.teams.map((t) => t.name)).toEqual(['Support', 'T22']);
    expect(bed.emulator.teamsOf(ADA)).toEqual([]);
    ok(await restore(res.result));
    expect(bed.emulator.teamsOf(ADA)).toEqual(['Support', 'T22']);
  });

  it('stops before its time is up while taking access away, the snapshot kept; the retry rechecks only its teams', async () => {
    const saved = process.env.LIFECYCLE_ACTION_TIMEOUT_SECONDS;
    process.env.LIFECYCLE_ACTION_TIMEOUT_SECONDS = '6';
    try {
      const error = failure(await runAction(deactivateFrontTeammate, ticking(1000), frontRequest('front.deactivateTeammate', {})));
      expect(error.message).toMatch(/time is up while taking the teammate out/);
      const progress = error.progress as { snapshot: { teams: { name: string }[]; inboxes: { name: string }[] } };
      expect(progress.snapshot.teams.map((t) => t.name)).toEqual(['Support']);
      expect(progress.snapshot.inboxes.map((i) => i.name)).toEqual(['Support', 'Billing']);
      expect(bed.emulator.teamsOf(ADA)).toEqual([]);
      const core = bed.emulator.faults.startRecording();
      const res = ok(await deactivate({ progress, attempt: 2 }));
      expect(core).not.toContain('GET /front/teams');
      expect((res.result as { removed: unknown }).removed).toEqual(progress.snapshot);
      expect(bed.emulator.inboxesOf(ADA)).toEqual(['Ada Lovelace']);
    } finally {
      if (saved === undefined) delete process.env.LIFECYCLE_ACTION_TIMEOUT_SECONDS;
      else process.env.LIFECYCLE_ACTION_TIMEOUT_SECONDS = saved;
    }
  });

  it('a removal Front answers 204 to but does not apply fails the read-back, retryable, with the snapshot', async () => {
    bed.emulator.acceptWithoutApplying(1);
    const error = failure(await deactivate());
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/is still in team Support after the change/);
    expect((error.progress as { snapshot: { teams: unknown[] } }).snapshot.teams).toHaveLength(1);
    ok(await deactivate({ progress: error.progress, attempt: 2 }));
    expect(bed.emulator.teamsOf(ADA)).toEqual([]);
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

  it('a teammate no longer bound to the employee is refused, not adopted though the stage adopts unbound teammates', async () => {
    const removed = ok(await deactivate()).result;
    bed.emulator.scim.state.users.find((u) => u.userName === ADA)!.externalId = '';
    const adopting = { ...bed.ctx, accountPolicy: () => ({ ...DEFAULT_ACCOUNT_POLICY, adoptUnbound: { domains: ['example.com'], orgUnits: [] } }) };
    const error = failure(await runAction(restoreFrontTeammate, adopting, frontRequest('front.restoreTeammate', { result: removed }, { eventType: 'cancel' })));
    expect(error).toMatchObject({ retryable: false, hold: 'bound_elsewhere' });
    expect(error.message).toMatch(/bound to no employee .* a restore puts back only on an account still bound to employee E100, and adopts none/);
    expect(bed.emulator.scimUser(ADA)).toMatchObject({ active: false, externalId: '' });
    expect(bed.emulator.teamsOf(ADA)).toEqual([]);
  });

  it('a teammate bound to the employee that is not the one deactivated is refused', async () => {
    const removed = ok(await deactivate()).result as { removed: Record<string, unknown> };
    const error = failure(await restore({ removed: { ...removed.removed, userId: 'someone-else' } }));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/restore it by hand/);
  });
});
