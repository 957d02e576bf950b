/** What a failed Zendesk call means for a step: the message an operator reads, and whether another try can help. */
import { isRetryableStatus, ProviderError } from '../provider-error';
import { ZendeskApiError } from './zendesk-client';

/** Zendesk accepted a change but reading it back shows otherwise: retryable, the actions are idempotent. */
export class ZendeskVerificationError extends ProviderError {
  constructor(message: string, progress?: Record<string, unknown>) {
    super(message, true, undefined, progress);
    this.name = 'ZendeskVerificationError';
  }
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/** Any error out of a Zendesk call as a ProviderError: 429 and 5xx retryable, any other 4xx not; `progress` kept for the next try. */
export function zendeskProviderError(err: unknown, progress?: Record<string, unknown>): ProviderError {
  if (err instanceof ProviderError) return progress && !err.progress ? new ProviderError(err.message, err.retryable, err.providerAnswer, progress) : err;
  if (err instanceof ZendeskApiError) {
    const answer = `${err.status} ${err.error}${err.description ? `: ${err.description}` : ''}${err.details ? ` ${JSON.stringify(err.details)}` : ''}`;
    const hint = err.status === 401 ? ' (check the stage\'s Zendesk API email and token)' : err.status === 403 ? ' (the API user must be an admin)' : '';
    return new ProviderError(`${err.message}${hint}`, isRetryableStatus(err.status), answer, progress);
  }
  const code = (err as { cause?: { code?: unknown } })?.cause?.code;
  const network = typeof code === 'string' && NETWORK_CODES.has(code);
  const message = err instanceof Error ? err.message : String(err);
  // fetch failed before any answer: the request may never have reached Zendesk.
  return new ProviderError(`Zendesk: ${message}${network ? ` (${code})` : ''}`, true, undefined, progress);
}
