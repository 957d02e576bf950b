/**
 * The leaver's OpenProject user: a snapshot first (id, login, status), then locked (they can no longer sign in;
 * their work packages, comments and memberships stay), read back. The snapshot is recorded for
 * openproject.unlockUser and kept across retries (the error's progress).
 */
import * as z from '../../shared/zod';
import { defineAction } from '../define-action';
import { OpenProjectVerificationError } from '../../providers/openproject/openproject-errors';
import { checkedUser, openProjectAccount, openProjectCall, openProjectFor } from './openproject-account';

export const openProjectSnapshotSchema = z.object({ userId: z.number(), login: z.string(), email: z.nullish(z.string()), status: z.string() });
export type OpenProjectSnapshot = z.infer<typeof openProjectSnapshotSchema>;
const earlierProgress = z.object({ snapshot: openProjectSnapshotSchema });

export const lockOpenProjectUser = defineAction({
  name: 'openproject.lockUser',
  account: openProjectAccount({ removes: true }),
  params: z.strictObject({
    /** What the role held granted (for the record: the user is locked whatever it says). */
    granted: z.optional(z.object({ account: z.optional(z.string()) })),
  }),
  async run(ctx, _params, request, checked) {
    const user = checkedUser(checked);
    if (!user) return { ok: true, note: `no OpenProject user bound to employee ${request.employee.id}: nothing to lock`, result: { removed: null } };
    const { client } = openProjectFor(ctx, request);
    const earlier = earlierProgress.safeParse(request.progress);
    const snapshot: OpenProjectSnapshot = earlier.success && earlier.data.snapshot.userId === user.id ? earlier.data.snapshot : { userId: user.id, login: user.login, email: user.email, status: user.status };
    const progress = () => ({ snapshot });
    return openProjectCall(async () => {
      const current = await client.getUser(user.id);
      if (current && current.status !== 'locked') await client.lockUser(user.id);
      const after = await client.getUser(user.id);
      if (!after || after.status !== 'locked') throw new OpenProjectVerificationError(`OpenProject user ${user.login} (${user.id}) is ${after ? after.status : 'gone'} after the lock`, progress());
      return {
        ok: true as const,
        accountState: 'suspended' as const,
        note: snapshot.status === 'locked' ? `OpenProject user ${user.login} (${user.id}) already locked` : `locked OpenProject user ${user.login} (${user.id}); their work packages and memberships are kept`,
        result: { removed: { user: snapshot } },
      };
    }, progress);
  },
});
