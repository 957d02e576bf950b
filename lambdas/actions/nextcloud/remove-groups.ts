/**
 * A mover's Nextcloud groups only the old role named, taken away after the grace period, each only where the user is
 * in it, and read back. Held on an admin and on an unbound user until an operator confirms. What it takes away is
 * recorded before it goes (a failed try's progress, then result.removed) for nextcloud.restoreGroups on a cancel.
 */
import * as z from '../../shared/zod';
import { defineAction } from '../define-action';
import { NextcloudVerificationError } from '../../providers/nextcloud/nextcloud-errors';
import { checkedUser, groupsParam, nextcloudAccount, nextcloudAccountOf, nextcloudCall, nextcloudFor } from './nextcloud-account';

export const nextcloudRemovedGroupsSchema = z.object({ userId: z.string(), groups: z.array(z.string()) });
const earlierProgress = z.object({ removed: nextcloudRemovedGroupsSchema });

export const removeNextcloudGroups = defineAction({
  name: 'nextcloud.removeGroups',
  account: nextcloudAccount({ removes: true }),
  params: z.strictObject({ groups: groupsParam.check(z.minLength(1)) }),
  async run(ctx, params, request, checked) {
    const user = checkedUser(checked);
    if (!user) return { ok: true, note: `no Nextcloud user bound to employee ${request.employee.id}: nothing to take away`, result: { removed: null } };
    const { client } = nextcloudFor(ctx, request);
    // What an earlier try recorded before it removed anything: a retry after a partial removal still names every group.
    const earlier = earlierProgress.safeParse(request.progress);
    const removed = { userId: user.id, groups: earlier.success && earlier.data.removed.userId === user.id ? [...earlier.data.removed.groups] : [] };
    const progress = () => ({ removed });
    return nextcloudCall(async () => {
      const have = new Set(await client.userGroups(user.id));
      const removing = params.groups.filter((g) => have.has(g));
      removed.groups = [...new Set([...removed.groups, ...removing])];
      for (const g of removing) await client.removeFromGroup(user.id, g);
      const left = (await client.userGroups(user.id)).filter((g) => params.groups.includes(g));
      if (left.length) throw new NextcloudVerificationError(`Nextcloud user ${user.id} is still in ${left.join(', ')} after their removal`, progress());
      return {
        ok: true as const,
        note: removed.groups.length ? `Nextcloud user ${user.id} taken out of ${removed.groups.join(', ')}` : `Nextcloud user ${user.id} already out of ${params.groups.join(', ')}`,
        result: { removed: removed.groups.length ? removed : null },
        account: nextcloudAccountOf(user, checked?.account.boundBy ?? 'binding'),
      };
    }, progress);
  },
});
