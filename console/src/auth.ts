/**
 * Who is signed in. Locally the console offers the local per-group tokens (the same the banner prints); the token is
 * kept for this browser tab only (sessionStorage) and sent as a bearer token, as a Cognito access token is on AWS.
 */
export interface LocalIdentity {
  name: string;
  groups: string[];
  token: string;
}

export interface ConsoleConfig {
  auth: 'local';
  identities: LocalIdentity[];
}

const KEY = 'account-lifecycle.token';
const listeners = new Set<() => void>();

export const currentToken = (): string | null => sessionStorage.getItem(KEY);

export function signIn(token: string): void {
  sessionStorage.setItem(KEY, token);
  listeners.forEach((l) => l());
}

let reason: string | undefined;

/** Signs out; `why` is shown on the sign-in page (a 401: the token expired or is not accepted). */
export function signOut(why?: string): void {
  reason = why;
  sessionStorage.removeItem(KEY);
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
  return (await res.json()) as ConsoleConfig;
}
