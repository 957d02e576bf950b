/**
 * The Zendesk Support REST API v2 client every Zendesk action uses: Node's fetch, API token Basic auth
 * (`{email}/token:{token}`), the stage's request budget, paging (cursor `page[size]`/`links.next` where the endpoint
 * has it, else `next_page`), and Zendesk's error bodies read into ZendeskApiError. Only the base URL differs between
 * Zendesk and the local emulator.
 */
import { DEFAULT_ACTION_TIMEOUT_SECONDS } from '../../../config/dispatch-timing';
import { ProviderError } from '../provider-error';
import { providerBucket, type RequestBudget, type RequestPriority } from '../rate-limited-fetch';

export type ZendeskRole = 'end-user' | 'agent' | 'admin';
export const ZENDESK_ROLES: readonly ZendeskRole[] = ['end-user', 'agent', 'admin'];

/** A user as Zendesk answers it (the fields the actions read). */
export interface ZendeskUser {
  id: number;
  name: string;
  email: string | null;
  role: ZendeskRole;
  custom_role_id: number | null;
  external_id: string | null;
  suspended: boolean;
  active: boolean;
  default_group_id?: number | null;
}

export interface ZendeskGroup {
  id: number;
  name: string;
  deleted?: boolean;
}

export interface ZendeskCustomRole {
  id: number;
  name: string;
}

export interface ZendeskGroupMembership {
  id: number;
  user_id: number;
  group_id: number;
  default: boolean;
  /** When the membership was made (ISO 8601). */
  created_at?: string;
}

export interface ZendeskTicketHit {
  id: number;
  result_type: string;
  status: string;
  assignee_id: number | null;
  group_id: number | null;
}

export interface ZendeskJobStatus {
  id: string;
  status: 'queued' | 'working' | 'failed' | 'completed' | 'killed';
  total?: number | null;
  progress?: number | null;
  message?: string | null;
  results?: { id: number; success?: boolean; status?: string; errors?: string; error?: string; details?: string }[] | null;
}

/** Zendesk answered with an error status: its own words, and Retry-After on a 429. */
export class ZendeskApiError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    /** Zendesk's `error` (RecordNotFound, RecordInvalid, ...), or the text body (a 429 is text/plain). */
    readonly error: string,
    readonly description?: string,
    readonly details?: unknown,
    /** Seconds, from the Retry-After header. */
    readonly retryAfter?: number,
  ) {
    super(`Zendesk ${operation}: ${status} ${error}${description ? `: ${description}` : ''}${details ? ` ${JSON.stringify(details)}` : ''}${retryAfter !== undefined ? ` (Retry-After ${retryAfter} s)` : ''}`);
    this.name = 'ZendeskApiError';
  }

  get notFound(): boolean {
    return this.status === 404;
  }
}

export interface ZendeskClientOptions {
  /** `https://{subdomain}.zendesk.com`, or the emulator's URL. */
  baseUrl: string;
  /** The API user's email: the token's owner, an admin. */
  email: string;
  /** The API token, read when first needed (a secret). */
  token: () => Promise<string>;
  /** Requests a minute this process allows itself (the stage's zendesk.requestsPerMinute). */
  requestsPerMinute?: number;
  budget?: RequestBudget;
  priority?: RequestPriority;
  fetch?: typeof fetch;
  /** A 429 whose Retry-After is at most this long is waited for and sent again here; a longer one goes back to the engine. */
  maxInlineWaitMs?: number;
  /** Sends again of one request after a 429, the first try not counted. */
  maxRetries?: number;
  /**
   * When Zendesk's answer says at most this many requests are left in the account's window (`ratelimit-remaining`, or
   * `x-rate-limit-remaining`), the next request of the process waits: the window's rest shared by those left, at most
   * maxInlineWaitMs. Default 10; 0 turns it off.
   */
  slowDownBelow?: number;
  /**
   * How long one step (forStep) may spend waiting in all, slowed down or after a 429, before it stops with a retryable
   * error (an action's progress goes with it) rather than run past its function's timeout. Default: half the default
   * action timeout (zendeskWaitBudgetMs).
   */
  waitBudgetMs?: number;
}

/**
 * What one step may spend waiting for Zendesk's rate limit: half the action functions' timeout (the stage's
 * actionTimeoutSeconds), so a step that would wait longer stops in time and hands its progress to the next try.
 */
export const zendeskWaitBudgetMs = (actionTimeoutSeconds: number) => (actionTimeoutSeconds * 1000) / 2;

/** The lowest plan's limit (Support Team: 200 a minute); a stage names its own. */
export const DEFAULT_ZENDESK_REQUESTS_PER_MINUTE = 200;
const DEFAULT_INLINE_WAIT_MS = 5_000;
const CURSOR_PAGE_SIZE = 100;

/** `acme` or `acme.zendesk.com` or a URL → the account's base URL, without a trailing slash. */
export function zendeskBaseUrl(subdomainOrUrl: string): string {
  if (/^https?:\/\//.test(subdomainOrUrl)) return subdomainOrUrl.replace(/\/+$/, '');
  const host = subdomainOrUrl.includes('.') ? subdomainOrUrl : `${subdomainOrUrl}.zendesk.com`;
  return `https://${host}`;
}

/** The Authorization header of an API token, as Zendesk documents it: Basic base64(`{email}/token:{token}`). */
export function zendeskAuthorization(email: string, token: string): string {
  return `Basic ${Buffer.from(`${email}/token:${token}`, 'utf8').toString('base64')}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DEFAULT_SLOW_DOWN_BELOW = 10;
/** Per account: no request of this process before this time (ms), as Zendesk's remaining requests said. */
const pausedUntil = new Map<string, number>();

/**
 * How long to hold the next request, from the rate limit headers of an answer: nothing while plenty is left; when few
 * are, the seconds until the window resets (`ratelimit-reset`, else a minute) shared by the requests still left.
 */
export function zendeskSlowDownMs(headers: Pick<Headers, 'get'>, below: number): number {
  const remaining = Number(headers.get('ratelimit-remaining') ?? headers.get('x-rate-limit-remaining') ?? NaN);
  if (!Number.isFinite(remaining) || below <= 0 || remaining > below) return 0;
  const reset = Number(headers.get('ratelimit-reset') ?? NaN);
  return Math.ceil(((Number.isFinite(reset) && reset > 0 ? reset : 60) * 1000) / (Math.max(0, remaining) + 1));
}

export class ZendeskClient {
  readonly baseUrl: string;
  private readonly budget: RequestBudget;
  private readonly doFetch: typeof fetch;
  /** What this client (one step's, see forStep) has spent waiting so far. */
  private waitedMs = 0;

  constructor(private readonly options: ZendeskClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    const perMinute = options.requestsPerMinute ?? DEFAULT_ZENDESK_REQUESTS_PER_MINUTE;
    // One bucket per account and rate in the process: every Zendesk step of the process shares it.
    this.budget = options.budget ?? providerBucket('zendesk', perMinute, { account: this.baseUrl, named: true });
    this.doFetch = options.fetch ?? globalThis.fetch;
  }

  /** The same client whose requests take from the budget as the step they serve (`lockout` first). */
  withPriority(priority: RequestPriority | undefined): ZendeskClient {
    return priority === this.options.priority ? this : new ZendeskClient({ ...this.options, budget: this.budget, priority });
  }

  /** A client for one step: the same budget and settings, with its own count of the time waited (waitBudgetMs). */
  forStep(priority: RequestPriority | undefined): ZendeskClient {
    return new ZendeskClient({ ...this.options, budget: this.budget, priority });
  }

  private waitBudget(): number {
    return this.options.waitBudgetMs ?? zendeskWaitBudgetMs(DEFAULT_ACTION_TIMEOUT_SECONDS);
  }

  /** Waits `ms` if the step's wait budget has room for it; else stops the step with a retryable error. */
  private async wait(ms: number, why: string): Promise<void> {
    const budget = this.waitBudget();
    if (this.waitedMs + ms > budget) {
      throw new ProviderError(`Zendesk: ${why}, and this step has waited ${this.waitedMs} ms of the ${budget} ms it may spend waiting: the next try goes on from here`, true);
    }
    this.waitedMs += ms;
    await sleep(ms);
  }

  /** One call: JSON in and out; an error status becomes a ZendeskApiError. */
  async request<T>(operation: string, method: string, path: string, body?: unknown): Promise<T> {
    const url = path.startsWith('http') ? path : `${this.baseUrl}${path}`;
    const authorization = zendeskAuthorization(this.options.email, await this.options.token());
    const maxRetries = this.options.maxRetries ?? 2;
    const maxWaitMs = this.options.maxInlineWaitMs ?? DEFAULT_INLINE_WAIT_MS;
    const slowDownBelow = this.options.slowDownBelow ?? DEFAULT_SLOW_DOWN_BELOW;
    for (let attempt = 0; ; attempt++) {
      await this.budget.take(this.options.priority);
      // A client that does not slow down (slowDownBelow 0) neither waits for nor leaves a pause.
      const pause = slowDownBelow > 0 ? (pausedUntil.get(this.baseUrl) ?? 0) - Date.now() : 0;
      if (pause > 0) await this.wait(Math.min(pause, maxWaitMs), `few requests are left in the account's rate limit window (${operation})`);
      const res = await this.doFetch(url, {
        method,
        headers: { Authorization: authorization, Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      // The account's limit is shared with every other caller of the API (other invocations, other integrations):
      // when Zendesk says few requests are left, this process slows down before it is answered 429.
      const slowDown = Math.min(zendeskSlowDownMs(res.headers, slowDownBelow), maxWaitMs);
      if (slowDown > 0) pausedUntil.set(this.baseUrl, Date.now() + slowDown);
      else if (slowDownBelow > 0) pausedUntil.delete(this.baseUrl);
      if (res.ok) {
        const text = await res.text();
        return (text ? JSON.parse(text) : {}) as T;
      }
      const error = await apiError(operation, res);
      // Zendesk says how long to wait: a short wait is spent here, a long one by the engine's retry.
      const waitMs = (error.retryAfter ?? 1) * 1000;
      // A wait the step has no room left for goes back to the engine with the 429 itself.
      if (res.status === 429 && attempt < maxRetries && waitMs <= maxWaitMs && this.waitedMs + waitMs <= this.waitBudget()) {
        await this.wait(waitMs, operation);
        continue;
      }
      throw error;
    }
  }

  /** Every item of a list with cursor pagination (`page[size]`, `meta.has_more`, `links.next`). */
  async cursorList<T>(operation: string, path: string, key: string): Promise<T[]> {
    const out: T[] = [];
    let next: string | null = `${path}${path.includes('?') ? '&' : '?'}page[size]=${CURSOR_PAGE_SIZE}`;
    while (next) {
      const page: Record<string, unknown> & { meta?: { has_more?: boolean }; links?: { next?: string | null } } = await this.request(operation, 'GET', next);
      out.push(...((page[key] as T[] | undefined) ?? []));
      next = page.meta?.has_more && page.links?.next ? page.links.next : null;
    }
    return out;
  }

  /** The pages of a list with cursor pagination, one request each, as they come (consolidation reads large lists this way). */
  async *cursorPages<T>(operation: string, path: string, key: string): AsyncGenerator<T[]> {
    let next: string | null = `${path}${path.includes('?') ? '&' : '?'}page[size]=${CURSOR_PAGE_SIZE}`;
    while (next) {
      const page: Record<string, unknown> & { meta?: { has_more?: boolean }; links?: { next?: string | null } } = await this.request(operation, 'GET', next);
      yield (page[key] as T[] | undefined) ?? [];
      next = page.meta?.has_more && page.links?.next ? page.links.next : null;
    }
  }

  /** Every user of the roles given (GET /users?role[]=…), a page at a time. */
  userPages(roles: readonly ZendeskRole[]): AsyncGenerator<ZendeskUser[]> {
    const q = roles.map((r) => `role[]=${encodeURIComponent(r)}`).join('&');
    return this.cursorPages<ZendeskUser>('list users', `/api/v2/users.json${q ? `?${q}` : ''}`, 'users');
  }

  /** Every group membership of the account (GET /group_memberships), a page at a time. */
  membershipPages(): AsyncGenerator<ZendeskGroupMembership[]> {
    return this.cursorPages<ZendeskGroupMembership>('list group memberships', '/api/v2/group_memberships.json', 'group_memberships');
  }

  /** Every item of a list with offset pagination (`next_page`): search has no cursor. */
  async offsetList<T>(operation: string, path: string, key: string): Promise<T[]> {
    const out: T[] = [];
    let next: string | null = path;
    while (next) {
      const page: Record<string, unknown> & { next_page?: string | null } = await this.request(operation, 'GET', next);
      out.push(...((page[key] as T[] | undefined) ?? []));
      next = page.next_page ?? null;
    }
    return out;
  }

  // ---- users ----

  async showUser(id: number): Promise<ZendeskUser | undefined> {
    try {
      return (await this.request<{ user: ZendeskUser }>(`show user ${id}`, 'GET', `/api/v2/users/${id}.json`)).user;
    } catch (err) {
      if (err instanceof ZendeskApiError && err.notFound) return undefined;
      throw err;
    }
  }

  async userByExternalId(externalId: string): Promise<ZendeskUser | undefined> {
    const { users } = await this.request<{ users: ZendeskUser[] }>(`show_many external_id ${externalId}`, 'GET', `/api/v2/users/show_many.json?external_ids=${encodeURIComponent(externalId)}`);
    return users.find((u) => u.external_id === externalId);
  }

  async usersByEmail(email: string): Promise<ZendeskUser[]> {
    const users = await this.offsetList<ZendeskUser>('search users by email', `/api/v2/users/search.json?query=${encodeURIComponent(`email:${email}`)}`, 'users');
    return users.filter((u) => u.email?.toLowerCase() === email.toLowerCase());
  }

  async createUser(user: Partial<Omit<ZendeskUser, 'id'>> & { name: string; email: string; skip_verify_email?: boolean; verified?: boolean }): Promise<ZendeskUser> {
    return (await this.request<{ user: ZendeskUser }>('create user', 'POST', '/api/v2/users.json', { user })).user;
  }

  async updateUser(id: number, user: Partial<Omit<ZendeskUser, 'id'>>): Promise<ZendeskUser> {
    return (await this.request<{ user: ZendeskUser }>(`update user ${id}`, 'PUT', `/api/v2/users/${id}.json`, { user })).user;
  }

  // ---- groups, custom roles, memberships ----

  listGroups(): Promise<ZendeskGroup[]> {
    return this.cursorList<ZendeskGroup>('list groups', '/api/v2/groups.json', 'groups');
  }

  /** One group by id; undefined when Zendesk has none (a deleted one included). */
  async showGroup(id: number): Promise<ZendeskGroup | undefined> {
    try {
      const { group } = await this.request<{ group: ZendeskGroup }>(`show group ${id}`, 'GET', `/api/v2/groups/${id}.json`);
      return group.deleted ? undefined : group;
    } catch (err) {
      if (err instanceof ZendeskApiError && err.notFound) return undefined;
      throw err;
    }
  }

  async listCustomRoles(): Promise<ZendeskCustomRole[]> {
    // Custom roles are not paginated.
    return (await this.request<{ custom_roles: ZendeskCustomRole[] }>('list custom roles', 'GET', '/api/v2/custom_roles.json')).custom_roles;
  }

  userMemberships(userId: number): Promise<ZendeskGroupMembership[]> {
    return this.cursorList<ZendeskGroupMembership>(`list group memberships of user ${userId}`, `/api/v2/users/${userId}/group_memberships.json`, 'group_memberships');
  }

  async addMembership(userId: number, groupId: number): Promise<ZendeskGroupMembership> {
    const body = { group_membership: { user_id: userId, group_id: groupId } };
    return (await this.request<{ group_membership: ZendeskGroupMembership }>(`add user ${userId} to group ${groupId}`, 'POST', '/api/v2/group_memberships.json', body)).group_membership;
  }

  /** Deletes a membership; one already gone is not an error. */
  async removeMembership(membershipId: number): Promise<boolean> {
    try {
      await this.request(`delete group membership ${membershipId}`, 'DELETE', `/api/v2/group_memberships/${membershipId}.json`);
      return true;
    } catch (err) {
      if (err instanceof ZendeskApiError && err.notFound) return false;
      throw err;
    }
  }

  // ---- tickets ----

  /** The user's tickets not yet solved (new, open, pending, hold), by search. */
  openTicketsAssignedTo(userId: number): Promise<ZendeskTicketHit[]> {
    const query = `type:ticket assignee:${userId} status<solved`;
    return this.offsetList<ZendeskTicketHit>(`search open tickets of user ${userId}`, `/api/v2/search.json?query=${encodeURIComponent(query)}`, 'results');
  }

  /**
   * The tickets with these ids as they are now (tickets/show_many, at most 100 ids a call): unlike the Search API,
   * which is indexed a while after a change, this reads the tickets themselves. An id Zendesk no longer has is left out.
   */
  async showManyTickets(ids: readonly number[]): Promise<ZendeskTicketHit[]> {
    const out: ZendeskTicketHit[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      const batch = ids.slice(i, i + 100);
      const { tickets } = await this.request<{ tickets: ZendeskTicketHit[] }>(`show_many ${batch.length} tickets`, 'GET', `/api/v2/tickets/show_many.json?ids=${batch.join(',')}`);
      out.push(...tickets);
    }
    return out;
  }

  /** Bulk update (at most 100 ids): answers the job status to follow. */
  async updateManyTickets(ids: number[], ticket: Record<string, unknown>): Promise<ZendeskJobStatus> {
    const path = `/api/v2/tickets/update_many.json?ids=${ids.join(',')}`;
    return (await this.request<{ job_status: ZendeskJobStatus }>(`update_many ${ids.length} tickets`, 'PUT', path, { ticket })).job_status;
  }

  async jobStatus(id: string): Promise<ZendeskJobStatus> {
    return (await this.request<{ job_status: ZendeskJobStatus }>(`job status ${id}`, 'GET', `/api/v2/job_statuses/${encodeURIComponent(id)}.json`)).job_status;
  }
}

async function apiError(operation: string, res: Response): Promise<ZendeskApiError> {
  const text = await res.text().catch(() => '');
  const header = res.headers.get('retry-after');
  const retryAfter = header !== null && Number.isFinite(Number(header)) ? Number(header) : undefined;
  let parsed: { error?: unknown; description?: unknown; details?: unknown } | undefined;
  try {
    parsed = text ? (JSON.parse(text) as typeof parsed) : undefined;
  } catch {
    parsed = undefined;
  }
  // Zendesk's `error` is a name ("RecordNotFound") or, on a 401, a sentence; a 429 is a text/plain sentence.
  const error = typeof parsed?.error === 'string' ? parsed.error : typeof parsed?.error === 'object' && parsed.error ? JSON.stringify(parsed.error) : text.trim().slice(0, 200) || res.statusText || 'error';
  const description = typeof parsed?.description === 'string' ? parsed.description : undefined;
  return new ZendeskApiError(operation, res.status, error, description, parsed?.details, retryAfter);
}
