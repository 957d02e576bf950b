/**
 * Front's Core API client (https://api2.frontapp.com, Bearer API token) every Front action uses for what SCIM does not
 * cover: teammates read by id or `alt:email:<address>`, teams (workspaces) and inboxes and their teammates. Node's
 * fetch, the company's request budget (Front limits per company, not per token: the SCIM client of the same company
 * takes from the same bucket), lists read through `_pagination.next`, and Front's error body
 * (`{"_error": {"status", "title", "message"}}`) read into a FrontApiError: 429 (with `retry-after`) and 5xx
 * retryable, any other 4xx not. Only the base URL differs between Front and the local emulator.
 */
import { isRetryableStatus, ProviderError } from '../provider-error';
import { providerBucket, rateLimitedFetch, type RateLimit, type RequestPriority } from '../rate-limited-fetch';
import { DEFAULT_ACTION_TIMEOUT_SECONDS } from '../../../config/dispatch-timing';
import { ENV } from '../../shared/env-names';

export { FRONT_API_BASE_URL, FRONT_SCIM_BASE_URL } from '../../../config/front';
/** Front's lowest plan's limit (Starter: 50 requests a minute per company); a stage names its own. */
export const DEFAULT_FRONT_REQUESTS_PER_MINUTE = 50;
/** The name the company's one request bucket goes by, shared with the SCIM client (its app is named `front`). */
export const FRONT_BUDGET_KEY = 'scim:front';

/** The action functions' timeout (the stage's actionTimeoutSeconds, given to the Front functions), else 30 s. */
export const frontActionTimeoutMs = (): number => (Number(process.env[ENV.actionTimeoutSeconds]) || DEFAULT_ACTION_TIMEOUT_SECONDS) * 1000;

/** A teammate as the Core API answers it (the fields the actions read). */
export interface FrontTeammate {
  id: string;
  email: string;
  username: string;
  first_name: string;
  last_name: string;
  is_admin: boolean;
  is_available: boolean;
  is_blocked: boolean;
  type?: string;
  custom_fields?: Record<string, unknown>;
}

export interface FrontTeamPreview {
  id: string;
  name: string;
}

export interface FrontTeam extends FrontTeamPreview {
  inboxes: FrontInbox[];
  members: FrontTeammate[];
}

export interface FrontInbox {
  id: string;
  name: string;
  /** An individual inbox (a teammate's own): its access is not a role's to give or take. */
  is_private: boolean;
  is_public?: boolean;
}

/** Front answered with an error status: its `_error`, and `retry-after` on a 429. */
export class FrontApiError extends ProviderError {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly retryAfterSeconds?: number,
  ) {
    const answer = [String(status), title, detail, retryAfterSeconds !== undefined ? `retry-after ${retryAfterSeconds}s` : undefined].filter(Boolean).join(' ');
    const hint = status === 401 ? ' (check the stage\'s Front API token)' : status === 403 ? ' (the Front API token lacks a scope: teammates:read, teams:read, teams:write, inboxes:read, inboxes:write)' : '';
    super(`Front ${operation}: ${answer}${hint}`, isRetryableStatus(status), answer);
    this.name = 'FrontApiError';
  }

  get notFound(): boolean {
    return this.status === 404;
  }
}

export interface FrontClientOptions {
  /** https://api2.frontapp.com, or the emulator's. */
  baseUrl: string;
  /** The company API token, read when first needed (a secret). */
  token: () => Promise<string>;
  requestsPerMinute?: number;
  /** Sends again of a 429 or 503 inside one call, honouring retry-after, before the step gets a retryable error. */
  rateLimit?: Partial<RateLimit>;
  priority?: RequestPriority;
  fetch?: typeof fetch;
  /** The longest one request waits for Front's limit to reset; default half the action functions' timeout. */
  maxWaitMs?: number;
  /** For tests: the clock and the wait. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** When each company's (each Core API root's) limit is spent until, from its last `x-ratelimit-*` headers or 429. */
const spentUntil = new Map<string, number>();

/** `x-ratelimit-reset` as epoch milliseconds: Front sends a UNIX timestamp (seconds; milliseconds read as such). */
export function resetAtMs(header: string | null, now: number): number | undefined {
  const value = header === null ? NaN : Number(header);
  if (!Number.isFinite(value) || value <= 0) return undefined;
  if (value > 1e12) return value;
  if (value > 1e9) return value * 1000;
  return now + value * 1000;
}

/**
 * Paces requests on Front's own headers: when an answer says none are left (`x-ratelimit-remaining: 0`) or is a 429
 * with `retry-after`, the next request waits until the window resets, if that is within `maxWaitMs`; past it, the step
 * gets a retryable error naming when, rather than outlasting its function's timeout.
 */
export function frontPacedFetch(key: string, send: typeof fetch, maxWaitMs: number, now: () => number = Date.now, sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))): typeof fetch {
  return async (input, init) => {
    const until = spentUntil.get(key) ?? 0;
    const wait = until - now();
    if (wait > maxWaitMs) throw new ProviderError(`Front's rate limit is spent until ${new Date(until).toISOString()} (x-ratelimit-reset): more than this try may wait (${Math.round(maxWaitMs / 1000)} s); the next try goes on`, true);
    if (wait > 0) await sleep(wait);
    const res = await send(input, init);
    const at = now();
    const remaining = res.headers.get('x-ratelimit-remaining');
    const retryAfter = Number(res.headers.get('retry-after'));
    const reset = resetAtMs(res.headers.get('x-ratelimit-reset'), at);
    let next: number | undefined;
    if (res.status === 429 && Number.isFinite(retryAfter) && retryAfter > 0) next = at + retryAfter * 1000;
    else if ((res.status === 429 || (remaining !== null && Number(remaining) <= 0)) && reset !== undefined) next = reset;
    if (next !== undefined && next > at) spentUntil.set(key, Math.max(spentUntil.get(key) ?? 0, next));
    return res;
  };
}

/** A teammate id, or Front's alias of one by email (`alt:email:<address>`). */
export const teammateAlias = (email: string) => `alt:email:${email.toLowerCase()}`;

export class FrontClient {
  readonly baseUrl: string;
  private readonly send: typeof fetch;

  constructor(private readonly options: FrontClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    const perMinute = options.requestsPerMinute ?? DEFAULT_FRONT_REQUESTS_PER_MINUTE;
    const limit: RateLimit = { perMinute, maxRetries: 2, baseDelayMs: 250, maxDelayMs: 5_000, ...options.rateLimit };
    const paced = frontPacedFetch(this.baseUrl, options.fetch ?? globalThis.fetch, options.maxWaitMs ?? frontActionTimeoutMs() / 2, options.now, options.sleep);
    this.send = rateLimitedFetch('front', limit, paced, providerBucket(FRONT_BUDGET_KEY, perMinute), options.priority);
  }

  /** The same client whose requests take from the budget as the step they serve (`lockout` first). */
  withPriority(priority: RequestPriority | undefined): FrontClient {
    return priority === this.options.priority ? this : new FrontClient({ ...this.options, priority });
  }

  /** One call: JSON in and out (204 answers undefined); an error status throws a FrontApiError. */
  async request<T>(operation: string, method: string, path: string, body?: unknown): Promise<T> {
    const url = path.startsWith('http') ? path : `${this.baseUrl}${path}`;
    const token = await this.options.token();
    let res: Response;
    try {
      res = await this.send(url, {
        method,
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (err) {
      if (err instanceof ProviderError) throw err;
      throw new ProviderError(`Front ${operation} did not get an answer (${err instanceof Error ? err.message : String(err)})`, true);
    }
    const text = await res.text();
    if (!res.ok) throw frontApiError(operation, res, text);
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ProviderError(`Front ${operation} answered ${res.status} with a body that is not JSON`, true);
    }
  }

  /** Every item of a list: `_results`, following `_pagination.next` where the endpoint pages. */
  async list<T>(operation: string, path: string): Promise<T[]> {
    const out: T[] = [];
    let next: string | null | undefined = path;
    while (next) {
      const page: { _results?: T[]; _pagination?: { next?: string | null } } = await this.request(operation, 'GET', next);
      out.push(...(page._results ?? []));
      next = page._pagination?.next;
    }
    return out;
  }

  private async orUndefined<T>(run: () => Promise<T>): Promise<T | undefined> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof FrontApiError && err.notFound) return undefined;
      throw err;
    }
  }

  // ---- teammates ----

  /** A teammate by id or `alt:email:` alias; undefined when Front has none. */
  teammate(idOrAlias: string): Promise<FrontTeammate | undefined> {
    return this.orUndefined(() => this.request<FrontTeammate>(`get teammate ${idOrAlias}`, 'GET', `/teammates/${encodeURIComponent(idOrAlias)}`));
  }

  async updateTeammate(id: string, changes: Partial<Pick<FrontTeammate, 'username' | 'first_name' | 'last_name' | 'is_available' | 'custom_fields'>>): Promise<void> {
    await this.request(`update teammate ${id}`, 'PATCH', `/teammates/${encodeURIComponent(id)}`, changes);
  }

  /** The inboxes the teammate has access to. */
  teammateInboxes(id: string): Promise<FrontInbox[]> {
    return this.list<FrontInbox>(`list inboxes of teammate ${id}`, `/teammates/${encodeURIComponent(id)}/inboxes`);
  }

  // ---- teams (workspaces) ----

  listTeams(): Promise<FrontTeamPreview[]> {
    return this.list<FrontTeamPreview>('list teams', '/teams');
  }

  team(id: string): Promise<FrontTeam | undefined> {
    return this.orUndefined(() => this.request<FrontTeam>(`get team ${id}`, 'GET', `/teams/${encodeURIComponent(id)}`));
  }

  async addToTeam(teamId: string, teammateIds: string[]): Promise<void> {
    await this.request(`add teammates to team ${teamId}`, 'POST', `/teams/${encodeURIComponent(teamId)}/teammates`, { teammate_ids: teammateIds });
  }

  async removeFromTeam(teamId: string, teammateIds: string[]): Promise<void> {
    await this.request(`remove teammates from team ${teamId}`, 'DELETE', `/teams/${encodeURIComponent(teamId)}/teammates`, { teammate_ids: teammateIds });
  }

  // ---- inboxes ----

  listInboxes(): Promise<FrontInbox[]> {
    return this.list<FrontInbox>('list inboxes', '/inboxes');
  }

  inboxTeammates(inboxId: string): Promise<FrontTeammate[]> {
    return this.list<FrontTeammate>(`list teammates of inbox ${inboxId}`, `/inboxes/${encodeURIComponent(inboxId)}/teammates`);
  }

  async addToInbox(inboxId: string, teammateIds: string[]): Promise<void> {
    await this.request(`add inbox access ${inboxId}`, 'POST', `/inboxes/${encodeURIComponent(inboxId)}/teammates`, { teammate_ids: teammateIds });
  }

  async removeFromInbox(inboxId: string, teammateIds: string[]): Promise<void> {
    await this.request(`remove inbox access ${inboxId}`, 'DELETE', `/inboxes/${encodeURIComponent(inboxId)}/teammates`, { teammate_ids: teammateIds });
  }
}

function frontApiError(operation: string, res: Response, text: string): FrontApiError {
  const header = res.headers.get('retry-after');
  const retryAfter = header !== null && Number.isFinite(Number(header)) ? Number(header) : undefined;
  let title = res.statusText || 'error';
  let message: string | undefined;
  try {
    const body = JSON.parse(text) as { _error?: { title?: unknown; message?: unknown } };
    if (typeof body._error?.title === 'string') title = body._error.title;
    if (typeof body._error?.message === 'string') message = body._error.message;
  } catch {
    // Not Front's error body (a proxy's page): the status and a little of the text speak.
    message = text.trim().slice(0, 200) || undefined;
  }
  return new FrontApiError(operation, res.status, title, message, retryAfter);
}
