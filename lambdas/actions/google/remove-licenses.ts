/** Revokes the leaver's Google licenses so the seats are free, recording each assignment so a restore can give it back. */
import * as z from '../../shared/zod';
import type { LicenseAssignment } from '../../providers/google/licensing-client';
import { google, googleErrorInfo, googleFailure, isGoogleNotFound } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { googleAddress, noAccount, notApplied } from './google-user';
import { checkedUser, googleAccount } from './google-account';
import { mailRetentionOf } from './retain-mail';
import { licenseProducts } from './workspace-licenses';

export const removeLicenses = defineAction({
  name: 'google.removeLicenses',
  account: googleAccount({ removes: true }),
  params: z.strictObject({ products: licenseProducts }),
  async run(ctx, { products }, request, checked) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    // Vault holds only a licensed account (support.google.com/vault/answer/4552977): while a leaver's mail is kept by a
    // hold, the licenses stay, and the seat with them. A mover's license change has nothing to do with it.
    const kept = mailRetentionOf(ctx, request);
    if (request.eventType === 'terminate' && kept.method === 'vault-hold') return { ok: true, note: `licenses kept: ${kept.decidedBy}, and Vault holds only a licensed account`, result: kept.decided };
    // License Manager answers 400, not 404, for an unknown user: ask the Directory first.
    const user = await checkedUser(g, email, checked);
    if (!user) return noAccount(email, 'unlicense');
    /** The assignment, or undefined when the user does not hold this SKU. */
    const assignment = (productId: string, skuId: string) =>
      google(`reading license ${productId}/${skuId} of ${email}`, () =>
        g.licensing.get(productId, skuId, email).catch((err: unknown): undefined => {
          if (isGoogleNotFound(err)) return undefined;
          throw err;
        }),
      );
    // Licenses an earlier attempt revoked before failing on another: a retry no longer finds them held, but they are
    // still this step's to record, or a restore would never give them back.
    const earlier = z.safeParse(z.array(revoked), request.progress?.removed);
    const removed: Revoked[] = [];
    try {
      for (const { productId, skuId } of products) {
        const held = await assignment(productId, skuId);
        if (!held) continue;
        try {
          await g.licensing.delete(productId, skuId, email);
        } catch (err) {
          if (isAutoLicensed(err)) throw autoLicensingRefusal(email, held, user.orgUnitPath ?? '/', err);
          // Revoked meanwhile: the seat is free, which is the goal.
          if (!isGoogleNotFound(err)) throw googleFailure(err, `revoking license ${productId}/${skuId} of ${email}`);
        }
        if (await assignment(productId, skuId)) throw notApplied(`revoking license ${productId}/${skuId} of ${email}`, 'License Manager still reports the assignment');
        removed.push({ productId, skuId, productName: held.productName, skuName: held.skuName });
      }
    } catch (err) {
      // A retry will not find what was revoked so far: it is handed on as the step's progress, and named for the operator.
      if (err instanceof ProviderError) {
        const soFar = revokedSoFar(earlier.success ? earlier.data : [], removed);
        const message = removed.length ? `${err.message} (already revoked: ${removed.map((r) => `${r.productId}/${r.skuId}`).join(', ')})` : err.message;
        throw new ProviderError(message, err.retryable, err.providerAnswer, soFar.length ? { removed: soFar } : err.progress);
      }
      throw err;
    }
    const all = revokedSoFar(earlier.success ? earlier.data : [], removed);
    const before = all.length - removed.length;
    const noteParts = [
      removed.length ? `revoked ${removed.map((r) => r.skuName ?? `${r.productId}/${r.skuId}`).join(', ')}` : '',
      before ? `${before} revoked by an earlier attempt` : '',
    ].filter(Boolean);
    return {
      ok: true,
      note: noteParts.length ? noteParts.join('; ') : 'held none of the listed licenses',
      result: { removed: { licenses: all } },
    };
  },
});

const revoked = z.object({ productId: z.string(), skuId: z.string(), productName: z.optional(z.string()), skuName: z.optional(z.string()) });
type Revoked = Pick<LicenseAssignment, 'productId' | 'skuId' | 'skuName' | 'productName'>;

/** The licenses this step has revoked over all its attempts, one per SKU, the earlier attempts' first. */
function revokedSoFar(earlier: readonly Revoked[], now: readonly Revoked[]): Revoked[] {
  const bySku = new Map(earlier.map((r) => [`${r.productId}/${r.skuId}`, r]));
  for (const r of now) bySku.set(`${r.productId}/${r.skuId}`, r);
  return [...bySku.values()];
}

/** License Manager's refusal to take away a license that automatic licensing covers (GAM-team/GAM issue #1176). */
function isAutoLicensed(err: unknown): boolean {
  const info = googleErrorInfo(err);
  return info.status === 412 && /auto license un-?assignment/i.test(info.message);
}

/**
 * What an admin must change when automatic licensing covers the leaver's org unit. Google offers no API to read or
 * change automatic licensing, and moving the leaver elsewhere would undo the org unit the playbook chose (its
 * offboarding policies), so the step stops here for an admin; a retry cannot help until the setting changes.
 */
function autoLicensingRefusal(email: string, held: LicenseAssignment, orgUnitPath: string, err: unknown): ProviderError {
  const info = googleErrorInfo(err);
  const product = held.productName ?? held.productId;
  const sku = `${held.skuName ?? held.skuId} (${held.productId}/${held.skuId})`;
  return new ProviderError(
    `Google refuses to revoke ${sku} from ${email}: automatic licensing of ${product} is on for the org unit ${orgUnitPath} ` +
      `(set there or inherited from a parent), and Google never takes back a license it assigns automatically. ` +
      `An admin must turn automatic licensing of ${product} off for ${orgUnitPath}: Admin console > Menu > Billing > License settings, ` +
      `click ${orgUnitPath} at the left, point to ${product}, Edit, select Off, Override (a tenant with only one subscription ` +
      `can turn it off only for the whole organization); or point the leaver playbook's move-to-org-unit step at an org unit where it is off. Then retry this step.`,
    false,
    `412 ${info.reason ?? 'conditionNotMet'}: ${info.message}`,
  );
}
