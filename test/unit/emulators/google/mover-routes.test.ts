/** What a mover's steps need from the Google emulator, through the real clients: custom schema merges, acl.delete, licenseAssignments.patch. */
import { googleErrorInfo } from '../../../../lambdas/providers/google/google-errors';
import { GOOGLE_WORKSPACE_PRODUCT_ID as PRODUCT, SKU_BUSINESS_STANDARD as STANDARD, SKU_BUSINESS_STARTER as STARTER } from '../../../../local/emulators/google/catalog';
import { useGoogleTestBed, type GoogleTestBed } from '../../../support/google-emulator';

const currentBed = useGoogleTestBed();
let bed: GoogleTestBed;
beforeEach(() => {
  bed = currentBed();
});
const g = () => bed.ctx.providers.google!();
const ada = () => bed.sample.users.ada.email;
const errorOf = async (call: Promise<unknown>) => {
  try {
    await call;
  } catch (err) {
    return googleErrorInfo(err);
  }
  throw new Error('expected the call to fail');
};

describe('users.patch and users.update customSchemas', () => {
  const schemas = async () => (await g().directory.users.get({ userKey: ada(), projection: 'full' })).data.customSchemas;

  it('merges per schema: a field left out is kept, a field set to null is cleared, a new schema is added', async () => {
    await g().directory.users.patch({ userKey: ada(), requestBody: { customSchemas: { Employment: { costCenter: 'Support', employeeId: null }, SAML: { role: 'helpdesk' } } } });
    expect(await schemas()).toEqual({ Employment: { costCenter: 'Support' }, SAML: { role: 'helpdesk' } });
  });

  it('update (PUT) merges the same way', async () => {
    await g().directory.users.update({ userKey: ada(), requestBody: { customSchemas: { Employment: { costCenter: null } } } });
    expect(await schemas()).toEqual({ Employment: { employeeId: 'E1001' } });
  });

  it('a schema whose last field is cleared, or that is set to null, is gone from the profile', async () => {
    await g().directory.users.patch({ userKey: ada(), requestBody: { customSchemas: { Employment: { costCenter: null, employeeId: null } } } });
    expect(await schemas()).toBeUndefined();
    await g().directory.users.patch({ userKey: ada(), requestBody: { customSchemas: { SAML: { role: 'x' }, Other: { a: 1 } } } });
    // The client's types have no null schema, but Google's JSON takes one.
    const clearSchema = { SAML: null } as unknown as Record<string, Record<string, unknown>>;
    await g().directory.users.patch({ userKey: ada(), requestBody: { customSchemas: clearSchema } });
    expect(await schemas()).toEqual({ Other: { a: 1 } });
  });

  it('projection custom returns only the schemas in customFieldMask', async () => {
    await g().directory.users.patch({ userKey: ada(), requestBody: { customSchemas: { SAML: { role: 'helpdesk' } } } });
    const res = await g().directory.users.get({ userKey: ada(), projection: 'custom', customFieldMask: 'SAML' });
    expect(res.data.customSchemas).toEqual({ SAML: { role: 'helpdesk' } });
  });
});

describe('Calendar acl.delete', () => {
  const calendar = () => g().calendar;

  it('deletes a rule with 204; the rule is then 404, and so is deleting it again', async () => {
    const calendarId = bed.sample.calendars.support;
    await calendar().acl.insert({ calendarId, requestBody: { role: 'reader', scope: { type: 'user', value: ada() } } });
    const res = await calendar().acl.delete({ calendarId, ruleId: `user:${ada()}` });
    expect(res.status).toBe(204);
    expect(await errorOf(calendar().acl.get({ calendarId, ruleId: `user:${ada()}` }))).toMatchObject({ status: 404, reason: 'notFound', message: 'Not Found' });
    expect(await errorOf(calendar().acl.delete({ calendarId, ruleId: `user:${ada()}` }))).toMatchObject({ status: 404, reason: 'notFound' });
  });

  it('an unknown calendar is 404 for get, list and delete alike', async () => {
    const calendarId = 'c_nope@group.calendar.google.com';
    for (const call of [calendar().acl.list({ calendarId }), calendar().acl.delete({ calendarId, ruleId: `user:${ada()}` })]) {
      expect(await errorOf(call)).toMatchObject({ status: 404 });
    }
  });
});

describe('licenseAssignments.patch', () => {
  it('moves the assignment to the new SKU of the product, freeing the old seat', async () => {
    bed.emulator.setSkuSeats(PRODUCT, STANDARD, 3);
    const alan = bed.sample.users.alan.email;
    const moved = await g().licensing.patch(PRODUCT, STARTER, alan, STANDARD);
    expect(moved).toMatchObject({ productId: PRODUCT, skuId: STANDARD, userId: alan, skuName: 'Google Workspace Business Standard' });
    expect(bed.emulator.licensesOf(alan)).toEqual([{ productId: PRODUCT, skuId: STANDARD }]);
    expect(bed.emulator.seats(PRODUCT, STARTER)).toEqual({ total: 5, used: 3 });
  });

  it.each([
    ['a SKU the user does not hold', () => [STARTER, STANDARD] as const, 404, /does not have a license/],
    ['the same SKU', () => [STANDARD, STANDARD] as const, 412, /new SKU should be different/],
    ['a SKU with no free seat', () => [STANDARD, STARTER] as const, 412, /enough available licenses/],
  ])('refuses %s', async (_what, skus, status, message) => {
    bed.emulator.setSkuSeats(PRODUCT, STARTER, 4);
    const [from, to] = skus();
    const info = await errorOf(g().licensing.patch(PRODUCT, from, ada(), to));
    expect(info).toMatchObject({ status });
    expect(info.message).toMatch(message);
    expect(bed.emulator.licensesOf(ada())).toEqual([{ productId: PRODUCT, skuId: STANDARD }]);
  });

  it('insert of a second SKU of a product is 412 conditionNotMet, pointing to the update operation', async () => {
    const info = await errorOf(g().licensing.insert(PRODUCT, STARTER, ada()));
    expect(info).toMatchObject({ status: 412, reason: 'conditionNotMet' });
    expect(info.message).toMatch(/different SKU.*"update" operation/);
  });
});
