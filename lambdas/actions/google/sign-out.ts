/** Signs the leaver out of every Google session on every device. */
import * as z from '../../shared/zod';
import { google } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { googleAddress, noAccount } from './google-user';
import { checkedUser, googleAccount } from './google-account';

export const signOut = defineAction({
  name: 'google.signOut',
  account: googleAccount({ removes: true }),
  params: z.strictObject({}),
  async run(ctx, _params, request, checked) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    if (!(await checkedUser(g, email, checked))) return noAccount(email, 'sign out');
    const res = await google(`signing ${email} out`, () => g.directory.users.signOut({ userKey: email }));
    // Google keeps no readable sign-out state; the call's own answer is all there is to check.
    return { ok: true, note: 'signed out of every web and device session', providerAnswer: `users.signOut answered ${res.status}` };
  },
});
