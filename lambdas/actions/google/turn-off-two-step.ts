/** Turns off 2-step verification, so no second factor of the leaver's stays enrolled (playbook option). */
import * as z from '../../shared/zod';
import { google } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { findGoogleUser, googleAddress, noAccount, notApplied } from './google-user';
import { checkedUser, googleAccount } from './google-account';

export const turnOffTwoStep = defineAction({
  name: 'google.turnOffTwoStep',
  account: googleAccount({ removes: true }),
  params: z.strictObject({}),
  async run(ctx, _params, request, checked) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    const user = await checkedUser(g, email, checked);
    if (!user) return noAccount(email, 'turn off');
    if (!user.isEnrolledIn2Sv) return { ok: true, note: '2-step verification was not enrolled' };
    await google(`turning off 2-step verification of ${email}`, () => g.directory.twoStepVerification.turnOff({ userKey: email }));
    const after = await findGoogleUser(g, email);
    if (after?.isEnrolledIn2Sv) throw notApplied('turning off 2-step verification', 'the user is still enrolled');
    return { ok: true, note: '2-step verification turned off', result: { removed: { enrolledIn2Sv: true } } };
  },
});
