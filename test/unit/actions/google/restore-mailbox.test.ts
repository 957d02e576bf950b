/** The restores of groups, delegates, forwarding and the auto-reply: what comes back, what is left alone, and what needs an operator. */
import type { ActionDefinition } from '../../../../lambdas/actions/define-action';
import { delegateToManager } from '../../../../lambdas/actions/google/delegate-to-manager';
import { removeDelegation } from '../../../../lambdas/actions/google/remove-delegation';
import { removeExternalForwarding } from '../../../../lambdas/actions/google/remove-external-forwarding';
import { removeFromGroups } from '../../../../lambdas/actions/google/remove-from-groups';
import { restoreAutoReply } from '../../../../lambdas/actions/google/restore-auto-reply';
import { restoreDelegates } from '../../../../lambdas/actions/google/restore-delegates';
import { restoreForwarding } from '../../../../lambdas/actions/google/restore-forwarding';
import { restoreGroups } from '../../../../lambdas/actions/google/restore-groups';
import { setAutoReply } from '../../../../lambdas/actions/google/set-auto-reply';
import { runAction } from '../../../../lambdas/actions/run-action';
import { expectOk, useGoogleTestBed, type GoogleTestBed, soleOwnedGroupHandedOver, sampleOf } from '../../../support/google-emulator';

const currentBed = useGoogleTestBed({ setUp: soleOwnedGroupHandedOver });
let bed: GoogleTestBed;
beforeEach(() => {
  bed = currentBed();
});

type Def = ActionDefinition<unknown>;
const { g, ada, grace, alan } = sampleOf(() => bed);
const settings = async () => (await g().gmailFor(ada())).users.settings;
const ok = expectOk;
const remove = async (def: unknown, params: Record<string, unknown> = {}) => {
  const d = def as Def;
  return ok(await runAction(d, bed.ctx, bed.request(d.name, { params }))).result;
};
const restore = (def: unknown, result: unknown) => {
  const d = def as Def;
  return runAction(d, bed.ctx, bed.request(d.name, { eventType: 'cancel', params: { result } }));
};
const roleIn = async (groupKey: string) => {
  try {
    return (await g().directory.members.get({ groupKey, memberKey: ada() })).data.role;
  } catch {
    return undefined;
  }
};
const delegates = async () => ((await (await settings()).delegates.list({ userId: ada() })).data.delegates ?? []).map((d) => d.delegateEmail).sort();

describe('google.restoreGroups', () => {
  it('puts Ada back in each group with the role she held', async () => {
    const result = await remove(removeFromGroups);
    expect(await roleIn('engineering@example.com')).toBeUndefined();
    const res = ok(await restore(restoreGroups, result));
    expect(res.note).toBe('re-added to 3 group(s)');
    expect(await roleIn('engineering@example.com')).toBe('MANAGER');
    expect(await roleIn('analytical-engine@example.com')).toBe('OWNER');
    expect(await roleIn('all-staff@example.com')).toBe('MEMBER');
  });

  it('a group deleted since: the others come back, and the step fails for an operator, naming it', async () => {
    const result = await remove(removeFromGroups);
    bed.emulator.removeGroup('analytical-engine@example.com');
    const res = await restore(restoreGroups, result);
    expect(res).toMatchObject({ ok: false, error: { retryable: false } });
    expect(!res.ok && res.error.message).toContain('adding ada.lovelace@example.com to analytical-engine@example.com as OWNER: Google answered 404');
    expect(!res.ok && res.error.message).toContain('. Restored: all-staff@example.com as MEMBER, engineering@example.com as MANAGER');
    expect(await roleIn('engineering@example.com')).toBe('MANAGER');
    expect(await roleIn('all-staff@example.com')).toBe('MEMBER');
  });

  it('leaves a membership someone re-added since with another role, and says so', async () => {
    const result = await remove(removeFromGroups);
    bed.emulator.addMember('engineering@example.com', ada(), 'MEMBER');
    const res = ok(await restore(restoreGroups, result));
    expect(res.note).toContain('already a member of engineering@example.com');
    expect(res.note).toContain('engineering@example.com (MEMBER, was MANAGER)');
    expect(await roleIn('engineering@example.com')).toBe('MEMBER');
  });

  it('fails, retryable, when Google says yes but the membership does not read back', async () => {
    const result = await remove(removeFromGroups);
    jest.spyOn(bed.clientsFor('google.restoreGroups').directory.members, 'insert').mockResolvedValue({} as never);
    const res = await restore(restoreGroups, result);
    expect(res).toMatchObject({ ok: false, error: { retryable: true } });
    expect(!res.ok && res.error.message).toMatch(/did not take effect: members.get finds no membership/);
  });
});

describe('google.restoreDelegates', () => {
  it("after delegateToManager: Alan is again a delegate and Grace is not", async () => {
    const result = await remove(delegateToManager);
    expect(await delegates()).toEqual([grace()]);
    const res = ok(await restore(restoreDelegates, result));
    expect(res.note).toBe(`delegated again to ${alan()}; removed delegate ${grace()}`);
    expect(await delegates()).toEqual([alan()]);
  });

  it('keeps the manager when the result says the manager was a delegate before', async () => {
    bed.emulator.seedDelegate(ada(), grace());
    const result = (await remove(delegateToManager)) as Record<string, unknown>;
    ok(await restore(restoreDelegates, { ...result, added: { delegates: [] } }));
    expect(await delegates()).toEqual([alan(), grace()].sort());
  });

  it('after removeDelegation: grants the removed delegates again and touches no one else', async () => {
    const result = await remove(removeDelegation);
    await (await settings()).delegates.create({ userId: ada(), requestBody: { delegateEmail: grace() } });
    const res = ok(await restore(restoreDelegates, result));
    expect(res.note).toBe(`delegated again to ${alan()}`);
    expect(await delegates()).toEqual([alan(), grace()].sort());
  });

  it('a delegate who can no longer be one: the manager still goes, and the step fails naming the delegate', async () => {
    const result = await remove(delegateToManager);
    await g().directory.users.patch({ userKey: alan(), requestBody: { suspended: true } });
    const res = await restore(restoreDelegates, result);
    expect(res).toMatchObject({ ok: false, error: { retryable: false } });
    expect(!res.ok && res.error.message).toContain(`adding ${alan()} as delegate of ${ada()}: Google answered 400`);
    expect(await delegates()).toEqual([]);
  });

  it('refuses a suspended mailbox, not retryable, naming the step that must run first', async () => {
    const result = await remove(delegateToManager);
    await g().directory.users.patch({ userKey: ada(), requestBody: { suspended: true } });
    const res = await restore(restoreDelegates, result);
    expect(res).toMatchObject({ ok: false, error: { retryable: false } });
    expect(!res.ok && res.error.message).toContain('until google.unsuspendUser has run');
  });
});

describe('google.restoreForwarding', () => {
  it('re-creates an outside forwarding address, which then awaits its owner, and says so', async () => {
    bed.emulator.seedForwardingAddress(ada(), 'ada.private@gmail.example');
    const result = await remove(removeExternalForwarding);
    const res = ok(await restore(restoreForwarding, result));
    expect(res.note).toBe('re-created forwarding address(es) ada.private@gmail.example; awaiting their owners\' confirmation: ada.private@gmail.example');
    const addresses = (await (await settings()).forwardingAddresses.list({ userId: ada() })).data.forwardingAddresses ?? [];
    expect(addresses).toEqual(expect.arrayContaining([{ forwardingEmail: 'ada.private@gmail.example', verificationStatus: 'pending' }]));
  });

  it('cannot turn auto-forwarding back on to an address awaiting confirmation: an operator retries once confirmed', async () => {
    const result = { removed: { autoForwarding: { enabled: true, emailAddress: 'ada.private@gmail.example', disposition: 'archive' }, forwardingAddresses: ['ada.private@gmail.example'] } };
    const res = await restore(restoreForwarding, result);
    expect(res).toMatchObject({ ok: false, error: { retryable: false, providerAnswer: 'verificationStatus: pending' } });
    expect(!res.ok && res.error.message).toContain("awaits its owner's confirmation");
    expect((await (await settings()).getAutoForwarding({ userId: ada() })).data.enabled).toBe(false);
  });

  it('turns auto-forwarding back on with the recorded disposition', async () => {
    const s = await settings();
    await s.updateAutoForwarding({ userId: ada(), requestBody: { enabled: true, emailAddress: grace(), disposition: 'markRead' } });
    const result = await remove(removeExternalForwarding, { internalDomains: ['elsewhere.example'] });
    expect((await s.getAutoForwarding({ userId: ada() })).data.enabled).toBe(false);
    const res = ok(await restore(restoreForwarding, result));
    expect(res.note).toContain(`auto-forwarding to ${grace()} again`);
    expect((await s.getAutoForwarding({ userId: ada() })).data).toEqual({ enabled: true, emailAddress: grace(), disposition: 'markRead' });
  });
});

describe('google.restoreAutoReply', () => {
  it('turns the HR auto-reply off again when there was none before', async () => {
    const result = await remove(setAutoReply, { subject: 'Ada has left', message: 'Please write to {managerEmail}.' });
    expect(result).toMatchObject({ previous: { enableAutoReply: false } });
    const res = ok(await restore(restoreAutoReply, result));
    expect(res.note).toBe('back to no auto-reply');
    expect((await (await settings()).getVacation({ userId: ada() })).data.enableAutoReply).toBe(false);
  });
});
