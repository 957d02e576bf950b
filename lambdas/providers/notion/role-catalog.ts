/** The role catalog read from a Notion data source, every page of it, cached for a short while. */
import type { Client } from '@notionhq/client';
import { parseRolePage, type RawRole } from '../../roles/role-model';

export interface RoleCatalogSource {
  /** Every role page, parsed; a page that cannot be read is a role with errors, never a throw. */
  load(): Promise<RawRole[]>;
}

export const DEFAULT_ROLE_CACHE_MS = 60_000;
/** Notion's largest page size. */
const PAGE_SIZE = 100;

/** Every page of the data source, following `next_cursor`. */
export async function readRolePages(client: Client, dataSourceId: string): Promise<RawRole[]> {
  const roles: RawRole[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.dataSources.query({ data_source_id: dataSourceId, page_size: PAGE_SIZE, ...(cursor ? { start_cursor: cursor } : {}) });
    for (const result of page.results) if (result.object === 'page') roles.push(parseRolePage(result));
    cursor = page.has_more ? (page.next_cursor ?? undefined) : undefined;
  } while (cursor);
  return roles;
}

export interface NotionRoleCatalogOptions {
  client: () => Client | Promise<Client>;
  dataSourceId: string;
  ttlMs?: number;
  now?: () => number;
}

/** A burst of hires reads Notion once: the catalog is kept for `ttlMs`, and callers during a read share it. */
export class NotionRoleCatalog implements RoleCatalogSource {
  private cached?: { roles: RawRole[]; until: number };
  private inFlight?: Promise<RawRole[]>;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: NotionRoleCatalogOptions) {
    this.ttlMs = options.ttlMs ?? DEFAULT_ROLE_CACHE_MS;
    this.now = options.now ?? Date.now;
  }

  load(): Promise<RawRole[]> {
    if (this.cached && this.cached.until > this.now()) return Promise.resolve(this.cached.roles);
    this.inFlight ??= (async () => {
      try {
        const roles = await readRolePages(await this.options.client(), this.options.dataSourceId);
        this.cached = { roles, until: this.now() + this.ttlMs };
        return roles;
      } finally {
        this.inFlight = undefined;
      }
    })();
    return this.inFlight;
  }

  /** Forgets the cached catalog, e.g. after an operator edited a role. */
  invalidate(): void {
    this.cached = undefined;
  }
}
