/**
 * Undoes google.retainMail when HR cancels the termination or hires the leaver back: takes the account off the Vault
 * hold the run put it on (deleting the hold when it held only them), or unarchives an account the run archived
 * (Google turns its Archived User license back into the edition's license, which needs a free seat of it).
 * What was there before the run (an account already on hold, already archived) is left as it was.
 */
import * as z from '../../shared/zod';
import { google, googleErrorInfo, googleFailure, isGoogleNotFound } from '../../providers/google/google-errors';
import { ProviderError } from '../../providers/provider-error';
import { defineAction, provider } from '../define-action';
import { findGoogleUser, googleAddress, notApplied } from './google-user';
import { nothingToRestore, restoreTarget } from './restore-target';
import { googleAccount } from './google-account';
import { vaultFailure } from './vault-errors';

const retained = z.object({
  method: z.string(),
  matterId: z.optional(z.string()),
  holdId: z.optional(z.string()),
  accountId: z.optional(z.string()),
});
/** The state before the run: recorded only when the run placed the hold or archived the account. */
const previous = z.object({ onHold: z.optional(z.boolean()), archived: z.optional(z.boolean()) });

export const releaseMailRetention = defineAction({
  name: 'google.releaseMailRetention',
  account: googleAccount(),
  params: z.strictObject({
    /** google.retainMail's result. */
    result: z.nullish(z.object({ retained: z.nullish(retained), previous: z.nullish(previous) })),
  }),
  async run(ctx, { result }, request) {
    const kept = result?.retained;
    const before = result?.previous;
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    if (kept?.method === 'vault-hold' && before?.onHold === false && kept.matterId && kept.holdId && kept.accountId) {
      const { matterId, holdId, accountId } = kept;
      const vaultCall = <T>(doing: string, call: () => Promise<T>) =>
        call().catch((err: unknown) => {
          throw vaultFailure(err, doing);
        });
      let hold;
      try {
        hold = await g.vault.getHold(matterId, holdId);
      } catch (err) {
        // The hold (or its matter) is gone: nothing holds the mail any more.
        if (isGoogleNotFound(err)) return { ok: true, note: `Vault hold ${holdId} is gone already` };
        throw vaultFailure(err, `reading Vault hold ${holdId}`);
      }
      const others = (hold.accounts ?? []).filter((a) => a.accountId !== accountId);
      if (others.length === (hold.accounts ?? []).length) return { ok: true, note: `account ${accountId} is no longer on Vault hold ${holdId}` };
      if (others.length === 0) {
        await vaultCall(`deleting Vault hold ${holdId}`, () => g.vault.deleteHold(matterId, holdId));
      } else {
        await vaultCall(`taking account ${accountId} off Vault hold ${holdId}`, () => g.vault.removeHeldAccounts(matterId, holdId, [accountId]));
        const after = await vaultCall(`reading Vault hold ${holdId}`, () => g.vault.getHold(matterId, holdId));
        if (after.accounts?.some((a) => a.accountId === accountId)) throw notApplied(`taking account ${accountId} off Vault hold ${holdId}`, 'the hold still lists it');
      }
      return { ok: true, note: others.length ? `taken off Vault hold ${holdId}` : `Vault hold ${holdId} deleted`, result: { restored: { holdId, accountId } } };
    }
    if (kept?.method === 'archived-user-license' && before?.archived === false) {
      const user = await restoreTarget(g, email, 'unarchive the account');
      if (!user.archived) return { ok: true, note: `${email} is not archived` };
      try {
        await g.directory.users.patch({ userKey: user.id ?? email, requestBody: { archived: false } });
      } catch (err) {
        const info = googleErrorInfo(err);
        if (info.status !== 412) throw googleFailure(err, `unarchiving ${email}`);
        throw new ProviderError(
          `Google refuses to unarchive ${email} (412 ${info.message}): unarchiving gives the account back its edition's Google Workspace license, and no seat of it is free. Free or buy one, then retry this step`,
          false,
          `412 ${info.reason ?? 'conditionNotMet'}: ${info.message}`,
        );
      }
      const after = await google(`reading ${email}`, () => findGoogleUser(g, user.id ?? email));
      if (after?.archived !== false) throw notApplied(`unarchiving ${email}`, 'users.get still reports archived: true');
      return { ok: true, note: 'unarchived: the Workspace license is back', result: { restored: { archived: false } } };
    }
    return nothingToRestore(kept ? 'the retention was in place before the run' : 'the run kept no mail');
  },
});
