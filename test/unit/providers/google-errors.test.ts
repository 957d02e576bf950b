/** Which Google answers a retry can mend: the classification every Google action's failure goes through. */
import { googleFailure, isRetryableGoogleError } from '../../../lambdas/providers/google/google-errors';

const answer = (status: number, reason: string, message: string) => ({ response: { status, data: { error: { code: status, message, errors: [{ reason, message }] } } } });

describe('isRetryableGoogleError', () => {
  it.each([
    [412, 'conditionNotMet', 'User creation is not complete.', true],
    [412, 'conditionNotMet', 'Auto License un-assignment is not allowed.', false],
    [412, 'conditionNotMet', 'User is deleted.', false],
    [503, 'backendError', 'Service unavailable', true],
    [403, 'userRateLimitExceeded', 'Quota exceeded', true],
    [403, 'forbidden', 'Not Authorized to access this resource/api', false],
    [404, 'notFound', 'Resource Not Found: groupKey', false],
  ])('%s %s "%s": %s', (status, reason, message, retryable) => {
    expect(isRetryableGoogleError({ status, reason, message })).toBe(retryable);
  });
});

describe('googleFailure', () => {
  it('says of a user Google is still creating that it is retried, keeping Google\'s answer as given', () => {
    const failure = googleFailure(answer(412, 'conditionNotMet', 'User creation is not complete.'), 'adding jdoe@example.com to a group');
    expect(failure.retryable).toBe(true);
    expect(failure.providerAnswer).toBe('412 conditionNotMet: User creation is not complete.');
    expect(failure.message).toBe(
      'adding jdoe@example.com to a group: Google answered 412 conditionNotMet: User creation is not complete. (Google had not finished creating the account)',
    );
  });

  it('adds nothing to another 412', () => {
    const failure = googleFailure(answer(412, 'conditionNotMet', 'Auto License un-assignment is not allowed.'), 'removing a license');
    expect(failure).toMatchObject({ retryable: false, message: 'removing a license: Google answered 412 conditionNotMet: Auto License un-assignment is not allowed.' });
  });
});
