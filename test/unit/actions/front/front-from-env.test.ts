/** The Front provider of a Lambda from its environment: the token from the secret, never quoted in a message. */
import { frontFromEnv, frontTokenOf } from '../../../../lambdas/providers/front/front-from-env';
import { ENV } from '../../../../lambdas/shared/env-names';

describe('frontFromEnv', () => {
  it('reads the token alone or as {"token"}; an empty or malformed secret is named without a word of it', () => {
    expect(frontTokenOf(' abc ')).toBe('abc');
    expect(frontTokenOf('{"token":"abc"}')).toBe('abc');
    expect(() => frontTokenOf('{"token":""}')).toThrow(/the Front API token secret is empty/);
    let message = '';
    try {
      frontTokenOf('{tok_SECRET');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/starts with "\{" but is not JSON/);
    expect(message).not.toContain('tok_SECRET');
  });

  it('without the stage settings the step fails, naming them; with them, both clients use the roots given', async () => {
    expect(() => frontFromEnv({})()).toThrow(/this stage has no front settings/);
    const front = frontFromEnv({ [ENV.frontBaseUrl]: 'https://api2.frontapp.com', [ENV.frontScimBaseUrl]: 'https://scim.frontapp.com/v2', [ENV.frontToken]: 'abc' })();
    expect(front.core.baseUrl).toBe('https://api2.frontapp.com');
    expect(front.scim.app).toMatchObject({ name: 'front', baseUrl: 'https://scim.frontapp.com/v2' });
    expect(await front.scim.app.token()).toBe('abc');
  });
});
