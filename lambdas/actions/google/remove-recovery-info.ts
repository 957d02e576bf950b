/**
 * Removes the account's recovery email and phone (users.patch with ""), recording both so google.restoreRecoveryInfo
 * can put them back: a recovery channel lets whoever holds it reset the password and take the account back.
 */
import * as z from '../../shared/zod';
import { google } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { findGoogleUser, googleAddress, noAccount, notApplied } from './google-user';
import { checkedUser, googleAccount } from './google-account';

/** The recovery channels, as the users resource names them. */
export const RECOVERY_FIELDS = ['recoveryEmail', 'recoveryPhone'] as const;
export type RecoveryInfo = Record<(typeof RECOVERY_FIELDS)[number], string | null>;

/** A recovery value Google holds, or null: Google leaves an unset one out (an empty string is unset too). */
export const recoveryOf = (user: { recoveryEmail?: string | null; recoveryPhone?: string | null } | undefined): RecoveryInfo => ({
  recoveryEmail: user?.recoveryEmail || null,
  recoveryPhone: user?.recoveryPhone || null,
});

/** What an earlier attempt removed before it failed: a retry finds nothing left to record. */
const earlierProgress = z.object({ removed: z.object({ recoveryEmail: z.nullable(z.string()), recoveryPhone: z.nullable(z.string()) }) });

export const removeRecoveryInfo = defineAction({
  name: 'google.removeRecoveryInfo',
  account: googleAccount({ removes: true }),
  params: z.strictObject({}),
  async run(ctx, _params, request, checked) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    const user = await checkedUser(g, email, checked);
    if (!user) return noAccount(email, 'remove recovery details from');
    const found = recoveryOf(user);
    const earlier = earlierProgress.safeParse(request.progress);
    // What an earlier attempt saw is the real value: this attempt may read the channel already gone.
    const removed: RecoveryInfo = { recoveryEmail: found.recoveryEmail ?? (earlier.success ? earlier.data.removed.recoveryEmail : null), recoveryPhone: found.recoveryPhone ?? (earlier.success ? earlier.data.removed.recoveryPhone : null) };
    const set = RECOVERY_FIELDS.filter((f) => found[f]);
    try {
      if (set.length) {
        await google(`removing the recovery details of ${email}`, () => g.directory.users.patch({ userKey: email, requestBody: Object.fromEntries(set.map((f) => [f, ''])) }));
        const after = recoveryOf(await findGoogleUser(g, email));
        const left = RECOVERY_FIELDS.filter((f) => after[f]);
        if (left.length) throw notApplied(`removing the recovery details of ${email}`, `users.get still shows ${left.join(' and ')}`);
      }
    } catch (err) {
      if (err instanceof ProviderError) throw new ProviderError(err.message, err.retryable, err.providerAnswer, { removed });
      throw err;
    }
    const names = (info: RecoveryInfo) => RECOVERY_FIELDS.filter((f) => info[f]).map((f) => (f === 'recoveryEmail' ? 'recovery email' : 'recovery phone'));
    const gone = names(removed);
    return {
      ok: true,
      note: set.length ? `removed the ${names(found).join(' and ')}` : gone.length ? `the ${gone.join(' and ')} already removed` : 'no recovery email or phone',
      result: { removed },
    };
  },
});
