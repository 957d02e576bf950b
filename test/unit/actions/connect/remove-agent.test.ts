/** connect.removeAgent against the Connect emulator through the real SDK client. */
import { DescribeUserCommand } from '@aws-sdk/client-connect';
import { removeConnectAgent } from '../../../../lambdas/actions/connect/remove-agent';
import type { ActionContext } from '../../../../lambdas/actions/define-action';
import { runAction } from '../../../../lambdas/actions/run-action';
import type { ActionRequest } from '../../../../lambdas/engine/ports';
import type { ConnectEmulator } from '../../../../local/emulators/connect/connect-emulator';
import { SAMPLE_CONNECT_INSTANCE_ID } from '../../../../local/emulators/connect/connect-sample';
import { useConnectTestBed } from '../../../support/connect-emulator';

let emulator: ConnectEmulator;
let ctx: ActionContext;
const currentBed = useConnectTestBed();
const client = () => ctx.providers.connect!().client;

beforeEach(() => {
  ({ emulator, ctx } = currentBed());
});

const request = (overrides: Partial<ActionRequest> = {}): ActionRequest => ({
  action: 'connect.removeAgent',
  runId: 'r',
  stepId: 'connect',
  eventId: 'e',
  eventType: 'terminate',
  effectiveDate: '2026-11-30',
  urgent: true,
  attempt: 1,
  employee: { id: 'E100', firstName: 'Ada', email: 'ada.lovelace@example.com', timezone: 'Europe/Berlin' },
  params: {},
  ...overrides,
});

describe('connect.removeAgent', () => {
  it('records the agent, deletes it, and the user reads back as gone', async () => {
    const res = await runAction(removeConnectAgent, ctx, request());
    expect(res.ok).toBe(true);
    if (!res.ok) throw new Error(res.error.message);
    const agent = (res.result as { removed: { agent: Record<string, unknown> } }).removed.agent;
    expect(agent).toMatchObject({ username: 'ada.lovelace' });
    expect(agent.routingProfileId).toBeTruthy();
    expect((agent.securityProfileIds as string[]).length).toBeGreaterThan(0);
    await expect(client().send(new DescribeUserCommand({ InstanceId: SAMPLE_CONNECT_INSTANCE_ID, UserId: agent.userId as string }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('is done when there is no agent, and says so', async () => {
    await runAction(removeConnectAgent, ctx, request());
    const again = await runAction(removeConnectAgent, ctx, request());
    expect(again).toMatchObject({ ok: true, result: { removed: null } });
    expect(again.ok && again.note).toContain('nothing to remove');
  });

  it('keeps the snapshot across a failed delete, so a retry still reports what was removed', async () => {
    emulator.faults.failNext({ method: 'DELETE', path: '^/users/', count: 1, status: 500 });
    const failed = await runAction(removeConnectAgent, ctx, request());
    expect(failed).toMatchObject({ ok: false, error: { retryable: true } });
    const progress = !failed.ok ? failed.error.progress : undefined;
    expect(progress).toMatchObject({ snapshot: { username: 'ada.lovelace' } });
    const retried = await runAction(removeConnectAgent, ctx, request({ progress }));
    expect(retried).toMatchObject({ ok: true, result: { removed: { agent: { username: 'ada.lovelace' } } } });
  });

  it('holds, not retryable, an agent tagged for another employee, and the agent is still there as it was', async () => {
    const before = emulator.userByUsername(SAMPLE_CONNECT_INSTANCE_ID, 'ada.lovelace');
    expect(before?.tags).toMatchObject({ 'lifecycle:employee-id': 'E100' });
    // Ada's address, but the event is for employee E999.
    const res = await runAction(removeConnectAgent, ctx, request({ employee: { id: 'E999', firstName: 'Ada', email: 'ada.lovelace@example.com', timezone: 'Europe/Berlin' } }));
    expect(res).toMatchObject({ ok: false, error: { retryable: false, hold: 'bound_elsewhere', providerAnswer: 'held: bound_elsewhere' } });
    expect(!res.ok && res.error.message).toBe('the connect account ada.lovelace belongs to employee E100, not to employee E999: nothing was changed on it');
    expect(emulator.userByUsername(SAMPLE_CONNECT_INSTANCE_ID, 'ada.lovelace')).toEqual(before);
    await expect(client().send(new DescribeUserCommand({ InstanceId: SAMPLE_CONNECT_INSTANCE_ID, UserId: before!.id }))).resolves.toMatchObject({ User: { Username: 'ada.lovelace' } });
  });

  it('passes on a validation error as not retryable', async () => {
    emulator.faults.failNext({ path: '^/users', count: 1, status: 400, reason: 'InvalidParameterException' });
    const res = await runAction(removeConnectAgent, ctx, request());
    expect(res).toMatchObject({ ok: false, error: { retryable: false } });
  });
});
