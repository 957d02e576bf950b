/** The first lines `npm start` prints: where everything is and how to send a first signed event. */
import { LOCAL_API_URL } from '../config/local-defaults';
import { HR_PURPOSE, SIGNATURE_VERSION } from '../lambdas/http/signature';
import { ENV } from '../lambdas/shared/env-names';
import { localDate } from '../lambdas/engine/time';

/** The zone of the employee in the curl example: its effective date is today there. */
const EXAMPLE_TIMEZONE = 'Europe/Berlin';

export interface BannerInfo {
  apiUrl: string;
  emulatorUrl: string;
  storeEndpoint: string;
  dataDir: string;
  forwardTo: { name: string; url: string }[];
  sweepIntervalSeconds: number;
  retryBaseSeconds: number;
  /** Shown only when it is the built-in local default; a secret from the environment is never printed. */
  hmacSecret?: string;
  operatorToken?: string;
  /** The sample downstream receiver and its local-only key (it verifies forwards to it with that key alone). */
  downstream?: { name: string; key: string };
  /** The Notion emulator's role catalog data source. */
  notionRolesDataSourceId?: string;
  /** The SCIM apps the emulators serve, each with its local token (a local default, never a secret from the environment). */
  scimApps?: readonly { name: string; token: string }[];
  /** The Cognito emulator the console signs in with (LIFECYCLE_CONSOLE_SIGN_IN=cognito), its pool and its people. */
  cognito?: { url: string; userPoolId: string; cliClientId: string; users: readonly { username: string; groups: readonly string[] }[] };
  /** The runtime's clock now: the curl example's effective date is this day (the system clock unless given). */
  now?: Date;
  /** The Jira intake, when the stage has one; its webhook secret shown only when it is the local default. */
  jira?: { intakeUrl: string; webhookSecret?: string };
  /** The Matrix bot, when the stage has one: who it is and the rooms it answers in. */
  matrix?: { userId: string; rooms: readonly string[] };
  /** The OpenProject project whose member tasks drive proposed hires, when the stage has them. */
  memberTasksProject?: string;
}

/**
 * The CLI command line that reaches this API: the CLI looks for the API at LIFECYCLE_API_URL (default
 * http://localhost:3000), so on any other port the ready-made command must say where it is.
 */
export function cliCommand(apiUrl: string, args: string): string {
  return apiUrl === LOCAL_API_URL ? `npx lifecycle ${args}` : `${ENV.apiUrl}=${apiUrl} npx lifecycle ${args}`;
}

export function banner(b: BannerInfo): string {
  const secretShown = b.hmacSecret ?? '(from LIFECYCLE_HMAC_SECRET, not shown)';
  const tokenShown = b.operatorToken ?? '(from LIFECYCLE_OPERATOR_TOKEN, not shown)';
  const secretForCurl = b.hmacSecret ?? '"$LIFECYCLE_HMAC_SECRET"';
  const tokenForCurl = b.operatorToken ?? '$LIFECYCLE_OPERATOR_TOKEN';
  const body = `{"eventId":"demo-1","type":"terminate","effectiveDate":"${localDate(b.now ?? new Date(), EXAMPLE_TIMEZONE)}","urgent":true,"employee":{"id":"E100","firstName":"Ada","lastName":"Lovelace","email":"ada.lovelace@example.com","managerEmail":"grace.hopper@example.com","timezone":"${EXAMPLE_TIMEZONE}"}}`;
  return [
    'account-lifecycle is running locally',
    `  HTTP API         ${b.apiUrl}   (GET ${b.apiUrl}/health)`,
    b.cognito
      ? `  console          ${b.apiUrl}/console   (sign in with the Cognito emulator's hosted sign-in, as on AWS; the local tokens still work with curl and the CLI)`
      : `  console          ${b.apiUrl}/console   (sign in as one of the local operators)`,
    ...(b.cognito
      ? [
          `  Cognito          ${b.cognito.url}   user pool ${b.cognito.userPoolId}; its sign-in page offers ${b.cognito.users.map((u) => `${u.username} (${u.groups.join(', ')})`).join(', ')}`,
          `                   npx lifecycle login --stage local-cognito --auth-domain ${b.cognito.url} --client-id ${b.cognito.cliClientId} --api-url ${b.apiUrl}`,
        ]
      : []),
    `  store            ${b.storeEndpoint}   embedded DynamoDB API, data in ${b.dataDir}`,
    `  emulators        ${b.emulatorUrl}   sample downstream receiver at ${b.emulatorUrl}/downstream/events`,
    ...(b.notionRolesDataSourceId ? [`  role catalog     Notion data source ${b.notionRolesDataSourceId} on the emulators; GET ${b.apiUrl}/v1/roles`] : []),
    ...(b.scimApps ?? []).map((app) => `  SCIM app         ${app.name} at ${b.emulatorUrl}/scim/${app.name}/v2 (token ${app.token}); GET ${b.emulatorUrl}/_emulator/scim/state`),
    ...(b.jira ? [`  Jira intake      ${b.jira.intakeUrl}   (webhook secret ${b.jira.webhookSecret ?? `from ${ENV.jiraWebhookSecret}, not shown`}; try a hire: docs/jira.md#locally)`] : []),
    ...(b.matrix ? [`  Matrix bot       ${b.matrix.userId} in ${b.matrix.rooms.join(', ')} on the emulators; try !on: docs/local.md#the-matrix-bot`] : []),
    ...(b.memberTasksProject ? [`  member tasks     OpenProject project ${b.memberTasksProject} on the emulators; GET ${b.emulatorUrl}/_emulator/openproject/state`] : []),
    `  Nextcloud        ${b.emulatorUrl}/ocs/v2.php on the emulators; GET ${b.emulatorUrl}/_emulator/nextcloud/state`,
    `  forwarding to    ${b.forwardTo.map((r) => `${r.name} ${r.url}`).join(', ') || '(none)'}`,
    `  sweep            every ${b.sweepIntervalSeconds} s; retries back off from ${b.retryBaseSeconds} s; 4 receives, then the dead-letter queue`,
    `  HR signing key   ${secretShown}   (signs ${HR_PURPOSE} only; docs/keys.md)`,
    ...(b.downstream ? [`  receiver key     ${b.downstream.key}   (${b.downstream.name}: we sign its forwards with it, it verifies them)`] : []),
    `  operator token   ${tokenShown}   (groups operator and approver; one token per group in docs/api.md#locally-one-token-per-group)`,
    '',
    `Send a signed event with the CLI (it finds the API at ${ENV.apiUrl}, default ${LOCAL_API_URL}):`,
    `  ${cliCommand(b.apiUrl, 'send --sample terminate --urgent')}`,
    'or with curl:',
    `  body='${body}'; ts=$(date +%s); sig=$(printf '%s' "${HR_PURPOSE}.$ts.$body" | openssl dgst -sha256 -hmac ${secretForCurl} | sed 's/^.* //'); curl -sS ${b.apiUrl}/v1/events -H 'Content-Type: application/json' -H "X-Lifecycle-Timestamp: $ts" -H "X-Lifecycle-Signature: ${SIGNATURE_VERSION}=$sig" -d "$body"`,
    'Then look:',
    `  ${cliCommand(b.apiUrl, 'status E100')}      or   curl -sS -H 'Authorization: Bearer ${tokenForCurl}' ${b.apiUrl}/v1/employees/E100`,
    '',
    'Ctrl-C stops; starting again finds every record.',
  ].join('\n');
}
