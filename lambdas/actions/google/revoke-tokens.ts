/** Revokes every OAuth token the leaver granted to an app, and records which apps lost access. */
import * as z from '../../shared/zod';
import { google } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { googleAddress, noAccount, notApplied } from './google-user';
import { checkedUser, googleAccount } from './google-account';

export const revokeTokens = defineAction({
  name: 'google.revokeTokens',
  account: googleAccount({ removes: true }),
  params: z.strictObject({}),
  async run(ctx, _params, request, checked) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    if (!(await checkedUser(g, email, checked))) return noAccount(email, 'revoke');
    const list = async () => (await google(`listing the OAuth tokens of ${email}`, () => g.directory.tokens.list({ userKey: email }))).data.items ?? [];
    const tokens = await list();
    for (const t of tokens) {
      await google(`revoking token ${t.clientId} of ${email}`, () => g.directory.tokens.delete({ userKey: email, clientId: t.clientId! }));
    }
    const left = await list();
    if (left.length) throw notApplied('revoking OAuth tokens', `${left.length} token(s) still granted: ${left.map((t) => t.clientId).join(', ')}`);
    return {
      ok: true,
      note: tokens.length ? `revoked ${tokens.length} OAuth token(s)` : 'no OAuth tokens were granted',
      result: { removed: { tokens: tokens.map((t) => ({ clientId: t.clientId, displayText: t.displayText, scopes: t.scopes })) } },
    };
  },
});
