/**
 * The Nextcloud client every Nextcloud action uses: the OCS Provisioning API (`/ocs/v2.php/cloud/...`, header
 * `OCS-APIRequest: true`, `format=json`, Basic auth with an admin's app password) and WebDAV reads of files
 * (`/remote.php/dav/files/{user}/{path}`). The `ocs.meta` envelope is read into NextcloudApiError (the OCS statuscode
 * and message); 429 (rate limit, brute-force protection) waits out a short Retry-After here, longer ones go back to the
 * engine. Only the base URL differs between Nextcloud and the local emulator.
 */
import { providerBucket, type RequestBudget, type RequestPriority } from '../rate-limited-fetch';

/** A user as GET /cloud/users/{userid} answers it (the fields the actions read). */
export interface NextcloudUser {
  id: string;
  enabled: boolean;
  email: string | null;
  displayname: string;
  groups: string[];
  /** The last sign-in, in milliseconds since the epoch; 0 when never. */
  lastLogin: number;
  /** `quota.quota`: bytes, or a negative number (-3) for none; some versions answer the set string ("5 GB", "none"). */
  quota: { quota?: number | string; used?: number; free?: number; total?: number; relative?: number };
  backend?: string;
  /** The groups the user is a group admin (subadmin) of. */
  subadmin?: string[];
}

/** Nextcloud answered with a failure: the HTTP status, the OCS statuscode and message, and Retry-After on a 429. */
export class NextcloudApiError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    /** `ocs.meta.statuscode`: 997 unauthorised, 998 or 404 not found, 996 server error, or the endpoint's own code (101-113). */
    readonly statuscode: number | undefined,
    readonly ocsMessage: string,
    readonly retryAfter?: number,
  ) {
    super(`Nextcloud ${operation}: ${status}${statuscode !== undefined ? ` (OCS ${statuscode})` : ''}${ocsMessage ? ` ${ocsMessage}` : ''}${retryAfter !== undefined ? ` (Retry-After ${retryAfter} s)` : ''}`);
    this.name = 'NextcloudApiError';
  }

  get notFound(): boolean {
    return this.status === 404 || this.statuscode === 998;
  }
}

export interface NextcloudClientOptions {
  /** `https://cloud.example.com` (where /ocs and /remote.php are), or the emulator's URL. */
  baseUrl: string;
  /** The admin user the app password belongs to. */
  user: string;
  /** The app password, read when first needed (a secret). */
  appPassword: () => Promise<string>;
  /** Requests a minute this process allows itself (the stage's nextcloud.requestsPerMinute). */
  requestsPerMinute?: number;
  budget?: RequestBudget;
  priority?: RequestPriority;
  fetch?: typeof fetch;
  /** A 429 whose Retry-After is at most this long is waited for and sent again here; a longer one goes to the engine. */
  maxInlineWaitMs?: number;
  maxRetries?: number;
}

export const DEFAULT_NEXTCLOUD_REQUESTS_PER_MINUTE = 300;
const DEFAULT_INLINE_WAIT_MS = 5_000;
/** Users listed a page. */
export const NEXTCLOUD_PAGE_SIZE = 100;
const OCS = '/ocs/v2.php/cloud';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function nextcloudAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

const QUOTA_UNITS: Record<string, number> = { b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4, p: 1024 ** 5, pb: 1024 ** 5 };

/**
 * A quota as Nextcloud reads it (`Util::computerFileSize`): bytes, a number with a unit among B, K(B), M(B), G(B), T(B),
 * P(B) counted in 1024s, "none" or "default"; undefined when Nextcloud refuses it. "5 GiB" is not one: Nextcloud reads
 * it as 5 bytes. A number (what GET /cloud/users/{id} answers) is bytes, a negative one unlimited.
 */
export function quotaBytes(value: string | number | undefined | null): number | 'none' | 'default' | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value < 0 ? 'none' : value;
  const v = value.trim().toLowerCase();
  if (v === 'none' || v === 'default') return v;
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtp]b?|b)$/.exec(v);
  return m ? Math.round(Number(m[1]) * QUOTA_UNITS[m[2]]) : undefined;
}

/** Nextcloud's `Util::humanFileSize`, which a quota is stored as: KB whole, MB and up to one decimal. */
function humanFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  let n = Math.round(bytes / 1024);
  if (n < 1024) return `${n} KB`;
  for (const unit of ['MB', 'GB', 'TB']) {
    n = Math.round((n / 1024) * 10) / 10;
    if (n < 1024) return `${n} ${unit}`;
  }
  return `${Math.round((n / 1024) * 10) / 10} PB`;
}

/**
 * The quota a user reads back with after PUT key=quota of this value: Nextcloud stores a size rounded as
 * humanFileSize writes it ("1500 MB" is kept as "1.5 GB"), so that is what a read-back compares with.
 */
export function quotaAsStored(value: string): number | 'none' | 'default' | undefined {
  const q = quotaBytes(value);
  return typeof q === 'number' ? quotaBytes(humanFileSize(q)) : q;
}

type Form = Record<string, string | number | readonly string[]>;

function formBody(form: Form): string {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) {
    if (Array.isArray(v)) for (const x of v) out.append(`${k}[]`, x);
    else out.append(k, String(v));
  }
  return out.toString();
}

export class NextcloudClient {
  readonly baseUrl: string;
  private readonly budget: RequestBudget;
  private readonly doFetch: typeof fetch;

  constructor(private readonly options: NextcloudClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    const perMinute = options.requestsPerMinute ?? DEFAULT_NEXTCLOUD_REQUESTS_PER_MINUTE;
    this.budget = options.budget ?? providerBucket('nextcloud', perMinute, { account: this.baseUrl, named: true });
    this.doFetch = options.fetch ?? globalThis.fetch;
  }

  /** The same client whose requests take from the budget as the step they serve. */
  withPriority(priority: RequestPriority | undefined): NextcloudClient {
    return priority === this.options.priority ? this : new NextcloudClient({ ...this.options, budget: this.budget, priority });
  }

  private async send(operation: string, method: string, path: string, init: { body?: string; contentType?: string; headers?: Record<string, string> } = {}): Promise<Response> {
    const authorization = nextcloudAuthorization(this.options.user, await this.options.appPassword());
    const maxRetries = this.options.maxRetries ?? 2;
    const maxWaitMs = this.options.maxInlineWaitMs ?? DEFAULT_INLINE_WAIT_MS;
    for (let attempt = 0; ; attempt++) {
      await this.budget.take(this.options.priority);
      const res = await this.doFetch(`${this.baseUrl}${path}`, {
        method,
        headers: { Authorization: authorization, 'OCS-APIRequest': 'true', Accept: 'application/json', ...(init.contentType ? { 'Content-Type': init.contentType } : {}), ...init.headers },
        ...(init.body !== undefined ? { body: init.body } : {}),
      });
      if (res.status !== 429) return res;
      const header = res.headers.get('retry-after');
      const retryAfter = header !== null && Number.isFinite(Number(header)) ? Number(header) : undefined;
      const waitMs = (retryAfter ?? 1) * 1000;
      if (attempt < maxRetries && waitMs <= maxWaitMs) {
        await res.text().catch(() => '');
        await sleep(waitMs);
        continue;
      }
      throw await ocsError(operation, res);
    }
  }

  /** One OCS call: the envelope's `data` when `ocs.meta.status` is ok, else a NextcloudApiError. */
  async ocs<T>(operation: string, method: string, path: string, form?: Form): Promise<T> {
    const sep = path.includes('?') ? '&' : '?';
    const res = await this.send(operation, method, `${OCS}${path}${sep}format=json`, form ? { body: formBody(form), contentType: 'application/x-www-form-urlencoded' } : {});
    const text = await res.text();
    let parsed: { ocs?: { meta?: { status?: string; statuscode?: number; message?: string }; data?: unknown } } | undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    const meta = parsed?.ocs?.meta;
    if (res.ok && meta?.status === 'ok') return parsed!.ocs!.data as T;
    if (res.ok && !meta) throw new NextcloudApiError(operation, res.status, undefined, `not an OCS answer: ${text.slice(0, 120)}`);
    throw new NextcloudApiError(operation, res.ok ? 400 : res.status, meta?.statuscode, meta?.message ?? (text.slice(0, 200) || res.statusText), retryAfterOf(res));
  }

  // ---- users ----

  /** One user; undefined when Nextcloud has none (404, OCS 998). */
  async getUser(userId: string): Promise<NextcloudUser | undefined> {
    try {
      return await this.ocs<NextcloudUser>(`get user ${userId}`, 'GET', `/users/${encodeURIComponent(userId)}`);
    } catch (err) {
      if (err instanceof NextcloudApiError && err.notFound) return undefined;
      throw err;
    }
  }

  /**
   * One page of user ids matching `search` (id, display name, email). Nextcloud answers a decimal id ("100234") as a
   * JSON number (PHP array keys): each is read back as the string it is.
   */
  async searchUsers(search: string, limit = NEXTCLOUD_PAGE_SIZE, offset = 0): Promise<string[]> {
    const q = new URLSearchParams({ search, limit: String(limit), offset: String(offset) });
    return (await this.ocs<{ users: (string | number)[] }>(`search users ${search ? JSON.stringify(search) : ''}`.trim(), 'GET', `/users?${q}`)).users.map(String);
  }

  /** Every user id, page by page (for consolidation and inactivity checks). */
  async *listUserIds(search = ''): AsyncGenerator<string> {
    for (let offset = 0; ; offset += NEXTCLOUD_PAGE_SIZE) {
      const page = await this.searchUsers(search, NEXTCLOUD_PAGE_SIZE, offset);
      yield* page;
      if (page.length < NEXTCLOUD_PAGE_SIZE) return;
    }
  }

  /**
   * Every user with its details, a page at a time (GET /cloud/users/details, `limit` and `offset`): one call a page
   * rather than one a user, for consolidation and inactivity checks. Nextcloud answers `users` as an object keyed by
   * user id (`[]`, PHP's empty array, when none); an entry with only `id` (a user its backend lost) is left out.
   */
  async *userDetailPages(pageSize = NEXTCLOUD_PAGE_SIZE, search = ''): AsyncGenerator<NextcloudUser[]> {
    for (let offset = 0; ; offset += pageSize) {
      const q = new URLSearchParams({ search, limit: String(pageSize), offset: String(offset) });
      const { users } = await this.ocs<{ users: Record<string, Partial<NextcloudUser> & { id?: string | number }> | [] }>('list user details', 'GET', `/users/details?${q}`);
      const entries = Array.isArray(users) ? [] : Object.entries(users);
      const page = entries.filter(([, u]) => typeof u.enabled === 'boolean').map(([id, u]) => ({ ...u, id: String(u.id ?? id) }) as NextcloudUser);
      if (page.length) yield page;
      if (entries.length < pageSize) return;
    }
  }

  /** Every user with its details, one by one (userDetailPages). */
  async *listUsersDetails(search = ''): AsyncGenerator<NextcloudUser> {
    for await (const page of this.userDetailPages(NEXTCLOUD_PAGE_SIZE, search)) yield* page;
  }

  /** The users whose email is this address (searched, then each read). */
  async usersByEmail(email: string): Promise<NextcloudUser[]> {
    const out: NextcloudUser[] = [];
    for await (const id of this.listUserIds(email)) {
      const user = await this.getUser(id);
      if (user?.email?.toLowerCase() === email.toLowerCase()) out.push(user);
    }
    return out;
  }

  /** The last sign-in of a user (ms since the epoch), undefined when never or when there is no such user. */
  async lastLogin(userId: string): Promise<number | undefined> {
    const user = await this.getUser(userId);
    return user && user.lastLogin > 0 ? user.lastLogin : undefined;
  }

  /** POST /users: with an email and no password Nextcloud sends the welcome mail with a link to set one. */
  async createUser(user: { userid: string; email: string; displayName?: string; groups?: readonly string[]; quota?: string; password?: string }): Promise<void> {
    const form: Form = { userid: user.userid, email: user.email };
    if (user.password) form.password = user.password;
    if (user.displayName) form.displayName = user.displayName;
    if (user.groups?.length) form.groups = user.groups;
    if (user.quota) form.quota = user.quota;
    await this.ocs(`create user ${user.userid}`, 'POST', '/users', form);
  }

  /** PUT /users/{userid} key/value: quota, email, displayname. */
  async editUser(userId: string, key: 'quota' | 'email' | 'displayname', value: string): Promise<void> {
    await this.ocs(`set ${key} of user ${userId}`, 'PUT', `/users/${encodeURIComponent(userId)}`, { key, value });
  }

  async disableUser(userId: string): Promise<void> {
    await this.ocs(`disable user ${userId}`, 'PUT', `/users/${encodeURIComponent(userId)}/disable`);
  }

  async enableUser(userId: string): Promise<void> {
    await this.ocs(`enable user ${userId}`, 'PUT', `/users/${encodeURIComponent(userId)}/enable`);
  }

  async userGroups(userId: string): Promise<string[]> {
    return (await this.ocs<{ groups: string[] }>(`list groups of user ${userId}`, 'GET', `/users/${encodeURIComponent(userId)}/groups`)).groups;
  }

  async addToGroup(userId: string, groupId: string): Promise<void> {
    await this.ocs(`add user ${userId} to group ${groupId}`, 'POST', `/users/${encodeURIComponent(userId)}/groups`, { groupid: groupId });
  }

  async removeFromGroup(userId: string, groupId: string): Promise<void> {
    await this.ocs(`remove user ${userId} from group ${groupId}`, 'DELETE', `/users/${encodeURIComponent(userId)}/groups`, { groupid: groupId });
  }

  /**
   * Whether a group of exactly this id exists: GET /groups?search= (which matches ids and display names containing
   * it), paged until found, so a check costs a request or two however many groups the server has.
   */
  async groupExists(groupId: string): Promise<boolean> {
    for (let offset = 0; ; offset += NEXTCLOUD_PAGE_SIZE) {
      const q = new URLSearchParams({ search: groupId, limit: String(NEXTCLOUD_PAGE_SIZE), offset: String(offset) });
      const { groups } = await this.ocs<{ groups: (string | number)[] }>(`search groups ${JSON.stringify(groupId)}`, 'GET', `/groups?${q}`);
      if (groups.map(String).includes(groupId)) return true;
      if (groups.length < NEXTCLOUD_PAGE_SIZE) return false;
    }
  }

  /** Every group id (GET /groups, paged). */
  async listGroups(): Promise<string[]> {
    const out: string[] = [];
    for (let offset = 0; ; offset += NEXTCLOUD_PAGE_SIZE) {
      const { groups } = await this.ocs<{ groups: string[] }>('list groups', 'GET', `/groups?limit=${NEXTCLOUD_PAGE_SIZE}&offset=${offset}`);
      out.push(...groups);
      if (groups.length < NEXTCLOUD_PAGE_SIZE) return out;
    }
  }

  // ---- WebDAV ----

  /** The file names directly in a folder of the user's files (PROPFIND Depth 1). */
  async listFolder(owner: string, folder: string): Promise<string[]> {
    const path = davPath(owner, folder);
    const res = await this.send(`list folder ${folder}`, 'PROPFIND', path, { headers: { Depth: '1' }, contentType: 'application/xml', body: '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>' });
    const text = await res.text();
    if (res.status !== 207) throw new NextcloudApiError(`list folder ${folder}`, res.status, undefined, davMessage(text), retryAfterOf(res));
    const hrefs = [...text.matchAll(/<d:response>[\s\S]*?<d:href>([^<]+)<\/d:href>([\s\S]*?)<\/d:response>/g)];
    return hrefs
      .filter(([, href, rest]) => !/<d:collection\s*\/>/.test(rest) && decodeURIComponent(href) !== decodeURIComponent(path))
      .map(([, href]) => decodeURIComponent(href.split('/').filter(Boolean).pop() ?? ''));
  }

  /** A file's text (GET). */
  async readFile(owner: string, filePath: string): Promise<string> {
    const res = await this.send(`read file ${filePath}`, 'GET', davPath(owner, filePath));
    const text = await res.text();
    if (!res.ok) throw new NextcloudApiError(`read file ${filePath}`, res.status, undefined, davMessage(text), retryAfterOf(res));
    return text;
  }
}

function davPath(owner: string, path: string): string {
  const parts = path.split('/').filter(Boolean).map(encodeURIComponent);
  return `/remote.php/dav/files/${encodeURIComponent(owner)}/${parts.join('/')}`;
}

/** Sabre's error body: `<s:message>` inside `<d:error>`. */
function davMessage(text: string): string {
  return /<s:message>([^<]*)<\/s:message>/.exec(text)?.[1] ?? text.slice(0, 200);
}

function retryAfterOf(res: Response): number | undefined {
  const header = res.headers.get('retry-after');
  return header !== null && Number.isFinite(Number(header)) ? Number(header) : undefined;
}

async function ocsError(operation: string, res: Response): Promise<NextcloudApiError> {
  const text = await res.text().catch(() => '');
  let meta: { statuscode?: number; message?: string } | undefined;
  try {
    meta = (JSON.parse(text) as { ocs?: { meta?: typeof meta } }).ocs?.meta;
  } catch {
    meta = undefined;
  }
  return new NextcloudApiError(operation, res.status, meta?.statuscode, meta?.message ?? (text.slice(0, 200) || res.statusText), retryAfterOf(res));
}

