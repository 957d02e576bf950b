/** Hides the leaver from the Global Address List, recording whether they were shown before. */
import * as z from '../../shared/zod';
import { google } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { findGoogleUser, googleAddress, noAccount, notApplied } from './google-user';
import { checkedUser, googleAccount } from './google-account';

export const hideFromDirectory = defineAction({
  name: 'google.hideFromDirectory',
  account: googleAccount({ removes: true }),
  params: z.strictObject({}),
  async run(ctx, _params, request, checked) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    const user = await checkedUser(g, email, checked);
    if (!user) return noAccount(email, 'hide');
    // The API leaves the field out when it holds its default, which is "shown".
    const shown = user.includeInGlobalAddressList !== false;
    if (!shown) return { ok: true, note: 'already hidden from the directory' };
    await google(`hiding ${email} from the directory`, () => g.directory.users.patch({ userKey: email, requestBody: { includeInGlobalAddressList: false } }));
    const after = await findGoogleUser(g, email);
    if (after?.includeInGlobalAddressList !== false) throw notApplied('hiding from the directory', 'includeInGlobalAddressList is not false');
    return { ok: true, note: 'hidden from the directory', result: { removed: { includeInGlobalAddressList: true } } };
  },
});
