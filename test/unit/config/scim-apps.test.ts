/** The stage's scimApps: each app by a kebab-case name with an http(s) base URL; a bad one is refused naming the field. */
import { loadStageConfig } from '../../../config/stages';
import { stageSetting } from '../../support/stage-setting';
import { scimAppNamesFromEnv, scimAppsFromEnv, tokenOf, SCIM_TOKEN_PLACEHOLDER } from '../../../lambdas/providers/scim/scim-from-env';

const { parse, problems } = stageSetting('dev', 'scimApps');

describe('scimApps in the stage config', () => {
  it('defaults to none, and takes apps by name', () => {
    expect(loadStageConfig('dev').scimApps).toEqual({});
    expect(parse({ wiki: { baseUrl: 'https://wiki.example.com/scim/v2', requestsPerSecond: 2 } }).success).toBe(true);
  });

  it.each([
    [{ Wiki: { baseUrl: 'https://wiki.example.com/scim/v2' } }, 'scimApps.Wiki'],
    [{ wiki: { baseUrl: 'ftp://wiki.example.com/scim' } }, 'scimApps.wiki.baseUrl: must be an http(s) URL'],
    [{ wiki: { baseUrl: 'https://wiki.example.com/scim/v2/' } }, 'scimApps.wiki.baseUrl: must not end with a slash'],
    [{ wiki: { baseUrl: 'https://wiki.example.com/scim/v2', token: 'x' } }, 'scimApps.wiki'],
    [{ wiki: { baseUrl: 'https://wiki.example.com/scim/v2', requestsPerSecond: 0 } }, 'scimApps.wiki.requestsPerSecond'],
  ])('%j is refused, naming %s', (apps, named) => {
    expect(problems(apps).join('\n')).toContain(named);
  });
});

describe('the SCIM apps of an action function', () => {
  it('reads the apps and their token secrets from the environment, never a token in the message of a bad value', () => {
    const apps = scimAppsFromEnv({ LIFECYCLE_SCIM_APPS: JSON.stringify([{ name: 'wiki', baseUrl: 'https://wiki.example.com/scim/v2', tokenArn: 'arn:aws:secretsmanager:eu-central-1:1:secret:x' }]) });
    expect(apps.map((a) => [a.name, a.baseUrl])).toEqual([['wiki', 'https://wiki.example.com/scim/v2']]);
    expect(() => scimAppsFromEnv({ LIFECYCLE_SCIM_APPS: JSON.stringify([{ name: 'wiki', baseUrl: 'nope', token: 'very-secret' }]) })).toThrow(/LIFECYCLE_SCIM_APPS is not a list of SCIM apps: 0.baseUrl/);
    expect(() => scimAppsFromEnv({ LIFECYCLE_SCIM_APPS: JSON.stringify([{ name: 'wiki', baseUrl: 'nope', token: 'very-secret' }]) })).not.toThrow(/very-secret/);
  });

  it('takes the token as the whole secret value or its token field, and refuses the placeholder', () => {
    expect(tokenOf(' abc ')).toBe('abc');
    expect(tokenOf('{"token":"abc"}')).toBe('abc');
    expect(() => tokenOf(SCIM_TOKEN_PLACEHOLDER)).toThrow(/still holds its placeholder/);
  });

  it('gives intake the app names', () => {
    expect([...scimAppNamesFromEnv({ LIFECYCLE_SCIM_APP_NAMES: 'wiki, crm' })]).toEqual(['wiki', 'crm']);
    expect(scimAppNamesFromEnv({}).size).toBe(0);
  });
});
