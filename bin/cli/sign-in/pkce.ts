/** The secrets of one sign-in (RFC 7636 PKCE with S256, plus state and nonce): random, used once, never stored. */
import { createHash, randomBytes } from 'node:crypto';

export interface LoginSecrets {
  /** 43 characters of base64url: 32 random bytes, within PKCE's 43..128 unreserved characters. */
  codeVerifier: string;
  /** BASE64URL(SHA-256(verifier)), sent with code_challenge_method=S256 (the only method Cognito takes). */
  codeChallenge: string;
  /** Sent to the authorize endpoint and expected back on the callback: a callback without it is not ours. */
  state: string;
  /** Sent to the authorize endpoint and expected in the ID token. */
  nonce: string;
}

export const codeChallengeOf = (verifier: string): string => createHash('sha256').update(verifier, 'ascii').digest('base64url');

export function newLoginSecrets(random: (size: number) => Buffer = randomBytes): LoginSecrets {
  const codeVerifier = random(32).toString('base64url');
  return { codeVerifier, codeChallenge: codeChallengeOf(codeVerifier), state: random(24).toString('base64url'), nonce: random(24).toString('base64url') };
}
