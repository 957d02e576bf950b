/** Reading an agent's status and contacts from Connect: the Offline status, read once per process, and which contacts are live. */
import { ListAgentStatusesCommand } from '@aws-sdk/client-connect';
import { liveContacts, offlineStatus, statusIdOfArn } from '../../../lambdas/providers/connect/agent-status';
import { ConnectEmulator } from '../../../local/emulators/connect/connect-emulator';
import { SAMPLE_CONNECT, SAMPLE_CONNECT_INSTANCE_ID as I } from '../../../local/emulators/connect/connect-sample';
import { startConnect, type ConnectHarness } from '../emulators/connect/connect-harness';

describe('Connect agent status reads', () => {
  let h: ConnectHarness;
  afterEach(async () => {
    await h.stop();
  });

  it('reads the Offline status once per client and instance, and again after a failed read', async () => {
    h = await startConnect();
    const client = h.client();
    const send = jest.spyOn(client, 'send');
    const lists = () => send.mock.calls.filter(([command]) => command instanceof ListAgentStatusesCommand).length;
    h.emulator.faults.failNext({ method: 'GET', path: '^/agent-status/', count: 1, status: 500 });
    await expect(offlineStatus(client, I)).rejects.toThrow(/ListAgentStatuses/);
    await expect(offlineStatus(client, I)).resolves.toEqual({ id: SAMPLE_CONNECT.agentStatuses.offline, name: 'Offline' });
    await expect(offlineStatus(client, I)).resolves.toEqual({ id: SAMPLE_CONNECT.agentStatuses.offline, name: 'Offline' });
    expect(lists()).toBe(2);
  });

  it('refuses, not retryable, an instance that lists no Offline status', async () => {
    const state = new ConnectEmulator().toJSON();
    state.instances.push({ id: I, alias: 'x', identityManagementType: 'SAML', hierarchyLevelIds: [], users: [], routingProfiles: [], securityProfiles: [], hierarchyGroups: [], agentStatuses: [] });
    h = await startConnect({ emulator: ConnectEmulator.fromJSON(state) });
    await expect(offlineStatus(h.client(), I)).rejects.toMatchObject({ retryable: false, message: expect.stringContaining('lists 0 agent statuses of type OFFLINE') });
  });

  it('counts a customer on the line, on hold or being offered as live, and after-contact work or a missed contact as not', () => {
    const data = {
      Contacts: (['CONNECTING', 'CONNECTED', 'CONNECTED_ONHOLD', 'INCOMING', 'PENDING', 'ENDED', 'MISSED', 'REJECTED', 'ERROR'] as const).map((state) => ({ ContactId: state, AgentContactState: state })),
    };
    expect(liveContacts(data).map((c) => c.ContactId)).toEqual(['CONNECTING', 'CONNECTED', 'CONNECTED_ONHOLD', 'INCOMING', 'PENDING']);
    expect(liveContacts(undefined)).toEqual([]);
  });

  it('takes the status id from an agent status ARN', () => {
    expect(statusIdOfArn(`arn:aws:connect:eu-central-1:123456789012:instance/${I}/agent-state/abc`)).toBe('abc');
    expect(statusIdOfArn(undefined)).toBeUndefined();
  });
});
