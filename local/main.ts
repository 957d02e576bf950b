/** `npm start`: the whole system on this machine, no AWS account needed. */
import './env-defaults';
import { resolve } from 'node:path';
import { ENV, type EnvName } from '../lambdas/shared/env-names';
import { forwardReceiversFromEnv } from '../lambdas/actions/forward/forward-receivers';
import { loadPlaybooksFile } from '../config/playbooks';
import { banner } from './banner';
import { LOCAL_DEFAULTS } from '../config/local-defaults';
import { recoveryLine } from './recovery';
import { startRuntime } from './runtime';
import { LOCAL_NOTION_ROLES_DATA_SOURCE_ID } from './emulators/provider-emulators';
import { localCognitoOf, SAMPLE_COGNITO, startCognitoEmulator, type RunningCognito } from './emulators/cognito/cognito-sample';

function intEnv(name: EnvName, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`${name} must be a whole number, got "${raw}"`);
    process.exit(2);
  }
  return n;
}

/** LIFECYCLE_CONSOLE_SIGN_IN=cognito: the Cognito emulator beside the others, and the console signs in there. */
async function cognitoSignIn(): Promise<RunningCognito | undefined> {
  const choice = process.env[ENV.consoleSignIn];
  if (!choice || choice === 'local') return undefined;
  if (choice !== 'cognito') {
    console.error(`${ENV.consoleSignIn} must be cognito or local, got "${choice}"`);
    process.exit(2);
  }
  return startCognitoEmulator(intEnv(ENV.cognitoPort, LOCAL_DEFAULTS.cognitoPort));
}

async function main() {
  const cognito = await cognitoSignIn();
  const dataDir = resolve(process.env[ENV.dataDir] ?? LOCAL_DEFAULTS.dataDir);
  const secretFromEnv = Boolean(process.env[ENV.hmacSecret]);
  const tokenFromEnv = Boolean(process.env[ENV.operatorToken]);
  const jiraSecretFromEnv = Boolean(process.env[ENV.jiraWebhookSecret]);
  const runtime = await startRuntime({
    port: intEnv(ENV.port, LOCAL_DEFAULTS.port),
    emulatorPort: intEnv(ENV.emulatorPort, LOCAL_DEFAULTS.emulatorPort),
    dataDir,
    hmacSecret: process.env[ENV.hmacSecret] ?? LOCAL_DEFAULTS.hmacSecret,
    operatorToken: process.env[ENV.operatorToken] ?? LOCAL_DEFAULTS.operatorToken,
    jiraWebhookSecret: process.env[ENV.jiraWebhookSecret] ?? LOCAL_DEFAULTS.jiraWebhookSecret,
    // Set, the variable names every receiver (the sample one only if listed too).
    forwardTo: process.env[ENV.forwardTo] !== undefined ? forwardReceiversFromEnv() : undefined,
    sweepIntervalSeconds: intEnv(ENV.sweepIntervalSeconds, LOCAL_DEFAULTS.sweepIntervalSeconds),
    visibilityTimeoutSeconds: intEnv(ENV.visibilityTimeoutSeconds, LOCAL_DEFAULTS.visibilityTimeoutSeconds),
    playbooks: process.env[ENV.playbooksFile] ? loadPlaybooksFile(process.env[ENV.playbooksFile]!) : undefined,
    onAlert: (alert) => console.warn(`\n[ALERT] ${alert.message}\n        What to do: ${alert.whatToDo}\n`),
    cognito: cognito && localCognitoOf(cognito),
  });
  console.log(
    banner({
      apiUrl: runtime.apiUrl,
      emulatorUrl: runtime.emulatorUrl,
      storeEndpoint: runtime.storeEndpoint,
      dataDir,
      forwardTo: runtime.forwardTo,
      sweepIntervalSeconds: intEnv(ENV.sweepIntervalSeconds, LOCAL_DEFAULTS.sweepIntervalSeconds),
      retryBaseSeconds: runtime.engine.settings.retryBaseSeconds,
      hmacSecret: secretFromEnv ? undefined : LOCAL_DEFAULTS.hmacSecret,
      downstream: { name: LOCAL_DEFAULTS.downstreamName, key: LOCAL_DEFAULTS.downstreamKey },
      operatorToken: tokenFromEnv ? undefined : LOCAL_DEFAULTS.operatorToken,
      notionRolesDataSourceId: LOCAL_NOTION_ROLES_DATA_SOURCE_ID,
      scimApps: [...runtime.emulators.scim.apps.values()].map((app) => ({ name: app.name, token: app.state.token })),
      now: runtime.engine.clock.now(),
      ...(runtime.jiraIntakeUrl ? { jira: { intakeUrl: runtime.jiraIntakeUrl, ...(jiraSecretFromEnv ? {} : { webhookSecret: LOCAL_DEFAULTS.jiraWebhookSecret }) } } : {}),
      ...(runtime.matrix ? { matrix: runtime.matrix } : {}),
      ...(runtime.memberTasks ? { memberTasksProject: runtime.memberTasks.settings.project } : {}),
      cognito: cognito && { url: cognito.url, userPoolId: SAMPLE_COGNITO.userPoolId, cliClientId: SAMPLE_COGNITO.cliClientId, users: SAMPLE_COGNITO.users },
    }),
  );
  if (runtime.recovery) console.log(recoveryLine(runtime.recovery));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: finishing the steps in hand and closing the store…`);
    await runtime.stop();
    await cognito?.stop();
    console.log(`stopped; every record is kept under ${dataDir}`);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
