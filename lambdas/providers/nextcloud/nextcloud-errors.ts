/** What a failed Nextcloud call means for a step: the message an operator reads, and whether another try can help. */
import { isRetryableStatus, ProviderError } from '../provider-error';
import { NextcloudApiError } from './nextcloud-client';

/** Nextcloud accepted a change but reading it back shows otherwise: retryable, the actions are idempotent. */
export class NextcloudVerificationError extends ProviderError {
  constructor(message: string, progress?: Record<string, unknown>) {
    super(message, true, undefined, progress);
    this.name = 'NextcloudVerificationError';
  }
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/** Any error out of a Nextcloud call as a ProviderError: 429 and 5xx retryable, any other 4xx (an OCS failure code) not. */
export function nextcloudProviderError(err: unknown, progress?: Record<string, unknown>): ProviderError {
  if (err instanceof ProviderError) return progress && !err.progress ? new ProviderError(err.message, err.retryable, err.providerAnswer, progress) : err;
  if (err instanceof NextcloudApiError) {
    const answer = `${err.status}${err.statuscode !== undefined ? ` OCS ${err.statuscode}` : ''}${err.ocsMessage ? `: ${err.ocsMessage}` : ''}`;
    const hint = err.status === 401 || err.statuscode === 997 ? " (check the stage's Nextcloud admin user and app password; the user must be an admin)" : '';
    return new ProviderError(`${err.message}${hint}`, isRetryableStatus(err.status), answer, progress);
  }
  const code = (err as { cause?: { code?: unknown } })?.cause?.code;
  const network = typeof code === 'string' && NETWORK_CODES.has(code);
  const message = err instanceof Error ? err.message : String(err);
  return new ProviderError(`Nextcloud: ${message}${network ? ` (${code})` : ''}`, true, undefined, progress);
}
