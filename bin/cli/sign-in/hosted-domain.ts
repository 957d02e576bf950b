/**
 * The CLI's side of a Cognito hosted domain's OAuth 2.0 endpoints: the authorize URL it opens in the browser, and
 * the form posts to /oauth2/token (code for tokens, refresh) and /oauth2/revoke. The app client is public (no
 * secret), so client_id travels in the body, as Cognito asks of public clients.
 */
import * as z from '../../../lambdas/shared/zod';
import { isLoopback } from '../api-client';
import { messageOf, type FetchLike } from '../io';
import type { LoginSecrets } from './pkce';

const REQUEST_TIMEOUT_MS = 30_000;

const tokenAnswer = z.looseObject({
  access_token: z.string(),
  id_token: z.optional(z.string()),
  refresh_token: z.optional(z.string()),
  expires_in: z.number(),
  token_type: z.string(),
});

const errorAnswer = z.looseObject({ error: z.string(), error_description: z.optional(z.string()) });

export interface IssuedTokens {
  accessToken: string;
  idToken?: string;
  refreshToken?: string;
  expiresInSeconds: number;
}

/** The hosted domain said no: its OAuth error code (invalid_grant, invalid_client, …) and HTTP status. */
export class HostedDomainRefused extends Error {
  constructor(
    readonly endpoint: string,
    readonly status: number,
    readonly error: string,
    readonly description?: string,
  ) {
    super(`${endpoint} refused: HTTP ${status} ${error}${description ? ` (${description})` : ''}`);
    this.name = 'HostedDomainRefused';
  }
}

export class HostedDomainUnreachable extends Error {
  constructor(url: string, reason: string) {
    super(`cannot reach the sign-in domain at ${url}: ${reason}`);
    this.name = 'HostedDomainUnreachable';
  }
}

export type DomainCheck = { ok: true; url: string } | { ok: false; error: string };

/**
 * The hosted domain as typed (`https://lifecycle-dev.auth.eu-central-1.amazoncognito.com`, or the bare host name),
 * reduced to its origin. https only, except for an emulator on this machine: the tokens come back over it.
 */
export function checkAuthDomain(raw: string): DomainCheck {
  const hint = 'such as https://lifecycle-dev.auth.eu-central-1.amazoncognito.com (the Core stack output OperatorSignInUrl)';
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    return { ok: false, error: `--auth-domain must be the user pool's hosted domain, ${hint}; got "${raw}"` };
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url))) {
    return { ok: false, error: `--auth-domain must be an https URL (plain http only for an emulator on this machine), ${hint}; got "${raw}"` };
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username) {
    return { ok: false, error: `--auth-domain is the hosted domain alone, with no path or query, ${hint}; got "${raw}"` };
  }
  return { ok: true, url: url.origin };
}

/** Cognito app client ids are word characters and `+`, at most 128. */
export function checkClientId(raw: string): string | undefined {
  return /^[\w+]{1,128}$/.test(raw) ? undefined : `--client-id must be the app client id (letters, digits, _ or +; the Core stack output OperatorCliClientId); got "${raw}"`;
}

export function authorizeUrl(domain: string, request: { clientId: string; redirectUri: string; scopes: readonly string[]; secrets: LoginSecrets }): string {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    scope: request.scopes.join(' '),
    state: request.secrets.state,
    nonce: request.secrets.nonce,
    code_challenge_method: 'S256',
    code_challenge: request.secrets.codeChallenge,
  });
  return `${domain}/oauth2/authorize?${params}`;
}

async function postForm(fetchImpl: FetchLike, url: string, form: Record<string, string>): Promise<{ status: number; body: unknown }> {
  let status: number;
  let text: string;
  try {
    const response = await fetchImpl(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    status = response.status;
    text = await response.text();
  } catch (err) {
    const cause = err && typeof err === 'object' && 'cause' in err ? err.cause : undefined;
    throw new HostedDomainUnreachable(url, messageOf(cause ?? err));
  }
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status, body };
}

function refusal(endpoint: string, answer: { status: number; body: unknown }): HostedDomainRefused {
  const said = errorAnswer.safeParse(answer.body);
  return new HostedDomainRefused(endpoint, answer.status, said.success ? said.data.error : 'unexpected answer', said.success ? said.data.error_description : undefined);
}

async function requestTokens(fetchImpl: FetchLike, domain: string, form: Record<string, string>): Promise<IssuedTokens> {
  const endpoint = `${domain}/oauth2/token`;
  const answer = await postForm(fetchImpl, endpoint, form);
  if (answer.status !== 200) throw refusal(endpoint, answer);
  const parsed = tokenAnswer.safeParse(answer.body);
  if (!parsed.success) throw new HostedDomainRefused(endpoint, answer.status, 'unexpected answer', 'no access_token and expires_in in the answer');
  const t = parsed.data;
  return { accessToken: t.access_token, idToken: t.id_token, refreshToken: t.refresh_token, expiresInSeconds: t.expires_in };
}

export function exchangeCode(fetchImpl: FetchLike, domain: string, r: { clientId: string; code: string; redirectUri: string; codeVerifier: string }): Promise<IssuedTokens> {
  return requestTokens(fetchImpl, domain, { grant_type: 'authorization_code', client_id: r.clientId, code: r.code, redirect_uri: r.redirectUri, code_verifier: r.codeVerifier });
}

export function refreshTokens(fetchImpl: FetchLike, domain: string, r: { clientId: string; refreshToken: string }): Promise<IssuedTokens> {
  return requestTokens(fetchImpl, domain, { grant_type: 'refresh_token', client_id: r.clientId, refresh_token: r.refreshToken });
}

/** Revokes the refresh token and every access and ID token issued from it. */
export async function revokeRefreshToken(fetchImpl: FetchLike, domain: string, r: { clientId: string; refreshToken: string }): Promise<void> {
  const endpoint = `${domain}/oauth2/revoke`;
  const answer = await postForm(fetchImpl, endpoint, { token: r.refreshToken, client_id: r.clientId });
  if (answer.status !== 200) throw refusal(endpoint, answer);
}
