/**
 * Creates the joiner's Amazon Connect agent with the role's routing and security profiles, hierarchy and phone type,
 * or copies them from a template agent. The username is the local part of the company address, as
 * connect.removeAgent looks for it, so a later leaver finds this agent. Profiles and the hierarchy group are named
 * by id or by name, as the role catalog gives them.
 */
import { CreateUserCommand, type PhoneType, type UserPhoneConfig } from '@aws-sdk/client-connect';
import * as z from '../../shared/zod';
import { describeAgent, findUserByUsername } from '../../providers/connect/agent';
import { connectErrorToProviderFailure, ConnectVerificationError } from '../../providers/connect/connect-errors';
import { connectReferences } from '../../providers/connect/references';
import type { ActionRequest } from '../../engine/ports';
import { defineAction } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { connectAccount, employeeTags, connectFor } from './connect-account';

const id = z.string().check(z.minLength(1));

/** What the agent is set up with; what a mover or leaver compares against. */
interface AgentSetup {
  routingProfileId: string;
  securityProfileIds: string[];
  hierarchyGroupId?: string;
}

function usernameOf(request: ActionRequest): string {
  const email = request.employee.email;
  if (!email) throw new ProviderError(`employee ${request.employee.id} has no email in the HR event: no Connect username (the local part of the company address) to create`, false);
  return email.split('@')[0].toLowerCase();
}

/** What differs between an existing agent and the role, in words. */
function differences(have: AgentSetup, want: AgentSetup): string[] {
  const out: string[] = [];
  if (have.routingProfileId !== want.routingProfileId) out.push('routing profile');
  const ids = new Set(have.securityProfileIds);
  if (ids.size !== new Set(want.securityProfileIds).size || want.securityProfileIds.some((x) => !ids.has(x))) out.push('security profiles');
  if ((have.hierarchyGroupId ?? undefined) !== (want.hierarchyGroupId ?? undefined)) out.push('hierarchy group');
  return out;
}

export const createConnectAgent = defineAction({
  name: 'connect.createAgent',
  // An agent already at the username is taken only when it is this employee's (or adopted).
  account: connectAccount(),
  params: z.strictObject({
    routingProfileId: z.optional(id),
    securityProfileIds: z.optional(z.array(id).check(z.minLength(1))),
    hierarchyGroupId: z.optional(id),
    templateUsername: z.optional(id),
    phoneType: z.optional(z.enum(['SOFT_PHONE', 'DESK_PHONE'])),
  }),
  async run(ctx, params, request) {
    const { client, instanceId } = connectFor(ctx, request);
    const username = usernameOf(request);
    const employee = request.employee;
    try {
      // A template agent gives what the role does not name itself; what the role names wins.
      let phoneConfig: UserPhoneConfig = { PhoneType: 'SOFT_PHONE' };
      let fromTemplate: Partial<AgentSetup> = {};
      if (params.templateUsername) {
        const found = await findUserByUsername(client, instanceId, params.templateUsername);
        const template = found?.Id ? await describeAgent(client, instanceId, found.Id) : undefined;
        if (!template) throw new ProviderError(`template Connect agent ${params.templateUsername} not found in instance ${instanceId}: fix the role's templateUsername`, false);
        fromTemplate = { routingProfileId: template.RoutingProfileId, securityProfileIds: template.SecurityProfileIds, hierarchyGroupId: template.HierarchyGroupId };
        const p = template.PhoneConfig;
        // A desk phone number belongs to the template's desk, not to the joiner: a desk phone template gives a soft phone unless the role says otherwise.
        phoneConfig = { PhoneType: p?.PhoneType === 'DESK_PHONE' ? 'SOFT_PHONE' : (p?.PhoneType ?? 'SOFT_PHONE'), AutoAccept: p?.AutoAccept, AfterContactWorkTimeLimit: p?.AfterContactWorkTimeLimit };
      }
      if (params.phoneType) phoneConfig = { ...phoneConfig, PhoneType: params.phoneType as PhoneType };
      if (!(params.routingProfileId ?? fromTemplate.routingProfileId)) throw new ProviderError('connect.createAgent needs routingProfileId (or a templateUsername): the role names none', false);
      if (!(params.securityProfileIds ?? fromTemplate.securityProfileIds)?.length) {
        throw new ProviderError('connect.createAgent needs securityProfileIds, at least one (or a templateUsername): the role names none', false);
      }
      const refs = connectReferences(client, instanceId);
      const routingProfileId = params.routingProfileId ? await refs.routingProfile(params.routingProfileId) : fromTemplate.routingProfileId!;
      const securityProfileIds = params.securityProfileIds ? await refs.securityProfiles(params.securityProfileIds) : fromTemplate.securityProfileIds!;
      const hierarchyGroupId = params.hierarchyGroupId ? await refs.hierarchyGroup(params.hierarchyGroupId) : fromTemplate.hierarchyGroupId;
      const want: AgentSetup = { routingProfileId, securityProfileIds, hierarchyGroupId };

      const existing = await findUserByUsername(client, instanceId, username);
      let userId = existing?.Id;
      let created = false;
      if (!userId) {
        try {
          const out = await client.send(
            new CreateUserCommand({
              InstanceId: instanceId,
              Username: username,
              IdentityInfo: { FirstName: employee.firstName, LastName: employee.lastName, Email: employee.email?.toLowerCase() },
              PhoneConfig: phoneConfig,
              RoutingProfileId: want.routingProfileId,
              SecurityProfileIds: want.securityProfileIds,
              HierarchyGroupId: want.hierarchyGroupId,
              // Bound to the employee id from the start: later steps act on it only as this employee's.
              Tags: employeeTags(employee.id),
            }),
          );
          userId = out.UserId;
          created = true;
        } catch (err) {
          // Created since we looked (our own earlier try whose answer was lost): treat it as existing.
          if ((err as { name?: string }).name !== 'DuplicateResourceException') throw err;
          userId = (await findUserByUsername(client, instanceId, username))?.Id;
        }
      }
      if (!userId) throw new ConnectVerificationError(`Connect agent ${username} in instance ${instanceId} neither could be created nor was found`);

      const after = await describeAgent(client, instanceId, userId);
      if (!after) throw new ConnectVerificationError(`Connect agent ${username} (user ${userId}) in instance ${instanceId} is not there after CreateUser`);
      const have: AgentSetup = { routingProfileId: after.RoutingProfileId ?? '', securityProfileIds: after.SecurityProfileIds ?? [], hierarchyGroupId: after.HierarchyGroupId };
      const diff = differences(have, want);
      const record = { userId, username, ...have, ...(have.hierarchyGroupId ? {} : { hierarchyGroupId: null }) };
      if (created) {
        if (diff.length) throw new ConnectVerificationError(`Connect agent ${username} (user ${userId}) does not match the role after CreateUser: ${diff.join(', ')} differ`);
        return {
          ok: true,
          note: `created Connect agent ${username} (user ${userId})`,
          result: { created: record },
          account: { system: 'connect', address: username, accountId: userId, state: 'active', boundBy: 'created' },
        };
      }
      // Changing an existing agent's profiles is a mover's decision: report the difference, change nothing.
      return {
        ok: true,
        note: `Connect agent ${username} already exists (user ${userId})${diff.length ? `; its ${diff.join(', ')} differ from the role's (left as is)` : ' and matches the role'}`,
        result: { existing: record, differences: diff },
      };
    } catch (err) {
      if (err instanceof ProviderError) throw err;
      const failure = connectErrorToProviderFailure(err);
      const hint = /ResourceNotFoundException/.test(failure.providerAnswer) ? ' (a routing profile, security profile or hierarchy group the role names does not exist)' : '';
      throw new ProviderError(`${failure.message}${hint}`, failure.retryable, failure.providerAnswer);
    }
  },
});
