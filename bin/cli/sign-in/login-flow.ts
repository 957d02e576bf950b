/**
 * `lifecycle login`: the authorization code grant with PKCE against the stage's hosted sign-in, as `aws sso login`
 * does it. Listen on 127.0.0.1, open the authorize URL in the browser, take the one callback (its state must be
 * the one sent), trade the code and verifier for tokens, check the ID token was issued to this client for this
 * sign-in (aud, token_use, nonce), and keep the tokens in a 0600 file.
 */
import type { FetchLike } from '../io';
import { listenForCallback } from './callback-listener';
import { authorizeUrl, exchangeCode, HostedDomainRefused, type IssuedTokens } from './hosted-domain';
import { readClaims } from './jwt-claims';
import { newLoginSecrets, type LoginSecrets } from './pkce';
import { expiryOf, identityOf, type Identity } from './session';
import { writeStageSettings, writeTokens, type Env, type StageSettings, type StoredTokens } from './sign-in-files';

/** How long the listener waits for the browser to come back. */
export const LOGIN_TIMEOUT_MS = 5 * 60_000;

export interface LoginDeps {
  env: Env;
  fetch: FetchLike;
  now(): Date;
  /** Opens the URL in the user's browser; not awaited for the sign-in (the browser comes back on its own). */
  openBrowser(url: string): void | Promise<void>;
  /** Progress for the person at the terminal (stderr). */
  tell(text: string): void;
  secrets?: () => LoginSecrets;
  timeoutMs?: number;
}

export class LoginFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoginFailed';
  }
}

export interface LoginResult {
  identity: Identity;
  tokenFile: string;
}

/** The checks on what came back; each failure is a sentence for both the terminal and the browser tab. */
function checkIdToken(issued: IssuedTokens, clientId: string, nonce: string): string | undefined {
  if (!issued.idToken) return 'the token endpoint sent no ID token (is openid among the app client\'s scopes?)';
  if (!issued.refreshToken) return 'the token endpoint sent no refresh token';
  const claims = readClaims(issued.idToken);
  if (!claims) return 'the ID token is not a JWT';
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (claims.token_use !== 'id' || !audience.includes(clientId)) return `the ID token was not issued to app client ${clientId}`;
  if (claims.nonce !== nonce) return 'the ID token does not carry the nonce this login sent';
  return undefined;
}

export async function login(deps: LoginDeps, stage: string, settings: StageSettings): Promise<LoginResult> {
  const secrets = (deps.secrets ?? newLoginSecrets)();
  const listener = await listenForCallback(settings.ports, deps.timeoutMs ?? LOGIN_TIMEOUT_MS);
  try {
    const url = authorizeUrl(settings.authDomain, { clientId: settings.clientId, redirectUri: listener.redirectUri, scopes: settings.scopes, secrets });
    deps.tell(`Signing in to stage ${stage}: opening the sign-in page in your browser. If it does not open, visit:\n\n  ${url}\n\nWaiting for the browser to come back to ${listener.redirectUri} ...\n`);
    // Not awaited: the browser's round trip ends at our own listener, which is awaited next.
    void Promise.resolve()
      .then(() => deps.openBrowser(url))
      .catch((err: unknown) => deps.tell(`(could not open a browser: ${err instanceof Error ? err.message : String(err)}; open the URL above)\n`));
    const callback = await listener.next.catch((err: unknown) => {
      throw new LoginFailed(`${err instanceof Error ? err.message : String(err)}: nothing was stored`);
    });
    const refuse = (message: string): never => {
      callback.answer(false, `${message}. Nothing was stored; run lifecycle login again.`);
      throw new LoginFailed(`${message}: nothing was stored`);
    };
    // The state comes first: a callback that is not the answer to this login's request is ignored whatever it says.
    if (callback.params.get('state') !== secrets.state) refuse('the sign-in answer does not carry the state this login sent (a stale tab, or a request forged by another page)');
    const error = callback.params.get('error');
    if (error) refuse(`the sign-in page answered ${error}${callback.params.get('error_description') ? `: ${callback.params.get('error_description')}` : ''}`);
    const code = callback.params.get('code');
    if (!code) refuse('the sign-in answer carries no authorization code');

    let issued: IssuedTokens;
    try {
      issued = await exchangeCode(deps.fetch, settings.authDomain, { clientId: settings.clientId, code: code!, redirectUri: listener.redirectUri, codeVerifier: secrets.codeVerifier });
    } catch (err) {
      const said = err instanceof HostedDomainRefused ? `the token endpoint refused the code: ${err.error}${err.description ? ` (${err.description})` : ''}` : err instanceof Error ? err.message : String(err);
      return refuse(said);
    }
    const wrong = checkIdToken(issued, settings.clientId, secrets.nonce);
    if (wrong) refuse(wrong);

    const tokens: StoredTokens = {
      stage,
      authDomain: settings.authDomain,
      clientId: settings.clientId,
      idToken: issued.idToken!,
      accessToken: issued.accessToken,
      refreshToken: issued.refreshToken!,
      expiresAt: expiryOf(issued, deps.now()).toISOString(),
    };
    const tokenFile = writeTokens(deps.env, tokens);
    writeStageSettings(deps.env, stage, settings);
    const identity = identityOf(tokens, deps.now());
    callback.answer(true, `Signed in to stage ${stage} as ${identity.username}. You can close this tab and go back to the terminal.`);
    return { identity, tokenFile };
  } finally {
    await listener.close();
  }
}
