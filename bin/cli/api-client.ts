/** HTTP to the lifecycle API: signs HR events with the shared HMAC scheme and sends operator calls with the bearer token. */
import { LOCAL_API_URL, LOCAL_DEFAULTS } from '../../config/local-defaults';
import { ENV } from '../../lambdas/shared/env-names';
import { signedHeaders } from '../../lambdas/http/signature';
import { messageOf } from './io';

/** The part of fetch the client uses: the global fetch fits, and so does a few-line fake in a test. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<{ status: number; text(): Promise<string> }>;

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
  hmacSecret: string;
  operatorToken: string;
}

export type ConfigCheck = { ok: true; config: ApiConfig } | { ok: false; error: string };

/** Reads the API location and credentials from the environment, falling back to the local runtime's defaults. */
export function apiConfigFromEnv(env: Readonly<Record<string, string | undefined>>): ConfigCheck {
  const raw = env[ENV.apiUrl] || CLI_DEFAULTS.apiUrl;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, error: `${ENV.apiUrl} must be an http(s) URL such as ${CLI_DEFAULTS.apiUrl}, got "${raw}"` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, error: `${ENV.apiUrl} must be an http(s) URL such as ${CLI_DEFAULTS.apiUrl}, got "${raw}"` };
  }
  return {
    ok: true,
    config: {
      // Kept as typed (minus trailing slashes) so messages show the URL the admin configured.
      baseUrl: raw.replace(/\/+$/, ''),
      hmacSecret: env[ENV.hmacSecret] || CLI_DEFAULTS.hmacSecret,
      operatorToken: env[ENV.operatorToken] || CLI_DEFAULTS.operatorToken,
    },
  };
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
    return {
      method: 'POST',
      url: `${this.config.baseUrl}/v1/events`,
      headers: { 'Content-Type': 'application/json', ...signedHeaders(this.config.hmacSecret, body, this.nowSeconds()) },
      body,
    };
  }

  sendEvent(body: string): Promise<ApiAnswer> {
    const signed = this.signEvent(body);
    return this.request(signed.method, signed.url, signed.headers, signed.body);
  }

  /** An operator call; path segments are the caller's to encode. */
  operator(method: 'GET' | 'POST', path: string, query: Record<string, string | undefined> = {}, body?: unknown): Promise<ApiAnswer> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, v);
    const qs = params.toString();
    const headers: Record<string, string> = { Authorization: `Bearer ${this.config.operatorToken}`, Accept: 'application/json' };
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
