/**
 * Undoes a mover's nextcloud.removeGroups when its run is cancelled: the user put back in exactly the groups the step
 * recorded, each only where it is not back already, read back. A group deleted since is named.
 */
import * as z from '../../shared/zod';
import { defineAction } from '../define-action';
import { recordedAccountStillBound } from '../recorded-account';
import { NextcloudVerificationError } from '../../providers/nextcloud/nextcloud-errors';
import { checkedUser, nextcloudAccount, nextcloudCall, nextcloudFor } from './nextcloud-account';
import { nextcloudRemovedGroupsSchema } from './remove-groups';
import { putGroupsBack } from './enable-user';

export const restoreNextcloudGroups = defineAction({
  name: 'nextcloud.restoreGroups',
  account: nextcloudAccount({ restores: (params) => Boolean((params.result as { removed?: unknown } | null | undefined)?.removed) }),
  params: z.strictObject({
    /** nextcloud.removeGroups's result: `removed` is null when it took nothing away. */
    result: z.nullish(z.object({ removed: z.nullish(nextcloudRemovedGroupsSchema) })),
  }),
  async run(ctx, { result }, request, checked) {
    const removed = result?.removed;
    if (!removed?.groups.length) return { ok: true, note: "nothing to restore: the mover's step took no Nextcloud group away" };
    const user = recordedAccountStillBound(checkedUser(checked), (u) => u.id, { id: removed.userId, name: `Nextcloud user ${removed.userId}`, kind: 'Nextcloud user', gone: "(deleted in Nextcloud since the mover's step)", did: "the mover's step changed" }, request.employee.id);
    const { client } = nextcloudFor(ctx, request);
    return nextcloudCall(async () => {
      const { back, gone } = await putGroupsBack(client, user.id, removed.groups);
      const after = await client.userGroups(user.id);
      const missing = removed.groups.filter((g) => !gone.includes(g) && !after.includes(g));
      if (missing.length) throw new NextcloudVerificationError(`Nextcloud user ${user.id} is not back in ${missing.join(', ')}`);
      return {
        ok: true as const,
        note: `${back.length ? `Nextcloud user ${user.id} back in ${back.join(', ')}` : `Nextcloud user ${user.id} already in ${removed.groups.join(', ')}`}${gone.length ? `; group ${gone.join(', ')} no longer in Nextcloud` : ''}`,
        result: { restored: { userId: user.id, groups: back, ...(gone.length ? { gone } : {}) } },
      };
    });
  },
});
