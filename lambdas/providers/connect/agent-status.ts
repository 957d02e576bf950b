/**
 * What an Amazon Connect agent is doing now: the instance's Offline status (ListAgentStatuses), the agent's real-time
 * data (GetCurrentUserData: status, next status, contacts) and setting their status (PutUserStatus).
 */
import {
  GetCurrentUserDataCommand,
  PutUserStatusCommand,
  paginateListAgentStatuses,
  type AgentContactReference,
  type ConnectClient,
  type ContactState,
  type UserData,
} from '@aws-sdk/client-connect';
import { ProviderError } from '../provider-error';
import { callConnect } from './agent';
import { cacheOwnerOf } from './container-cache';

/**
 * The contact states in which a customer is still on the line with the agent or being offered to them. ENDED is
 * after-contact work (the customer is gone); MISSED, REJECTED and ERROR never reached the agent.
 */
export const LIVE_CONTACT_STATES: ReadonlySet<ContactState> = new Set<ContactState>(['INCOMING', 'PENDING', 'CONNECTING', 'CONNECTED', 'CONNECTED_ONHOLD']);

export interface AgentStatusRef {
  id: string;
  name: string;
}

/** The id at the end of an agent status ARN (`…/instance/<id>/agent-state/<statusId>`). */
export function statusIdOfArn(arn: string | undefined): string | undefined {
  const m = arn ? /\/agent-state\/([^/]+)$/.exec(arn) : null;
  return m?.[1];
}

/**
 * How long a container keeps the instance's agent statuses (ListAgentStatuses) before it reads them again: in a layoff
 * every leaver's offline step needs the Offline status, and ListAgentStatuses has the same 2-a-second quota as every
 * other API. Every instance has its one Offline status from its creation, so a few minutes old is never wrong in
 * practice, and a status renamed meanwhile is seen within them.
 */
export const AGENT_STATUS_TTL_MS = 5 * 60_000;

interface CachedStatus {
  read: Promise<AgentStatusRef>;
  at: number;
}

/** The one place the statuses are kept: per container (the client whose cache it is) and instance. */
const statusCache = new WeakMap<ConnectClient, Map<string, CachedStatus>>();
/**
 * The instance's Offline status: the one status of type OFFLINE, which every instance has and no contact is routed to.
 * Read at most once per AGENT_STATUS_TTL_MS per container and instance; callers at the same time share one read.
 */
export function offlineStatus(client: ConnectClient, instanceId: string, now: () => number = Date.now): Promise<AgentStatusRef> {
  const owner = cacheOwnerOf(client);
  let byInstance = statusCache.get(owner);
  if (!byInstance) statusCache.set(owner, (byInstance = new Map()));
  const cached = byInstance.get(instanceId);
  if (cached && now() - cached.at < AGENT_STATUS_TTL_MS) return cached.read;
  const entry: CachedStatus = { read: readOfflineStatus(client, instanceId), at: now() };
  // A failed read is not kept: the next step asks again.
  entry.read.catch(() => {
    if (byInstance.get(instanceId) === entry) byInstance.delete(instanceId);
  });
  byInstance.set(instanceId, entry);
  return entry.read;
}

async function readOfflineStatus(client: ConnectClient, instanceId: string): Promise<AgentStatusRef> {
  const found = await callConnect(`ListAgentStatuses (OFFLINE) of instance ${instanceId}`, async () => {
    const out: AgentStatusRef[] = [];
    for await (const page of paginateListAgentStatuses({ client, pageSize: 1000 }, { InstanceId: instanceId, AgentStatusTypes: ['OFFLINE'] })) {
      for (const s of page.AgentStatusSummaryList ?? []) if (s.Id && s.Type === 'OFFLINE') out.push({ id: s.Id, name: s.Name ?? 'Offline' });
    }
    return out;
  });
  if (found.length !== 1) {
    throw new ProviderError(`Connect instance ${instanceId} lists ${found.length} agent statuses of type OFFLINE (${found.map((s) => s.name).join(', ') || 'none'}); expected exactly one`, false);
  }
  return found[0];
}

/** The agent's real-time data, or undefined when they are not logged in to the Contact Control Panel (Connect lists only those who are). */
export async function currentUserData(client: ConnectClient, instanceId: string, userId: string): Promise<UserData | undefined> {
  const out = await callConnect(`GetCurrentUserData of user ${userId} in instance ${instanceId}`, () =>
    client.send(new GetCurrentUserDataCommand({ InstanceId: instanceId, Filters: { Agents: [userId] }, MaxResults: 1 })),
  );
  return (out.UserDataList ?? []).find((d) => d.User?.Id === userId || d.User?.Arn?.endsWith(`/agent/${userId}`));
}

/** The contacts in the agent's data with a customer still on the line or being offered. */
export function liveContacts(data: UserData | undefined): AgentContactReference[] {
  return (data?.Contacts ?? []).filter((c) => c.AgentContactState !== undefined && LIVE_CONTACT_STATES.has(c.AgentContactState));
}

/** PutUserStatus: sets the agent's status, or their next status while they handle a contact. */
export async function putUserStatus(client: ConnectClient, instanceId: string, userId: string, status: AgentStatusRef): Promise<void> {
  await callConnect(`PutUserStatus ${status.name} for user ${userId} in instance ${instanceId}`, () =>
    client.send(new PutUserStatusCommand({ InstanceId: instanceId, UserId: userId, AgentStatusId: status.id })),
  );
}
