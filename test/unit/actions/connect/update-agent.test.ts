/** connect.updateAgent, and the role catalog's Connect names in connect.createAgent, against the Connect emulator through the real SDK client. */
import { createConnectAgent } from '../../../../lambdas/actions/connect/create-agent';
import { updateConnectAgent } from '../../../../lambdas/actions/connect/update-agent';
import { runAction } from '../../../../lambdas/actions/run-action';
import type { ActionRequest, ActionResponse } from '../../../../lambdas/engine/ports';
import { SAMPLE_CONNECT, SAMPLE_CONNECT_INSTANCE_ID } from '../../../../local/emulators/connect/connect-sample';
import { useConnectTestBed, type ConnectTestBed } from '../../../support/connect-emulator';
import { expectFailure as failure } from '../../../support/google-emulator';

const S = SAMPLE_CONNECT;
const currentBed = useConnectTestBed();
let bed: ConnectTestBed;
beforeEach(() => {
  bed = currentBed();
});

/** Ada (agent ada.lovelace: Support-Tier1, Agent, Tier1) changes role. */
const request = (action: string, params: Record<string, unknown>, email = 'ada.lovelace@example.com', progress?: Record<string, unknown>): ActionRequest => ({
  action,
  runId: 'r',
  stepId: action,
  eventId: 'e',
  eventType: 'role_change',
  effectiveDate: '2026-11-30',
  urgent: false,
  attempt: 1,
  employee: { id: 'E100', firstName: 'Ada', lastName: 'Lovelace', email, timezone: 'Europe/London' },
  params,
  ...(progress ? { progress } : {}),
});
const update = (params: Record<string, unknown>, email?: string, progress?: Record<string, unknown>) =>
  runAction(updateConnectAgent, bed.ctx, request('connect.updateAgent', params, email, progress));
const ok = (res: ActionResponse) => {
  if (!res.ok) throw new Error(`expected success, got ${JSON.stringify(res.error)}`);
  return res;
};
const agent = (username = 'ada.lovelace') => bed.emulator.userByUsername(SAMPLE_CONNECT_INSTANCE_ID, username)!;
const adaBefore = { routingProfileId: S.routingProfiles.supportTier1, securityProfileIds: [S.securityProfiles.agent], hierarchyGroupId: S.hierarchyGroups.tier1 };

describe('connect.updateAgent', () => {
  it('changes routing profile, hierarchy group and security profiles named as the role catalog names them, recording what the agent had', async () => {
    const res = ok(await update({ routingProfileId: 'Support-Tier2', hierarchyGroupId: 'Tier2', addSecurityProfileIds: ['CallCenterManager'] }));
    expect(agent()).toMatchObject({
      routingProfileId: S.routingProfiles.supportTier2,
      hierarchyGroupId: S.hierarchyGroups.tier2,
      securityProfileIds: [S.securityProfiles.agent, S.securityProfiles.callCenterManager],
    });
    expect(res.result).toEqual({
      previous: adaBefore,
      updated: {
        userId: S.users.adaLovelace,
        username: 'ada.lovelace',
        routingProfileId: S.routingProfiles.supportTier2,
        hierarchyGroupId: S.hierarchyGroups.tier2,
        securityProfileIds: [S.securityProfiles.agent, S.securityProfiles.callCenterManager],
      },
      changed: ['routing profile', 'security profiles', 'hierarchy group'],
    });
  });

  it('run again, it is already done and writes nothing', async () => {
    const params = { routingProfileId: S.routingProfiles.supportTier2, addSecurityProfileIds: [S.securityProfiles.callCenterManager] };
    ok(await update(params));
    const modified = agent().lastModifiedTime;
    const again = ok(await update(params));
    expect(again.result).toMatchObject({ changed: [] });
    expect(again.note).toBe('Connect agent ada.lovelace already as planned');
    expect(agent().lastModifiedTime).toBe(modified);
  });

  it('removes security profiles and clears the hierarchy group (the removal step after the grace period)', async () => {
    ok(await update({ addSecurityProfileIds: ['CallCenterManager'] }));
    const res = ok(await update({ removeSecurityProfileIds: ['Agent'], hierarchyGroupId: null }));
    expect(agent()).toMatchObject({ securityProfileIds: [S.securityProfiles.callCenterManager], hierarchyGroupId: undefined });
    expect(res.result).toMatchObject({
      previous: { securityProfileIds: [S.securityProfiles.agent, S.securityProfiles.callCenterManager], hierarchyGroupId: S.hierarchyGroups.tier1 },
      updated: { hierarchyGroupId: null },
    });
  });

  it('refuses, not retryable, to remove the last security profile', async () => {
    const error = failure(await update({ removeSecurityProfileIds: [S.securityProfiles.agent] }));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/would leave Connect agent ada.lovelace with none/);
    expect(agent().securityProfileIds).toEqual([S.securityProfiles.agent]);
  });

  it('takes routing profile and hierarchy from a template agent and adds its security profiles', async () => {
    const res = ok(await update({ templateUsername: 'grace.hopper' }));
    expect(res.result).toMatchObject({
      updated: {
        routingProfileId: S.routingProfiles.supportTier2,
        hierarchyGroupId: S.hierarchyGroups.support,
        securityProfileIds: [S.securityProfiles.agent, S.securityProfiles.callCenterManager],
      },
    });
  });

  it('an unknown name is for an operator, naming it, and nothing is changed', async () => {
    const error = failure(await update({ routingProfileId: 'Support-Tier9' }));
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toBe(`Connect instance ${SAMPLE_CONNECT_INSTANCE_ID} has no routing profile named "Support-Tier9": fix the role catalog or create it in Connect`);
    expect(agent()).toMatchObject(adaBefore);
  });

  it('an unknown id is passed to Connect, whose refusal is not retryable', async () => {
    const error = failure(await update({ hierarchyGroupId: 'c0000003-0000-4000-8000-00000000dead' }));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/does not exist/);
  });

  it('no agent: a removal is already done, a change is for an operator', async () => {
    expect(ok(await update({ removeSecurityProfileIds: ['Agent'] }, 'nobody@example.com')).note).toMatch(/no Connect agent nobody/);
    const error = failure(await update({ routingProfileId: 'Basic' }, 'nobody@example.com'));
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toMatch(/no Connect agent nobody .*connect.createAgent/);
  });

  it('refuses parameters that change nothing', async () => {
    expect(failure(await update({})).message).toMatch(/nothing to change/);
  });

  it('a failure after a change keeps what the agent had for the next attempt, which records it', async () => {
    bed.emulator.faults.failNext({ method: 'POST', path: '/hierarchy$', count: 1, status: 500, reason: 'InternalServiceException' });
    const error = failure(await update({ routingProfileId: 'Support-Tier2', hierarchyGroupId: 'Tier2' }));
    expect(error.retryable).toBe(true);
    expect(error.progress).toEqual({ previous: adaBefore });
    expect(agent().routingProfileId).toBe(S.routingProfiles.supportTier2);
    const retry = ok(await update({ routingProfileId: 'Support-Tier2', hierarchyGroupId: 'Tier2' }, undefined, error.progress));
    expect(retry.result).toMatchObject({ previous: adaBefore, changed: ['hierarchy group'] });
  });

  it.each([
    [500, true, 'InternalServiceException'],
    [403, false, 'AccessDeniedException'],
  ])('a %s on UpdateUserRoutingProfile is retryable: %s', async (status, retryable, reason) => {
    bed.emulator.faults.failNext({ method: 'POST', path: '/routing-profile$', count: 1, status, reason });
    expect(failure(await update({ routingProfileId: S.routingProfiles.basic }))).toMatchObject({ retryable });
  });

  it('a throttled list of routing profiles is retryable', async () => {
    bed.emulator.faults.failNext({ method: 'GET', path: '^/routing-profiles-summary/', count: 1, status: 429, reason: 'ThrottlingException' });
    expect(failure(await update({ routingProfileId: 'Basic' }))).toMatchObject({ retryable: true });
  });
});

describe('connect.createAgent with the role catalog names', () => {
  /** John Doe (E200), hired: his new agent is tagged with his own employee id. */
  const hireJohn = (params: Record<string, unknown>): ActionRequest => {
    const base = request('connect.createAgent', params, 'john.doe@example.com');
    return { ...base, eventType: 'hire', employee: { ...base.employee, id: 'E200', firstName: 'John', lastName: 'Doe' } };
  };

  it('resolves routing profile, security profiles and hierarchy group by name', async () => {
    const res = ok(await runAction(createConnectAgent, bed.ctx, hireJohn({ routingProfileId: 'Support-Tier1', securityProfileIds: ['Agent', 'CallCenterManager'], hierarchyGroupId: 'Tier1' })));
    expect(res.result).toMatchObject({
      created: { routingProfileId: S.routingProfiles.supportTier1, securityProfileIds: [S.securityProfiles.agent, S.securityProfiles.callCenterManager], hierarchyGroupId: S.hierarchyGroups.tier1 },
    });
  });

  it('an unknown security profile name fails, not retryable, naming it, and creates nothing', async () => {
    const res = await runAction(createConnectAgent, bed.ctx, hireJohn({ routingProfileId: 'Basic', securityProfileIds: ['Agent', 'Trainee'] }));
    const error = failure(res);
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toMatch(/no security profile named "Trainee"/);
    expect(bed.emulator.userByUsername(SAMPLE_CONNECT_INSTANCE_ID, 'john.doe')).toBeUndefined();
  });
});
