/** connect.createAgent against the Connect emulator through the real SDK client. */
import { createConnectAgent } from '../../../../lambdas/actions/connect/create-agent';
import { removeConnectAgent } from '../../../../lambdas/actions/connect/remove-agent';
import { runAction } from '../../../../lambdas/actions/run-action';
import type { ActionRequest, ActionResponse } from '../../../../lambdas/engine/ports';
import { findUserByUsername } from '../../../../lambdas/providers/connect/agent';
import { SAMPLE_CONNECT, SAMPLE_CONNECT_INSTANCE_ID } from '../../../../local/emulators/connect/connect-sample';
import { useConnectTestBed, type ConnectTestBed } from '../../../support/connect-emulator';
import { expectFailure as failure } from '../../../support/google-emulator';

const S = SAMPLE_CONNECT;
const currentBed = useConnectTestBed();
let bed: ConnectTestBed;
beforeEach(() => {
  bed = currentBed();
});

const request = (action: string, params: Record<string, unknown>, email = 'john.doe@example.com'): ActionRequest => ({
  action,
  runId: 'r',
  stepId: action,
  eventId: 'e',
  eventType: action === 'connect.createAgent' ? 'hire' : 'terminate',
  effectiveDate: '2026-11-30',
  urgent: false,
  attempt: 1,
  employee: { id: 'E200', firstName: 'John', lastName: 'Doe', email, timezone: 'Europe/Berlin' },
  params,
});
const create = (params: Record<string, unknown>, email?: string) => runAction(createConnectAgent, bed.ctx, request('connect.createAgent', params, email));
const ok = (res: ActionResponse) => {
  if (!res.ok) throw new Error(`expected success, got ${JSON.stringify(res.error)}`);
  return res;
};
const role = { routingProfileId: S.routingProfiles.supportTier1, securityProfileIds: [S.securityProfiles.agent], hierarchyGroupId: S.hierarchyGroups.tier1 };

describe('connect.createAgent', () => {
  it('creates the agent named by the local part of the address, with the role profiles, and records them', async () => {
    const res = ok(await create(role));
    const agent = bed.emulator.userByUsername(SAMPLE_CONNECT_INSTANCE_ID, 'john.doe')!;
    expect(agent).toMatchObject({ routingProfileId: role.routingProfileId, securityProfileIds: role.securityProfileIds, hierarchyGroupId: role.hierarchyGroupId });
    expect(agent.identityInfo).toMatchObject({ FirstName: 'John', LastName: 'Doe', Email: 'john.doe@example.com' });
    expect(res.result).toEqual({ created: { userId: agent.id, username: 'john.doe', ...role } });
  });

  it('copies routing, security profiles and hierarchy from a template agent', async () => {
    const res = ok(await create({ templateUsername: 'grace.hopper' }));
    expect(res.result).toMatchObject({
      created: { routingProfileId: S.routingProfiles.supportTier2, securityProfileIds: [S.securityProfiles.agent, S.securityProfiles.callCenterManager], hierarchyGroupId: S.hierarchyGroups.support },
    });
    // Grace's desk phone number is hers: the joiner gets a soft phone.
    expect(bed.emulator.userByUsername(SAMPLE_CONNECT_INSTANCE_ID, 'john.doe')!.phoneConfig).toMatchObject({ PhoneType: 'SOFT_PHONE', AutoAccept: true });
  });

  it('an existing agent is a success that names how it differs from the role, changing nothing', async () => {
    ok(await create(role));
    const again = ok(await create({ ...role, routingProfileId: S.routingProfiles.basic }));
    expect(again.result).toMatchObject({ existing: { username: 'john.doe', routingProfileId: S.routingProfiles.supportTier1 }, differences: ['routing profile'] });
    expect(again.note).toMatch(/routing profile differ/);
  });

  it('the agent it creates is the one connect.removeAgent finds for the leaver', async () => {
    ok(await create(role));
    const removed = ok(await runAction(removeConnectAgent, bed.ctx, request('connect.removeAgent', {})));
    expect(removed.result).toMatchObject({ removed: { agent: { username: 'john.doe' } } });
    expect(await findUserByUsername(bed.ctx.providers.connect!().client, SAMPLE_CONNECT_INSTANCE_ID, 'john.doe')).toBeUndefined();
  });

  it.each([
    [{ securityProfileIds: [S.securityProfiles.agent] }, /routingProfileId/],
    [{ routingProfileId: S.routingProfiles.basic }, /securityProfileIds/],
    [{ templateUsername: 'nobody' }, /template Connect agent nobody not found/],
  ])('missing or unknown role settings are for an operator: %j', async (params, message) => {
    const error = failure(await create(params));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(message);
  });

  it('an unknown routing profile is not retryable', async () => {
    const error = failure(await create({ ...role, routingProfileId: 'a0000001-0000-4000-8000-00000000dead' }));
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toMatch(/does not exist/);
  });

  it.each([
    [500, true, 'InternalServiceException'],
    [403, false, 'AccessDeniedException'],
  ])('a %s on CreateUser is retryable: %s', async (status, retryable, reason) => {
    bed.emulator.faults.failNext({ method: 'PUT', path: '^/users/', count: 1, status, reason });
    expect(failure(await create(role))).toMatchObject({ retryable });
  });
});
