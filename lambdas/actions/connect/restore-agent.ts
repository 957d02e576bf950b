/** Undoes connect.removeAgent: recreates the Amazon Connect agent from its snapshot, with the same routing, security, hierarchy and phone settings. */
import * as z from '../../shared/zod';
import {
  CreateUserCommand,
  UpdateUserHierarchyCommand,
  UpdateUserIdentityInfoCommand,
  UpdateUserPhoneConfigCommand,
  UpdateUserRoutingProfileCommand,
  UpdateUserSecurityProfilesCommand,
  type ConnectClient,
} from '@aws-sdk/client-connect';
import { callConnect, findUserByUsername, isDuplicate } from '../../providers/connect/agent';
import { ConnectVerificationError } from '../../providers/connect/connect-errors';
import { connectAgentSnapshotSchema, snapshotAgent, type ConnectAgentSnapshot } from './agent-snapshot';
import { connectErrorToProviderFailure } from '../../providers/connect/connect-errors';
import { defineAction } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { connectAccount, connectFor } from './connect-account';

export interface RestoreAgentResult {
  /** false when a user with the username already existed and was set back to the snapshot instead. */
  created: boolean;
  /** Connect gives a recreated user a new id; this is the current one. */
  userId: string;
  note: string;
}

export interface RestoreAgentOptions {
  /** Needed only on instances where Connect manages passwords; SAML instances refuse one. */
  password?: string;
}

/** What differs between the agent now and the snapshot, in words for the note. */
function differences(current: ConnectAgentSnapshot, wanted: ConnectAgentSnapshot): string[] {
  const out: string[] = [];
  if (current.routingProfileId !== wanted.routingProfileId) out.push('routing profile');
  const have = new Set(current.securityProfileIds);
  if (have.size !== new Set(wanted.securityProfileIds).size || wanted.securityProfileIds.some((id) => !have.has(id))) out.push('security profiles');
  if (current.hierarchyGroupId !== wanted.hierarchyGroupId) out.push('hierarchy group');
  const phone = wanted.phoneConfig as Record<string, unknown>;
  const phoneNow = current.phoneConfig as Record<string, unknown>;
  if (Object.keys(phone).some((k) => phone[k] !== phoneNow[k])) out.push('phone config');
  const identity = wanted.identityInfo as Record<string, unknown>;
  const identityNow = current.identityInfo as Record<string, unknown>;
  if (Object.keys(identity).some((k) => identity[k] !== identityNow[k])) out.push('identity info');
  return out;
}

/** Sets an existing user's profiles, hierarchy, phone and identity to the snapshot's; only what differs is sent. */
async function alignAgent(client: ConnectClient, instanceId: string, current: ConnectAgentSnapshot, wanted: ConnectAgentSnapshot): Promise<string[]> {
  const changed = differences(current, wanted);
  const ids = { InstanceId: instanceId, UserId: current.userId };
  const where = `${wanted.username} (user ${current.userId}) in instance ${instanceId}`;
  if (changed.includes('routing profile')) {
    await callConnect(`UpdateUserRoutingProfile ${where}`, () => client.send(new UpdateUserRoutingProfileCommand({ ...ids, RoutingProfileId: wanted.routingProfileId })));
  }
  if (changed.includes('security profiles')) {
    await callConnect(`UpdateUserSecurityProfiles ${where}`, () => client.send(new UpdateUserSecurityProfilesCommand({ ...ids, SecurityProfileIds: wanted.securityProfileIds })));
  }
  if (changed.includes('hierarchy group')) {
    // No HierarchyGroupId takes the user out of the hierarchy, which is what a snapshot without one recorded.
    await callConnect(`UpdateUserHierarchy ${where}`, () => client.send(new UpdateUserHierarchyCommand({ ...ids, HierarchyGroupId: wanted.hierarchyGroupId })));
  }
  if (changed.includes('phone config')) {
    await callConnect(`UpdateUserPhoneConfig ${where}`, () => client.send(new UpdateUserPhoneConfigCommand({ ...ids, PhoneConfig: wanted.phoneConfig })));
  }
  if (changed.includes('identity info')) {
    await callConnect(`UpdateUserIdentityInfo ${where}`, () => client.send(new UpdateUserIdentityInfoCommand({ ...ids, IdentityInfo: wanted.identityInfo })));
  }
  return changed;
}

/**
 * Puts an agent back from a snapshot: CreateUser with the recorded profiles, or, when a user with
 * that username exists, updates it to them. Reads the user back and throws if it does not match.
 * Tags are set only on creation.
 */
export async function restoreAgent(client: ConnectClient, instanceId: string, snapshot: ConnectAgentSnapshot, options: RestoreAgentOptions = {}): Promise<RestoreAgentResult> {
  // The snapshot usually comes back off the table, so it is checked like any other input.
  const wanted = connectAgentSnapshotSchema.parse(snapshot);
  let existing = await findUserByUsername(client, instanceId, wanted.username);
  let createdId: string | undefined;
  if (!existing?.Id) {
    createdId = await callConnect(`CreateUser ${wanted.username} in instance ${instanceId}`, async () => {
      try {
        const out = await client.send(
          new CreateUserCommand({
            InstanceId: instanceId,
            Username: wanted.username,
            Password: options.password,
            IdentityInfo: wanted.identityInfo,
            PhoneConfig: wanted.phoneConfig,
            DirectoryUserId: wanted.directoryUserId,
            SecurityProfileIds: wanted.securityProfileIds,
            RoutingProfileId: wanted.routingProfileId,
            HierarchyGroupId: wanted.hierarchyGroupId,
            Tags: wanted.tags,
          }),
        );
        return out.UserId;
      } catch (err) {
        // Created by someone else since we looked: update that user instead.
        if (isDuplicate(err)) return undefined;
        throw err;
      }
    });
    if (!createdId) existing = await findUserByUsername(client, instanceId, wanted.username);
  }

  const userId = createdId ?? existing?.Id;
  if (!userId) throw new ConnectVerificationError(`Connect agent ${wanted.username} in instance ${instanceId} neither could be created nor was found`);

  let changed: string[] = [];
  if (!createdId) {
    const current = await snapshotAgent(client, instanceId, userId);
    if (!current) throw new ConnectVerificationError(`Connect agent ${wanted.username} (user ${userId}) in instance ${instanceId} vanished while being restored`);
    changed = await alignAgent(client, instanceId, current, wanted);
  }

  const after = await snapshotAgent(client, instanceId, userId);
  const left = after ? differences(after, wanted) : ['the user itself'];
  if (left.length > 0) {
    throw new ConnectVerificationError(`Connect agent ${wanted.username} (user ${userId}) in instance ${instanceId} does not match the snapshot after restore: ${left.join(', ')} differ`);
  }
  const note = createdId
    ? `recreated Connect agent ${wanted.username} as user ${userId} (was ${wanted.userId}) with the recorded routing profile, security profiles and hierarchy`
    : changed.length > 0
      ? `Connect agent ${wanted.username} already existed (user ${userId}); set back to the snapshot: ${changed.join(', ')}`
      : `Connect agent ${wanted.username} already existed (user ${userId}) and matched the snapshot`;
  return { created: Boolean(createdId), userId, note };
}

export const restoreConnectAgent = defineAction({
  name: 'connect.restoreAgent',
  account: connectAccount(),
  params: z.strictObject({
    /** connect.removeAgent's result: `removed` is null when there was no agent to remove. */
    result: z.nullish(z.object({ removed: z.nullish(z.object({ agent: connectAgentSnapshotSchema })) })),
  }),
  async run(ctx, { result }, request) {
    const snapshot = result?.removed?.agent;
    if (!snapshot) return { ok: true, note: 'nothing to restore: the run removed no Connect agent' };
    const { client, instanceId } = connectFor(ctx, request);
    try {
      // restoreAgent reads the agent back and throws (retryable) when it does not match the snapshot.
      const out = await restoreAgent(client, instanceId, snapshot);
      return { ok: true, note: out.note, result: { restored: { agent: { userId: out.userId, username: snapshot.username, created: out.created } } } };
    } catch (err) {
      const failure = connectErrorToProviderFailure(err);
      throw new ProviderError(failure.message, failure.retryable, failure.providerAnswer);
    }
  },
});
