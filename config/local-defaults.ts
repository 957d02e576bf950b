/** What `npm start` uses when the environment says nothing; the CLI uses the same, so both agree with no setup. */
export const LOCAL_DEFAULTS = {
  port: 3000,
  emulatorPort: 4010,
  /** The Cognito emulator's hosted domain, when the console signs in with it (LIFECYCLE_CONSOLE_SIGN_IN=cognito). */
  cognitoPort: 4020,
  dataDir: '.lifecycle',
  /** Local-only values, printed at start: never used on AWS, where the secret lives in Secrets Manager. */
  hmacSecret: 'local-dev-secret',
  /** The sample downstream receiver's key: it verifies forwards with it, we sign them with it. */
  downstreamName: 'sample-downstream',
  downstreamKey: 'local-downstream-key',
  /** The default local operator token, the CLI's: it is in the `operator` and `approver` groups (see LOCAL_OPERATOR_TOKENS). */
  operatorToken: 'local-operator-token',
  /** The secret the local Jira webhook is signed with (`npx lifecycle jira-webhook`), and the Jira emulator's API token. */
  jiraWebhookSecret: 'local-jira-webhook-secret',
  jiraApiToken: 'local-jira-api-token',
  /** The Matrix bot's access token on the local homeserver emulator. */
  matrixAccessToken: 'local-matrix-bot-token',
  sweepIntervalSeconds: 60,
  /**
   * Longer than the local lease (30 s) and action timeout (30 s), as on AWS (six times the dispatcher's timeout):
   * a delivery redelivered while its step still runs would only be handed back and count as a receive.
   * A restart does not wait for it: steps a stopped process left running are queued again at once.
   */
  visibilityTimeoutSeconds: 180,
  tableName: 'account-lifecycle',
} as const;

export const LOCAL_API_URL = `http://localhost:${LOCAL_DEFAULTS.port}`;

/**
 * One local bearer token per operator group, and the default token in both the operator and approver groups, so
 * each permission can be tried under `npm start` as it is on AWS. Local only: on AWS people sign in with Cognito.
 */
export const LOCAL_OPERATOR_TOKENS: ReadonlyArray<{ readonly token: string; readonly name: string; readonly groups: readonly ('viewer' | 'operator' | 'approver')[] }> = [
  { token: LOCAL_DEFAULTS.operatorToken, name: 'local-admin', groups: ['operator', 'approver'] },
  { token: 'local-viewer-token', name: 'local-viewer', groups: ['viewer'] },
  { token: 'local-operator-only-token', name: 'local-operator', groups: ['operator'] },
  { token: 'local-approver-token', name: 'local-approver', groups: ['approver'] },
];
