/** Gives the joiner a Google license of the role's SKU, recording the assignment so a mover or leaver can revoke exactly it. */
import * as z from '../../shared/zod';
import { google, googleErrorInfo, googleFailure, isGoogleNotFound } from '../../providers/google/google-errors';
import { defineAction, provider, ProviderError } from '../define-action';
import { googleAddress, notApplied, requireGoogleUser } from './google-user';
import { GOOGLE_WORKSPACE_PRODUCT_ID, WORKSPACE_SKUS } from './remove-licenses';

/** Google's names of the Workspace SKUs, for messages before any assignment tells us the name. */
const SKU_NAMES: Record<string, string> = {
  [WORKSPACE_SKUS.businessStarter]: 'Google Workspace Business Starter',
  [WORKSPACE_SKUS.businessStandard]: 'Google Workspace Business Standard',
  [WORKSPACE_SKUS.businessPlus]: 'Google Workspace Business Plus',
};

export const assignLicense = defineAction({
  name: 'google.assignLicense',
  params: z.strictObject({
    productId: z._default(z.string().check(z.minLength(1)), GOOGLE_WORKSPACE_PRODUCT_ID),
    skuId: z.string().check(z.minLength(1)),
  }),
  async run(ctx, { productId, skuId }, request) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    const sku = SKU_NAMES[skuId] ?? skuId;
    // License Manager answers 400, not 404, for an unknown user: ask the Directory first.
    await requireGoogleUser(g, email);
    const held = () =>
      google(`reading license ${productId}/${skuId} of ${email}`, () =>
        g.licensing.get(productId, skuId, email).then(
          () => true,
          (err: unknown) => {
            if (isGoogleNotFound(err)) return false;
            throw err;
          },
        ),
      );

    let already = await held();
    if (!already) {
      try {
        await g.licensing.insert(productId, skuId, email);
      } catch (err) {
        const info = googleErrorInfo(err);
        if (info.status !== 412) throw googleFailure(err, `assigning license ${productId}/${skuId} (${sku}) to ${email}`);
        // 412 is every precondition License Manager has; what the user holds now tells them apart.
        already = await held();
        if (!already) {
          const answer = `412 ${info.reason ?? 'conditionNotMet'}: ${info.message}`;
          if (/different SKU/i.test(info.message)) {
            throw new ProviderError(`${email} holds another SKU of product ${productId}, so ${sku} cannot be assigned: change it by hand (a mover's job) or fix the role`, false, answer);
          }
          throw new ProviderError(`not enough licenses for SKU ${sku}: buy more or free some; then retry this step`, false, answer);
        }
      }
    }
    if (!(await held())) throw notApplied(`assigning license ${productId}/${skuId} to ${email}`, 'License Manager reports no assignment');
    return {
      ok: true,
      note: already ? `${email} already holds ${sku}` : `assigned ${sku} to ${email}`,
      result: { assigned: { productId, skuId }, alreadyHeld: already },
    };
  },
});
