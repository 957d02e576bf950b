/** Suspends the leaver's Google account, and records whether it was active so a restore can lift it. */
import * as z from '../../shared/zod';
import { google } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { findGoogleUser, googleAddress, noAccount, notApplied } from './google-user';
import { checkedUser, googleAccount } from './google-account';

export const suspendUser = defineAction({
  name: 'google.suspendUser',
  account: googleAccount({ removes: true }),
  params: z.strictObject({}),
  async run(ctx, _params, request, checked) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    const before = await checkedUser(g, email, checked);
    if (!before) return noAccount(email, 'suspend');
    // Nothing to restore: whoever suspended it first owns that fact, not this step.
    if (before.suspended) return { ok: true, note: `${email} was already suspended`, result: { suspended: true, wasSuspended: true } };
    await google(`suspending Google user ${email}`, () => g.directory.users.patch({ userKey: email, requestBody: { suspended: true } }));
    const after = await findGoogleUser(g, email);
    if (after?.suspended !== true) throw notApplied(`suspending ${email}`, after ? 'users.get still reports suspended: false' : 'the user vanished after the patch');
    return {
      ok: true,
      accountState: 'suspended',
      note: 'suspended',
      result: { suspended: true, wasSuspended: false, removed: { suspended: false } },
      providerAnswer: `suspensionReason: ${after.suspensionReason ?? 'none reported'}`,
    };
  },
});
