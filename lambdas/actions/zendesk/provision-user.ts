/**
 * Gives the joiner their Zendesk user as the role says: found by external_id (the employee id), else by the company
 * address, else created; its role, custom role and groups set, a suspended one (a rehire) made active again. Sign-in
 * is left to Google (SAML): no password is set and no verification mail sent. Reads the user back.
 */
import * as z from '../../shared/zod';
import { defineAction } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { ZendeskApiError, type ZendeskUser } from '../../providers/zendesk/zendesk-client';
import { ZendeskVerificationError } from '../../providers/zendesk/zendesk-errors';
import { zendeskReferences } from '../../providers/zendesk/references';
import { checkedUser, zendeskAccount, zendeskAccountOf, zendeskCall, zendeskEmail, zendeskFor } from './zendesk-account';

const name = z.string().check(z.minLength(1));

export const provisionZendeskUser = defineAction({
  name: 'zendesk.provisionUser',
  account: zendeskAccount(),
  params: z.strictObject({
    role: z.enum(['end-user', 'agent', 'admin']),
    /** A custom role by name (or id), for an agent. */
    customRole: z.optional(name),
    /** Group names (or ids); an agent's or an admin's only. */
    groups: z.optional(z.array(name)),
  }),
  async run(ctx, params, request, checked) {
    const { client } = zendeskFor(ctx, request);
    const employee = request.employee;
    const email = zendeskEmail(request);
    const wanted = params.groups ?? [];
    if (params.role === 'end-user' && (wanted.length || params.customRole)) {
      throw new ProviderError(`the role gives a Zendesk end-user ${wanted.length ? 'groups' : 'a custom role'}, which only agents have: set its Zendesk role to agent, or remove its Zendesk ${wanted.length ? 'groups' : 'custom role'}`, false);
    }
    return zendeskCall(async () => {
      const refs = zendeskReferences(client);
      const groups = await refs.groups(wanted);
      const customRole = params.customRole ? await refs.customRole(params.customRole) : undefined;
      const customRoleId = customRole?.id ?? null;
      let user: ZendeskUser | undefined = checkedUser(checked);
      let created = false;
      let previous: { role: string; customRoleId: number | null; suspended: boolean } | undefined;
      const changed: string[] = [];
      if (!user) {
        try {
          user = await client.createUser({
            name: [employee.firstName, employee.lastName].filter(Boolean).join(' ') || email,
            email,
            role: params.role,
            ...(customRoleId !== null ? { custom_role_id: customRoleId } : {}),
            // Bound to the employee id from the start: later steps act on it only as this employee's.
            external_id: employee.id,
            // Google signs them in (SAML): Zendesk sends no verification mail and no password is set.
            verified: true,
            skip_verify_email: true,
          });
          created = true;
        } catch (err) {
          // Made since the account check looked (an earlier try whose answer was lost): the next try finds and checks it.
          if (err instanceof ZendeskApiError && err.status === 422 && /DuplicateValue/.test(JSON.stringify(err.details ?? ''))) {
            throw new ProviderError(`Zendesk user ${email} appeared while it was being created: the next try checks whose it is`, true, `${err.status} ${err.error}`);
          }
          throw err;
        }
      } else {
        previous = { role: user.role, customRoleId: user.custom_role_id ?? null, suspended: user.suspended };
        const patch: Partial<ZendeskUser> = {};
        if (user.role !== params.role) patch.role = params.role;
        if (customRole && user.custom_role_id !== customRole.id) patch.custom_role_id = customRole.id;
        // A rehire: the user the leaver's step suspended is made active again.
        if (user.suspended) patch.suspended = false;
        if (Object.keys(patch).length) {
          changed.push(...Object.keys(patch).map((k) => (k === 'custom_role_id' ? 'custom role' : k === 'suspended' ? 'reactivated' : k)));
          user = await client.updateUser(user.id, patch);
        }
      }
      const userId = user.id;
      const have = new Set((await client.userMemberships(userId)).map((m) => m.group_id));
      const added: string[] = [];
      for (const group of groups.filter((g) => !have.has(g.id))) {
        try {
          await client.addMembership(userId, group.id);
        } catch (err) {
          // Already a member (made since we listed them): what was wanted.
          if (!(err instanceof ZendeskApiError && err.status === 422 && /DuplicateValue|taken|already/i.test(JSON.stringify(err.details ?? err.description ?? '')))) throw err;
        }
        added.push(group.name);
      }

      // Read back: the user as the role says, bound to the employee, in every group.
      const after = await client.showUser(userId);
      const memberOf = new Set((await client.userMemberships(userId)).map((m) => m.group_id));
      const wrong: string[] = [];
      if (!after) wrong.push('the user itself');
      else {
        if (after.role !== params.role) wrong.push(`role ${after.role}`);
        if (customRole && after.custom_role_id !== customRole.id) wrong.push(`custom role ${after.custom_role_id}`);
        if (after.suspended) wrong.push('suspended');
        if (after.external_id !== employee.id) wrong.push(`external_id ${JSON.stringify(after.external_id)}`);
      }
      const missing = groups.filter((g) => !memberOf.has(g.id)).map((g) => g.name);
      if (missing.length) wrong.push(`not in ${missing.join(', ')}`);
      if (wrong.length || !after) throw new ZendeskVerificationError(`Zendesk user ${email} (${userId}) does not match the role after ${created ? 'creation' : 'the update'}: ${wrong.join(', ')}`);

      const record = { userId, email, role: after.role, customRoleId: after.custom_role_id ?? null, ...(customRole ? { customRole: customRole.name } : {}), groups: groups.map((g) => g.name) };
      const done = [...changed, ...(added.length ? [`added to ${added.join(', ')}`] : [])];
      return {
        ok: true as const,
        note: created
          ? `created Zendesk ${params.role} ${email} (user ${userId})${customRole ? ` with custom role ${customRole.name}` : ''}${added.length ? `, in ${added.join(', ')}` : ''}, bound to employee ${employee.id}`
          : done.length
            ? `Zendesk user ${email} (user ${userId}) already existed: ${done.join('; ')}`
            : `Zendesk user ${email} (user ${userId}) already as the role says`,
        result: created ? { created: record } : { existing: record, previous, changed: done },
        account: zendeskAccountOf(after, created ? 'created' : (checked?.account.boundBy ?? 'binding')),
      };
    });
  },
});
