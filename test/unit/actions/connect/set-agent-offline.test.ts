/** connect.setAgentOffline and its restore, connect.restoreAgentStatus, against the Connect emulator through the real SDK client. */
import { restoreAgentStatus } from '../../../../lambdas/actions/connect/restore-agent-status';
import { setAgentOffline } from '../../../../lambdas/actions/connect/set-agent-offline';
import type { ActionContext } from '../../../../lambdas/actions/define-action';
import { runAction } from '../../../../lambdas/actions/run-action';
import type { ActionRequest, ActionResponse } from '../../../../lambdas/engine/ports';
import type { ConnectEmulator } from '../../../../local/emulators/connect/connect-emulator';
import { SAMPLE_CONNECT, SAMPLE_CONNECT_INSTANCE_ID as I } from '../../../../local/emulators/connect/connect-sample';
import { useConnectTestBed, connectRequest } from '../../../support/connect-emulator';

const ADA = SAMPLE_CONNECT.users.adaLovelace;
let emulator: ConnectEmulator;
let ctx: ActionContext;
const currentBed = useConnectTestBed();

beforeEach(() => {
  ({ emulator, ctx } = currentBed());
});

const request = (action: string, overrides: Partial<ActionRequest> = {}): ActionRequest => connectRequest(action, { stepId: 'connect-agent-offline', ...overrides });

const statusOf = () => {
  const presence = emulator.user(I, ADA)?.presence;
  return presence && { status: presence.statusId, next: presence.nextStatusId };
};

function ok(res: ActionResponse): Extract<ActionResponse, { ok: true }> {
  if (!res.ok) throw new Error(res.error.message);
  return res;
}

describe('connect.setAgentOffline', () => {
  it('sets an available agent Offline, recording the status they were in, and no contact reaches them after', async () => {
    emulator.logIn(I, ADA);
    const res = ok(await runAction(setAgentOffline, ctx, request('connect.setAgentOffline')));
    expect(res.result).toEqual({
      offline: { userId: ADA, username: 'ada.lovelace', loggedIn: true, statusId: SAMPLE_CONNECT.agentStatuses.offline, nextStatus: false, liveContacts: 0 },
      previous: { statusId: SAMPLE_CONNECT.agentStatuses.available, statusName: 'Available' },
    });
    expect(res.note).toContain('set Offline (was Available)');
    expect(statusOf()).toEqual({ status: SAMPLE_CONNECT.agentStatuses.offline, next: undefined });
    expect(emulator.canRoute(I, ADA)).toBe(false);
  });

  it('gives an agent on a live call Offline as next status: the call runs on, no new contact is routed', async () => {
    emulator.logIn(I, ADA);
    const call = emulator.routeContact(I, ADA);
    const res = ok(await runAction(setAgentOffline, ctx, request('connect.setAgentOffline')));
    expect(res.result).toMatchObject({ offline: { nextStatus: true, liveContacts: 1 }, previous: { statusName: 'Available' } });
    expect(emulator.user(I, ADA)?.presence?.contacts.map((c) => [c.contactId, c.state])).toEqual([[call, 'CONNECTED']]);
    expect(emulator.canRoute(I, ADA, 'CHAT')).toBe(false);
  });

  it('is done, with nothing recorded, for an agent already Offline or not logged in', async () => {
    const notLoggedIn = ok(await runAction(setAgentOffline, ctx, request('connect.setAgentOffline')));
    expect(notLoggedIn.result).toEqual({ offline: { userId: ADA, username: 'ada.lovelace', loggedIn: false } });
    emulator.logIn(I, ADA, 'Offline');
    const already = ok(await runAction(setAgentOffline, ctx, request('connect.setAgentOffline')));
    expect(already.note).toContain('already Offline');
    expect(already.result).not.toHaveProperty('previous');
  });

  it('is done when there is no agent, and says so', async () => {
    const res = ok(await runAction(setAgentOffline, ctx, request('connect.setAgentOffline', { employee: { id: 'E404', firstName: 'No', email: 'nobody@example.com', timezone: 'UTC' } })));
    expect(res).toMatchObject({ result: { offline: null } });
    expect(res.note).toContain('nothing to take offline');
  });

  it('is done, not held, when the agent is removed between reading their status and setting it Offline', async () => {
    emulator.logIn(I, ADA);
    const put = emulator.putUserStatus.bind(emulator);
    jest.spyOn(emulator, 'putUserStatus').mockImplementationOnce((instanceId, userId, statusId) => {
      emulator.deleteUser(instanceId, userId);
      put(instanceId, userId, statusId);
    });
    const res = ok(await runAction(setAgentOffline, ctx, request('connect.setAgentOffline')));
    expect(res.note).toContain('agent already removed: nothing to take offline');
    expect(res.result).toEqual({ offline: null });
    expect(emulator.user(I, ADA)).toBeUndefined();
  });

  it('hands the status it found to the retry when PutUserStatus fails, so the restore still knows it once Connect shows Offline', async () => {
    emulator.logIn(I, ADA, 'Lunch');
    emulator.faults.failNext({ method: 'PUT', path: '/status$', count: 1, status: 500 });
    const failed = await runAction(setAgentOffline, ctx, request('connect.setAgentOffline'));
    expect(failed).toMatchObject({ ok: false, error: { retryable: true, progress: { previous: { statusName: 'Lunch' } } } });
    // The write took effect although its answer was lost: the retry finds the agent Offline already.
    emulator.putUserStatus(I, ADA, SAMPLE_CONNECT.agentStatuses.offline);
    const progress = !failed.ok ? failed.error.progress : undefined;
    const retried = ok(await runAction(setAgentOffline, ctx, request('connect.setAgentOffline', { progress })));
    expect(retried.note).toContain('already Offline');
    expect(retried.result).toMatchObject({ previous: { statusId: SAMPLE_CONNECT.agentStatuses.lunch, statusName: 'Lunch' } });
  });

  it('holds, not retryable, an agent tagged for another employee, and leaves their status alone', async () => {
    emulator.logIn(I, ADA);
    const res = await runAction(setAgentOffline, ctx, request('connect.setAgentOffline', { employee: { id: 'E999', firstName: 'Ada', email: 'ada.lovelace@example.com', timezone: 'UTC' } }));
    expect(res).toMatchObject({ ok: false, error: { retryable: false, hold: 'bound_elsewhere' } });
    expect(statusOf()?.status).toBe(SAMPLE_CONNECT.agentStatuses.available);
  });
});

describe('connect.restoreAgentStatus', () => {
  const restore = async () => {
    const offline = ok(await runAction(setAgentOffline, ctx, request('connect.setAgentOffline')));
    return runAction(restoreAgentStatus, ctx, request('connect.restoreAgentStatus', { eventType: 'cancel', params: { result: offline.result } }));
  };

  it('puts back the status the agent was in when they are still Offline as the run left them', async () => {
    emulator.logIn(I, ADA, 'Lunch');
    const res = ok(await restore());
    expect(res.note).toContain('back in Lunch');
    expect(statusOf()).toEqual({ status: SAMPLE_CONNECT.agentStatuses.lunch, next: undefined });
  });

  it('takes back the next status of an agent still on their call', async () => {
    emulator.logIn(I, ADA);
    emulator.routeContact(I, ADA);
    ok(await restore());
    expect(statusOf()).toEqual({ status: SAMPLE_CONNECT.agentStatuses.available, next: undefined });
    expect(emulator.user(I, ADA)?.presence?.contacts).toHaveLength(1);
  });

  it('leaves a status the agent chose since the cut-off', async () => {
    emulator.logIn(I, ADA);
    const offline = ok(await runAction(setAgentOffline, ctx, request('connect.setAgentOffline')));
    emulator.logIn(I, ADA, 'Lunch');
    const res = ok(await runAction(restoreAgentStatus, ctx, request('connect.restoreAgentStatus', { params: { result: offline.result } })));
    expect(res.note).toContain('left as is');
    expect(statusOf()?.status).toBe(SAMPLE_CONNECT.agentStatuses.lunch);
  });

  it('restores nothing when the offline step recorded no previous status', async () => {
    const res = ok(await restore());
    expect(res.note).toContain('nothing to restore');
  });
});
