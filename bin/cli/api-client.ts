/** HTTP to the lifecycle API: signs HR events with the HR key and sends operator calls with the bearer token. */
import { LOCAL_API_URL, LOCAL_DEFAULTS } from '../../config/local-defaults';
import { ENV } from '../../lambdas/shared/env-names';
import { HR_PURPOSE, parseKeyRing, signedHeaders } from '../../lambdas/http/signature';
import { messageOf, type FetchLike } from './io';

/** The local runtime's defaults, so `npm start` and the CLI agree with no setup. */
export const CLI_DEFAULTS = {
  apiUrl: LOCAL_API_URL,
  hmacSecret: LOCAL_DEFAULTS.hmacSecret,
  operatorToken: LOCAL_DEFAULTS.operatorToken,
} as const;

/** A server that accepts the connection but never answers must not hang an admin's terminal. */
const REQUEST_TIMEOUT_MS = 30_000;

export interface ApiConfig {
  baseUrl: string;
  /** The current version of the HR key; absent when the command sends no event. */
  hmacSecret?: string;
  /** The bearer token of each operator call (a fixed token, or the stage's sign-in, refreshed when due); absent when the command makes none. */
  bearer?: () => Promise<string>;
}

/** A stage signed in with `lifecycle login`: its API URL and its tokens take the place of the environment's token. */
export interface SignedInStage {
  stage: string;
  apiUrl: string;
  bearer: () => Promise<string>;
}

export type ConfigCheck = { ok: true; config: ApiConfig } | { ok: false; error: string };

/** What a command sends: signed HR events, or operator calls with the bearer token. */
export type ApiUse = 'events' | 'operator';

/** localhost, 127.0.0.0/8 or ::1: an API on this machine, the only one the local defaults are meant for. */
export function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  // URL has already normalised IPv4 forms such as 127.1 to 127.0.0.1.
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Reads the API location and the credential `use` needs from the environment. The local runtime's defaults fill
 * in only for an API on this machine: anywhere else a missing credential is an error, not a guess sent to a server.
 */
export function apiConfigFromEnv(env: Readonly<Record<string, string | undefined>>, use: ApiUse = 'operator', signedIn?: SignedInStage): ConfigCheck {
  const raw = env[ENV.apiUrl] || signedIn?.apiUrl || CLI_DEFAULTS.apiUrl;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, error: `${ENV.apiUrl} must be an http(s) URL such as ${CLI_DEFAULTS.apiUrl}, got "${raw}"` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, error: `${ENV.apiUrl} must be an http(s) URL such as ${CLI_DEFAULTS.apiUrl}, got "${raw}"` };
  }
  // Kept as typed (minus trailing slashes) so messages show the URL the admin configured.
  const baseUrl = raw.replace(/\/+$/, '');
  const local = isLoopback(url);
  const notLocal = (name: string) =>
    `${name} is not set, and the npm start default is used only for an API on this machine (localhost, 127.0.0.0/8, ::1), which ${baseUrl} is not: set ${name} for that API`;
  if (use === 'events') {
    const given = env[ENV.hmacSecret];
    if (!given && !local) return { ok: false, error: notLocal(ENV.hmacSecret) };
    try {
      // The value may be the secret as stored ({"current","previous"}): events are signed with the current version.
      return { ok: true, config: { baseUrl, hmacSecret: given ? parseKeyRing(given, ENV.hmacSecret).current : CLI_DEFAULTS.hmacSecret } };
    } catch (err) {
      return { ok: false, error: messageOf(err) };
    }
  }
  if (url.protocol === 'http:' && !local) {
    return { ok: false, error: `refusing to send the operator token over plain http to ${url.host}: use https:// (plain http is for an API on this machine only)` };
  }
  if (signedIn) return { ok: true, config: { baseUrl, bearer: signedIn.bearer } };
  const token = env[ENV.operatorToken];
  if (!token && !local) return { ok: false, error: `${notLocal(ENV.operatorToken)}, or sign in to its stage: lifecycle login --stage <stage>` };
  const fixed = token || CLI_DEFAULTS.operatorToken;
  return { ok: true, config: { baseUrl, bearer: async () => fixed } };
}

export interface ApiAnswer {
  status: number;
  ok: boolean;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  body: unknown;
  /** The body as received, for --json and for answers that are not JSON. */
  text: string;
}

/** The API could not be reached at all: no HTTP status to report. */
export class ApiUnreachable extends Error {
  constructor(
    readonly baseUrl: string,
    readonly reason: string,
  ) {
    super(`cannot reach the API at ${baseUrl}: ${reason} (is npm start running?)`);
    this.name = 'ApiUnreachable';
  }
}

/** A signed POST /v1/events, built but not sent: what --dry-run shows. */
export interface SignedRequest {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  body: string;
}

function reasonOf(err: unknown): string {
  const name = err && typeof err === 'object' && 'name' in err ? err.name : undefined;
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  // Node's fetch says only "fetch failed"; the cause holds the useful part (connect ECONNREFUSED 127.0.0.1:3000).
  const cause = err && typeof err === 'object' && 'cause' in err ? err.cause : undefined;
  return cause ? messageOf(cause) : messageOf(err);
}

export class ApiClient {
  constructor(
    private readonly config: ApiConfig,
    private readonly fetchImpl: FetchLike,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  get baseUrl(): string {
    return this.config.baseUrl;
  }

  /** Signs the exact bytes that will be sent: the server verifies the raw body, so it must not be re-serialized after this. */
  signEvent(body: string): SignedRequest {
    if (!this.config.hmacSecret) throw new Error(`${ENV.hmacSecret} is needed to sign events`);
    return {
      method: 'POST',
      url: `${this.config.baseUrl}/v1/events`,
      headers: { 'Content-Type': 'application/json', ...signedHeaders(this.config.hmacSecret, HR_PURPOSE, body, this.nowSeconds()) },
      body,
    };
  }

  sendEvent(body: string): Promise<ApiAnswer> {
    const signed = this.signEvent(body);
    return this.request(signed.method, signed.url, signed.headers, signed.body);
  }

  /** An operator call; path segments are the caller's to encode. */
  async operator(method: 'GET' | 'POST', path: string, query: Record<string, string | undefined> = {}, body?: unknown): Promise<ApiAnswer> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, v);
    const qs = params.toString();
    if (!this.config.bearer) throw new Error(`${ENV.operatorToken} is needed for operator calls`);
    // Asked for before each call: a signed-in stage's token is refreshed here when it has (nearly) run out.
    const token = await this.config.bearer();
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return this.request(method, `${this.config.baseUrl}${path}${qs ? `?${qs}` : ''}`, headers, body === undefined ? undefined : JSON.stringify(body));
  }

  private async request(method: string, url: string, headers: Record<string, string>, body?: string): Promise<ApiAnswer> {
    let status: number;
    let text: string;
    try {
      const response = await this.fetchImpl(url, { method, headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      status = response.status;
      text = await response.text();
    } catch (err) {
      throw new ApiUnreachable(this.config.baseUrl, reasonOf(err));
    }
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status, ok: status >= 200 && status < 300, body: parsed, text };
  }
}
