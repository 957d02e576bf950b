/** Google's JSON error body, byte for byte in shape, so the real clients raise the GaxiosError they would raise against Google. */
import type { ErrorShape } from '../faults';
import type { EmulatorResponse } from '../server';

/** The canonical status Google names next to each HTTP code (a reason can refine it, e.g. failedPrecondition). */
const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  412: 'FAILED_PRECONDITION',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** The reason Google most often sends with each code, used when a fault rule names none. */
const DEFAULT_REASONS: Record<number, string> = {
  400: 'badRequest',
  401: 'authError',
  403: 'forbidden',
  404: 'notFound',
  409: 'duplicate',
  412: 'conditionNotMet',
  429: 'rateLimitExceeded',
  500: 'backendError',
  502: 'backendError',
  503: 'backendError',
  504: 'backendError',
};

export interface ErrorDetail {
  location?: string;
  locationType?: string;
}

export function googleErrorBody(status: number, message: string, reason?: string, detail: ErrorDetail = {}) {
  const why = reason ?? DEFAULT_REASONS[status] ?? 'backendError';
  const statusName = why === 'failedPrecondition' ? 'FAILED_PRECONDITION' : (STATUS_NAMES[status] ?? 'UNKNOWN');
  return {
    error: {
      code: status,
      message,
      errors: [{ message, domain: 'global', reason: why, ...detail }],
      status: statusName,
    },
  };
}

/** The FaultInjector renders injected failures and quota refusals through this. */
export const googleErrorShape: ErrorShape = (status, message, reason) => ({ status, body: googleErrorBody(status, message, reason) });

/** Thrown by handlers; the route wrapper turns it into the response, so handlers read as straight-line code. */
export class GoogleApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly reason?: string,
    readonly detail: ErrorDetail = {},
  ) {
    super(message);
  }

  toResponse(): EmulatorResponse {
    return { status: this.status, body: googleErrorBody(this.status, this.message, this.reason, this.detail) };
  }
}

/** The errors the Admin SDK, License Manager and Gmail send, with the messages they send them with. */
export const fail = {
  notFound: (param: string) => new GoogleApiError(404, `Resource Not Found: ${param}`, 'notFound'),
  orgUnitNotFound: () => new GoogleApiError(404, 'Org unit not found', 'notFound'),
  /** Gmail's wording for a missing settings entry. */
  gmailNotFound: () => new GoogleApiError(404, 'Requested entity was not found.', 'notFound'),
  duplicate: (message = 'Entity already exists.') => new GoogleApiError(409, message, 'duplicate'),
  alreadyExists: (message: string) => new GoogleApiError(409, message, 'alreadyExists'),
  invalid: (message: string) => new GoogleApiError(400, message, 'invalid'),
  invalidArgument: (message: string) => new GoogleApiError(400, message, 'invalidArgument'),
  badRequest: (message = 'Bad Request') => new GoogleApiError(400, message, 'badRequest'),
  required: (param: string) => new GoogleApiError(400, `Required parameter: ${param}`, 'required'),
  forbidden: (message = 'Not Authorized to access this resource/api') => new GoogleApiError(403, message, 'forbidden'),
  conditionNotMet: (message: string) => new GoogleApiError(412, message, 'conditionNotMet'),
  failedPrecondition: (message: string) => new GoogleApiError(400, message, 'failedPrecondition'),
  /** Drive's wording for a parameter it cannot use (a query it does not support, a bad page token). */
  invalidValue: (parameter: string) => new GoogleApiError(400, 'Invalid Value', 'invalid', { location: parameter, locationType: 'parameter' }),
  insufficientScopes: () => new GoogleApiError(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions'),
  invalidCredentials: () => new GoogleApiError(401, 'Invalid Credentials', 'authError', { location: 'Authorization', locationType: 'header' }),
};

/**
 * Google's token endpoint refusing to impersonate a user (unknown, deleted or suspended): an OAuth error body,
 * not an API one, which the client meets before its call is sent. The emulator sees no token request, so the
 * call that would have needed the token gets the refusal.
 */
export class TokenRefused extends GoogleApiError {
  constructor(description: string) {
    super(400, description, 'invalid_grant');
  }

  override toResponse(): EmulatorResponse {
    return { status: 400, body: { error: 'invalid_grant', error_description: this.message } };
  }
}

/** What Google answers when the Authorization header is missing altogether. */
export function loginRequired(): EmulatorResponse {
  return {
    status: 401,
    body: {
      error: {
        code: 401,
        message:
          'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
        errors: [{ message: 'Login Required.', domain: 'global', reason: 'required', location: 'Authorization', locationType: 'header' }],
        status: 'UNAUTHENTICATED',
      },
    },
  };
}

/** What Google answers for an Authorization header that is not a bearer token. */
export function invalidCredentials(): EmulatorResponse {
  return fail.invalidCredentials().toResponse();
}
