/**
 * The other ways into an account and its mail, through the real clients: a user's aliases (Directory
 * users.aliases), the recovery email and phone, POP and IMAP, and send-as addresses (Gmail settings).
 */
import { admin_directory_v1 } from '@googleapis/admin';
import { gmail_v1 } from '@googleapis/gmail';
import { OAuth2Client } from 'google-auth-library';
import { GOOGLE_SCOPE } from '../../../../lambdas/providers/google/google-scopes';
import { localAccessToken } from '../../../../local/credentials/google-local-token';
import { googleError, startGoogle, type GoogleHarness } from './google-harness';

let g: GoogleHarness;
beforeEach(async () => {
  g = await startGoogle();
});
afterEach(() => g.stop());

const ada = 'ada.lovelace@example.com';
const alan = 'alan.turing@example.com';
const aliasesOf = async (userKey: string) => (((await g.directory.users.aliases.list({ userKey })).data.aliases ?? []) as { alias?: string }[]).map((a) => a.alias);
const withScopes = (subject: string, scopes: string[]) => {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: localAccessToken('local', subject, scopes) });
  return { auth, rootUrl: g.rootUrl, retry: false, fetchImplementation: fetch };
};

describe('Directory users.aliases', () => {
  it("lists the sample leaver's two aliases in Google's shape; the user resource shows them too", async () => {
    const page = (await g.directory.users.aliases.list({ userKey: ada })).data as { kind?: string; aliases?: Record<string, unknown>[] };
    expect(page.kind).toBe('admin#directory#aliases');
    expect(page.aliases).toEqual([
      { kind: 'admin#directory#alias', id: g.sample.users.ada.id, primaryEmail: ada, alias: 'ada@example.com', etag: expect.any(String) },
      { kind: 'admin#directory#alias', id: g.sample.users.ada.id, primaryEmail: ada, alias: 'countess@example.com', etag: expect.any(String) },
    ]);
    expect((await g.directory.users.get({ userKey: ada })).data.aliases).toEqual(['ada@example.com', 'countess@example.com']);
    // Found by an alias, as Google finds a user.
    expect((await g.directory.users.get({ userKey: 'countess@example.com' })).data.primaryEmail).toBe(ada);
  });

  it('inserts an alias, refuses an address anyone holds with 409 duplicate, and one of another domain', async () => {
    const made = await g.directory.users.aliases.insert({ userKey: alan, requestBody: { alias: 'Turing@example.com' } });
    expect(made.data).toMatchObject({ alias: 'turing@example.com', primaryEmail: alan });
    expect(await aliasesOf(alan)).toEqual(['turing@example.com']);
    for (const taken of ['countess@example.com', ada, 'all-staff@example.com', 'turing@example.com']) {
      const err = await googleError(g.directory.users.aliases.insert({ userKey: alan, requestBody: { alias: taken } }));
      expect([err.status, err.error.errors[0].reason, err.error.message]).toEqual([409, 'duplicate', 'Entity already exists.']);
    }
    expect((await googleError(g.directory.users.aliases.insert({ userKey: alan, requestBody: { alias: 'alan@elsewhere.org' } }))).status).toBe(404);
    expect((await googleError(g.directory.users.aliases.insert({ userKey: alan, requestBody: {} }))).status).toBe(400);
    expect(await aliasesOf(alan)).toEqual(['turing@example.com']);
  });

  it('deletes an alias (204, the address free again) and answers 404 for one the user does not have', async () => {
    expect((await g.directory.users.aliases.delete({ userKey: ada, alias: 'countess@example.com' })).status).toBe(204);
    expect(await aliasesOf(ada)).toEqual(['ada@example.com']);
    expect((await googleError(g.directory.users.get({ userKey: 'countess@example.com' }))).status).toBe(404);
    const err = await googleError(g.directory.users.aliases.delete({ userKey: ada, alias: 'countess@example.com' }));
    expect([err.status, err.error.errors[0].reason]).toEqual([404, 'notFound']);
    expect((await googleError(g.directory.users.aliases.list({ userKey: 'nobody@example.com' }))).status).toBe(404);
  });

  it('takes admin.directory.user.alias for aliases, and refuses it for anything else of the user', async () => {
    const aliasOnly = new admin_directory_v1.Admin(withScopes(g.sample.users.admin.email, [GOOGLE_SCOPE.userAlias]));
    expect((await aliasOnly.users.aliases.list({ userKey: ada })).status).toBe(200);
    expect((await googleError(aliasOnly.users.patch({ userKey: ada, requestBody: { recoveryEmail: '' } }))).status).toBe(403);
    const readonly = new admin_directory_v1.Admin(withScopes(g.sample.users.admin.email, [GOOGLE_SCOPE.userReadonly]));
    expect((await googleError(readonly.users.aliases.delete({ userKey: ada, alias: 'ada@example.com' }))).status).toBe(403);
  });
});

describe('the recovery email and phone', () => {
  const recovery = async () => {
    const u = (await g.directory.users.get({ userKey: ada, projection: 'full' })).data as { recoveryEmail?: string; recoveryPhone?: string };
    return [u.recoveryEmail, u.recoveryPhone];
  };

  it.each([['patch'], ['update']] as const)('users.%s with "" clears each, a value sets it again', async (method) => {
    expect(await recovery()).toEqual(['ada.byron@home.example', '+447700900461']);
    await g.directory.users[method]({ userKey: ada, requestBody: { recoveryEmail: '', recoveryPhone: '' } });
    expect(await recovery()).toEqual([undefined, undefined]);
    await g.directory.users[method]({ userKey: ada, requestBody: { recoveryPhone: '+447700900462' } });
    expect(await recovery()).toEqual([undefined, '+447700900462']);
  });

  it('refuses a phone not in E.164 and a malformed email, changing nothing', async () => {
    expect((await googleError(g.directory.users.patch({ userKey: ada, requestBody: { recoveryPhone: '07700 900461' } }))).status).toBe(400);
    expect((await googleError(g.directory.users.patch({ userKey: ada, requestBody: { recoveryEmail: 'not an address', recoveryPhone: '' } }))).status).toBe(400);
    expect(await recovery()).toEqual(['ada.byron@home.example', '+447700900461']);
  });
});

describe('Gmail POP and IMAP', () => {
  it('reads and writes POP and IMAP; a new mailbox has POP off and IMAP on', async () => {
    expect((await g.gmail.users.settings.getPop({ userId: ada })).data).toEqual({ accessWindow: 'allMail', disposition: 'archive' });
    expect((await g.gmail.users.settings.getPop({ userId: alan })).data).toEqual({ accessWindow: 'disabled', disposition: 'leaveInInbox' });
    expect((await g.gmail.users.settings.getImap({ userId: alan })).data).toEqual({ enabled: true, autoExpunge: true, expungeBehavior: 'archive', maxFolderSize: 0 });
    expect((await g.gmail.users.settings.updatePop({ userId: ada, requestBody: { accessWindow: 'disabled' } })).data).toEqual({ accessWindow: 'disabled', disposition: 'archive' });
    const imap = await g.gmail.users.settings.updateImap({ userId: ada, requestBody: { enabled: false, expungeBehavior: 'trash', maxFolderSize: 1000 } });
    expect(imap.data).toEqual({ enabled: false, autoExpunge: true, expungeBehavior: 'trash', maxFolderSize: 1000 });
    expect(g.emulator.mailAccessOf(ada)).toMatchObject({ pop: { accessWindow: 'disabled' }, imap: { enabled: false } });
  });

  it('refuses an unknown enum value naming the field, and a folder size Gmail does not offer, changing nothing', async () => {
    const err = await googleError(g.gmail.users.settings.updatePop({ userId: ada, requestBody: { accessWindow: 'always' } }));
    expect([err.status, err.error.message]).toEqual([400, expect.stringContaining("'pop_settings.access_window'")]);
    expect((await googleError(g.gmail.users.settings.updateImap({ userId: ada, requestBody: { maxFolderSize: 7 } }))).status).toBe(400);
    expect(g.emulator.mailAccessOf(ada)).toMatchObject({ pop: { accessWindow: 'allMail' }, imap: { enabled: true } });
  });

  it('refuses a suspended mailbox with "Mail service not enabled", as the other settings', async () => {
    await g.directory.users.patch({ userKey: ada, requestBody: { suspended: true } });
    const err = await googleError(g.gmail.users.settings.getImap({ userId: ada }));
    expect([err.status, err.error.errors[0].reason, err.error.message]).toEqual([400, 'failedPrecondition', 'Mail service not enabled']);
  });

  it('writes POP with gmail.settings.basic, not with a read-only scope', async () => {
    const readonly = new gmail_v1.Gmail(withScopes(ada, [GOOGLE_SCOPE.gmailReadonly]));
    expect((await readonly.users.settings.getPop({ userId: ada })).status).toBe(200);
    expect((await googleError(readonly.users.settings.updatePop({ userId: ada, requestBody: { accessWindow: 'disabled' } }))).status).toBe(403);
  });
});

describe('Gmail send-as addresses', () => {
  const list = async () => (await g.gmail.users.settings.sendAs.list({ userId: ada })).data.sendAs ?? [];

  it('lists the primary address (the default unless another is) and the custom ones', async () => {
    expect(await list()).toEqual([
      { sendAsEmail: ada, displayName: 'Ada Lovelace', replyToAddress: '', signature: '', isPrimary: true, isDefault: true, treatAsAlias: false },
      { sendAsEmail: 'countess@example.com', displayName: 'The Countess of Lovelace', replyToAddress: '', signature: 'Ada', isDefault: false, treatAsAlias: false, verificationStatus: 'accepted' },
    ]);
  });

  it('creates one the mailbox owns as accepted, any other as pending, and refuses a duplicate', async () => {
    const own = await g.gmail.users.settings.sendAs.create({ userId: ada, requestBody: { sendAsEmail: 'ada@example.com', isDefault: true } });
    expect(own.data).toMatchObject({ verificationStatus: 'accepted', isDefault: true });
    const other = await g.gmail.users.settings.sendAs.create({ userId: ada, requestBody: { sendAsEmail: 'support@example.com', isDefault: true } });
    // Not verified: pending, and not the default until it is.
    expect(other.data).toMatchObject({ verificationStatus: 'pending', isDefault: false });
    expect((await list()).find((s) => s.isPrimary)?.isDefault).toBe(false);
    expect((await googleError(g.gmail.users.settings.sendAs.create({ userId: ada, requestBody: { sendAsEmail: 'support@example.com' } }))).status).toBe(409);
    expect((await googleError(g.gmail.users.settings.sendAs.create({ userId: ada, requestBody: { sendAsEmail: ada } }))).status).toBe(409);
  });

  it('deletes a custom one, never the primary (400 failedPrecondition), and answers 404 for one not there', async () => {
    expect((await g.gmail.users.settings.sendAs.delete({ userId: ada, sendAsEmail: 'countess@example.com' })).status).toBe(204);
    expect((await list()).map((s) => s.sendAsEmail)).toEqual([ada]);
    const primary = await googleError(g.gmail.users.settings.sendAs.delete({ userId: ada, sendAsEmail: ada }));
    expect([primary.status, primary.error.errors[0].reason]).toEqual([400, 'failedPrecondition']);
    expect((await googleError(g.gmail.users.settings.sendAs.delete({ userId: ada, sendAsEmail: 'countess@example.com' }))).status).toBe(404);
    expect((await googleError(g.gmail.users.settings.sendAs.get({ userId: ada, sendAsEmail: 'countess@example.com' }))).status).toBe(404);
  });

  it('takes gmail.settings.sharing to create or delete one; gmail.settings.basic only reads', async () => {
    const basic = new gmail_v1.Gmail(withScopes(ada, [GOOGLE_SCOPE.gmailSettingsBasic]));
    expect((await basic.users.settings.sendAs.list({ userId: ada })).status).toBe(200);
    expect((await googleError(basic.users.settings.sendAs.delete({ userId: ada, sendAsEmail: 'countess@example.com' }))).status).toBe(403);
    expect((await googleError(basic.users.settings.sendAs.create({ userId: ada, requestBody: { sendAsEmail: 'ada@example.com' } }))).status).toBe(403);
  });
});
