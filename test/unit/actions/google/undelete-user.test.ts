import { deleteUser } from '../../../../lambdas/actions/google/delete-user';
import { undeleteUser } from '../../../../lambdas/actions/google/undelete-user';
import { runAction } from '../../../../lambdas/actions/run-action';
import type { ActionResponse } from '../../../../lambdas/engine/ports';
import { DRIVE_AND_DOCS_APPLICATION_ID, UNDELETE_WINDOW_MS } from '../../../../local/emulators/google';
import { expectOk, startGoogleTestBed, type GoogleTestBed } from '../../../support/google-emulator';

describe('google.undeleteUser', () => {
  let bed: GoogleTestBed;
  /** The emulator's clock: Google keeps a deleted user 20 days by it. */
  let emulatorMs = Date.now();
  beforeEach(async () => {
    emulatorMs = Date.now();
    bed = await startGoogleTestBed({ emulatorNow: () => emulatorMs });
  });
  afterEach(() => bed.stop());
  const ada = () => bed.sample.users.ada;
  const directory = () => bed.ctx.providers.google!().directory;

  /** Deletes Ada through google.deleteUser and returns what it recorded, as a restore hands it over. */
  const deleteAda = async (): Promise<Record<string, unknown>> => expectOk(await runAction(deleteUser, bed.ctx, bed.request('google.deleteUser'))).result!;
  const undelete = (result: unknown): Promise<ActionResponse> => runAction(undeleteUser, bed.ctx, bed.request('google.undeleteUser', { params: { result } }));

  it("brings the deleted account back by its id into the org unit it was in, and reads it back", async () => {
    const recorded = await deleteAda();
    expect(bed.emulator.user(ada().email)).toBeUndefined();
    const res = await undelete(recorded);
    expect(res).toEqual({
      ok: true,
      note: 'undeleted into /Staff',
      result: { restored: { userId: ada().id, primaryEmail: ada().email, orgUnitPath: '/Staff', suspended: false } },
    });
    expect(bed.emulator.user(ada().email)).toMatchObject({ id: ada().id, orgUnitPath: '/Staff', suspended: false, driveFiles: 42, privateDriveFiles: 7 });
  });

  it('an account already back is a success that changes nothing (a retry after a lost answer)', async () => {
    const recorded = await deleteAda();
    expectOk(await undelete(recorded));
    const spy = jest.spyOn(bed.clientsFor('google.undeleteUser').directory.users, 'undelete');
    const again = await undelete(recorded);
    expect(again).toMatchObject({ ok: true, note: `${ada().email} (user id ${ada().id}) is not deleted`, result: { restored: { userId: ada().id, suspended: false } } });
    expect(spy).not.toHaveBeenCalled();
  });

  it('lifts the suspension Google puts on an account whose Drive was transferred, since it was active when deleted', async () => {
    bed.emulator.setTransferBehaviour({ delayMs: 0 });
    await bed.ctx.providers.google!().dataTransfer.transfers.insert({
      requestBody: { oldOwnerUserId: ada().id, newOwnerUserId: bed.sample.users.grace.id, applicationDataTransfers: [{ applicationId: DRIVE_AND_DOCS_APPLICATION_ID }] },
    });
    const recorded = await deleteAda();
    const res = await undelete(recorded);
    expect(res).toMatchObject({ ok: true, note: 'undeleted into /Staff; active again, as when it was deleted', result: { restored: { suspended: false } } });
    expect(bed.emulator.user(ada().email)?.suspended).toBe(false);
  });

  it('leaves an account that was suspended when deleted suspended (google.unsuspendUser lifts it when the run suspended it)', async () => {
    await directory().users.patch({ userKey: ada().email, requestBody: { suspended: true } });
    const recorded = await deleteAda();
    expect(recorded).toMatchObject({ removed: { suspended: true } });
    expect(await undelete(recorded)).toMatchObject({ ok: true, result: { restored: { suspended: true } } });
    expect(bed.emulator.user(ada().email)?.suspended).toBe(true);
  });

  it('past the 20 days Google keeps a deleted account, fails without a retry and says why', async () => {
    const recorded = await deleteAda();
    emulatorMs += UNDELETE_WINDOW_MS;
    const res = await undelete(recorded);
    expect(res).toMatchObject({ ok: false, error: { retryable: false, providerAnswer: '404 notFound: Resource Not Found: userKey' } });
    expect(!res.ok && res.error.message).toBe(
      `cannot undelete ${ada().email}: Google holds no deleted user with id ${ada().id}. An account can be undeleted for 20 days after its deletion only; past that it is gone for good`,
    );
  });

  it('an id Google never knew fails without a retry', async () => {
    const res = await undelete({ removed: { userId: '100000000000000009999', primaryEmail: 'nobody@example.com', orgUnitPath: '/', suspended: false } });
    expect(res).toMatchObject({ ok: false, error: { retryable: false } });
    expect(!res.ok && res.error.message).toContain('Google holds no deleted user with id 100000000000000009999');
  });

  it('an address taken since the deletion fails without a retry, naming the conflict', async () => {
    const recorded = await deleteAda();
    // A new account for the same employee at the address (so the account check lets the step through to the undelete).
    await directory().users.insert({
      requestBody: { primaryEmail: ada().email, name: { givenName: 'Ada', familyName: 'King' }, password: 'Another-Passw0rd!', externalIds: [{ type: 'organization', value: ada().employeeId }] },
    });
    const res = await undelete(recorded);
    expect(res).toMatchObject({ ok: false, error: { retryable: false } });
    expect(!res.ok && res.error.message).toContain(`cannot undelete ${ada().email} (user id ${ada().id}): its address is taken`);
    expect(bed.emulator.deletedUser(ada().id)).toBeDefined();
  });

  it('an org unit gone since the deletion: the account comes back at the top level, and the note says so', async () => {
    const recorded = await deleteAda();
    const res = await undelete({ removed: { ...(recorded.removed as object), orgUnitPath: '/Gone' } });
    expect(res).toMatchObject({ ok: true, note: 'undeleted into / (its org unit /Gone no longer exists)', result: { restored: { orgUnitPath: '/' } } });
  });

  it('a 503 from users.undelete is retryable, and the retry brings the account back', async () => {
    const recorded = await deleteAda();
    bed.emulator.faults.failNext({ method: 'POST', path: '/undelete$', count: 1, status: 503 });
    expect(await undelete(recorded)).toMatchObject({ ok: false, error: { retryable: true, message: expect.stringContaining(`undeleting Google user ${ada().email} (user id ${ada().id}): Google answered 503`) } });
    expect(await undelete(recorded)).toMatchObject({ ok: true, note: 'undeleted into /Staff' });
  });

  it('a step whose deletion removed nothing has nothing to restore', async () => {
    expect(await undelete(undefined)).toEqual({ ok: true, note: 'nothing to restore: no account was deleted' });
    expect(await undelete({})).toEqual({ ok: true, note: 'nothing to restore: no account was deleted' });
  });

  describe('with no free seat of the license the account held', () => {
    /** Deletes Ada and lets a new user take her Business Standard seat, the last one. */
    const deleteAdaAndFillHerSeat = async () => {
      const recorded = await deleteAda();
      bed.emulator.seedUser({ email: 'mary.jackson@example.com', givenName: 'Mary', familyName: 'Jackson', employeeId: 'E400' });
      bed.emulator.assignLicense('mary.jackson@example.com', 'Google-Apps', '1010020028');
      return recorded;
    };

    it('fails for an operator, not retryable, naming the SKU: free one or buy one, then retry; the retry then brings it back', async () => {
      const recorded = await deleteAdaAndFillHerSeat();
      const res = await undelete(recorded);
      expect(res).toMatchObject({
        ok: false,
        error: {
          retryable: false,
          message: `cannot undelete ${ada().email} (user id ${ada().id}): no free seat of Google Workspace Business Standard: free one or buy one, then retry (Google keeps the account for 20 days after its deletion)`,
          providerAnswer: "412 limitExceeded: You can't restore a user if you don't have an available user license.",
        },
      });
      expect(bed.emulator.deletedUser(ada().id)).toBeDefined();

      bed.emulator.setSkuSeats('Google-Apps', '1010020028', 3);
      expect(await undelete(recorded)).toMatchObject({ ok: true, note: 'undeleted into /Staff' });
      expect(bed.emulator.licensesOf(ada().email)).toEqual([{ productId: 'Google-Apps', skuId: '1010020028' }]);
    });

    it('a record made before the licenses were kept still says what is wrong', async () => {
      const recorded = await deleteAdaAndFillHerSeat();
      const { licenses: _licenses, ...older } = recorded.removed as Record<string, unknown>;
      const res = await undelete({ removed: older });
      expect(!res.ok && res.error.message).toContain(`no free seat of the license ${ada().email} held when deleted: free one or buy one, then retry`);
    });

    it('is recognised by its reason whatever the status: a 403 limitExceeded (no source gives the status) is no free seat too', async () => {
      const recorded = await deleteAda();
      bed.emulator.faults.failNext({ method: 'POST', path: '/undelete$', count: 1, status: 403, reason: 'limitExceeded', message: 'Limit exceeded.' });
      expect(await undelete(recorded)).toMatchObject({
        ok: false,
        error: { retryable: false, message: expect.stringContaining(`cannot undelete ${ada().email} (user id ${ada().id}): no free seat of Google Workspace Business Standard`), providerAnswer: '403 limitExceeded: Limit exceeded.' },
      });
    });
  });
});
