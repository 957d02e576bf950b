/**
 * Undoes google.removeAliases: adds each recorded alias back (users.aliases.insert). An address another user, group or
 * alias took meanwhile cannot come back: the step goes to an operator naming it, after the others are restored.
 */
import * as z from '../../shared/zod';
import { googleFailure, isGoogleConflict } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { googleAddress, notApplied } from './google-user';
import { failIfAny, nothingToRestore, restoreEach, restoreTarget } from './restore-target';
import { googleAccount } from './google-account';
import { aliasesOf } from './remove-aliases';

export const restoreAliases = defineAction({
  name: 'google.restoreAliases',
  account: googleAccount(),
  params: z.strictObject({
    /** google.removeAliases' result. */
    result: z.nullish(z.object({ removed: z.nullish(z.object({ aliases: z.array(z.string().check(z.minLength(1))) })) })),
  }),
  async run(ctx, { result }, request) {
    const aliases = (result?.removed?.aliases ?? []).map((a) => a.toLowerCase());
    if (!aliases.length) return nothingToRestore('the run removed no aliases');
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    await restoreTarget(g, email, 'restore its aliases');
    const before = new Set(await aliasesOf(g, email));
    const added: string[] = [];
    const already = aliases.filter((a) => before.has(a));
    const failed = await restoreEach(
      aliases.filter((a) => !before.has(a)),
      (a) => a,
      async (alias) => {
        try {
          await g.directory.users.aliases.insert({ userKey: email, requestBody: { alias } });
          added.push(alias);
        } catch (err) {
          if (!isGoogleConflict(err)) throw googleFailure(err, `adding the alias ${alias} back to ${email}`);
          // Put back by an earlier try whose answer was lost, or taken by someone else meanwhile.
          if ((await aliasesOf(g, email)).includes(alias)) {
            already.push(alias);
            return;
          }
          throw new ProviderError(
            `${alias} is now another user's, group's or alias's address, so it cannot be ${email}'s alias again: free it or choose another address in the Admin console, then retry, or skip this step`,
            false,
            '409 duplicate: Entity already exists.',
          );
        }
      },
    );
    const after = new Set(await aliasesOf(g, email));
    const missing = added.filter((a) => !after.has(a));
    if (missing.length) throw notApplied(`adding aliases back to ${email}`, `users.aliases.list shows no ${missing.join(', ')}`);
    failIfAny(failed, [...added, ...already], `restoring the aliases of ${email}`);
    const parts = [added.length ? `added back ${added.join(', ')}` : '', already.length ? `already there: ${already.join(', ')}` : ''].filter(Boolean);
    return { ok: true, note: parts.join('; '), result: { restored: { aliases: added } } };
  },
});
