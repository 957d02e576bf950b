/**
 * The leaver's Nextcloud user: a snapshot first (enabled, groups), then disabled and out of every group (their files
 * kept), read back. The snapshot is recorded for nextcloud.enableUser and kept across retries (the error's
 * progress), so a retry after a partial removal still knows every group the user was in.
 */
import * as z from '../../shared/zod';
import { defineAction } from '../define-action';
import { NextcloudVerificationError } from '../../providers/nextcloud/nextcloud-errors';
import { checkedUser, groupsParam, nextcloudAccount, nextcloudCall, nextcloudFor } from './nextcloud-account';

export const nextcloudSnapshotSchema = z.object({ userId: z.string(), email: z.nullish(z.string()), enabled: z.boolean(), groups: z.array(z.string()) });
export type NextcloudSnapshot = z.infer<typeof nextcloudSnapshotSchema>;
const earlierProgress = z.object({ snapshot: nextcloudSnapshotSchema });

export const disableNextcloudUser = defineAction({
  name: 'nextcloud.disableUser',
  account: nextcloudAccount({ removes: true }),
  params: z.strictObject({
    /** What the role held granted (for the record: every group goes, whatever it says). */
    granted: z.optional(z.object({ groups: z.optional(groupsParam), quota: z.optional(z.string()) })),
  }),
  async run(ctx, _params, request, checked) {
    const user = checkedUser(checked);
    if (!user) return { ok: true, note: `no Nextcloud user bound to employee ${request.employee.id}: nothing to disable`, result: { removed: null } };
    const { client } = nextcloudFor(ctx, request);
    const earlier = earlierProgress.safeParse(request.progress);
    const snapshot: NextcloudSnapshot = earlier.success && earlier.data.snapshot.userId === user.id ? earlier.data.snapshot : { userId: user.id, email: user.email, enabled: user.enabled, groups: [...user.groups] };
    const progress = () => ({ snapshot });
    return nextcloudCall(async () => {
      // Locked out first: a group removal that fails leaves the user disabled, not signed in and partly stripped.
      const current = await client.getUser(user.id);
      if (current?.enabled) await client.disableUser(user.id);
      // Groups read again: the snapshot keeps every group of an earlier try, and adds any joined since.
      const groups = await client.userGroups(user.id);
      snapshot.groups = [...new Set([...snapshot.groups, ...groups])];
      for (const g of groups) await client.removeFromGroup(user.id, g);

      const after = await client.getUser(user.id);
      const wrong = [...(after?.enabled ? ['still enabled'] : []), ...(after?.groups.length ? [`still in ${after.groups.join(', ')}`] : [])];
      if (wrong.length) throw new NextcloudVerificationError(`Nextcloud user ${user.id} after the leaver's step: ${wrong.join(', ')}`, progress());
      const nothingDone = !snapshot.enabled && snapshot.groups.length === 0;
      return {
        ok: true as const,
        accountState: 'suspended' as const,
        note: nothingDone ? `Nextcloud user ${user.id} already disabled and in no group` : `disabled Nextcloud user ${user.id}${snapshot.groups.length ? `, removed from ${snapshot.groups.join(', ')}` : ''}; their files are kept`,
        result: { removed: { user: snapshot } },
      };
    }, progress);
  },
});
