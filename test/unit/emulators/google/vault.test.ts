/** Google Vault on the emulator: matters and holds on their real paths, Google's answers and refusals, scopes checked. */
import { OAuth2Client } from 'google-auth-library';
import { VaultClient } from '../../../../lambdas/providers/google/vault-client';
import { GOOGLE_SCOPE } from '../../../../lambdas/providers/google/google-scopes';
import { localAccessToken } from '../../../../local/credentials/google-local-token';
import { googleError, startGoogle, type GoogleHarness } from './google-harness';

let g: GoogleHarness;
beforeEach(async () => {
  g = await startGoogle();
});
afterEach(() => g.stop());

const vaultWith = (scopes: string[]) => {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: localAccessToken('local', g.sample.users.admin.email, scopes) });
  return new VaultClient(g.rootUrl, async () => auth, fetch);
};
const vault = () => vaultWith([GOOGLE_SCOPE.ediscovery]);
const raw = <T>(method: 'GET' | 'POST' | 'DELETE', path: string, data?: unknown) =>
  g.auth.request<T>({ url: `${g.rootUrl}v1/${path}`, method, data, retry: false, fetchImplementation: fetch });

describe('Vault on the Google emulator', () => {
  it('creates an open matter and lists it, by state and page by page', async () => {
    const made = await vault().createMatter('Leavers', 'former staff');
    expect(made).toEqual({ matterId: expect.any(String), name: 'Leavers', description: 'former staff', state: 'OPEN' });
    for (let i = 0; i < 3; i++) await vault().createMatter(`Case ${i}`);
    const first = (await raw<{ matters: unknown[]; nextPageToken?: string }>('GET', 'matters?pageSize=2')).data;
    expect(first.matters).toHaveLength(2);
    const second = (await raw<{ matters: unknown[]; nextPageToken?: string }>('GET', `matters?pageSize=2&pageToken=${first.nextPageToken}`)).data;
    expect(second.matters).toHaveLength(2);
    expect(second.nextPageToken).toBeUndefined();
    expect((await vault().listMatters('OPEN')).map((m) => m.name)).toEqual(['Leavers', 'Case 0', 'Case 1', 'Case 2']);
    expect(await vault().listMatters('CLOSED')).toEqual([]);
  });

  it('holds an account by email, adds and removes accounts, and deletes the hold', async () => {
    const { matterId } = await vault().createMatter('Leavers');
    const hold = await vault().createHold(matterId, { name: 'Mail of Ada', corpus: 'MAIL', accounts: [{ email: g.sample.users.ada.email }] });
    expect(hold).toEqual({
      holdId: expect.any(String),
      name: 'Mail of Ada',
      corpus: 'MAIL',
      updateTime: expect.any(String),
      accounts: [{ accountId: g.sample.users.ada.id, email: g.sample.users.ada.email, firstName: 'Ada', lastName: 'Lovelace', holdTime: expect.any(String) }],
    });
    const added = await vault().addHeldAccounts(matterId, hold.holdId, [g.sample.users.alan.email, 'nobody@example.com']);
    expect(added.responses).toEqual([
      { account: expect.objectContaining({ accountId: g.sample.users.alan.id }), status: { code: 0 } },
      { status: { code: 3, message: expect.stringContaining('nobody@example.com') } },
    ]);
    expect((await vault().getHold(matterId, hold.holdId)).accounts?.map((a) => a.accountId)).toEqual([g.sample.users.ada.id, g.sample.users.alan.id]);
    expect((await vault().removeHeldAccounts(matterId, hold.holdId, [g.sample.users.ada.id, '1'])).statuses).toEqual([{ code: 0 }, { code: 5, message: 'Requested entity was not found.' }]);
    expect((await vault().listHolds(matterId)).map((h) => h.accounts?.map((a) => a.accountId))).toEqual([[g.sample.users.alan.id]]);
    await vault().deleteHold(matterId, hold.holdId);
    expect(await vault().listHolds(matterId)).toEqual([]);
    expect(g.emulator.toJSON().matters?.[0].holds).toEqual([]);
  });

  it('closes a matter with no holds, then deletes it; refuses to close one with holds or to delete an open one', async () => {
    const { matterId } = await vault().createMatter('Leavers');
    const hold = await vault().createHold(matterId, { name: 'Mail of Ada', corpus: 'MAIL', accounts: [{ email: g.sample.users.ada.email }] });
    expect(await googleError(vault().closeMatter(matterId))).toMatchObject({ status: 400, error: { status: 'FAILED_PRECONDITION' } });
    expect(await googleError(vault().deleteMatter(matterId))).toMatchObject({ status: 400, error: { status: 'FAILED_PRECONDITION' } });
    await vault().deleteHold(matterId, hold.holdId);
    expect(await vault().closeMatter(matterId)).toMatchObject({ matterId, state: 'CLOSED' });
    expect(await vault().listMatters('OPEN')).toEqual([]);
    expect(await vault().deleteMatter(matterId)).toMatchObject({ matterId, state: 'DELETED' });
    expect(await vault().listMatters()).toEqual([]);
    expect((await googleError(vault().closeMatter(matterId))).status).toBe(404);
  });

  it('takes an account off its holds when its last Workspace license is revoked: Vault holds only a licensed account; archiving keeps it held', async () => {
    const { ada, alan } = g.sample.users;
    const { matterId } = await vault().createMatter('Leavers');
    const hold = await vault().createHold(matterId, { name: 'Mail of leavers', corpus: 'MAIL', accounts: [{ email: ada.email }, { email: alan.email }] });
    await g.directory.users.patch({ userKey: alan.email, requestBody: { archived: true } });
    await g.licensing('DELETE', `product/Google-Apps/sku/1010020028/user/${ada.email}`);
    expect(g.emulator.licensesOf(ada.email)).toEqual([]);
    expect((await vault().getHold(matterId, hold.holdId)).accounts?.map((a) => a.accountId)).toEqual([alan.id]);
  });

  it("answers an unknown matter or hold with Google's 404 NOT_FOUND", async () => {
    const err = await googleError(vault().getHold('no-such-matter', 'h1'));
    expect(err.status).toBe(404);
    expect(err.error).toEqual({ code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' });
    const { matterId } = await vault().createMatter('Leavers');
    expect((await googleError(vault().deleteHold(matterId, 'h1'))).status).toBe(404);
  });

  it('refuses a hold without a corpus, on an unknown account, or on both accounts and an org unit, with 400 INVALID_ARGUMENT; nothing is held', async () => {
    const { matterId } = await vault().createMatter('Leavers');
    for (const body of [
      { name: 'x', accounts: [{ email: g.sample.users.ada.email }] },
      { name: 'x', corpus: 'MAIL', accounts: [{ email: 'nobody@example.com' }] },
      { name: 'x', corpus: 'MAIL', accounts: [{ email: g.sample.users.ada.email }], orgUnit: { orgUnitId: '03ph8a2z0000root' } },
      { corpus: 'MAIL', accounts: [{ email: g.sample.users.ada.email }] },
    ]) {
      const err = await googleError(raw('POST', `matters/${matterId}/holds`, body));
      expect(err.status).toBe(400);
      expect(err.error.status).toBe('INVALID_ARGUMENT');
    }
    expect(await vault().listHolds(matterId)).toEqual([]);
  });

  it('refuses a token without the ediscovery scope with 403 PERMISSION_DENIED; the read-only scope reads but does not write', async () => {
    const err = await googleError(vaultWith([GOOGLE_SCOPE.user]).listMatters());
    expect(err.status).toBe(403);
    expect(err.error).toMatchObject({ status: 'PERMISSION_DENIED', details: [expect.objectContaining({ reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT', metadata: { service: 'vault.googleapis.com' } })] });
    const readonly = vaultWith(['https://www.googleapis.com/auth/ediscovery.readonly']);
    expect(await readonly.listMatters()).toEqual([]);
    expect((await googleError(readonly.createMatter('Leavers'))).status).toBe(403);
    const { matterId } = await vault().createMatter('Leavers');
    expect((await googleError(readonly.closeMatter(matterId))).status).toBe(403);
    expect((await googleError(readonly.deleteMatter(matterId))).status).toBe(403);
    expect(await vault().listMatters('OPEN')).toHaveLength(1);
  });
});

describe('archiving on the Google emulator', () => {
  it("turns the user's license into its edition's Archived User license and back, and refuses when no seat is free", async () => {
    const ada = g.sample.users.ada.email;
    await g.directory.users.patch({ userKey: ada, requestBody: { archived: true } });
    expect(g.emulator.licensesOf(ada)).toEqual([{ productId: '101034', skuId: '1010340006' }]);
    const au = await g.licensing<{ skuName: string; productName: string }>('GET', `product/101034/sku/1010340006/user/${ada}`);
    expect(au).toMatchObject({ productName: 'Google Workspace Archived User', skuName: 'Google Workspace Business Standard - Archived User' });
    // With the Business Standard seats cut to the one Grace holds, unarchiving Ada finds none.
    g.emulator.setSkuSeats('Google-Apps', '1010020028', 1);
    const err = await googleError(g.directory.users.patch({ userKey: ada, requestBody: { archived: false } }));
    expect(err.status).toBe(412);
    expect(g.emulator.user(ada)?.archived).toBe(true);
    g.emulator.setSkuSeats('Google-Apps', '1010020028', 2);
    await g.directory.users.patch({ userKey: ada, requestBody: { archived: false } });
    expect(g.emulator.licensesOf(ada)).toEqual([{ productId: 'Google-Apps', skuId: '1010020028' }]);
    // Alan's Business Starter archives to the one Business Starter Archived User seat; Katherine then finds none.
    await g.directory.users.patch({ userKey: g.sample.users.alan.email, requestBody: { archived: true } });
    expect((await googleError(g.directory.users.patch({ userKey: g.sample.users.katherine.email, requestBody: { archived: true } }))).status).toBe(412);
    expect(g.emulator.user(g.sample.users.katherine.email)?.archived).toBe(false);
  });
});
