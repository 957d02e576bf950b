import { deleteUser } from '../../../../lambdas/actions/google/delete-user';
import { DEFAULT_LICENSES } from '../../../../lambdas/actions/google/workspace-licenses';
import { runAction } from '../../../../lambdas/actions/run-action';
import { startGoogleTestBed, type GoogleTestBed } from '../../../support/google-emulator';

describe('google.deleteUser', () => {
  let bed: GoogleTestBed;
  beforeEach(async () => {
    bed = await startGoogleTestBed();
  });
  afterEach(() => bed.stop());
  const ada = () => bed.sample.users.ada;
  const run = (employee = {}, params = {}) => runAction(deleteUser, bed.ctx, bed.request('google.deleteUser', { employee, params }));

  describe('while the mail is kept by a Vault hold, which a deletion ends', () => {
    const role = (mailRetention?: 'vault-hold' | 'archived-user-license' | 'none') => ({ name: 'support-agent', manualTasks: [], ...(mailRetention ? { mailRetention } : {}) });
    const runWith = (method: 'vault-hold' | 'archived-user-license' | 'none', held?: ReturnType<typeof role>) =>
      runAction(deleteUser, { ...bed.ctx, mailRetention: () => ({ method, matterName: 'Leavers' }) }, bed.request('google.deleteUser', { ...(held ? { role: held } : {}) }));

    it('refuses for an operator when the role held says vault-hold, and the account stays', async () => {
      const res = await runWith('archived-user-license', role('vault-hold'));
      expect(res).toMatchObject({ ok: false, error: { retryable: false, message: expect.stringContaining(`not deleting ${ada().email}: the role support-agent says vault-hold, and deleting a Google account deletes its mail, Vault hold or not`) } });
      expect(bed.emulator.user(ada().email)).toBeDefined();
    });

    it('refuses when the stage says vault-hold and the role names no method', async () => {
      expect(await runWith('vault-hold', role())).toMatchObject({ ok: false, error: { retryable: false, message: expect.stringContaining('the stage says vault-hold') } });
      expect(bed.emulator.user(ada().email)).toBeDefined();
    });

    it('deletes when the mail is kept by the Archived User license, or not at all', async () => {
      expect(await runWith('vault-hold', role('none'))).toMatchObject({ ok: true });
      expect(bed.emulator.user(ada().email)).toBeUndefined();
    });
  });

  it('deletes the leaver, reads back a 404 and records the id users.undelete needs', async () => {
    const res = await run();
    expect(res).toMatchObject({
      ok: true,
      result: {
        removed: {
          userId: ada().id,
          primaryEmail: ada().email,
          orgUnitPath: '/Staff',
          suspended: false,
          // What users.undelete will need a free seat of.
          licenses: [{ productId: 'Google-Apps', skuId: '1010020028', skuName: 'Google Workspace Business Standard' }],
        },
      },
    });
    expect(bed.emulator.user(ada().email)).toBeUndefined();
    // Everything that hung off the account went with it.
    expect(bed.emulator.seats('Google-Apps', '1010020028')?.used).toBe(1);
  });

  it('reads the same SKUs as remove-licenses, one License Manager read each: the default list, or the products the playbook names', async () => {
    const licensing = bed.clientsFor('google.deleteUser').licensing;
    const get = jest.spyOn(licensing, 'get');
    await run();
    expect(get.mock.calls.map(([productId, skuId]) => ({ productId, skuId }))).toEqual(DEFAULT_LICENSES);

    const VAULT = { productId: 'Google-Vault', skuId: 'Google-Vault-Former-Employee' };
    const alan = bed.sample.users.alan;
    bed.emulator.setSkuSeats(VAULT.productId, VAULT.skuId, 5);
    bed.emulator.assignLicense(alan.email, VAULT.productId, VAULT.skuId);
    const res = await run({ id: alan.employeeId, email: alan.email }, { products: [VAULT] });
    expect(res).toMatchObject({ ok: true, result: { removed: { licenses: [expect.objectContaining(VAULT)] } } });
  });

  it('a second run succeeds with a note', async () => {
    await run();
    expect(await run()).toEqual({ ok: true, note: `no Google account ${ada().email}; nothing to delete` });
  });

  it('a leaver with no Google account is a success with a note', async () => {
    expect(await run({ id: 'E999', email: 'nobody@example.com' })).toEqual({ ok: true, note: 'no Google account nobody@example.com; nothing to delete' });
  });

  it('a 404 from the delete (someone deleted it meanwhile) is a success once the read-back agrees', async () => {
    const users = bed.clientsFor('google.deleteUser').directory.users;
    const realDelete = users.delete.bind(users) as (p: { userKey: string }) => Promise<unknown>;
    // A concurrent deletion lands first, so our own delete meets Google's 404.
    jest.spyOn(users, 'delete').mockImplementation((async (p: { userKey: string }) => {
      await realDelete(p);
      return realDelete(p);
    }) as never);
    const res = await run();
    expect(res).toMatchObject({ ok: true, result: { removed: { userId: ada().id } } });
    expect(bed.emulator.user(ada().email)).toBeUndefined();
  });

  it('a 404 from the delete while the user still reads back is not taken for a deletion', async () => {
    bed.emulator.faults.failNext({ method: 'DELETE', path: '^/admin/directory/v1/users/', count: 1, status: 404 });
    const res = await run();
    expect(res).toMatchObject({ ok: false, error: { retryable: true } });
    expect(!res.ok && res.error.message).toContain(`users.get still finds user id ${ada().id}`);
  });

  it('fails, retryable, when Google says yes but the user is still there', async () => {
    jest.spyOn(bed.clientsFor('google.deleteUser').directory.users, 'delete').mockResolvedValue({ status: 204, data: undefined } as never);
    const res = await run();
    expect(res).toMatchObject({ ok: false, error: { retryable: true } });
    expect(bed.emulator.user(ada().email)).toBeDefined();
  });

  it.each([
    [503, true],
    [403, false],
  ])('a %i from the Directory API fails, retryable: %s, and deletes nothing', async (status, retryable) => {
    bed.emulator.faults.failNext({ method: 'DELETE', path: '^/admin/directory/v1/users/', count: 1, status });
    const res = await run();
    expect(res).toMatchObject({ ok: false, error: { retryable } });
    expect(!res.ok && res.error.message).toContain(`deleting Google user ${ada().email}: Google answered ${status}`);
    expect(bed.emulator.user(ada().email)).toBeDefined();
  });
});
