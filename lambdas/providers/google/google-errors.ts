/** Reading a Google API error: its status, reason and message, and whether a retry can help. */
import { ProviderError } from '../../actions/define-action';

interface GoogleErrorBody {
  error?: { code?: number; message?: string; errors?: { reason?: string; message?: string }[]; status?: string };
}

export interface GoogleErrorInfo {
  status?: number;
  reason?: string;
  message: string;
}

export function googleErrorInfo(err: unknown): GoogleErrorInfo {
  const e = err as { status?: number; code?: number | string; response?: { status?: number; data?: unknown }; message?: string };
  const status = e?.response?.status ?? e?.status ?? (typeof e?.code === 'number' ? e.code : undefined);
  const data = e?.response?.data as GoogleErrorBody | string | undefined;
  const body = typeof data === 'object' ? data?.error : undefined;
  return {
    status,
    reason: body?.errors?.[0]?.reason,
    message: body?.message ?? (typeof data === 'string' && data ? data.slice(0, 300) : (e?.message ?? String(err))),
  };
}

export function isGoogleNotFound(err: unknown): boolean {
  return googleErrorInfo(err).status === 404;
}

export function isGoogleConflict(err: unknown): boolean {
  return googleErrorInfo(err).status === 409;
}

/** 429, 5xx, rate-limit 403s and network failures may pass on a later try; other answers will not. */
export function isRetryableGoogleError(info: GoogleErrorInfo): boolean {
  if (info.status === undefined) return true;
  if (info.status === 429 || info.status >= 500) return true;
  return info.status === 403 && /rateLimitExceeded|userRateLimitExceeded|quotaExceeded/.test(info.reason ?? '');
}

/** Wraps a Google error with what was being done, for the audit trail and the operator alert. */
export function googleFailure(err: unknown, doing: string): ProviderError {
  const info = googleErrorInfo(err);
  const answer = `${info.status ?? 'no answer'}${info.reason ? ` ${info.reason}` : ''}: ${info.message}`;
  return new ProviderError(`${doing}: Google answered ${answer}`, isRetryableGoogleError(info), answer);
}

/** Runs a Google call, turning its failure into a ProviderError that says what was being done. */
export async function google<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw googleFailure(err, doing);
  }
}
