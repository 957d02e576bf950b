/** The stage's front settings: Front's own roots by default, and a clear error naming the field when one is wrong. */
import { loadStageConfig } from '../../../config/stages';
import { stageSetting } from '../../support/stage-setting';

const { parse: withFront, problems } = stageSetting('local', 'front');

describe('the front stage settings', () => {
  it("defaults to Front's Core API and SCIM roots and the Starter plan's rate; the local stage names its own rate", () => {
    expect(loadStageConfig('local').front).toEqual({ baseUrl: 'https://api2.frontapp.com', scimBaseUrl: 'https://scim.frontapp.com/v2', requestsPerMinute: 600 });
    expect(loadStageConfig('dev').front?.requestsPerMinute).toBe(50);
    expect(withFront({}).data?.front).toEqual({ baseUrl: 'https://api2.frontapp.com', scimBaseUrl: 'https://scim.frontapp.com/v2', requestsPerMinute: 50 });
    expect(withFront(undefined).success).toBe(true);
  });

  it.each([
    [{ requestsPerMinute: 0 }, /front.requestsPerMinute: front.requestsPerMinute must be a positive whole number/],
    [{ requestsPerMinute: 5000 }, /front.requestsPerMinute: front.requestsPerMinute must be at most 1000/],
    [{ baseUrl: 'api2.frontapp.com' }, /front.baseUrl: front.baseUrl must be an http\(s\) URL/],
    [{ scimBaseUrl: 'ftp://scim.frontapp.com/v2' }, /front.scimBaseUrl: front.scimBaseUrl must be an http\(s\) URL/],
    [{ token: 'secret' }, /front: Unrecognized key/],
  ])('refuses %j, naming the field', (front, message) => {
    expect(problems(front).join('\n')).toMatch(message);
  });

  it('never puts a token value in its message', () => {
    expect(problems({ token: 'tok_SECRET' }).join('\n')).not.toContain('tok_SECRET');
  });
});
