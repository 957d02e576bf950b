import { googleError, startGoogle, type GoogleHarness } from './google-harness';

let g: GoogleHarness;
beforeEach(async () => {
  g = await startGoogle();
});
afterEach(() => g.stop());

const newUser = {
  primaryEmail: 'mary.jackson@example.com',
  name: { givenName: 'Mary', familyName: 'Jackson' },
  password: 'Wind-Tunnel-1951',
  orgUnitPath: '/Staff',
  changePasswordAtNextLogin: true,
};

describe('Directory API users through the real @googleapis/admin client', () => {
  it('creates, reads, refuses a duplicate, suspends, finds by query, deletes, then answers 404', async () => {
    const created = await g.directory.users.insert({ requestBody: newUser });
    expect(created.status).toBe(200);
    expect(created.data).toMatchObject({ kind: 'admin#directory#user', primaryEmail: 'mary.jackson@example.com', orgUnitPath: '/Staff', suspended: false });
    expect(created.data.id).toMatch(/^\d{21}$/);
    expect(created.data).not.toHaveProperty('password');

    const got = await g.directory.users.get({ userKey: created.data.id! });
    expect(got.data).toMatchObject({
      primaryEmail: 'mary.jackson@example.com',
      name: { givenName: 'Mary', familyName: 'Jackson', fullName: 'Mary Jackson' },
      changePasswordAtNextLogin: true,
      includeInGlobalAddressList: true,
      isEnrolledIn2Sv: false,
      isEnforcedIn2Sv: false,
      lastLoginTime: '1970-01-01T00:00:00.000Z',
    });
    expect(got.data.etag).toMatch(/^".+"$/);

    const dup = await googleError(g.directory.users.insert({ requestBody: newUser }));
    expect(dup).toMatchObject({
      status: 409,
      error: { code: 409, message: 'Entity already exists.', status: 'ALREADY_EXISTS', errors: [{ reason: 'duplicate', domain: 'global' }] },
    });

    const patched = await g.directory.users.patch({ userKey: 'mary.jackson@example.com', requestBody: { suspended: true } });
    expect(patched.data).toMatchObject({ suspended: true, suspensionReason: 'ADMIN', orgUnitPath: '/Staff' });

    const found = await g.directory.users.list({ customer: 'my_customer', query: 'email:mary.jackson@example.com' });
    expect(found.data.users?.map((u) => [u.primaryEmail, u.suspended])).toEqual([['mary.jackson@example.com', true]]);
    const suspendedInStaff = await g.directory.users.list({ customer: 'my_customer', query: 'orgUnitPath=/Staff isSuspended=true' });
    expect(suspendedInStaff.data.users?.map((u) => u.primaryEmail)).toEqual(['mary.jackson@example.com']);

    const deleted = await g.directory.users.delete({ userKey: 'mary.jackson@example.com' });
    expect(deleted.status).toBe(204);
    const gone = await googleError(g.directory.users.get({ userKey: 'mary.jackson@example.com' }));
    expect(gone).toMatchObject({ status: 404, error: { message: 'Resource Not Found: userKey', status: 'NOT_FOUND', errors: [{ reason: 'notFound' }] } });
  });

  it('keeps only a SHA-256 of the password and never returns it', async () => {
    await g.directory.users.insert({ requestBody: newUser });
    const record = g.emulator.user('mary.jackson@example.com');
    expect(record?.passwordSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(g.emulator.toJSON())).not.toContain('Wind-Tunnel-1951');
    const listed = await g.directory.users.list({ domain: 'example.com', query: 'email:mary*', projection: 'full' });
    expect(JSON.stringify(listed.data)).not.toContain('password');
  });

  it('refuses an orgUnitPath that names no org unit', async () => {
    const err = await googleError(g.directory.users.insert({ requestBody: { ...newUser, orgUnitPath: '/Nowhere' } }));
    expect(err).toMatchObject({ status: 400, error: { message: 'Invalid Input: INVALID_OU_ID', errors: [{ reason: 'invalid' }] } });
    const move = await googleError(g.directory.users.update({ userKey: 'ada.lovelace@example.com', requestBody: { orgUnitPath: '/Gone' } }));
    expect(move.status).toBe(400);
    expect(g.emulator.user('ada.lovelace@example.com')?.orgUnitPath).toBe('/Staff');
  });

  it('returns customSchemas only with projection full, as Google does', async () => {
    const basic = await g.directory.users.get({ userKey: 'ada.lovelace@example.com' });
    expect(basic.data.customSchemas).toBeUndefined();
    const full = await g.directory.users.get({ userKey: 'ada.lovelace@example.com', projection: 'full' });
    expect(full.data.customSchemas).toEqual({ Employment: { employeeId: 'E1001', costCenter: 'R&D' } });
    expect(full.data.relations).toEqual([{ type: 'manager', value: 'grace.hopper@example.com' }]);
  });

  it('pages users with maxResults and nextPageToken', async () => {
    const first = await g.directory.users.list({ customer: 'my_customer', maxResults: 4 });
    expect(first.data.users).toHaveLength(4);
    expect(first.data.nextPageToken).toBeTruthy();
    const second = await g.directory.users.list({ customer: 'my_customer', maxResults: 4, pageToken: first.data.nextPageToken! });
    expect(second.data.users?.map((u) => u.primaryEmail)).toEqual(['grace.hopper@example.com', 'katherine.johnson@example.com']);
    expect(second.data.nextPageToken).toBeUndefined();
    expect((await googleError(g.directory.users.list({}))).status).toBe(400);
  });

  it('records a sign-out time that reads back on the user', async () => {
    const at = await g.directory.users.signOut({ userKey: 'ada.lovelace@example.com' });
    expect(at.status).toBe(204);
    const ada = g.emulator.user('ada.lovelace@example.com');
    expect(Date.parse(ada?.lastSignOutAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    const read = await g.directory.users.get({ userKey: 'ada.lovelace@example.com' });
    expect((read.data as { lastSignOutAt?: string }).lastSignOutAt).toBe(ada?.lastSignOutAt);
  });

  it('answers 401 in Google\'s shape when the Authorization header is missing', async () => {
    const res = await fetch(`${g.rootUrl}admin/directory/v1/users/ada.lovelace@example.com`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED', errors: [{ reason: 'required', location: 'Authorization' }] } });
  });
});

describe('Directory API user credentials', () => {
  const ada = 'ada.lovelace@example.com';

  it('lists and revokes OAuth tokens', async () => {
    const tokens = await g.directory.tokens.list({ userKey: ada });
    expect(tokens.data.kind).toBe('admin#directory#tokenList');
    expect(tokens.data.items?.map((t) => t.displayText)).toEqual(['Slack', 'Zoom']);
    const slack = tokens.data.items![0].clientId!;
    expect((await g.directory.tokens.delete({ userKey: ada, clientId: slack })).status).toBe(204);
    expect(g.emulator.tokensOf(ada)).toEqual(['9876543210-zoom.apps.googleusercontent.com']);
    expect((await googleError(g.directory.tokens.delete({ userKey: ada, clientId: slack }))).status).toBe(404);
    // An empty list omits items, as Google does.
    const grace = await g.directory.tokens.list({ userKey: 'grace.hopper@example.com' });
    expect(grace.data.items).toBeUndefined();
  });

  it('lists and deletes app-specific passwords', async () => {
    const asps = await g.directory.asps.list({ userKey: ada });
    expect(asps.data.items).toEqual([expect.objectContaining({ kind: 'admin#directory#asp', name: 'Thunderbird on laptop' })]);
    const codeId = asps.data.items![0].codeId!;
    expect((await g.directory.asps.delete({ userKey: ada, codeId })).status).toBe(204);
    expect(g.emulator.aspsOf(ada)).toEqual([]);
  });

  it('invalidates backup verification codes', async () => {
    const codes = await g.directory.verificationCodes.list({ userKey: ada });
    expect(codes.data.items).toHaveLength(10);
    expect(codes.data.items![0].verificationCode).toMatch(/^\d{8}$/);
    await g.directory.verificationCodes.invalidate({ userKey: ada });
    const after = await g.directory.verificationCodes.list({ userKey: ada });
    expect(after.data.items).toBeUndefined();
    expect(g.emulator.verificationCodesOf(ada)).toEqual([]);
  });

  it('turns 2-Step Verification off', async () => {
    expect(g.emulator.user(ada)?.isEnrolledIn2Sv).toBe(true);
    expect((await g.directory.twoStepVerification.turnOff({ userKey: ada })).status).toBe(204);
    const read = await g.directory.users.get({ userKey: ada });
    expect(read.data.isEnrolledIn2Sv).toBe(false);
  });
});

describe('a user Google is still creating after users.insert', () => {
  let now = Date.parse('2026-12-01T09:00:00Z');
  let h: GoogleHarness;
  beforeEach(async () => {
    now = Date.parse('2026-12-01T09:00:00Z');
    h = await startGoogle({ now: () => now });
    h.emulator.setCreationDelay(20_000);
  });
  afterEach(() => h.stop());

  it('refuses writes naming it with 412 "User creation is not complete." until the window passes, and reads it at once', async () => {
    const created = await h.directory.users.insert({ requestBody: newUser });
    expect((await h.directory.users.get({ userKey: created.data.id! })).data.primaryEmail).toBe('mary.jackson@example.com');
    for (const write of [
      h.directory.users.patch({ userKey: 'mary.jackson@example.com', requestBody: { orgUnitPath: '/' } }),
      h.directory.users.update({ userKey: 'mary.jackson@example.com', requestBody: { customSchemas: { Employment: { costCenter: 'R&D' } } } }),
      h.directory.users.delete({ userKey: 'mary.jackson@example.com' }),
    ]) {
      expect(await googleError(write)).toMatchObject({ status: 412, error: { message: 'User creation is not complete.', errors: [{ reason: 'conditionNotMet' }] } });
    }
    now += 20_000;
    const patched = await h.directory.users.patch({ userKey: 'mary.jackson@example.com', requestBody: { orgUnitPath: '/' } });
    expect(patched.data.orgUnitPath).toBe('/');
  });

  it('answers members.insert of it with 404 naming memberKey, and a missing group with 404 naming groupKey', async () => {
    await h.directory.users.insert({ requestBody: newUser });
    const early = await googleError(h.directory.members.insert({ groupKey: 'engineering@example.com', requestBody: { email: 'mary.jackson@example.com', role: 'MEMBER' } }));
    expect(early).toMatchObject({ status: 404, error: { message: 'Resource Not Found: memberKey', errors: [{ reason: 'notFound' }] } });
    const noGroup = await googleError(h.directory.members.insert({ groupKey: 'no-such-team@example.com', requestBody: { email: 'mary.jackson@example.com', role: 'MEMBER' } }));
    expect(noGroup).toMatchObject({ status: 404, error: { message: 'Resource Not Found: groupKey' } });
    expect(h.emulator.groupsOf('mary.jackson@example.com')).toEqual([]);
    now += 20_000;
    await h.directory.members.insert({ groupKey: 'engineering@example.com', requestBody: { email: 'mary.jackson@example.com', role: 'MEMBER' } });
    expect(h.emulator.groupsOf('mary.jackson@example.com')).toEqual(['engineering@example.com']);
  });

  it('is switched by POST /_emulator/google/creation-delay, which refuses a bad value naming ms', async () => {
    const post = (body: unknown) => fetch(`${h.rootUrl}_emulator/google/creation-delay`, { method: 'POST', body: JSON.stringify(body) });
    const bad = await post({ ms: -1 });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/ms/);
    expect((await post({ ms: 0 })).status).toBe(200);
    await h.directory.users.insert({ requestBody: newUser });
    await h.directory.users.patch({ userKey: 'mary.jackson@example.com', requestBody: { orgUnitPath: '/' } });
  });

  it('does not hold back users made before the window was switched on, nor any user when it is off (the default)', async () => {
    await h.directory.users.patch({ userKey: 'ada.lovelace@example.com', requestBody: { orgUnitPath: '/' } });
    h.emulator.setCreationDelay(0);
    await h.directory.users.insert({ requestBody: newUser });
    await h.directory.users.patch({ userKey: 'mary.jackson@example.com', requestBody: { orgUnitPath: '/' } });
    expect(h.emulator.user('mary.jackson@example.com')?.orgUnitPath).toBe('/');
  });
});

describe('users.patch cannot clear repeated fields; users.update can', () => {
  const roles = [{ type: 'work', value: 'arn:aws:iam::1:role/Dev' }, { type: 'work', value: 'arn:aws:iam::1:role/Ops' }];
  beforeEach(() => {
    g.emulator.seedUser({
      email: 'mary.jackson@example.com',
      givenName: 'Mary',
      familyName: 'Jackson',
      customSchemas: { Employment: { costCenter: 'R&D', awsRoles: roles } },
    });
  });
  const full = async () => (await g.directory.users.get({ userKey: 'mary.jackson@example.com', projection: 'full' })).data;

  it('answers 200 to a patch nulling phones or a multi-valued custom field, and keeps them', async () => {
    await g.directory.users.update({ userKey: 'mary.jackson@example.com', requestBody: { phones: [{ type: 'work', value: '+1 555 0100' }] } });
    const patched = await g.directory.users.patch({
      userKey: 'mary.jackson@example.com',
      requestBody: { phones: null, customSchemas: { Employment: { awsRoles: null, costCenter: null } } } as never,
    });
    expect(patched.status).toBe(200);
    const after = await full();
    expect(after.phones).toEqual([{ type: 'work', value: '+1 555 0100' }]);
    // The single-valued field is cleared; the multi-valued one is not.
    expect(after.customSchemas).toEqual({ Employment: { awsRoles: roles } });
    await g.directory.users.patch({ userKey: 'mary.jackson@example.com', requestBody: { customSchemas: { Employment: { awsRoles: [] } } } });
    expect((await full()).customSchemas).toEqual({ Employment: { awsRoles: roles } });
  });

  it('clears them with users.update, keeping what the body leaves out', async () => {
    await g.directory.users.update({
      userKey: 'mary.jackson@example.com',
      requestBody: { customSchemas: { Employment: { costCenter: 'R&D', awsRoles: null } } } as never,
    });
    const after = await full();
    expect(after.customSchemas).toEqual({ Employment: { costCenter: 'R&D' } });
    expect(after.name?.givenName).toBe('Mary');
  });

  it('users.update replaces a multi-valued field it is given whole and keeps a field of the same schema it is not given', async () => {
    const one = [{ type: 'work', value: 'arn:aws:iam::1:role/Admin' }];
    await g.directory.users.update({ userKey: 'mary.jackson@example.com', requestBody: { customSchemas: { Employment: { awsRoles: one } } } });
    expect((await full()).customSchemas).toEqual({ Employment: { costCenter: 'R&D', awsRoles: one } });
  });
});
