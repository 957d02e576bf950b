/** Google Workspace's license ids as License Manager names them, and the `products` parameter of the steps that revoke or read a leaver's licenses. */
import * as z from '../../shared/zod';

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
/** The `products` param of the steps that revoke or read a leaver's licenses: the SKUs to look at, the sample tenant's by default. */
export const licenseProducts = z._default(z.array(product).check(z.minLength(1)), DEFAULT_LICENSES);
