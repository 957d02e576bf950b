import { DRIVE_AND_DOCS_APPLICATION_ID, UNDELETE_WINDOW_MS } from '../../../../local/emulators/google';
import { eventually, googleError, startGoogle, type GoogleHarness } from './google-harness';

let g: GoogleHarness;
/** The emulator's clock, moved by the tests: a deleted user is kept 20 days by it. */
let now = Date.parse('2026-12-01T09:00:00.000Z');
beforeEach(async () => {
  now = Date.parse('2026-12-01T09:00:00.000Z');
  g = await startGoogle({ now: () => now });
});
afterEach(() => g.stop());

const deleted = async (query = {}) => (await g.directory.users.list({ customer: 'my_customer', showDeleted: 'true', ...query })).data.users ?? [];

describe('deleted users and users.undelete through the real @googleapis/admin client', () => {
  it('keeps a deleted user out of the directory: 404 by address, 412 by id, listed only with showDeleted', async () => {
    const { alan } = g.sample.users;
    await g.directory.users.delete({ userKey: alan.email });

    expect(await googleError(g.directory.users.get({ userKey: alan.email }))).toMatchObject({ status: 404, error: { message: 'Resource Not Found: userKey' } });
    expect(await googleError(g.directory.users.get({ userKey: alan.id }))).toMatchObject({
      status: 412,
      error: { message: 'User is deleted.', errors: [{ reason: 'conditionNotMet' }] },
    });
    const active = (await g.directory.users.list({ customer: 'my_customer' })).data.users ?? [];
    expect(active.map((u) => u.primaryEmail)).not.toContain(alan.email);
    expect((await deleted()).map((u) => [u.id, u.primaryEmail, u.deletionTime])).toEqual([[alan.id, alan.email, '2026-12-01T09:00:00.000Z']]);
  });

  it('brings the user back by id into the org unit given, with its Drive files, as it was (suspended stays suspended)', async () => {
    const { charles } = g.sample.users;
    const files = g.emulator.driveFilesOf(charles.email);
    await g.directory.users.delete({ userKey: charles.id });
    now += 19 * 24 * 3600 * 1000;

    const res = await g.directory.users.undelete({ userKey: charles.id, requestBody: { orgUnitPath: '/Offboarded' } });
    expect(res.status).toBe(204);
    const back = (await g.directory.users.get({ userKey: charles.id })).data;
    expect(back).toMatchObject({ id: charles.id, primaryEmail: charles.email, orgUnitPath: '/Offboarded', suspended: true });
    expect(g.emulator.driveFilesOf(charles.email)).toEqual(files);
    expect(await deleted()).toEqual([]);
  });

  it('brings an active user back suspended when its Drive was transferred away before the deletion', async () => {
    const { ada, grace } = g.sample.users;
    g.emulator.setTransferBehaviour({ delayMs: 0 });
    const t = await g.transfer.transfers.insert({
      requestBody: { oldOwnerUserId: ada.id, newOwnerUserId: grace.id, applicationDataTransfers: [{ applicationId: DRIVE_AND_DOCS_APPLICATION_ID }] },
    });
    await eventually(async () => g.emulator.transfer(t.data.id!), (x) => x?.status === 'completed');
    await g.directory.users.delete({ userKey: ada.id });
    await g.directory.users.undelete({ userKey: ada.id, requestBody: { orgUnitPath: '/' } });
    expect((await g.directory.users.get({ userKey: ada.email })).data).toMatchObject({ suspended: true, orgUnitPath: '/' });
  });

  it('lets a new user take the address meanwhile, and then refuses the undelete with 409', async () => {
    const { alan } = g.sample.users;
    await g.directory.users.delete({ userKey: alan.id });
    const successor = await g.directory.users.insert({
      requestBody: { primaryEmail: alan.email, name: { givenName: 'Alan', familyName: 'Turing' }, password: 'Another-Passw0rd!' },
    });
    expect(successor.data.id).not.toBe(alan.id);
    expect(await googleError(g.directory.users.undelete({ userKey: alan.id, requestBody: { orgUnitPath: '/' } }))).toMatchObject({
      status: 409,
      error: { message: 'Entity already exists.', errors: [{ reason: 'duplicate' }] },
    });
    expect((await deleted()).map((u) => u.id)).toEqual([alan.id]);
  });

  it('forgets a deleted user after 20 days: 404 by id, gone from showDeleted, its files with it', async () => {
    const { alan } = g.sample.users;
    const fileIds = g.emulator.driveFilesOf(alan.email);
    await g.directory.users.delete({ userKey: alan.id });
    now += UNDELETE_WINDOW_MS;
    expect(await googleError(g.directory.users.undelete({ userKey: alan.id, requestBody: { orgUnitPath: '/' } }))).toMatchObject({
      status: 404,
      error: { message: 'Resource Not Found: userKey' },
    });
    expect(await googleError(g.directory.users.get({ userKey: alan.id }))).toMatchObject({ status: 404 });
    expect(await deleted()).toEqual([]);
    expect(fileIds.length).toBeGreaterThan(0);
    expect(g.emulator.toJSON().files.filter((f) => fileIds.includes(f.id))).toEqual([]);
  });

  it.each([
    ['an address instead of the id', (u: { email: string }) => u.email, 404, 'notFound'],
    ['an id never seen', () => '100000000000000009999', 404, 'notFound'],
  ])('answers an undelete by %s with 404', async (_what, key, status, reason) => {
    const { alan } = g.sample.users;
    await g.directory.users.delete({ userKey: alan.id });
    expect(await googleError(g.directory.users.undelete({ userKey: key(alan), requestBody: { orgUnitPath: '/' } }))).toMatchObject({ status, error: { errors: [{ reason }] } });
  });

  it('refuses to undelete a user that is not deleted (412) and an org unit that does not exist (400)', async () => {
    const { alan } = g.sample.users;
    expect(await googleError(g.directory.users.undelete({ userKey: alan.id, requestBody: { orgUnitPath: '/' } }))).toMatchObject({
      status: 412,
      error: { errors: [{ reason: 'conditionNotMet' }] },
    });
    await g.directory.users.delete({ userKey: alan.id });
    expect(await googleError(g.directory.users.undelete({ userKey: alan.id, requestBody: { orgUnitPath: '/Nowhere' } }))).toMatchObject({
      status: 400,
      error: { message: 'Invalid Input: INVALID_OU_ID' },
    });
    expect((await deleted()).map((u) => u.id)).toEqual([alan.id]);
  });

  it('refuses to undelete a user while no seat of the license it held is free, and brings it back with that license once one is', async () => {
    const { ada } = g.sample.users;
    // Business Standard has 2 seats, Ada's and Grace's: Ada's deletion frees hers, and a new user takes it.
    await g.directory.users.delete({ userKey: ada.id });
    expect(g.emulator.deletedUser(ada.id)?.licenses).toEqual([{ productId: 'Google-Apps', skuId: '1010020028' }]);
    await g.directory.users.insert({ requestBody: { primaryEmail: 'mary.jackson@example.com', name: { givenName: 'Mary', familyName: 'Jackson' }, password: 'Joiner-Passw0rd' } });
    g.emulator.assignLicense('mary.jackson@example.com', 'Google-Apps', '1010020028');

    expect(await googleError(g.directory.users.undelete({ userKey: ada.id, requestBody: { orgUnitPath: '/Staff' } }))).toMatchObject({
      status: 412,
      error: { message: "You can't restore a user if you don't have an available user license.", errors: [{ reason: 'limitExceeded' }] },
    });
    expect((await deleted()).map((u) => u.id)).toEqual([ada.id]);

    g.emulator.setSkuSeats('Google-Apps', '1010020028', 3);
    await g.directory.users.undelete({ userKey: ada.id, requestBody: { orgUnitPath: '/Staff' } });
    expect(g.emulator.licensesOf(ada.email)).toEqual([{ productId: 'Google-Apps', skuId: '1010020028' }]);
    expect(g.emulator.seats('Google-Apps', '1010020028')).toEqual({ total: 3, used: 3 });
  });

  it('undeletes a user that held no license without a seat', async () => {
    const { alan } = g.sample.users;
    await g.licensing('DELETE', `product/Google-Apps/sku/1010020027/user/${alan.email}`);
    g.emulator.setSkuSeats('Google-Apps', '1010020027', 3);
    await g.directory.users.delete({ userKey: alan.id });
    await g.directory.users.undelete({ userKey: alan.id, requestBody: { orgUnitPath: '/Staff' } });
    expect(g.emulator.licensesOf(alan.email)).toEqual([]);
  });
});
