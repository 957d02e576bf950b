/** The OpenProject provider of an action Lambda, built from its environment. */
import { openProjectFromEnv } from '../../../../lambdas/providers/openproject/openproject-from-env';
import { ENV } from '../../../../lambdas/shared/env-names';
import { LOCAL_OPENPROJECT_TOKEN } from '../../../../local/emulators/openproject/openproject-emulator';
import { useOpenProjectTestBed } from '../../../support/openproject-emulator';

const bed = useOpenProjectTestBed();

describe('openProjectFromEnv', () => {
  it('without the stage settings it fails, not retryable, naming them', () => {
    expect(() => openProjectFromEnv({})()).toThrow(expect.objectContaining({ retryable: false, message: expect.stringMatching(/openproject\.baseUrl, employeeIdField/) }));
  });

  it('builds a client with the API token from the environment locally, and the employee id field', async () => {
    const provider = openProjectFromEnv({ [ENV.openprojectBaseUrl]: bed().url, [ENV.openprojectEmployeeIdField]: 'customField1', [ENV.openprojectToken]: LOCAL_OPENPROJECT_TOKEN })();
    expect(provider.employeeIdField).toBe('customField1');
    expect((await provider.client.userByLogin('ada.lovelace'))?.email).toBe('ada.lovelace@example.com');
  });

  it('an empty token fails naming the secret, never quoting it', async () => {
    const provider = openProjectFromEnv({ [ENV.openprojectBaseUrl]: bed().url, [ENV.openprojectEmployeeIdField]: 'customField1', [ENV.openprojectToken]: '' })();
    await expect(provider.client.getUser(1)).rejects.toThrow(/OpenProject API token secret is empty/);
  });
});
