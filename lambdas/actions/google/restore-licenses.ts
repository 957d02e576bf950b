/** Undoes google.removeLicenses: assigns each revoked license again, if a seat is free. */
import * as z from '../../shared/zod';
import { google, googleErrorInfo, googleFailure, isGoogleNotFound } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { googleAddress, notApplied } from './google-user';
import { failIfAny, nothingToRestore, restoreEach, restoreTarget } from './restore-target';
import { googleAccount } from './google-account';

const license = z.object({
  productId: z.string().check(z.minLength(1)),
  skuId: z.string().check(z.minLength(1)),
  skuName: z.nullish(z.string()),
  productName: z.nullish(z.string()),
});
type License = z.infer<typeof license>;

const skuLabel = (l: License) => `${l.skuId}${l.skuName ? ` (${l.skuName})` : ''}`;

export const restoreLicenses = defineAction({
  name: 'google.restoreLicenses',
  account: googleAccount(),
  params: z.strictObject({
    /** google.removeLicenses' result. */
    result: z.nullish(z.object({ removed: z.nullish(z.object({ licenses: z.array(license) })) })),
  }),
  async run(ctx, { result }, request) {
    const licenses = result?.removed?.licenses ?? [];
    if (!licenses.length) return nothingToRestore('the run revoked no licenses');
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    // License Manager answers 400, not 404, for an unknown user: ask the Directory first.
    await restoreTarget(g, email, 'assign licenses');
    const held = (l: License) =>
      google(`reading license ${l.productId}/${l.skuId} of ${email}`, () =>
        g.licensing.get(l.productId, l.skuId, email).then(
          () => true,
          (err: unknown) => {
            if (isGoogleNotFound(err)) return false;
            throw err;
          },
        ),
      );

    const assigned: string[] = [];
    const already: string[] = [];
    const failed = await restoreEach(
      licenses,
      (l) => `${l.productId}/${l.skuId}`,
      async (l) => {
        const label = l.skuName ?? skuLabel(l);
        if (await held(l)) {
          already.push(label);
          return;
        }
        try {
          await g.licensing.insert(l.productId, l.skuId, email);
          assigned.push(label);
        } catch (err) {
          const info = googleErrorInfo(err);
          if (info.status !== 412) throw googleFailure(err, `assigning license ${l.productId}/${l.skuId} to ${email}`);
          // 412 is every precondition License Manager has; what the user holds now tells them apart.
          if (await held(l)) {
            already.push(label);
            return;
          }
          const answer = `412 ${info.reason ?? 'conditionNotMet'}: ${info.message}`;
          if (/different SKU/i.test(info.message)) {
            throw new ProviderError(`${email} holds another SKU of product ${l.productId}, so SKU ${skuLabel(l)} cannot be assigned back: reassign it by hand`, false, answer);
          }
          throw new ProviderError(`not enough licenses for SKU ${skuLabel(l)} of product ${l.productId} to give ${email} back: free or buy a seat, then retry`, false, answer);
        }
      },
    );

    const failedKeys = new Set(failed.map((f) => f.item));
    for (const l of licenses.filter((x) => !failedKeys.has(`${x.productId}/${x.skuId}`))) {
      if (!(await held(l))) throw notApplied(`assigning license ${l.productId}/${l.skuId} to ${email}`, 'License Manager reports no assignment');
    }
    failIfAny(failed, [...assigned, ...already], `restoring the licenses of ${email}`);
    const parts = [assigned.length ? `assigned ${assigned.join(', ')} again` : '', already.length ? `already held ${already.join(', ')}` : ''].filter(Boolean);
    return { ok: true, note: parts.join('; '), result: { restored: { licenses: licenses.map(({ productId, skuId }) => ({ productId, skuId })) } } };
  },
});
