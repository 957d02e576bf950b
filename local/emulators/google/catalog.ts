/** Google's own identifiers (license products and SKUs, Data Transfer applications), defined once for the emulator and the provider code. */

/** Enterprise License Manager product id of Google Workspace (developers.google.com/workspace/admin/licensing/v1/how-tos/products). */
export const GOOGLE_WORKSPACE_PRODUCT_ID = 'Google-Apps';
export const SKU_BUSINESS_STARTER = '1010020027';
export const SKU_BUSINESS_STANDARD = '1010020028';
export const SKU_BUSINESS_PLUS = '1010020025';
export const SKU_ENTERPRISE_STANDARD = '1010020026';
export const SKU_ENTERPRISE_PLUS = '1010020020';

/**
 * The Archived User licenses: a product of their own (101034, "Google Workspace Archived User"), one SKU per edition.
 * Archiving a user (users.update with archived: true) turns the edition's license into its Archived User license, and
 * unarchiving turns it back (Admin help 9048232: "To archive a user, you need an Archived User license available";
 * GAM: "the license ... converts to the equivalent Archived User license when the user is archived"). Ids and names
 * as License Manager and GAM's SKU table give them.
 */
export const ARCHIVED_USER_PRODUCT_ID = '101034';
export const SKU_BUSINESS_STARTER_ARCHIVED = '1010340005';
export const SKU_BUSINESS_STANDARD_ARCHIVED = '1010340006';
export const ARCHIVED_USER_SKUS: readonly { skuId: string; skuName: string; archives: string }[] = [
  { skuId: '1010340001', skuName: 'Google Workspace Enterprise Plus - Archived User', archives: SKU_ENTERPRISE_PLUS },
  { skuId: '1010340003', skuName: 'Google Workspace Business Plus - Archived User', archives: SKU_BUSINESS_PLUS },
  { skuId: '1010340004', skuName: 'Google Workspace Enterprise Standard - Archived User', archives: SKU_ENTERPRISE_STANDARD },
  { skuId: SKU_BUSINESS_STARTER_ARCHIVED, skuName: 'Google Workspace Business Starter - Archived User', archives: SKU_BUSINESS_STARTER },
  { skuId: SKU_BUSINESS_STANDARD_ARCHIVED, skuName: 'Google Workspace Business Standard - Archived User', archives: SKU_BUSINESS_STANDARD },
];

export interface SkuInfo {
  productId: string;
  productName: string;
  skuId: string;
  skuName: string;
}

/** The names License Manager returns beside the ids (productName, skuName). */
export const KNOWN_SKUS: SkuInfo[] = [
  { productId: GOOGLE_WORKSPACE_PRODUCT_ID, productName: 'Google Workspace', skuId: SKU_BUSINESS_STARTER, skuName: 'Google Workspace Business Starter' },
  { productId: GOOGLE_WORKSPACE_PRODUCT_ID, productName: 'Google Workspace', skuId: SKU_BUSINESS_STANDARD, skuName: 'Google Workspace Business Standard' },
  { productId: GOOGLE_WORKSPACE_PRODUCT_ID, productName: 'Google Workspace', skuId: SKU_BUSINESS_PLUS, skuName: 'Google Workspace Business Plus' },
  { productId: GOOGLE_WORKSPACE_PRODUCT_ID, productName: 'Google Workspace', skuId: SKU_ENTERPRISE_STANDARD, skuName: 'Google Workspace Enterprise Standard' },
  { productId: GOOGLE_WORKSPACE_PRODUCT_ID, productName: 'Google Workspace', skuId: SKU_ENTERPRISE_PLUS, skuName: 'Google Workspace Enterprise Plus' },
  ...ARCHIVED_USER_SKUS.map(({ skuId, skuName }) => ({ productId: ARCHIVED_USER_PRODUCT_ID, productName: 'Google Workspace Archived User', skuId, skuName })),
];

/** Data Transfer application ids (developers.google.com/workspace/admin/data-transfer/v1/parameters). */
export const DRIVE_AND_DOCS_APPLICATION_ID = '55656082996';
export const CALENDAR_APPLICATION_ID = '435070579839';
export const LOOKER_STUDIO_APPLICATION_ID = '810260081642';

export interface TransferApplication {
  id: string;
  name: string;
  transferParams: { key: string; value: string[] }[];
}

export const TRANSFER_APPLICATIONS: TransferApplication[] = [
  { id: DRIVE_AND_DOCS_APPLICATION_ID, name: 'Drive and Docs', transferParams: [{ key: 'PRIVACY_LEVEL', value: ['PRIVATE', 'SHARED'] }] },
  { id: CALENDAR_APPLICATION_ID, name: 'Calendar', transferParams: [{ key: 'RELEASE_RESOURCES', value: ['TRUE'] }] },
  { id: LOOKER_STUDIO_APPLICATION_ID, name: 'Looker Studio', transferParams: [] },
];

/** The sample domain `seedSample` (sample.ts) builds. */
export const SAMPLE_DOMAIN = 'example.com';
