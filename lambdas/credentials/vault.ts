/** What actions get to keep an initial password sealed and hand it out once: the store, the sealer, the link tokens. */
import { createHash, randomBytes } from 'node:crypto';
import type { CredentialStore } from '../store/lifecycle-store';
import type { PasswordSealer } from './password-sealer';

export interface CredentialVault {
  store: CredentialStore;
  /** Only functions that seal or open a password are given one (KMS rights follow). */
  sealer?: PasswordSealer;
}

/** How the welcome email is sent and how long its link lives. */
export interface WelcomeEmailSettings {
  /** The mailbox the welcome email is sent as (domain-wide delegation, gmail.send). */
  sender: string;
  linkValidDays: number;
  /** The API's public base URL; the link is `<publicApiUrl>/v1/welcome/<token>`. */
  publicApiUrl(): string;
}

export const DEFAULT_LINK_VALID_DAYS = 7;
/** How long a sealed password waits for its welcome email before the record counts as expired. */
export const SEALED_VALID_DAYS = 60;
export const WELCOME_PATH = '/v1/welcome';

/** 32 random bytes, base64url: the one-time credential in the link. Never stored; only its hash is. */
export function mintRevealToken(): string {
  return randomBytes(32).toString('base64url');
}

export function revealTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A token as minted: 43 base64url characters. Anything else is not looked up at all. */
export function isWellFormedToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

export function revealUrl(publicApiUrl: string, token: string): string {
  return `${publicApiUrl.replace(/\/+$/, '')}${WELCOME_PATH}/${token}`;
}

/** A request path fit for a log line: a welcome link's token is a credential and never logged. */
export function redactedPath(path: string): string {
  return path.replace(new RegExp(`(${WELCOME_PATH}/)[^/]+`), '$1(token)');
}
