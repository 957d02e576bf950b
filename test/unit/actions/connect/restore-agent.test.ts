/** connect.restoreAgent against the Connect emulator through the real SDK client: remove Ada's agent, then restore it from the result. */
import { DescribeUserCommand, ListUsersCommand, UpdateUserRoutingProfileCommand } from '@aws-sdk/client-connect';
import { removeConnectAgent } from '../../../../lambdas/actions/connect/remove-agent';
import { restoreConnectAgent } from '../../../../lambdas/actions/connect/restore-agent';
import type { ActionContext } from '../../../../lambdas/actions/define-action';
import { runAction } from '../../../../lambdas/actions/run-action';
import type { ActionRequest, ActionResponse } from '../../../../lambdas/engine/ports';
import { findUserByUsername } from '../../../../lambdas/providers/connect/agent';
import type { ConnectEmulator } from '../../../../local/emulators/connect/connect-emulator';
import { SAMPLE_CONNECT, SAMPLE_CONNECT_INSTANCE_ID } from '../../../../local/emulators/connect/connect-sample';
import { useConnectTestBed } from '../../../support/connect-emulator';

const I = SAMPLE_CONNECT_INSTANCE_ID;
let emulator: ConnectEmulator;
let ctx: ActionContext;
const currentBed = useConnectTestBed();
const client = () => ctx.providers.connect!().client;

beforeEach(() => {
  ({ emulator, ctx } = currentBed());
});

const request = (action: string, params: Record<string, unknown>): ActionRequest => ({
  action,
  runId: 'r',
  stepId: action,
  eventId: 'e',
  eventType: action === 'connect.removeAgent' ? 'terminate' : 'cancel',
  effectiveDate: '2026-11-30',
  urgent: false,
  attempt: 1,
  employee: { id: 'E100', firstName: 'Ada', email: 'ada.lovelace@example.com', timezone: 'Europe/Berlin' },
  params,
});
const ok = (res: ActionResponse) => {
  if (!res.ok) throw new Error(`expected success, got ${JSON.stringify(res.error)}`);
  return res;
};
const removeAda = async () => ok(await runAction(removeConnectAgent, ctx, request('connect.removeAgent', {}))).result;
const restore = (result: unknown) => runAction(restoreConnectAgent, ctx, request('connect.restoreAgent', { result }));
/** Ada's agent as DescribeUser reports it, or undefined. */
const adaAgent = async () => {
  const found = await findUserByUsername(client(), I, 'ada.lovelace');
  return found?.Id ? (await client().send(new DescribeUserCommand({ InstanceId: I, UserId: found.Id }))).User : undefined;
};

describe('connect.restoreAgent', () => {
  it('recreates Ada with the same routing and security profiles, hierarchy, phone and identity', async () => {
    const before = await adaAgent();
    const result = await removeAda();
    expect(await adaAgent()).toBeUndefined();
    const res = ok(await restore(result));
    expect(res.note).toContain('recreated Connect agent ada.lovelace');
    const after = await adaAgent();
    expect(after).toMatchObject({
      Username: 'ada.lovelace',
      RoutingProfileId: SAMPLE_CONNECT.routingProfiles.supportTier1,
      SecurityProfileIds: [SAMPLE_CONNECT.securityProfiles.agent],
      HierarchyGroupId: SAMPLE_CONNECT.hierarchyGroups.tier1,
      PhoneConfig: before?.PhoneConfig,
      IdentityInfo: before?.IdentityInfo,
    });
    expect(res.result).toMatchObject({ restored: { agent: { userId: after?.Id, username: 'ada.lovelace', created: true } } });
  });

  it('a second restore succeeds with a note and creates no second agent', async () => {
    const result = await removeAda();
    ok(await restore(result));
    const again = ok(await restore(result));
    expect(again.note).toContain('already existed');
    const listed = (await client().send(new ListUsersCommand({ InstanceId: I }))).UserSummaryList ?? [];
    expect(listed.filter((u) => u.Username?.toLowerCase() === 'ada.lovelace')).toHaveLength(1);
  });

  it('sets an agent someone recreated with other profiles back to the snapshot', async () => {
    const result = await removeAda();
    ok(await restore(result));
    const agent = await adaAgent();
    await client().send(new UpdateUserRoutingProfileCommand({ InstanceId: I, UserId: agent!.Id!, RoutingProfileId: SAMPLE_CONNECT.routingProfiles.basic }));
    const res = ok(await restore(result));
    expect(res.note).toContain('set back to the snapshot: routing profile');
    expect((await adaAgent())?.RoutingProfileId).toBe(SAMPLE_CONNECT.routingProfiles.supportTier1);
  });

  it('has nothing to restore when the run found no agent', async () => {
    await removeAda();
    const result = await removeAda();
    expect(result).toEqual({ removed: null });
    expect(ok(await restore(result)).note).toBe('nothing to restore: the run removed no Connect agent');
    expect(await adaAgent()).toBeUndefined();
  });

  it.each([
    [503, 'InternalServiceException', true],
    [403, 'AccessDeniedException', false],
  ])('a %i %s on CreateUser fails, retryable: %s, and creates nothing', async (status, reason, retryable) => {
    const result = await removeAda();
    emulator.faults.failNext({ method: 'PUT', path: '^/users/', count: 1, status, reason });
    const res = await restore(result);
    expect(res).toMatchObject({ ok: false, error: { retryable } });
    expect(!res.ok && res.error.message).toContain('CreateUser ada.lovelace');
    expect(!res.ok && res.error.providerAnswer).toContain(`${status} ${reason}`);
    expect(await adaAgent()).toBeUndefined();
  });

  it('rejects a result whose snapshot could not restore the agent, before calling Connect', async () => {
    const result = (await removeAda()) as { removed: { agent: Record<string, unknown> } };
    const requests = emulator.faults.requests;
    const res = await restore({ removed: { agent: { ...result.removed.agent, securityProfileIds: [] } } });
    expect(res).toMatchObject({ ok: false, error: { retryable: false } });
    expect(!res.ok && res.error.message).toContain('result.removed.agent.securityProfileIds');
    expect(emulator.faults.requests).toBe(requests);
  });
});
