/**
 * The bearer token sent to a local emulator instead of one from Google. Google knows from its own token
 * which user a call acts as and with what scopes; this token names them, so the emulator can know too.
 * Local only: a deployed function has a service account key or fails to start its Google clients.
 */
import type { GoogleCredentials } from '../../lambdas/providers/google/google-config';

export interface LocalTokenClaims {
  /** The impersonated user's address. */
  sub: string;
  scopes: string[];
}

export function localAccessToken(token: string, subject: string, scopes: readonly string[]): string {
  const claims = Buffer.from(JSON.stringify({ sub: subject, scope: scopes.join(' ') })).toString('base64url');
  return `${token}.${claims}`;
}

/** The claims of a token made by localAccessToken; undefined for any other token. */
export function readLocalAccessToken(bearer: string): LocalTokenClaims | undefined {
  const dot = bearer.lastIndexOf('.');
  if (dot < 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(bearer.slice(dot + 1), 'base64url').toString('utf8'));
    if (!parsed || typeof parsed !== 'object') return undefined;
    const { sub, scope } = parsed as { sub?: unknown; scope?: unknown };
    if (typeof sub !== 'string' || !sub) return undefined;
    return { sub, scopes: typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [] };
  } catch {
    return undefined;
  }
}

/** The credentials the Google clients use against the local emulator: each call's token names its user and scopes. */
export const LOCAL_GOOGLE_CREDENTIALS: GoogleCredentials = {
  kind: 'emulator',
  tokenFor: (subject, scopes) => localAccessToken('local', subject, scopes),
};
