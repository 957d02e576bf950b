/** Deletes the leaver's Google account, recording its id: users.undelete takes the id, not the address, for 20 days. */
import * as z from '../../shared/zod';
import { google, googleErrorInfo, isGoogleNotFound } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { findGoogleUser, googleAddress, noAccount, notApplied } from './google-user';
import { checkedUser, googleAccount } from './google-account';
import type { GoogleClients } from '../../providers/google/google-clients';
import { licenseProducts } from './workspace-licenses';
import { mailRetentionOf } from './retain-mail';
import { ProviderError } from '../../providers/provider-error';

const ignoreNotFound = (err: unknown): undefined => {
  if (isGoogleNotFound(err)) return undefined;
  throw err;
};

export const deleteUser = defineAction({
  name: 'google.deleteUser',
  account: googleAccount({ removes: true }),
  // The SKUs to record: the same list, and the same default, as remove-licenses (a tenant on other SKUs names them in both steps).
  params: z.strictObject({ products: licenseProducts }),
  async run(ctx, { products }, request, checked) {
    const email = googleAddress(request);
    // Google deletes a deleted account's mail, Vault hold or not (support.google.com/vault/answer/2736622): while the
    // mail is kept by a hold, the account stays. (A stage on vault-hold cannot enable this step; a role can pick it.)
    const kept = mailRetentionOf(ctx, request);
    if (kept.method === 'vault-hold') {
      throw new ProviderError(
        `not deleting ${email}: ${kept.decidedBy}, and deleting a Google account deletes its mail, Vault hold or not. ` +
          `Keep the account (skip this step), or export the mail from Vault (vault.google.com) and then delete the account by hand`,
        false,
      );
    }
    const g = provider(ctx, 'google');
    const user = await checkedUser(g, email, checked);
    const userId = user?.id;
    if (!user || !userId) return noAccount(email, 'delete');
    // users.undelete needs a free seat of each license the account held: a restore that meets no free seat names them.
    const licenses = await licensesHeld(g, email, products);
    const removed = { userId, primaryEmail: user.primaryEmail, orgUnitPath: user.orgUnitPath, suspended: user.suspended ?? false, ...(licenses ? { licenses } : {}) };
    // By id: should the address have been reassigned since the read, the wrong account is not hit. A 404 means
    // it was deleted meanwhile (a concurrent run, or our earlier try whose answer was lost): the goal is met.
    await google(`deleting Google user ${email}`, () => g.directory.users.delete({ userKey: userId }).catch(ignoreNotFound));
    if (await findGoogleUser(g, userId)) throw notApplied(`deleting ${email}`, `users.get still finds user id ${userId}`);
    return { ok: true, accountState: 'deleted', note: `deleted (user id ${userId}; restorable with users.undelete for 20 days)`, result: { removed } };
  },
});

/**
 * The licenses of the listed SKUs the user holds, one read per SKU; undefined when License Manager cannot say (the
 * record is for a message, so its absence never stops the deletion).
 */
async function licensesHeld(
  g: GoogleClients,
  email: string,
  products: readonly { productId: string; skuId: string }[],
): Promise<{ productId: string; skuId: string; skuName?: string }[] | undefined> {
  const held: { productId: string; skuId: string; skuName?: string }[] = [];
  for (const { productId, skuId } of products) {
    try {
      const a = await g.licensing.get(productId, skuId, email);
      held.push({ productId: a.productId, skuId: a.skuId, ...(a.skuName ? { skuName: a.skuName } : {}) });
    } catch (err) {
      const status = googleErrorInfo(err).status;
      // 404: not held; 400: a SKU the customer does not subscribe to.
      if (status !== 404 && status !== 400) return undefined;
    }
  }
  return held;
}
