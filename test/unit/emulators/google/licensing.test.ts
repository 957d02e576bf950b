import { GOOGLE_WORKSPACE_PRODUCT_ID as PRODUCT, SKU_BUSINESS_STANDARD as STANDARD, SKU_BUSINESS_STARTER as STARTER } from '../../../../local/emulators/google';
import { googleError, startGoogle, type GoogleHarness } from './google-harness';

let g: GoogleHarness;
beforeEach(async () => {
  g = await startGoogle();
});
afterEach(() => g.stop());

interface License {
  kind: string;
  userId: string;
  productId: string;
  skuId: string;
  skuName: string;
}

const newUser = (email: string) => ({ primaryEmail: email, name: { givenName: 'New', familyName: 'Joiner' }, password: 'Joiner-Passw0rd', orgUnitPath: '/Staff' });

describe('Enterprise License Manager through google-auth-library requests', () => {
  it('assigns, reads and revokes a license; 404 once it is gone', async () => {
    await g.directory.users.insert({ requestBody: newUser('mary.jackson@example.com') });
    const assigned = await g.licensing<License>('POST', `product/${PRODUCT}/sku/${STARTER}/user`, { userId: 'mary.jackson@example.com' });
    expect(assigned).toMatchObject({
      kind: 'licensing#licenseAssignment',
      userId: 'mary.jackson@example.com',
      productId: 'Google-Apps',
      skuId: '1010020027',
      skuName: 'Google Workspace Business Starter',
    });
    expect(g.emulator.seats(PRODUCT, STARTER)).toEqual({ total: 5, used: 5 });

    const read = await g.licensing<License>('GET', `product/${PRODUCT}/sku/${STARTER}/user/mary.jackson@example.com`);
    expect(read.skuId).toBe(STARTER);

    const again = await googleError(g.licensing('POST', `product/${PRODUCT}/sku/${STARTER}/user`, { userId: 'mary.jackson@example.com' }));
    expect(again).toMatchObject({
      status: 412,
      error: { message: 'User already has a license for the specified product and SKU', errors: [{ reason: 'conditionNotMet' }] },
    });

    await g.licensing('DELETE', `product/${PRODUCT}/sku/${STARTER}/user/mary.jackson@example.com`);
    expect(g.emulator.licensesOf('mary.jackson@example.com')).toEqual([]);
    const gone = await googleError(g.licensing('GET', `product/${PRODUCT}/sku/${STARTER}/user/mary.jackson@example.com`));
    expect(gone).toMatchObject({ status: 404, error: { status: 'NOT_FOUND', errors: [{ reason: 'notFound' }] } });
    expect((await googleError(g.licensing('DELETE', `product/${PRODUCT}/sku/${STARTER}/user/mary.jackson@example.com`))).status).toBe(404);
  });

  it('answers 412 when the SKU has no free seat', async () => {
    // The sample's Business Standard has 2 seats, both taken by Ada and Grace.
    await g.directory.users.insert({ requestBody: newUser('mary.jackson@example.com') });
    const full = await googleError(g.licensing('POST', `product/${PRODUCT}/sku/${STANDARD}/user`, { userId: 'mary.jackson@example.com' }));
    expect(full).toMatchObject({
      status: 412,
      error: { message: "There aren't enough available licenses for the specified product-SKU pair", errors: [{ reason: 'conditionNotMet' }] },
    });
    // Revoking a leaver's seat frees it for the joiner.
    await g.licensing('DELETE', `product/${PRODUCT}/sku/${STANDARD}/user/ada.lovelace@example.com`);
    const ok = await g.licensing<License>('POST', `product/${PRODUCT}/sku/${STANDARD}/user`, { userId: 'mary.jackson@example.com' });
    expect(ok.skuId).toBe(STANDARD);
    expect(g.emulator.seats(PRODUCT, STANDARD)).toEqual({ total: 2, used: 2 });
  });

  it('refuses a second SKU of the same product and reassigns with PATCH', async () => {
    const other = await googleError(g.licensing('POST', `product/${PRODUCT}/sku/${STARTER}/user`, { userId: 'ada.lovelace@example.com' }));
    expect(other.status).toBe(412);
    expect(other.error.message).toContain('use the "update" operation');
    g.emulator.setSkuSeats(PRODUCT, STARTER, 6);
    const moved = await g.licensing<License>('PATCH', `product/${PRODUCT}/sku/${STANDARD}/user/ada.lovelace@example.com`, { skuId: STARTER });
    expect(moved.skuId).toBe(STARTER);
    expect(g.emulator.licensesOf('ada.lovelace@example.com')).toEqual([{ productId: PRODUCT, skuId: STARTER }]);
  });

  it('lists assignments per SKU and per product with paging; customerId is required', async () => {
    const page1 = await g.licensing<{ kind: string; items: License[]; nextPageToken?: string }>(
      'GET',
      `product/${PRODUCT}/sku/${STARTER}/users?customerId=example.com&maxResults=3`,
    );
    expect(page1.kind).toBe('licensing#licenseAssignmentList');
    expect(page1.items.map((l) => l.userId)).toEqual(['admin@example.com', 'alan.turing@example.com', 'charles.babbage@example.com']);
    const page2 = await g.licensing<{ items: License[]; nextPageToken?: string }>(
      'GET',
      `product/${PRODUCT}/sku/${STARTER}/users?customerId=example.com&maxResults=3&pageToken=${page1.nextPageToken}`,
    );
    expect(page2.items.map((l) => l.userId)).toEqual(['katherine.johnson@example.com']);
    const all = await g.licensing<{ items: License[] }>('GET', `product/${PRODUCT}/users?customerId=${g.sample.customerId}`);
    expect(all.items).toHaveLength(6);
    expect((await googleError(g.licensing('GET', `product/${PRODUCT}/users`))).status).toBe(400);
  });

  it('gives a new user a seat automatically when automatic licensing is on', async () => {
    g.emulator.setAutoLicense({ productId: PRODUCT, skuId: STARTER });
    await g.directory.users.insert({ requestBody: newUser('mary.jackson@example.com') });
    expect(g.emulator.licensesOf('mary.jackson@example.com')).toEqual([{ productId: PRODUCT, skuId: STARTER }]);
  });
});

describe('automatic licensing per org unit', () => {
  const revoke = (email: string) => g.licensing('DELETE', `product/${PRODUCT}/sku/${STARTER}/user/${email}`);

  it('refuses to revoke a license while automatic licensing of its product covers the user\'s org unit by inheritance', async () => {
    g.emulator.setAutoLicensing('/', PRODUCT, { skuId: STARTER });
    // Alan is in /Staff, which inherits the root's setting.
    const refused = await googleError(revoke('alan.turing@example.com'));
    expect(refused).toMatchObject({
      status: 412,
      error: { code: 412, message: 'Auto License un-assignment is not allowed.', status: 'FAILED_PRECONDITION', errors: [{ reason: 'conditionNotMet', domain: 'global' }] },
    });
    expect(g.emulator.licensesOf('alan.turing@example.com')).toEqual([{ productId: PRODUCT, skuId: STARTER }]);
  });

  it('lets a license go in an org unit where automatic licensing is turned off below a parent that has it on', async () => {
    g.emulator.setAutoLicensing('/', PRODUCT, { skuId: STARTER });
    g.emulator.setAutoLicensing('/Offboarded', PRODUCT, 'off');
    await g.directory.users.patch({ userKey: 'alan.turing@example.com', requestBody: { orgUnitPath: '/Offboarded' } });
    await revoke('alan.turing@example.com');
    expect(g.emulator.licensesOf('alan.turing@example.com')).toEqual([]);
    // Dropping the child's own setting brings the parent's back.
    g.emulator.setAutoLicensing('/Offboarded', PRODUCT, 'inherit');
    expect((await googleError(revoke('charles.babbage@example.com'))).status).toBe(412);
  });

  it('covers only the org unit it is set on and those below it, and only its product', async () => {
    g.emulator.setAutoLicensing('/Staff', PRODUCT, { skuId: STARTER });
    expect((await googleError(revoke('alan.turing@example.com'))).error.message).toBe('Auto License un-assignment is not allowed.');
    // The admin sits in /, above the setting.
    await revoke('admin@example.com');
    g.emulator.setAutoLicensing('/', 'Google-Vault', { skuId: 'Google-Vault-Former-Employee' });
    await revoke('charles.babbage@example.com');
  });

  it('gives a new user the SKU set for its own org unit, and none where it is turned off', async () => {
    g.emulator.setAutoLicensing('/', PRODUCT, { skuId: STARTER });
    g.emulator.setAutoLicensing('/Offboarded', PRODUCT, 'off');
    await g.directory.users.insert({ requestBody: newUser('mary.jackson@example.com') });
    await g.directory.users.insert({ requestBody: { ...newUser('dorothy.vaughan@example.com'), orgUnitPath: '/Offboarded' } });
    expect(g.emulator.licensesOf('mary.jackson@example.com')).toEqual([{ productId: PRODUCT, skuId: STARTER }]);
    expect(g.emulator.licensesOf('dorothy.vaughan@example.com')).toEqual([]);
  });

  it('loads a saved tenant whose automatic licensing was one tenant-wide SKU as that SKU on the root', async () => {
    const saved = g.emulator.toJSON();
    delete saved.settings.autoLicensing;
    saved.settings.autoLicense = { productId: PRODUCT, skuId: STARTER };
    const { GoogleWorkspaceEmulator } = await import('../../../../local/emulators/google');
    const loaded = GoogleWorkspaceEmulator.fromJSON(saved);
    expect(loaded.toJSON().settings).toMatchObject({ autoLicensing: [{ productId: PRODUCT, orgUnitPath: '/', skuId: STARTER }] });
    expect(loaded.toJSON().settings.autoLicense).toBeUndefined();
  });
});

describe('the customer id License Manager takes', () => {
  it('refuses the my_customer alias on the list calls and takes the real id that customers.get returns', async () => {
    const refused = await googleError(g.licensing('GET', `product/${PRODUCT}/sku/${STARTER}/users?customerId=my_customer`));
    expect(refused).toMatchObject({ status: 400, error: { message: 'Invalid customerId: my_customer', errors: [{ reason: 'invalid' }] } });
    expect((await googleError(g.licensing('GET', `product/${PRODUCT}/users?customerId=my_customer`))).status).toBe(400);

    const customer = (await g.directory.customers.get({ customerKey: 'my_customer' })).data;
    expect(customer).toMatchObject({ kind: 'admin#directory#customer', id: g.sample.customerId, customerDomain: 'example.com' });
    expect(customer.id).toMatch(/^C0/);
    expect(customer.etag).toEqual(expect.any(String));
    const listed = await g.licensing<{ items: License[] }>('GET', `product/${PRODUCT}/users?customerId=${customer.id}`);
    expect(listed.items).toHaveLength(6);
    expect((await g.directory.customers.get({ customerKey: customer.id! })).data.id).toBe(customer.id);
    expect((await googleError(g.directory.customers.get({ customerKey: 'C0another' }))).status).toBe(403);
  });
});

describe('POST /_emulator/google/seats', () => {
  const post = (body: unknown) => fetch(`${g.server.url}/_emulator/google/seats`, { method: 'POST', body: JSON.stringify(body) });

  it("sets a SKU's seats, so a hire the sample's taken seats would refuse gets its license", async () => {
    expect(g.emulator.seats(PRODUCT, STANDARD)).toEqual({ total: 2, used: 2 });
    await g.directory.users.insert({ requestBody: newUser('mary.jackson@example.com') });
    expect((await googleError(g.licensing('POST', `product/${PRODUCT}/sku/${STANDARD}/user`, { userId: 'mary.jackson@example.com' }))).status).toBe(412);
    const res = await post({ skuId: STANDARD, seats: 3 });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ total: 3, used: 2 });
    await g.licensing('POST', `product/${PRODUCT}/sku/${STANDARD}/user`, { userId: 'mary.jackson@example.com' });
    expect(g.emulator.seats(PRODUCT, STANDARD)).toEqual({ total: 3, used: 3 });
  });

  it('refuses a bad body naming the field, and changes nothing', async () => {
    for (const [body, field] of [[{ seats: 3 }, 'skuId'], [{ skuId: STANDARD, seats: -1 }, 'seats'], [{ skuId: STANDARD, seats: 1.5 }, 'seats'], [{ productId: 7, skuId: STANDARD, seats: 3 }, 'productId']] as const) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(new RegExp(`^${field}`));
    }
    expect(g.emulator.seats(PRODUCT, STANDARD)).toEqual({ total: 2, used: 2 });
  });
});
