/** Per-stage settings: the one place the numbers that differ between local, dev and prod live. */
import { stageConfigSchema, type StageConfig, type StageName } from './schema';
import { checkDeletionKeepsMail, PLAYBOOK_SETS } from './playbooks';

// dev and prod inherit the placeholders below: synth of either refuses them (config/placeholders.ts) until they are
// replaced, or -c allowPlaceholders=true says the target is a test account.
const base = {
  dueShards: 4,
  maxReceiveCount: 4 as const,
  dispatcherTimeoutSeconds: 60,
  actionTimeoutSeconds: 30,
  leaseSeconds: 90,
  forwardTo: [],
  alertEmails: [],
  google: { adminSubject: 'lifecycle-admin@example.com', customerId: 'my_customer', requestsPerMinute: 1500 },
  // Replace with the stage's own no-reply mailbox before deploying (the local runtime sends as its emulator's).
  welcomeEmail: { sender: 'welcome@example.com', linkValidDays: 7 },
  // Replace with the stage's real Amazon Connect instance id before deploying.
  connect: { instanceId: '00000000-0000-4000-8000-000000000000' },
  // Replace with the stage's Zendesk account, its API user and the group leavers' open tickets go to before deploying
  // (docs/zendesk.md); the API token goes in the stage's ZendeskApiToken secret.
  zendesk: { baseUrl: 'https://support.example.com', email: 'lifecycle-admin@example.com', leaverTicketGroup: 'Triage', requestsPerMinute: 200 },
  // Front's own API roots (docs/front.md); the company API token goes in the stage's FrontApiToken secret. 50 a minute
  // is the Starter plan's whole company limit: raise it to what the plan allows less what other integrations use.
  front: { requestsPerMinute: 50 },
  // Replace with the stage's Nextcloud server and its admin user before deploying (docs/nextcloud.md); the admin's app
  // password goes in the stage's NextcloudAppPassword secret.
  nextcloud: { baseUrl: 'https://cloud.example.com', user: 'lifecycle-admin', requestsPerMinute: 300 },
  // Replace with the stage's OpenProject instance and its "Employee ID" user custom field before deploying
  // (docs/openproject.md); an admin's API token goes in the stage's OpenProjectApiToken secret.
  openproject: { baseUrl: 'https://openproject.example.com', employeeIdField: 'customField1', requestsPerMinute: 300 },
  // Replace with the id of the stage's Notion roles data source before deploying (the local runtime uses its emulator's).
  notion: { rolesDataSourceId: '00000000-0000-4000-8000-000000000001' },
  // More than 10 terminations or access-removing role changes within an hour wait for an operator (docs/mass-change-guard.md).
  massChange: { threshold: 10, windowMinutes: 60 },
  // A manager already delegate of as many mailboxes as Google allows (about 10) gets no more: the step waits for an
  // operator, naming the manager. Name a shared delegate account here and set whenManagerFull: 'overflow' to hand
  // such mailboxes to it instead (docs/deploy.md, "Mailbox delegation").
  mailboxDelegation: { whenManagerFull: 'operator', overflowDelegates: [] },
};

// The sweep runs every 15 minutes rather than nightly: cut-offs fall at local midnight in every
// time zone, and a nightly sweep would leave a leaver with access for up to a day. Its cost is the
// number of due items (a Query on the sparse index), so frequent sweeps cost next to nothing.
const stages: Record<StageName, unknown> = {
  local: {
    ...base,
    stage: 'local',
    // The operators locally: in copy of each joiner summary the emulator's admin sends.
    alertEmails: ['it-operators@example.com'],
    // The emulator's sample tenant has no no-reply mailbox: its admin sends.
    welcomeEmail: { sender: 'admin@example.com', linkValidDays: 7 },
    sweepCron: '* * * * ? *',
    retryBaseSeconds: 2,
    leaseSeconds: 30,
    requeueAfterSeconds: 120,
    dispatcherMaxConcurrency: 4,
    apiThrottle: { rateLimit: 1000, burstLimit: 2000 },
    logRetentionDays: 7,
    // The sample tenant's leavers' mail goes on a Vault hold at the cut-off (docs/local.md); the other stages keep
    // none until a method is chosen here (config/mail-retention.ts).
    mailRetention: { method: 'vault-hold', matterName: 'Leavers' },
    // The emulator's Zendesk account (its base URL replaces this one locally); leavers' open tickets go to Triage.
    zendesk: { subdomain: 'example', email: 'admin@example.com', leaverTicketGroup: 'Triage', requestsPerMinute: 700 },
    // The emulator's Front company (its base URLs replace these locally), as on an Enterprise plan with the rate limit
    // add-on: 600 a minute, so a local run's Front steps take a second, not several.
    front: { requestsPerMinute: 600 },
    // The emulator's Nextcloud server (its base URL replaces this one locally) and its admin.
    nextcloud: { baseUrl: 'http://localhost:4010', user: 'admin', requestsPerMinute: 600 },
    // Google accounts of the sample tenant unused for 90 days get a revoke run awaiting approval, a week after a notice
    // (docs/inactivity.md); the tenant's admin is protected whatever this says.
    inactivity: { enabled: true, systems: ['google'], serviceAccounts: { localParts: ['noreply', 'svc-*'] } },
    // The emulator's OpenProject (its base URL replaces this one locally): the Community project's member tasks.
    openproject: { baseUrl: 'http://localhost:4010', employeeIdField: 'customField1', requestsPerMinute: 600, memberTasks: { project: 'community', typeId: 8, emailDomain: 'example.com' } },
    // The Jira emulator's sample project (docs/jira.md): a New hire ticket moved to Ready for IT is a hire.
    jira: {
      baseUrl: 'http://localhost:4010',
      projectKey: 'HR',
      issueType: 'New hire',
      startStatus: 'Ready for IT',
      fields: {
        'employee.id': 'customfield_10050',
        'employee.firstName': 'customfield_10051',
        'employee.lastName': 'customfield_10052',
        'employee.personalEmail': 'customfield_10053',
        'employee.managerEmail': 'customfield_10054',
        'effectiveDate': 'customfield_10055',
        'employee.role': 'description:Role',
      },
      defaultTimezone: 'Europe/Berlin',
      writeBackEmail: 'lifecycle@example.com',
      transitions: { completed: 'Done', cancelled: 'Cancelled', needsAttention: 'Waiting for HR' },
    },
    // The Matrix emulator's sample room "Ask the bot" (docs/matrix.md): its moderators (power 50) propose hires with !on,
    // planned from the sample role `engineer` (a Google account, a Nextcloud user in Engineering, an OpenProject user).
    matrix: { homeserverUrl: 'http://localhost:4010', userId: '@lifecycle:localhost', rooms: ['!askthebot:localhost'], powerLevel: 50, syncTimeoutMs: 10000, role: 'engineer' },
  },
  dev: {
    ...base,
    stage: 'dev',
    sweepCron: '0/15 * * * ? *',
    retryBaseSeconds: 60,
    requeueAfterSeconds: 3600,
    dispatcherMaxConcurrency: 5,
    apiThrottle: { rateLimit: 20, burstLimit: 40 },
    logRetentionDays: 30,
  },
  prod: {
    ...base,
    stage: 'prod',
    sweepCron: '0/15 * * * ? *',
    retryBaseSeconds: 60,
    requeueAfterSeconds: 3600,
    dispatcherMaxConcurrency: 10,
    apiThrottle: { rateLimit: 50, burstLimit: 100 },
    logRetentionDays: 365,
  },
};

export const STAGE_NAMES = Object.keys(stages) as StageName[];

/** The validated settings of a stage; throws naming the stage and the failing field. */
export function loadStageConfig(stage: string): StageConfig {
  if (!(stage in stages)) throw new Error(`unknown stage "${stage}": expected one of ${STAGE_NAMES.join(', ')}`);
  const parsed = stageConfigSchema.safeParse(stages[stage as StageName]);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`stage ${stage} config is invalid: ${detail}`);
  }
  // The playbook set is checked by name elsewhere; a known one must not delete what the stage keeps on a Vault hold.
  const set = PLAYBOOK_SETS[parsed.data.playbookSet];
  if (set) checkDeletionKeepsMail(set, parsed.data.mailRetention, stage);
  return parsed.data;
}
