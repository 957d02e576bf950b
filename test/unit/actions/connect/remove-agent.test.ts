/** connect.removeAgent against the Connect emulator through the real SDK client. */
import { DescribeUserCommand } from '@aws-sdk/client-connect';
import { removeConnectAgent } from '../../../../lambdas/actions/connect/remove-agent';
import type { ActionContext } from '../../../../lambdas/actions/define-action';
import { runAction } from '../../../../lambdas/actions/run-action';
import type { ActionRequest } from '../../../../lambdas/engine/ports';
import type { ConnectEmulator } from '../../../../local/emulators/connect/connect-emulator';
import { SAMPLE_CONNECT_INSTANCE_ID } from '../../../../local/emulators/connect/connect-sample';
import { useConnectTestBed, connectRequest } from '../../../support/connect-emulator';

let emulator: ConnectEmulator;
let ctx: ActionContext;
const currentBed = useConnectTestBed();
const client = () => ctx.providers.connect!().client;

beforeEach(() => {
  ({ emulator, ctx } = currentBed());
});

const request = (overrides: Partial<ActionRequest> = {}): ActionRequest => connectRequest('connect.removeAgent', { stepId: 'connect', ...overrides });

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

describe('connect.removeAgent waiting for the last live contact', () => {
  const ADA = 'd0000004-0000-4000-8000-000000000001';
  const I = SAMPLE_CONNECT_INSTANCE_ID;
  const cutoff = Date.parse('2026-11-30T23:00:00Z');
  let now = cutoff;
  let clocked: ActionContext;
  beforeEach(() => {
    now = cutoff;
    clocked = { ...ctx, clock: { now: () => new Date(now) } };
  });
  const remove = (progress?: Record<string, unknown>, params: Record<string, unknown> = {}) => runAction(removeConnectAgent, clocked, request({ progress, params }));

  it('answers "not yet" while the agent is on a call, then removes them once the call has closed', async () => {
    emulator.logIn(I, ADA);
    const call = emulator.routeContact(I, ADA, { contactId: 'call-1' });
    const first = await remove();
    expect(first).toMatchObject({ ok: true, checkAgainAt: new Date(cutoff + 60_000).toISOString(), progress: { waiting: { since: new Date(cutoff).toISOString(), contactIds: ['call-1'] } } });
    expect(first.ok && first.note).toContain('1 live contact (call-1): waiting for it to close');
    expect(emulator.user(I, ADA)).toBeDefined();

    // A minute on, still on the call: the wait keeps its start, so the deadline does not move.
    now += 60_000;
    const second = await remove(first.ok ? first.progress : undefined);
    expect(second).toMatchObject({ ok: true, checkAgainAt: new Date(now + 60_000).toISOString(), progress: { waiting: { since: new Date(cutoff).toISOString() } } });

    // The customer hangs up: after-contact work is no live call.
    emulator.endContact(I, call);
    now += 60_000;
    const third = await remove(second.ok ? second.progress : undefined);
    expect(third).toMatchObject({ ok: true, account: { state: 'deleted' }, result: { removed: { agent: { username: 'ada.lovelace' } } } });
    expect(third.ok && third.checkAgainAt).toBeFalsy();
    expect(third.ok && third.result).not.toHaveProperty('liveContactsDropped');
    expect(emulator.user(I, ADA)).toBeUndefined();
  });

  it('removes at once an agent logged in with no contact', async () => {
    emulator.logIn(I, ADA);
    const res = await remove();
    expect(res).toMatchObject({ ok: true, account: { state: 'deleted' } });
    expect(res.ok && res.checkAgainAt).toBeFalsy();
  });

  it('removes anyway at the hard deadline, with a note naming the contacts still live', async () => {
    emulator.logIn(I, ADA);
    emulator.routeContact(I, ADA, { contactId: 'call-long' });
    const first = await remove(undefined, { maxWaitMinutes: 5, pollSeconds: 120 });
    expect(first).toMatchObject({ ok: true, checkAgainAt: new Date(cutoff + 120_000).toISOString() });
    // The last look before the deadline is asked for at the deadline, not past it.
    now = cutoff + 4 * 60_000;
    const second = await remove(first.ok ? first.progress : undefined, { maxWaitMinutes: 5, pollSeconds: 120 });
    expect(second).toMatchObject({ ok: true, checkAgainAt: new Date(cutoff + 5 * 60_000).toISOString() });
    now = cutoff + 5 * 60_000;
    const last = await remove(second.ok ? second.progress : undefined, { maxWaitMinutes: 5, pollSeconds: 120 });
    expect(last).toMatchObject({ ok: true, account: { state: 'deleted' }, result: { liveContactsDropped: ['call-long'] } });
    expect(last.ok && last.note).toContain(`removed at the deadline (5 min after ${new Date(cutoff).toISOString()}) with 1 contact still live: call-long`);
    expect(emulator.user(I, ADA)).toBeUndefined();
  });

  it("starts the wait again after an operator's retry, however long ago the first wait began", async () => {
    emulator.logIn(I, ADA);
    emulator.routeContact(I, ADA, { contactId: 'call-2' });
    const first = await remove(undefined, { maxWaitMinutes: 5 });
    expect(first).toMatchObject({ ok: true, progress: { waiting: { since: new Date(cutoff).toISOString() } } });
    // The step failed meanwhile and went to an operator, who retries it three hours later: the agent is on a call again.
    now = cutoff + 3 * 60 * 60_000;
    const retried = await runAction(removeConnectAgent, clocked, request({ progress: first.ok ? first.progress : undefined, params: { maxWaitMinutes: 5 }, retries: 1 }));
    expect(retried).toMatchObject({ ok: true, checkAgainAt: new Date(now + 60_000).toISOString(), progress: { waiting: { since: new Date(now).toISOString(), retries: 1 } } });
    expect(emulator.user(I, ADA)).toBeDefined();
    // Within the retry the wait keeps its new start: five minutes on, the deadline removes the agent.
    const later = now + 5 * 60_000;
    now = later;
    const last = await runAction(removeConnectAgent, clocked, request({ progress: retried.ok ? retried.progress : undefined, params: { maxWaitMinutes: 5 }, retries: 1 }));
    expect(last).toMatchObject({ ok: true, account: { state: 'deleted' }, result: { liveContactsDropped: ['call-2'] } });
    expect(last.ok && last.note).toContain(`5 min after ${new Date(later - 5 * 60_000).toISOString()}`);
  });

  it('waits 30 minutes by default', async () => {
    emulator.logIn(I, ADA);
    emulator.routeContact(I, ADA);
    const first = await remove();
    expect(first.ok && first.note).toContain(`until ${new Date(cutoff + 30 * 60_000).toISOString()} at the latest`);
  });

  it('passes on a failed look at the live contacts as a retryable failure, and deletes nothing', async () => {
    emulator.logIn(I, ADA);
    emulator.faults.failNext({ method: 'POST', path: '^/metrics/userdata/', count: 1, status: 429, reason: 'ThrottlingException' });
    const res = await remove();
    expect(res).toMatchObject({ ok: false, error: { retryable: true } });
    expect(emulator.user(I, ADA)).toBeDefined();
  });
});
