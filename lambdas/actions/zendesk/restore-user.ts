/**
 * Undoes zendesk.suspendUser after a cancelled termination (or for a rehire): the user unsuspended (unless it was
 * suspended before), its role and custom role and its group memberships put back, read back. The open tickets
 * handed to the leaver group stay there: they may have been worked on since; the note names them.
 */
import * as z from '../../shared/zod';
import { defineAction } from '../define-action';
import { recordedAccountStillBound } from '../recorded-account';
import type { ZendeskUser } from '../../providers/zendesk/zendesk-client';
import { ZendeskVerificationError } from '../../providers/zendesk/zendesk-errors';
import { checkedUser, zendeskAccount, zendeskAccountOf, zendeskCall, zendeskFor } from './zendesk-account';
import { zendeskUserSnapshotSchema } from './zendesk-snapshot';
import { addMembershipBack } from './zendesk-memberships';

export const restoreZendeskUser = defineAction({
  name: 'zendesk.restoreUser',
  account: zendeskAccount({ restores: (params) => Boolean((params.result as { removed?: { user?: unknown } | null } | null | undefined)?.removed?.user) }),
  params: z.strictObject({
    /** zendesk.suspendUser's result: `removed` is null when there was no user to suspend. */
    result: z.nullish(z.object({ removed: z.nullish(z.object({ user: zendeskUserSnapshotSchema, tickets: z.optional(z.object({ ids: z.array(z.number()), group: z.string() })) })) })),
  }),
  async run(ctx, { result }, request, checked) {
    const snapshot = result?.removed?.user;
    if (!snapshot) return { ok: true, note: 'nothing to restore: the run suspended no Zendesk user' };
    const { client } = zendeskFor(ctx, request);
    const user = recordedAccountStillBound(
      checkedUser(checked),
      (u) => u.id,
      { id: snapshot.userId, name: `Zendesk user ${snapshot.email ?? snapshot.userId} (${snapshot.userId})`, kind: 'Zendesk user', gone: "(deleted in Zendesk since the leaver's step)", did: "the leaver's step suspended" },
      request.employee.id,
    );
    return zendeskCall(async () => {
      const patch: Partial<ZendeskUser> = {};
      if (user.suspended && !snapshot.suspended) patch.suspended = false;
      if (user.role !== snapshot.role) patch.role = snapshot.role;
      if ((user.custom_role_id ?? null) !== snapshot.customRoleId && snapshot.customRoleId !== null) patch.custom_role_id = snapshot.customRoleId;
      if (Object.keys(patch).length) await client.updateUser(user.id, patch);

      const have = new Set((await client.userMemberships(user.id)).map((m) => m.group_id));
      const gone: string[] = [];
      for (const g of snapshot.groups.filter((x) => !have.has(x.groupId))) {
        // A group deleted since: named in the note, the rest is restored.
        if ((await addMembershipBack(client, user.id, g.groupId)) === 'gone') gone.push(g.name);
      }

      const after = await client.showUser(user.id);
      const memberOf = new Set((await client.userMemberships(user.id)).map((m) => m.group_id));
      const missing = snapshot.groups.filter((g) => !memberOf.has(g.groupId) && !gone.includes(g.name)).map((g) => g.name);
      const wrong = [
        ...(!after ? ['the user itself'] : []),
        ...(after && after.suspended !== snapshot.suspended ? [after.suspended ? 'still suspended' : 'not suspended'] : []),
        ...(after && after.role !== snapshot.role ? [`role ${after.role}`] : []),
        ...(missing.length ? [`not in ${missing.join(', ')}`] : []),
      ];
      if (wrong.length || !after) throw new ZendeskVerificationError(`Zendesk user ${snapshot.email ?? ''} (${user.id}) does not match its snapshot after the restore: ${wrong.join(', ')}`);
      const restoredGroups = snapshot.groups.filter((g) => !gone.includes(g.name)).map((g) => g.name);
      const tickets = result?.removed?.tickets;
      const ticketNote = tickets?.ids.length ? `; the ${tickets.ids.length} open ticket${tickets.ids.length === 1 ? '' : 's'} handed to group ${tickets.group} (${tickets.ids.join(', ')}) stay there: reassign them by hand if wanted` : '';
      return {
        ok: true as const,
        note: `restored Zendesk user ${snapshot.email ?? ''} (${user.id}): ${snapshot.suspended ? 'left suspended as it was before' : 'unsuspended'}${restoredGroups.length ? `, back in ${restoredGroups.join(', ')}` : ''}${gone.length ? `; group${gone.length === 1 ? '' : 's'} ${gone.join(', ')} no longer exist${gone.length === 1 ? 's' : ''}` : ''}${ticketNote}`,
        result: { restored: { userId: user.id, suspended: after.suspended, role: after.role, groups: restoredGroups, ...(gone.length ? { groupsGone: gone } : {}) } },
        account: zendeskAccountOf(after, checked?.account.boundBy ?? 'binding'),
      };
    });
  },
});
