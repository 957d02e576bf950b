/** The Connect emulator's agent status and real-time user data routes, through the real SDK client. */
import { GetCurrentUserDataCommand, ListAgentStatusesCommand, PutUserStatusCommand } from '@aws-sdk/client-connect';
import { ConnectEmulator } from '../../../../local/emulators/connect/connect-emulator';
import { SAMPLE_CONNECT, SAMPLE_CONNECT_INSTANCE_ID } from '../../../../local/emulators/connect/connect-sample';
import { FIXED_NOW, rejectionOf, startConnect, type ConnectHarness } from './connect-harness';

const I = SAMPLE_CONNECT_INSTANCE_ID;
const P = SAMPLE_CONNECT;
const ADA = P.users.adaLovelace;
const statusArn = (id: string) => `arn:aws:connect:eu-central-1:123456789012:instance/${I}/agent-state/${id}`;

describe('Connect emulator: agent status and real-time user data', () => {
  let h: ConnectHarness;
  beforeEach(async () => {
    h = await startConnect();
  });
  afterEach(async () => {
    await h.stop();
  });

  const userData = async (agents: string[] = [ADA]) => (await h.client().send(new GetCurrentUserDataCommand({ InstanceId: I, Filters: { Agents: agents } }))).UserDataList ?? [];
  const putStatus = (statusId: string, userId: string = ADA) => h.client().send(new PutUserStatusCommand({ InstanceId: I, UserId: userId, AgentStatusId: statusId }));

  it('lists the instance agent statuses, and only the Offline one when asked for type OFFLINE', async () => {
    const all = await h.client().send(new ListAgentStatusesCommand({ InstanceId: I }));
    expect(all.AgentStatusSummaryList?.map((s) => [s.Name, s.Type])).toEqual([
      ['Available', 'ROUTABLE'],
      ['Lunch', 'CUSTOM'],
      ['Offline', 'OFFLINE'],
    ]);
    const offline = await h.client().send(new ListAgentStatusesCommand({ InstanceId: I, AgentStatusTypes: ['OFFLINE'] }));
    expect(offline.AgentStatusSummaryList).toEqual([
      { Id: P.agentStatuses.offline, Arn: statusArn(P.agentStatuses.offline), Name: 'Offline', Type: 'OFFLINE', LastModifiedTime: new Date(FIXED_NOW), LastModifiedRegion: 'eu-central-1' },
    ]);
  });

  it('pages the agent statuses with nextToken and maxResults', async () => {
    const first = await h.client().send(new ListAgentStatusesCommand({ InstanceId: I, MaxResults: 2 }));
    expect(first.AgentStatusSummaryList).toHaveLength(2);
    const second = await h.client().send(new ListAgentStatusesCommand({ InstanceId: I, MaxResults: 2, NextToken: first.NextToken }));
    expect(second.AgentStatusSummaryList?.map((s) => s.Name)).toEqual(['Offline']);
    expect(second.NextToken).toBeUndefined();
  });

  it('refuses an unknown agent status type and an unknown instance with the service errors', async () => {
    const bad = await rejectionOf(h.client().send(new ListAgentStatusesCommand({ InstanceId: I, AgentStatusTypes: ['AWAY' as never] })));
    expect(bad).toMatchObject({ name: 'InvalidParameterException', $metadata: { httpStatusCode: 400 } });
    const missing = await rejectionOf(h.client().send(new ListAgentStatusesCommand({ InstanceId: 'nope' })));
    expect(missing).toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
  });

  it('lists no user data for an agent who is not logged in', async () => {
    await expect(userData()).resolves.toEqual([]);
  });

  it('shows a logged-in agent with status, slots and the contacts they hold', async () => {
    h.emulator.logIn(I, ADA);
    const contactId = h.emulator.routeContact(I, ADA, { contactId: 'c-1' });
    const [data] = await userData();
    expect(data).toMatchObject({
      User: { Id: ADA },
      RoutingProfile: { Id: P.routingProfiles.supportTier1 },
      Status: { StatusName: 'Available', StatusArn: statusArn(P.agentStatuses.available), StatusStartTimestamp: new Date(FIXED_NOW) },
      MaxSlotsByChannel: { VOICE: 1, CHAT: 2 },
      ActiveSlotsByChannel: { VOICE: 1, CHAT: 0 },
      AvailableSlotsByChannel: { VOICE: 0, CHAT: 2 },
      Contacts: [{ ContactId: contactId, Channel: 'VOICE', AgentContactState: 'CONNECTED', InitiationMethod: 'INBOUND' }],
    });
    expect(data.NextStatus).toBeUndefined();
  });

  it('filters by contact state, and refuses two filters at once', async () => {
    h.emulator.logIn(I, ADA);
    h.emulator.logIn(I, P.users.graceHopper);
    h.emulator.routeContact(I, ADA);
    const onCall = await h.client().send(
      new GetCurrentUserDataCommand({ InstanceId: I, Filters: { Agents: [ADA, P.users.graceHopper], ContactFilter: { ContactStates: ['CONNECTED'] } } }),
    );
    expect(onCall.UserDataList?.map((d) => d.User?.Id)).toEqual([ADA]);
    const two = await rejectionOf(h.client().send(new GetCurrentUserDataCommand({ InstanceId: I, Filters: { Agents: [ADA], RoutingProfiles: [P.routingProfiles.basic] } })));
    expect(two).toMatchObject({ name: 'InvalidParameterException', $metadata: { httpStatusCode: 400 } });
  });

  it('sets an idle agent Offline at once, after which no contact is routed to them', async () => {
    h.emulator.logIn(I, ADA);
    await putStatus(P.agentStatuses.offline);
    const [data] = await userData();
    expect(data.Status).toMatchObject({ StatusName: 'Offline', StatusArn: statusArn(P.agentStatuses.offline) });
    expect(h.emulator.canRoute(I, ADA)).toBe(false);
    expect(() => h.emulator.routeContact(I, ADA)).toThrow(/in status Offline/);
  });

  it('gives an agent on a contact Offline as next status, which takes effect once the contact is cleared', async () => {
    h.emulator.logIn(I, ADA);
    const contactId = h.emulator.routeContact(I, ADA, { channel: 'CHAT' });
    await putStatus(P.agentStatuses.offline);
    let [data] = await userData();
    expect(data).toMatchObject({ Status: { StatusName: 'Available' }, NextStatus: 'Offline', AvailableSlotsByChannel: { CHAT: 0, VOICE: 0 } });
    expect(h.emulator.canRoute(I, ADA, 'CHAT')).toBe(false);

    h.emulator.endContact(I, contactId);
    [data] = await userData();
    expect(data.Contacts).toMatchObject([{ ContactId: contactId, AgentContactState: 'ENDED' }]);
    expect(data.Status?.StatusName).toBe('Available');

    h.emulator.clearContact(I, contactId);
    [data] = await userData();
    expect(data).toMatchObject({ Status: { StatusName: 'Offline' }, Contacts: [] });
    expect(data.NextStatus).toBeUndefined();
  });

  it('clears a next status when the agent is set back to the status they are in', async () => {
    h.emulator.logIn(I, ADA);
    h.emulator.routeContact(I, ADA);
    await putStatus(P.agentStatuses.offline);
    await putStatus(P.agentStatuses.available);
    const [data] = await userData();
    expect(data.NextStatus).toBeUndefined();
  });

  it('answers ResourceNotFoundException for an unknown user or agent status', async () => {
    const user = await rejectionOf(putStatus(P.agentStatuses.offline, 'd0000004-0000-4000-8000-00000000ffff'));
    expect(user).toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
    const status = await rejectionOf(putStatus('f0000005-0000-4000-8000-00000000ffff'));
    expect(status).toMatchObject({ name: 'ResourceNotFoundException', message: expect.stringContaining('AgentStatus not found') });
  });

  it('lets an agent be logged in and given a call, and the call ended and cleared, over HTTP under /_emulator/connect/desk', async () => {
    const post = async (path: string, body?: unknown) => {
      const res = await fetch(`${h.server.url}/_emulator/connect/desk/${I}/${path}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    await expect(post(`agents/${ADA}/login`)).resolves.toMatchObject({ status: 200 });
    const call = await post(`agents/${ADA}/contacts`, { channel: 'VOICE' });
    expect(call).toMatchObject({ status: 200, body: { contactId: expect.any(String) } });
    await expect(post(`agents/${ADA}/contacts`)).resolves.toMatchObject({ status: 400, body: { error: expect.stringContaining('no free VOICE slot') } });
    await post(`contacts/${String(call.body.contactId)}/end`);
    expect((await userData())[0].Contacts).toMatchObject([{ AgentContactState: 'ENDED' }]);
    await post(`contacts/${String(call.body.contactId)}/clear`);
    expect((await userData())[0].Contacts).toEqual([]);
  });

  it('keeps agent statuses and who is logged in across a save and load; an older state gets the two default statuses', () => {
    h.emulator.logIn(I, ADA, 'Lunch');
    const loaded = ConnectEmulator.fromJSON(JSON.parse(JSON.stringify(h.emulator.toJSON())));
    expect(loaded.user(I, ADA)?.presence).toMatchObject({ statusId: P.agentStatuses.lunch, contacts: [] });
    expect(loaded.toJSON().instances[0].agentStatuses?.map((s) => s.name).sort()).toEqual(['Available', 'Lunch', 'Offline']);

    const older = h.emulator.toJSON();
    delete older.instances[0].agentStatuses;
    const upgraded = ConnectEmulator.fromJSON(older).toJSON().instances[0].agentStatuses ?? [];
    expect(upgraded.map((s) => [s.name, s.type]).sort()).toEqual([
      ['Available', 'ROUTABLE'],
      ['Offline', 'OFFLINE'],
    ]);
  });
});
