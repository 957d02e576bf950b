/** Undoes google.suspendUser: lifts the suspension the run put on, and leaves alone one that was there before it. */
import * as z from '../../shared/zod';
import { google } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { findGoogleUser, googleAddress, notApplied } from './google-user';
import { nothingToRestore, restoreTarget } from './restore-target';
import { googleAccount } from './google-account';

export const unsuspendUser = defineAction({
  name: 'google.unsuspendUser',
  account: googleAccount(),
  params: z.strictObject({
    /** google.suspendUser's result: `removed.suspended` (false) is there only when the run suspended an active account. */
    result: z.nullish(z.object({ removed: z.nullish(z.object({ suspended: z.boolean() })) })),
  }),
  async run(ctx, { result }, request) {
    if (result?.removed?.suspended !== false) return nothingToRestore('the account was suspended before the run');
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    const user = await restoreTarget(g, email, 'lift the suspension');
    if (!user.suspended) return { ok: true, note: `${email} is already active` };
    await google(`lifting the suspension of Google user ${email}`, () => g.directory.users.patch({ userKey: email, requestBody: { suspended: false } }));
    const after = await findGoogleUser(g, email);
    if (after?.suspended !== false) throw notApplied(`lifting the suspension of ${email}`, after ? 'users.get still reports suspended: true' : 'the user vanished after the patch');
    return { ok: true, accountState: 'active', note: 'active again', result: { restored: { suspended: false } } };
  },
});
