/** Removing and restoring a Connect agent with the provider helpers, against the emulator. */
import { DescribeUserCommand, UpdateUserRoutingProfileCommand, UpdateUserSecurityProfilesCommand } from '@aws-sdk/client-connect';
import { findUserByUsername } from '../../../../lambdas/providers/connect/agent';
import { snapshotAgent, type ConnectAgentSnapshot } from '../../../../lambdas/actions/connect/agent-snapshot';
import { removeAgent } from '../../../../lambdas/actions/connect/remove-agent';
import { restoreAgent } from '../../../../lambdas/actions/connect/restore-agent';
import { connectErrorToProviderFailure, ConnectVerificationError } from '../../../../lambdas/providers/connect/connect-errors';
import { ConnectEmulator } from '../../../../local/emulators/connect/connect-emulator';
import { SAMPLE_CONNECT, SAMPLE_CONNECT_INSTANCE_ID } from '../../../../local/emulators/connect/connect-sample';
import { rejectionOf, startConnect, type ConnectHarness } from './connect-harness';

const I = SAMPLE_CONNECT_INSTANCE_ID;
const P = SAMPLE_CONNECT;

const adaSnapshot: ConnectAgentSnapshot = {
  userId: P.users.adaLovelace,
  username: 'ada.lovelace',
  routingProfileId: P.routingProfiles.supportTier1,
  securityProfileIds: [P.securityProfiles.agent],
  hierarchyGroupId: P.hierarchyGroups.tier1,
  phoneConfig: { PhoneType: 'SOFT_PHONE', AutoAccept: false, AfterContactWorkTimeLimit: 30 },
  identityInfo: { FirstName: 'Ada', LastName: 'Lovelace', Email: 'ada.lovelace@example.com' },
  tags: { team: 'support', 'lifecycle:employee-id': 'E100' },
};

describe('Connect agent helpers', () => {
  let h: ConnectHarness;
  beforeEach(async () => {
    h = await startConnect();
  });
  afterEach(async () => {
    await h.stop();
  });

  it('finds a user by exact username, and nothing for a prefix of one', async () => {
    const client = h.client();
    await expect(findUserByUsername(client, I, 'ada.lovelace')).resolves.toMatchObject({ Id: P.users.adaLovelace, Username: 'ada.lovelace' });
    await expect(findUserByUsername(client, I, 'ada')).resolves.toBeUndefined();
  });

  it('finds a user whose username differs only in case, but refuses to guess between two', async () => {
    const client = h.client();
    await expect(findUserByUsername(client, I, 'Ada.Lovelace')).resolves.toMatchObject({ Id: P.users.adaLovelace });
    const twin = { RoutingProfileId: P.routingProfiles.basic, SecurityProfileIds: [P.securityProfiles.agent] };
    h.emulator.createUser(I, { ...twin, Username: 'Grace.Hopper' });
    // An exact match still wins over a case twin.
    await expect(findUserByUsername(client, I, 'grace.hopper')).resolves.toMatchObject({ Id: P.users.graceHopper });
    await expect(findUserByUsername(client, I, 'GRACE.HOPPER')).rejects.toThrow(/2 users named GRACE.HOPPER apart from case/);
  });

  it('finds a user on the second page of ListUsers', async () => {
    // ListUsers is sorted by username here, so zz.last comes after the first 1000 agents.
    for (let n = 0; n < 1000; n += 1) {
      h.emulator.createUser(I, { Username: `agent.${String(n).padStart(4, '0')}`, RoutingProfileId: P.routingProfiles.basic, SecurityProfileIds: [P.securityProfiles.agent] });
    }
    const last = h.emulator.createUser(I, { Username: 'zz.last', RoutingProfileId: P.routingProfiles.basic, SecurityProfileIds: [P.securityProfiles.agent] });
    await expect(findUserByUsername(h.client(), I, 'zz.last')).resolves.toMatchObject({ Id: last.UserId });
  });

  it('snapshots an agent with exactly what restore needs', async () => {
    await expect(snapshotAgent(h.client(), I, P.users.adaLovelace)).resolves.toEqual(adaSnapshot);
    await expect(snapshotAgent(h.client(), I, '00000000-0000-4000-8000-000000000000')).resolves.toBeUndefined();
  });

  it('removes an agent: the snapshot holds the seeded profiles and the user is gone after', async () => {
    const recorded: ConnectAgentSnapshot[] = [];
    const result = await removeAgent(h.client(), I, 'ada.lovelace', {
      recordSnapshot: (s) => {
        // Recorded while the user still exists: nothing is deleted before the snapshot is safe.
        expect(h.emulator.user(I, P.users.adaLovelace)).toBeDefined();
        recorded.push(s);
      },
    });
    expect(result.removed).toBe(true);
    expect(result.snapshot).toEqual(adaSnapshot);
    expect(recorded).toEqual([adaSnapshot]);
    expect(result.note).toContain('ada.lovelace');
    expect(h.emulator.user(I, P.users.adaLovelace)).toBeUndefined();
    const err = await rejectionOf(h.client().send(new DescribeUserCommand({ InstanceId: I, UserId: P.users.adaLovelace })));
    expect(err.name).toBe('ResourceNotFoundException');
  });

  it('treats an agent that does not exist as removed already', async () => {
    const result = await removeAgent(h.client(), I, 'nobody.here');
    expect(result).toEqual({ removed: false, note: `no Connect agent nobody.here in instance ${I}: nothing to remove` });
  });

  it('removes an agent twice as once: the second call finds nothing to remove', async () => {
    const client = h.client();
    const first = await removeAgent(client, I, 'ada.lovelace');
    const second = await removeAgent(client, I, 'ada.lovelace');
    expect(first.removed).toBe(true);
    expect(second).toMatchObject({ removed: false, note: expect.stringContaining('nothing to remove') });
    expect(second.snapshot).toBeUndefined();
    // Only Ada went; the other seeded agents are untouched.
    expect(h.emulator.user(I, P.users.graceHopper)).toBeDefined();
  });

  it('deletes nothing when the snapshot cannot be recorded', async () => {
    const err = await rejectionOf(
      removeAgent(h.client(), I, 'ada.lovelace', {
        recordSnapshot: () => {
          throw new Error('table unavailable');
        },
      }),
    );
    expect(err.message).toBe('table unavailable');
    expect(h.emulator.user(I, P.users.adaLovelace)).toBeDefined();
  });

  it('throws a retryable verification error, carrying the snapshot, when the user is still there after DeleteUser', async () => {
    // A DeleteUser the service acknowledges (200) but does not apply.
    h.emulator.faults.failNext({ method: 'DELETE', path: '^/users/', count: 1, status: 200 });
    const err = await rejectionOf(removeAgent(h.client(), I, 'ada.lovelace', { verifyAttempts: 2, verifyDelayMs: 1 }));
    expect(err).toBeInstanceOf(ConnectVerificationError);
    expect(err.message).toContain('still there after DeleteUser');
    expect((err as ConnectVerificationError).snapshot).toEqual(adaSnapshot);
    expect(connectErrorToProviderFailure(err).retryable).toBe(true);
    expect(h.emulator.user(I, P.users.adaLovelace)).toBeDefined();
  });

  it('restores a removed agent with the same profiles, hierarchy, phone and identity', async () => {
    const client = h.client();
    const { snapshot } = await removeAgent(client, I, 'ada.lovelace');
    // The snapshot is stored as JSON and comes back as plain data.
    const stored = JSON.parse(JSON.stringify(snapshot)) as ConnectAgentSnapshot;
    const restored = await restoreAgent(client, I, stored);
    expect(restored.created).toBe(true);
    expect(restored.userId).not.toBe(P.users.adaLovelace);
    expect(restored.note).toContain('recreated');
    const after = await snapshotAgent(client, I, restored.userId);
    expect(after).toEqual({ ...adaSnapshot, userId: restored.userId });
  });

  it('sets an existing agent back to the snapshot instead of creating a second one', async () => {
    const client = h.client();
    const ids = { InstanceId: I, UserId: P.users.adaLovelace };
    await client.send(new UpdateUserRoutingProfileCommand({ ...ids, RoutingProfileId: P.routingProfiles.basic }));
    await client.send(new UpdateUserSecurityProfilesCommand({ ...ids, SecurityProfileIds: [P.securityProfiles.admin] }));

    const first = await restoreAgent(client, I, adaSnapshot);
    expect(first).toEqual({
      created: false,
      userId: P.users.adaLovelace,
      note: `Connect agent ada.lovelace already existed (user ${P.users.adaLovelace}); set back to the snapshot: routing profile, security profiles`,
    });
    expect(h.emulator.user(I, P.users.adaLovelace)).toMatchObject({ routingProfileId: P.routingProfiles.supportTier1, securityProfileIds: [P.securityProfiles.agent] });

    const second = await restoreAgent(client, I, adaSnapshot);
    expect(second.note).toContain('matched the snapshot');
  });

  it('refuses a snapshot without security profiles before calling Connect', async () => {
    const requests = h.emulator.faults.requests;
    await expect(restoreAgent(h.client(), I, { ...adaSnapshot, securityProfileIds: [] })).rejects.toThrow(/securityProfileIds/);
    expect(h.emulator.faults.requests).toBe(requests);
  });

  it('passes a password when the instance manages passwords itself', async () => {
    const emulator = new ConnectEmulator();
    emulator.addInstance({ id: 'managed', alias: 'managed', identityManagementType: 'CONNECT_MANAGED' });
    emulator.addRoutingProfile('managed', { id: 'rp', name: 'Basic' });
    emulator.addSecurityProfile('managed', { id: 'sp', name: 'Agent' });
    const managed = await startConnect({ emulator });
    try {
      const snapshot: ConnectAgentSnapshot = { userId: 'old', username: 'mary', routingProfileId: 'rp', securityProfileIds: ['sp'], phoneConfig: { PhoneType: 'SOFT_PHONE' }, identityInfo: {} };
      const without = connectErrorToProviderFailure(await rejectionOf(restoreAgent(managed.client(), 'managed', snapshot)));
      expect(without).toMatchObject({ retryable: false, providerAnswer: expect.stringContaining('400 InvalidRequestException: Required parameter missing: Password') });
      expect(without.message).toContain('CreateUser mary in instance managed');
      await expect(restoreAgent(managed.client(), 'managed', snapshot, { password: 'Sup3rSecret' })).resolves.toMatchObject({ created: true });
    } finally {
      await managed.stop();
    }
  });
});
