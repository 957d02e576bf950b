/** The Nextcloud provider of an action Lambda, built from its environment. */
import { nextcloudFromEnv } from '../../../../lambdas/providers/nextcloud/nextcloud-from-env';
import { ENV } from '../../../../lambdas/shared/env-names';
import { LOCAL_NEXTCLOUD_APP_PASSWORD } from '../../../../local/emulators/nextcloud/nextcloud-emulator';
import { useNextcloudTestBed } from '../../../support/nextcloud-emulator';

const bed = useNextcloudTestBed();

describe('nextcloudFromEnv', () => {
  it('without the stage settings it fails, not retryable, naming them', () => {
    expect(() => nextcloudFromEnv({})()).toThrow(expect.objectContaining({ retryable: false, message: expect.stringMatching(/nextcloud\.baseUrl, user/) }));
  });

  it('builds a client with the app password from the environment locally', async () => {
    const provider = nextcloudFromEnv({ [ENV.nextcloudBaseUrl]: bed().url, [ENV.nextcloudUser]: 'admin', [ENV.nextcloudAppPassword]: LOCAL_NEXTCLOUD_APP_PASSWORD })();
    expect((await provider.client.getUser('E100'))?.email).toBe('ada.lovelace@example.com');
  });

  it('a wrong app password: a 401 naming the setting to check, the password itself in no message', async () => {
    const provider = nextcloudFromEnv({ [ENV.nextcloudBaseUrl]: bed().url, [ENV.nextcloudUser]: 'admin', [ENV.nextcloudAppPassword]: 'wrong-app-password-7731' })();
    const err = (await provider.client.getUser('E100').catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/401 \(OCS 997\)/);
    expect(JSON.stringify({ ...err, message: err.message, stack: err.stack })).not.toContain('wrong-app-password-7731');
    expect(JSON.stringify(err)).not.toContain(Buffer.from('admin:wrong-app-password-7731').toString('base64'));
  });

  it('an empty app password fails naming the secret, never quoting it', async () => {
    const provider = nextcloudFromEnv({ [ENV.nextcloudBaseUrl]: bed().url, [ENV.nextcloudUser]: 'admin', [ENV.nextcloudAppPassword]: '' })();
    await expect(provider.client.getUser('E100')).rejects.toThrow(/Nextcloud API token secret is empty/);
  });
});
