/**
 * The credential a Google call carries with domain-wide delegation: the service account's key signs a JWT for the
 * impersonated user and the scopes, which Google's token endpoint exchanges for an access token. One place, used by
 * the action clients and by the deployment check that mints a token per scope.
 */
import { JWT } from 'google-auth-library';
import type { ServiceAccountKey } from './google-config';

/** Where Google exchanges signed JWTs for access tokens; the client library posts here and nowhere else. */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

export interface ServiceAccountTokenOptions {
  /** The root of another token service (an emulator's) to post the JWT to instead of Google's; only the endpoint changes. */
  tokenRoot?: string;
}

/** A client that acts as `subject` with `scopes`, its tokens minted from the service account's key. */
export function serviceAccountJwt(key: ServiceAccountKey, subject: string, scopes: readonly string[], options: ServiceAccountTokenOptions = {}): JWT {
  const tokenRoot = options.tokenRoot?.replace(/\/$/, '');
  return new JWT({
    email: key.client_email,
    key: key.private_key,
    scopes: [...scopes],
    subject,
    ...(tokenRoot
      ? {
          transporterOptions: {
            fetchImplementation: (input: string | URL | Request, init?: RequestInit) => {
              const url = String(input instanceof Request ? input.url : input);
              return fetch(url.startsWith(GOOGLE_TOKEN_URL) ? `${tokenRoot}/token${url.slice(GOOGLE_TOKEN_URL.length)}` : input, init);
            },
          },
        }
      : {}),
  });
}

/** Asks Google for one access token for `subject` with exactly `scopes`: succeeds only if the delegation grants them all. */
export async function mintAccessToken(key: ServiceAccountKey, subject: string, scopes: readonly string[], options: ServiceAccountTokenOptions = {}): Promise<void> {
  const jwt = serviceAccountJwt(key, subject, scopes, options);
  const { token } = await jwt.getAccessToken();
  if (!token) throw new Error('the token endpoint answered without an access token');
}
