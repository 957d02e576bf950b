import { DRIVE_AND_DOCS_APPLICATION_ID, GoogleWorkspaceEmulator, seedSample } from '../../../../local/emulators/google';
import { eventually, googleError, startGoogle, type GoogleHarness } from './google-harness';

let g: GoogleHarness;
beforeEach(async () => {
  g = await startGoogle();
  g.emulator.setTransferBehaviour({ delayMs: 20 });
});
afterEach(() => g.stop());

const MINE = "'me' in owners and trashed = false";

/** Every file id the user sees for a query, page by page, with the page sizes. */
async function listAll(email: string, q = MINE, pageSize?: number): Promise<{ ids: string[]; pages: number[] }> {
  const drive = g.driveAs(email);
  const ids: string[] = [];
  const pages: number[] = [];
  let pageToken: string | undefined;
  do {
    const res = await drive.files.list({ q, pageSize, pageToken, fields: 'nextPageToken, files(id)' });
    ids.push(...(res.data.files ?? []).map((f) => f.id!));
    pages.push(res.data.files?.length ?? 0);
    pageToken = res.data.nextPageToken ?? undefined;
  } while (pageToken);
  return { ids, pages };
}

/** The OAuth error a refused impersonation gives the client: status and body. */
async function refusal(call: Promise<unknown>): Promise<{ status: number; data: unknown }> {
  try {
    await call;
  } catch (err) {
    const response = (err as { response?: { status: number; data: unknown } }).response;
    if (response) return { status: response.status, data: response.data };
    throw err;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

describe('Drive API files.list through the real @googleapis/drive client', () => {
  it("lists the impersonated user's own files in Google's shape", async () => {
    const { ada } = g.sample.users;
    const res = await g.driveAs(ada.email).files.list({ q: MINE, pageSize: 1000 });
    expect(res.data).toMatchObject({ kind: 'drive#fileList', incompleteSearch: false });
    expect(res.data.nextPageToken).toBeUndefined();
    expect(res.data.files).toHaveLength(42 + 7);
    for (const file of res.data.files ?? []) {
      expect(file).toEqual({ kind: 'drive#file', id: expect.stringMatching(/^1[A-Za-z0-9_-]{32}$/), name: expect.any(String), mimeType: expect.stringMatching(/\//) });
    }
    expect(res.data.files?.map((f) => f.id).sort()).toEqual(g.emulator.driveFilesOf(ada.email).sort());
  });

  it("answers 'me' and the user's own address alike, and lists no one else's files", async () => {
    const { ada, grace } = g.sample.users;
    const own = (await listAll(ada.email)).ids;
    expect((await listAll(ada.email, `'${ada.email}' in owners and trashed = false`)).ids).toEqual(own);
    expect((await listAll(ada.email, `'${ada.email}' in owners`)).ids).toEqual(own);
    expect((await listAll(ada.email, `'${grace.email}' in owners and trashed = false`)).ids).toEqual([]);
    expect((await listAll(ada.email, "'me' in owners and trashed = true")).ids).toEqual([]);
    expect((await listAll(grace.email)).ids).toHaveLength(20);
  });

  it('pages with pageSize and pageToken, each file once', async () => {
    const { ada } = g.sample.users;
    const { ids, pages } = await listAll(ada.email, MINE, 20);
    expect(pages).toEqual([20, 20, 9]);
    expect(new Set(ids).size).toBe(49);
    expect(ids.sort()).toEqual(g.emulator.driveFilesOf(ada.email).sort());
  });

  it('gives 100 files a page by default and coerces a page size above 1000 to 1000', async () => {
    g.emulator.seedUser({ email: 'dorothy.vaughan@example.com', givenName: 'Dorothy', familyName: 'Vaughan', driveFiles: 1001, privateDriveFiles: 50 });
    const drive = g.driveAs('dorothy.vaughan@example.com');
    const first = await drive.files.list({ q: MINE });
    expect(first.data.files).toHaveLength(100);
    expect(first.data.nextPageToken).toEqual(expect.any(String));
    const big = await drive.files.list({ q: MINE, pageSize: 5000 });
    expect(big.data.files).toHaveLength(1000);
    const rest = await drive.files.list({ q: MINE, pageSize: 5000, pageToken: big.data.nextPageToken! });
    expect(rest.data.files).toHaveLength(51);
    expect(rest.data.nextPageToken).toBeUndefined();
  });

  it.each([["name contains 'report'"], ["'me' in writers"], ["'me' in owners or trashed = false"], ['trashed = maybe']])('refuses the query %j with 400 invalid', async (q) => {
    const err = await googleError(g.driveAs(g.sample.users.ada.email).files.list({ q }));
    expect(err).toMatchObject({ status: 400, error: { code: 400, message: 'Invalid Value', errors: [{ reason: 'invalid', location: 'q', locationType: 'parameter' }] } });
  });

  it.each([[{ pageSize: 0 }], [{ pageToken: 'not-a-token' }]])('refuses %j with 400 invalid', async (params) => {
    const err = await googleError(g.driveAs(g.sample.users.ada.email).files.list({ q: MINE, ...params }));
    expect(err).toMatchObject({ status: 400, error: { message: 'Invalid Value', errors: [{ reason: 'invalid' }] } });
  });

  it('moves exactly the files a transfer names: all with PRIVATE and SHARED, only the shared ones without PRIVACY_LEVEL', async () => {
    const { ada, grace, alan } = g.sample.users;
    const adas = g.emulator.driveFilesOf(ada.email);
    const graces = g.emulator.driveFilesOf(grace.email);
    const sharedOnly = await g.transfer.transfers.insert({
      requestBody: { oldOwnerUserId: ada.id, newOwnerUserId: alan.id, applicationDataTransfers: [{ applicationId: DRIVE_AND_DOCS_APPLICATION_ID }] },
    });
    await eventually(async () => g.emulator.transfer(sharedOnly.data.id!), (t) => t?.status === 'completed');
    const privateOnes = (await listAll(ada.email)).ids;
    expect(privateOnes).toHaveLength(7);
    expect((await listAll(alan.email)).ids.sort()).toEqual([...g.emulator.driveFilesOf(alan.email)].sort());
    expect((await listAll(alan.email)).ids).toEqual(expect.arrayContaining(adas.filter((id) => !privateOnes.includes(id))));

    const rest = await g.transfer.transfers.insert({
      requestBody: {
        oldOwnerUserId: ada.id,
        newOwnerUserId: grace.id,
        applicationDataTransfers: [{ applicationId: DRIVE_AND_DOCS_APPLICATION_ID, applicationTransferParams: [{ key: 'PRIVACY_LEVEL', value: ['PRIVATE', 'SHARED'] }] }],
      },
    });
    await eventually(async () => g.emulator.transfer(rest.data.id!), (t) => t?.status === 'completed');
    expect((await listAll(ada.email)).ids).toEqual([]);
    expect((await listAll(grace.email)).ids.sort()).toEqual([...graces, ...privateOnes].sort());
    expect(g.emulator.transfer(rest.data.id!)?.moved).toEqual({ driveFiles: 0, privateDriveFiles: 7, calendarEvents: 0 });
  });

  it('still lists every file after a transfer that completed having moved nothing', async () => {
    g.emulator.setTransferBehaviour({ movesNothing: true });
    const { ada, grace } = g.sample.users;
    const before = (await listAll(ada.email)).ids;
    const t = await g.transfer.transfers.insert({
      requestBody: { oldOwnerUserId: ada.id, newOwnerUserId: grace.id, applicationDataTransfers: [{ applicationId: DRIVE_AND_DOCS_APPLICATION_ID }] },
    });
    await eventually(async () => g.emulator.transfer(t.data.id!), (x) => x?.status === 'completed');
    expect((await listAll(ada.email)).ids).toEqual(before);
  });

  describe('impersonation', () => {
    it.each([
      ['an unknown user', 'nobody@example.com', 'Invalid email or User ID'],
      ['a suspended user', 'charles.babbage@example.com', 'Invalid email or User ID'],
    ])('is refused for %s as Google’s token endpoint refuses it', async (_what, email, description) => {
      expect(await refusal(g.driveAs(email).files.list({ q: MINE }))).toEqual({ status: 400, data: { error: 'invalid_grant', error_description: description } });
    });

    it('is refused for a user deleted in the last 20 days, saying so', async () => {
      await g.directory.users.delete({ userKey: g.sample.users.alan.email });
      expect(await refusal(g.driveAs(g.sample.users.alan.email).files.list({ q: MINE }))).toEqual({
        status: 400,
        data: { error: 'invalid_grant', error_description: 'The account has been deleted' },
      });
    });

    it('refuses a token that names no user as Google refuses a token it does not know', async () => {
      const err = await googleError(g.auth.request({ url: `${g.rootUrl}drive/v3/files`, fetchImplementation: fetch, retry: false }));
      expect(err).toMatchObject({ status: 401, error: { message: 'Invalid Credentials', errors: [{ reason: 'authError', location: 'Authorization' }] } });
    });

    it('refuses a token without a Drive scope with 403 insufficientPermissions', async () => {
      const err = await googleError(g.driveAs(g.sample.users.ada.email, ['https://www.googleapis.com/auth/gmail.settings.basic']).files.list({ q: MINE }));
      expect(err).toMatchObject({ status: 403, error: { message: 'Request had insufficient authentication scopes.', errors: [{ reason: 'insufficientPermissions' }] } });
    });
  });
});

describe('a tenant saved before Drive files were records', () => {
  it('turns the per-user counts it kept into files', () => {
    const first = new GoogleWorkspaceEmulator();
    seedSample(first);
    const saved = JSON.parse(JSON.stringify(first.toJSON())) as Record<string, unknown> & { users: Record<string, unknown>[] };
    delete saved.files;
    delete saved.deletedUsers;
    for (const user of saved.users) Object.assign(user, user.primaryEmail === 'ada.lovelace@example.com' ? { driveFiles: 42, privateDriveFiles: 7 } : { driveFiles: 0, privateDriveFiles: 0 });
    const reopened = GoogleWorkspaceEmulator.fromJSON(saved);
    expect(reopened.user('ada.lovelace@example.com')).toMatchObject({ driveFiles: 42, privateDriveFiles: 7 });
    expect(reopened.driveFilesOf('ada.lovelace@example.com')).toHaveLength(49);
    expect(reopened.toJSON().users.find((u) => u.primaryEmail === 'ada.lovelace@example.com')).not.toHaveProperty('driveFiles');
  });
});
