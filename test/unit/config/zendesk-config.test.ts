/** The stage's zendesk settings: what a stage names, and a clear error naming the field when it is wrong. */
import { loadStageConfig } from '../../../config/stages';
import { stageSetting } from '../../support/stage-setting';

const { parse: withZendesk, problems } = stageSetting('local', 'zendesk');

describe('the zendesk stage settings', () => {
  it('the local stage names the emulator account and the leaver group, with the default rate', () => {
    expect(loadStageConfig('local').zendesk).toEqual({ subdomain: 'example', email: 'admin@example.com', leaverTicketGroup: 'Triage', requestsPerMinute: 700 });
    expect(withZendesk({ baseUrl: 'https://help.acme.io', email: 'api@acme.io', leaverTicketGroup: 'Triage' }).data?.zendesk?.requestsPerMinute).toBe(200);
    expect(withZendesk(undefined).success).toBe(true);
  });

  it.each([
    [{ email: 'api@acme.io', leaverTicketGroup: 'Triage' }, /zendesk.subdomain: name exactly one of subdomain and baseUrl/],
    [{ subdomain: 'acme', baseUrl: 'https://acme.zendesk.com', email: 'api@acme.io', leaverTicketGroup: 'Triage' }, /zendesk.subdomain: name exactly one/],
    [{ subdomain: 'Acme Corp', email: 'api@acme.io', leaverTicketGroup: 'Triage' }, /zendesk.subdomain: must be the account subdomain/],
    [{ subdomain: 'acme', email: 'not-an-address', leaverTicketGroup: 'Triage' }, /zendesk.email/],
    [{ subdomain: 'acme', email: 'api@acme.io' }, /zendesk.leaverTicketGroup/],
    [{ subdomain: 'acme', email: 'api@acme.io', leaverTicketGroup: 'Triage', token: 'secret' }, /zendesk: Unrecognized key/],
  ])('refuses %j, naming the field', (zendesk, message) => {
    expect(problems(zendesk).join('\n')).toMatch(message);
  });
});
