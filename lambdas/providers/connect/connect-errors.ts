/** What a failed Connect call means for a step: the message an operator reads, and whether another try can help. */

/** A Connect call that failed, with what we were doing; the SDK's error is the cause. */
export class ConnectCallError extends Error {
  constructor(
    readonly operation: string,
    readonly cause: unknown,
  ) {
    super(`Connect ${operation}: ${describe(cause).answer}`);
    this.name = 'ConnectCallError';
  }
}

/**
 * Connect accepted a change but reading it back shows otherwise. Retryable: the action is
 * idempotent, and a read shortly after a write may still see the old state.
 */
export class ConnectVerificationError extends Error {
  constructor(
    message: string,
    /** What the agent looked like before the change, when there was one, so it is not lost. */
    readonly snapshot?: unknown,
  ) {
    super(message);
    this.name = 'ConnectVerificationError';
  }
}

export interface ConnectProviderFailure {
  message: string;
  retryable: boolean;
  /** The service's own words: status, exception name, message, request id. */
  providerAnswer: string;
}

/** Exceptions a later try can get past. */
const RETRYABLE_NAMES = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'InternalServiceException',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);

/**
 * Answered with 429 but not a rate: Connect's LimitExceededException means a quota (users per
 * instance) is used up, which no retry fixes; an operator has to.
 */
const QUOTA_NAMES = new Set(['LimitExceededException', 'ServiceQuotaExceededException']);

/** Node's socket errors: the request may never have reached Connect. */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

interface SdkErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $retryable?: unknown;
}

function describe(err: unknown): { name: string; status?: number; code?: string; answer: string; sdk: SdkErrorLike } {
  const sdk: SdkErrorLike = typeof err === 'object' && err !== null ? (err as SdkErrorLike) : {};
  const name = typeof sdk.name === 'string' ? sdk.name : 'Error';
  const message = typeof sdk.message === 'string' ? sdk.message : String(err);
  const status = sdk.$metadata?.httpStatusCode;
  const code = typeof sdk.code === 'string' ? sdk.code : undefined;
  const requestId = sdk.$metadata?.requestId;
  const answer = `${status !== undefined ? `${status} ` : ''}${name}${code && code !== name ? ` (${code})` : ''}: ${message}${requestId ? ` [request ${requestId}]` : ''}`;
  return { name, status, code, answer, sdk };
}

function isRetryable(err: unknown): boolean {
  if (err instanceof ConnectVerificationError) return true;
  const { name, status, code, sdk } = describe(err);
  if (QUOTA_NAMES.has(name)) return false;
  if (RETRYABLE_NAMES.has(name)) return true;
  if (code !== undefined && NETWORK_CODES.has(code)) return true;
  if (status !== undefined) return status === 429 || status >= 500;
  // The SDK marks some errors it knows to be transient (clock skew corrected, ...) this way.
  return Boolean(sdk.$retryable);
}

/** Maps any error out of the Connect helpers (or the SDK directly) to a step failure. */
export function connectErrorToProviderFailure(err: unknown): ConnectProviderFailure {
  const cause = err instanceof ConnectCallError ? err.cause : err;
  const { answer } = describe(cause);
  const message = err instanceof ConnectCallError ? err.message : `Connect: ${answer}`;
  return { message, retryable: isRetryable(cause), providerAnswer: answer };
}
