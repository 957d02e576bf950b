import { stageConfigSchema, type StageConfig } from '../../../config/schema';
import { allowPlaceholdersFrom, placeholderReport, placeholdersIn } from '../../../config/placeholders';
import { loadStageConfig } from '../../../config/stages';

/** A dev stage with every placeholder replaced by a plausible real value. */
function realDev(overrides: Record<string, unknown> = {}): StageConfig {
  return stageConfigSchema.parse({
    ...loadStageConfig('dev'),
    connect: { instanceId: '3f1c9a52-8d4e-4b7a-9e21-6c0d5b8a7f14' },
    notion: { rolesDataSourceId: '1b7e4c2d-9a3f-4e8b-a6d1-5f2c8e9b0a37' },
    google: { adminSubject: 'lifecycle-admin@acme.io', customerId: 'C01abc', requestsPerMinute: 1500 },
    welcomeEmail: { sender: 'welcome@acme.io', linkValidDays: 7 },
    alertEmails: ['it-ops@acme.io'],
    zendesk: { subdomain: 'acme', email: 'lifecycle-admin@acme.io', leaverTicketGroup: 'Triage' },
    nextcloud: { baseUrl: 'https://cloud.acme.io', user: 'lifecycle-admin' },
    openproject: { baseUrl: 'https://pm.acme.io', employeeIdField: 'customField1' },
    ...overrides,
  });
}

describe('placeholders in a stage config', () => {
  it('finds none in a stage whose settings are real', () => {
    expect(placeholdersIn(realDev())).toEqual([]);
  });

  it.each(['dev', 'prod'])('lists every placeholder the committed %s config still holds, each once', (stage) => {
    expect(placeholdersIn(loadStageConfig(stage)).map((p) => p.path)).toEqual([
      'connect.instanceId',
      'notion.rolesDataSourceId',
      'google.adminSubject',
      'welcomeEmail.sender',
      'alertEmails',
      'zendesk',
      'zendesk.email',
      'nextcloud.baseUrl',
      'openproject.baseUrl',
    ]);
  });

  it.each([
    ['connect.instanceId', { connect: { instanceId: '00000000-0000-4000-8000-000000000000' } }, 'id of zeros'],
    ['notion.rolesDataSourceId', { notion: { rolesDataSourceId: '00000000-0000-0000-0000-000000000042' } }, 'id of zeros'],
    ['google.adminSubject', { google: { adminSubject: 'admin@EXAMPLE.org', customerId: 'my_customer', requestsPerMinute: 10 } }, 'example.org'],
    ['welcomeEmail.sender', { welcomeEmail: { sender: 'hello@mail.example.com', linkValidDays: 7 } }, 'mail.example.com'],
    ['alertEmails', { alertEmails: [] }, 'no subscriber'],
    ['alertEmails.1', { alertEmails: ['ops@acme.io', 'oncall@example.net'] }, 'example.net'],
    ['forwardTo.0.url', { forwardTo: [{ name: 'crm', url: 'https://crm.example.com/hook' }] }, 'crm.example.com'],
    ['accounts.protected.addresses.0', { accounts: { protected: { addresses: ['root@acme.test'] } } }, 'acme.test'],
    ['accounts.adoptUnbound.domains.0', { accounts: { adoptUnbound: { domains: ['example.com'] } } }, 'example.com'],
    ['zendesk', { zendesk: { baseUrl: 'https://help.example.org', email: 'api@acme.io', leaverTicketGroup: 'Triage' } }, 'help.example.org'],
    ['zendesk.email', { zendesk: { subdomain: 'acme', email: 'api@example.com', leaverTicketGroup: 'Triage' } }, 'example.com'],
    ['nextcloud.baseUrl', { nextcloud: { baseUrl: 'https://cloud.example.com', user: 'admin' } }, 'cloud.example.com'],
    ['openproject.baseUrl', { openproject: { baseUrl: 'https://openproject.example.com', employeeIdField: 'customField1' } }, 'openproject.example.com'],
  ])('names %s with why it is a placeholder', (path, overrides, reason) => {
    const found = placeholdersIn(realDev(overrides));
    expect(found).toEqual([expect.objectContaining({ path, why: expect.stringContaining(reason) })]);
  });

  it('takes a real id that merely holds many zeros, and a real domain ending in example-like words', () => {
    const config = realDev({
      connect: { instanceId: '10000000-0000-4000-8000-0000000a0b0c' },
      welcomeEmail: { sender: 'welcome@myexample.com', linkValidDays: 7 },
    });
    expect(placeholdersIn(config)).toEqual([]);
  });

  it('reports one line per placeholder and how to go on', () => {
    const report = placeholderReport('dev', placeholdersIn(loadStageConfig('dev')));
    const lines = report.split('\n');
    expect(lines[0]).toBe('stage dev still has 9 placeholder settings (config/stages.ts):');
    expect(lines).toContain('  connect.instanceId = "00000000-0000-4000-8000-000000000000": the Amazon Connect instance is an id of zeros, not a real one');
    expect(lines[lines.length - 1]).toContain('-c allowPlaceholders=true');
  });
});

describe('the allowPlaceholders context value', () => {
  it.each([
    [undefined, false],
    [false, false],
    ['false', false],
    [true, true],
    ['true', true],
  ])('%p means %p', (value, allowed) => {
    expect(allowPlaceholdersFrom(value)).toBe(allowed);
  });

  it('refuses anything else, naming the field', () => {
    expect(() => allowPlaceholdersFrom('yes')).toThrow('context "allowPlaceholders" must be true or false, got "yes"');
  });
});
