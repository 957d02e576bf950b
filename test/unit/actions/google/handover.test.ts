/**
 * google.handOverSharedDrives, google.handOverGroups and google.handOverCalendars against the Google emulator through the real clients: what the
 * leaver alone manages or owns goes to the manager (or the stage's handover owner) and is read back; and
 * google.removeFromGroups, which at the cut-off leaves a group's only owner in it rather than orphan the group.
 */
import type { ActionDefinition, ActionContext } from '../../../../lambdas/actions/define-action';
import { handOverCalendars } from '../../../../lambdas/actions/google/hand-over-calendars';
import { handOverGroups } from '../../../../lambdas/actions/google/hand-over-groups';
import { handOverSharedDrives } from '../../../../lambdas/actions/google/hand-over-shared-drives';
import { removeFromGroups } from '../../../../lambdas/actions/google/remove-from-groups';
import { runAction } from '../../../../lambdas/actions/run-action';
import type { ActionRequest } from '../../../../lambdas/engine/ports';
import type { HandoverSettings } from '../../../../config/handover';
import { expectFailure, expectOk, useGoogleTestBed, type GoogleTestBed, sampleOf } from '../../../support/google-emulator';

const currentBed = useGoogleTestBed();
let bed: GoogleTestBed;
beforeEach(() => {
  bed = currentBed();
});

type Def = ActionDefinition<unknown>;
const { ada, grace, alan } = sampleOf(() => bed);
const run = (action: Def, name: string, employee: Partial<ActionRequest['employee']> = {}, ctx: ActionContext = bed.ctx, progress?: Record<string, unknown>) =>
  runAction(action, ctx, bed.request(name, { employee, ...(progress ? { progress } : {}) }));
const drives = (employee: Partial<ActionRequest['employee']> = {}, ctx?: ActionContext) => run(handOverSharedDrives as Def, 'google.handOverSharedDrives', employee, ctx);
const groups = (employee: Partial<ActionRequest['employee']> = {}, ctx?: ActionContext) => run(handOverGroups as Def, 'google.handOverGroups', employee, ctx);
const calendars = (employee: Partial<ActionRequest['employee']> = {}, ctx?: ActionContext) => run(handOverCalendars as Def, 'google.handOverCalendars', employee, ctx);
const withHandover = (setting: HandoverSettings): ActionContext => ({ ...bed.ctx, handover: () => setting });

describe('google.handOverSharedDrives', () => {
  it('makes the manager a manager of each shared drive the leaver alone manages, and reads it back', async () => {
    const sole = bed.emulator.seedSharedDrive({ name: 'Analytical Engine', organizers: [ada()], members: [{ email: alan(), role: 'writer' }] });
    const shared = bed.emulator.seedSharedDrive({ name: 'Engineering', organizers: [ada(), grace()] });
    const others = bed.emulator.seedSharedDrive({ name: 'Alan only', organizers: [alan()], members: [{ email: ada(), role: 'writer' }] });
    const res = expectOk(await drives());
    expect(res.result).toEqual({ handedOver: [{ driveId: sole, name: 'Analytical Engine', to: grace() }], to: grace(), as: 'manager' });
    expect(res.note).toBe(`${grace()} (the manager) now manages 1 shared drive(s) ${ada()} alone managed: Analytical Engine`);
    expect(bed.emulator.sharedDriveMembers(sole)).toEqual([
      { email: ada(), role: 'organizer' },
      { email: alan(), role: 'writer' },
      { email: grace(), role: 'organizer' },
    ]);
    expect(bed.emulator.sharedDriveMembers(shared)).toHaveLength(2);
    expect(bed.emulator.sharedDriveMembers(others)).toEqual([
      { email: alan(), role: 'organizer' },
      { email: ada(), role: 'writer' },
    ]);
  });

  it('raises a manager who is already a member to manager, recording the role they had', async () => {
    const sole = bed.emulator.seedSharedDrive({ name: 'Notes', organizers: [ada()], members: [{ email: grace(), role: 'reader' }] });
    const res = expectOk(await drives());
    expect(res.result).toMatchObject({ handedOver: [{ driveId: sole, to: grace(), previousRole: 'reader' }] });
    expect(bed.emulator.sharedDriveMembers(sole)).toContainEqual({ email: grace(), role: 'organizer' });
  });

  it('is done with a note when it has been done already, or there is nothing the leaver alone manages', async () => {
    bed.emulator.seedSharedDrive({ name: 'Notes', organizers: [ada()] });
    expectOk(await drives());
    const again = expectOk(await drives());
    expect(again.note).toBe(`no shared drive has ${ada()} as its only manager`);
    expect(again.result).toEqual({ handedOver: [] });
  });

  it('is done when the leaver has no Google account', async () => {
    const res = expectOk(await drives({ id: 'E404', email: 'nobody@example.com' }));
    expect(res.note).toBe('no Google account nobody@example.com; nothing to hand over');
  });

  it("hands over to the stage's handover owner when the leaver has no manager, and holds when there is neither", async () => {
    const sole = bed.emulator.seedSharedDrive({ name: 'Notes', organizers: [ada()] });
    const held = expectFailure(await drives({ managerEmail: undefined }));
    expect(held.retryable).toBe(false);
    expect(held.message).toContain('employee E100 has no managerEmail and the stage names no handover.owner: nothing was handed over');
    expect(bed.emulator.sharedDriveMembers(sole)).toHaveLength(1);
    const res = expectOk(await drives({ managerEmail: undefined }, withHandover({ to: 'manager', owner: alan() })));
    expect(res.result).toMatchObject({ to: alan(), as: 'owner' });
    expect(bed.emulator.sharedDriveMembers(sole)).toContainEqual({ email: alan(), role: 'organizer' });
  });

  it('holds for an operator, changing nothing, when the manager is suspended', async () => {
    const sole = bed.emulator.seedSharedDrive({ name: 'Notes', organizers: [ada()] });
    await bed.ctx.providers.google!().directory.users.patch({ userKey: grace(), requestBody: { suspended: true } });
    const err = expectFailure(await drives());
    expect(err.message).toContain(`employee E100's managerEmail ${grace()} is suspended`);
    expect(bed.emulator.sharedDriveMembers(sole)).toHaveLength(1);
  });

  it('a Drive error is retryable when Google says it may pass, and keeps what an earlier attempt handed over', async () => {
    const first = bed.emulator.seedSharedDrive({ name: 'First', organizers: [ada()] });
    const second = bed.emulator.seedSharedDrive({ name: 'Second', organizers: [ada()] });
    // The first grant goes through; the second is refused with a 503.
    bed.emulator.faults.failNext({ method: 'POST', path: `^/drive/v3/files/${second}/permissions$`, count: 1, status: 503 });
    const err = expectFailure(await drives());
    expect(err.retryable).toBe(true);
    expect(err.message).toContain('503');
    expect(err.progress).toEqual({ handedOver: [{ driveId: first, name: 'First', to: grace() }] });
    const retry = expectOk(await run(handOverSharedDrives as Def, 'google.handOverSharedDrives', {}, bed.ctx, err.progress));
    expect((retry.result as { handedOver: unknown[] }).handedOver).toHaveLength(2);
    expect(bed.emulator.sharedDriveMembers(first)).toContainEqual({ email: grace(), role: 'organizer' });
  });

  it('a refusal no retry can fix goes to an operator with what Google said', async () => {
    bed.emulator.seedSharedDrive({ name: 'Notes', organizers: [ada()] });
    bed.emulator.faults.failNext({ method: 'POST', path: '/permissions$', count: 1, status: 403, reason: 'insufficientAdministratorPrivileges', message: 'The user does not have sufficient administrator privileges.' });
    const err = expectFailure(await drives());
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('insufficientAdministratorPrivileges');
  });
});

describe('a manager who is leaving too (the dispatcher says so: Google shows them active until day +30)', () => {
  const leaving = { employeeId: 'E200', runId: 'run-grace', effectiveDate: '2026-11-30' };
  const withLeaving = (action: Def, name: string, ctx: ActionContext = bed.ctx) => runAction(action, ctx, { ...bed.request(name), managerLeaving: leaving });

  it('holds for an operator, handing nothing over, when the stage names no handover owner', async () => {
    const sole = bed.emulator.seedSharedDrive({ name: 'Notes', organizers: [ada()] });
    const err = expectFailure(await withLeaving(handOverSharedDrives as Def, 'google.handOverSharedDrives'));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain(`employee E100's managerEmail ${grace()} is leaving too (employee E200, termination run run-grace, effective 2026-11-30): nothing was handed over`);
    expect(bed.emulator.sharedDriveMembers(sole)).toHaveLength(1);
    expect(expectFailure(await withLeaving(handOverGroups as Def, 'google.handOverGroups')).message).toContain('is leaving too');
    expect(bed.emulator.membersOf(bed.sample.groups.analyticalEngine).map((m) => m.email)).not.toContain(grace());
  });

  it("hands over to the stage's handover owner instead, when there is one", async () => {
    const res = expectOk(await withLeaving(handOverGroups as Def, 'google.handOverGroups', withHandover({ to: 'manager', owner: alan() })));
    expect(res.result).toMatchObject({ to: alan(), as: 'owner' });
    expect(bed.emulator.membersOf(bed.sample.groups.analyticalEngine)).toContainEqual({ email: alan(), role: 'OWNER' });
  });
});

describe('a leaver whose HR event names the account by an alias', () => {
  // One of the aliases the sample gives Ada.
  const ALIAS = 'countess@example.com';

  it('hands over the shared drive the account alone manages, though Drive names it by its primary address', async () => {
    const sole = bed.emulator.seedSharedDrive({ name: 'Notes', organizers: [ada()] });
    const res = expectOk(await drives({ email: ALIAS }));
    expect(res.result).toMatchObject({ handedOver: [{ driveId: sole, to: grace() }] });
    expect(bed.emulator.sharedDriveMembers(sole)).toContainEqual({ email: grace(), role: 'organizer' });
  });

  it('hands over the calendar the account alone owns, acting as its primary address', async () => {
    const rota = bed.emulator.seedCalendar({ summary: 'Support rota', owner: ada() });
    const res = expectOk(await calendars({ email: ALIAS }));
    expect(res.result).toMatchObject({ handedOver: [{ calendarId: rota, to: grace() }] });
    expect(bed.emulator.calendarAcl(rota)).toContainEqual({ id: `user:${grace()}`, role: 'owner', scope: { type: 'user', value: grace() } });
  });

  it('hands over the group the account alone owns', async () => {
    const res = expectOk(await groups({ email: ALIAS }));
    expect(res.result).toMatchObject({ handedOver: [{ groupKey: bed.sample.groups.analyticalEngine, to: grace() }] });
  });
});

describe('google.handOverGroups', () => {
  it('makes the manager an OWNER of each group the leaver alone owns, and reads it back', async () => {
    const { analyticalEngine, engineering } = bed.sample.groups;
    const res = expectOk(await groups());
    expect(res.result).toEqual({ handedOver: [{ groupKey: analyticalEngine, to: grace() }], to: grace(), as: 'manager' });
    expect(bed.emulator.membersOf(analyticalEngine)).toContainEqual({ email: grace(), role: 'OWNER' });
    expect(bed.emulator.membersOf(analyticalEngine)).toContainEqual({ email: ada(), role: 'OWNER' });
    // Ada is a MANAGER of engineering, which Grace owns: nothing to hand over there.
    expect(bed.emulator.membersOf(engineering).filter((m) => m.role === 'OWNER')).toEqual([{ email: grace(), role: 'OWNER' }]);
  });

  it('raises a manager who is already a member to OWNER, recording the role they had', async () => {
    const { analyticalEngine } = bed.sample.groups;
    bed.emulator.addMember(analyticalEngine, grace(), 'MEMBER');
    const res = expectOk(await groups());
    expect(res.result).toMatchObject({ handedOver: [{ groupKey: analyticalEngine, to: grace(), previousRole: 'MEMBER' }] });
    expect(bed.emulator.membersOf(analyticalEngine)).toContainEqual({ email: grace(), role: 'OWNER' });
  });

  it('is done with a note when it has been done already', async () => {
    expectOk(await groups());
    const again = expectOk(await groups());
    expect(again.note).toBe(`no group has ${ada()} as its only owner`);
  });

  it('is done when the leaver has no Google account', async () => {
    const res = expectOk(await groups({ id: 'E404', email: 'nobody@example.com' }));
    expect(res.note).toBe('no Google account nobody@example.com; nothing to hand over');
  });

  it("always hands over to the stage's owner when the stage says so", async () => {
    const res = expectOk(await groups({}, withHandover({ to: 'owner', owner: alan() })));
    expect(res.result).toMatchObject({ to: alan(), as: 'owner' });
    expect(bed.emulator.membersOf(bed.sample.groups.analyticalEngine)).toContainEqual({ email: alan(), role: 'OWNER' });
  });

  it('a Directory error is retryable when it may pass, and nothing is recorded as handed over', async () => {
    bed.emulator.faults.failNext({ method: 'POST', path: '/members$', count: 1, status: 500 });
    const err = expectFailure(await groups());
    expect(err.retryable).toBe(true);
    expect(err.message).toContain(`making ${grace()} an owner of ${bed.sample.groups.analyticalEngine}`);
    expect(bed.emulator.membersOf(bed.sample.groups.analyticalEngine).map((m) => m.email)).not.toContain(grace());
  });
});

describe('google.handOverCalendars', () => {
  /** A calendar Ada made: she is its owner. */
  const adasCalendar = (summary: string) => bed.emulator.seedCalendar({ summary, owner: ada() });

  it('gives the manager the owner role on each calendar the leaver alone owns, and reads it back', async () => {
    const rota = adasCalendar('Support rota');
    const shared = bed.emulator.seedCalendar({ summary: 'Shared plan', owner: ada() });
    await bed.ctx.providers.google!().calendar.acl.insert({ calendarId: shared, requestBody: { role: 'owner', scope: { type: 'user', value: alan() } } });
    const res = expectOk(await calendars());
    expect(res.result).toEqual({ handedOver: [{ calendarId: rota, summary: 'Support rota', to: grace() }], to: grace(), as: 'manager' });
    expect(bed.emulator.calendarAcl(rota)).toContainEqual({ id: `user:${grace()}`, role: 'owner', scope: { type: 'user', value: grace() } });
    expect(bed.emulator.calendarAcl(shared).map((r) => r.id)).not.toContain(`user:${grace()}`);
    // The team calendars the admin owns, which Ada may only read, are not hers to hand over.
    expect(bed.emulator.calendarAcl(bed.sample.calendars.engineering).map((r) => r.id)).not.toContain(`user:${grace()}`);
  });

  it('raises a manager who could already read the calendar to owner, recording the role they had', async () => {
    const rota = adasCalendar('Support rota');
    await bed.ctx.providers.google!().calendar.acl.insert({ calendarId: rota, requestBody: { role: 'reader', scope: { type: 'user', value: grace() } } });
    const res = expectOk(await calendars());
    expect(res.result).toMatchObject({ handedOver: [{ calendarId: rota, previousRole: 'reader' }] });
    expect(bed.emulator.calendarAcl(rota)).toContainEqual({ id: `user:${grace()}`, role: 'owner', scope: { type: 'user', value: grace() } });
  });

  it('is done with a note when it has been done already, and when the leaver has no account', async () => {
    adasCalendar('Support rota');
    expectOk(await calendars());
    expect(expectOk(await calendars()).note).toBe(`no calendar has ${ada()} as its only owner`);
    expect(expectOk(await calendars({ id: 'E404', email: 'nobody@example.com' })).note).toBe('no Google account nobody@example.com; nothing to hand over');
  });

  it('a Calendar error is retryable when it may pass; a suspended leaver, whom Google does not act as, goes to an operator', async () => {
    adasCalendar('Support rota');
    bed.emulator.faults.failNext({ method: 'POST', path: '/acl$', count: 1, status: 503 });
    const err = expectFailure(await calendars());
    expect(err.retryable).toBe(true);
    await bed.ctx.providers.google!().directory.users.patch({ userKey: ada(), requestBody: { suspended: true } });
    const held = expectFailure(await calendars());
    expect(held.retryable).toBe(false);
    expect(held.message).toContain('hand their calendars over in the Admin console');
  });
});

describe('google.removeFromGroups when the leaver is still a group\'s only owner at the cut-off', () => {
  const removal = (params: Record<string, unknown> = {}, progress?: Record<string, unknown>) =>
    runAction(removeFromGroups as Def, bed.ctx, bed.request('google.removeFromGroups', { params, ...(progress ? { progress } : {}) }));
  let analyticalEngine: string, allStaff: string, engineering: string;
  beforeEach(() => ({ analyticalEngine, allStaff, engineering } = bed.sample.groups));

  it('removes every other membership, leaves them in the group they alone own, and goes to an operator naming it; a retry once it has another owner removes them', async () => {
    // The handover was skipped (or its new owner removed since): Ada is still the only owner of the group.
    const err = expectFailure(await removal());
    expect(err.retryable).toBe(false);
    expect(err.message).toContain(`${ada()} is left in 1 group(s) because they are its only owner: ${analyticalEngine}`);
    expect(err.message).toContain('Make someone else an owner of each, then retry this step');
    expect(err.message).toContain(`removed from 2 other group(s) (${allStaff}, ${engineering})`);
    expect(err.progress).toEqual({ removed: [{ groupKey: allStaff, role: 'MEMBER' }, { groupKey: engineering, role: 'MANAGER' }] });
    expect(bed.emulator.groupsOf(ada())).toEqual([analyticalEngine]);
    expect(bed.emulator.membersOf(analyticalEngine)).toContainEqual({ email: ada(), role: 'OWNER' });

    // An operator makes Grace an owner and retries: Ada goes, and every removal is recorded for a restore.
    bed.emulator.addMember(analyticalEngine, grace(), 'OWNER');
    const retry = expectOk(await removal({}, err.progress));
    expect(retry.result).toEqual({
      removed: {
        groups: [
          { groupKey: allStaff, role: 'MEMBER' },
          { groupKey: engineering, role: 'MANAGER' },
          { groupKey: analyticalEngine, role: 'OWNER' },
        ],
      },
    });
    expect(bed.emulator.groupsOf(ada())).toEqual([]);
    expect(bed.emulator.membersOf(analyticalEngine).filter((m) => m.role === 'OWNER')).toEqual([{ email: grace(), role: 'OWNER' }]);
  });

  it('a mover leaving a group they alone own is left in it too, with nothing recorded as removed', async () => {
    const err = expectFailure(await runAction(removeFromGroups as Def, bed.ctx, bed.request('google.removeFromGroups', { eventType: 'role_change', params: { groups: [analyticalEngine] } })));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain(`only owner: ${analyticalEngine}`);
    expect(err.progress).toBeUndefined();
    expect(bed.emulator.groupsOf(ada())).toContain(analyticalEngine);
  });

  it('an owner beside another owner is removed, with the role recorded', async () => {
    bed.emulator.addMember(analyticalEngine, alan(), 'OWNER');
    const res = expectOk(await removal({ groups: [analyticalEngine] }));
    expect(res.result).toEqual({ removed: { groups: [{ groupKey: analyticalEngine, role: 'OWNER' }] } });
  });
});
