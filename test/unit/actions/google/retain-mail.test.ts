/** google.retainMail and google.releaseMailRetention against the Google emulator: a Vault hold, or the Archived User license. */
import { ARCHIVED_USER_PRODUCT_ID, ARCHIVED_USER_SKU_IDS, holdName, retainMail } from '../../../../lambdas/actions/google/retain-mail';
import { VaultClient } from '../../../../lambdas/providers/google/vault-client';
import { releaseMailRetention } from '../../../../lambdas/actions/google/release-mail-retention';
import { runAction } from '../../../../lambdas/actions/run-action';
import { createGoogleClients } from '../../../../lambdas/providers/google/google-clients';
import { ALL_GOOGLE_SCOPES, GOOGLE_SCOPE } from '../../../../lambdas/providers/google/google-scopes';
import { DEFAULT_RATE_LIMIT } from '../../../../lambdas/providers/rate-limited-fetch';
import { LOCAL_GOOGLE_CREDENTIALS } from '../../../../local/credentials/google-local-token';
import * as catalog from '../../../../local/emulators/google/catalog';
import type { MailRetention } from '../../../../config/mail-retention';
import type { ActionRequest, ActionResponse } from '../../../../lambdas/engine/ports';
import { expectFailure, useGoogleTestBed } from '../../../support/google-emulator';

const STANDARD = { productId: 'Google-Apps', skuId: '1010020028' };
const STANDARD_AU = { productId: '101034', skuId: '1010340006' };

describe('mail retention', () => {
  const bed = useGoogleTestBed();
  const ada = () => bed().sample.users.ada;
  const google = () => bed().ctx.providers.google!();
  const withSetting = (setting: Partial<MailRetention>) => ({ ...bed().ctx, mailRetention: () => ({ method: 'none' as const, matterName: 'Leavers', ...setting }) });
  const retain = (setting: Partial<MailRetention>, params: Record<string, unknown> = {}, employee = {}, role?: ActionRequest['role']) =>
    runAction(retainMail, withSetting(setting), bed().request('google.retainMail', { params, employee, ...(role ? { role } : {}) }));
  const release = (result: unknown) => runAction(releaseMailRetention, bed().ctx, bed().request('google.releaseMailRetention', { params: { result } }));
  const resultOf = (res: ActionResponse) => (res.ok ? res.result : undefined);
  const matters = () => bed().emulator.toJSON().matters ?? [];

  it('uses the Archived User ids Google publishes, the same the emulator sells', () => {
    expect(ARCHIVED_USER_PRODUCT_ID).toBe(catalog.ARCHIVED_USER_PRODUCT_ID);
    expect([...ARCHIVED_USER_SKU_IDS].sort()).toEqual(catalog.ARCHIVED_USER_SKUS.map((s) => s.skuId).sort());
  });

  it('does nothing when the stage keeps no mail, or when another step of the playbook carries the method out', async () => {
    expect(await retain({ method: 'none' })).toMatchObject({ ok: true, note: 'the stage says none: the mail is kept only as long as the account', result: { decidedBy: { by: 'stage', method: 'none' } } });
    expect(await retain({ method: 'vault-hold' }, { methods: ['archived-user-license'] })).toMatchObject({ ok: true, note: 'the stage says vault-hold, which another step of the playbook does' });
    expect(matters()).toEqual([]);
    expect(bed().emulator.user(ada().email)?.archived).toBe(false);
  });

  it('refuses a method it does not know, naming the field, and changes nothing', async () => {
    const res = await retain({ method: 'vault-hold' }, { methods: ['tape'] });
    expect(expectFailure(res)).toMatchObject({ retryable: false, message: expect.stringContaining('methods') });
    expect(matters()).toEqual([]);
  });

  describe("the role the leaver held decides before the stage", () => {
    const role = (mailRetention?: 'vault-hold' | 'archived-user-license' | 'none') => ({ name: 'support-agent', manualTasks: [], ...(mailRetention ? { mailRetention } : {}) });

    it('a role on none keeps nothing though the stage says vault-hold: no matter, no hold', async () => {
      const res = await retain({ method: 'vault-hold' }, { methods: ['vault-hold'] }, {}, role('none'));
      expect(res).toMatchObject({ ok: true, note: 'the role support-agent says none: the mail is kept only as long as the account', result: { decidedBy: { by: 'role', role: 'support-agent', method: 'none' } } });
      expect(matters()).toEqual([]);
      expect(bed().emulator.user(ada().email)?.archived).toBe(false);
    });

    it('a role on archived-user-license: the cut-off step (vault-hold) holds nothing, the archive step archives', async () => {
      const hold = await retain({ method: 'vault-hold' }, { methods: ['vault-hold'] }, {}, role('archived-user-license'));
      expect(hold).toMatchObject({ ok: true, note: 'the role support-agent says archived-user-license, which another step of the playbook does' });
      expect(matters()).toEqual([]);
      const archive = await retain({ method: 'vault-hold' }, { methods: ['archived-user-license'] }, {}, role('archived-user-license'));
      expect(archive).toMatchObject({ ok: true, note: 'archived: holds Google Workspace Business Standard - Archived User (the role support-agent says archived-user-license)' });
      expect(resultOf(archive)).toMatchObject({ retained: { method: 'archived-user-license' }, previous: { archived: false }, decidedBy: { by: 'role', role: 'support-agent', method: 'archived-user-license' } });
      expect(bed().emulator.user(ada().email)?.archived).toBe(true);
      expect(bed().emulator.licensesOf(ada().email)).toEqual([STANDARD_AU]);
      // The restore undoes what the step recorded, whatever decided it.
      expect(await release(resultOf(archive))).toMatchObject({ ok: true, note: 'unarchived: the Workspace license is back' });
      expect(bed().emulator.user(ada().email)?.archived).toBe(false);
    });

    it("a role on vault-hold holds the mail in the stage's matter though the stage archives", async () => {
      const archive = await retain({ method: 'archived-user-license', matterName: 'Kept mail' }, { methods: ['archived-user-license'] }, {}, role('vault-hold'));
      expect(archive).toMatchObject({ ok: true, note: 'the role support-agent says vault-hold, which another step of the playbook does' });
      expect(bed().emulator.user(ada().email)?.archived).toBe(false);
      const hold = await retain({ method: 'archived-user-license', matterName: 'Kept mail' }, { methods: ['vault-hold'] }, {}, role('vault-hold'));
      expect(hold).toMatchObject({ ok: true, note: expect.stringMatching(/^mail on Vault hold \S+ in matter Kept mail \(matter made\) \(the role support-agent says vault-hold\)$/) });
      expect(matters()).toMatchObject([{ name: 'Kept mail', holds: [{ name: holdName('E100'), accounts: [{ accountId: ada().id }] }] }]);
      expect(await release(resultOf(hold))).toMatchObject({ ok: true, note: expect.stringMatching(/Vault hold \S+ deleted/) });
    });

    it('a role that names no method leaves it to the stage', async () => {
      const res = await retain({ method: 'vault-hold' }, { methods: ['archived-user-license'] }, {}, role());
      expect(res).toMatchObject({ ok: true, note: 'the stage says vault-hold, which another step of the playbook does' });
    });
  });

  describe('by a Vault hold', () => {
    it('makes the matter, puts the mailbox on its own hold, reads it back and records it', async () => {
      const res = await retain({ method: 'vault-hold', matterName: 'Leavers' });
      expect(res).toMatchObject({ ok: true, note: expect.stringMatching(/^mail on Vault hold \S+ in matter Leavers \(matter made\) \(the stage says vault-hold\)$/) });
      const [matter] = matters();
      expect(matter).toMatchObject({ name: 'Leavers', state: 'OPEN', holds: [{ name: holdName('E100'), corpus: 'MAIL', accounts: [{ accountId: ada().id }] }] });
      expect(resultOf(res)).toEqual({ retained: { method: 'vault-hold', matterId: matter.matterId, matterName: 'Leavers', holdId: matter.holds[0].holdId, accountId: ada().id }, previous: { onHold: false }, decidedBy: { by: 'stage', method: 'vault-hold' } });
    });

    it('uses the open matter of that name, and a second run finds the hold in place', async () => {
      const made = await google().vault.createMatter('Leavers');
      await retain({ method: 'vault-hold' });
      const again = await retain({ method: 'vault-hold' });
      expect(again).toMatchObject({ ok: true, note: expect.stringMatching(/^mail already on Vault hold/), result: { retained: { matterId: made.matterId } } });
      expect(resultOf(again)).not.toHaveProperty('previous');
      expect(matters()).toHaveLength(1);
      expect(matters()[0].holds).toHaveLength(1);
    });

    it("two leavers held at once (a layoff's parallel steps) end with one matter, both holds in it", async () => {
      const alan = bed().sample.users.alan;
      // Both list the matters before either makes one: each createMatter waits until the other has been called too.
      const create = VaultClient.prototype.createMatter;
      let waiting: (() => void) | undefined;
      const spy = jest.spyOn(VaultClient.prototype, 'createMatter').mockImplementation(async function (this: VaultClient, ...args) {
        if (waiting) waiting();
        else await new Promise<void>((resolve) => (waiting = resolve));
        return create.apply(this, args);
      });
      const [a, b] = await Promise.all([retain({ method: 'vault-hold' }), retain({ method: 'vault-hold' }, {}, { id: 'E101', email: alan.email, firstName: 'Alan', lastName: 'Turing' })]);
      const made = spy.mock.calls.length;
      spy.mockRestore();
      expect(made).toBe(2);
      expect([a, b]).toEqual([expect.objectContaining({ ok: true }), expect.objectContaining({ ok: true })]);
      const open = matters().filter((m) => m.state === 'OPEN');
      expect(open).toHaveLength(1);
      expect(open[0].holds.map((h) => h.name).sort()).toEqual([holdName('E100'), holdName('E101')]);
      expect(matters().filter((m) => m.state !== 'OPEN').every((m) => m.state === 'DELETED' && m.holds.length === 0)).toBe(true);
      expect([resultOf(a), resultOf(b)].map((r) => (r!.retained as { matterId: string }).matterId)).toEqual([open[0].matterId, open[0].matterId]);
    });

    it('a matter closed between its pick and the hold (another run’s duplicate, closed by it): the hold goes in the matter left open', async () => {
      const picked = await google().vault.createMatter('Leavers');
      const create = VaultClient.prototype.createHold;
      let other: string | undefined;
      const spy = jest.spyOn(VaultClient.prototype, 'createHold').mockImplementation(async function (this: VaultClient, ...args) {
        if (!other) {
          // Another run made the matter that sorts first, and closed this one, before this run's hold reached Vault.
          other = (await google().vault.createMatter('Leavers')).matterId;
          await google().vault.closeMatter(picked.matterId);
        }
        return create.apply(this, args);
      });
      const res = await retain({ method: 'vault-hold' });
      const tries = spy.mock.calls.map(([matterId]) => matterId);
      spy.mockRestore();
      expect(tries).toEqual([picked.matterId, other]);
      expect(res).toMatchObject({ ok: true, result: { retained: { matterId: other } } });
      expect(matters().find((m) => m.matterId === other)!.holds.map((h) => h.name)).toEqual([holdName('E100')]);
    });

    it('of two open matters of the name, uses the one whose id sorts first, whatever the order they are listed in', async () => {
      // Listed in the order made: make them until a later one sorts before the first, so the list's first is not it.
      const made = [await google().vault.createMatter('Leavers')];
      do made.push(await google().vault.createMatter('Leavers'));
      while (made[made.length - 1].matterId > made[0].matterId);
      const first = [...made].sort((x, y) => (x.matterId < y.matterId ? -1 : 1))[0];
      expect((await google().vault.listMatters('OPEN'))[0].matterId).not.toBe(first.matterId);
      expect(await retain({ method: 'vault-hold' })).toMatchObject({ ok: true, result: { retained: { matterId: first.matterId } } });
      expect(matters().filter((m) => m.state === 'OPEN')).toHaveLength(made.length);
    });

    it('adds the account back to its hold when someone took it off', async () => {
      const first = resultOf(await retain({ method: 'vault-hold' }))!.retained as { matterId: string; holdId: string };
      await google().vault.removeHeldAccounts(first.matterId, first.holdId, [ada().id]);
      expect(await retain({ method: 'vault-hold' })).toMatchObject({ ok: true, result: { retained: { holdId: first.holdId }, previous: { onHold: false } } });
      expect(matters()[0].holds[0].accounts).toEqual([expect.objectContaining({ accountId: ada().id })]);
    });

    it('a leaver with no Google account is a success with a note', async () => {
      expect(await retain({ method: 'vault-hold' }, {}, { id: 'E999', email: 'nobody@example.com' })).toEqual({ ok: true, note: 'no Google account nobody@example.com; nothing to retain the mail of' });
      expect(matters()).toEqual([]);
    });

    it('without the ediscovery scope, Vault refuses and the step goes to an operator saying what to delegate', async () => {
      const narrow = createGoogleClients({
        rootUrl: `${bed().url}/`,
        customerId: 'my_customer',
        adminSubject: bed().sample.users.admin.email,
        credentials: LOCAL_GOOGLE_CREDENTIALS,
        rateLimit: { ...DEFAULT_RATE_LIMIT, maxRetries: 0 },
        scopes: ALL_GOOGLE_SCOPES.filter((s) => s !== GOOGLE_SCOPE.ediscovery),
      });
      const ctx = { ...withSetting({ method: 'vault-hold' }), providers: { google: () => narrow } };
      const error = expectFailure(await runAction(retainMail, ctx, bed().request('google.retainMail')));
      expect(error).toMatchObject({ retryable: false, message: expect.stringContaining('https://www.googleapis.com/auth/ediscovery') });
      expect(matters()).toEqual([]);
    });

    it('a 503 from Vault is retried later, and nothing is held', async () => {
      bed().emulator.faults.failNext({ method: 'POST', path: '^/v1/matters/[^/]+/holds$', count: 1, status: 503 });
      expect(expectFailure(await retain({ method: 'vault-hold' }))).toMatchObject({ retryable: true });
      expect(matters()[0].holds).toEqual([]);
    });

    it('restore deletes the hold the run made, and says so when it is gone already', async () => {
      const res = await retain({ method: 'vault-hold' });
      expect(await release(resultOf(res))).toMatchObject({ ok: true, note: expect.stringMatching(/Vault hold \S+ deleted/) });
      expect(matters()[0].holds).toEqual([]);
      expect(await release(resultOf(res))).toMatchObject({ ok: true, note: expect.stringContaining('is gone already') });
    });

    it('a 503 from Vault on restore is retried later, and the hold stays', async () => {
      const res = await retain({ method: 'vault-hold' });
      bed().emulator.faults.failNext({ method: 'DELETE', path: '^/v1/matters/', count: 1, status: 503 });
      expect(expectFailure(await release(resultOf(res)))).toMatchObject({ retryable: true, message: expect.stringContaining('deleting Vault hold') });
      expect(matters()[0].holds).toHaveLength(1);
    });

    it('restore takes only this account off a hold others share', async () => {
      const res = await retain({ method: 'vault-hold' });
      const { matterId, holdId } = resultOf(res)!.retained as { matterId: string; holdId: string };
      await google().vault.addHeldAccounts(matterId, holdId, [bed().sample.users.alan.email]);
      expect(await release(resultOf(res))).toMatchObject({ ok: true, note: `taken off Vault hold ${holdId}` });
      expect(matters()[0].holds[0].accounts).toEqual([expect.objectContaining({ accountId: bed().sample.users.alan.id })]);
    });

    it('restore leaves a hold that was there before the run', async () => {
      await retain({ method: 'vault-hold' });
      const second = await retain({ method: 'vault-hold' });
      expect(await release(resultOf(second))).toMatchObject({ ok: true, note: expect.stringContaining('nothing to restore') });
      expect(matters()[0].holds).toHaveLength(1);
    });
  });

  describe('by the Archived User license', () => {
    it("archives the account: its Business Standard license becomes the edition's Archived User license, read back and recorded", async () => {
      const res = await retain({ method: 'archived-user-license' });
      expect(res).toMatchObject({ ok: true, note: 'archived: holds Google Workspace Business Standard - Archived User (the stage says archived-user-license)' });
      expect(resultOf(res)).toEqual({
        retained: { method: 'archived-user-license', accountId: ada().id, license: { ...STANDARD_AU, skuName: 'Google Workspace Business Standard - Archived User' } },
        previous: { archived: false },
        decidedBy: { by: 'stage', method: 'archived-user-license' },
      });
      expect(bed().emulator.user(ada().email)?.archived).toBe(true);
      expect(bed().emulator.licensesOf(ada().email)).toEqual([STANDARD_AU]);
      expect(bed().emulator.seats(STANDARD.productId, STANDARD.skuId)?.used).toBe(1);
    });

    it('a second run finds the account archived and records nothing to undo', async () => {
      await retain({ method: 'archived-user-license' });
      const again = await retain({ method: 'archived-user-license' });
      expect(again).toMatchObject({ ok: true, note: 'already archived: holds Google Workspace Business Standard - Archived User (the stage says archived-user-license)' });
      expect(resultOf(again)).not.toHaveProperty('previous');
    });

    it('a leaver with no Google account is a success with a note', async () => {
      expect(await retain({ method: 'archived-user-license' }, {}, { id: 'E999', email: 'nobody@example.com' })).toMatchObject({ ok: true, note: expect.stringContaining('no Google account') });
    });

    it('with no Archived User seat free, Google refuses and the step goes to an operator; nothing changes', async () => {
      bed().emulator.setSkuSeats(STANDARD_AU.productId, STANDARD_AU.skuId, 0);
      const error = expectFailure(await retain({ method: 'archived-user-license' }));
      expect(error).toMatchObject({ retryable: false, message: expect.stringContaining('Archived User license') });
      expect(bed().emulator.user(ada().email)?.archived).toBe(false);
      expect(bed().emulator.licensesOf(ada().email)).toEqual([STANDARD]);
    });

    it('restore unarchives: the Business Standard license is back', async () => {
      const res = await retain({ method: 'archived-user-license' });
      expect(await release(resultOf(res))).toMatchObject({ ok: true, note: 'unarchived: the Workspace license is back' });
      expect(bed().emulator.user(ada().email)?.archived).toBe(false);
      expect(bed().emulator.licensesOf(ada().email)).toEqual([STANDARD]);
    });

    it('restore with no Business Standard seat free goes to an operator, the account still archived', async () => {
      const res = await retain({ method: 'archived-user-license' });
      bed().emulator.setSkuSeats(STANDARD.productId, STANDARD.skuId, 1);
      expect(expectFailure(await release(resultOf(res)))).toMatchObject({ retryable: false, message: expect.stringContaining('no seat of it is free') });
      expect(bed().emulator.user(ada().email)?.archived).toBe(true);
    });
  });
});
