/**
 * A mover's Nextcloud groups only the old role named, taken away after the grace period, each only where the user is
 * in it, and read back. Held on an admin and on an unbound user until an operator confirms. What it took away is
 * recorded (result.removed) for nextcloud.restoreGroups on a cancel.
 */
import * as z from '../../shared/zod';
import { defineAction } from '../define-action';
import { NextcloudVerificationError } from '../../providers/nextcloud/nextcloud-errors';
import { checkedUser, groupsParam, nextcloudAccount, nextcloudAccountOf, nextcloudCall, nextcloudFor } from './nextcloud-account';

export const nextcloudRemovedGroupsSchema = z.object({ userId: z.string(), groups: z.array(z.string()) });

export const removeNextcloudGroups = defineAction({
  name: 'nextcloud.removeGroups',
  account: nextcloudAccount({ removes: true }),
  params: z.strictObject({ groups: groupsParam.check(z.minLength(1)) }),
  async run(ctx, params, request, checked) {
    const user = checkedUser(checked);
    if (!user) return { ok: true, note: `no Nextcloud user bound to employee ${request.employee.id}: nothing to take away`, result: { removed: null } };
    const { client } = nextcloudFor(ctx, request);
    return nextcloudCall(async () => {
      const have = new Set(await client.userGroups(user.id));
      const removing = params.groups.filter((g) => have.has(g));
      for (const g of removing) await client.removeFromGroup(user.id, g);
      const left = (await client.userGroups(user.id)).filter((g) => params.groups.includes(g));
      if (left.length) throw new NextcloudVerificationError(`Nextcloud user ${user.id} is still in ${left.join(', ')} after their removal`, { removed: { userId: user.id, groups: removing } });
      return {
        ok: true as const,
        note: removing.length ? `Nextcloud user ${user.id} taken out of ${removing.join(', ')}` : `Nextcloud user ${user.id} already out of ${params.groups.join(', ')}`,
        result: { removed: removing.length ? { userId: user.id, groups: removing } : null },
        account: nextcloudAccountOf(user, checked?.account.boundBy ?? 'binding'),
      };
    });
  },
});
