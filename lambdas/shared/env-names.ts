/** The environment variable names every runtime piece reads: one place, imported everywhere. */
export const ENV = {
  /** Stage name (dev, prod, local). */
  stage: 'LIFECYCLE_STAGE',
  /** DynamoDB table name. */
  tableName: 'LIFECYCLE_TABLE_NAME',
  /** The consolidation function: the reports it keeps in the table (the stage's consolidation.reportsKept). */
  consolidationReportsKept: 'LIFECYCLE_CONSOLIDATION_REPORTS_KEPT',
  /** The api: the name of the directory read function it hands a consolidation (asynchronously) and the inactivity dry run to. */
  directoryReadFunction: 'LIFECYCLE_DIRECTORY_READ_FUNCTION',
  /** The directory read function: the stage's inactivity setting (config/inactivity.ts) as JSON. */
  inactivitySettings: 'LIFECYCLE_INACTIVITY_SETTINGS',
  /** The api: whether the stage runs the inactivity check (inactivity.enabled), so a run now on a stage with it off is refused. */
  inactivityEnabled: 'LIFECYCLE_INACTIVITY_ENABLED',
  /** DynamoDB endpoint override (the embedded store locally). */
  dynamoEndpoint: 'LIFECYCLE_DYNAMODB_ENDPOINT',
  /** The SQS steps queues, one per priority class, as JSON: `{"lockout": url, "protect": url, "housekeeping": url}`. */
  stepsQueueUrls: 'LIFECYCLE_STEPS_QUEUE_URLS',
  /** SNS operator topic ARN. */
  alertTopicArn: 'LIFECYCLE_ALERT_TOPIC_ARN',
  /** Secrets Manager ARN of the key HR signs events with, `{"current","previous"}` (AWS; the API function only). */
  hrKeyArn: 'LIFECYCLE_HR_KEY_ARN',
  /** The HR signing key itself, bare or as `{"current","previous"}` (local runtime and CLI). */
  hmacSecret: 'LIFECYCLE_HMAC_SECRET',
  /** Operator bearer token (local runtime and CLI). */
  operatorToken: 'LIFECYCLE_OPERATOR_TOKEN',
  /** SSM parameter path under which the Actions Stack registers action name -> function ARN. */
  actionRegistryPath: 'LIFECYCLE_ACTION_REGISTRY_PATH',
  /**
   * The downstream receivers of data forwarding as JSON, `[{"name","url","keyArn"}]` (AWS, set by the stack) or
   * `[{"name","url","key"}]` (local); overrides the stage's forwardTo.
   */
  forwardTo: 'LIFECYCLE_FORWARD_TO',
  /** Number of shards of the due index. */
  dueShards: 'LIFECYCLE_DUE_SHARDS',
  /** Retry backoff base, in seconds. */
  retryBaseSeconds: 'LIFECYCLE_RETRY_BASE_SECONDS',
  /** Lease a worker holds on a running step, in seconds. */
  leaseSeconds: 'LIFECYCLE_LEASE_SECONDS',
  /** How long a queued step may wait before the sweep enqueues it again, in seconds. */
  requeueAfterSeconds: 'LIFECYCLE_REQUEUE_AFTER_SECONDS',
  /** Mass-change guard: runs that take access away allowed per window before the rest are quarantined. */
  massChangeThreshold: 'LIFECYCLE_MASS_CHANGE_THRESHOLD',
  /** Mass-change guard: the window's length in minutes. */
  massChangeWindowMinutes: 'LIFECYCLE_MASS_CHANGE_WINDOW_MINUTES',
  /** EventBridge Scheduler group that holds exact-time step wakes. */
  wakeGroupName: 'LIFECYCLE_WAKE_GROUP_NAME',
  /** ARN of the function a wake invokes (the sweep). */
  wakeTargetArn: 'LIFECYCLE_WAKE_TARGET_ARN',
  /** ARN of the role EventBridge Scheduler assumes to invoke that function. */
  wakeRoleArn: 'LIFECYCLE_WAKE_ROLE_ARN',
  /** Local runtime: HTTP API port. */
  port: 'PORT',
  /** Local runtime: data directory. */
  dataDir: 'LIFECYCLE_DATA_DIR',
  /** Local runtime: sweep interval in seconds. */
  sweepIntervalSeconds: 'LIFECYCLE_SWEEP_INTERVAL_SECONDS',
  /** Local runtime: port of the provider emulators and the sample downstream receiver. */
  emulatorPort: 'LIFECYCLE_EMULATOR_PORT',
  /** Local runtime: `cognito` starts the Cognito emulator and the console signs people in there, as on AWS; unset: the local tokens. */
  consoleSignIn: 'LIFECYCLE_CONSOLE_SIGN_IN',
  /** Local runtime (and the Cognito emulator on its own): the port of the Cognito emulator's hosted domain. */
  cognitoPort: 'LIFECYCLE_COGNITO_PORT',
  /** Local runtime: queue visibility timeout in seconds. */
  visibilityTimeoutSeconds: 'LIFECYCLE_VISIBILITY_TIMEOUT_SECONDS',
  /** Google APIs root URL override (the emulator locally); unset on AWS. */
  googleRootUrl: 'LIFECYCLE_GOOGLE_ROOT_URL',
  /** Secrets Manager ARN of the Google service account key (domain-wide delegation). */
  googleServiceAccountSecretArn: 'LIFECYCLE_GOOGLE_SA_SECRET_ARN',
  /** The admin the service account impersonates for Directory, Data Transfer and Licensing calls. */
  googleAdminSubject: 'LIFECYCLE_GOOGLE_ADMIN_SUBJECT',
  /** Google Workspace customer id (my_customer by default). */
  googleCustomerId: 'LIFECYCLE_GOOGLE_CUSTOMER_ID',
  /** Comma-separated OAuth scopes an action Lambda may request from Google: its catalog entry's googleScopes. */
  googleScopes: 'LIFECYCLE_GOOGLE_SCOPES',
  /** Requests per minute the stage allows itself against Google, all functions together (per process without a budget table). */
  googleRequestsPerMinute: 'LIFECYCLE_GOOGLE_REQUESTS_PER_MINUTE',
  /** The lifecycle table, where a Google action takes its requests from the stage's shared budget; unset: a per-process bucket. */
  googleBudgetTable: 'LIFECYCLE_GOOGLE_BUDGET_TABLE',
  /** How many action calls may run at once in the stage: the fallback bucket's share of the budget is the budget divided by it. */
  googleBudgetContainers: 'LIFECYCLE_GOOGLE_BUDGET_CONTAINERS',
  /** ARN of the KMS key that seals initial passwords (encryption context: the employee id). */
  credentialKeyArn: 'LIFECYCLE_CREDENTIAL_KEY_ARN',
  /** ARN of the KMS key (ECC_NIST_P256, SIGN_VERIFY) that signs offboarding attestations (the API function only). */
  attestationKeyArn: 'LIFECYCLE_ATTESTATION_KEY_ARN',
  /** The API's public base URL, for links in mail (the welcome email's one-time link). */
  publicApiUrl: 'LIFECYCLE_PUBLIC_API_URL',
  /** The mailbox the welcome email is sent as. */
  welcomeSender: 'LIFECYCLE_WELCOME_SENDER',
  /** Comma-separated addresses of the operators, in copy of the joiner summary (the stage's alertEmails). */
  operatorEmails: 'LIFECYCLE_OPERATOR_EMAILS',
  /** Days a welcome email's one-time link stays valid. */
  welcomeLinkValidDays: 'LIFECYCLE_WELCOME_LINK_VALID_DAYS',
  /** Amazon Connect endpoint override (the emulator locally). */
  connectEndpoint: 'LIFECYCLE_CONNECT_ENDPOINT',
  /** Amazon Connect instance id. */
  connectInstanceId: 'LIFECYCLE_CONNECT_INSTANCE_ID',
  /** Requests a second the stage allows itself per Connect API, all functions together (the stage's connect.requestsPerSecond). */
  connectRequestsPerSecond: 'LIFECYCLE_CONNECT_REQUESTS_PER_SECOND',
  /** The action functions' timeout (the stage's actionTimeoutSeconds): a Connect step waits in its budget's line for half of it at most. */
  actionTimeoutSeconds: 'LIFECYCLE_ACTION_TIMEOUT_SECONDS',
  /** The lifecycle table, where a Connect action takes its requests from the stage's Connect budget; unset: a per-process bucket per API. */
  connectBudgetTable: 'LIFECYCLE_CONNECT_BUDGET_TABLE',
  /** How many action calls may run at once in the stage: each API's fallback bucket holds the budget divided by it. */
  connectBudgetContainers: 'LIFECYCLE_CONNECT_BUDGET_CONTAINERS',
  /** Zendesk: the account's base URL (https://{subdomain}.zendesk.com; the emulator locally). */
  zendeskBaseUrl: 'LIFECYCLE_ZENDESK_BASE_URL',
  /** Zendesk: the API user's email, the owner of the API token. */
  zendeskEmail: 'LIFECYCLE_ZENDESK_EMAIL',
  /** Zendesk: Secrets Manager ARN of the API token (AWS). */
  zendeskTokenSecretArn: 'LIFECYCLE_ZENDESK_TOKEN_SECRET_ARN',
  /** Zendesk: the API token itself (local runtime). */
  zendeskToken: 'LIFECYCLE_ZENDESK_TOKEN',
  /** Zendesk: the group a leaver's open tickets go to (the stage's zendesk.leaverTicketGroup). */
  zendeskLeaverTicketGroup: 'LIFECYCLE_ZENDESK_LEAVER_TICKET_GROUP',
  /** Zendesk: requests a minute the stage allows itself (the stage's zendesk.requestsPerMinute). */
  zendeskRequestsPerMinute: 'LIFECYCLE_ZENDESK_REQUESTS_PER_MINUTE',
  /** Front: the Core API root (https://api2.frontapp.com; the emulator locally). */
  frontBaseUrl: 'LIFECYCLE_FRONT_BASE_URL',
  /** Front: the SCIM 2.0 root (https://scim.frontapp.com/v2; the emulator locally). */
  frontScimBaseUrl: 'LIFECYCLE_FRONT_SCIM_BASE_URL',
  /** Front: Secrets Manager ARN of the company API token (AWS). */
  frontTokenSecretArn: 'LIFECYCLE_FRONT_TOKEN_SECRET_ARN',
  /** Front: the API token itself (local runtime). */
  frontToken: 'LIFECYCLE_FRONT_TOKEN',
  /** Front: requests a minute the stage allows itself, Core API and SCIM together (the stage's front.requestsPerMinute). */
  frontRequestsPerMinute: 'LIFECYCLE_FRONT_REQUESTS_PER_MINUTE',
  /** Nextcloud: the server's base URL (where /ocs and /remote.php are; the emulator locally). */
  nextcloudBaseUrl: 'LIFECYCLE_NEXTCLOUD_BASE_URL',
  /** Nextcloud: the admin user the app password belongs to. */
  nextcloudUser: 'LIFECYCLE_NEXTCLOUD_USER',
  /** Nextcloud: Secrets Manager ARN of the admin's app password (AWS). */
  nextcloudAppPasswordSecretArn: 'LIFECYCLE_NEXTCLOUD_APP_PASSWORD_SECRET_ARN',
  /** Nextcloud: the app password itself (local runtime). */
  nextcloudAppPassword: 'LIFECYCLE_NEXTCLOUD_APP_PASSWORD',
  /** Nextcloud: the folder of newcomer CSVs `lifecycle import --from-nextcloud` reads when given no path. */
  nextcloudNewcomerFolder: 'LIFECYCLE_NEXTCLOUD_NEWCOMER_FOLDER',
  /** Nextcloud: requests a minute the stage allows itself (the stage's nextcloud.requestsPerMinute). */
  nextcloudRequestsPerMinute: 'LIFECYCLE_NEXTCLOUD_REQUESTS_PER_MINUTE',
  /** OpenProject: the instance's base URL (where /api/v3 is; the emulator locally). */
  openprojectBaseUrl: 'LIFECYCLE_OPENPROJECT_BASE_URL',
  /** OpenProject: Secrets Manager ARN of the admin's API token (AWS). */
  openprojectTokenSecretArn: 'LIFECYCLE_OPENPROJECT_TOKEN_SECRET_ARN',
  /** OpenProject: the API token itself (local runtime). */
  openprojectToken: 'LIFECYCLE_OPENPROJECT_TOKEN',
  /** OpenProject: the user custom field holding the employee id (`customField3`; the stage's openproject.employeeIdField). */
  openprojectEmployeeIdField: 'LIFECYCLE_OPENPROJECT_EMPLOYEE_ID_FIELD',
  /** OpenProject: requests a minute the stage allows itself (the stage's openproject.requestsPerMinute). */
  openprojectRequestsPerMinute: 'LIFECYCLE_OPENPROJECT_REQUESTS_PER_MINUTE',
  /** OpenProject: the stage's openproject setting as JSON, for the member tasks (api, dispatcher, dead-letter handler). */
  openprojectSettings: 'LIFECYCLE_OPENPROJECT_SETTINGS',
  /** OpenProject: Secrets Manager ARN of the member task webhook's signature secret (AWS, the api). */
  openprojectWebhookSecretArn: 'LIFECYCLE_OPENPROJECT_WEBHOOK_SECRET_ARN',
  /** OpenProject: the webhook's signature secret itself (local runtime). */
  openprojectWebhookSecret: 'LIFECYCLE_OPENPROJECT_WEBHOOK_SECRET',
  /** Notion API base URL override (the emulator locally); unset on AWS. */
  notionBaseUrl: 'LIFECYCLE_NOTION_BASE_URL',
  /** Secrets Manager ARN of the Notion integration token (AWS). */
  notionTokenSecretArn: 'LIFECYCLE_NOTION_TOKEN_SECRET_ARN',
  /** The Notion integration token itself (local runtime). */
  notionToken: 'LIFECYCLE_NOTION_TOKEN',
  /** Id of the Notion data source that holds the role catalog. */
  notionRolesDataSourceId: 'LIFECYCLE_NOTION_ROLES_DATA_SOURCE_ID',
  /** Local runtime: a playbooks JSON file to use instead of config/playbooks/default.json. */
  playbooksFile: 'LIFECYCLE_PLAYBOOKS_FILE',
  /** The stage's mailboxDelegation setting as JSON, for google.delegateToManager. */
  mailboxDelegation: 'LIFECYCLE_MAILBOX_DELEGATION',
  /** The stage's mailRetention setting as JSON, for google.retainMail. */
  mailRetention: 'LIFECYCLE_MAIL_RETENTION',
  /** The stage's handover setting as JSON, for the actions that hand a leaver's sole-owner resources over. */
  handover: 'LIFECYCLE_HANDOVER',
  /**
   * The stage's SCIM apps as JSON, `[{"name","baseUrl","requestsPerSecond"?,"tokenArn"}]` (AWS, set by the stack: each
   * token a secret) or `[{…,"token"}]` (local).
   */
  scimApps: 'LIFECYCLE_SCIM_APPS',
  /** The stage's SCIM app names, comma-separated: intake checks the apps a role names against them. */
  scimAppNames: 'LIFECYCLE_SCIM_APP_NAMES',
  /** The stage's account policy (protected accounts, adoption of unbound ones) as JSON, for the action functions. */
  accountPolicy: 'LIFECYCLE_ACCOUNT_POLICY',
  /** The stage's jira setting as JSON (config/jira.ts): the API's Jira intake, and with writeBackEmail the write-back (api, dispatcher, dead-letter); unset: no Jira. */
  jiraSettings: 'LIFECYCLE_JIRA_SETTINGS',
  /** Secrets Manager ARN of the Jira webhook secret (AWS; the API function only). */
  jiraWebhookSecretArn: 'LIFECYCLE_JIRA_WEBHOOK_SECRET_ARN',
  /** The Jira webhook secret itself (local runtime and CLI). */
  jiraWebhookSecret: 'LIFECYCLE_JIRA_WEBHOOK_SECRET',
  /** Secrets Manager ARN of the Jira API token of the write-back account (AWS: the api, dispatcher and dead-letter functions). */
  jiraApiTokenArn: 'LIFECYCLE_JIRA_API_TOKEN_ARN',
  /** The Jira API token itself (local runtime). */
  jiraApiToken: 'LIFECYCLE_JIRA_API_TOKEN',
  /** The stage's matrix setting as JSON (config/matrix.ts): the bot's sync function only; unset: no bot. */
  matrixSettings: 'LIFECYCLE_MATRIX_SETTINGS',
  /** Secrets Manager ARN of the Matrix bot's access token (AWS: the sync function only). */
  matrixAccessTokenArn: 'LIFECYCLE_MATRIX_ACCESS_TOKEN_ARN',
  /** The Matrix bot's access token itself (local runtime). */
  matrixAccessToken: 'LIFECYCLE_MATRIX_ACCESS_TOKEN',
  /** Set ("1") on the functions that settle runs when the stage has a Matrix bot: they queue its thread replies. */
  matrixReports: 'LIFECYCLE_MATRIX_REPORTS',
  /** CLI: where the API is. */
  apiUrl: 'LIFECYCLE_API_URL',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];

/** Reads a required variable, naming it when it is missing. */
export function requireEnv(name: EnvName): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}
