/**
 * Changes a mover's Zendesk user as the new role says: role, custom role (null clears it), groups added and (after the
 * grace period) removed. Records what the user had before (taken before anything changes, kept across retries) and
 * what the plan changed from it (`undo`, for zendesk.restoreRole on a cancel), and reads it back.
 */
import * as z from '../../shared/zod';
import { defineAction } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import type { ZendeskUser } from '../../providers/zendesk/zendesk-client';
import { ZendeskVerificationError } from '../../providers/zendesk/zendesk-errors';
import { UnknownZendeskReference, zendeskReferences } from '../../providers/zendesk/references';
import { checkedUser, zendeskAccount, zendeskCall, zendeskFor } from './zendesk-account';
import { zendeskPreviousSchema, type ZendeskUndo } from './zendesk-snapshot';
import { isDuplicateMembership } from './zendesk-memberships';

/** A group to leave that no longer exists is left already; a failed read of the groups (a 429, a 5xx) fails the step. */
const goneGroup = (err: unknown): undefined => {
  if (err instanceof UnknownZendeskReference) return undefined;
  throw err;
};

const name = z.string().check(z.minLength(1));
const names = z.array(name).check(z.minLength(1));
const earlierProgress = z.object({ previous: zendeskPreviousSchema });

export const updateZendeskUser = defineAction({
  name: 'zendesk.updateUser',
  account: zendeskAccount({ removes: true }),
  params: z
    .strictObject({
      role: z.optional(z.enum(['end-user', 'agent', 'admin'])),
      /** null takes the custom role away. */
      customRole: z.optional(z.nullable(name)),
      addGroups: z.optional(names),
      removeGroups: z.optional(names),
    })
    .check(z.refine((p) => Object.values(p).some((v) => v !== undefined), 'nothing to change: name a Zendesk role, custom role or groups')),
  async run(ctx, params, request, checked) {
    const { client } = zendeskFor(ctx, request);
    const user = checkedUser(checked);
    if (!user) {
      const onlyRemoves = !params.role && !params.addGroups && (params.customRole ?? null) === null;
      if (onlyRemoves) return { ok: true, note: `no Zendesk user bound to employee ${request.employee.id}: nothing to remove`, result: { previous: null } };
      throw new ProviderError(`no Zendesk user bound to employee ${request.employee.id} to change: provision it (zendesk.provisionUser) or fix the plan`, false);
    }
    const earlier = earlierProgress.safeParse(request.progress);
    let previous: z.infer<typeof zendeskPreviousSchema> | undefined = earlier.success ? earlier.data.previous : undefined;
    return zendeskCall(
      async () => {
        const refs = zendeskReferences(client);
        const add = await refs.groups(params.addGroups ?? []);
        const remove = (await Promise.all((params.removeGroups ?? []).map((g) => refs.group(g).catch(goneGroup)))).filter((g) => g !== undefined);
        const customRole = params.customRole ? await refs.customRole(params.customRole) : params.customRole === null ? null : undefined;
        const memberships = await client.userMemberships(user.id);
        previous ??= { role: user.role, customRoleId: user.custom_role_id ?? null, groups: await Promise.all(memberships.map((m) => refs.groupName(m.group_id))), groupIds: memberships.map((m) => m.group_id) };
        // What the plan changes from what the user had before the first try: what a cancel puts back.
        const before = previous;
        const hadGroup = (g: { id: number; name: string }) => (before.groupIds ? before.groupIds.includes(g.id) : before.groups.includes(g.name));
        const undo: ZendeskUndo = {
          userId: user.id,
          ...(params.role && before.role !== params.role ? { role: { from: before.role as ZendeskUser['role'], to: params.role } } : {}),
          ...(customRole !== undefined && before.customRoleId !== (customRole?.id ?? null) ? { customRoleId: { from: before.customRoleId, to: customRole?.id ?? null } } : {}),
          added: add.filter((g) => !hadGroup(g)).map((g) => ({ groupId: g.id, name: g.name })),
          removed: remove.filter(hadGroup).map((g) => ({ groupId: g.id, name: g.name })),
        };

        const changed: string[] = [];
        const patch: Partial<ZendeskUser> = {};
        if (params.role && user.role !== params.role) patch.role = params.role;
        if (customRole !== undefined && (user.custom_role_id ?? null) !== (customRole?.id ?? null)) patch.custom_role_id = customRole?.id ?? null;
        if (Object.keys(patch).length) {
          await client.updateUser(user.id, patch);
          changed.push(...Object.keys(patch).map((k) => (k === 'custom_role_id' ? 'custom role' : k)));
        }
        const have = new Map((await client.userMemberships(user.id)).map((m) => [m.group_id, m.id]));
        for (const g of add.filter((x) => !have.has(x.id))) {
          try {
            await client.addMembership(user.id, g.id);
          } catch (err) {
            if (!isDuplicateMembership(err)) throw err;
          }
          changed.push(`added to ${g.name}`);
        }
        for (const g of remove.filter((x) => have.has(x.id))) {
          await client.removeMembership(have.get(g.id)!);
          changed.push(`removed from ${g.name}`);
        }

        const after = await client.showUser(user.id);
        const memberOf = new Set((await client.userMemberships(user.id)).map((m) => m.group_id));
        const wrong = [
          ...(!after ? ['the user itself'] : []),
          ...(after && params.role && after.role !== params.role ? [`role ${after.role}`] : []),
          ...(after && customRole !== undefined && (after.custom_role_id ?? null) !== (customRole?.id ?? null) ? [`custom role ${after.custom_role_id}`] : []),
          ...add.filter((g) => !memberOf.has(g.id)).map((g) => `not in ${g.name}`),
          ...remove.filter((g) => memberOf.has(g.id)).map((g) => `still in ${g.name}`),
        ];
        if (wrong.length) throw new ZendeskVerificationError(`Zendesk user ${user.email ?? ''} (${user.id}) does not match the plan after the update: ${wrong.join(', ')}`, { previous });
        undo.finishedAt = ctx.clock.now().toISOString();
        return {
          ok: true as const,
          note: changed.length ? `changed Zendesk user ${user.email ?? ''} (${user.id}): ${changed.join('; ')}` : `Zendesk user ${user.email ?? ''} (${user.id}) already as planned`,
          result: { previous, changed, undo },
        };
      },
      () => (previous ? { previous } : undefined),
    );
  },
});
