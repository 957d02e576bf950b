/**
 * The sample Connect instance `npm start` and the tests run against, with fixed ids so configs and
 * tests can name them. Agents' Username is the local part of their company email
 * (ada.lovelace@example.com → ada.lovelace); the instance uses SAML, so no passwords are involved.
 */
import type { ConnectEmulator } from './connect-emulator';
import { CONNECT_EMPLOYEE_TAG } from '../../../lambdas/providers/connect/employee-tag';
import { SAMPLE_EMPLOYEE_IDS } from '../google/sample';

export const SAMPLE_CONNECT_INSTANCE_ID = 'e2c5b1a4-7f3d-4b8e-9c61-0a5d3f8e2b17';

export const SAMPLE_CONNECT = {
  instanceId: SAMPLE_CONNECT_INSTANCE_ID,
  alias: 'example-support',
  routingProfiles: {
    basic: 'a0000001-0000-4000-8000-000000000001',
    supportTier1: 'a0000001-0000-4000-8000-000000000002',
    supportTier2: 'a0000001-0000-4000-8000-000000000003',
  },
  securityProfiles: {
    agent: 'b0000002-0000-4000-8000-000000000001',
    callCenterManager: 'b0000002-0000-4000-8000-000000000002',
    admin: 'b0000002-0000-4000-8000-000000000003',
  },
  hierarchyGroups: {
    support: 'c0000003-0000-4000-8000-000000000001',
    tier1: 'c0000003-0000-4000-8000-000000000002',
    tier2: 'c0000003-0000-4000-8000-000000000003',
  },
  /** Every sample queue is served by two routing profiles, so no sample leaver is the only one serving a queue. */
  queues: {
    basic: 'a1000006-0000-4000-8000-000000000001',
    support: 'a1000006-0000-4000-8000-000000000002',
  },
  agentStatuses: {
    available: 'f0000005-0000-4000-8000-000000000001',
    offline: 'f0000005-0000-4000-8000-000000000002',
    lunch: 'f0000005-0000-4000-8000-000000000003',
  },
  users: {
    adaLovelace: 'd0000004-0000-4000-8000-000000000001',
    graceHopper: 'd0000004-0000-4000-8000-000000000002',
    katherineJohnson: 'd0000004-0000-4000-8000-000000000003',
  },
} as const;

/** Seeds the sample instance into the emulator and answers it. */
export function seedConnectSample<E extends ConnectEmulator>(connect: E): E {
  const s = SAMPLE_CONNECT;
  connect.addInstance({ id: s.instanceId, alias: s.alias, identityManagementType: 'SAML', statusIds: { available: s.agentStatuses.available, offline: s.agentStatuses.offline } });
  connect.addAgentStatus(s.instanceId, { id: s.agentStatuses.lunch, name: 'Lunch' });

  connect.addRoutingProfile(s.instanceId, { id: s.routingProfiles.basic, name: 'Basic', description: 'Basic routing profile', isDefault: true });
  connect.addRoutingProfile(s.instanceId, {
    id: s.routingProfiles.supportTier1,
    name: 'Support-Tier1',
    description: 'First-line support: voice and chat',
    mediaConcurrencies: [
      { Channel: 'VOICE', Concurrency: 1 },
      { Channel: 'CHAT', Concurrency: 2 },
    ],
  });
  connect.addRoutingProfile(s.instanceId, { id: s.routingProfiles.supportTier2, name: 'Support-Tier2', description: 'Escalations' });

  connect.addQueue(s.instanceId, { id: s.queues.basic, name: 'BasicQueue', description: 'The default queue' });
  connect.addQueue(s.instanceId, { id: s.queues.support, name: 'Support', description: 'Customer support' });
  connect.associateRoutingProfileQueues(s.instanceId, s.routingProfiles.basic, [{ queueId: s.queues.basic }]);
  connect.associateRoutingProfileQueues(s.instanceId, s.routingProfiles.supportTier1, [{ queueId: s.queues.support }, { queueId: s.queues.support, channel: 'CHAT' }, { queueId: s.queues.basic, priority: 2 }]);
  connect.associateRoutingProfileQueues(s.instanceId, s.routingProfiles.supportTier2, [{ queueId: s.queues.support }]);

  connect.addSecurityProfile(s.instanceId, { id: s.securityProfiles.agent, name: 'Agent' });
  connect.addSecurityProfile(s.instanceId, { id: s.securityProfiles.callCenterManager, name: 'CallCenterManager' });
  connect.addSecurityProfile(s.instanceId, { id: s.securityProfiles.admin, name: 'Admin' });

  connect.addHierarchyGroup(s.instanceId, { id: s.hierarchyGroups.support, name: 'Support' });
  connect.addHierarchyGroup(s.instanceId, { id: s.hierarchyGroups.tier1, name: 'Tier1', parentId: s.hierarchyGroups.support });
  connect.addHierarchyGroup(s.instanceId, { id: s.hierarchyGroups.tier2, name: 'Tier2', parentId: s.hierarchyGroups.support });

  connect.createUser(
    s.instanceId,
    {
      Username: 'ada.lovelace',
      IdentityInfo: { FirstName: 'Ada', LastName: 'Lovelace', Email: 'ada.lovelace@example.com' },
      PhoneConfig: { PhoneType: 'SOFT_PHONE', AutoAccept: false, AfterContactWorkTimeLimit: 30 },
      RoutingProfileId: s.routingProfiles.supportTier1,
      SecurityProfileIds: [s.securityProfiles.agent],
      HierarchyGroupId: s.hierarchyGroups.tier1,
      Tags: { team: 'support', [CONNECT_EMPLOYEE_TAG]: SAMPLE_EMPLOYEE_IDS.ada },
    },
    { id: s.users.adaLovelace },
  );
  connect.createUser(
    s.instanceId,
    {
      Username: 'grace.hopper',
      IdentityInfo: { FirstName: 'Grace', LastName: 'Hopper', Email: 'grace.hopper@example.com' },
      PhoneConfig: { PhoneType: 'DESK_PHONE', DeskPhoneNumber: '+493012345678', AutoAccept: true, AfterContactWorkTimeLimit: 60 },
      RoutingProfileId: s.routingProfiles.supportTier2,
      SecurityProfileIds: [s.securityProfiles.agent, s.securityProfiles.callCenterManager],
      HierarchyGroupId: s.hierarchyGroups.support,
      Tags: { [CONNECT_EMPLOYEE_TAG]: SAMPLE_EMPLOYEE_IDS.grace },
    },
    { id: s.users.graceHopper },
  );
  connect.createUser(
    s.instanceId,
    {
      Username: 'katherine.johnson',
      IdentityInfo: { FirstName: 'Katherine', LastName: 'Johnson', Email: 'katherine.johnson@example.com' },
      PhoneConfig: { PhoneType: 'SOFT_PHONE' },
      RoutingProfileId: s.routingProfiles.basic,
      SecurityProfileIds: [s.securityProfiles.admin],
      Tags: { [CONNECT_EMPLOYEE_TAG]: SAMPLE_EMPLOYEE_IDS.katherine },
    },
    { id: s.users.katherineJohnson },
  );
  return connect;
}
