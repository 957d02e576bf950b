/** Deletes every app password (ASP), which would otherwise keep mail clients signed in. */
import * as z from '../../shared/zod';
import { google } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { googleAddress, noAccount, notApplied } from './google-user';
import { checkedUser, googleAccount } from './google-account';

export const deleteAppPasswords = defineAction({
  name: 'google.deleteAppPasswords',
  account: googleAccount({ removes: true }),
  params: z.strictObject({}),
  async run(ctx, _params, request, checked) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    if (!(await checkedUser(g, email, checked))) return noAccount(email, 'delete');
    const list = async () => (await google(`listing the app passwords of ${email}`, () => g.directory.asps.list({ userKey: email }))).data.items ?? [];
    const asps = await list();
    for (const a of asps) {
      await google(`deleting app password ${a.codeId} of ${email}`, () => g.directory.asps.delete({ userKey: email, codeId: a.codeId! }));
    }
    const left = await list();
    if (left.length) throw notApplied('deleting app passwords', `${left.length} app password(s) remain`);
    return {
      ok: true,
      note: asps.length ? `deleted ${asps.length} app password(s)` : 'no app passwords existed',
      result: { removed: { appPasswords: asps.map((a) => ({ codeId: a.codeId, name: a.name })) } },
    };
  },
});
