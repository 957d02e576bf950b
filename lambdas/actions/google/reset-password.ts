/**
 * Sets a random password nobody knows, so the old one opens nothing, then signs the user out. The leaver's lockout
 * steps run side by side, so the sign-out step may finish before this one: a session opened with the old password in
 * between is closed here. The password is never kept.
 */
import { randomBytes } from 'node:crypto';
import * as z from '../../shared/zod';
import { google } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { googleAddress, noAccount } from './google-user';
import { checkedUser, googleAccount } from './google-account';

export const resetPassword = defineAction({
  name: 'google.resetPassword',
  account: googleAccount({ removes: true }),
  params: z.strictObject({}),
  async run(ctx, _params, request, checked) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    if (!(await checkedUser(g, email, checked))) return noAccount(email, 'reset');
    const password = randomBytes(32).toString('base64url');
    await google(`resetting the password of ${email}`, () =>
      g.directory.users.patch({ userKey: email, requestBody: { password, changePasswordAtNextLogin: false } }),
    );
    await google(`signing ${email} out after the password change`, () => g.directory.users.signOut({ userKey: email }));
    // A password cannot be read back; the account answering after the change is the check there is.
    return { ok: true, note: 'password replaced by a random one that was not stored anywhere; every session signed out after it' };
  },
});
