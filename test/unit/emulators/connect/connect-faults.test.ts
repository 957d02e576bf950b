/** Injected Connect failures and quotas reach the real client as Connect errors, classified for retry. */
import { DeleteUserCommand, DescribeUserCommand, ListUsersCommand, ThrottlingException } from '@aws-sdk/client-connect';
import { removeAgent } from '../../../../lambdas/actions/connect/remove-agent';
import { connectErrorToProviderFailure } from '../../../../lambdas/providers/connect/connect-errors';
import { SAMPLE_CONNECT, SAMPLE_CONNECT_INSTANCE_ID } from '../../../../local/emulators/connect/connect-sample';
import { rejectionOf, startConnect, type ConnectHarness } from './connect-harness';

const I = SAMPLE_CONNECT_INSTANCE_ID;
const ada = { InstanceId: I, UserId: SAMPLE_CONNECT.users.adaLovelace };
const DELETE_USER = { method: 'DELETE', path: '^/users/[^/]+/[^/]+$' };

describe('Connect fault injection', () => {
  let h: ConnectHarness;
  beforeEach(async () => {
    h = await startConnect();
  });
  afterEach(async () => {
    await h.stop();
  });

  it('fails DeleteUser twice with 500 InternalServiceException, retryable, and the third removal succeeds', async () => {
    h.emulator.faults.failNext({ ...DELETE_USER, count: 2, status: 500 });
    const client = h.client(1);

    for (let attempt = 1; attempt <= 2; attempt += 1) {
      const err = await rejectionOf(removeAgent(client, I, 'ada.lovelace'));
      const failure = connectErrorToProviderFailure(err);
      expect(failure.retryable).toBe(true);
      expect(failure.providerAnswer).toMatch(/^500 InternalServiceException: injected failure \(connect\)/);
      expect(failure.message).toContain(`DeleteUser ada.lovelace (user ${SAMPLE_CONNECT.users.adaLovelace})`);
      expect(h.emulator.user(I, ada.UserId)).toBeDefined();
    }
    await expect(removeAgent(client, I, 'ada.lovelace')).resolves.toMatchObject({ removed: true });
  });

  it('lets the SDK retry past two 500s when the client allows three attempts', async () => {
    h.emulator.faults.failNext({ ...DELETE_USER, count: 2, status: 500 });
    const before = h.emulator.faults.requests;
    await h.client(3).send(new DeleteUserCommand(ada));
    expect(h.emulator.faults.requests - before).toBe(3);
    expect(h.emulator.user(I, ada.UserId)).toBeUndefined();
  });

  it('answers past a quota of 2 a minute with ThrottlingException (429) on the third call', async () => {
    h.emulator.faults.setQuota(2);
    const client = h.client(1);
    await client.send(new DescribeUserCommand(ada));
    await client.send(new ListUsersCommand({ InstanceId: I }));
    const err = await rejectionOf(client.send(new DescribeUserCommand(ada)));
    expect(err.name).toBe('ThrottlingException');
    expect(err).toBeInstanceOf(ThrottlingException);
    expect(err.$metadata?.httpStatusCode).toBe(429);
    expect(connectErrorToProviderFailure(err)).toMatchObject({ retryable: true, providerAnswer: expect.stringContaining('429 ThrottlingException: Quota exceeded') });
    expect(h.emulator.faults.throttled).toBe(1);
  });

  it('takes a quota over HTTP, as benchmarks set it', async () => {
    const res = await fetch(`${h.server.url}/_emulator/connect/quota`, { method: 'POST', body: JSON.stringify({ perMinute: 1 }) });
    expect(res.status).toBe(200);
    const client = h.client(1);
    await client.send(new DescribeUserCommand(ada));
    expect((await rejectionOf(client.send(new DescribeUserCommand(ada)))).name).toBe('ThrottlingException');
  });

  it.each([
    [400, 'InvalidParameterException', 'InvalidParameterException', false],
    [403, undefined, 'AccessDeniedException', false],
    [404, undefined, 'ResourceNotFoundException', false],
    [429, 'LimitExceededException', 'LimitExceededException', false],
    [503, undefined, 'InternalServiceException', true],
  ])('renders an injected %i (reason %s) as %s, retryable %s', async (status, reason, name, retryable) => {
    h.emulator.faults.failNext({ method: 'GET', path: '^/users/', count: 1, status, reason });
    const err = await rejectionOf(h.client(1).send(new DescribeUserCommand(ada)));
    expect(err.name).toBe(name);
    expect(err.$metadata?.httpStatusCode).toBe(status);
    expect(connectErrorToProviderFailure(err).retryable).toBe(retryable);
  });
});
