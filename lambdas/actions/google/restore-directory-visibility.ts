/** Undoes google.hideFromDirectory: shows the employee in the Global Address List again. */
import * as z from '../../shared/zod';
import { google } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { findGoogleUser, googleAddress, notApplied } from './google-user';
import { nothingToRestore, restoreTarget } from './restore-target';
import { googleAccount } from './google-account';

export const restoreDirectoryVisibility = defineAction({
  name: 'google.restoreDirectoryVisibility',
  account: googleAccount(),
  params: z.strictObject({
    /** google.hideFromDirectory's result. */
    result: z.nullish(z.object({ removed: z.nullish(z.object({ includeInGlobalAddressList: z.boolean() })) })),
  }),
  async run(ctx, { result }, request) {
    if (result?.removed?.includeInGlobalAddressList !== true) return nothingToRestore('the run hid nobody who was shown');
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    const user = await restoreTarget(g, email, 'show in the directory');
    // The API leaves the field out when it holds its default, which is "shown".
    if (user.includeInGlobalAddressList !== false) return { ok: true, note: 'already shown in the directory' };
    await google(`showing ${email} in the directory`, () => g.directory.users.patch({ userKey: email, requestBody: { includeInGlobalAddressList: true } }));
    const after = await findGoogleUser(g, email);
    if (after?.includeInGlobalAddressList === false) throw notApplied(`showing ${email} in the directory`, 'includeInGlobalAddressList is still false');
    return { ok: true, note: 'shown in the directory again', result: { restored: { includeInGlobalAddressList: true } } };
  },
});
