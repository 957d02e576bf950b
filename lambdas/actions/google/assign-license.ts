/**
 * Gives the employee a Google license of the role's SKU, recording the assignment so a mover or leaver can revoke
 * exactly it. For a mover (`replaces` set) a SKU held of the same product is changed in place with
 * licenseAssignments.patch: License Manager refuses a second SKU of one product for a user (412 conditionNotMet).
 */
import * as z from '../../shared/zod';
import type { GoogleClients } from '../../providers/google/google-clients';
import type { LicenseAssignment } from '../../providers/google/licensing-client';
import { google, googleErrorInfo, googleFailure, isGoogleNotFound } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { googleAddress, notApplied, requireGoogleUser } from './google-user';
import { GOOGLE_WORKSPACE_PRODUCT_ID, WORKSPACE_SKUS } from './workspace-licenses';
import { googleAccount } from './google-account';

/** Google's names of the Workspace SKUs, for messages before any assignment tells us the name. */
const SKU_NAMES: Record<string, string> = {
  [WORKSPACE_SKUS.businessStarter]: 'Google Workspace Business Starter',
  [WORKSPACE_SKUS.businessStandard]: 'Google Workspace Business Standard',
  [WORKSPACE_SKUS.businessPlus]: 'Google Workspace Business Plus',
};

/** The SKUs of a product worth asking for one by one before listing every assignment of the product. */
const knownSkusOf = (productId: string): string[] => (productId === GOOGLE_WORKSPACE_PRODUCT_ID ? Object.values(WORKSPACE_SKUS) : []);

const skuLabel = (skuId: string) => SKU_NAMES[skuId] ?? skuId;

/** The user's assignment of this SKU, or undefined. */
function assignmentOf(g: GoogleClients, productId: string, skuId: string, email: string): Promise<LicenseAssignment | undefined> {
  return google(`reading license ${productId}/${skuId} of ${email}`, () =>
    g.licensing.get(productId, skuId, email).catch((err: unknown): undefined => {
      if (isGoogleNotFound(err)) return undefined;
      throw err;
    }),
  );
}

/**
 * Another SKU of the product the user holds: `replaces` and the known SKUs first (one read each); with `listAll`,
 * every assignment of the product, for a SKU this code does not know.
 */
async function otherSkuHeld(g: GoogleClients, productId: string, skuId: string, email: string, replaces: string | undefined, listAll: boolean): Promise<string | undefined> {
  const candidates = [...new Set([...(replaces ? [replaces] : []), ...knownSkusOf(productId)])].filter((s) => s !== skuId);
  for (const candidate of candidates) {
    // A SKU the customer does not subscribe to answers 400 "Invalid productId or skuId": nobody holds it.
    const held = await assignmentOf(g, productId, candidate, email).catch((err: unknown) => {
      if (err instanceof ProviderError && err.providerAnswer?.startsWith('400')) return undefined;
      throw err;
    });
    if (held) return candidate;
  }
  if (!listAll) return undefined;
  const all = await google(`listing the licenses of product ${productId}`, () => g.licensing.listForProduct(productId));
  return all.find((a) => a.userId.toLowerCase() === email && a.skuId !== skuId)?.skuId;
}

function noSeat(skuId: string, answer: string): ProviderError {
  return new ProviderError(`not enough licenses for SKU ${skuLabel(skuId)}: buy more or free some; then retry this step`, false, answer);
}

export const assignLicense = defineAction({
  name: 'google.assignLicense',
  account: googleAccount(),
  params: z.strictObject({
    productId: z._default(z.string().check(z.minLength(1)), GOOGLE_WORKSPACE_PRODUCT_ID),
    skuId: z.string().check(z.minLength(1)),
    /** A mover's old SKU: a SKU of the product the user holds is changed to `skuId` rather than a second one assigned. */
    replaces: z.optional(z.string().check(z.minLength(1))),
    /** A rehire: whatever SKU of the product the returning account holds (restored from before it left) is changed to `skuId`. */
    replaceHeld: z._default(z.boolean(), false),
  }),
  async run(ctx, { productId, skuId, replaces, replaceHeld }, request) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    const sku = skuLabel(skuId);
    // License Manager answers 400, not 404, for an unknown user: ask the Directory first.
    await requireGoogleUser(g, email);
    const held = async () => Boolean(await assignmentOf(g, productId, skuId, email));

    /** licenseAssignments.patch from the SKU held to the wanted one; done by someone else meanwhile counts as done. */
    const change = async (fromSkuId: string): Promise<void> => {
      try {
        await g.licensing.patch(productId, fromSkuId, email, skuId);
      } catch (err) {
        const info = googleErrorInfo(err);
        const answer = `${info.status ?? 'no answer'} ${info.reason ?? ''}: ${info.message}`;
        if (info.status === 404) throw new ProviderError(`the license ${productId}/${fromSkuId} of ${email} went away while changing it to ${sku}; retrying`, true, answer);
        if (info.status !== 412) throw googleFailure(err, `changing license ${productId}/${fromSkuId} of ${email} to ${skuId} (${sku})`);
        if (await held()) return;
        if (/enough/i.test(info.message)) throw noSeat(skuId, answer);
        throw new ProviderError(`changing license ${productId}/${fromSkuId} of ${email} to ${sku} was refused: ${info.message}`, false, answer);
      }
    };

    let already = await held();
    let changedFrom: string | undefined;
    if (!already && (replaces || replaceHeld)) {
      changedFrom = await otherSkuHeld(g, productId, skuId, email, replaces, replaceHeld);
      if (changedFrom) await change(changedFrom);
    }
    if (!already && !changedFrom) {
      try {
        await g.licensing.insert(productId, skuId, email);
      } catch (err) {
        const info = googleErrorInfo(err);
        if (info.status !== 412) throw googleFailure(err, `assigning license ${productId}/${skuId} (${sku}) to ${email}`);
        // 412 is every precondition License Manager has; what the user holds now tells them apart.
        already = await held();
        if (!already) {
          const answer = `412 ${info.reason ?? 'conditionNotMet'}: ${info.message}`;
          const other = await otherSkuHeld(g, productId, skuId, email, replaces, true);
          if (other && (replaces || replaceHeld)) {
            changedFrom = other;
            await change(other);
          } else if (other) {
            throw new ProviderError(`${email} holds ${skuLabel(other)} of product ${productId}, so ${sku} cannot be assigned: plan a license change (replaces) or fix the role`, false, answer);
          } else {
            throw noSeat(skuId, answer);
          }
        }
      }
    }

    if (!(await held())) throw notApplied(`assigning license ${productId}/${skuId} to ${email}`, 'License Manager reports no assignment');
    if (changedFrom) {
      if (await assignmentOf(g, productId, changedFrom, email)) throw notApplied(`changing license ${productId}/${changedFrom} of ${email} to ${skuId}`, `License Manager still reports ${changedFrom}`);
      const unexpected = replaces && changedFrom !== replaces ? ` (the role said ${skuLabel(replaces)})` : '';
      return {
        ok: true,
        note: `changed ${email} from ${skuLabel(changedFrom)}${unexpected} to ${sku}`,
        result: { changed: { productId, fromSkuId: changedFrom, toSkuId: skuId } },
      };
    }
    return {
      ok: true,
      note: already ? `${email} already holds ${sku}` : `assigned ${sku} to ${email}`,
      result: { assigned: { productId, skuId }, alreadyHeld: already },
    };
  },
});
