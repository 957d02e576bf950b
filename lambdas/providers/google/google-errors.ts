/** Reading a Google API error: its status, reason and message, and whether a retry can help. */
import { ProviderError } from '../provider-error';

interface GoogleErrorBody {
  error?: { code?: number; message?: string; errors?: { reason?: string; message?: string }[]; status?: string };
}

/** What Google's token endpoint answers when it will not issue a token (a user it will not let us act as, say). */
interface OAuthErrorBody {
  error?: string;
  error_description?: string;
}

export interface GoogleErrorInfo {
  status?: number;
  reason?: string;
  message: string;
}

export function googleErrorInfo(err: unknown): GoogleErrorInfo {
  const e = err as { status?: number; code?: number | string; response?: { status?: number; data?: unknown }; message?: string };
  const status = e?.response?.status ?? e?.status ?? (typeof e?.code === 'number' ? e.code : undefined);
  const data = e?.response?.data as GoogleErrorBody | OAuthErrorBody | string | undefined;
  if (typeof data === 'object' && typeof data?.error === 'string') {
    const oauth = data as OAuthErrorBody;
    return { status, reason: oauth.error, message: oauth.error_description ?? oauth.error ?? '' };
  }
  const body = typeof data === 'object' ? (data as GoogleErrorBody).error : undefined;
  return {
    status,
    reason: body?.errors?.[0]?.reason,
    message: body?.message ?? (typeof data === 'string' && data ? data.slice(0, 300) : (e?.message ?? String(err))),
  };
}

export function isGoogleNotFound(err: unknown): boolean {
  return googleErrorInfo(err).status === 404;
}

/** Directory's answer for a user asked for by id while it is held for users.undelete: 412 "User is deleted." */
export function isGoogleUserDeleted(err: unknown): boolean {
  const info = googleErrorInfo(err);
  return info.status === 412 && /^User is deleted/i.test(info.message);
}

export function isGoogleConflict(err: unknown): boolean {
  return googleErrorInfo(err).status === 409;
}

/**
 * Directory's answer to a write naming a user made moments ago by users.insert, while Google is still making it:
 * 412 "User creation is not complete." It passes on a later try ("Retrying the calls after some time can help",
 * users.insert reference, developers.google.com/admin-sdk/directory/v1/reference/users/insert).
 */
export function isGoogleCreationPending(info: GoogleErrorInfo): boolean {
  return info.status === 412 && /User creation is not complete/i.test(info.message);
}

/** 429, 5xx, rate-limit 403s, a user still being created and network failures may pass on a later try; other answers will not. */
export function isRetryableGoogleError(info: GoogleErrorInfo): boolean {
  if (info.status === undefined) return true;
  if (isGoogleCreationPending(info)) return true;
  if (info.status === 429 || info.status >= 500) return true;
  return info.status === 403 && /rateLimitExceeded|userRateLimitExceeded|quotaExceeded/.test(info.reason ?? '');
}

/** Wraps a Google error with what was being done, for the audit trail and the operator alert. */
export function googleFailure(err: unknown, doing: string): ProviderError {
  const info = googleErrorInfo(err);
  const answer = `${info.status ?? 'no answer'}${info.reason ? ` ${info.reason}` : ''}: ${info.message}`;
  const why = isGoogleCreationPending(info) ? ' (Google had not finished creating the account)' : '';
  return new ProviderError(`${doing}: Google answered ${answer}${why}`, isRetryableGoogleError(info), answer);
}

/** Runs a Google call, turning its failure into a ProviderError that says what was being done. */
export async function google<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw googleFailure(err, doing);
  }
}
