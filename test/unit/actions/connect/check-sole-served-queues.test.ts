/** connect.checkSoleServedQueues against the Connect emulator through the real SDK client: queues only the leaver serves go to an operator. */
import { checkSoleServedQueues } from '../../../../lambdas/actions/connect/check-sole-served-queues';
import { runAction } from '../../../../lambdas/actions/run-action';
import type { ActionResponse } from '../../../../lambdas/engine/ports';
import type { ConnectEmulator } from '../../../../local/emulators/connect/connect-emulator';
import type { ActionContext } from '../../../../lambdas/actions/define-action';
import { SAMPLE_CONNECT, SAMPLE_CONNECT_INSTANCE_ID as I } from '../../../../local/emulators/connect/connect-sample';
import { connectRequest, useConnectTestBed } from '../../../support/connect-emulator';

const ACTION = 'connect.checkSoleServedQueues';
let emulator: ConnectEmulator;
let ctx: ActionContext;
const currentBed = useConnectTestBed();
beforeEach(() => {
  ({ emulator, ctx } = currentBed());
});

const check = (overrides = {}) => runAction(checkSoleServedQueues, ctx, connectRequest(ACTION, { stepId: 'check-sole-served-queues', ...overrides }));

function ok(res: ActionResponse): Extract<ActionResponse, { ok: true }> {
  if (!res.ok) throw new Error(res.error.message);
  return res;
}
function failed(res: ActionResponse): Extract<ActionResponse, { ok: false }>['error'] {
  if (res.ok) throw new Error(`expected a failure, got ${JSON.stringify(res)}`);
  return res.error;
}

/** A queue only Ada's routing profile (Support-Tier1) serves. */
function soleQueue(name: string): string {
  const queue = emulator.addQueue(I, { name });
  emulator.associateRoutingProfileQueues(I, SAMPLE_CONNECT.routingProfiles.supportTier1, [{ queueId: queue.id, channel: 'CHAT' }]);
  return queue.id;
}

describe('connect.checkSoleServedQueues', () => {
  it("is done when every queue of the leaver's routing profile is served by another agent too", async () => {
    const res = ok(await check());
    expect(res.note).toBe("each of the 2 queue(s) of Connect agent ada.lovelace's routing profile is served by another agent too");
    expect(res.result).toEqual({ queues: 2, soleServed: [] });
  });

  it('stops for an operator, naming each queue only the leaver serves, and changes nothing', async () => {
    const vip = soleQueue('VIP');
    const err = failed(await check());
    expect(err.retryable).toBe(false);
    expect(err.message).toContain(`Connect agent ada.lovelace is the only one serving 1 queue(s): VIP (${vip}, CHAT)`);
    expect(err.message).toContain('then retry this step; or skip it');
    expect(err.progress).toEqual({ soleServed: [{ queueId: vip, name: 'VIP', channels: ['CHAT'] }] });
    expect(emulator.user(I, SAMPLE_CONNECT.users.adaLovelace)).toBeDefined();
  });

  it('is done once another agent serves the queue (the operator fixed it), and when a colleague shares the routing profile', async () => {
    const vip = soleQueue('VIP');
    failed(await check());
    emulator.associateRoutingProfileQueues(I, SAMPLE_CONNECT.routingProfiles.supportTier2, [{ queueId: vip }]);
    expect(ok(await check()).result).toEqual({ queues: 3, soleServed: [] });
    soleQueue('Callbacks');
    emulator.updateUserRoutingProfile(I, SAMPLE_CONNECT.users.katherineJohnson, SAMPLE_CONNECT.routingProfiles.supportTier1);
    expect(ok(await check()).result).toEqual({ queues: 4, soleServed: [] });
  });

  it('is done when the leaver has no agent', async () => {
    const res = ok(await check({ employee: { id: 'E404', firstName: 'No', email: 'nobody@example.com', timezone: 'UTC' } }));
    expect(res.note).toContain('no Connect agent nobody in instance');
    expect(res.result).toEqual({ queues: 0, soleServed: [] });
  });

  it('a Connect error is retryable when it may pass', async () => {
    emulator.faults.failNext({ method: 'GET', path: '/queues$', count: 1, status: 500, reason: 'InternalServiceException' });
    const err = failed(await check());
    expect(err.retryable).toBe(true);
    expect(err.message).toContain('ListRoutingProfileQueues');
  });
});
