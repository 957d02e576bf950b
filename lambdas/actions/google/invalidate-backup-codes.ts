/** Invalidates the leaver's 2-step verification backup codes. Fails on a suspended account, so it runs first. */
import * as z from '../../shared/zod';
import { google } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { findGoogleUser, googleAddress, noAccount, notApplied } from './google-user';
import { googleAccount } from './google-account';

export const invalidateBackupCodes = defineAction({
  name: 'google.invalidateBackupCodes',
  account: googleAccount({ removes: true }),
  params: z.strictObject({}),
  async run(ctx, _params, request) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    if (!(await findGoogleUser(g, email))) return noAccount(email, 'invalidate');
    await google(`invalidating the backup codes of ${email}`, () => g.directory.verificationCodes.invalidate({ userKey: email }));
    const left = (await google(`listing the backup codes of ${email}`, () => g.directory.verificationCodes.list({ userKey: email }))).data.items ?? [];
    if (left.length) throw notApplied('invalidating backup codes', `${left.length} backup code(s) still valid`);
    return { ok: true, note: 'backup codes invalidated' };
  },
});
