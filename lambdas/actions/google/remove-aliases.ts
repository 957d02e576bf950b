/**
 * Removes the account's email aliases (Directory users.aliases.delete), recording each so google.restoreAliases can
 * add them back: an alias is an address the leaver's mail keeps arriving under, and one that is free again only once
 * removed. The address the HR event names the account by is kept: every later step finds the account by it.
 */
import type { GoogleClients } from '../../providers/google/google-clients';
import * as z from '../../shared/zod';
import { google, isGoogleNotFound } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { googleAddress, noAccount, notApplied } from './google-user';
import { checkedUser, googleAccount } from './google-account';

/** The user's own aliases (not the addresses Google gives it on domain aliases, which cannot be removed). */
export async function aliasesOf(g: GoogleClients, email: string): Promise<string[]> {
  const page = (await google(`listing the aliases of ${email}`, () => g.directory.users.aliases.list({ userKey: email }))).data;
  return ((page.aliases ?? []) as { alias?: string }[]).map((a) => a.alias?.toLowerCase()).filter((a): a is string => Boolean(a));
}

/** What an earlier attempt removed before it failed: a retry no longer lists those aliases, but must record them. */
const earlierProgress = z.object({ removed: z.object({ aliases: z.array(z.string()) }) });

export const removeAliases = defineAction({
  name: 'google.removeAliases',
  account: googleAccount({ removes: true }),
  params: z.strictObject({}),
  async run(ctx, _params, request, checked) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    if (!(await checkedUser(g, email, checked))) return noAccount(email, 'remove aliases from');
    const earlier = earlierProgress.safeParse(request.progress);
    const removed: string[] = earlier.success ? [...earlier.data.removed.aliases] : [];
    const found = await aliasesOf(g, email);
    // The event names the account by one of its aliases: removing it would leave every later step without an account.
    const kept = found.filter((a) => a === email);
    try {
      for (const alias of found.filter((a) => a !== email)) {
        await google(`removing the alias ${alias} of ${email}`, () =>
          g.directory.users.aliases.delete({ userKey: email, alias }).catch((err: unknown) => {
            // Removed meanwhile: the read-back below decides.
            if (!isGoogleNotFound(err)) throw err;
          }),
        );
        if (!removed.includes(alias)) removed.push(alias);
      }
      const left = (await aliasesOf(g, email)).filter((a) => !kept.includes(a));
      if (left.length) throw notApplied(`removing the aliases of ${email}`, `users.aliases.list still shows ${left.join(', ')}`);
    } catch (err) {
      if (err instanceof ProviderError && removed.length) throw new ProviderError(err.message, err.retryable, err.providerAnswer, { removed: { aliases: removed } });
      throw err;
    }
    const parts = [
      removed.length ? `removed ${removed.length} alias(es): ${removed.join(', ')}` : 'no aliases',
      kept.length ? `kept ${email}: the HR event names the account by this alias; send its primary address to have it removed too` : '',
    ].filter(Boolean);
    return { ok: true, note: parts.join('; '), result: { removed: { aliases: removed } } };
  },
});
