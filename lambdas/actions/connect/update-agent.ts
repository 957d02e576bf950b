/**
 * Changes a mover's Amazon Connect agent: routing profile, hierarchy group (null takes the agent out of the
 * hierarchy), security profiles added and removed, or the profiles of a template agent. Records what the agent had
 * before, and reads it back. Connect requires one security profile at least, so removing the last is refused.
 */
import { UpdateUserHierarchyCommand, UpdateUserRoutingProfileCommand, UpdateUserSecurityProfilesCommand, type ConnectClient } from '@aws-sdk/client-connect';
import * as z from '../../shared/zod';
import { describeAgent, findUserByUsername } from '../../providers/connect/agent';
import { ConnectCallError, connectErrorToProviderFailure, ConnectVerificationError } from '../../providers/connect/connect-errors';
import { connectReferences } from '../../providers/connect/references';
import type { ActionRequest } from '../../engine/ports';
import { defineAction } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { connectAccount, connectFor } from './connect-account';

const ref = z.string().check(z.minLength(1));
const refs = z.array(ref).check(z.minLength(1));

/** What the agent is set up with, JSON-safe for the step result (no hierarchy group is null). */
interface AgentSetup {
  routingProfileId: string;
  securityProfileIds: string[];
  hierarchyGroupId: string | null;
}

const setupSchema = z.object({ routingProfileId: z.string(), securityProfileIds: z.array(z.string()), hierarchyGroupId: z.nullable(z.string()) });
/** What an earlier attempt saw before it changed anything: a retry reads the changed agent and must not take it for the old. */
const earlierProgress = z.object({ previous: setupSchema });

function usernameOf(request: ActionRequest): string {
  const email = request.employee.email;
  if (!email) throw new ProviderError(`employee ${request.employee.id} has no email in the HR event: no Connect username (the local part of the company address) to look for`, false);
  return email.split('@')[0].toLowerCase();
}

async function setupOf(client: ConnectClient, instanceId: string, userId: string): Promise<AgentSetup | undefined> {
  const user = await describeAgent(client, instanceId, userId);
  if (!user) return undefined;
  return { routingProfileId: user.RoutingProfileId ?? '', securityProfileIds: user.SecurityProfileIds ?? [], hierarchyGroupId: user.HierarchyGroupId ?? null };
}

const sameSet = (a: readonly string[], b: readonly string[]) => new Set(a).size === new Set(b).size && b.every((x) => a.includes(x));

function differences(have: AgentSetup, want: AgentSetup): string[] {
  const out: string[] = [];
  if (have.routingProfileId !== want.routingProfileId) out.push('routing profile');
  if (!sameSet(have.securityProfileIds, want.securityProfileIds)) out.push('security profiles');
  if (have.hierarchyGroupId !== want.hierarchyGroupId) out.push('hierarchy group');
  return out;
}

async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw new ConnectCallError(operation, err);
  }
}

export const updateConnectAgent = defineAction({
  name: 'connect.updateAgent',
  account: connectAccount({ removes: true }),
  params: z
    .strictObject({
      routingProfileId: z.optional(ref),
      /** null takes the agent out of the hierarchy. */
      hierarchyGroupId: z.optional(z.nullable(ref)),
      /** An agent whose routing profile and hierarchy group the mover takes (unless named here) and whose security profiles are added. */
      templateUsername: z.optional(ref),
      addSecurityProfileIds: z.optional(refs),
      removeSecurityProfileIds: z.optional(refs),
    })
    .check(z.refine((p) => Object.values(p).some((v) => v !== undefined), 'nothing to change: name a routing profile, hierarchy group, template agent or security profiles')),
  async run(ctx, params, request) {
    const { client, instanceId } = connectFor(ctx, request);
    const username = usernameOf(request);
    const earlier = earlierProgress.safeParse(request.progress);
    let previous: AgentSetup | undefined;
    let wrote = false;
    try {
      const found = await findUserByUsername(client, instanceId, username);
      const current = found?.Id ? await setupOf(client, instanceId, found.Id) : undefined;
      if (!found?.Id || !current) {
        const onlyRemoves = !params.routingProfileId && !params.templateUsername && !params.addSecurityProfileIds && (params.hierarchyGroupId ?? null) === null;
        // Taking access away from an agent that is not there is already done; giving it needs the agent.
        if (onlyRemoves) return { ok: true, note: `no Connect agent ${username} in instance ${instanceId}: nothing to remove`, result: { previous: null } };
        throw new ProviderError(`no Connect agent ${username} in instance ${instanceId} to change: create it (connect.createAgent) or fix the plan`, false);
      }
      const userId = found.Id;
      previous = earlier.success ? earlier.data.previous : current;

      let template: AgentSetup | undefined;
      if (params.templateUsername) {
        const t = await findUserByUsername(client, instanceId, params.templateUsername);
        template = t?.Id ? await setupOf(client, instanceId, t.Id) : undefined;
        if (!template) throw new ProviderError(`template Connect agent ${params.templateUsername} not found in instance ${instanceId}: fix the role's templateUsername`, false);
      }
      const resolve = connectReferences(client, instanceId);
      const added = [...(params.addSecurityProfileIds ? await resolve.securityProfiles(params.addSecurityProfileIds) : []), ...(template?.securityProfileIds ?? [])];
      const removed = params.removeSecurityProfileIds ? await resolve.securityProfiles(params.removeSecurityProfileIds) : [];
      const both = added.filter((id) => removed.includes(id));
      if (both.length) throw new ProviderError(`security profile(s) ${both.join(', ')} both added and removed: fix the plan`, false);
      const want: AgentSetup = {
        routingProfileId: params.routingProfileId ? await resolve.routingProfile(params.routingProfileId) : (template?.routingProfileId ?? current.routingProfileId),
        hierarchyGroupId:
          params.hierarchyGroupId === null ? null : params.hierarchyGroupId ? await resolve.hierarchyGroup(params.hierarchyGroupId) : template ? template.hierarchyGroupId : current.hierarchyGroupId,
        securityProfileIds: [...new Set([...current.securityProfileIds, ...added])].filter((id) => !removed.includes(id)),
      };
      if (!want.securityProfileIds.length) {
        throw new ProviderError(
          `removing security profile(s) ${(params.removeSecurityProfileIds ?? []).join(', ')} would leave Connect agent ${username} with none, and Connect requires one: add the new role's profile first or remove the agent`,
          false,
        );
      }

      const changing = differences(current, want);
      const ids = { InstanceId: instanceId, UserId: userId };
      const where = `${username} (user ${userId}) in instance ${instanceId}`;
      if (changing.includes('routing profile')) {
        wrote = true;
        await call(`UpdateUserRoutingProfile ${where}`, () => client.send(new UpdateUserRoutingProfileCommand({ ...ids, RoutingProfileId: want.routingProfileId })));
      }
      if (changing.includes('security profiles')) {
        wrote = true;
        await call(`UpdateUserSecurityProfiles ${where}`, () => client.send(new UpdateUserSecurityProfilesCommand({ ...ids, SecurityProfileIds: want.securityProfileIds })));
      }
      if (changing.includes('hierarchy group')) {
        wrote = true;
        // No HierarchyGroupId takes the user out of the hierarchy.
        await call(`UpdateUserHierarchy ${where}`, () => client.send(new UpdateUserHierarchyCommand({ ...ids, HierarchyGroupId: want.hierarchyGroupId ?? undefined })));
      }

      const after = await setupOf(client, instanceId, userId);
      const left = after ? differences(after, want) : ['the agent itself'];
      if (left.length) throw new ConnectVerificationError(`Connect agent ${where} does not match the plan after the update: ${left.join(', ')} differ`);
      const alreadyDone = changing.length === 0 && !earlier.success;
      return {
        ok: true,
        note: alreadyDone ? `Connect agent ${username} already as planned` : `changed ${changing.length ? changing.join(', ') : 'nothing more (an earlier attempt did it)'} of Connect agent ${username}`,
        result: { previous, updated: { userId, username, ...want }, changed: changing },
      };
    } catch (err) {
      const progress = wrote || earlier.success ? { previous } : undefined;
      if (err instanceof ProviderError) throw progress ? new ProviderError(err.message, err.retryable, err.providerAnswer, progress) : err;
      const failure = connectErrorToProviderFailure(err);
      const hint = /ResourceNotFoundException/.test(failure.providerAnswer) ? ' (a routing profile, security profile or hierarchy group the plan names does not exist)' : '';
      throw new ProviderError(`${failure.message}${hint}`, failure.retryable, failure.providerAnswer, progress);
    }
  },
});
