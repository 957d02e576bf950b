/** ListQueues and ListRoutingProfileQueues through the real Connect client: the sample's queues, paging, refusals, and the state round trip. */
import { ListQueuesCommand, ListRoutingProfileQueuesCommand } from '@aws-sdk/client-connect';
import { ConnectEmulator } from '../../../../local/emulators/connect/connect-emulator';
import { SAMPLE_CONNECT as S } from '../../../../local/emulators/connect/connect-sample';
import { rejectionOf, startConnect, type ConnectHarness } from './connect-harness';

let h: ConnectHarness;
beforeEach(async () => {
  h = await startConnect();
});
afterEach(() => h.stop());

describe('Connect queues', () => {
  it("ListRoutingProfileQueues answers each queue a profile serves, per channel, with its name and ARN", async () => {
    const out = await h.client().send(new ListRoutingProfileQueuesCommand({ InstanceId: S.instanceId, RoutingProfileId: S.routingProfiles.supportTier1 }));
    expect(out.RoutingProfileQueueConfigSummaryList?.map((c) => [c.QueueName, c.Channel, c.Priority, c.Delay])).toEqual([
      ['BasicQueue', 'VOICE', 2, 0],
      ['Support', 'CHAT', 1, 0],
      ['Support', 'VOICE', 1, 0],
    ]);
    expect(out.RoutingProfileQueueConfigSummaryList?.[0].QueueArn).toBe(`arn:aws:connect:eu-central-1:123456789012:instance/${S.instanceId}/queue/${S.queues.basic}`);
    const paged = await h.client().send(new ListRoutingProfileQueuesCommand({ InstanceId: S.instanceId, RoutingProfileId: S.routingProfiles.supportTier1, MaxResults: 2 }));
    expect(paged.RoutingProfileQueueConfigSummaryList).toHaveLength(2);
    expect(paged.NextToken).toBeDefined();
    const err = await rejectionOf(h.client().send(new ListRoutingProfileQueuesCommand({ InstanceId: S.instanceId, RoutingProfileId: 'nope' })));
    expect(err.name).toBe('ResourceNotFoundException');
  });

  it('ListQueues answers the standard queues, and refuses an unknown queue type', async () => {
    const out = await h.client().send(new ListQueuesCommand({ InstanceId: S.instanceId, QueueTypes: ['STANDARD'] }));
    expect(out.QueueSummaryList?.map((q) => [q.Name, q.QueueType])).toEqual([
      ['BasicQueue', 'STANDARD'],
      ['Support', 'STANDARD'],
    ]);
    const err = await rejectionOf(h.client().send(new ListQueuesCommand({ InstanceId: S.instanceId, QueueTypes: ['OTHER' as 'STANDARD'] })));
    expect(err.name).toBe('InvalidParameterException');
  });

  it('keeps queues and what each profile serves through toJSON and fromJSON', () => {
    const loaded = ConnectEmulator.fromJSON(JSON.parse(JSON.stringify(h.emulator.toJSON())));
    expect(loaded.toJSON()).toEqual(h.emulator.toJSON());
    expect(loaded.toJSON().instances[0].queues?.map((q) => q.name).sort()).toEqual(['BasicQueue', 'Support']);
  });
});
