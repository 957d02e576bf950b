/**
 * The pieces of an OAuth 2.0 authorization code sign-in with PKCE (RFC 7636) against a Cognito hosted domain, free of
 * the browser's globals so a unit test reaches them: the verifier and its S256 challenge, the state, the URLs, the
 * token request's form, and the check of what comes back on the callback.
 */

/** What the console reads from /console/config.json on AWS: the Cognito app client it signs people in with. */
export interface CognitoSettings {
  /** The hosted sign-in domain's base URL, e.g. `https://lifecycle-dev-123.auth.eu-central-1.amazoncognito.com`. */
  domain: string;
  clientId: string;
  /** `https://<console host>/console/callback`, as registered on the app client. */
  redirectUri: string;
  /** `https://<console host>/console/`, as registered on the app client's sign-out URLs. */
  signOutUri: string;
}

/** The scopes the console asks for: `openid` is the one the API's operator routes accept from a person. */
export const SIGN_IN_SCOPES = ['openid', 'email', 'profile'] as const;

/** What Web Crypto offers that sign-in needs (the browser's `crypto`, or Node's in a test). */
export interface WebCrypto {
  getRandomValues<T extends Uint8Array>(array: T): T;
  readonly subtle: { digest(algorithm: 'SHA-256', data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer> };
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** base64url without padding (RFC 7636 appendix A). */
export function base64url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let c = 0; c < chars; c++) out += BASE64URL[(n >> (18 - 6 * c)) & 63];
  }
  return out;
}

/** A fresh code verifier: 48 random bytes, 64 characters of the unreserved set (RFC 7636 asks for 43 to 128). */
export const newCodeVerifier = (crypto: WebCrypto): string => base64url(crypto.getRandomValues(new Uint8Array(48)));

/** A fresh `state`: 32 random bytes, so a callback the console did not start is told apart. */
export const newState = (crypto: WebCrypto): string => base64url(crypto.getRandomValues(new Uint8Array(32)));

/** The S256 code challenge: base64url(SHA-256(ASCII(verifier))). */
export async function codeChallengeOf(verifier: string, crypto: WebCrypto): Promise<string> {
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) throw new Error('a code verifier is 43 to 128 characters of A-Z a-z 0-9 - . _ ~');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

const withoutSlash = (url: string): string => url.replace(/\/+$/, '');

/** Where the browser goes to sign in: the hosted domain's /oauth2/authorize with the challenge and the state. */
export function authorizeUrl(settings: CognitoSettings, request: { state: string; codeChallenge: string }): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: settings.redirectUri,
    scope: SIGN_IN_SCOPES.join(' '),
    state: request.state,
    code_challenge: request.codeChallenge,
    code_challenge_method: 'S256',
  });
  return `${withoutSlash(settings.domain)}/oauth2/authorize?${query.toString()}`;
}

/** The code-for-tokens request: a public client, so client_id and the verifier travel in the form, no secret. */
export function tokenRequest(settings: CognitoSettings, grant: { code: string; codeVerifier: string }): { url: string; body: string } {
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: settings.clientId,
    code: grant.code,
    redirect_uri: settings.redirectUri,
    code_verifier: grant.codeVerifier,
  });
  return { url: `${withoutSlash(settings.domain)}/oauth2/token`, body: body.toString() };
}

/** Signing out of the hosted domain as well, so the next "Sign in" asks again; it comes back to the console. */
export function logoutUrl(settings: CognitoSettings): string {
  const query = new URLSearchParams({ client_id: settings.clientId, logout_uri: settings.signOutUri });
  return `${withoutSlash(settings.domain)}/logout?${query.toString()}`;
}

/** What the console keeps for this tab between the redirect and the callback. */
export interface PendingSignIn {
  state: string;
  codeVerifier: string;
  /** The console page to return to, below /console, e.g. `/runs?status=failed`. */
  returnTo: string;
}

export type CallbackCheck = { ok: true; code: string; codeVerifier: string; returnTo: string } | { ok: false; error: string };

/**
 * The callback's query checked against the sign-in this tab started: the hosted domain's own error is passed on, and a
 * code is accepted only with the state this tab sent (otherwise someone else's code could sign this tab in).
 */
export function checkCallback(search: string, pending: PendingSignIn | undefined): CallbackCheck {
  const query = new URLSearchParams(search);
  const error = query.get('error');
  if (error) {
    const description = query.get('error_description');
    return { ok: false, error: `the sign-in page answered ${error}${description ? `: ${description}` : ''}` };
  }
  if (!pending) return { ok: false, error: 'this tab started no sign-in (or it was already finished): sign in again' };
  const state = query.get('state');
  if (!state || state !== pending.state) return { ok: false, error: 'the sign-in answer does not belong to the sign-in this tab started (state mismatch): sign in again' };
  const code = query.get('code');
  if (!code) return { ok: false, error: 'the sign-in answer carries no authorization code: sign in again' };
  return { ok: true, code, codeVerifier: pending.codeVerifier, returnTo: pending.returnTo };
}

/** The pending sign-in as stored, or undefined when it is missing or not one. */
export function parsePending(raw: string | null): PendingSignIn | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<PendingSignIn>;
    if (typeof value.state !== 'string' || typeof value.codeVerifier !== 'string') return undefined;
    return { state: value.state, codeVerifier: value.codeVerifier, returnTo: safeReturnPath(value.returnTo) };
  } catch {
    return undefined;
  }
}

/** A return path inside the console only (`/runs`, never `//elsewhere` or a URL), and never the callback again. */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
  if (value === '/callback' || value.startsWith('/callback?')) return '/';
  return value;
}

/** The access token out of the token endpoint's answer, or why there is none (its OAuth error code). */
export function accessTokenOf(status: number, answer: unknown): { ok: true; accessToken: string } | { ok: false; error: string } {
  const a = (typeof answer === 'object' && answer !== null ? answer : {}) as Record<string, unknown>;
  if (status === 200 && typeof a.access_token === 'string' && a.access_token !== '') return { ok: true, accessToken: a.access_token };
  const error = typeof a.error === 'string' ? a.error : `HTTP ${status}`;
  const description = typeof a.error_description === 'string' ? `: ${a.error_description}` : '';
  return { ok: false, error: `the sign-in domain refused the code (${error}${description}): sign in again` };
}
