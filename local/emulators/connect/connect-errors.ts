/** Amazon Connect's error wire format (restJson1), so the real SDK names each error as AWS would. */
import { randomUUID } from 'node:crypto';
import type { ErrorShape } from '../faults';
import type { EmulatorResponse } from '../server';

/** The Connect exceptions the emulated operations answer with, and the HTTP status of each in the SDK's model. */
export const CONNECT_ERROR_STATUS = {
  InvalidParameterException: 400,
  InvalidRequestException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  DuplicateResourceException: 409,
  ResourceConflictException: 409,
  ThrottlingException: 429,
  LimitExceededException: 429,
  InternalServiceException: 500,
} as const;

export type ConnectErrorName = keyof typeof CONNECT_ERROR_STATUS;

/** Thrown by the emulator's operations; the routes turn it into a Connect error response. */
export class ConnectApiError extends Error {
  constructor(
    readonly errorName: ConnectErrorName,
    message: string,
    readonly status: number = CONNECT_ERROR_STATUS[errorName],
  ) {
    super(message);
    this.name = errorName;
  }
}

/**
 * The SDK reads the error code from the `x-amzn-ErrorType` header first (then body `code`, then
 * `__type`) and the message from the body's `Message`, so both go where the real service puts them.
 */
export function connectErrorResponse(name: ConnectErrorName, message: string, status: number = CONNECT_ERROR_STATUS[name]): EmulatorResponse {
  return {
    status,
    headers: { 'x-amzn-ErrorType': name, 'x-amzn-RequestId': randomUUID() },
    body: { Message: message },
  };
}

function isConnectErrorName(value: string | undefined): value is ConnectErrorName {
  return value !== undefined && Object.prototype.hasOwnProperty.call(CONNECT_ERROR_STATUS, value);
}

/** The exception Connect answers with for an HTTP status, when a fault rule names none. */
function errorNameForStatus(status: number): ConnectErrorName {
  if (status === 429) return 'ThrottlingException';
  if (status === 404) return 'ResourceNotFoundException';
  if (status === 403) return 'AccessDeniedException';
  if (status === 409) return 'ResourceConflictException';
  if (status >= 500) return 'InternalServiceException';
  return 'InvalidRequestException';
}

/**
 * Fault injection's renderer. A rule may name a Connect exception as its reason; any other reason
 * (the shared quota says `rateLimitExceeded`, Google's word) is ignored and the status decides, so a
 * quota 429 reaches the SDK as ThrottlingException and its retry strategy treats it as throttling.
 */
export const connectErrorShape: ErrorShape = (status, message, reason) =>
  connectErrorResponse(isConnectErrorName(reason) ? reason : errorNameForStatus(status), message, status);
