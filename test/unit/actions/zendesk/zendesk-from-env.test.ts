/** The Zendesk provider of an action Lambda, from its environment: the account, the API user and the token secret. */
import { ENV } from '../../../../lambdas/shared/env-names';
import { zendeskFromEnv } from '../../../../lambdas/providers/zendesk/zendesk-from-env';
import { LOCAL_ZENDESK_TOKEN } from '../../../../local/emulators/zendesk/zendesk-emulator';
import { useZendeskTestBed } from '../../../support/zendesk-emulator';

const currentBed = useZendeskTestBed();
const env = (overrides: Record<string, string>) => ({ [ENV.zendeskBaseUrl]: currentBed().url, [ENV.zendeskEmail]: 'admin@example.com', [ENV.zendeskLeaverTicketGroup]: 'Triage', ...overrides });

describe('zendeskFromEnv', () => {
  it.each([[LOCAL_ZENDESK_TOKEN], [JSON.stringify({ token: LOCAL_ZENDESK_TOKEN })]])('reads the token as the secret holds it (%s) and reaches the account', async (token) => {
    const zendesk = zendeskFromEnv(env({ [ENV.zendeskToken]: token }))();
    expect(zendesk.leaverTicketGroup).toBe('Triage');
    expect((await zendesk.client.listCustomRoles()).map((r) => r.name)).toEqual(['Light agent']);
  });

  it('an empty token secret is for an operator, named', async () => {
    const zendesk = zendeskFromEnv(env({ [ENV.zendeskToken]: JSON.stringify({ token: '' }) }))();
    await expect(zendesk.client.listCustomRoles()).rejects.toMatchObject({ retryable: false, message: expect.stringMatching(/token secret is empty/) });
  });

  it('a function without the stage’s zendesk settings says which', () => {
    expect(() => zendeskFromEnv({})()).toThrow(/this stage has no zendesk settings/);
  });
});
