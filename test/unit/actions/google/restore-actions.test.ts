/**
 * Every Google restore against the emulator through the real clients: the removing action runs first, its
 * result goes to the restore as `{ result }`, and the state read back through the API must be what it was.
 */
import type { ActionDefinition } from '../../../../lambdas/actions/define-action';
import { delegateToManager } from '../../../../lambdas/actions/google/delegate-to-manager';
import { hideFromDirectory } from '../../../../lambdas/actions/google/hide-from-directory';
import { moveToOrgUnit } from '../../../../lambdas/actions/google/move-to-org-unit';
import { removeDelegation } from '../../../../lambdas/actions/google/remove-delegation';
import { removeExternalForwarding } from '../../../../lambdas/actions/google/remove-external-forwarding';
import { removeFromGroups } from '../../../../lambdas/actions/google/remove-from-groups';
import { removeLicenses } from '../../../../lambdas/actions/google/remove-licenses';
import { restoreAutoReply } from '../../../../lambdas/actions/google/restore-auto-reply';
import { restoreDelegates } from '../../../../lambdas/actions/google/restore-delegates';
import { restoreDirectoryVisibility } from '../../../../lambdas/actions/google/restore-directory-visibility';
import { restoreForwarding } from '../../../../lambdas/actions/google/restore-forwarding';
import { restoreGroups } from '../../../../lambdas/actions/google/restore-groups';
import { restoreLicenses } from '../../../../lambdas/actions/google/restore-licenses';
import { restoreOrgUnit } from '../../../../lambdas/actions/google/restore-org-unit';
import { setAutoReply } from '../../../../lambdas/actions/google/set-auto-reply';
import { suspendUser } from '../../../../lambdas/actions/google/suspend-user';
import { unsuspendUser } from '../../../../lambdas/actions/google/unsuspend-user';
import { runAction } from '../../../../lambdas/actions/run-action';
import { expectOk, useGoogleTestBed, type GoogleTestBed, soleOwnedGroupHandedOver, sampleOf } from '../../../support/google-emulator';

const currentBed = useGoogleTestBed({ setUp: soleOwnedGroupHandedOver });
let bed: GoogleTestBed;
beforeEach(() => {
  bed = currentBed();
});

type Def = ActionDefinition<unknown>;
const { g, ada } = sampleOf(() => bed);
const gmail = () => g().gmailFor(ada());
const user = async () => (await g().directory.users.get({ userKey: ada() })).data;
const ok = expectOk;
const sorted = <T>(xs: T[]) => [...xs].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

interface Pair {
  removal: Def;
  removalParams?: Record<string, unknown>;
  restore: Def;
  /** Makes the sample hold something for the removal to take (auto-forwarding, an earlier auto-reply). */
  setup?: () => Promise<void>;
  /** What the removal changes, read through the API. */
  state: () => Promise<unknown>;
  /** The restore's write call, for fault injection. */
  write: { method: string; path: string };
}

const pairs: [string, Pair][] = [
  [
    'removeFromGroups → restoreGroups',
    {
      removal: removeFromGroups as Def,
      restore: restoreGroups as Def,
      state: async () => {
        const groups = (await g().directory.groups.list({ userKey: ada() })).data.groups ?? [];
        const roles = await Promise.all(groups.map(async (x) => [x.email, (await g().directory.members.get({ groupKey: x.email!, memberKey: ada() })).data.role]));
        return sorted(roles);
      },
      write: { method: 'POST', path: '/members$' },
    },
  ],
  [
    'delegateToManager → restoreDelegates',
    {
      removal: delegateToManager as Def,
      restore: restoreDelegates as Def,
      state: async () => sorted(((await (await gmail()).users.settings.delegates.list({ userId: ada() })).data.delegates ?? []).map((d) => d.delegateEmail)),
      write: { method: 'POST', path: '/settings/delegates$' },
    },
  ],
  [
    'removeDelegation → restoreDelegates',
    {
      removal: removeDelegation as Def,
      restore: restoreDelegates as Def,
      state: async () => sorted(((await (await gmail()).users.settings.delegates.list({ userId: ada() })).data.delegates ?? []).map((d) => d.delegateEmail)),
      write: { method: 'POST', path: '/settings/delegates$' },
    },
  ],
  [
    'removeExternalForwarding → restoreForwarding',
    {
      removal: removeExternalForwarding as Def,
      // With no domain counting as internal, Grace's verified address and the auto-forwarding to it are "external".
      removalParams: { internalDomains: ['elsewhere.example'] },
      restore: restoreForwarding as Def,
      setup: async () => {
        await (await gmail()).users.settings.updateAutoForwarding({ userId: ada(), requestBody: { enabled: true, emailAddress: bed.sample.users.grace.email, disposition: 'archive' } });
      },
      state: async () => {
        const settings = (await gmail()).users.settings;
        const addresses = (await settings.forwardingAddresses.list({ userId: ada() })).data.forwardingAddresses ?? [];
        const auto = (await settings.getAutoForwarding({ userId: ada() })).data;
        return { addresses: sorted(addresses.map((a) => [a.forwardingEmail, a.verificationStatus])), auto };
      },
      write: { method: 'POST', path: '/settings/forwardingAddresses$' },
    },
  ],
  [
    'hideFromDirectory → restoreDirectoryVisibility',
    {
      removal: hideFromDirectory as Def,
      restore: restoreDirectoryVisibility as Def,
      state: async () => (await user()).includeInGlobalAddressList !== false,
      write: { method: 'PATCH', path: '/users/' },
    },
  ],
  [
    'setAutoReply → restoreAutoReply',
    {
      removal: setAutoReply as Def,
      removalParams: { subject: 'Ada has left', message: 'Please write to {managerEmail}.' },
      restore: restoreAutoReply as Def,
      setup: async () => bed.emulator.setVacation(ada(), { enableAutoReply: true, responseSubject: 'On holiday', responseBodyPlainText: 'Back on Monday.' }),
      state: async () => {
        const v = (await (await gmail()).users.settings.getVacation({ userId: ada() })).data;
        return { enableAutoReply: v.enableAutoReply, responseSubject: v.responseSubject, responseBodyPlainText: v.responseBodyPlainText };
      },
      write: { method: 'PUT', path: '/settings/vacation$' },
    },
  ],
  [
    'suspendUser → unsuspendUser',
    { removal: suspendUser as Def, restore: unsuspendUser as Def, state: async () => (await user()).suspended, write: { method: 'PATCH', path: '/users/' } },
  ],
  [
    'moveToOrgUnit → restoreOrgUnit',
    { removal: moveToOrgUnit as Def, restore: restoreOrgUnit as Def, state: async () => (await user()).orgUnitPath, write: { method: 'PATCH', path: '/users/' } },
  ],
  [
    'removeLicenses → restoreLicenses',
    {
      removal: removeLicenses as Def,
      restore: restoreLicenses as Def,
      state: async () => bed.emulator.licensesOf(ada()),
      write: { method: 'POST', path: '^/apps/licensing/v1/' },
    },
  ],
];

describe.each(pairs)('%s', (_name, pair) => {
  const remove = async () => ok(await runAction(pair.removal, bed.ctx, bed.request(pair.removal.name, { params: pair.removalParams ?? {} }))).result;
  const restore = (params: Record<string, unknown>, employee = {}) =>
    runAction(pair.restore, bed.ctx, bed.request(pair.restore.name, { eventType: 'cancel', params, employee }));

  beforeEach(async () => {
    await pair.setup?.();
  });

  it('puts back what the removal took, as read through the API', async () => {
    const before = await pair.state();
    const result = await remove();
    expect(await pair.state()).not.toEqual(before);
    const res = ok(await restore({ result }));
    expect(res.note).not.toMatch(/^nothing to restore/);
    expect(await pair.state()).toEqual(before);
  });

  it('a second restore succeeds with a note and leaves the same state', async () => {
    const before = await pair.state();
    const result = await remove();
    ok(await restore({ result }));
    const again = ok(await restore({ result }));
    expect(again.note).toMatch(/already/);
    expect(await pair.state()).toEqual(before);
  });

  it('has nothing to restore when the removal recorded nothing', async () => {
    const before = await pair.state();
    const requests = bed.emulator.faults.requests;
    const res = ok(await restore({}));
    expect(res.note).toMatch(/^nothing to restore: /);
    // One read only: the account check's users.get on the employee's account, before the restore; no write.
    expect(bed.emulator.faults.requests).toBe(requests + 1);
    expect(await pair.state()).toEqual(before);
  });

  it('fails, not retryable, when the account to restore onto is gone', async () => {
    const result = await remove();
    const res = await restore({ result }, { id: 'E999', email: 'nobody@example.com' });
    expect(res).toMatchObject({ ok: false, error: { retryable: false } });
    expect(!res.ok && res.error.message).toContain('Google has no user nobody@example.com');
  });

  it.each([
    [503, true],
    [403, false],
  ])('a %i on the write fails, retryable: %s, naming what was being done', async (status, retryable) => {
    const result = await remove();
    const removed = await pair.state();
    bed.emulator.faults.failNext({ ...pair.write, count: 1, status, ...(status === 403 ? { reason: 'forbidden' } : {}) });
    const res = await restore({ result });
    expect(res).toMatchObject({ ok: false, error: { retryable } });
    expect(!res.ok && res.error.message).toContain(`Google answered ${status}`);
    expect(!res.ok && res.error.providerAnswer).toContain(String(status));
    if (retryable) expect(await pair.state()).toEqual(removed);
  });

  it('rejects params other than the result, before calling Google', async () => {
    const requests = bed.emulator.faults.requests;
    const res = await restore({ result: {}, extra: true });
    expect(res).toMatchObject({ ok: false, error: { retryable: false } });
    expect(bed.emulator.faults.requests).toBe(requests);
  });
});
