/** Deletes the leaver's Google account, recording its id: users.undelete takes the id, not the address, for 20 days. */
import * as z from '../../shared/zod';
import { google, isGoogleNotFound } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { findGoogleUser, googleAddress, noAccount, notApplied } from './google-user';
import { googleAccount } from './google-account';

const ignoreNotFound = (err: unknown): undefined => {
  if (isGoogleNotFound(err)) return undefined;
  throw err;
};

export const deleteUser = defineAction({
  name: 'google.deleteUser',
  account: googleAccount({ removes: true }),
  params: z.strictObject({}),
  async run(ctx, _params, request) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    const user = await findGoogleUser(g, email);
    const userId = user?.id;
    if (!user || !userId) return noAccount(email, 'delete');
    const removed = { userId, primaryEmail: user.primaryEmail, orgUnitPath: user.orgUnitPath, suspended: user.suspended ?? false };
    // By id: should the address have been reassigned since the read, the wrong account is not hit. A 404 means
    // it was deleted meanwhile (a concurrent run, or our earlier try whose answer was lost): the goal is met.
    await google(`deleting Google user ${email}`, () => g.directory.users.delete({ userKey: userId }).catch(ignoreNotFound));
    if (await findGoogleUser(g, userId)) throw notApplied(`deleting ${email}`, `users.get still finds user id ${userId}`);
    return { ok: true, accountState: 'deleted', note: `deleted (user id ${userId}; restorable with users.undelete for 20 days)`, result: { removed } };
  },
});
