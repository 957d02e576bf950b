import { removeLicenses } from '../../../../lambdas/actions/google/remove-licenses';
import { DEFAULT_LICENSES, GOOGLE_WORKSPACE_PRODUCT_ID, WORKSPACE_SKUS } from '../../../../lambdas/actions/google/workspace-licenses';
import { runAction } from '../../../../lambdas/actions/run-action';
import * as catalog from '../../../../local/emulators/google/catalog';
import { startGoogleTestBed, type GoogleTestBed } from '../../../support/google-emulator';

const STANDARD = { productId: 'Google-Apps', skuId: '1010020028' };
const STARTER = { productId: 'Google-Apps', skuId: '1010020027' };

describe('google.removeLicenses', () => {
  let bed: GoogleTestBed;
  beforeEach(async () => {
    bed = await startGoogleTestBed();
  });
  afterEach(() => bed.stop());
  const ada = () => bed.sample.users.ada.email;
  const run = (params: Record<string, unknown> = {}, employee = {}) => runAction(removeLicenses, bed.ctx, bed.request('google.removeLicenses', { params, employee }));

  it('uses the ids Google publishes, the same the emulator sells', () => {
    expect(GOOGLE_WORKSPACE_PRODUCT_ID).toBe(catalog.GOOGLE_WORKSPACE_PRODUCT_ID);
    expect(WORKSPACE_SKUS).toEqual({ businessStarter: catalog.SKU_BUSINESS_STARTER, businessStandard: catalog.SKU_BUSINESS_STANDARD, businessPlus: catalog.SKU_BUSINESS_PLUS });
    expect(DEFAULT_LICENSES).toEqual([STARTER, STANDARD]);
  });

  describe('while the mail is kept by a Vault hold, which holds only a licensed account', () => {
    const withStage = (method: 'vault-hold' | 'archived-user-license' | 'none') => ({ ...bed.ctx, mailRetention: () => ({ method, matterName: 'Leavers' }) });
    const role = (mailRetention?: 'vault-hold' | 'archived-user-license' | 'none') => ({ name: 'support-agent', manualTasks: [], ...(mailRetention ? { mailRetention } : {}) });
    const runWith = (method: 'vault-hold' | 'archived-user-license' | 'none', held?: ReturnType<typeof role>) =>
      runAction(removeLicenses, withStage(method), bed.request('google.removeLicenses', { ...(held ? { role: held } : {}) }));

    it('keeps the licenses when the stage says vault-hold, and records nothing to give back', async () => {
      const res = await runWith('vault-hold');
      expect(res).toMatchObject({ ok: true, note: 'licenses kept: the stage says vault-hold, and Vault holds only a licensed account' });
      expect(res.ok && res.result).toEqual({ decidedBy: { by: 'stage', method: 'vault-hold' } });
      expect(bed.emulator.licensesOf(ada())).toEqual([STANDARD]);
    });

    it("the role held decides first: a role on vault-hold keeps them, a role on archived-user-license in a stage on vault-hold revokes them", async () => {
      expect(await runWith('none', role('vault-hold'))).toMatchObject({ ok: true, note: 'licenses kept: the role support-agent says vault-hold, and Vault holds only a licensed account' });
      expect(bed.emulator.licensesOf(ada())).toEqual([STANDARD]);
      expect(await runWith('vault-hold', role('archived-user-license'))).toMatchObject({ ok: true, note: 'revoked Google Workspace Business Standard' });
      expect(bed.emulator.licensesOf(ada())).toEqual([]);
    });
  });

  it("a mover's license change is not a leaver's: the stage's vault-hold keeps nothing", async () => {
    const ctx = { ...bed.ctx, mailRetention: () => ({ method: 'vault-hold' as const, matterName: 'Leavers' }) };
    const res = await runAction(removeLicenses, ctx, bed.request('google.removeLicenses', { eventType: 'role_change' }));
    expect(res).toMatchObject({ ok: true, note: 'revoked Google Workspace Business Standard' });
    expect(bed.emulator.licensesOf(ada())).toEqual([]);
  });

  it('revokes the license the leaver holds, frees the seat and records the assignment', async () => {
    const res = await run();
    expect(res).toMatchObject({
      ok: true,
      note: 'revoked Google Workspace Business Standard',
      result: { removed: { licenses: [{ ...STANDARD, productName: 'Google Workspace', skuName: 'Google Workspace Business Standard' }] } },
    });
    expect(bed.emulator.licensesOf(ada())).toEqual([]);
    expect(bed.emulator.seats(STANDARD.productId, STANDARD.skuId)?.used).toBe(1);
  });

  it('revokes only the SKUs the playbook names', async () => {
    const res = await run({ products: [STARTER] });
    expect(res).toMatchObject({ ok: true, note: 'held none of the listed licenses', result: { removed: { licenses: [] } } });
    expect(bed.emulator.licensesOf(ada())).toEqual([STANDARD]);
  });

  it('a second run succeeds with a note and records nothing removed', async () => {
    await run();
    expect(await run()).toEqual({ ok: true, note: 'held none of the listed licenses', result: { removed: { licenses: [] } }, account: { system: 'google', address: ada(), accountId: bed.sample.users.ada.id, state: 'active', boundBy: 'binding' } });
  });

  it('a leaver with no Google account is a success with a note', async () => {
    expect(await run({}, { id: 'E999', email: 'nobody@example.com' })).toEqual({ ok: true, note: 'no Google account nobody@example.com; nothing to unlicense' });
  });

  it('fails, retryable, when License Manager says yes but still reports the assignment', async () => {
    jest.spyOn(bed.clientsFor('google.removeLicenses').licensing, 'delete').mockResolvedValue(undefined);
    const res = await run();
    expect(res).toMatchObject({ ok: false, error: { retryable: true } });
    expect(!res.ok && res.error.message).toContain('License Manager still reports the assignment');
  });

  it.each([
    [503, true],
    [403, false],
  ])('a %i from License Manager fails, retryable: %s, and the seat stays taken', async (status, retryable) => {
    bed.emulator.faults.failNext({ method: 'DELETE', path: '^/apps/licensing/v1/', count: 1, status });
    const res = await run();
    expect(res).toMatchObject({ ok: false, error: { retryable } });
    expect(!res.ok && res.error.message).toContain(`revoking license Google-Apps/1010020028 of ${ada()}: Google answered ${status}`);
    expect(bed.emulator.licensesOf(ada())).toEqual([STANDARD]);
  });

  it('rejects a product without a SKU', async () => {
    expect(await run({ products: [{ productId: 'Google-Apps' }] })).toMatchObject({ ok: false, error: { retryable: false } });
  });

  describe('under automatic licensing', () => {
    it('revokes once the leaver is in an org unit where automatic licensing is turned off, though the root has it on', async () => {
      bed.emulator.setAutoLicensing('/', STANDARD.productId, { skuId: STANDARD.skuId });
      bed.emulator.setAutoLicensing('/Offboarded', STANDARD.productId, 'off');
      await bed.ctx.providers.google!().directory.users.patch({ userKey: ada(), requestBody: { orgUnitPath: '/Offboarded' } });
      expect(await run()).toMatchObject({ ok: true, note: 'revoked Google Workspace Business Standard' });
      expect(bed.emulator.licensesOf(ada())).toEqual([]);
    });

    it('still covered: fails for an admin, not retryable, saying which license, which org unit and where in the Admin console to turn it off', async () => {
      bed.emulator.setAutoLicensing('/', STANDARD.productId, { skuId: STANDARD.skuId });
      const res = await run();
      expect(res).toMatchObject({ ok: false, error: { retryable: false, providerAnswer: '412 conditionNotMet: Auto License un-assignment is not allowed.' } });
      const message = !res.ok ? res.error.message : '';
      expect(message).toContain(`Google refuses to revoke Google Workspace Business Standard (Google-Apps/1010020028) from ${ada()}`);
      expect(message).toContain('automatic licensing of Google Workspace is on for the org unit /Staff');
      expect(message).toContain('Admin console > Menu > Billing > License settings, click /Staff at the left, point to Google Workspace, Edit, select Off, Override');
      expect(message).not.toMatch(/^412/);
      expect(bed.emulator.licensesOf(ada())).toEqual([STANDARD]);
    });

    it('reports a license it already revoked before meeting the refusal, so the audit trail keeps it', async () => {
      // Alan holds Starter; automatic licensing covers only another product of his.
      bed.emulator.setAutoLicensing('/', 'Google-Vault', { skuId: 'Google-Vault-Former-Employee' });
      bed.emulator.setSkuSeats('Google-Vault', 'Google-Vault-Former-Employee', 5);
      bed.emulator.assignLicense(bed.sample.users.alan.email, 'Google-Vault', 'Google-Vault-Former-Employee');
      const res = await run(
        { products: [STARTER, { productId: 'Google-Vault', skuId: 'Google-Vault-Former-Employee' }] },
        { id: bed.sample.users.alan.employeeId, email: bed.sample.users.alan.email },
      );
      expect(res).toMatchObject({ ok: false, error: { retryable: false } });
      expect(!res.ok && res.error.message).toMatch(/automatic licensing of Google-Vault is on .* \(already revoked: Google-Apps\/1010020027\)$/);
      expect(bed.emulator.licensesOf(bed.sample.users.alan.email)).toEqual([{ productId: 'Google-Vault', skuId: 'Google-Vault-Former-Employee' }]);
    });

    it('hands what it revoked before the refusal to the retry, whose result records both licenses for a restore', async () => {
      const alan = bed.sample.users.alan;
      const VAULT = { productId: 'Google-Vault', skuId: 'Google-Vault-Former-Employee' };
      bed.emulator.setAutoLicensing('/', 'Google-Vault', { skuId: VAULT.skuId });
      bed.emulator.setSkuSeats(VAULT.productId, VAULT.skuId, 5);
      bed.emulator.assignLicense(alan.email, VAULT.productId, VAULT.skuId);
      const params = { products: [STARTER, VAULT] };
      const employee = { id: alan.employeeId, email: alan.email };
      const first = await run(params, employee);
      expect(first).toMatchObject({ ok: false, error: { progress: { removed: [{ ...STARTER, skuName: 'Google Workspace Business Starter' }] } } });

      // The admin turns automatic licensing of Vault off; the operator retries the step with its progress.
      bed.emulator.setAutoLicensing('/', 'Google-Vault', 'off');
      const progress = !first.ok ? first.error.progress : undefined;
      const retry = await runAction(removeLicenses, bed.ctx, bed.request('google.removeLicenses', { params, employee, progress }));
      expect(retry).toMatchObject({ ok: true, note: expect.stringContaining('1 revoked by an earlier attempt') });
      const licenses = retry.ok ? (retry.result as { removed: { licenses: { productId: string; skuId: string }[] } }).removed.licenses : [];
      expect(licenses.map(({ productId, skuId }) => ({ productId, skuId }))).toEqual([STARTER, VAULT]);
      expect(bed.emulator.licensesOf(alan.email)).toEqual([]);
    });
  });
});
