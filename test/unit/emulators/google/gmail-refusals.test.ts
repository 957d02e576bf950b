/** What real Google refuses on Gmail settings and backup codes, and the emulator with it (docs/google-refusals.md, "Gmail"). */
import { GOOGLE_WORKSPACE_PRODUCT_ID, SKU_BUSINESS_STARTER } from '../../../../local/emulators/google/catalog';
import { GoogleWorkspaceEmulator } from '../../../../local/emulators/google';
import { googleError, startGoogle, type GoogleHarness } from './google-harness';

let g: GoogleHarness;
beforeEach(async () => {
  g = await startGoogle();
});
afterEach(() => g.stop());

const ada = 'ada.lovelace@example.com';
const grace = 'grace.hopper@example.com';

/** Seeds licensed users who each delegate their mailbox to the delegate given. */
function mailboxesDelegatingTo(delegate: string, count: number, prefix = 'report'): string[] {
  return g.emulator.batch(() =>
    Array.from({ length: count }, (_, i) => {
      const email = `${prefix}${i + 1}@example.com`;
      g.emulator.seedUser({ email, givenName: 'Report', familyName: String(i + 1), license: true });
      g.emulator.seedDelegate(email, delegate);
      return email;
    }),
  );
}

describe('Gmail delegate limits', () => {
  it('refuses to make a user delegate of an 11th mailbox: 400 failedPrecondition', async () => {
    mailboxesDelegatingTo(grace, 10);
    const err = await googleError(g.gmail.users.settings.delegates.create({ userId: ada, requestBody: { delegateEmail: grace } }));
    expect(err).toMatchObject({ status: 400, error: { message: 'Delegate user cannot have any more delegators', errors: [{ reason: 'failedPrecondition' }] } });
    expect(g.emulator.gmail(ada).delegates.map((d) => d.delegateEmail)).toEqual(['alan.turing@example.com']);
  });

  it('takes the delegate again once one of its mailboxes drops it', async () => {
    const [first] = mailboxesDelegatingTo(grace, 10);
    await g.gmail.users.settings.delegates.delete({ userId: first, delegateEmail: grace });
    expect((await g.gmail.users.settings.delegates.create({ userId: ada, requestBody: { delegateEmail: grace } })).data.delegateEmail).toBe(grace);
    expect(g.emulator.delegatorsOf(grace)).toHaveLength(10);
  });

  it('refuses an 11th delegate of one mailbox with Google\'s words (GAM #1180)', async () => {
    const delegates = g.emulator.batch(() =>
      Array.from({ length: 10 }, (_, i) => g.emulator.seedUser({ email: `helper${i + 1}@example.com`, givenName: 'Helper', familyName: String(i + 1), license: true }).primaryEmail),
    );
    for (const d of delegates.slice(1)) g.emulator.seedDelegate(ada, d);
    const err = await googleError(g.gmail.users.settings.delegates.create({ userId: ada, requestBody: { delegateEmail: delegates[0] } }));
    expect(err).toMatchObject({ status: 400, error: { message: 'Delegator user cannot have any more delegates', errors: [{ reason: 'failedPrecondition' }] } });
  });

  it('takes the limits a test sets', async () => {
    g.emulator.setDelegateLimits({ delegatorsPerUser: 1 });
    mailboxesDelegatingTo(grace, 1);
    expect((await googleError(g.gmail.users.settings.delegates.create({ userId: ada, requestBody: { delegateEmail: grace } }))).status).toBe(400);
    g.emulator.setDelegateLimits({ delegatorsPerUser: 2 });
    expect((await g.gmail.users.settings.delegates.create({ userId: ada, requestBody: { delegateEmail: grace } })).status).toBe(200);
  });

  it('refuses a delegate named by an alias: delegates are primary addresses', async () => {
    // A rename keeps the old address as an alias.
    await g.directory.users.patch({ userKey: grace, requestBody: { primaryEmail: 'grace@example.com' } });
    expect(g.emulator.user('grace@example.com')?.aliases).toContain(grace);
    const err = await googleError(g.gmail.users.settings.delegates.create({ userId: ada, requestBody: { delegateEmail: grace } }));
    expect(err).toMatchObject({ status: 400, error: { message: 'Invalid delegate' } });
  });
});

describe('Gmail on a mailbox with no Gmail license', () => {
  it('answers 400 failedPrecondition "Mail service not enabled" to a user holding no Google Workspace license', async () => {
    g.emulator.seedUser({ email: 'contractor@example.com', givenName: 'No', familyName: 'License' });
    const err = await googleError(g.gmail.users.settings.getVacation({ userId: 'contractor@example.com' }));
    expect(err).toMatchObject({ status: 400, error: { message: 'Mail service not enabled', status: 'FAILED_PRECONDITION', errors: [{ reason: 'failedPrecondition' }] } });
  });

  it('answers again once the license is back', async () => {
    await g.licensing('DELETE', `product/${GOOGLE_WORKSPACE_PRODUCT_ID}/sku/1010020028/user/${ada}`);
    expect((await googleError(g.gmail.users.settings.delegates.list({ userId: ada }))).error.message).toBe('Mail service not enabled');
    g.emulator.setSkuSeats(GOOGLE_WORKSPACE_PRODUCT_ID, SKU_BUSINESS_STARTER, 10);
    await g.licensing('POST', `product/${GOOGLE_WORKSPACE_PRODUCT_ID}/sku/${SKU_BUSINESS_STARTER}/user`, { userId: ada });
    expect((await g.gmail.users.settings.delegates.list({ userId: ada })).status).toBe(200);
  });

  it('gives a seeded user a seat of the default SKU when the test asks, as a real tenant licenses its mailboxes', async () => {
    g.emulator.seedUser({ email: 'new.hire@example.com', givenName: 'New', familyName: 'Hire', license: true });
    expect(g.emulator.licensesOf('new.hire@example.com')).toEqual([{ productId: GOOGLE_WORKSPACE_PRODUCT_ID, skuId: SKU_BUSINESS_STARTER }]);
    expect((await g.gmail.users.settings.getVacation({ userId: 'new.hire@example.com' })).data.enableAutoReply).toBe(false);
  });
});

describe('backup codes of a suspended user', () => {
  it('refuses to invalidate them: 400 "Invalid Input", and keeps them', async () => {
    await g.directory.users.patch({ userKey: ada, requestBody: { suspended: true } });
    const err = await googleError(g.directory.verificationCodes.invalidate({ userKey: ada }));
    expect(err).toMatchObject({ status: 400, error: { message: 'Invalid Input', errors: [{ reason: 'invalid' }] } });
    expect(g.emulator.verificationCodesOf(ada)).toHaveLength(10);
  });

  it('refuses to generate them', async () => {
    await g.directory.users.patch({ userKey: ada, requestBody: { suspended: true } });
    expect((await googleError(g.directory.verificationCodes.generate({ userKey: ada }))).error.message).toBe('Invalid Input');
  });
});

describe('domain aliases', () => {
  it('accepts a forwarding address on a domain alias at once, as on the primary domain', async () => {
    g.emulator.addDomainAlias('example.org');
    const made = await g.gmail.users.settings.forwardingAddresses.create({ userId: ada, requestBody: { forwardingEmail: 'grace.hopper@example.org' } });
    expect(made.data.verificationStatus).toBe('accepted');
    const outside = await g.gmail.users.settings.forwardingAddresses.create({ userId: ada, requestBody: { forwardingEmail: 'ada@analytical.org' } });
    expect(outside.data.verificationStatus).toBe('pending');
  });

  it('lists the aliases in Google\'s shape and gives each user their address there', async () => {
    expect((await g.directory.domainAliases.list({ customer: 'my_customer' })).data.domainAliases).toBeUndefined();
    g.emulator.addDomainAlias('example.org');
    const list = await g.directory.domainAliases.list({ customer: 'my_customer' });
    expect(list.data).toMatchObject({ kind: 'admin#directory#domainAliases', domainAliases: [{ kind: 'admin#directory#domainAlias', domainAliasName: 'example.org', parentDomainName: 'example.com', verified: true }] });
    expect(typeof list.data.domainAliases?.[0].creationTime).toBe('string');
    expect((await g.directory.domainAliases.get({ customer: 'my_customer', domainAliasName: 'example.org' })).data.domainAliasName).toBe('example.org');
    expect((await googleError(g.directory.domainAliases.get({ customer: 'my_customer', domainAliasName: 'example.net' }))).status).toBe(404);
    expect((await g.directory.users.get({ userKey: ada })).data.nonEditableAliases).toEqual(['ada.lovelace@example.org']);
  });

  it('loads a state saved before domain aliases and delegate limits with none and Google\'s limits', () => {
    const saved = g.emulator.toJSON() as unknown as Record<string, unknown>;
    delete saved.domainAliases;
    const loaded = GoogleWorkspaceEmulator.fromJSON(saved);
    expect(loaded.toJSON().domainAliases).toEqual([]);
    expect(loaded.toJSON().settings.delegateLimits).toBeUndefined();
  });
});

describe('the control routes for a person trying the system locally', () => {
  it('sets the delegate limits, refusing a value that is no whole number', async () => {
    const post = (body: unknown) => fetch(`${g.server.url}/_emulator/google/delegate-limits`, { method: 'POST', body: JSON.stringify(body) });
    const set = await post({ delegatorsPerUser: 3 });
    expect(await set.json()).toEqual({ delegatesPerMailbox: 10, delegatorsPerUser: 3 });
    const bad = await post({ delegatesPerMailbox: 'many' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'delegatesPerMailbox must be a whole number, 0 or more' });
    expect(g.emulator.toJSON().settings.delegateLimits).toEqual({ delegatesPerMailbox: 10, delegatorsPerUser: 3 });
  });

  it('adds a domain alias, refusing one without a name or already there', async () => {
    const post = (body: unknown) => fetch(`${g.server.url}/_emulator/google/domain-aliases`, { method: 'POST', body: JSON.stringify(body) });
    expect((await post({ domainAliasName: 'example.org' })).status).toBe(200);
    expect((await post({})).status).toBe(400);
    expect((await post({ domainAliasName: 'example.org' })).status).toBe(400);
    expect(g.emulator.toJSON().domainAliases?.map((a) => a.domainAliasName)).toEqual(['example.org']);
  });
});
