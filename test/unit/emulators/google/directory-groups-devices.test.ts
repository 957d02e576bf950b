import { googleError, startGoogle, type GoogleHarness } from './google-harness';

let g: GoogleHarness;
beforeEach(async () => {
  g = await startGoogle();
});
afterEach(() => g.stop());

describe('Directory API groups and members', () => {
  it('inserts, lists, refuses a duplicate member with 409, and deletes', async () => {
    const added = await g.directory.members.insert({ groupKey: 'engineering@example.com', requestBody: { email: 'katherine.johnson@example.com', role: 'MEMBER' } });
    expect(added.data).toMatchObject({ kind: 'admin#directory#member', email: 'katherine.johnson@example.com', role: 'MEMBER', type: 'USER', status: 'ACTIVE' });

    const listed = await g.directory.members.list({ groupKey: 'engineering@example.com' });
    expect(listed.data.members?.map((m) => `${m.email}:${m.role}`)).toEqual([
      'grace.hopper@example.com:OWNER',
      'ada.lovelace@example.com:MANAGER',
      'alan.turing@example.com:MEMBER',
      'katherine.johnson@example.com:MEMBER',
    ]);

    const dup = await googleError(g.directory.members.insert({ groupKey: 'engineering@example.com', requestBody: { email: 'katherine.johnson@example.com' } }));
    expect(dup).toMatchObject({ status: 409, error: { message: 'Member already exists.', errors: [{ reason: 'duplicate' }] } });

    expect((await g.directory.members.delete({ groupKey: 'engineering@example.com', memberKey: 'katherine.johnson@example.com' })).status).toBe(204);
    const has = await g.directory.members.hasMember({ groupKey: 'engineering@example.com', memberKey: 'katherine.johnson@example.com' });
    expect(has.data.isMember).toBe(false);
    const missing = await googleError(g.directory.members.get({ groupKey: 'engineering@example.com', memberKey: 'katherine.johnson@example.com' }));
    expect(missing).toMatchObject({ status: 404, error: { message: 'Resource Not Found: memberKey' } });
  });

  it('lists the groups a user is in with userKey', async () => {
    const groups = await g.directory.groups.list({ userKey: 'ada.lovelace@example.com' });
    expect(groups.data.groups?.map((x) => x.email)).toEqual(['all-staff@example.com', 'analytical-engine@example.com', 'engineering@example.com']);
    expect(groups.data.groups?.[0]).toMatchObject({ kind: 'admin#directory#group', directMembersCount: '5' });
  });

  it('inserts and gets a group, 409 on a taken address, 404 on an unknown one', async () => {
    const made = await g.directory.groups.insert({ requestBody: { email: 'leavers@example.com', name: 'Leavers' } });
    expect(made.data).toMatchObject({ email: 'leavers@example.com', name: 'Leavers', directMembersCount: '0' });
    expect((await g.directory.groups.get({ groupKey: made.data.id! })).data.email).toBe('leavers@example.com');
    expect((await googleError(g.directory.groups.insert({ requestBody: { email: 'ada.lovelace@example.com' } }))).status).toBe(409);
    expect(await googleError(g.directory.groups.get({ groupKey: 'nope@example.com' }))).toMatchObject({ status: 404, error: { message: 'Resource Not Found: groupKey' } });
  });
});

describe('Directory API org units', () => {
  it('gets, lists and inserts org units; a user may then move into the new one', async () => {
    const staff = await g.directory.orgunits.get({ customerId: 'my_customer', orgUnitPath: 'Staff' });
    expect(staff.data).toMatchObject({ kind: 'admin#directory#orgUnit', orgUnitPath: '/Staff', name: 'Staff', parentOrgUnitPath: '/' });
    const made = await g.directory.orgunits.insert({ customerId: 'my_customer', requestBody: { name: 'Contractors', parentOrgUnitPath: '/Staff' } });
    expect(made.data.orgUnitPath).toBe('/Staff/Contractors');
    const children = await g.directory.orgunits.list({ customerId: 'my_customer' });
    expect(children.data.organizationUnits?.map((o) => o.orgUnitPath)).toEqual(['/Staff', '/Offboarded']);
    const all = await g.directory.orgunits.list({ customerId: 'my_customer', type: 'all' });
    expect(all.data.organizationUnits).toHaveLength(3);
    await g.directory.users.patch({ userKey: 'alan.turing@example.com', requestBody: { orgUnitPath: '/Staff/Contractors' } });
    const inStaff = await g.directory.users.list({ customer: 'my_customer', query: "orgUnitPath='/Staff'" });
    expect(inStaff.data.users?.map((u) => u.primaryEmail)).toContain('alan.turing@example.com');
    expect(await googleError(g.directory.orgunits.get({ customerId: 'my_customer', orgUnitPath: 'Nowhere' }))).toMatchObject({ status: 404 });
  });
});

describe('Directory API mobile devices', () => {
  it('finds a user\'s device by query, wipes the account, and reads the new status back', async () => {
    const found = await g.directory.mobiledevices.list({ customerId: 'my_customer', query: 'email:ada.lovelace@example.com' });
    expect(found.data.mobiledevices).toHaveLength(1);
    const device = found.data.mobiledevices![0];
    expect(device).toMatchObject({ kind: 'admin#directory#mobiledevice', model: 'Pixel 8', status: 'APPROVED', email: ['ada.lovelace@example.com'] });

    const wipe = await g.directory.mobiledevices.action({
      customerId: 'my_customer',
      resourceId: device.resourceId!,
      requestBody: { action: 'admin_account_wipe' },
    });
    expect(wipe.status).toBe(204);
    const read = await g.directory.mobiledevices.get({ customerId: 'my_customer', resourceId: device.resourceId! });
    expect(read.data.status).toBe('ACCOUNT_WIPING');
    expect(g.emulator.device(g.sample.adaDeviceId)?.status).toBe('ACCOUNT_WIPING');

    const bad = await googleError(
      g.directory.mobiledevices.action({ customerId: 'my_customer', resourceId: device.resourceId!, requestBody: { action: 'explode' } }),
    );
    expect(bad.status).toBe(400);
    const none = await g.directory.mobiledevices.list({ customerId: 'my_customer', query: 'email:grace.hopper@example.com' });
    expect(none.data.mobiledevices).toBeUndefined();
    expect((await googleError(g.directory.mobiledevices.list({ customerId: 'C0other' }))).status).toBe(403);
  });
});
