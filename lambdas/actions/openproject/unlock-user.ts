/**
 * Undoes openproject.lockUser after a cancelled termination (or for a rehire): the user unlocked (active) unless it
 * was locked before the leaver's step, read back. Only on the user the step recorded, still bound to the employee.
 */
import * as z from '../../shared/zod';
import { defineAction } from '../define-action';
import { recordedAccountStillBound } from '../recorded-account';
import { OpenProjectVerificationError } from '../../providers/openproject/openproject-errors';
import { checkedUser, openProjectAccount, openProjectAccountOf, openProjectCall, openProjectFor } from './openproject-account';
import { openProjectSnapshotSchema } from './lock-user';

export const unlockOpenProjectUser = defineAction({
  name: 'openproject.unlockUser',
  account: openProjectAccount({ restores: (params) => Boolean((params.result as { removed?: { user?: unknown } | null } | null | undefined)?.removed?.user) }),
  params: z.strictObject({
    /** openproject.lockUser's result: `removed` is null when there was no user to lock. */
    result: z.nullish(z.object({ removed: z.nullish(z.object({ user: openProjectSnapshotSchema })) })),
  }),
  async run(ctx, { result }, request, checked) {
    const snapshot = result?.removed?.user;
    if (!snapshot) return { ok: true, note: 'nothing to restore: the run locked no OpenProject user' };
    const user = recordedAccountStillBound(checkedUser(checked), (u) => u.id, { id: snapshot.userId, name: `OpenProject user ${snapshot.login} (${snapshot.userId})`, kind: 'OpenProject user', gone: "(deleted in OpenProject since the leaver's step)", did: "the leaver's step locked" }, request.employee.id);
    const { client } = openProjectFor(ctx, request);
    return openProjectCall(async () => {
      if (snapshot.status === 'locked') return { ok: true as const, note: `OpenProject user ${user.login} (${user.id}) was locked before the leaver's step: left locked` };
      if (user.status === 'locked') await client.unlockUser(user.id);
      const after = await client.getUser(user.id);
      if (!after || after.status === 'locked') throw new OpenProjectVerificationError(`OpenProject user ${user.login} (${user.id}) is ${after ? 'still locked' : 'gone'} after the unlock`);
      return {
        ok: true as const,
        note: user.status === 'locked' ? `unlocked OpenProject user ${after.login} (${after.id})` : `OpenProject user ${after.login} (${after.id}) already unlocked`,
        result: { restored: { userId: after.id, status: after.status } },
        account: openProjectAccountOf(after, checked?.account.boundBy ?? 'binding'),
      };
    });
  },
});
