/**
 * What a log line may say about an error: ids and codes, never the words of a provider or an error, which may
 * name a person or an address (those go to the audit trail and the operator alert). Pure, for every caller.
 */
import type { StepError } from '../engine/model';

/** An email address anywhere in a string. */
const EMAIL = /[\w.!#$%&'*+/=?^`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
export const MASKED_EMAIL = '[email]';
export const WITHHELD = '[withheld: see the audit trail]';

/** The HTTP-like status an error carries, wherever the client library keeps it. */
function statusOf(err: Record<string, unknown>): number | undefined {
  const metadata = err.$metadata as { httpStatusCode?: unknown } | undefined;
  const response = err.response as { status?: unknown } | undefined;
  for (const candidate of [err.status, err.statusCode, metadata?.httpStatusCode, response?.status]) {
    if (typeof candidate === 'number' && Number.isInteger(candidate)) return candidate;
  }
  return undefined;
}

/** What a log line may say about a thrown value: its name, a short code and a status, never its message. */
export function errorFields(err: unknown): { errorName: string; errorCode?: string; status?: number } {
  if (!(err instanceof Error)) return { errorName: typeof err };
  const record = err as unknown as Record<string, unknown>;
  const code = typeof record.code === 'string' && /^[\w.-]{1,64}$/.test(record.code) ? record.code : undefined;
  const status = statusOf(record);
  return { errorName: err.name, ...(code ? { errorCode: code } : {}), ...(status !== undefined ? { status } : {}) };
}

/** The status at the head of a provider's answer ("403 forbidden: …", "… answered 500: …"), if there is one. */
export function answerStatus(answer: string | undefined): number | undefined {
  const match = answer ? /^(\d{3})\b/.exec(answer) ?? /\banswered (\d{3})\b/.exec(answer) : null;
  return match ? Number(match[1]) : undefined;
}

/** What a log line may say about a failed step: whether a retry can help, the provider's status, a hold's kind. */
export function stepErrorFields(error: StepError): { retryable: boolean; status?: number; hold?: string } {
  const status = answerStatus(error.providerAnswer);
  return { retryable: error.retryable, ...(status !== undefined ? { status } : {}), ...(error.hold ? { hold: error.hold } : {}) };
}

/** Masks every address in a string. */
export function maskEmails(text: string): string {
  return text.replace(EMAIL, MASKED_EMAIL);
}
