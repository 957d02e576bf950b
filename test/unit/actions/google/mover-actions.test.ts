/** The Google actions a mover's plan runs, against the emulator through the real clients: leave groups, change the license, custom schema fields, unshare calendars. */
import { admin_directory_v1 } from '@googleapis/admin/build/directory_v1';
import type { ActionDefinition } from '../../../../lambdas/actions/define-action';
import { assignLicense } from '../../../../lambdas/actions/google/assign-license';
import { removeFromGroups } from '../../../../lambdas/actions/google/remove-from-groups';
import { restoreGroups } from '../../../../lambdas/actions/google/restore-groups';
import { unshareCalendars } from '../../../../lambdas/actions/google/unshare-calendars';
import { updateCustomSchemas } from '../../../../lambdas/actions/google/update-custom-schemas';
import { runAction } from '../../../../lambdas/actions/run-action';
import { GOOGLE_WORKSPACE_PRODUCT_ID as PRODUCT, SKU_BUSINESS_PLUS as PLUS, SKU_BUSINESS_STANDARD as STANDARD, SKU_BUSINESS_STARTER as STARTER } from '../../../../local/emulators/google/catalog';
import { expectFailure as failure, expectOk, useGoogleTestBed, type GoogleTestBed, soleOwnedGroupHandedOver, sampleOf } from '../../../support/google-emulator';

const currentBed = useGoogleTestBed({ setUp: soleOwnedGroupHandedOver });
let bed: GoogleTestBed;
beforeEach(() => {
  bed = currentBed();
});

type Def = ActionDefinition<unknown>;
const { g, ada, alan } = sampleOf(() => bed);
/** Runs an action for a mover (Ada unless another employee id and address are given). */
const run = (def: Def, params: Record<string, unknown>, options: { id?: string; email?: string; progress?: Record<string, unknown> } = {}) =>
  runAction(
    def,
    bed.ctx,
    bed.request(def.name, { eventType: 'role_change', params, progress: options.progress, employee: { ...(options.id ? { id: options.id } : {}), ...(options.email ? { email: options.email } : {}) } }),
  );
/** Alan as the mover: his address and the employee id his account is bound to. */
const asAlan = () => ({ id: bed.sample.users.alan.employeeId, email: alan() });

describe('google.removeFromGroups with groups (a mover)', () => {
  it('leaves only the listed groups, matched without regard to case, recording the role held so restoreGroups can put it back', async () => {
    const res = expectOk(await run(removeFromGroups as Def, { groups: ['Engineering@Example.com'] }));
    expect(res.result).toEqual({ removed: { groups: [{ groupKey: 'engineering@example.com', role: 'MANAGER' }] } });
    expect(bed.emulator.groupsOf(ada()).sort()).toEqual(['all-staff@example.com', 'analytical-engine@example.com']);

    const restored = expectOk(await run(restoreGroups as Def, { result: res.result }));
    expect(restored.note).toMatch(/re-added to 1 group/);
    expect(bed.emulator.membersOf(bed.sample.groups.engineering)).toContainEqual({ email: ada(), role: 'MANAGER' });
  });

  it('a group the mover is not in, or that does not exist, is already done', async () => {
    const res = expectOk(await run(removeFromGroups as Def, { groups: ['no-such-group@example.com', bed.sample.groups.engineering] }, { id: bed.sample.users.katherine.employeeId, email: bed.sample.users.katherine.email }));
    expect(res.result).toEqual({ removed: { groups: [] } });
    expect(res.note).toBe('in none of the 2 listed group(s)');
    expect(bed.emulator.groupsOf(bed.sample.users.katherine.email)).toEqual(['all-staff@example.com']);
  });

  it('run twice, the second run removes and records nothing', async () => {
    expectOk(await run(removeFromGroups as Def, { groups: [bed.sample.groups.analyticalEngine] }));
    expect(expectOk(await run(removeFromGroups as Def, { groups: [bed.sample.groups.analyticalEngine] })).result).toEqual({ removed: { groups: [] } });
  });

  it('no account: nothing to remove', async () => {
    expect(expectOk(await run(removeFromGroups as Def, { groups: [bed.sample.groups.allStaff] }, { id: 'E999', email: 'gone@example.com' })).note).toMatch(/no Google account/);
  });

  it('absent, the leaver still leaves every group', async () => {
    const res = expectOk(await run(removeFromGroups as Def, {}));
    expect((res.result as { removed: { groups: unknown[] } }).removed.groups).toHaveLength(3);
    expect(bed.emulator.groupsOf(ada())).toEqual([]);
  });

  it('a failure after some removals hands them to the next attempt, which records them too', async () => {
    bed.emulator.faults.failNext({ method: 'DELETE', path: 'groups/engineering.*/members/', count: 1, status: 503 });
    const groups = [bed.sample.groups.allStaff, bed.sample.groups.engineering];
    const error = failure(await run(removeFromGroups as Def, { groups }));
    expect(error.retryable).toBe(true);
    expect(error.progress).toEqual({ removed: [{ groupKey: 'all-staff@example.com', role: 'MEMBER' }] });
    const retry = expectOk(await run(removeFromGroups as Def, { groups }, { progress: error.progress }));
    expect(retry.result).toEqual({
      removed: {
        groups: [
          { groupKey: 'all-staff@example.com', role: 'MEMBER' },
          { groupKey: 'engineering@example.com', role: 'MANAGER' },
        ],
      },
    });
  });

  it('a 403 on members.delete is not retryable', async () => {
    bed.emulator.faults.failNext({ method: 'DELETE', path: '/members/', count: 1, status: 403, reason: 'forbidden' });
    expect(failure(await run(removeFromGroups as Def, { groups: [bed.sample.groups.engineering] }))).toMatchObject({ retryable: false });
  });
});

describe('google.assignLicense with replaces (a license change)', () => {
  it('changes the held SKU in place with licenseAssignments.patch, recording from and to; again, it is already held', async () => {
    bed.emulator.setSkuSeats(PRODUCT, STANDARD, 3);
    const res = expectOk(await run(assignLicense as Def, { skuId: STANDARD, replaces: STARTER }, asAlan()));
    expect(res.result).toEqual({ changed: { productId: PRODUCT, fromSkuId: STARTER, toSkuId: STANDARD } });
    expect(res.note).toBe(`changed ${alan()} from Google Workspace Business Starter to Google Workspace Business Standard`);
    expect(bed.emulator.licensesOf(alan())).toEqual([{ productId: PRODUCT, skuId: STANDARD }]);
    expect(bed.emulator.seats(PRODUCT, STARTER)).toEqual({ total: 5, used: 3 });

    const again = expectOk(await run(assignLicense as Def, { skuId: STANDARD, replaces: STARTER }, asAlan()));
    expect(again.result).toEqual({ assigned: { productId: PRODUCT, skuId: STANDARD }, alreadyHeld: true });
  });

  it('changes whatever SKU of the product is held, saying when it is not the one the role named', async () => {
    // Ada holds Standard; the plan thought Plus (which this tenant does not even sell).
    const res = expectOk(await run(assignLicense as Def, { skuId: STARTER, replaces: PLUS }));
    expect(res.result).toEqual({ changed: { productId: PRODUCT, fromSkuId: STANDARD, toSkuId: STARTER } });
    expect(res.note).toMatch(/the role said Google Workspace Business Plus/);
    expect(bed.emulator.licensesOf(ada())).toEqual([{ productId: PRODUCT, skuId: STARTER }]);
  });

  it('holding none of the product, the new SKU is assigned', async () => {
    bed.emulator.seedUser({ email: 'unlicensed@example.com', givenName: 'Un', familyName: 'Licensed', employeeId: 'E300' });
    const res = expectOk(await run(assignLicense as Def, { skuId: STARTER, replaces: STANDARD }, { id: 'E300', email: 'unlicensed@example.com' }));
    expect(res.result).toEqual({ assigned: { productId: PRODUCT, skuId: STARTER }, alreadyHeld: false });
  });

  it('without replaces, a second SKU of the product is refused by Google and reported, not retryable', async () => {
    const error = failure(await run(assignLicense as Def, { skuId: STARTER }));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/holds Google Workspace Business Standard of product Google-Apps.*replaces/);
    expect(error.providerAnswer).toMatch(/^412 conditionNotMet: User already has a license of the product, but with a different SKU/);
    expect(bed.emulator.licensesOf(ada())).toEqual([{ productId: PRODUCT, skuId: STANDARD }]);
  });

  it('no free seat of the new SKU: for an operator, and the old SKU is kept', async () => {
    const error = failure(await run(assignLicense as Def, { skuId: STANDARD, replaces: STARTER }, asAlan()));
    expect(error).toMatchObject({ retryable: false, message: 'not enough licenses for SKU Google Workspace Business Standard: buy more or free some; then retry this step' });
    expect(error.providerAnswer).toMatch(/^412/);
    expect(bed.emulator.licensesOf(alan())).toEqual([{ productId: PRODUCT, skuId: STARTER }]);
  });

  it('an unknown user is not retryable', async () => {
    expect(failure(await run(assignLicense as Def, { skuId: STANDARD, replaces: STARTER }, { id: 'E999', email: 'nobody@example.com' }))).toMatchObject({ retryable: false });
  });

  it.each([
    [503, true, undefined],
    [403, false, 'forbidden'],
  ])('a %s on licenseAssignments.patch is retryable: %s', async (status, retryable, reason) => {
    bed.emulator.setSkuSeats(PRODUCT, STANDARD, 3);
    bed.emulator.faults.failNext({ method: 'PATCH', path: '^/apps/licensing/', count: 1, status, reason });
    expect(failure(await run(assignLicense as Def, { skuId: STANDARD, replaces: STARTER }, asAlan()))).toMatchObject({ retryable });
    expect(bed.emulator.licensesOf(alan())).toEqual([{ productId: PRODUCT, skuId: STARTER }]);
  });
});

describe('google.assignLicense and the customer id License Manager takes', () => {
  /** A SKU of the product this code does not know, so finding it takes listing every assignment of the product. */
  const ENTERPRISE = '1010020020';
  /** customers.get as any Directory client calls it (the read goes on a Directory client of its own, with its own token). */
  const customersGets = () => jest.spyOn(admin_directory_v1.Resource$Customers.prototype, 'get');
  afterEach(() => jest.restoreAllMocks());

  it('lists the assignments with the real customer id, read once from the Directory, never my_customer', async () => {
    bed.emulator.setSkuSeats(PRODUCT, ENTERPRISE, 5);
    bed.emulator.setSkuSeats(PRODUCT, STARTER, 6);
    for (const [email, id] of [['rehire.one@example.com', 'E301'], ['rehire.two@example.com', 'E302']]) {
      bed.emulator.seedUser({ email, givenName: 'Re', familyName: 'Hire', employeeId: id });
      bed.emulator.assignLicense(email, PRODUCT, ENTERPRISE);
    }
    const clients = bed.clientsFor('google.assignLicense');
    const customersGet = customersGets();
    const listed = jest.spyOn(clients.licensing, 'listForProduct');

    const one = expectOk(await run(assignLicense as Def, { skuId: STARTER, replaceHeld: true }, { id: 'E301', email: 'rehire.one@example.com' }));
    expect(one.result).toEqual({ changed: { productId: PRODUCT, fromSkuId: ENTERPRISE, toSkuId: STARTER } });
    const two = expectOk(await run(assignLicense as Def, { skuId: STARTER, replaceHeld: true }, { id: 'E302', email: 'rehire.two@example.com' }));
    expect(two.result).toEqual({ changed: { productId: PRODUCT, fromSkuId: ENTERPRISE, toSkuId: STARTER } });

    expect(listed).toHaveBeenCalledTimes(2);
    expect(customersGet).toHaveBeenCalledTimes(1);
    expect(customersGet).toHaveBeenCalledWith(expect.objectContaining({ customerKey: 'my_customer' }));
    expect(await clients.customerId()).toBe(bed.sample.customerId);
  });

  it('uses a configured real customer id as it is, without asking the Directory', async () => {
    const { createGoogleClients } = await import('../../../../lambdas/providers/google/google-clients');
    const configured = createGoogleClients({ ...g().config, customerId: bed.sample.customerId });
    const customersGet = customersGets();
    expect(await configured.customerId()).toBe(bed.sample.customerId);
    expect((await configured.licensing.listForProduct(PRODUCT)).length).toBeGreaterThan(0);
    expect(customersGet).not.toHaveBeenCalled();
  });
});

describe('google.updateCustomSchemas', () => {
  const schemas = async (email = ada()) => (await g().directory.users.get({ userKey: email, projection: 'full' })).data.customSchemas;

  it('sets, changes and clears fields, merging per schema and recording every previous value', async () => {
    const res = expectOk(await run(updateCustomSchemas as Def, { set: { Employment: { costCenter: 'Support' }, SAML: { role: 'helpdesk' } }, remove: ['Employment.employeeId'] }));
    expect(res.result).toEqual({
      previous: { Employment: { costCenter: 'R&D', employeeId: 'E1001' }, SAML: { role: null } },
      changed: ['Employment.costCenter', 'Employment.employeeId', 'SAML.role'],
    });
    expect(res.note).toBe(`set Employment.costCenter, SAML.role; cleared Employment.employeeId on ${ada()}`);
    expect(await schemas()).toEqual({ Employment: { costCenter: 'Support' }, SAML: { role: 'helpdesk' } });
  });

  it('clears a multi-valued field (which users.patch would leave as it was) with users.update, and its read-back passes', async () => {
    const roles = [{ type: 'work', value: 'arn:aws:iam::1:role/Dev' }, { type: 'work', value: 'arn:aws:iam::1:role/Ops' }];
    expectOk(await run(updateCustomSchemas as Def, { set: { SSO: { awsRoles: roles, team: 'platform' } } }));
    const res = expectOk(await run(updateCustomSchemas as Def, { remove: ['SSO.awsRoles'] }));
    expect(res.result).toEqual({ previous: { SSO: { awsRoles: roles } }, changed: ['SSO.awsRoles'] });
    // The schema's other field and the schemas the step did not touch are kept.
    expect(await schemas()).toEqual({ Employment: { employeeId: 'E1001', costCenter: 'R&D' }, SSO: { team: 'platform' } });
  });

  it("sends only the fields it changes: another writer's change to another field of the same schema, made after the read, survives", async () => {
    const roles = [{ type: 'work', value: 'arn:aws:iam::1:role/Dev' }];
    expectOk(await run(updateCustomSchemas as Def, { set: { SSO: { awsRoles: roles, team: 'platform' } } }));
    const users = bed.clientsFor('google.updateCustomSchemas').directory.users;
    const realUpdate = users.update.bind(users) as (p: unknown) => Promise<unknown>;
    const sent: unknown[] = [];
    // Between the step's read and its write, someone changes Employment.employeeId and SSO.team.
    jest.spyOn(users, 'update').mockImplementation((async (p: { requestBody?: unknown }) => {
      sent.push(p.requestBody);
      await g().directory.users.patch({ userKey: ada(), requestBody: { customSchemas: { Employment: { employeeId: 'E2002' }, SSO: { team: 'data' } } } });
      return realUpdate(p);
    }) as never);
    const more = [...roles, { type: 'work', value: 'arn:aws:iam::1:role/Ops' }];
    expectOk(await run(updateCustomSchemas as Def, { set: { Employment: { costCenter: 'Support' }, SSO: { awsRoles: more } } }));
    expect(sent).toEqual([{ customSchemas: { Employment: { costCenter: 'Support' }, SSO: { awsRoles: more } } }]);
    expect(await schemas()).toEqual({ Employment: { employeeId: 'E2002', costCenter: 'Support' }, SSO: { awsRoles: more, team: 'data' } });
  });

  it('leaves the fields of the user other steps own as they are', async () => {
    await g().directory.users.patch({ userKey: ada(), requestBody: { orgUnitPath: '/', suspended: true } });
    expectOk(await run(updateCustomSchemas as Def, { set: { Employment: { costCenter: 'Support' } } }));
    expect(bed.emulator.user(ada())).toMatchObject({ orgUnitPath: '/', suspended: true, name: { givenName: 'Ada', familyName: 'Lovelace' } });
  });

  it('what is already as asked is not written, and run again nothing changes', async () => {
    const params = { set: { Employment: { costCenter: 'R&D' } }, remove: ['SAML.probation'] };
    const res = expectOk(await run(updateCustomSchemas as Def, params));
    expect(res.result).toEqual({ previous: {}, changed: [] });
    expect(res.note).toMatch(/already as asked/);
  });

  it('clearing the last field of a schema takes the schema off the profile', async () => {
    expectOk(await run(updateCustomSchemas as Def, { remove: ['Employment.employeeId', 'Employment.costCenter'] }));
    expect(await schemas()).toBeUndefined();
  });

  it('keeps the previous values an earlier attempt saw before it wrote', async () => {
    bed.emulator.faults.failNext({ method: 'GET', path: '^/admin/directory/v1/users/ada', count: 1, status: 503 });
    // The first read fails: nothing written, no progress.
    expect(failure(await run(updateCustomSchemas as Def, { set: { Employment: { costCenter: 'Support' } } }))).toMatchObject({ retryable: true });
    await g().directory.users.patch({ userKey: ada(), requestBody: { customSchemas: { Employment: { costCenter: 'Support' } } } });
    const retry = expectOk(await run(updateCustomSchemas as Def, { set: { Employment: { costCenter: 'Sales' } } }, { progress: { previous: { Employment: { costCenter: 'R&D' } } } }));
    expect(retry.result).toEqual({ previous: { Employment: { costCenter: 'R&D' } }, changed: ['Employment.costCenter'] });
  });

  it.each([
    [{ set: { Employment: { costCenter: 'X' } }, remove: ['Employment.costCenter'] }, /both set and removed/],
    [{ remove: ['costCenter'] }, /schema\.field/],
    [{ set: { Employment: { costCenter: null } } }, /cannot be null/],
    [{ set: JSON.parse('{"constructor":{"x":"y"}}') }, /schema name "constructor" is reserved/],
    [{ set: { Employment: JSON.parse('{"__proto__":"y"}') } }, /field name "__proto__" is reserved/],
    [{ set: { Employment: { prototype: 'y' } } }, /field name "prototype" is reserved/],
    [{ set: { '1Employment': { costCenter: 'y' } } }, /schema name "1Employment" must be letters, digits and underscores, start with a letter/],
    [{ remove: ['Employment.__proto__'] }, /field name "__proto__" is reserved/],
    [{ remove: ['constructor.name'] }, /schema name "constructor" is reserved/],
  ])('refuses contradictory or malformed parameters: %j', async (params, message) => {
    const error = failure(await run(updateCustomSchemas as Def, params));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(message);
  });

  it('an unknown user is not retryable', async () => {
    expect(failure(await run(updateCustomSchemas as Def, { set: { SAML: { role: 'x' } } }, { id: 'E999', email: 'nobody@example.com' }))).toMatchObject({ retryable: false });
  });

  it.each([
    [503, true, undefined],
    [403, false, 'forbidden'],
  ])('a %s on users.update is retryable: %s', async (status, retryable, reason) => {
    bed.emulator.faults.failNext({ method: 'PUT', path: '^/admin/directory/v1/users/', count: 1, status, reason });
    const error = failure(await run(updateCustomSchemas as Def, { set: { Employment: { costCenter: 'Support' } } }));
    expect(error).toMatchObject({ retryable, progress: { previous: { Employment: { costCenter: 'R&D' } } } });
  });
});

describe('google.unshareCalendars', () => {
  const share = (calendarId: string, role: string, email = ada()) => g().calendar.acl.insert({ calendarId, requestBody: { role, scope: { type: 'user', value: email } } });

  it('deletes the rule on each calendar, recording the role it gave; a calendar not shared is already done', async () => {
    const { engineering, support, allHands } = bed.sample.calendars;
    await share(engineering, 'writer');
    await share(support, 'reader');
    const res = expectOk(await run(unshareCalendars as Def, { calendars: [engineering, support.toUpperCase(), allHands] }));
    expect(res.result).toEqual({
      removed: { calendars: [{ calendarId: engineering, role: 'writer' }, { calendarId: support.toUpperCase(), role: 'reader' }] },
      notShared: [allHands],
      ownerKept: [],
    });
    expect(bed.emulator.calendarAcl(engineering).map((r) => r.id)).not.toContain(`user:${ada()}`);
    expect(bed.emulator.calendarAcl(support).map((r) => r.id)).not.toContain(`user:${ada()}`);
    const again = expectOk(await run(unshareCalendars as Def, { calendars: [engineering] }));
    expect(again.result).toMatchObject({ removed: { calendars: [] }, notShared: [engineering] });
  });

  it('an owner rule is left alone and reported', async () => {
    await share(bed.sample.calendars.engineering, 'owner');
    const res = expectOk(await run(unshareCalendars as Def, { calendars: [bed.sample.calendars.engineering] }));
    expect(res.result).toMatchObject({ removed: { calendars: [] }, ownerKept: [bed.sample.calendars.engineering] });
    expect(bed.emulator.calendarAcl(bed.sample.calendars.engineering)).toContainEqual(expect.objectContaining({ id: `user:${ada()}`, role: 'owner' }));
  });

  it('an unknown calendar fails, not retryable and named, after unsharing the others', async () => {
    await share(bed.sample.calendars.support, 'reader');
    const error = failure(await run(unshareCalendars as Def, { calendars: ['c_nope@group.calendar.google.com', bed.sample.calendars.support] }));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/calendar c_nope@group.calendar.google.com does not exist/);
    expect(error.progress).toEqual({ removed: [{ calendarId: bed.sample.calendars.support, role: 'reader' }] });
    expect(bed.emulator.calendarAcl(bed.sample.calendars.support).map((r) => r.id)).not.toContain(`user:${ada()}`);
  });

  it('no account: nothing to unshare', async () => {
    expect(expectOk(await run(unshareCalendars as Def, { calendars: [bed.sample.calendars.support] }, { id: 'E999', email: 'gone@example.com' })).note).toMatch(/no Google account/);
  });

  it.each([
    [503, true, undefined],
    [403, false, 'forbidden'],
  ])('a %s on acl.delete is retryable: %s', async (status, retryable, reason) => {
    await share(bed.sample.calendars.support, 'reader');
    bed.emulator.faults.failNext({ method: 'DELETE', path: '^/calendar/v3/calendars/.*/acl/', count: 1, status, reason });
    expect(failure(await run(unshareCalendars as Def, { calendars: [bed.sample.calendars.support] }))).toMatchObject({ retryable });
    expect(bed.emulator.calendarAcl(bed.sample.calendars.support).map((r) => r.id)).toContain(`user:${ada()}`);
  });
});
