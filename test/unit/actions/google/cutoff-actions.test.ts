/** The cut-off actions against the Google emulator through the real clients: act, read back, repeat, not found, errors. */
import type { ActionDefinition } from '../../../../lambdas/actions/define-action';
import { deleteAppPasswords } from '../../../../lambdas/actions/google/delete-app-passwords';
import { delegateToManager } from '../../../../lambdas/actions/google/delegate-to-manager';
import { hideFromDirectory } from '../../../../lambdas/actions/google/hide-from-directory';
import { invalidateBackupCodes } from '../../../../lambdas/actions/google/invalidate-backup-codes';
import { removeExternalForwarding } from '../../../../lambdas/actions/google/remove-external-forwarding';
import { removeFromGroups } from '../../../../lambdas/actions/google/remove-from-groups';
import { resetPassword } from '../../../../lambdas/actions/google/reset-password';
import { revokeTokens } from '../../../../lambdas/actions/google/revoke-tokens';
import { setAutoReply } from '../../../../lambdas/actions/google/set-auto-reply';
import { signOut } from '../../../../lambdas/actions/google/sign-out';
import { turnOffTwoStep } from '../../../../lambdas/actions/google/turn-off-two-step';
import { wipeMobileDevices } from '../../../../lambdas/actions/google/wipe-mobile-devices';
import { runAction } from '../../../../lambdas/actions/run-action';
import { expectOk, useGoogleTestBed, type GoogleTestBed } from '../../../support/google-emulator';

const currentBed = useGoogleTestBed();
let bed: GoogleTestBed;
beforeEach(() => {
  bed = currentBed();
  // The handover before the cut-off gave the group Ada alone owns another owner: google.removeFromGroups leaves a
  // group's only owner in it.
  bed.emulator.addMember(bed.sample.groups.analyticalEngine, bed.sample.users.grace.email, 'OWNER');
});

const run = (def: ActionDefinition<unknown>, params: Record<string, unknown> = {}, employee = {}) =>
  runAction(def, bed.ctx, bed.request(def.name, { params, employee }));
const ok = expectOk;
const g = () => bed.ctx.providers.google!();
const ada = () => bed.sample.users.ada.email;
const user = async () => (await g().directory.users.get({ userKey: ada() })).data;
const gmail = async () => g().gmailFor(ada());

const autoReply = { subject: 'Ada has left', message: 'Please write to {managerEmail}.' };

const cases: [string, ActionDefinition<unknown>, Record<string, unknown>, () => Promise<void>][] = [
  ['signOut', signOut, {}, async () => expect((await user()) as Record<string, unknown>).toHaveProperty('lastSignOutAt')],
  [
    'resetPassword',
    resetPassword,
    {},
    async () => {
      const state = JSON.stringify(bed.emulator.toJSON());
      expect(state).toContain('passwordSha256');
      // Signed out after the change: a session opened with the old password meanwhile is closed too.
      expect((await user()) as Record<string, unknown>).toHaveProperty('lastSignOutAt');
    },
  ],
  ['revokeTokens', revokeTokens, {}, async () => expect((await g().directory.tokens.list({ userKey: ada() })).data.items ?? []).toEqual([])],
  ['deleteAppPasswords', deleteAppPasswords, {}, async () => expect((await g().directory.asps.list({ userKey: ada() })).data.items ?? []).toEqual([])],
  ['invalidateBackupCodes', invalidateBackupCodes, {}, async () => expect((await g().directory.verificationCodes.list({ userKey: ada() })).data.items ?? []).toEqual([])],
  ['turnOffTwoStep', turnOffTwoStep, {}, async () => expect((await user()).isEnrolledIn2Sv).toBe(false)],
  [
    'removeExternalForwarding',
    removeExternalForwarding,
    {},
    async () => {
      const addresses = (await (await gmail()).users.settings.forwardingAddresses.list({ userId: ada() })).data.forwardingAddresses ?? [];
      expect(addresses.every((a) => a.forwardingEmail!.endsWith('@example.com'))).toBe(true);
    },
  ],
  [
    'wipeMobileDevices',
    wipeMobileDevices,
    {},
    async () => {
      const devices = (await g().directory.mobiledevices.list({ customerId: 'my_customer', query: `email:${ada()}` })).data.mobiledevices ?? [];
      expect(devices.length).toBeGreaterThan(0);
      expect(devices.every((d) => d.status === 'ACCOUNT_WIPING')).toBe(true);
    },
  ],
  [
    'setAutoReply',
    setAutoReply,
    autoReply,
    async () => {
      const v = (await (await gmail()).users.settings.getVacation({ userId: ada() })).data;
      expect(v).toMatchObject({ enableAutoReply: true, responseSubject: 'Ada has left', responseBodyPlainText: `Please write to ${bed.sample.users.grace.email}.` });
    },
  ],
  [
    'delegateToManager',
    delegateToManager,
    {},
    async () => {
      const delegates = (await (await gmail()).users.settings.delegates.list({ userId: ada() })).data.delegates ?? [];
      expect(delegates.map((d) => d.delegateEmail)).toEqual([bed.sample.users.grace.email]);
    },
  ],
  ['hideFromDirectory', hideFromDirectory, {}, async () => expect((await user()).includeInGlobalAddressList).toBe(false)],
  ['removeFromGroups', removeFromGroups, {}, async () => expect((await g().directory.groups.list({ userKey: ada() })).data.groups ?? []).toEqual([])],
];

describe.each(cases)('google.%s', (_name, def, params, readBack) => {
  it('acts, and the change reads back through the real API', async () => {
    ok(await run(def, params));
    await readBack();
  });

  it('is idempotent: a second run succeeds and leaves the same state', async () => {
    ok(await run(def, params));
    ok(await run(def, params));
    await readBack();
  });

  it("reads the leaver's account once: the account check's users.get serves the action", async () => {
    const seen = bed.emulator.faults.startRecording();
    ok(await run(def, params));
    const address = ada();
    const reads = seen.filter((r) => r.startsWith('GET ') && [address, encodeURIComponent(address)].some((a) => r.endsWith(`/admin/directory/v1/users/${a}`)));
    // hideFromDirectory and turnOffTwoStep read the account back after changing it, to see the change stuck.
    expect(reads).toHaveLength(['hideFromDirectory', 'turnOffTwoStep'].includes(_name) ? 2 : 1);
  });

  it('looks for a missing account once: the check found none, so the action does not look again', async () => {
    const seen = bed.emulator.faults.startRecording();
    ok(await run(def, params, { id: 'E999', email: 'nobody@example.com' }));
    expect(seen.filter((r) => r.startsWith('GET ') && /\/admin\/directory\/v1\/users\/nobody(@|%40)example\.com$/.test(r))).toHaveLength(1);
  });

  it('treats a leaver with no account as done', async () => {
    const res = ok(await run(def, params, { id: 'E999', email: 'nobody@example.com' }));
    expect(res.note).toMatch(/^no Google account nobody@example.com/);
  });

  it('passes a 503 on as retryable and a 403 as not', async () => {
    bed.emulator.faults.failNext({ path: '.', count: 1, status: 503 });
    const unavailable = await run(def, params);
    expect(unavailable).toMatchObject({ ok: false, error: { retryable: true } });
    bed.emulator.faults.failNext({ path: '.', count: 1, status: 403, reason: 'forbidden' });
    const forbidden = await run(def, params);
    expect(forbidden).toMatchObject({ ok: false, error: { retryable: false } });
    expect(!forbidden.ok && forbidden.error.providerAnswer).toContain('403');
  });
});

describe('what the removals record, for a restore', () => {
  it('removeFromGroups records every group with the role held', async () => {
    const res = ok(await run(removeFromGroups));
    expect((res.result as { removed: { groups: unknown[] } }).removed.groups).toEqual(
      expect.arrayContaining([
        { groupKey: 'engineering@example.com', role: 'MANAGER' },
        { groupKey: 'analytical-engine@example.com', role: 'OWNER' },
        { groupKey: 'all-staff@example.com', role: 'MEMBER' },
      ]),
    );
  });

  it('delegateToManager records the delegates it removed', async () => {
    const res = ok(await run(delegateToManager));
    expect(res.result).toMatchObject({ delegate: bed.sample.users.grace.email, removed: { delegates: [bed.sample.users.alan.email] } });
  });

  it('revokeTokens records which apps lost access', async () => {
    const res = ok(await run(revokeTokens));
    expect(JSON.stringify(res.result)).toContain('Slack');
  });

  it('removeExternalForwarding keeps an internal forwarding address and removes an outside one', async () => {
    bed.emulator.seedForwardingAddress(ada(), 'ada.private@gmail.example');
    const res = ok(await run(removeExternalForwarding));
    expect(res.result).toMatchObject({ removed: { forwardingAddresses: ['ada.private@gmail.example'] } });
    const left = (await (await gmail()).users.settings.forwardingAddresses.list({ userId: ada() })).data.forwardingAddresses ?? [];
    expect(left.map((a) => a.forwardingEmail)).toEqual([bed.sample.users.grace.email]);
  });

  it('resetPassword never returns the password', async () => {
    const res = ok(await run(resetPassword));
    expect(JSON.stringify(res)).not.toMatch(/password"\s*:/i);
  });
});

describe('preconditions an operator must fix', () => {
  it('delegateToManager without a manager is not retryable', async () => {
    const res = await run(delegateToManager, {}, { managerEmail: undefined });
    expect(res).toMatchObject({ ok: false, error: { retryable: false } });
    expect(!res.ok && res.error.message).toContain('managerEmail');
  });

  it('an employee without an email is not retryable', async () => {
    const res = await run(signOut, {}, { email: undefined });
    expect(res).toMatchObject({ ok: false, error: { retryable: false } });
  });
});
