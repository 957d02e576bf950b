/** A container's recent list of Connect users: one ListUsers for many leavers, and never a user missed that was created or deleted since. */
import { describeAgent, findUserByUsernameCached, USER_INDEX_TTL_MS } from '../../../lambdas/providers/connect/agent';
import { SAMPLE_CONNECT, SAMPLE_CONNECT_INSTANCE_ID as I } from '../../../local/emulators/connect/connect-sample';
import { startConnect, type ConnectHarness } from '../emulators/connect/connect-harness';
import type { ConnectClient } from '@aws-sdk/client-connect';

describe('the users a container has listed', () => {
  let h: ConnectHarness;
  let client: ConnectClient;
  let now: number;
  beforeEach(async () => {
    h = await startConnect();
    h.emulator.throttle.set({ default: { perSecond: 10_000, burst: 10_000 } });
    client = h.client();
    now = 1_000_000;
  });
  afterEach(async () => {
    await h.stop();
  });

  const lists = () => h.emulator.throttle.requests.get('ListUsers') ?? 0;
  const find = (username: string) =>
    findUserByUsernameCached(client, I, username, async (found) => {
      const user = await describeAgent(client, I, found.Id!);
      return user?.Username === username ? user : undefined;
    }, () => now);

  it('lists once for several usernames within the minute, and again after it', async () => {
    await expect(find('ada.lovelace')).resolves.toMatchObject({ found: { Id: SAMPLE_CONNECT.users.adaLovelace } });
    await expect(find('grace.hopper')).resolves.toMatchObject({ found: { Id: SAMPLE_CONNECT.users.graceHopper } });
    expect(lists()).toBe(1);
    now += USER_INDEX_TTL_MS;
    await find('ada.lovelace');
    expect(lists()).toBe(2);
  });

  it('lists again for a username it does not know: a user created since the list is found', async () => {
    await find('ada.lovelace');
    h.emulator.createUser(I, {
      Username: 'new.agent',
      IdentityInfo: { FirstName: 'New', LastName: 'Agent' },
      PhoneConfig: { PhoneType: 'SOFT_PHONE' },
      RoutingProfileId: SAMPLE_CONNECT.routingProfiles.supportTier1,
      SecurityProfileIds: [SAMPLE_CONNECT.securityProfiles.agent],
    });
    await expect(find('new.agent')).resolves.toMatchObject({ found: { Username: 'new.agent' } });
    expect(lists()).toBe(2);
  });

  it('lists again when DescribeUser does not confirm the remembered user: one deleted since is not found', async () => {
    await find('ada.lovelace');
    h.emulator.deleteUser(I, SAMPLE_CONNECT.users.adaLovelace);
    await expect(find('ada.lovelace')).resolves.toBeUndefined();
    expect(lists()).toBe(2);
  });

  it('once the minute is over, lookups share the one ListUsers that refreshes it', async () => {
    await find('ada.lovelace');
    now += USER_INDEX_TTL_MS;
    const first = find('ada.lovelace');
    // Asked a moment after the refresh began: the refresh is newer than the list that expired, and a hit is confirmed.
    now += 1;
    await Promise.all([first, find('grace.hopper'), find('katherine.johnson')]);
    expect(lists()).toBe(2);
  });

  it('shares one ListUsers among lookups made while it is under way', async () => {
    await Promise.all([find('ada.lovelace'), find('grace.hopper'), find('katherine.johnson')]);
    expect(lists()).toBe(1);
  });
});
