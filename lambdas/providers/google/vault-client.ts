/**
 * Google Vault (vault.googleapis.com v1): matters and holds. No per-API package of it is published on the registry
 * this project uses, so this is a small typed client over the same google-auth-library transport the @googleapis
 * clients use, as the License Manager client is.
 */
import type { OAuth2Client } from 'google-auth-library';

export interface Matter {
  matterId: string;
  name: string;
  description?: string;
  state: 'OPEN' | 'CLOSED' | 'DELETED' | 'STATE_UNSPECIFIED';
}

export interface HeldAccount {
  accountId?: string;
  email?: string;
  holdTime?: string;
}

export interface Hold {
  holdId: string;
  name: string;
  corpus: string;
  updateTime?: string;
  accounts?: HeldAccount[];
  orgUnit?: { orgUnitId: string; holdTime?: string };
}

export class VaultClient {
  constructor(
    private readonly rootUrl: string,
    private readonly auth: () => Promise<OAuth2Client>,
    private readonly fetchImplementation: typeof fetch,
  ) {}

  private url(path: string): string {
    return new URL(`v1/${path}`, this.rootUrl.endsWith('/') ? this.rootUrl : `${this.rootUrl}/`).href;
  }

  private async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, data?: unknown): Promise<T> {
    const auth = await this.auth();
    const res = await auth.request<T>({ url: this.url(path), method, data, fetchImplementation: this.fetchImplementation, retry: false });
    return res.data;
  }

  /** Every matter in a state (all but deleted ones when none is given), paged. */
  async listMatters(state?: Matter['state']): Promise<Matter[]> {
    const out: Matter[] = [];
    let pageToken: string | undefined;
    do {
      const q = new URLSearchParams({ pageSize: '100', ...(state ? { state } : {}), ...(pageToken ? { pageToken } : {}) });
      const page = await this.call<{ matters?: Matter[]; nextPageToken?: string }>('GET', `matters?${q}`);
      out.push(...(page.matters ?? []));
      pageToken = page.nextPageToken;
    } while (pageToken);
    return out;
  }

  createMatter(name: string, description?: string): Promise<Matter> {
    return this.call('POST', 'matters', { name, ...(description ? { description } : {}) });
  }

  /** Closes an open matter (POST matters/{id}:close); the answer holds it, state CLOSED. */
  async closeMatter(matterId: string): Promise<Matter> {
    return (await this.call<{ matter: Matter }>('POST', `matters/${enc(matterId)}:close`, {})).matter;
  }

  /** Deletes a closed matter; the answer is the matter, state DELETED. */
  deleteMatter(matterId: string): Promise<Matter> {
    return this.call('DELETE', `matters/${enc(matterId)}`);
  }

  /** Every hold of a matter with its accounts, paged. */
  async listHolds(matterId: string): Promise<Hold[]> {
    const out: Hold[] = [];
    let pageToken: string | undefined;
    do {
      const q = new URLSearchParams({ pageSize: '100', view: 'FULL_HOLD', ...(pageToken ? { pageToken } : {}) });
      const page = await this.call<{ holds?: Hold[]; nextPageToken?: string }>('GET', `matters/${enc(matterId)}/holds?${q}`);
      out.push(...(page.holds ?? []));
      pageToken = page.nextPageToken;
    } while (pageToken);
    return out;
  }

  getHold(matterId: string, holdId: string): Promise<Hold> {
    return this.call('GET', `matters/${enc(matterId)}/holds/${enc(holdId)}?view=FULL_HOLD`);
  }

  /** A hold on the mail of the named accounts (a HeldAccount's email takes precedence over its id). */
  createHold(matterId: string, hold: { name: string; corpus: string; accounts: HeldAccount[] }): Promise<Hold> {
    return this.call('POST', `matters/${enc(matterId)}/holds`, hold);
  }

  addHeldAccounts(matterId: string, holdId: string, emails: string[]): Promise<{ responses?: { account?: HeldAccount; status?: { code?: number; message?: string } }[] }> {
    return this.call('POST', `matters/${enc(matterId)}/holds/${enc(holdId)}:addHeldAccounts`, { emails });
  }

  removeHeldAccounts(matterId: string, holdId: string, accountIds: string[]): Promise<{ statuses?: { code?: number; message?: string }[] }> {
    return this.call('POST', `matters/${enc(matterId)}/holds/${enc(holdId)}:removeHeldAccounts`, { accountIds });
  }

  async deleteHold(matterId: string, holdId: string): Promise<void> {
    await this.call('DELETE', `matters/${enc(matterId)}/holds/${enc(holdId)}`);
  }
}

const enc = encodeURIComponent;
