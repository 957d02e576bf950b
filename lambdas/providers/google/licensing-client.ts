/**
 * Enterprise License Manager: no per-API package is published for it, so this is a small typed
 * client over the same google-auth-library transport the @googleapis clients use.
 */
import type { OAuth2Client } from 'google-auth-library';

export interface LicenseAssignment {
  kind?: string;
  etags?: string;
  selfLink?: string;
  userId: string;
  productId: string;
  skuId: string;
  skuName?: string;
  productName?: string;
}

export class LicensingClient {
  constructor(
    private readonly rootUrl: string,
    private readonly auth: () => Promise<OAuth2Client>,
    private readonly fetchImplementation: typeof fetch,
    /** The customer's real id (C0…): License Manager documents no my_customer alias, unlike the Directory API. */
    private readonly customerId: () => Promise<string>,
  ) {}

  private url(path: string): string {
    return new URL(`apps/licensing/v1/${path}`, this.rootUrl.endsWith('/') ? this.rootUrl : `${this.rootUrl}/`).href;
  }

  private async call<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, data?: unknown): Promise<T> {
    const auth = await this.auth();
    const res = await auth.request<T>({ url: this.url(path), method, data, fetchImplementation: this.fetchImplementation, retry: false });
    return res.data;
  }

  get(productId: string, skuId: string, userId: string): Promise<LicenseAssignment> {
    return this.call('GET', `product/${enc(productId)}/sku/${enc(skuId)}/user/${enc(userId)}`);
  }

  insert(productId: string, skuId: string, userId: string): Promise<LicenseAssignment> {
    return this.call('POST', `product/${enc(productId)}/sku/${enc(skuId)}/user`, { userId });
  }

  /** licenseAssignments.patch: moves the user's assignment from `currentSkuId` to `newSkuId` of the same product, in one call. */
  patch(productId: string, currentSkuId: string, userId: string, newSkuId: string): Promise<LicenseAssignment> {
    return this.call('PATCH', `product/${enc(productId)}/sku/${enc(currentSkuId)}/user/${enc(userId)}`, { skuId: newSkuId });
  }

  async delete(productId: string, skuId: string, userId: string): Promise<void> {
    await this.call('DELETE', `product/${enc(productId)}/sku/${enc(skuId)}/user/${enc(userId)}`);
  }

  /** The assignments of a product, a page at a time (`maxResults` up to 1000, Google's most). */
  async *assignmentPages(productId: string, maxResults = 1000): AsyncGenerator<LicenseAssignment[]> {
    const customerId = await this.customerId();
    let pageToken: string | undefined;
    do {
      const q = new URLSearchParams({ customerId, maxResults: String(maxResults), ...(pageToken ? { pageToken } : {}) });
      const page = await this.call<{ items?: LicenseAssignment[]; nextPageToken?: string }>('GET', `product/${enc(productId)}/users?${q}`);
      yield page.items ?? [];
      pageToken = page.nextPageToken;
    } while (pageToken);
  }

  /** Every assignment of a product, paged. */
  async listForProduct(productId: string): Promise<LicenseAssignment[]> {
    const customerId = await this.customerId();
    const out: LicenseAssignment[] = [];
    let pageToken: string | undefined;
    do {
      const q = new URLSearchParams({ customerId, ...(pageToken ? { pageToken } : {}) });
      const page = await this.call<{ items?: LicenseAssignment[]; nextPageToken?: string }>('GET', `product/${enc(productId)}/users?${q}`);
      out.push(...(page.items ?? []));
      pageToken = page.nextPageToken;
    } while (pageToken);
    return out;
  }
}

const enc = encodeURIComponent;
