/**
 * Undoes google.removeRecoveryInfo: puts the recorded recovery email and phone back. One set since (by the employee
 * or an admin) is theirs and left as it is, with a note.
 */
import * as z from '../../shared/zod';
import { google } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { findGoogleUser, googleAddress, notApplied } from './google-user';
import { nothingToRestore, restoreTarget } from './restore-target';
import { googleAccount } from './google-account';
import { RECOVERY_FIELDS, recoveryOf } from './remove-recovery-info';

const label = (f: (typeof RECOVERY_FIELDS)[number]) => (f === 'recoveryEmail' ? 'recovery email' : 'recovery phone');

export const restoreRecoveryInfo = defineAction({
  name: 'google.restoreRecoveryInfo',
  account: googleAccount(),
  params: z.strictObject({
    /** google.removeRecoveryInfo's result. */
    result: z.nullish(z.object({ removed: z.nullish(z.object({ recoveryEmail: z.nullish(z.string()), recoveryPhone: z.nullish(z.string()) })) })),
  }),
  async run(ctx, { result }, request) {
    const removed = result?.removed;
    const wanted = RECOVERY_FIELDS.filter((f) => removed?.[f]);
    if (!removed || !wanted.length) return nothingToRestore('the run removed no recovery email or phone');
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    const now = recoveryOf(await restoreTarget(g, email, 'restore its recovery details'));
    const already = wanted.filter((f) => now[f] === removed[f]);
    const setSince = wanted.filter((f) => now[f] && now[f] !== removed[f]);
    const toWrite = wanted.filter((f) => !now[f]);
    if (toWrite.length) {
      await google(`putting back the recovery details of ${email}`, () => g.directory.users.patch({ userKey: email, requestBody: Object.fromEntries(toWrite.map((f) => [f, removed[f]])) }));
      const after = recoveryOf(await findGoogleUser(g, email));
      const wrong = toWrite.filter((f) => after[f] !== removed[f]);
      if (wrong.length) throw notApplied(`putting back the recovery details of ${email}`, `users.get shows no ${wrong.map(label).join(' and ')}`);
    }
    const parts = [
      toWrite.length ? `put back the ${toWrite.map(label).join(' and ')}` : '',
      already.length ? `the ${already.map(label).join(' and ')} already back` : '',
      setSince.length ? `the ${setSince.map(label).join(' and ')} set since: left as is` : '',
    ].filter(Boolean);
    return { ok: true, note: parts.join('; '), result: { restored: toWrite } };
  },
});
