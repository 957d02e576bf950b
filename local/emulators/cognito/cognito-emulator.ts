/**
 * A Cognito user pool's OAuth 2.0 endpoints as its hosted domain serves them: /oauth2/authorize (the browser is
 * taken as signed in as a configured user, so it redirects with a code at once instead of showing a form),
 * /oauth2/token (authorization_code with PKCE S256, refresh_token, client_credentials), /oauth2/revoke,
 * /oauth2/userInfo, /logout, and the pool's /.well-known/jwks.json and openid-configuration. Tokens are RS256 JWTs with
 * Cognito's claims; errors have Cognito's codes, statuses and shapes (docs: "authorization endpoint", "token
 * endpoint", "revocation endpoint" of the Cognito developer guide).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EmulatorRequest, EmulatorResponse, EmulatorRoute } from '../server';
import { SigningKey } from './cognito-jwt';

export type OAuthFlow = 'code' | 'client_credentials';

export interface CognitoAppClient {
  clientId: string;
  /** A confidential client authenticates with it (Basic header or client_secret in the body); a public one has none. */
  clientSecret?: string;
  /** Matched character for character, as Cognito does: scheme, host, port, path and trailing slash. */
  callbackUrls: string[];
  /** Where /logout may send the browser back to (the client's sign-out URLs), matched exactly as well. */
  logoutUrls?: string[];
  allowedOAuthFlows: OAuthFlow[];
  /** openid, email, phone, profile, aws.cognito.signin.user.admin and custom `<resource server>/<scope>` scopes. */
  allowedOAuthScopes: string[];
  accessTokenValiditySeconds?: number;
  idTokenValiditySeconds?: number;
  refreshTokenValiditySeconds?: number;
  /** Cognito turns token revocation on for new clients; off, /oauth2/revoke answers invalid_request. */
  enableTokenRevocation?: boolean;
}

export interface CognitoUser {
  username: string;
  sub?: string;
  email?: string;
  name?: string;
  groups: string[];
}

export interface CognitoEmulatorOptions {
  /** `<region>_<id>`, as Cognito names pools. */
  userPoolId: string;
  clients: CognitoAppClient[];
  users: CognitoUser[];
  /** The user the browser is signed in as: /oauth2/authorize approves for them. None: it sends the browser to /login. */
  signedIn?: string;
  /**
   * The `iss` of the tokens. Cognito's is `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`; by default the
   * emulator's own address plus the pool id, so `<iss>/.well-known/jwks.json` is served here as it is there.
   */
  issuer?: string;
  /** Milliseconds since the epoch; a test drives it to expire codes and tokens. */
  now?: () => number;
  key?: SigningKey;
}

const CODE_VALIDITY_SECONDS = 300;
const DEFAULT_VALIDITY = { access: 3600, id: 3600, refresh: 30 * 24 * 3600 } as const;
const OIDC_SCOPES = ['email', 'phone', 'profile'];

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  username: string;
  challenge?: string;
  nonce?: string;
  authTime: number;
  expiresAt: number;
}

interface IssuedRefreshToken {
  clientId: string;
  username: string;
  scopes: string[];
  originJti: string;
  authTime: number;
  expiresAt: number;
}

type TokenError = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_scope';

/**
 * The endpoints a single-page app calls with fetch (token, revocation, userInfo, the keys and the discovery document)
 * answer any origin, as Cognito's do: a browser app exchanges its code itself (authorization code with PKCE).
 */
const CORS_HEADERS = { 'Access-Control-Allow-Origin': '*' };

/** Cognito's token and revocation endpoints answer JSON with no-store headers. */
const JSON_HEADERS = { 'Content-Type': 'application/json;charset=UTF-8', 'Cache-Control': 'no-cache, no-store, max-age=0, must-revalidate', Pragma: 'no-cache', ...CORS_HEADERS };

/** The preflight of a cross-origin call with a Basic header or another content type. */
const PREFLIGHT: EmulatorResponse = {
  status: 204,
  headers: { ...CORS_HEADERS, 'Access-Control-Allow-Methods': 'GET, POST, OPTIONS', 'Access-Control-Allow-Headers': 'Authorization, Content-Type', 'Access-Control-Max-Age': '3600' },
  body: '',
};

function oauthError(status: number, error: string, description?: string): EmulatorResponse {
  return { status, headers: JSON_HEADERS, body: description ? { error, error_description: description } : { error } };
}

function redirect(location: string): EmulatorResponse {
  return { status: 302, headers: { Location: location, 'Content-Type': 'text/html;charset=UTF-8' }, body: '' };
}

/** The page the hosted domain shows when it cannot send the browser back to the app. */
function errorPage(status: number, error: string, description?: string): EmulatorResponse {
  const text = `An error was encountered with the requested page. (${error}${description ? `: ${description}` : ''})`;
  return { status, headers: { 'Content-Type': 'text/html;charset=UTF-8' }, body: `<!DOCTYPE html><html><body><p>${escapeHtml(text)}</p></body></html>` };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const s256 = (verifier: string) => createHash('sha256').update(verifier, 'ascii').digest('base64url');

/** A refresh token is an encrypted JWT at Cognito (five dot-separated parts, opaque to the app); here it is random. */
const opaqueRefreshToken = () => ['eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ', ...[256, 12, 512, 16].map((n) => randomBytes(n).toString('base64url'))].join('.');

const formBody = (req: EmulatorRequest) => (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');

export class CognitoEmulator {
  readonly userPoolId: string;
  readonly key: SigningKey;
  private readonly clients = new Map<string, CognitoAppClient>();
  private readonly users = new Map<string, Required<Pick<CognitoUser, 'sub'>> & CognitoUser>();
  private readonly codes = new Map<string, IssuedCode>();
  private readonly refreshTokens = new Map<string, IssuedRefreshToken>();
  private readonly revokedOrigins = new Set<string>();
  private readonly now: () => number;
  private readonly fixedIssuer?: string;
  signedIn?: string;

  constructor(options: CognitoEmulatorOptions) {
    this.userPoolId = options.userPoolId;
    for (const client of options.clients) this.clients.set(client.clientId, client);
    for (const user of options.users) this.users.set(user.username, { ...user, sub: user.sub ?? randomUUID() });
    this.signedIn = options.signedIn;
    this.now = options.now ?? Date.now;
    this.fixedIssuer = options.issuer;
    this.key = options.key ?? new SigningKey();
  }

  /** The browser's session: who /oauth2/authorize signs in, or nobody. */
  signInAs(username: string | undefined): void {
    if (username !== undefined && !this.users.has(username)) throw new Error(`no user ${username} in pool ${this.userPoolId}`);
    this.signedIn = username;
  }

  /**
   * Sets an app client's callback and sign-out URLs, as an administrator does with UpdateUserPoolClient: a console
   * served on a port chosen at start registers its own.
   */
  setClientUrls(clientId: string, urls: { callbackUrls: string[]; logoutUrls: string[] }): void {
    const client = this.clients.get(clientId);
    if (!client) throw new Error(`no app client ${clientId} in pool ${this.userPoolId}`);
    this.clients.set(clientId, { ...client, callbackUrls: [...urls.callbackUrls], logoutUrls: [...urls.logoutUrls] });
  }

  /** True once the refresh token an access or ID token came from (its origin_jti) has been revoked: a local API can refuse it then. */
  isRevoked(originJti: string): boolean {
    return this.revokedOrigins.has(originJti);
  }

  routes(): EmulatorRoute[] {
    return [
      { method: 'GET', pattern: /^\/oauth2\/authorize$/, handle: (req) => this.authorize(req) },
      { method: 'GET', pattern: /^\/logout$/, handle: (req) => this.logout(req) },
      { method: 'GET', pattern: /^\/login$/, handle: (req) => this.loginPage(req) },
      { method: 'POST', pattern: /^\/login$/, handle: (req) => this.login(req) },
      { method: 'GET', pattern: /^\/error$/, handle: (req) => errorPage(400, req.query.get('error') ?? 'unknown_error', req.query.get('error_description') ?? undefined) },
      { method: 'POST', pattern: /^\/oauth2\/token$/, handle: (req) => this.token(req) },
      { method: 'POST', pattern: /^\/oauth2\/revoke$/, handle: (req) => this.revoke(req) },
      { method: 'GET', pattern: /^\/oauth2\/userInfo$/, handle: (req) => this.userInfo(req) },
      { method: 'OPTIONS', pattern: /^\/oauth2\/(?:token|revoke|userInfo)$/, handle: () => PREFLIGHT },
      { method: 'GET', pattern: /^(?:\/[\w-]+)?\/\.well-known\/jwks\.json$/, handle: () => ({ status: 200, headers: CORS_HEADERS, body: { keys: [this.key.jwk()] } }) },
      { method: 'GET', pattern: /^(?:\/[\w-]+)?\/\.well-known\/openid-configuration$/, handle: (req) => ({ status: 200, headers: CORS_HEADERS, body: this.openIdConfiguration(req) }) },
    ];
  }

  private baseUrl(req: EmulatorRequest): string {
    return `http://${req.headers.host ?? 'localhost'}`;
  }

  issuer(req: EmulatorRequest): string {
    return this.issuerAt(this.baseUrl(req));
  }

  /** The `iss` of the tokens this pool signs when reached at `baseUrl` (the fixed issuer, when one is set). */
  issuerAt(baseUrl: string): string {
    return this.fixedIssuer ?? `${baseUrl.replace(/\/+$/, '')}/${this.userPoolId}`;
  }

  private openIdConfiguration(req: EmulatorRequest) {
    const base = this.baseUrl(req);
    const issuer = this.issuer(req);
    return {
      authorization_endpoint: `${base}/oauth2/authorize`,
      id_token_signing_alg_values_supported: ['RS256'],
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      response_types_supported: ['code', 'token'],
      revocation_endpoint: `${base}/oauth2/revoke`,
      scopes_supported: ['openid', 'email', 'phone', 'profile'],
      subject_types_supported: ['public'],
      token_endpoint: `${base}/oauth2/token`,
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      userinfo_endpoint: `${base}/oauth2/userInfo`,
    };
  }

  private authorize(req: EmulatorRequest): EmulatorResponse {
    const q = req.query;
    const client = this.clients.get(q.get('client_id') ?? '');
    // Without a known client and a registered redirect_uri there is nowhere safe to send the browser: an error page.
    if (!client) return errorPage(400, 'invalid_request', 'client_id is missing or names no app client of this pool');
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!client.callbackUrls.includes(redirectUri)) return redirect(`/error?${new URLSearchParams({ client_id: client.clientId, error: 'redirect_mismatch' })}`);

    const state = q.get('state');
    const back = (params: Record<string, string>) => {
      const url = new URL(redirectUri);
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
      if (state !== null) url.searchParams.set('state', state);
      return redirect(url.toString());
    };
    const responseType = q.get('response_type');
    if (responseType !== 'code' && responseType !== 'token') return back({ error: 'invalid_request' });
    if (responseType === 'token' || !client.allowedOAuthFlows.includes('code')) return back({ error: 'unauthorized_client' });
    const challenge = q.get('code_challenge');
    const method = q.get('code_challenge_method');
    if ((challenge === null) !== (method === null) || (method !== null && method !== 'S256')) return back({ error: 'invalid_request' });

    const requested = (q.get('scope') ?? '').split(' ').filter(Boolean);
    const scopes = requested.length ? requested : client.allowedOAuthScopes;
    if (scopes.some((s) => !client.allowedOAuthScopes.includes(s))) return back({ error: 'invalid_scope' });
    if (scopes.some((s) => OIDC_SCOPES.includes(s)) && !scopes.includes('openid')) return back({ error: 'invalid_scope' });

    if (!this.signedIn) return redirect(`/login?${q}`);
    const code = randomUUID();
    this.codes.set(code, {
      clientId: client.clientId,
      redirectUri,
      scopes,
      username: this.signedIn,
      challenge: challenge ?? undefined,
      nonce: q.get('nonce') ?? undefined,
      authTime: Math.floor(this.now() / 1000),
      expiresAt: this.now() + CODE_VALIDITY_SECONDS * 1000,
    });
    return back({ code });
  }

  /**
   * The hosted sign-in page, without passwords: one button per user of the pool. It comes back to /oauth2/authorize
   * with the same query, which then answers the app with a code.
   */
  private loginPage(req: EmulatorRequest): EmulatorResponse {
    const action = `/login?${req.query.toString()}`;
    const buttons = [...this.users.values()].map(
      (u) =>
        `<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="username" value="${escapeHtml(u.username)}"><button type="submit">Sign in as ${escapeHtml(u.username)}${u.groups.length ? ` (${escapeHtml(u.groups.join(', '))})` : ''}</button></form>`,
    );
    const body = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sign in</title></head><body><main><h1>Sign in to ${escapeHtml(this.userPoolId)}</h1>${buttons.join('')}</main></body></html>`;
    return { status: 200, headers: { 'Content-Type': 'text/html;charset=UTF-8' }, body };
  }

  private login(req: EmulatorRequest): EmulatorResponse {
    const username = formBody(req) ? new URLSearchParams(req.body).get('username') : null;
    if (!username || !this.users.has(username)) return errorPage(400, 'invalid_request', 'no such user in this pool');
    this.signedIn = username;
    return redirect(`/oauth2/authorize?${req.query.toString()}`);
  }

  /**
   * The hosted domain's sign-out: the browser's session ends, and it goes back to `logout_uri` when that is one of
   * the client's sign-out URLs; otherwise to the error page, as Cognito does.
   */
  private logout(req: EmulatorRequest): EmulatorResponse {
    const client = this.clients.get(req.query.get('client_id') ?? '');
    if (!client) return errorPage(400, 'invalid_request', 'client_id is missing or names no app client of this pool');
    const logoutUri = req.query.get('logout_uri') ?? '';
    if (!(client.logoutUrls ?? []).includes(logoutUri)) return redirect(`/error?${new URLSearchParams({ client_id: client.clientId, error: 'redirect_mismatch' })}`);
    this.signedIn = undefined;
    return redirect(logoutUri);
  }

  /** Client authentication as Cognito takes it: a Basic header, or client_id (plus client_secret) in the body. */
  private authenticate(req: EmulatorRequest, form: URLSearchParams): CognitoAppClient | undefined {
    const basic = /^Basic\s+(.+)$/i.exec(String(req.headers.authorization ?? ''));
    let clientId = form.get('client_id') ?? undefined;
    let secret = form.get('client_secret') ?? undefined;
    if (basic) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return undefined;
      clientId = decodeURIComponent(decoded.slice(0, colon));
      secret = decodeURIComponent(decoded.slice(colon + 1));
    }
    const client = clientId === undefined ? undefined : this.clients.get(clientId);
    if (!client) return undefined;
    if (client.clientSecret !== undefined ? secret !== client.clientSecret : secret !== undefined) return undefined;
    return client;
  }

  private token(req: EmulatorRequest): EmulatorResponse {
    if (!formBody(req)) return oauthError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
    const form = new URLSearchParams(req.body);
    const grantType = form.get('grant_type');
    if (!grantType) return oauthError(400, 'invalid_request');
    if (!['authorization_code', 'refresh_token', 'client_credentials'].includes(grantType)) return oauthError(400, 'unsupported_grant_type');
    const client = this.authenticate(req, form);
    if (!client) return oauthError(400, 'invalid_client');
    const iss = this.issuer(req);
    const issued =
      grantType === 'authorization_code' ? this.redeemCode(client, form, iss) : grantType === 'refresh_token' ? this.redeemRefreshToken(client, form, iss) : this.clientCredentials(client, form, iss);
    if (typeof issued === 'string') return oauthError(400, issued);
    return { status: 200, headers: JSON_HEADERS, body: issued };
  }

  private redeemCode(client: CognitoAppClient, form: URLSearchParams, iss: string): TokenError | Record<string, unknown> {
    const code = form.get('code');
    const redirectUri = form.get('redirect_uri');
    if (!code || !redirectUri) return 'invalid_request';
    if (!client.allowedOAuthFlows.includes('code')) return 'unauthorized_client';
    const issued = this.codes.get(code);
    // One use: whatever happens next, this code is spent.
    this.codes.delete(code);
    if (!issued || issued.expiresAt <= this.now() || issued.clientId !== client.clientId || issued.redirectUri !== redirectUri) return 'invalid_grant';
    if (issued.challenge !== undefined) {
      const verifier = form.get('code_verifier');
      if (!verifier) return 'invalid_request';
      if (s256(verifier) !== issued.challenge) return 'invalid_grant';
    }
    const refreshToken = opaqueRefreshToken();
    const originJti = randomUUID();
    this.refreshTokens.set(refreshToken, {
      clientId: client.clientId,
      username: issued.username,
      scopes: issued.scopes,
      originJti,
      authTime: issued.authTime,
      expiresAt: this.now() + (client.refreshTokenValiditySeconds ?? DEFAULT_VALIDITY.refresh) * 1000,
    });
    return { ...this.userTokens(iss, client, issued.username, issued.scopes, originJti, issued.authTime, issued.nonce), refresh_token: refreshToken };
  }

  private redeemRefreshToken(client: CognitoAppClient, form: URLSearchParams, iss: string): TokenError | Record<string, unknown> {
    const token = form.get('refresh_token');
    if (!token) return 'invalid_request';
    if (!client.allowedOAuthFlows.includes('code')) return 'unauthorized_client';
    const issued = this.refreshTokens.get(token);
    if (!issued || issued.clientId !== client.clientId || issued.expiresAt <= this.now() || this.revokedOrigins.has(issued.originJti)) return 'invalid_grant';
    if (!this.users.has(issued.username)) return 'invalid_grant';
    // Cognito answers a refresh with new ID and access tokens and no refresh token (rotation off).
    return this.userTokens(iss, client, issued.username, issued.scopes, issued.originJti, issued.authTime);
  }

  private clientCredentials(client: CognitoAppClient, form: URLSearchParams, iss: string): TokenError | Record<string, unknown> {
    if (client.clientSecret === undefined || !client.allowedOAuthFlows.includes('client_credentials')) return 'unauthorized_client';
    const custom = client.allowedOAuthScopes.filter((s) => s.includes('/'));
    const requested = (form.get('scope') ?? '').split(' ').filter(Boolean);
    const scopes = requested.length ? requested : custom;
    if (!scopes.length || scopes.some((s) => !custom.includes(s))) return 'invalid_scope';
    const iat = Math.floor(this.now() / 1000);
    const validity = client.accessTokenValiditySeconds ?? DEFAULT_VALIDITY.access;
    const accessToken = this.key.sign({
      sub: client.clientId,
      token_use: 'access',
      scope: scopes.join(' '),
      auth_time: iat,
      iss,
      exp: iat + validity,
      iat,
      version: 2,
      jti: randomUUID(),
      client_id: client.clientId,
    });
    return { access_token: accessToken, expires_in: validity, token_type: 'Bearer' };
  }

  private userTokens(iss: string, client: CognitoAppClient, username: string, scopes: string[], originJti: string, authTime: number, nonce?: string): Record<string, unknown> {
    const user = this.users.get(username)!;
    const iat = Math.floor(this.now() / 1000);
    const accessValidity = client.accessTokenValiditySeconds ?? DEFAULT_VALIDITY.access;
    const groups = user.groups.length ? { 'cognito:groups': user.groups } : {};
    const eventId = randomUUID();
    const accessToken = this.key.sign({
      sub: user.sub,
      ...groups,
      iss,
      version: 2,
      client_id: client.clientId,
      origin_jti: originJti,
      event_id: eventId,
      token_use: 'access',
      scope: scopes.join(' '),
      auth_time: authTime,
      exp: iat + accessValidity,
      iat,
      jti: randomUUID(),
      username: user.username,
    });
    const out: Record<string, unknown> = { access_token: accessToken, expires_in: accessValidity, token_type: 'Bearer' };
    if (scopes.includes('openid')) {
      out.id_token = this.key.sign({
        sub: user.sub,
        ...groups,
        ...(scopes.includes('email') && user.email ? { email_verified: true } : {}),
        iss,
        'cognito:username': user.username,
        ...(nonce ? { nonce } : {}),
        origin_jti: originJti,
        aud: client.clientId,
        event_id: eventId,
        token_use: 'id',
        auth_time: authTime,
        ...(scopes.includes('profile') && user.name ? { name: user.name } : {}),
        exp: iat + (client.idTokenValiditySeconds ?? DEFAULT_VALIDITY.id),
        iat,
        jti: randomUUID(),
        ...(scopes.includes('email') && user.email ? { email: user.email } : {}),
      });
    }
    return out;
  }

  private revoke(req: EmulatorRequest): EmulatorResponse {
    if (!formBody(req)) return oauthError(400, 'invalid_request');
    const form = new URLSearchParams(req.body);
    const token = form.get('token');
    if (!token) return oauthError(400, 'invalid_request');
    const client = this.authenticate(req, form);
    if (!client) return oauthError(401, 'invalid_client');
    if (client.enableTokenRevocation === false) return oauthError(400, 'invalid_request');
    // An access or ID token is a three-part JWS; only refresh tokens can be revoked.
    if (token.split('.').length === 3) return oauthError(400, 'unsupported_token_type');
    const issued = this.refreshTokens.get(token);
    if (issued && issued.clientId === client.clientId) {
      this.revokedOrigins.add(issued.originJti);
      this.refreshTokens.delete(token);
    }
    // 200 with an empty body, for a revoked token and for one the pool does not know alike.
    return { status: 200, headers: JSON_HEADERS, body: '' };
  }

  private userInfo(req: EmulatorRequest): EmulatorResponse {
    const bearer = /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''));
    const claims = bearer ? this.readOwnToken(bearer[1]) : undefined;
    if (!claims || claims.token_use !== 'access' || typeof claims.username !== 'string') {
      return { status: 401, headers: { ...JSON_HEADERS, 'WWW-Authenticate': 'Bearer error="invalid_token"' }, body: { error: 'invalid_token', error_description: 'Access token is not valid' } };
    }
    const user = this.users.get(claims.username);
    if (!user) return { status: 401, headers: JSON_HEADERS, body: { error: 'invalid_token' } };
    return { status: 200, headers: JSON_HEADERS, body: { sub: user.sub, ...(user.email ? { email_verified: 'true', email: user.email } : {}), ...(user.name ? { name: user.name } : {}), username: user.username } };
  }

  /** The claims of a token this pool signed, unexpired and not revoked; undefined otherwise. */
  private readOwnToken(token: string): Record<string, unknown> | undefined {
    const claims = this.key.verify(token);
    if (!claims) return undefined;
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= this.now()) return undefined;
    if (typeof claims.origin_jti === 'string' && this.revokedOrigins.has(claims.origin_jti)) return undefined;
    return claims;
  }
}
