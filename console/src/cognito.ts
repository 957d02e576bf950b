/**
 * Signing a person in on AWS: the authorization code flow with PKCE against the operators' Cognito hosted sign-in.
 * "Sign in" keeps a fresh verifier and state for this tab (sessionStorage) and goes to the hosted page; it comes back
 * to /console/callback, where the code is exchanged for tokens and the access token is kept for the tab, as the
 * local token is. Nothing else is kept: no refresh token, no ID token; after the hour, "Sign in" again.
 */
import { signIn } from './auth';
import { BASE } from './router';
import {
  accessTokenOf,
  authorizeUrl,
  checkCallback,
  codeChallengeOf,
  newCodeVerifier,
  newState,
  parsePending,
  safeReturnPath,
  tokenRequest,
  type CognitoSettings,
} from './pkce';

const PENDING = 'account-lifecycle.sign-in';

/** Goes to the hosted sign-in page; `returnTo` is the console page to come back to (below /console; default this one). */
export async function startSignIn(settings: CognitoSettings, returnTo = (location.pathname.slice(BASE.length) || '/') + location.search): Promise<void> {
  const codeVerifier = newCodeVerifier(crypto);
  const state = newState(crypto);
  const codeChallenge = await codeChallengeOf(codeVerifier, crypto);
  sessionStorage.setItem(PENDING, JSON.stringify({ state, codeVerifier, returnTo: safeReturnPath(returnTo) }));
  location.assign(authorizeUrl(settings, { state, codeChallenge }));
}

/**
 * Finishes the sign-in this tab started, from the callback's query: answers the console page to go to, or throws
 * with why the sign-in failed. The pending verifier is used once, whatever the outcome.
 */
export async function finishSignIn(settings: CognitoSettings, search: string): Promise<string> {
  const pending = parsePending(sessionStorage.getItem(PENDING));
  sessionStorage.removeItem(PENDING);
  const checked = checkCallback(search, pending);
  if (!checked.ok) throw new Error(checked.error);
  const request = tokenRequest(settings, { code: checked.code, codeVerifier: checked.codeVerifier });
  let res: Response;
  try {
    res = await fetch(request.url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: request.body });
  } catch (err) {
    throw new Error(`the sign-in domain could not be reached: ${err instanceof Error ? err.message : String(err)}`);
  }
  const answer: unknown = await res.json().catch(() => undefined);
  const token = accessTokenOf(res.status, answer);
  if (!token.ok) throw new Error(token.error);
  signIn(token.accessToken);
  return checked.returnTo;
}
