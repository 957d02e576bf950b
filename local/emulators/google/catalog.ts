/** Google's own identifiers (license products and SKUs, Data Transfer applications), defined once for the emulator and the provider code. */

/** Enterprise License Manager product id of Google Workspace (developers.google.com/workspace/admin/licensing/v1/how-tos/products). */
export const GOOGLE_WORKSPACE_PRODUCT_ID = 'Google-Apps';
export const SKU_BUSINESS_STARTER = '1010020027';
export const SKU_BUSINESS_STANDARD = '1010020028';
export const SKU_BUSINESS_PLUS = '1010020025';

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
