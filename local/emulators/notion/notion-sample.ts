/**
 * The sample role catalog `npm start` and the tests read: four levels of support roles and an
 * engineer, granting the groups, licenses and Connect profiles of the Google and Connect samples (the engineer's
 * leavers keep their mail by the Archived User license, not the local stage's Vault hold).
 */
import type { NotionEmulator, PropertySchema } from './notion-emulator';

export const SAMPLE_NOTION = {
  databaseId: 'e0000005-0000-4000-8000-000000000001',
  rolesDataSourceId: 'e0000005-0000-4000-8000-000000000002',
  pages: {
    employee: 'e0000006-0000-4000-8000-000000000001',
    juniorSupportAgent: 'e0000006-0000-4000-8000-000000000002',
    supportAgent: 'e0000006-0000-4000-8000-000000000003',
    seniorSupportAgent: 'e0000006-0000-4000-8000-000000000004',
    supportTeamLead: 'e0000006-0000-4000-8000-000000000005',
    engineer: 'e0000006-0000-4000-8000-000000000006',
  },
} as const;

/** The role database's properties as the sample (and the README) define them. */
export const ROLE_DATABASE_SCHEMA: PropertySchema = {
  Name: 'title',
  Parent: 'relation',
  'Google OU': 'select',
  'License SKU': 'select',
  Groups: 'multi_select',
  Calendars: 'multi_select',
  'Custom schema': 'rich_text',
  'Connect routing profile': 'select',
  'Connect security profiles': 'multi_select',
  'Connect hierarchy group': 'select',
  'Connect template user': 'rich_text',
  'Manual tasks': 'multi_select',
  'Mail retention': 'select',
  'SCIM apps': 'multi_select',
  'SCIM groups': 'multi_select',
  'Requires approval': 'checkbox',
  'Zendesk role': 'select',
  'Zendesk custom role': 'select',
  'Zendesk groups': 'multi_select',
  'Front teams': 'multi_select',
  'Front inboxes': 'multi_select',
  'Front template': 'select',
  'Nextcloud groups': 'multi_select',
  'Nextcloud quota': 'select',
  'OpenProject account': 'select',
};

/** Seeds the sample role catalog into the emulator and answers it. */
export function seedNotionSample<E extends NotionEmulator>(notion: E): E {
  const s = SAMPLE_NOTION;
  const ds = s.rolesDataSourceId;
  notion.addDataSource({ databaseId: s.databaseId, dataSourceId: ds, title: 'Roles', schema: ROLE_DATABASE_SCHEMA });
  notion.addPage(ds, {
    id: s.pages.employee,
    values: { Name: 'employee', 'Google OU': '/Staff', 'License SKU': '1010020027', Groups: ['all-staff@example.com'], 'Manual tasks': ['Order a laptop', 'Issue a building badge'] },
  });
  notion.addPage(ds, {
    id: s.pages.juniorSupportAgent,
    values: {
      Name: 'junior-support-agent',
      Parent: [s.pages.employee],
      Calendars: ['c_support000000000000000000000@group.calendar.google.com'],
      'Custom schema': '{"SAML":{"role":"helpdesk"}}',
      'Connect routing profile': 'Support-Tier1',
      'Connect security profiles': ['Agent'],
      'Connect hierarchy group': 'Tier1',
    },
  });
  notion.addPage(ds, {
    id: s.pages.supportAgent,
    values: {
      Name: 'support-agent',
      Parent: [s.pages.juniorSupportAgent],
      Calendars: ['c_escalations0000000000000000@group.calendar.google.com'],
      'Connect routing profile': 'Support-Tier2',
      'Connect hierarchy group': 'Tier2',
      // A support agent works tickets in Zendesk too (docs/zendesk.md).
      'Zendesk role': 'agent',
      'Zendesk groups': ['Support'],
      // And answers customers in Front's shared inboxes, made from its support template (docs/front.md).
      'Front teams': ['Support'],
      'Front inboxes': ['Support', 'Billing'],
      'Front template': 'Support agent',
    },
  });
  notion.addPage(ds, {
    id: s.pages.seniorSupportAgent,
    values: {
      Name: 'senior-support-agent',
      Parent: [s.pages.supportAgent],
      'License SKU': '1010020028',
      'Custom schema': '{"SAML":{"role":"helpdesk-lead"}}',
      'Connect security profiles': ['CallCenterManager'],
      // A senior agent keeps the support articles in the sample SCIM app, the wiki (docs/scim.md).
      'SCIM apps': ['wiki'],
      'SCIM groups': ['wiki/Wiki Editors'],
    },
  });
  notion.addPage(ds, {
    id: s.pages.supportTeamLead,
    values: { Name: 'support-team-lead', Parent: [s.pages.seniorSupportAgent], 'Connect template user': 'grace.hopper', 'Requires approval': true },
  });
  notion.addPage(ds, {
    id: s.pages.engineer,
    // An engineer leaver's mail is kept by the Archived User license, where the local stage holds it in Vault.
    values: {
      Name: 'engineer',
      Parent: [s.pages.employee],
      'License SKU': '1010020028',
      Groups: ['engineering@example.com', 'analytical-engine@example.com'],
      'Mail retention': 'archived-user-license',
      // The sample SCIM app (local/emulators/scim/scim-sample.ts): a wiki user in its engineering group.
      'SCIM apps': ['wiki'],
      'SCIM groups': ['wiki/Engineering'],
      // Files in the sample Nextcloud (local/emulators/nextcloud/nextcloud-sample.ts, docs/nextcloud.md).
      'Nextcloud groups': ['Engineering'],
      'Nextcloud quota': '10 GB',
      // The community's project management (local/emulators/openproject/openproject-sample.ts, docs/openproject.md).
      'OpenProject account': 'user',
    },
  });
  return notion;
}
