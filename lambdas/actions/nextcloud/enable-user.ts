/**
 * Undoes nextcloud.disableUser after a cancelled termination (or for a rehire): the user enabled again (unless it was
 * disabled before) and put back in the groups of the snapshot, read back. A group deleted since is named.
 */
import * as z from '../../shared/zod';
import { defineAction } from '../define-action';
import { recordedAccountStillBound } from '../recorded-account';
import { NextcloudApiError, type NextcloudClient } from '../../providers/nextcloud/nextcloud-client';
import { NextcloudVerificationError } from '../../providers/nextcloud/nextcloud-errors';
import { checkedUser, nextcloudAccount, nextcloudAccountOf, nextcloudCall, nextcloudFor } from './nextcloud-account';
import { nextcloudSnapshotSchema } from './disable-user';

/** Adds the user back to each group it is not in; a group Nextcloud no longer has (OCS 102) is `gone`. */
export async function putGroupsBack(client: NextcloudClient, userId: string, groups: readonly string[]): Promise<{ back: string[]; gone: string[] }> {
  const have = new Set(await client.userGroups(userId));
  const back: string[] = [];
  const gone: string[] = [];
  for (const g of groups.filter((x) => !have.has(x))) {
    try {
      await client.addToGroup(userId, g);
      back.push(g);
    } catch (err) {
      if (err instanceof NextcloudApiError && err.statuscode === 102) gone.push(g);
      else throw err;
    }
  }
  return { back, gone };
}

export const enableNextcloudUser = defineAction({
  name: 'nextcloud.enableUser',
  account: nextcloudAccount({ restores: (params) => Boolean((params.result as { removed?: { user?: unknown } | null } | null | undefined)?.removed?.user) }),
  params: z.strictObject({
    /** nextcloud.disableUser's result: `removed` is null when there was no user to disable. */
    result: z.nullish(z.object({ removed: z.nullish(z.object({ user: nextcloudSnapshotSchema })) })),
  }),
  async run(ctx, { result }, request, checked) {
    const snapshot = result?.removed?.user;
    if (!snapshot) return { ok: true, note: 'nothing to restore: the run disabled no Nextcloud user' };
    const user = recordedAccountStillBound(checkedUser(checked), (u) => u.id, { id: snapshot.userId, name: `Nextcloud user ${snapshot.userId}`, kind: 'Nextcloud user', gone: "(deleted in Nextcloud since the leaver's step)", did: "the leaver's step disabled" }, request.employee.id);
    const { client } = nextcloudFor(ctx, request);
    return nextcloudCall(async () => {
      if (snapshot.enabled && !user.enabled) await client.enableUser(user.id);
      const { gone } = await putGroupsBack(client, user.id, snapshot.groups);
      const after = await client.getUser(user.id);
      const missing = snapshot.groups.filter((g) => !gone.includes(g) && !after?.groups.includes(g));
      // A user disabled before the leaver's step is not enabled here; one enabled by hand since is not disabled either.
      const wrong = [...(!after ? ['the user itself'] : []), ...(after && snapshot.enabled && !after.enabled ? ['still disabled'] : []), ...(missing.length ? [`not in ${missing.join(', ')}`] : [])];
      if (wrong.length || !after) throw new NextcloudVerificationError(`Nextcloud user ${user.id} does not match its snapshot after the restore: ${wrong.join(', ')}`);
      const restored = snapshot.groups.filter((g) => !gone.includes(g));
      return {
        ok: true as const,
        note: `restored Nextcloud user ${user.id}: ${snapshot.enabled ? 'enabled' : after.enabled ? "left enabled as found (it was disabled before the leaver's step)" : 'left disabled as it was before'}${restored.length ? `, back in ${restored.join(', ')}` : ''}${gone.length ? `; group ${gone.join(', ')} no longer in Nextcloud` : ''}`,
        result: { restored: { userId: user.id, enabled: after.enabled, groups: restored, ...(gone.length ? { groupsGone: gone } : {}) } },
        account: nextcloudAccountOf(after, checked?.account.boundBy ?? 'binding'),
      };
    });
  },
});
