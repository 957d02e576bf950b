/** The emulator throttles like Connect: a token bucket per API, 429 ThrottlingException past it, as the real SDK sees it. */
import { DescribeUserCommand, ListUsersCommand, PutUserStatusCommand, ThrottlingException } from '@aws-sdk/client-connect';
import { connectErrorToProviderFailure } from '../../../../lambdas/providers/connect/connect-errors';
import { SAMPLE_CONNECT, SAMPLE_CONNECT_INSTANCE_ID } from '../../../../local/emulators/connect/connect-sample';
import { ConnectEmulator } from '../../../../local/emulators/connect/connect-emulator';
import { seedConnectSample } from '../../../../local/emulators/connect/connect-sample';
import { DOCUMENTED_CONNECT_RATES, THROTTLED_MESSAGE } from '../../../../local/emulators/connect/connect-throttle';
import { FIXED_NOW, rejectionOf, startConnect, type ConnectHarness } from './connect-harness';

const I = SAMPLE_CONNECT_INSTANCE_ID;
const ada = { InstanceId: I, UserId: SAMPLE_CONNECT.users.adaLovelace };

describe('the Connect emulator throttles per API like Connect', () => {
  let h: ConnectHarness;
  let now: number;
  beforeEach(async () => {
    now = FIXED_NOW;
    h = await startConnect({ emulator: seedConnectSample(new ConnectEmulator({ now: () => now })) });
  });
  afterEach(async () => {
    await h.stop();
  });

  it('never throttles unless turned on', async () => {
    const client = h.client(1);
    for (let i = 0; i < 20; i += 1) await client.send(new DescribeUserCommand(ada));
    expect(h.emulator.throttle.enabled).toBe(false);
  });

  it('answers the documented burst of 5, then 429 ThrottlingException as the SDK knows it, retryable', async () => {
    h.emulator.throttle.set('documented');
    const client = h.client(1);
    for (let i = 0; i < 5; i += 1) await client.send(new DescribeUserCommand(ada));
    const err = await rejectionOf(client.send(new DescribeUserCommand(ada)));
    expect(err).toBeInstanceOf(ThrottlingException);
    expect(err.name).toBe('ThrottlingException');
    expect(err.message).toBe(THROTTLED_MESSAGE);
    expect(err.$metadata?.httpStatusCode).toBe(429);
    expect(connectErrorToProviderFailure(err)).toMatchObject({ retryable: true, providerAnswer: expect.stringContaining('429 ThrottlingException') });
    expect(h.emulator.throttle.toJSON()).toMatchObject({ requests: { DescribeUser: 6 }, throttled: { DescribeUser: 1 } });
  });

  it('keeps one bucket per API: a spent DescribeUser leaves ListUsers and PutUserStatus their own', async () => {
    h.emulator.throttle.set('documented');
    const client = h.client(1);
    for (let i = 0; i < 5; i += 1) await client.send(new DescribeUserCommand(ada));
    await expect(client.send(new DescribeUserCommand(ada))).rejects.toBeInstanceOf(ThrottlingException);
    await expect(client.send(new ListUsersCommand({ InstanceId: I }))).resolves.toBeDefined();
    await expect(client.send(new PutUserStatusCommand({ ...ada, AgentStatusId: SAMPLE_CONNECT.agentStatuses.offline }))).resolves.toBeDefined();
  });

  it('refills at the documented 2 a second: after 500 ms one more request, after 1 s two', async () => {
    h.emulator.throttle.set('documented');
    const client = h.client(1);
    for (let i = 0; i < 5; i += 1) await client.send(new DescribeUserCommand(ada));
    now += 500;
    await client.send(new DescribeUserCommand(ada));
    await expect(client.send(new DescribeUserCommand(ada))).rejects.toBeInstanceOf(ThrottlingException);
    now += 1000;
    await client.send(new DescribeUserCommand(ada));
    await client.send(new DescribeUserCommand(ada));
    await expect(client.send(new DescribeUserCommand(ada))).rejects.toBeInstanceOf(ThrottlingException);
  });

  it('counts every attempt of the SDK retries against the bucket', async () => {
    h.emulator.throttle.set({ default: { perSecond: 1000, burst: 1 } });
    const client = h.client(3);
    await client.send(new DescribeUserCommand(ada));
    // The bucket is empty and the clock frozen: each retry is refused too, and the third attempt's answer comes back.
    await expect(client.send(new DescribeUserCommand(ada))).rejects.toBeInstanceOf(ThrottlingException);
    expect(h.emulator.throttle.totals()).toEqual({ requests: 4, throttled: 3 });
  });

  it('names GetMetricData and GetCurrentMetricData 5 a second with a burst of 8, every other API 2 and 5', () => {
    h.emulator.throttle.set('documented');
    expect(h.emulator.throttle.rateOf('GetCurrentMetricData')).toEqual({ perSecond: 5, burst: 8 });
    expect(h.emulator.throttle.rateOf('PutUserStatus')).toEqual(DOCUMENTED_CONNECT_RATES.default);
    expect(DOCUMENTED_CONNECT_RATES.default).toEqual({ perSecond: 2, burst: 5 });
  });

  it('is turned on and read over HTTP, as the layoff benchmark does', async () => {
    const on = await fetch(`${h.server.url}/_emulator/connect/throttle`, { method: 'POST', body: JSON.stringify({ rates: { default: { perSecond: 1, burst: 1 } } }) });
    expect(on.status).toBe(200);
    const client = h.client(1);
    await client.send(new DescribeUserCommand(ada));
    await expect(client.send(new DescribeUserCommand(ada))).rejects.toBeInstanceOf(ThrottlingException);
    const stats = (await (await fetch(`${h.server.url}/_emulator/connect/throttle`)).json()) as { throttled: Record<string, number> };
    expect(stats.throttled).toEqual({ DescribeUser: 1 });
    await fetch(`${h.server.url}/_emulator/connect/throttle`, { method: 'POST', body: JSON.stringify({ rates: null }) });
    await client.send(new DescribeUserCommand(ada));
  });
});
