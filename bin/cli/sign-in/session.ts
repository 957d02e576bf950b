/**
 * A stage's sign-in between logins: the bearer token operator calls carry (refreshed with the refresh token when it
 * has run out or is about to), who it names, and signing out. Tokens are read from and written to the user's
 * config directory only; no message here ever holds one.
 */
import type { FetchLike } from '../io';
import { HostedDomainRefused, HostedDomainUnreachable, refreshTokens, revokeRefreshToken, type IssuedTokens } from './hosted-domain';
import { readClaims, type TokenClaims } from './jwt-claims';
import { readTokens, removeTokens, tokenFilePath, writeTokens, type Env, type StoredTokens } from './sign-in-files';

/** A token with less than this left is refreshed first: a command never starts with one about to run out. */
export const REFRESH_MARGIN_SECONDS = 300;

export interface SessionDeps {
  env: Env;
  fetch: FetchLike;
  now(): Date;
}

/** The stage has no usable sign-in: the message says to run `lifecycle login` (exit code: 2 never signed in, 1 refused). */
export class SignInNeeded extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
    this.name = 'SignInNeeded';
  }
}

export const loginLine = (stage: string) => `lifecycle login --stage ${stage}`;

/**
 * When the tokens run out: the earlier `exp` of the ID and access tokens, else `expires_in` from now. Cognito gives
 * both the same lifetime, but each client may set its own.
 */
export function expiryOf(issued: Pick<IssuedTokens, 'accessToken' | 'idToken' | 'expiresInSeconds'>, now: Date): Date {
  const exps = [issued.accessToken, issued.idToken].map((t) => (t ? readClaims(t)?.exp : undefined)).filter((e): e is number => typeof e === 'number');
  return exps.length ? new Date(Math.min(...exps) * 1000) : new Date(now.getTime() + issued.expiresInSeconds * 1000);
}

/**
 * The token for one operator call to `stage`, refreshed first when it has (nearly) run out: the access token, since
 * the API's Cognito authorizer checks scopes (an access token's `scope` holds openid), which ID tokens do not carry.
 */
export async function bearerToken(deps: SessionDeps, stage: string): Promise<string> {
  const tokens = readTokens(deps.env, stage);
  if (!tokens) throw new SignInNeeded(`not signed in to stage ${stage}: run ${loginLine(stage)}`, 2);
  const left = new Date(tokens.expiresAt).getTime() - deps.now().getTime();
  if (left > REFRESH_MARGIN_SECONDS * 1000) return tokens.accessToken;
  return (await refresh(deps, tokens)).accessToken;
}

async function refresh(deps: SessionDeps, tokens: StoredTokens): Promise<StoredTokens> {
  let issued: IssuedTokens;
  try {
    issued = await refreshTokens(deps.fetch, tokens.authDomain, { clientId: tokens.clientId, refreshToken: tokens.refreshToken });
  } catch (err) {
    if (err instanceof HostedDomainRefused) {
      throw new SignInNeeded(
        `the sign-in to stage ${tokens.stage} has ended (the sign-in domain refused the refresh token: ${err.error}); run ${loginLine(tokens.stage)} again`,
        1,
      );
    }
    if (err instanceof HostedDomainUnreachable) throw new SignInNeeded(`${err.message}; the sign-in to stage ${tokens.stage} could not be renewed`, 1);
    throw err;
  }
  if (!issued.idToken) throw new SignInNeeded(`the sign-in domain answered the refresh without an ID token; run ${loginLine(tokens.stage)} again`, 1);
  const renewed: StoredTokens = {
    ...tokens,
    idToken: issued.idToken,
    accessToken: issued.accessToken,
    // Cognito sends a new refresh token only when the client rotates them; otherwise the one we hold stays valid.
    refreshToken: issued.refreshToken ?? tokens.refreshToken,
    expiresAt: expiryOf(issued, deps.now()).toISOString(),
  };
  writeTokens(deps.env, renewed);
  return renewed;
}

export interface Identity {
  stage: string;
  username: string;
  name?: string;
  email?: string;
  groups: string[];
  expiresAt: string;
  expired: boolean;
}

/** Who the stored ID token names (its claims as issued; the API checks the signature, not this). */
export function identityOf(tokens: StoredTokens, now: Date): Identity {
  const claims: TokenClaims = readClaims(tokens.idToken) ?? {};
  return {
    stage: tokens.stage,
    username: claims['cognito:username'] ?? claims.username ?? claims.email ?? claims.sub ?? '(unknown)',
    name: claims.name,
    email: claims.email,
    groups: claims['cognito:groups'] ?? [],
    expiresAt: tokens.expiresAt,
    expired: new Date(tokens.expiresAt).getTime() <= now.getTime(),
  };
}

export type Logout = { signedIn: false } | { signedIn: true; path: string; revoked: true } | { signedIn: true; path: string; revoked: false; reason: string };

/** Revokes the refresh token at the hosted domain, then removes the token file whatever the domain answered. */
export async function logout(deps: SessionDeps, stage: string): Promise<Logout> {
  const tokens = readTokens(deps.env, stage);
  if (!tokens) return { signedIn: false };
  const path = tokenFilePath(deps.env, stage);
  try {
    await revokeRefreshToken(deps.fetch, tokens.authDomain, { clientId: tokens.clientId, refreshToken: tokens.refreshToken });
  } catch (err) {
    if (!(err instanceof HostedDomainRefused || err instanceof HostedDomainUnreachable)) throw err;
    removeTokens(deps.env, stage);
    return { signedIn: true, path, revoked: false, reason: err.message };
  }
  removeTokens(deps.env, stage);
  return { signedIn: true, path, revoked: true };
}
