/** What a failed OpenProject call means for a step: the message an operator reads, and whether another try can help. */
import { isRetryableStatus, ProviderError } from '../provider-error';
import { OpenProjectApiError } from './openproject-client';

/** OpenProject accepted a change but reading it back shows otherwise: retryable, the actions are idempotent. */
export class OpenProjectVerificationError extends ProviderError {
  constructor(message: string, progress?: Record<string, unknown>) {
    super(message, true, undefined, progress);
    this.name = 'OpenProjectVerificationError';
  }
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Any error out of an OpenProject call as a ProviderError: 429, 5xx and 409 UpdateConflict (read again and retry)
 * retryable; any other 4xx (a PropertyConstraintViolation, a MissingPermission) not.
 */
export function openProjectProviderError(err: unknown, progress?: Record<string, unknown>): ProviderError {
  if (err instanceof ProviderError) return progress && !err.progress ? new ProviderError(err.message, err.retryable, err.providerAnswer, progress) : err;
  if (err instanceof OpenProjectApiError) {
    const answer = `${err.status}${err.identifier ? ` ${err.identifier}` : ''}${err.attribute ? ` (${err.attribute})` : ''}${err.apiMessage ? `: ${err.apiMessage}` : ''}`;
    const hint =
      err.status === 401 ? " (check the stage's OpenProject API token)" : err.identifier === 'MissingPermission' ? ' (the API token must be an administrator’s)' : '';
    return new ProviderError(`${err.message}${hint}`, isRetryableStatus(err.status) || err.identifier === 'UpdateConflict', answer, progress);
  }
  const code = (err as { cause?: { code?: unknown } })?.cause?.code;
  const network = typeof code === 'string' && NETWORK_CODES.has(code);
  const message = err instanceof Error ? err.message : String(err);
  return new ProviderError(`OpenProject: ${message}${network ? ` (${code})` : ''}`, true, undefined, progress);
}
