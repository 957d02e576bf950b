/**
 * Invalidates the leaver's 2-step verification backup codes. Google refuses this on a suspended account (400 "Invalid
 * Input"), so the playbook runs it before google.suspendUser; an account suspended before the run (by IT, say) is
 * skipped with a note: the suspension already blocks every sign-in, backup codes included.
 */
import * as z from '../../shared/zod';
import { google, googleErrorInfo, googleFailure } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { findGoogleUser, googleAddress, noAccount, notApplied } from './google-user';
import { checkedUser, googleAccount } from './google-account';
import type { GoogleClients } from '../../providers/google/google-clients';

/** Google's answer to invalidate (or generate) on a suspended user: 400 invalid "Invalid Input". */
const isInvalidInput = (err: unknown) => {
  const info = googleErrorInfo(err);
  return info.status === 400 && info.reason === 'invalid';
};

async function skippedWhileSuspended(g: GoogleClients, email: string) {
  const left = (await google(`listing the backup codes of ${email}`, () => g.directory.verificationCodes.list({ userKey: email }))).data.items ?? [];
  const codes = left.length ? `its ${left.length} backup code(s) stay` : 'it has no backup codes';
  return {
    ok: true as const,
    note:
      `skipped: ${email} is already suspended, which blocks every sign-in, backup codes included, and Google refuses to invalidate the codes of a suspended user; ` +
      `${codes} and work again if the account is unsuspended: whoever unsuspends it (a rehire, an admin) invalidates them then (Admin console: the user's Security, Backup verification codes)`,
    result: { skipped: 'suspended', codesLeft: left.length },
  };
}

export const invalidateBackupCodes = defineAction({
  name: 'google.invalidateBackupCodes',
  account: googleAccount({ removes: true }),
  params: z.strictObject({}),
  async run(ctx, _params, request, checked) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    const user = await checkedUser(g, email, checked);
    if (!user) return noAccount(email, 'invalidate');
    if (user.suspended) return skippedWhileSuspended(g, email);
    try {
      await g.directory.verificationCodes.invalidate({ userKey: email });
    } catch (err) {
      // Suspended between our read and the call (IT acting at the same time): the same as suspended before.
      if (isInvalidInput(err) && (await findGoogleUser(g, email))?.suspended) return skippedWhileSuspended(g, email);
      throw googleFailure(err, `invalidating the backup codes of ${email}`);
    }
    const left = (await google(`listing the backup codes of ${email}`, () => g.directory.verificationCodes.list({ userKey: email }))).data.items ?? [];
    if (left.length) throw notApplied('invalidating backup codes', `${left.length} backup code(s) still valid`);
    return { ok: true, note: 'backup codes invalidated' };
  },
});
