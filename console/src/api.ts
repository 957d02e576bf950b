/** The console's one way to the API: the signed-in person's bearer token on every call, errors with the API's own words. */
import { currentToken, signOut } from './auth';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

/** What a 4xx/5xx says, in the API's words: its error, and every field it names. */
function messageOf(status: number, body: unknown): string {
  const b = body as { error?: string; issues?: { path: string; message: string }[] } | undefined;
  const error = b?.error ?? `HTTP ${status}`;
  // The API's error usually names its fields already; the issues are added only when it does not.
  const issues = b?.issues?.filter((i) => !error.includes(i.message)).map((i) => `${i.path}: ${i.message}`).join('; ');
  return [error, issues].filter(Boolean).join(' — ');
}

type Init = { method?: 'GET' | 'POST'; body?: unknown };

/** The answer's body; a 4xx/5xx throws an ApiError in the API's words. */
export async function api<T>(path: string, init: Init = {}): Promise<T> {
  return (await request<T>(path, init)).body;
}

/** The answer with its status, where the status says something (202 accepted, 200 received already). */
export async function request<T>(path: string, init: Init = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    headers: { Authorization: `Bearer ${currentToken() ?? ''}`, ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const body: unknown = await res.json().catch(() => undefined);
  if (res.status === 401) signOut('Your sign-in was not accepted or has expired: sign in again.');
  if (!res.ok) throw new ApiError(res.status, messageOf(res.status, body), body);
  return { status: res.status, body: body as T };
}
