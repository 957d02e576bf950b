/** The Google joiner actions against the emulator through the real clients: create the account, license it, add groups, share calendars. */
import { addToGroups, CREATION_PENDING_WINDOW_MS } from '../../../../lambdas/actions/google/add-to-groups';
import { assignLicense } from '../../../../lambdas/actions/google/assign-license';
import { createUser } from '../../../../lambdas/actions/google/create-user';
import { shareCalendars } from '../../../../lambdas/actions/google/share-calendars';
import { updateCustomSchemas } from '../../../../lambdas/actions/google/update-custom-schemas';
import type { ActionDefinition } from '../../../../lambdas/actions/define-action';
import { runAction } from '../../../../lambdas/actions/run-action';
import { GOOGLE_WORKSPACE_PRODUCT_ID, SKU_BUSINESS_STANDARD, SKU_BUSINESS_STARTER } from '../../../../local/emulators/google/catalog';
import { expectFailure as failure, expectOk, startGoogleTestBed, useGoogleTestBed, type GoogleTestBed } from '../../../support/google-emulator';

const currentBed = useGoogleTestBed();
let bed: GoogleTestBed;
beforeEach(() => {
  bed = currentBed();
});

type Def = ActionDefinition<never>;
const g = () => bed.ctx.providers.google!();
/** John Doe, hired with no address from HR. */
const john = { id: 'E200', firstName: 'John', lastName: 'Doe', email: undefined, personalEmail: 'johnny@home.example' };
const create = (params: Record<string, unknown> = {}, employee: Record<string, unknown> = john) =>
  runAction(createUser, bed.ctx, bed.request('google.createUser', { eventType: 'hire', params, employee }));
const run = (def: Def, params: Record<string, unknown>, email: string) => runAction(def, bed.ctx, bed.request(def.name, { eventType: 'hire', params, employee: { ...john, email } }));
const accountsOf = async (employeeId: string) => (await g().directory.users.list({ customer: 'my_customer', query: `externalId:${employeeId}` })).data.users ?? [];

/** A joiner who exists with no license and no groups, the account bound to John's employee id as createUser binds it. */
const joiner = async () => {
  bed.emulator.seedUser({ email: 'new.joiner@example.com', givenName: 'New', familyName: 'Joiner', orgUnitPath: '/Staff', employeeId: john.id });
  return 'new.joiner@example.com';
};

describe('google.createUser', () => {
  it('derives the address, skips a taken one, and creates the account in the role org unit with its schema, never recording the password', async () => {
    bed.emulator.seedUser({ email: 'jdoe@example.com', givenName: 'Jane', familyName: 'Doe' });
    const res = expectOk(await create({ orgUnitPath: '/Staff', customSchemas: { Employment: { employeeId: 'E200', costCenter: 'Support' } } }));
    expect(res.result).toMatchObject({ created: { primaryEmail: 'jdoe2@example.com', orgUnitPath: '/Staff' }, passwordSet: true });
    expect(String(res.result?.initialPassword)).toMatch(/^not kept/);
    expect(JSON.stringify(res)).not.toMatch(/password"\s*:\s*"(?!not kept)/i);
    const user = bed.emulator.user('jdoe2@example.com')!;
    expect(user).toMatchObject({ orgUnitPath: '/Staff', changePasswordAtNextLogin: true, name: { givenName: 'John', familyName: 'Doe' }, customSchemas: { Employment: { costCenter: 'Support' } } });
    expect(user.passwordSha256).toBeDefined();
    expect(user.extra.externalIds).toEqual([{ type: 'organization', value: 'E200' }]);
  });

  it('uses the address HR sent', async () => {
    const res = expectOk(await create({}, { ...john, email: 'John.Doe@example.com' }));
    expect(res.result).toMatchObject({ created: { primaryEmail: 'john.doe@example.com', orgUnitPath: '/' } });
  });

  it('run again, it finds the account it made and creates no second one', async () => {
    expectOk(await create());
    const again = expectOk(await create());
    expect(again.result).toMatchObject({ existing: { primaryEmail: 'jdoe@example.com' } });
    expect((await accountsOf('E200')).map((u) => u.primaryEmail)).toEqual(['jdoe@example.com']);
  });

  it('a retry after a lost answer takes the account the first try made, not the next free address', async () => {
    bed.emulator.seedUser({ email: 'jdoe@example.com', givenName: 'Jane', familyName: 'Doe' });
    // What the first try did before its answer was lost.
    await g().directory.users.insert({ requestBody: { primaryEmail: 'jdoe2@example.com', name: { givenName: 'John', familyName: 'Doe' }, password: 'Lost-answer-1!', externalIds: [{ type: 'organization', value: 'E200' }] } });
    const res = expectOk(await create());
    expect(res.result).toMatchObject({ existing: { primaryEmail: 'jdoe2@example.com' } });
    expect(bed.emulator.user('jdoe3@example.com')).toBeUndefined();
  });

  it('refuses, not retryable, when the employee already has a suspended account (the rehire restore brings it back)', async () => {
    expectOk(await create());
    await g().directory.users.patch({ userKey: 'jdoe@example.com', requestBody: { suspended: true } });
    const error = failure(await create());
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/suspended Google account jdoe@example.com.*rehire/);
  });

  it('an HR address held by someone else is for an operator', async () => {
    // Another employee's account: held, and nothing is changed on it.
    const error = failure(await create({}, { ...john, email: bed.sample.users.ada.email }));
    expect(error).toMatchObject({ retryable: false, hold: 'bound_elsewhere' });
    expect(error.message).toMatch(/belongs to employee E100, not to employee E200/);
    expect(bed.emulator.user(bed.sample.users.ada.email)?.extra.externalIds).toEqual([{ type: 'organization', value: 'E100' }]);
    // A group's address: taken, not an account of anyone's.
    const taken = failure(await create({}, { ...john, email: bed.sample.groups.engineering }));
    expect(taken).toMatchObject({ retryable: false });
    expect(taken.message).toMatch(/already taken/);
    expect(await accountsOf('E200')).toEqual([]);
  });

  it('an unknown org unit is refused, not retryable', async () => {
    expect(failure(await create({ orgUnitPath: '/Nowhere' }))).toMatchObject({ retryable: false });
  });

  it.each([
    [503, true, undefined],
    [403, false, 'forbidden'],
  ])('a %s on insert is retryable: %s', async (status, retryable, reason) => {
    bed.emulator.faults.failNext({ method: 'POST', path: '^/admin/directory/v1/users$', count: 1, status, reason });
    expect(failure(await create())).toMatchObject({ retryable });
  });
});

describe('google.assignLicense', () => {
  it('assigns the SKU and records it; again, it is already held', async () => {
    const email = await joiner();
    const res = expectOk(await run(assignLicense as Def, { skuId: SKU_BUSINESS_STARTER }, email));
    expect(res.result).toEqual({ assigned: { productId: GOOGLE_WORKSPACE_PRODUCT_ID, skuId: SKU_BUSINESS_STARTER }, alreadyHeld: false });
    expect(bed.emulator.licensesOf(email)).toEqual([{ productId: GOOGLE_WORKSPACE_PRODUCT_ID, skuId: SKU_BUSINESS_STARTER }]);
    expect(expectOk(await run(assignLicense as Def, { skuId: SKU_BUSINESS_STARTER }, email)).result).toMatchObject({ alreadyHeld: true });
  });

  it('no free seat (412) is for an operator, naming the SKU', async () => {
    const email = await joiner();
    const error = failure(await run(assignLicense as Def, { skuId: SKU_BUSINESS_STANDARD }, email));
    expect(error).toMatchObject({ retryable: false, message: 'not enough licenses for SKU Google Workspace Business Standard: buy more or free some; then retry this step' });
    expect(error.providerAnswer).toMatch(/^412/);
  });

  it('an unknown user is not retryable', async () => {
    expect(failure(await run(assignLicense as Def, { skuId: SKU_BUSINESS_STARTER }, 'nobody@example.com'))).toMatchObject({ retryable: false });
  });

  it.each([
    [503, true, undefined],
    [403, false, 'forbidden'],
  ])('a %s from License Manager is retryable: %s', async (status, retryable, reason) => {
    const email = await joiner();
    bed.emulator.faults.failNext({ method: 'POST', path: '^/apps/licensing/', count: 1, status, reason });
    expect(failure(await run(assignLicense as Def, { skuId: SKU_BUSINESS_STARTER }, email))).toMatchObject({ retryable });
  });
});

describe('google.addToGroups', () => {
  it('adds with the role asked for and records what it added apart from what was there', async () => {
    const email = await joiner();
    bed.emulator.addMember(bed.sample.groups.allStaff, email, 'MANAGER');
    const res = expectOk(await run(addToGroups as Def, { groups: [bed.sample.groups.allStaff, { groupKey: bed.sample.groups.engineering, role: 'OWNER' }] }, email));
    expect(res.result).toEqual({ added: { groups: [{ groupKey: 'engineering@example.com', role: 'OWNER' }] }, alreadyMember: [{ groupKey: 'all-staff@example.com', role: 'MANAGER' }] });
    // An existing membership keeps its role.
    expect(bed.emulator.membersOf(bed.sample.groups.allStaff)).toContainEqual({ email, role: 'MANAGER' });
    expect(bed.emulator.membersOf(bed.sample.groups.engineering)).toContainEqual({ email, role: 'OWNER' });
  });

  it('an unknown group fails, not retryable and named, after adding the others', async () => {
    const email = await joiner();
    const error = failure(await run(addToGroups as Def, { groups: ['no-such-group@example.com', bed.sample.groups.engineering] }, email));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/group no-such-group@example.com does not exist/);
    expect(error.progress).toEqual({ added: [{ groupKey: 'engineering@example.com', role: 'MEMBER' }] });
    expect(bed.emulator.groupsOf(email)).toEqual(['engineering@example.com']);
  });

  it.each([
    ['an existing group: the member is not ready yet, retried', 'engineering', true],
    ['a group Google has not: no such group, for an operator', 'no-such-team', false],
  ])('a 404 naming no key is told apart by looking the group up: %s', async (_, group, retryable) => {
    const email = await joiner();
    bed.emulator.faults.failNext({ method: 'POST', path: '/members$', count: 1, status: 404, reason: 'notFound', message: 'Not Found' });
    const error = failure(await run(addToGroups as Def, { groups: [`${group}@example.com`] }, email));
    expect(error.retryable).toBe(retryable);
    expect(error.message).toMatch(retryable ? /does not know new.joiner@example.com as a member yet/ : /group no-such-team@example.com does not exist/);
  });

  it.each([
    [503, true, undefined],
    [403, false, 'forbidden'],
  ])('a %s on members.insert is retryable: %s', async (status, retryable, reason) => {
    const email = await joiner();
    bed.emulator.faults.failNext({ method: 'POST', path: '/members$', count: 1, status, reason });
    expect(failure(await run(addToGroups as Def, { groups: [bed.sample.groups.engineering] }, email))).toMatchObject({ retryable });
  });
});

describe('google.shareCalendars', () => {
  it('shares each calendar with the role, leaving a rule with more access alone', async () => {
    const email = await joiner();
    const { engineering, support } = bed.sample.calendars;
    await g().calendar.acl.insert({ calendarId: support, requestBody: { role: 'writer', scope: { type: 'user', value: email } } });
    const res = expectOk(await run(shareCalendars as Def, { calendars: [engineering, { calendarId: support, role: 'reader' }] }, email));
    expect(res.result).toEqual({ shared: [{ calendarId: engineering, role: 'reader' }], alreadyShared: [{ calendarId: support, role: 'writer' }] });
    expect(bed.emulator.calendarAcl(engineering)).toContainEqual({ id: `user:${email}`, role: 'reader', scope: { type: 'user', value: email } });
    expect(bed.emulator.calendarAcl(support)).toContainEqual(expect.objectContaining({ id: `user:${email}`, role: 'writer' }));
    // Run again: nothing new.
    expect(expectOk(await run(shareCalendars as Def, { calendars: [engineering] }, email)).result).toMatchObject({ shared: [] });
  });

  it('an unknown calendar fails, not retryable and named, after sharing the others', async () => {
    const email = await joiner();
    const error = failure(await run(shareCalendars as Def, { calendars: ['c_nope@group.calendar.google.com', { calendarId: bed.sample.calendars.allHands, role: 'writer' }] }, email));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/calendar c_nope@group.calendar.google.com does not exist/);
    expect(bed.emulator.calendarAcl(bed.sample.calendars.allHands)).toContainEqual(expect.objectContaining({ id: `user:${email}`, role: 'writer' }));
  });

  it.each([
    [503, true, undefined],
    [403, false, 'forbidden'],
  ])('a %s on acl.insert is retryable: %s', async (status, retryable, reason) => {
    const email = await joiner();
    bed.emulator.faults.failNext({ method: 'POST', path: '^/calendar/v3/calendars/.*/acl$', count: 1, status, reason });
    expect(failure(await run(shareCalendars as Def, { calendars: [bed.sample.calendars.engineering] }, email))).toMatchObject({ retryable });
  });
});

describe('joiner grants right after users.insert, while Google is still creating the account', () => {
  let now = Date.parse('2026-12-01T09:00:00Z');
  let fresh: GoogleTestBed;
  beforeEach(async () => {
    now = Date.parse('2026-12-01T09:00:00Z');
    fresh = await startGoogleTestBed({ emulatorNow: () => now });
    fresh.emulator.setCreationDelay(30_000);
    // The actions' clock and Google's agree: an account made moments ago is recent to both.
    fresh.clock.set(new Date(now));
  });
  afterEach(() => fresh.stop());
  const hire = (def: Def, params: Record<string, unknown>, email: string) =>
    runAction(def, fresh.ctx, fresh.request(def.name, { eventType: 'hire', params, employee: { ...john, email } }));
  const created = async () => {
    expectOk(await runAction(createUser, fresh.ctx, fresh.request('google.createUser', { eventType: 'hire', params: { orgUnitPath: '/Staff' }, employee: john })));
    return 'jdoe@example.com';
  };

  it('addToGroups meets 404 memberKey: retried, saying why, not taken for a missing group; once Google is done it adds', async () => {
    const email = await created();
    const early = failure(await hire(addToGroups as Def, { groups: [fresh.sample.groups.engineering] }, email));
    expect(early.retryable).toBe(true);
    expect(early.message).toMatch(/Google does not know jdoe@example.com as a member yet .*Resource Not Found: memberKey.*Google had not finished creating the account/);
    // Whether it is retried is the engine's to say: the last attempt must not promise another.
    expect(early.message).not.toMatch(/does not exist|retried/);
    expect(fresh.emulator.groupsOf(email)).toEqual([]);
    now += 30_000;
    const later = expectOk(await hire(addToGroups as Def, { groups: [fresh.sample.groups.engineering] }, email));
    expect(later.result).toMatchObject({ added: { groups: [{ groupKey: 'engineering@example.com', role: 'MEMBER' }] } });
  });

  it(`a 404 memberKey for an account made more than ${CREATION_PENDING_WINDOW_MS / 60_000} minutes ago (a mover's) is not retried: an operator gets Google's answer`, async () => {
    const email = await created();
    now += CREATION_PENDING_WINDOW_MS + 1000;
    fresh.clock.set(new Date(now));
    fresh.emulator.faults.failNext({ method: 'POST', path: '/members$', count: 1, status: 404, reason: 'notFound', message: 'Resource Not Found: memberKey' });
    const error = failure(await hire(addToGroups as Def, { groups: [fresh.sample.groups.engineering] }, email));
    expect(error).toMatchObject({ retryable: false, providerAnswer: '404 notFound: Resource Not Found: memberKey' });
    expect(error.message).toContain('members.insert answered 404 notFound: Resource Not Found: memberKey');
    expect(error.message).toContain('check the account and the group in the Admin console, then retry');
    expect(error.message).not.toMatch(/not finished creating/);
  });

  it(`a 404 memberKey for an account made within ${CREATION_PENDING_WINDOW_MS / 60_000} minutes is retried`, async () => {
    const email = await created();
    now += CREATION_PENDING_WINDOW_MS - 1000;
    fresh.clock.set(new Date(now));
    fresh.emulator.faults.failNext({ method: 'POST', path: '/members$', count: 1, status: 404, reason: 'notFound', message: 'Resource Not Found: memberKey' });
    expect(failure(await hire(addToGroups as Def, { groups: [fresh.sample.groups.engineering] }, email))).toMatchObject({ retryable: true });
  });

  it('a missing group named by Google (404 groupKey) is still an operator\'s, not retried, inside the window', async () => {
    const email = await created();
    const error = failure(await hire(addToGroups as Def, { groups: ['no-such-team@example.com'] }, email));
    expect(error).toMatchObject({ retryable: false, providerAnswer: expect.stringMatching(/groupKey/) });
    expect(error.message).toMatch(/group no-such-team@example.com does not exist/);
  });

  it('a retry keeps the memberships an earlier attempt made before the window stopped it', async () => {
    const email = await created();
    const progress = { added: [{ groupKey: 'all-staff@example.com', role: 'MEMBER' }] };
    const error = failure(await runAction(addToGroups as Def, fresh.ctx, fresh.request('google.addToGroups', { eventType: 'hire', progress, params: { groups: [fresh.sample.groups.engineering] }, employee: { ...john, email } })));
    expect(error).toMatchObject({ retryable: true, progress });
  });

  it('updateCustomSchemas meets 412 "User creation is not complete.": retried with backoff, and done once the window passes', async () => {
    const email = await created();
    const early = failure(await hire(updateCustomSchemas as Def, { set: { Employment: { costCenter: 'Support' } } }, email));
    expect(early).toMatchObject({ retryable: true, providerAnswer: '412 conditionNotMet: User creation is not complete.' });
    expect(early.message).toMatch(/\(Google had not finished creating the account\)$/);
    now += 30_000;
    expectOk(await hire(updateCustomSchemas as Def, { set: { Employment: { costCenter: 'Support' } } }, email));
    expect(fresh.emulator.user(email)?.customSchemas).toEqual({ Employment: { costCenter: 'Support' } });
  });
});
