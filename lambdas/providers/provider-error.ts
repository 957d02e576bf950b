/** What a failed provider call means for a step: a provider error says whether another try can help. */

/** A provider answered with an error; `retryable` says whether another try can help. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly providerAnswer?: string,
    /** What the next attempt must know: a snapshot taken before the removal that failed. */
    readonly progress?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/** 408, 429 and 5xx may pass; any other 4xx will answer the same again. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
