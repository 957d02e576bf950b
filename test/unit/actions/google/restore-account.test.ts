/** The restores of the account itself: suspension, org unit, directory visibility and licenses. */
import type { ActionDefinition } from '../../../../lambdas/actions/define-action';
import { hideFromDirectory } from '../../../../lambdas/actions/google/hide-from-directory';
import { moveToOrgUnit } from '../../../../lambdas/actions/google/move-to-org-unit';
import { removeLicenses } from '../../../../lambdas/actions/google/remove-licenses';
import { GOOGLE_WORKSPACE_PRODUCT_ID, WORKSPACE_SKUS } from '../../../../lambdas/actions/google/workspace-licenses';
import { restoreDirectoryVisibility } from '../../../../lambdas/actions/google/restore-directory-visibility';
import { restoreLicenses } from '../../../../lambdas/actions/google/restore-licenses';
import { restoreOrgUnit } from '../../../../lambdas/actions/google/restore-org-unit';
import { suspendUser } from '../../../../lambdas/actions/google/suspend-user';
import { unsuspendUser } from '../../../../lambdas/actions/google/unsuspend-user';
import { runAction } from '../../../../lambdas/actions/run-action';
import { expectOk, useGoogleTestBed, type GoogleTestBed } from '../../../support/google-emulator';

const currentBed = useGoogleTestBed();
let bed: GoogleTestBed;
beforeEach(() => {
  bed = currentBed();
});

type Def = ActionDefinition<unknown>;
const STANDARD = { productId: GOOGLE_WORKSPACE_PRODUCT_ID, skuId: WORKSPACE_SKUS.businessStandard };
const STARTER = { productId: GOOGLE_WORKSPACE_PRODUCT_ID, skuId: WORKSPACE_SKUS.businessStarter };
const g = () => bed.ctx.providers.google!();
const ada = () => bed.sample.users.ada.email;
const user = async (key = ada()) => (await g().directory.users.get({ userKey: key })).data;
const ok = expectOk;
const remove = async (def: unknown, params: Record<string, unknown> = {}, employee = {}) => {
  const d = def as Def;
  return ok(await runAction(d, bed.ctx, bed.request(d.name, { params, employee }))).result;
};
const restore = (def: unknown, result: unknown, employee = {}) => {
  const d = def as Def;
  return runAction(d, bed.ctx, bed.request(d.name, { eventType: 'cancel', params: { result }, employee }));
};

describe('google.unsuspendUser', () => {
  it('lifts the suspension the run put on', async () => {
    const result = await remove(suspendUser);
    expect((await user()).suspended).toBe(true);
    expect(ok(await restore(unsuspendUser, result)).note).toBe('active again');
    expect((await user()).suspended).toBe(false);
  });

  it('leaves alone a suspension that was there before the run', async () => {
    const charles = { id: bed.sample.users.charles.employeeId, email: bed.sample.users.charles.email };
    const result = await remove(suspendUser, {}, charles);
    const res = ok(await restore(unsuspendUser, result, charles));
    expect(res.note).toBe('nothing to restore: the account was suspended before the run');
    expect((await user(charles.email)).suspended).toBe(true);
  });

  it('fails, retryable, when Google says yes but the account still reads back suspended', async () => {
    const result = await remove(suspendUser);
    jest.spyOn(bed.clientsFor('google.unsuspendUser').directory.users, 'patch').mockResolvedValue({} as never);
    const res = await restore(unsuspendUser, result);
    expect(res).toMatchObject({ ok: false, error: { retryable: true } });
    expect(!res.ok && res.error.message).toContain('did not take effect: users.get still reports suspended: true');
  });
});

describe('google.restoreOrgUnit', () => {
  it('moves Ada back to /Staff from /Offboarded', async () => {
    const result = await remove(moveToOrgUnit);
    expect((await user()).orgUnitPath).toBe('/Offboarded');
    expect(ok(await restore(restoreOrgUnit, result)).note).toBe('moved back from /Offboarded to /Staff');
    expect((await user()).orgUnitPath).toBe('/Staff');
  });

  it('has nothing to restore when the run found the account already there', async () => {
    const result = await remove(moveToOrgUnit, { orgUnitPath: '/Staff' });
    expect(ok(await restore(restoreOrgUnit, result)).note).toMatch(/^nothing to restore/);
  });
});

describe('google.restoreDirectoryVisibility', () => {
  it('has nothing to restore when the run found Ada already hidden', async () => {
    await g().directory.users.patch({ userKey: ada(), requestBody: { includeInGlobalAddressList: false } });
    const result = await remove(hideFromDirectory);
    expect(ok(await restore(restoreDirectoryVisibility, result)).note).toMatch(/^nothing to restore/);
    expect((await user()).includeInGlobalAddressList).toBe(false);
  });
});

describe('google.restoreLicenses', () => {
  it('gives Ada her Business Standard seat back', async () => {
    const result = await remove(removeLicenses);
    expect(bed.emulator.seats(STANDARD.productId, STANDARD.skuId)?.used).toBe(1);
    const res = ok(await restore(restoreLicenses, result));
    expect(res.note).toBe('assigned Google Workspace Business Standard again');
    expect((await g().licensing.get(STANDARD.productId, STANDARD.skuId, ada())).skuName).toBe('Google Workspace Business Standard');
    expect(bed.emulator.seats(STANDARD.productId, STANDARD.skuId)?.used).toBe(2);
  });

  it('out of seats: fails, not retryable, saying there are not enough licenses for the SKU', async () => {
    const result = await remove(removeLicenses);
    bed.emulator.setSkuSeats(STANDARD.productId, STANDARD.skuId, 1);
    const res = await restore(restoreLicenses, result);
    expect(res).toMatchObject({ ok: false, error: { retryable: false } });
    expect(!res.ok && res.error.message).toContain(`not enough licenses for SKU ${STANDARD.skuId} (Google Workspace Business Standard)`);
    expect(!res.ok && res.error.providerAnswer).toMatch(/^412 conditionNotMet: /);
    expect(bed.emulator.licensesOf(ada())).toEqual([]);
  });

  it('a seat of another SKU of the product taken since: fails, not retryable, saying so', async () => {
    const result = await remove(removeLicenses);
    bed.emulator.assignLicense(ada(), STARTER.productId, STARTER.skuId);
    const res = await restore(restoreLicenses, result);
    expect(res).toMatchObject({ ok: false, error: { retryable: false } });
    expect(!res.ok && res.error.message).toContain('holds another SKU of product Google-Apps');
    expect(bed.emulator.licensesOf(ada())).toEqual([STARTER]);
  });

  it('fails, retryable, when License Manager says yes but reports no assignment', async () => {
    const result = await remove(removeLicenses);
    jest.spyOn(bed.clientsFor('google.restoreLicenses').licensing, 'insert').mockResolvedValue({} as never);
    const res = await restore(restoreLicenses, result);
    expect(res).toMatchObject({ ok: false, error: { retryable: true } });
    expect(!res.ok && res.error.message).toContain('License Manager reports no assignment');
  });
});
