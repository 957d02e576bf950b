/**
 * The OpenProject client every OpenProject action and the member task workflow use: API v3 (HAL+JSON under
 * `/api/v3`), Basic auth with the user name `apikey` and an API token as password. A failure's body is OpenProject's
 * error resource (`{"_type": "Error", "errorIdentifier": "urn:openproject-org:api:v3:errors:<Name>", "message"}`),
 * read into OpenProjectApiError. A 429 (a proxy's or rack-attack's rate limit) waits out a short Retry-After here,
 * longer ones go back to the engine. Only the base URL differs between OpenProject and the local emulator.
 */
import { providerBucket, type RequestBudget, type RequestPriority } from '../rate-limited-fetch';

/** A HAL link: `{ href, title }` (`href` null for an empty link). */
export interface HalLink {
  href: string | null;
  title?: string;
  method?: string;
}

/** A user as GET /api/v3/users/{id} answers it to an admin (the fields read), custom fields as `customField<N>`. */
export interface OpenProjectUser {
  _type: 'User';
  id: number;
  login: string;
  firstName: string;
  lastName: string;
  name?: string;
  email: string | null;
  admin?: boolean;
  /** `active`, `registered`, `locked` or `invited`. */
  status: string;
  createdAt?: string;
  updatedAt?: string;
  _links: Record<string, HalLink | HalLink[]>;
  [customField: `customField${number}`]: unknown;
}

/** A work package as GET /api/v3/work_packages/{id} answers it (the fields read). */
export interface WorkPackage {
  _type: 'WorkPackage';
  id: number;
  lockVersion: number;
  subject: string;
  description: { format: string; raw: string | null; html?: string };
  createdAt: string;
  updatedAt: string;
  _links: { self: HalLink; project: HalLink; type: HalLink; status: HalLink; author?: HalLink; [name: string]: HalLink | HalLink[] | undefined };
}

/** An activity (journal) of a work package: a comment when `comment.raw` is not empty. */
export interface WorkPackageActivity {
  _type: string;
  id: number;
  comment: { format: string; raw: string | null; html?: string };
  details?: unknown[];
  version?: number;
  createdAt: string;
  _links: { user?: HalLink; workPackage?: HalLink; [name: string]: HalLink | HalLink[] | undefined };
}

/** A named resource (a status, a type, a project) as a collection lists it. */
export interface NamedResource {
  _type: string;
  id: number;
  name: string;
  identifier?: string;
  isClosed?: boolean;
}

export interface HalCollection<T> {
  _type: 'Collection';
  total: number;
  count: number;
  pageSize?: number;
  offset?: number;
  _embedded: { elements: T[] };
}

/** OpenProject answered with a failure: the HTTP status, the error's identifier (its last part) and message. */
export class OpenProjectApiError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    /** The last part of `errorIdentifier`: `NotFound`, `UpdateConflict`, `PropertyConstraintViolation`, `MissingPermission`… */
    readonly identifier: string | undefined,
    readonly apiMessage: string,
    readonly retryAfter?: number,
    /** `_embedded.details.attribute` of a PropertyConstraintViolation: the property refused. */
    readonly attribute?: string,
  ) {
    super(`OpenProject ${operation}: ${status}${identifier ? ` ${identifier}` : ''}${apiMessage ? ` ${apiMessage}` : ''}${retryAfter !== undefined ? ` (Retry-After ${retryAfter} s)` : ''}`);
    this.name = 'OpenProjectApiError';
  }

  get notFound(): boolean {
    return this.status === 404;
  }
}

export interface OpenProjectClientOptions {
  /** `https://community.openproject.org` (where /api/v3 is), or the emulator's URL. */
  baseUrl: string;
  /** The API token of an admin (a secret), read when first needed. */
  apiToken: () => Promise<string>;
  /** Requests a minute this process allows itself (the stage's openproject.requestsPerMinute). */
  requestsPerMinute?: number;
  budget?: RequestBudget;
  priority?: RequestPriority;
  fetch?: typeof fetch;
  /** A 429 whose Retry-After is at most this long is waited for and sent again here; a longer one goes to the engine. */
  maxInlineWaitMs?: number;
  maxRetries?: number;
}

export const DEFAULT_OPENPROJECT_REQUESTS_PER_MINUTE = 300;
const DEFAULT_INLINE_WAIT_MS = 5_000;
/** Elements read a page. */
export const OPENPROJECT_PAGE_SIZE = 100;
const API = '/api/v3';
const ERROR_URN = 'urn:openproject-org:api:v3:errors:';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function openProjectAuthorization(token: string): string {
  return `Basic ${Buffer.from(`apikey:${token}`, 'utf8').toString('base64')}`;
}

/** The numeric id at the end of a HAL link (`/api/v3/statuses/7` → 7); undefined for none. */
export function idOfLink(link: HalLink | HalLink[] | undefined): number | undefined {
  const href = Array.isArray(link) ? link[0]?.href : link?.href;
  const m = href ? /\/(\d+)$/.exec(href) : null;
  return m ? Number(m[1]) : undefined;
}

/** A filter as the API takes it: `[{"login": {"operator": "=", "values": ["ada"]}}]`. */
export type Filter = Record<string, { operator: string; values: string[] }>;

export interface NewUser {
  login: string;
  firstName: string;
  lastName: string;
  email: string;
  /** `invited` (OpenProject mails an invitation to set a password) or `active` with a password. */
  status?: 'invited' | 'active';
  customFields?: Record<string, string>;
}

export class OpenProjectClient {
  readonly baseUrl: string;
  private readonly budget: RequestBudget;
  private readonly doFetch: typeof fetch;

  constructor(private readonly options: OpenProjectClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    const perMinute = options.requestsPerMinute ?? DEFAULT_OPENPROJECT_REQUESTS_PER_MINUTE;
    this.budget = options.budget ?? providerBucket('openproject', perMinute, { account: this.baseUrl, named: true });
    this.doFetch = options.fetch ?? globalThis.fetch;
  }

  /** The same client whose requests take from the budget as the step they serve. */
  withPriority(priority: RequestPriority | undefined): OpenProjectClient {
    return priority === this.options.priority ? this : new OpenProjectClient({ ...this.options, budget: this.budget, priority });
  }

  /** One call: the parsed HAL body on 2xx (undefined for 204), else an OpenProjectApiError. */
  async call<T>(operation: string, method: string, path: string, body?: unknown): Promise<T> {
    const authorization = openProjectAuthorization(await this.options.apiToken());
    const maxRetries = this.options.maxRetries ?? 2;
    const maxWaitMs = this.options.maxInlineWaitMs ?? DEFAULT_INLINE_WAIT_MS;
    for (let attempt = 0; ; attempt++) {
      await this.budget.take(this.options.priority);
      const res = await this.doFetch(`${this.baseUrl}${API}${path}`, {
        method,
        headers: { Authorization: authorization, Accept: 'application/hal+json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const retryAfter = retryAfterOf(res);
      if (res.status === 429 && attempt < maxRetries && (retryAfter ?? 1) * 1000 <= maxWaitMs) {
        await res.text().catch(() => '');
        await sleep((retryAfter ?? 1) * 1000);
        continue;
      }
      const text = await res.text();
      if (res.ok) return (text ? JSON.parse(text) : undefined) as T;
      throw apiError(operation, res.status, text, retryAfter, res.statusText);
    }
  }

  /** Every element of a collection, page by page (`offset` is the page number, from 1). */
  async all<T>(operation: string, path: string, query: Record<string, string> = {}): Promise<T[]> {
    const out: T[] = [];
    for (let page = 1; ; page++) {
      const q = new URLSearchParams({ ...query, pageSize: String(OPENPROJECT_PAGE_SIZE), offset: String(page) });
      const got = await this.call<HalCollection<T>>(operation, 'GET', `${path}?${q}`);
      const elements = got._embedded?.elements ?? [];
      out.push(...elements);
      if (elements.length < OPENPROJECT_PAGE_SIZE || out.length >= got.total) return out;
    }
  }

  // ---- users ----

  /** One user; undefined when OpenProject has none (404 NotFound). */
  async getUser(id: number): Promise<OpenProjectUser | undefined> {
    try {
      return await this.call<OpenProjectUser>(`get user ${id}`, 'GET', `/users/${id}`);
    } catch (err) {
      if (err instanceof OpenProjectApiError && err.notFound) return undefined;
      throw err;
    }
  }

  /** The users matching the filters (login, status, name: first or last name or email containing the value). */
  usersWhere(filters: Filter[], label = 'list users'): Promise<OpenProjectUser[]> {
    return this.all<OpenProjectUser>(label, '/users', filters.length ? { filters: JSON.stringify(filters) } : {});
  }

  /**
   * Every user, a page at a time (GET /users, `pageSize` a page, `offset` the page number from 1), sorted by id so a
   * user made during the read lands on a later page rather than shifting one already read. Ends at the collection's
   * `total` or a short page, so a read of whole pages sends no call for an empty one. Each page answered is yielded,
   * an empty one too (one call each).
   */
  async *userPages(pageSize = OPENPROJECT_PAGE_SIZE): AsyncGenerator<OpenProjectUser[]> {
    let seen = 0;
    for (let page = 1; ; page++) {
      const q = new URLSearchParams({ pageSize: String(pageSize), offset: String(page), sortBy: JSON.stringify([['id', 'asc']]) });
      const got = await this.call<HalCollection<OpenProjectUser>>(`list users (page ${page})`, 'GET', `/users?${q}`);
      const elements = got._embedded?.elements ?? [];
      seen += elements.length;
      yield elements;
      if (elements.length < pageSize || seen >= got.total) return;
    }
  }

  /** The user with this login (logins are unique, compared without case). */
  async userByLogin(login: string): Promise<OpenProjectUser | undefined> {
    const found = await this.usersWhere([{ login: { operator: '=', values: [login] } }], `find user ${login}`);
    return found.find((u) => u.login.toLowerCase() === login.toLowerCase());
  }

  /** The users whose email is this address (the `name` filter searches names and emails; exact matches kept). */
  async usersByEmail(email: string): Promise<OpenProjectUser[]> {
    const found = await this.usersWhere([{ name: { operator: '~', values: [email] } }], `find users at ${email}`);
    return found.filter((u) => u.email?.toLowerCase() === email.toLowerCase());
  }

  /** POST /users: `invited` makes OpenProject mail the person an invitation to set their password. */
  createUser(user: NewUser): Promise<OpenProjectUser> {
    return this.call<OpenProjectUser>(`create user ${user.login}`, 'POST', '/users', {
      login: user.login,
      firstName: user.firstName,
      lastName: user.lastName,
      email: user.email,
      status: user.status ?? 'invited',
      ...user.customFields,
    });
  }

  /** PATCH /users/{id}: the properties given (names, email, custom fields). */
  updateUser(id: number, patch: Record<string, unknown>): Promise<OpenProjectUser> {
    return this.call<OpenProjectUser>(`update user ${id}`, 'PATCH', `/users/${id}`, patch);
  }

  lockUser(id: number): Promise<OpenProjectUser> {
    return this.call<OpenProjectUser>(`lock user ${id}`, 'POST', `/users/${id}/lock`);
  }

  unlockUser(id: number): Promise<OpenProjectUser> {
    return this.call<OpenProjectUser>(`unlock user ${id}`, 'DELETE', `/users/${id}/lock`);
  }

  // ---- projects, types, statuses ----

  statuses(): Promise<NamedResource[]> {
    return this.all<NamedResource>('list statuses', '/statuses');
  }

  async project(idOrIdentifier: string): Promise<NamedResource | undefined> {
    try {
      return await this.call<NamedResource>(`get project ${idOrIdentifier}`, 'GET', `/projects/${encodeURIComponent(idOrIdentifier)}`);
    } catch (err) {
      if (err instanceof OpenProjectApiError && err.notFound) return undefined;
      throw err;
    }
  }

  // ---- work packages ----

  async getWorkPackage(id: number): Promise<WorkPackage | undefined> {
    try {
      return await this.call<WorkPackage>(`get work package ${id}`, 'GET', `/work_packages/${id}`);
    } catch (err) {
      if (err instanceof OpenProjectApiError && err.notFound) return undefined;
      throw err;
    }
  }

  /** POST /projects/{id}/work_packages: a work package of the type, in the status, with the description (markdown). */
  createWorkPackage(project: string, wp: { subject: string; description: string; typeId: number; statusId?: number }): Promise<WorkPackage> {
    return this.call<WorkPackage>(`create work package in project ${project}`, 'POST', `/projects/${encodeURIComponent(project)}/work_packages`, {
      subject: wp.subject,
      description: { format: 'markdown', raw: wp.description },
      _links: { type: { href: `${API}/types/${wp.typeId}` }, ...(wp.statusId !== undefined ? { status: { href: `${API}/statuses/${wp.statusId}` } } : {}) },
    });
  }

  /** PATCH /work_packages/{id} with the lockVersion read: 409 UpdateConflict when it changed since. */
  updateWorkPackage(id: number, lockVersion: number, change: { statusId?: number; description?: string }): Promise<WorkPackage> {
    return this.call<WorkPackage>(`update work package ${id}`, 'PATCH', `/work_packages/${id}?notify=false`, {
      lockVersion,
      ...(change.description !== undefined ? { description: { format: 'markdown', raw: change.description } } : {}),
      ...(change.statusId !== undefined ? { _links: { status: { href: `${API}/statuses/${change.statusId}` } } } : {}),
    });
  }

  /** POST /work_packages/{id}/activities: a comment. */
  comment(id: number, raw: string): Promise<WorkPackageActivity> {
    return this.call<WorkPackageActivity>(`comment on work package ${id}`, 'POST', `/work_packages/${id}/activities?notify=false`, { comment: { raw } });
  }

  activities(id: number): Promise<WorkPackageActivity[]> {
    return this.call<HalCollection<WorkPackageActivity>>(`list activities of work package ${id}`, 'GET', `/work_packages/${id}/activities`).then((c) => c._embedded.elements);
  }

  /** The project's work packages of any status, updated since the time given (for a poll without webhooks). */
  workPackagesOf(project: string, options: { typeId?: number; updatedSince?: string } = {}): Promise<WorkPackage[]> {
    const filters: Filter[] = [{ status: { operator: '*', values: [] } }];
    if (options.typeId !== undefined) filters.push({ type: { operator: '=', values: [String(options.typeId)] } });
    if (options.updatedSince) filters.push({ updatedAt: { operator: '<>d', values: [options.updatedSince, ''] } });
    return this.all<WorkPackage>(`list work packages of project ${project}`, `/projects/${encodeURIComponent(project)}/work_packages`, { filters: JSON.stringify(filters), sortBy: JSON.stringify([['updatedAt', 'asc']]) });
  }
}

function retryAfterOf(res: Response): number | undefined {
  const header = res.headers.get('retry-after');
  return header !== null && header !== '' && Number.isFinite(Number(header)) ? Number(header) : undefined;
}

/** OpenProject's error resource read into an OpenProjectApiError (a body that is not one: its first characters). */
export function apiError(operation: string, status: number, text: string, retryAfter: number | undefined, statusText = ''): OpenProjectApiError {
  let parsed: { _type?: string; errorIdentifier?: string; message?: string; _embedded?: { details?: { attribute?: string }; errors?: { message?: string; _embedded?: { details?: { attribute?: string } } }[] } } | undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed?._type !== 'Error') return new OpenProjectApiError(operation, status, undefined, text.slice(0, 200) || statusText, retryAfter);
  const identifier = parsed.errorIdentifier?.startsWith(ERROR_URN) ? parsed.errorIdentifier.slice(ERROR_URN.length) : parsed.errorIdentifier;
  const first = parsed._embedded?.errors?.[0];
  const attribute = parsed._embedded?.details?.attribute ?? first?._embedded?.details?.attribute;
  return new OpenProjectApiError(operation, status, identifier, parsed.message ?? '', retryAfter, attribute);
}
