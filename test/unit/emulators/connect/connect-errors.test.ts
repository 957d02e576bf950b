/** Which Connect failures a retry can get past, from the errors' own fields (no server involved). */
import { ConnectCallError, connectErrorToProviderFailure, ConnectVerificationError } from '../../../../lambdas/providers/connect/connect-errors';

const sdkError = (name: string, status: number, message = 'it went wrong') =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status, requestId: 'req-1' } });

describe('connectErrorToProviderFailure', () => {
  it.each<[string, unknown, boolean]>([
    ['ThrottlingException', sdkError('ThrottlingException', 429), true],
    ['TooManyRequestsException', sdkError('TooManyRequestsException', 429), true],
    ['InternalServiceException', sdkError('InternalServiceException', 500), true],
    ['an unnamed 502', sdkError('Unknown', 502), true],
    ['an unnamed 429', sdkError('Unknown', 429), true],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4010'), { code: 'ECONNREFUSED' }), true],
    ['a timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' }), true],
    ['a failed read-back', new ConnectVerificationError('still there'), true],
    ['LimitExceededException (a quota, not a rate)', sdkError('LimitExceededException', 429), false],
    ['InvalidParameterException', sdkError('InvalidParameterException', 400), false],
    ['InvalidRequestException', sdkError('InvalidRequestException', 400), false],
    ['AccessDeniedException', sdkError('AccessDeniedException', 403), false],
    ['ResourceNotFoundException', sdkError('ResourceNotFoundException', 404), false],
    ['DuplicateResourceException', sdkError('DuplicateResourceException', 409), false],
    ['a programming error', new TypeError('x is undefined'), false],
    ['a thrown string', 'boom', false],
  ])('%s → retryable %s', (_what, err, retryable) => {
    expect(connectErrorToProviderFailure(err).retryable).toBe(retryable);
  });

  it('keeps what we were doing in the message and the service words in providerAnswer', () => {
    const err = new ConnectCallError('DeleteUser ada.lovelace (user u-1) in instance i-1', sdkError('AccessDeniedException', 403, 'not authorized to perform connect:DeleteUser'));
    expect(connectErrorToProviderFailure(err)).toEqual({
      message: 'Connect DeleteUser ada.lovelace (user u-1) in instance i-1: 403 AccessDeniedException: not authorized to perform connect:DeleteUser [request req-1]',
      retryable: false,
      providerAnswer: '403 AccessDeniedException: not authorized to perform connect:DeleteUser [request req-1]',
    });
  });

  it('classifies a wrapped error by its cause', () => {
    expect(connectErrorToProviderFailure(new ConnectCallError('ListUsers', sdkError('ThrottlingException', 429))).retryable).toBe(true);
  });
});
