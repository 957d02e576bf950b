/** Revokes the leaver's Google licenses so the seats are free, recording each assignment so a restore can give it back. */
import * as z from '../../shared/zod';
import type { LicenseAssignment } from '../../providers/google/licensing-client';
import { google, isGoogleNotFound } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { findGoogleUser, googleAddress, noAccount, notApplied } from './google-user';
import { googleAccount } from './google-account';

/**
 * Google's License Manager ids for Google Workspace (developers.google.com/workspace/admin/licensing/v1/how-tos/products).
 * The emulator's catalog holds the same ids; a test keeps the two equal.
 */
export const GOOGLE_WORKSPACE_PRODUCT_ID = 'Google-Apps';
export const WORKSPACE_SKUS = {
  businessStarter: '1010020027',
  businessStandard: '1010020028',
  businessPlus: '1010020025',
} as const;

/** The SKUs the sample tenant sells; a tenant on other SKUs names its own in the playbook's params. */
export const DEFAULT_LICENSES = [
  { productId: GOOGLE_WORKSPACE_PRODUCT_ID, skuId: WORKSPACE_SKUS.businessStarter },
  { productId: GOOGLE_WORKSPACE_PRODUCT_ID, skuId: WORKSPACE_SKUS.businessStandard },
];

const product = z.strictObject({ productId: z.string().check(z.minLength(1)), skuId: z.string().check(z.minLength(1)) });

export const removeLicenses = defineAction({
  name: 'google.removeLicenses',
  account: googleAccount({ removes: true }),
  params: z.strictObject({ products: z._default(z.array(product).check(z.minLength(1)), DEFAULT_LICENSES) }),
  async run(ctx, { products }, request) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    // License Manager answers 400, not 404, for an unknown user: ask the Directory first.
    if (!(await findGoogleUser(g, email))) return noAccount(email, 'unlicense');
    /** The assignment, or undefined when the user does not hold this SKU. */
    const assignment = (productId: string, skuId: string) =>
      google(`reading license ${productId}/${skuId} of ${email}`, () =>
        g.licensing.get(productId, skuId, email).catch((err: unknown): undefined => {
          if (isGoogleNotFound(err)) return undefined;
          throw err;
        }),
      );
    const removed: Pick<LicenseAssignment, 'productId' | 'skuId' | 'skuName' | 'productName'>[] = [];
    try {
      for (const { productId, skuId } of products) {
        const held = await assignment(productId, skuId);
        if (!held) continue;
        await google(`revoking license ${productId}/${skuId} of ${email}`, () =>
          g.licensing.delete(productId, skuId, email).catch((err: unknown) => {
            // Revoked meanwhile: the seat is free, which is the goal.
            if (!isGoogleNotFound(err)) throw err;
          }),
        );
        if (await assignment(productId, skuId)) throw notApplied(`revoking license ${productId}/${skuId} of ${email}`, 'License Manager still reports the assignment');
        removed.push({ productId, skuId, productName: held.productName, skuName: held.skuName });
      }
    } catch (err) {
      // A retry will not find what this try revoked, so the audit trail must learn it from the failure.
      if (err instanceof ProviderError && removed.length) {
        throw new ProviderError(`${err.message} (already revoked: ${removed.map((r) => `${r.productId}/${r.skuId}`).join(', ')})`, err.retryable, err.providerAnswer);
      }
      throw err;
    }
    return {
      ok: true,
      note: removed.length ? `revoked ${removed.map((r) => r.skuName ?? `${r.productId}/${r.skuId}`).join(', ')}` : 'held none of the listed licenses',
      result: { removed: { licenses: removed } },
    };
  },
});
