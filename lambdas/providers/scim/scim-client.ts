/**
 * A SCIM 2.0 client (RFC 7643 resources, RFC 7644 protocol) over fetch: one per app, its bearer token and its request
 * budget. What the server supports is read from /ServiceProviderConfig once per container: PATCH where it says so, a
 * PUT of the whole resource otherwise. Error bodies (RFC 7644 §3.12) become ProviderErrors: 429 and 5xx retryable,
 * with Retry-After in the answer; any other 4xx not.
 */
import { isRetryableStatus, ProviderError } from '../provider-error';
import { rateLimitedFetch, providerBucket, type RateLimit, type RequestPriority } from '../rate-limited-fetch';

export const SCIM_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const SCIM_GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const SCIM_PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const SCIM_LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const SCIM_CONTENT_TYPE = 'application/scim+json';

/** Requests a second an app is sent by default, every step of the process together. */
export const DEFAULT_SCIM_REQUESTS_PER_SECOND = 5;
/** Resources asked for per page when listing. */
export const SCIM_PAGE_SIZE = 100;

export interface ScimUser {
  id: string;
  userName: string;
  externalId?: string;
  active?: boolean;
  name?: { givenName?: string; familyName?: string; formatted?: string };
  displayName?: string;
  emails?: { value: string; type?: string; primary?: boolean }[];
  /** Read-only on the User (RFC 7643 §4.1.2); not every server fills it, so membership is read from the Groups. */
  groups?: { value: string; display?: string }[];
  [attribute: string]: unknown;
}

export interface ScimGroup {
  id: string;
  displayName: string;
  members?: { value: string; display?: string; type?: string }[];
  [attribute: string]: unknown;
}

/** What the client needs from /ServiceProviderConfig. */
export interface ScimFeatures {
  patch: boolean;
  filter: boolean;
  /** The most resources the server returns per page (filter.maxResults), when it says. */
  maxResults?: number;
}

export interface ScimAppConnection {
  /** The app's name in the stage's scimApps: in every message and error. */
  name: string;
  /** Up to and including `/v2` (or wherever the server's root is), without a trailing slash. */
  baseUrl: string;
  /** The app's bearer token, read on use (a secret on AWS). */
  token: () => Promise<string>;
  requestsPerSecond?: number;
}

export interface ScimClientOptions {
  fetch?: typeof fetch;
  /** Retries of a 429 or 503 inside one call, honouring Retry-After, before the step gets a retryable error. */
  rateLimit?: Partial<RateLimit>;
  priority?: RequestPriority;
}

/** Per container: a server's features do not change between steps. */
const featureCache = new Map<string, Promise<ScimFeatures>>();

/** Clears the per-container cache of server features (tests that switch a server's PATCH support). */
export function forgetScimFeatures(): void {
  featureCache.clear();
  noOrFilter.clear();
}

/** Servers (by base URL) that answered 400 to an `or` filter: asked with `eq` filters one at a time from then on. */
const noOrFilter = new Set<string>();

/** A SCIM string literal inside a filter: quotes and backslashes escaped (RFC 7644 §3.4.2.2, JSON string rules). */
export const scimString = (value: string) => JSON.stringify(value);

export class ScimClient {
  private readonly send: typeof fetch;

  constructor(
    readonly app: ScimAppConnection,
    options: ScimClientOptions = {},
  ) {
    const perMinute = Math.max(1, Math.round((app.requestsPerSecond ?? DEFAULT_SCIM_REQUESTS_PER_SECOND) * 60));
    const limit: RateLimit = { perMinute, maxRetries: 2, baseDelayMs: 250, maxDelayMs: 5_000, ...options.rateLimit };
    this.send = rateLimitedFetch(`scim:${app.name}`, limit, options.fetch ?? globalThis.fetch, providerBucket(`scim:${app.name}`, perMinute), options.priority);
  }

  /** What the server supports, read once per container. */
  features(): Promise<ScimFeatures> {
    const key = this.app.baseUrl;
    let cached = featureCache.get(key);
    if (!cached) {
      cached = this.request<Record<string, unknown>>('GET', '/ServiceProviderConfig').then((body) => {
        const patch = (body.patch as { supported?: boolean } | undefined)?.supported === true;
        const filter = body.filter as { supported?: boolean; maxResults?: number } | undefined;
        return { patch, filter: filter?.supported !== false, ...(filter?.maxResults ? { maxResults: filter.maxResults } : {}) };
      });
      // A failed read is not remembered: the next step asks again.
      cached.catch(() => featureCache.delete(key));
      featureCache.set(key, cached);
    }
    return cached;
  }

  /** Every resource of a list the filter selects, page by page (startIndex is 1-based, RFC 7644 §3.4.2.4). */
  async list<T>(resource: 'Users' | 'Groups', filter?: string): Promise<T[]> {
    const out: T[] = [];
    for await (const items of this.pages<T>(resource, filter)) out.push(...items);
    return out;
  }

  /** The pages of a list, one request each, as they come (consolidation reads whole directories this way). */
  async *pages<T>(resource: 'Users' | 'Groups', filter?: string): AsyncGenerator<T[]> {
    const features = await this.features();
    const count = Math.min(SCIM_PAGE_SIZE, features.maxResults ?? SCIM_PAGE_SIZE);
    for (let startIndex = 1; ; ) {
      const query = new URLSearchParams({ startIndex: String(startIndex), count: String(count) });
      if (filter) query.set('filter', filter);
      const page = await this.request<{ totalResults?: number; itemsPerPage?: number; Resources?: T[] }>('GET', `/${resource}?${query}`);
      const items = page.Resources ?? [];
      if (items.length) yield items;
      startIndex += items.length;
      if (items.length === 0 || startIndex > (page.totalResults ?? 0)) return;
    }
  }

  /**
   * The users whose userName or externalId is the one given (either may find the account): one `or` filter, or where
   * the server refuses `or` with a 400 (invalidFilter), an `eq` filter for each, the answers joined.
   */
  async findUsers(by: { userName: string; externalId: string }): Promise<ScimUser[]> {
    const byName = `userName eq ${scimString(by.userName)}`;
    const byId = `externalId eq ${scimString(by.externalId)}`;
    let users: ScimUser[] | undefined;
    if (!noOrFilter.has(this.app.baseUrl)) {
      try {
        users = await this.list<ScimUser>('Users', `${byName} or ${byId}`);
      } catch (err) {
        if (!(err instanceof ScimError && err.status === 400 && (err.scimType === undefined || err.scimType === 'invalidFilter'))) throw err;
        noOrFilter.add(this.app.baseUrl);
      }
    }
    if (!users) {
      const found = [...(await this.list<ScimUser>('Users', byName)), ...(await this.list<ScimUser>('Users', byId))];
      users = found.filter((u, i) => found.findIndex((o) => o.id === u.id) === i);
    }
    // A server that ignores part of a filter must not make us act on someone else: each is checked here too.
    return users.filter((u) => u.userName?.toLowerCase() === by.userName.toLowerCase() || u.externalId === by.externalId);
  }

  async getUser(id: string): Promise<ScimUser | undefined> {
    return this.getOrUndefined<ScimUser>(`/Users/${encodeURIComponent(id)}`);
  }

  createUser(user: Omit<ScimUser, 'id'>): Promise<ScimUser> {
    return this.request<ScimUser>('POST', '/Users', { schemas: [SCIM_USER_SCHEMA], ...user });
  }

  /** Sets attributes of a user: PATCH replace where supported, else PUT of the resource as read with them changed. */
  async updateUser(id: string, changes: Partial<Omit<ScimUser, 'id'>>): Promise<ScimUser> {
    if ((await this.features()).patch) {
      return (await this.request<ScimUser | undefined>('PATCH', `/Users/${encodeURIComponent(id)}`, { schemas: [SCIM_PATCH_OP], Operations: [{ op: 'replace', value: changes }] })) ?? (await this.mustGetUser(id));
    }
    const current = await this.mustGetUser(id);
    const { meta: _meta, groups: _groups, ...writable } = current;
    return this.request<ScimUser>('PUT', `/Users/${encodeURIComponent(id)}`, { ...writable, schemas: current.schemas ?? [SCIM_USER_SCHEMA], ...changes });
  }

  async findGroupByName(displayName: string): Promise<ScimGroup | undefined> {
    const groups = await this.list<ScimGroup>('Groups', `displayName eq ${scimString(displayName)}`);
    return groups.find((g) => g.displayName === displayName) ?? groups.find((g) => g.displayName?.toLowerCase() === displayName.toLowerCase());
  }

  async getGroup(id: string): Promise<ScimGroup | undefined> {
    return this.getOrUndefined<ScimGroup>(`/Groups/${encodeURIComponent(id)}`);
  }

  /**
   * A group's members as the group itself answers them (`GET /Groups/{id}?attributes=members`): list results may omit
   * or cut `members`. Undefined when the group is gone.
   */
  async groupMembers(groupId: string): Promise<{ value: string }[] | undefined> {
    const group = await this.getOrUndefined<ScimGroup>(`/Groups/${encodeURIComponent(groupId)}?attributes=members`);
    return group ? (group.members ?? []) : undefined;
  }

  /** Whether the user is a member of the group, read from the group itself. */
  async isMember(groupId: string, userId: string): Promise<boolean> {
    return ((await this.groupMembers(groupId)) ?? []).some((m) => m.value === userId);
  }

  /**
   * The groups a user is a member of, read from the Groups (`members.value eq`); a group whose listed members do not
   * show the user (a server that omits or cuts `members` in lists) is read by itself. A server that refuses the filter
   * with a 400 (SCIMMY does on a group left without members) is read whole, page by page, the same way.
   */
  async groupsOf(userId: string): Promise<ScimGroup[]> {
    let groups: ScimGroup[];
    try {
      groups = await this.list<ScimGroup>('Groups', `members.value eq ${scimString(userId)}`);
    } catch (err) {
      if (!(err instanceof ScimError && err.status === 400)) throw err;
      groups = await this.list<ScimGroup>('Groups');
    }
    const out: ScimGroup[] = [];
    for (const g of groups) if ((g.members ?? []).some((m) => m.value === userId) || (await this.isMember(g.id, userId))) out.push(g);
    return out;
  }

  /** Adds (or removes) a user to a group: PATCH add/remove of members where supported, else PUT of the group. */
  async setMembership(groupId: string, userId: string, member: boolean): Promise<void> {
    const path = `/Groups/${encodeURIComponent(groupId)}`;
    if ((await this.features()).patch) {
      const op = member ? { op: 'add', path: 'members', value: [{ value: userId }] } : { op: 'remove', path: `members[value eq ${scimString(userId)}]` };
      await this.request('PATCH', path, { schemas: [SCIM_PATCH_OP], Operations: [op] });
      return;
    }
    const group = await this.getGroup(groupId);
    if (!group) throw new ProviderError(`SCIM app ${this.app.name}: group ${groupId} is gone`, false);
    const others = (group.members ?? []).filter((m) => m.value !== userId).map((m) => ({ value: m.value }));
    const { meta: _meta, ...writable } = group;
    await this.request('PUT', path, { ...writable, schemas: group.schemas ?? [SCIM_GROUP_SCHEMA], members: member ? [...others, { value: userId }] : others });
  }

  private async mustGetUser(id: string): Promise<ScimUser> {
    const user = await this.getUser(id);
    if (!user) throw new ProviderError(`SCIM app ${this.app.name}: user ${id} is gone`, false);
    return user;
  }

  private async getOrUndefined<T>(path: string): Promise<T | undefined> {
    try {
      return await this.request<T>('GET', path);
    } catch (err) {
      if (err instanceof ScimError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** One request; an error answer throws a ScimError (a ProviderError) with the server's own words. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const token = await this.app.token();
    let res: Response;
    try {
      res = await this.send(`${this.app.baseUrl}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, Accept: `${SCIM_CONTENT_TYPE}, application/json`, ...(body === undefined ? {} : { 'Content-Type': SCIM_CONTENT_TYPE }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (err) {
      throw new ProviderError(`SCIM app ${this.app.name}: ${method} ${path.split('?')[0]} did not get an answer (${err instanceof Error ? err.message : String(err)})`, true);
    }
    const text = await res.text();
    if (!res.ok) throw ScimError.from(this.app.name, method, path, res.status, text, res.headers.get('retry-after'));
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ProviderError(`SCIM app ${this.app.name}: ${method} ${path.split('?')[0]} answered ${res.status} with a body that is not JSON`, true);
    }
  }
}

/** An error answer of a SCIM server (RFC 7644 §3.12): its status, scimType and detail. */
export class ScimError extends ProviderError {
  constructor(
    message: string,
    readonly status: number,
    readonly scimType: string | undefined,
    readonly detail: string | undefined,
    providerAnswer: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message, isRetryableStatus(status), providerAnswer);
    this.name = 'ScimError';
  }

  static from(app: string, method: string, path: string, status: number, text: string, retryAfter: string | null): ScimError {
    let scimType: string | undefined;
    let detail: string | undefined;
    try {
      const body = JSON.parse(text) as { schemas?: string[]; scimType?: string; detail?: string };
      if (Array.isArray(body.schemas) && body.schemas.includes(SCIM_ERROR)) ({ scimType, detail } = body);
    } catch {
      // Not a SCIM error body (a proxy's page): the status alone speaks.
    }
    const seconds = retryAfter !== null && Number.isFinite(Number(retryAfter)) ? Number(retryAfter) : undefined;
    const answer = [`${status}`, scimType, detail ?? (text ? text.slice(0, 200) : undefined), seconds !== undefined ? `Retry-After ${seconds}s` : undefined].filter(Boolean).join(' ');
    return new ScimError(`SCIM app ${app}: ${method} ${path.split('?')[0]} answered ${answer}`, status, scimType, detail, answer, seconds);
  }
}

/** A create refused because the userName (or externalId) is taken (409 uniqueness, RFC 7644 §3.3). */
export const isUniquenessConflict = (err: unknown) => err instanceof ScimError && err.status === 409;
