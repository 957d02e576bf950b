/**
 * Who is signed in. Locally the console offers the local per-group tokens (the same the banner prints); on AWS a person
 * signs in with the operators' Cognito hosted sign-in (cognito.ts). Either token is kept for this browser tab only
 * (sessionStorage) and sent as a bearer token.
 */
import { logoutUrl, type CognitoSettings } from './pkce';

export interface LocalIdentity {
  name: string;
  groups: string[];
  token: string;
}

export interface LocalConfig {
  auth: 'local';
  identities: LocalIdentity[];
}

/** On AWS (the stack writes it beside the console): the Cognito app client the console signs people in with. */
export interface CognitoConfig extends CognitoSettings {
  auth: 'cognito';
  region: string;
}

export type ConsoleConfig = LocalConfig | CognitoConfig;

/** The settings loadConfig read, once it has. */
let loaded: ConsoleConfig | undefined;

const KEY = 'account-lifecycle.token';
const listeners = new Set<() => void>();

export const currentToken = (): string | null => sessionStorage.getItem(KEY);

export function signIn(token: string): void {
  sessionStorage.setItem(KEY, token);
  listeners.forEach((l) => l());
}

let reason: string | undefined;

/**
 * Signs out; `why` is shown on the sign-in page (a 401: the token expired or is not accepted). A person who signs out
 * on AWS leaves the hosted sign-in session too, so the next "Sign in" asks who they are; after a 401 the hosted session
 * stays, and "Sign in" brings them straight back.
 */
export function signOut(why?: string): void {
  reason = why;
  sessionStorage.removeItem(KEY);
  if (!why && loaded?.auth === 'cognito') {
    location.assign(logoutUrl(loaded));
    return;
  }
  listeners.forEach((l) => l());
}

/** Why the last sign-out happened, once. */
export function expiredOrRefused(): string | undefined {
  const r = reason;
  reason = undefined;
  return r;
}

export function onAuthChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export async function loadConfig(): Promise<ConsoleConfig> {
  const res = await fetch('/console/config.json');
  loaded = (await res.json()) as ConsoleConfig;
  return loaded;
}
