/**
 * The doctor's target on this machine: the real Google, Connect and Notion clients pointed at the emulators (only the
 * endpoint changes), and the local stand-ins of what has no emulator: the secrets the runtime is given, its
 * dead-letter queue and its alert channel.
 */
import { join, resolve } from 'node:path';
import { LOCAL_API_URL, LOCAL_DEFAULTS } from '../../../config/local-defaults';
import { loadStageConfig } from '../../../config/stages';
import { createConnectClient, LOCAL_CONNECT_CREDENTIALS } from '../../../lambdas/providers/connect/connect-client';
import { mintAccessToken } from '../../../lambdas/providers/google/service-account-token';
import { createNotionClient } from '../../../lambdas/providers/notion/notion-client';
import { ENV } from '../../../lambdas/shared/env-names';
import { LOCAL_NOTION_TOKEN } from '../../../local/emulators/notion/notion-emulator';
import { LOCAL_CONNECT_INSTANCE_ID, LOCAL_GOOGLE_ADMIN, LOCAL_NOTION_ROLES_DATA_SOURCE_ID } from '../../../local/emulators/provider-emulators';
import type { LocalAlertChannel } from '../../../local/local-alert-channel';
import { LocalQueue } from '../../../local/local-queue';
import type { FetchLike } from '../io';
import type { DoctorTarget, SecretKind } from './checks';

export const LOCAL_EMULATOR_URL = `http://localhost:${LOCAL_DEFAULTS.emulatorPort}`;

/** The secrets the local runtime holds, by the name the table shows. */
export const LOCAL_SECRETS = {
  'HR signing key': 'signing-key',
  'Google service account key': 'google-key',
  'Notion token': 'notion-token',
  [`receiver key ${LOCAL_DEFAULTS.downstreamName}`]: 'signing-key',
} as const satisfies Record<string, SecretKind>;

export type LocalSecretName = keyof typeof LOCAL_SECRETS;

export interface LocalTargetOptions {
  emulatorUrl: string;
  fetch: FetchLike;
  /** Values in place of the runtime's (a test empties one; LIFECYCLE_HMAC_SECRET sets the HR key as for npm start). */
  secrets?: Partial<Record<LocalSecretName, string>>;
  alerts: DoctorTarget['alerts'];
  deadLetters: DoctorTarget['deadLetters'];
}

async function getJson(fetchFn: FetchLike, url: string): Promise<string> {
  const res = await fetchFn(url, { method: 'GET', headers: {} });
  if (res.status !== 200) throw new Error(`${url} answered HTTP ${res.status}`);
  return res.text();
}

export function localTarget(options: LocalTargetOptions): DoctorTarget {
  const emulatorUrl = options.emulatorUrl.replace(/\/$/, '');
  const stage = loadStageConfig('local');
  const given = options.secrets ?? {};
  const defaults: Record<LocalSecretName, () => Promise<string>> = {
    'HR signing key': async () => LOCAL_DEFAULTS.hmacSecret,
    // As the Cloud console's download of the tenant's service account key.
    'Google service account key': () => getJson(options.fetch, `${emulatorUrl}/_emulator/google/service-account-key`),
    'Notion token': async () => LOCAL_NOTION_TOKEN,
    [`receiver key ${LOCAL_DEFAULTS.downstreamName}`]: async () => LOCAL_DEFAULTS.downstreamKey,
  };
  return {
    name: `local runtime (emulators at ${emulatorUrl})`,
    secrets: (Object.keys(LOCAL_SECRETS) as LocalSecretName[]).map((label) => ({
      label: String(label),
      kind: LOCAL_SECRETS[label],
      read: async () => (label in given ? given[label] : defaults[label]()),
    })),
    google: {
      adminSubject: LOCAL_GOOGLE_ADMIN,
      sender: stage.welcomeEmail.sender,
      customerId: stage.google.customerId,
      mint: (key, subject, scopes) => mintAccessToken(key, subject, scopes, { tokenRoot: emulatorUrl }),
    },
    connect: {
      client: createConnectClient({ region: 'eu-central-1', endpoint: emulatorUrl, credentials: LOCAL_CONNECT_CREDENTIALS, maxAttempts: 1 }),
      instanceId: LOCAL_CONNECT_INSTANCE_ID,
    },
    notion: { client: (token) => createNotionClient({ auth: token, baseUrl: emulatorUrl }), dataSourceId: LOCAL_NOTION_ROLES_DATA_SOURCE_ID },
    alerts: options.alerts,
    deadLetters: options.deadLetters,
  };
}

/** The alert channel and dead-letter queue of a runtime in this process (tests, and anything embedding the runtime). */
export function runtimeParts(runtime: { alerts: LocalAlertChannel; deadLetters: { stats(): { visible: number; inFlight: number; delayed: number } } }): Pick<DoctorTarget, 'alerts' | 'deadLetters'> {
  return {
    alerts: {
      describe: 'the local alert channel',
      subscriptions: async () => runtime.alerts.subscriptions().map((name) => ({ protocol: name, endpoint: name, confirmed: true })),
    },
    deadLetters: {
      describe: 'the local dead-letter queue',
      depth: async () => {
        const s = runtime.deadLetters.stats();
        return s.visible + s.inFlight + s.delayed;
      },
    },
  };
}

/**
 * The alert channel and dead-letter queue of `npm start` running in another process: its dead-letter queue as kept on
 * disk under the data dir, and its console, which prints every alert while the runtime answers.
 */
export function runningRuntimeParts(env: Readonly<Record<string, string | undefined>>, fetchFn: FetchLike): Pick<DoctorTarget, 'alerts' | 'deadLetters'> {
  const dataDir = resolve(env[ENV.dataDir] ?? LOCAL_DEFAULTS.dataDir);
  const apiUrl = (env[ENV.apiUrl] ?? LOCAL_API_URL).replace(/\/$/, '');
  const file = join(dataDir, 'queues', 'steps-dlq.json');
  return {
    alerts: {
      describe: `npm start at ${apiUrl}`,
      subscriptions: async () => {
        const res = await fetchFn(`${apiUrl}/health`, { method: 'GET', headers: {} }).catch((err: unknown) => {
          throw new Error(`the local runtime does not answer at ${apiUrl} (${err instanceof Error ? err.message : String(err)}): start it with npm start`);
        });
        // npm start subscribes its console to the channel: it prints every alert while it runs.
        return res.status === 200 ? [{ protocol: 'console', endpoint: 'npm start', confirmed: true }] : [];
      },
    },
    deadLetters: {
      describe: `the local dead-letter queue (${file})`,
      depth: async () => {
        const s = new LocalQueue({ name: 'steps-dlq', visibilityTimeoutSeconds: LOCAL_DEFAULTS.visibilityTimeoutSeconds, file }).stats();
        return s.visible + s.inFlight + s.delayed;
      },
    },
  };
}

/** The HR key as npm start takes it: LIFECYCLE_HMAC_SECRET when set, the printed local default otherwise. */
export function localSecretsFromEnv(env: Readonly<Record<string, string | undefined>>): Partial<Record<LocalSecretName, string>> {
  return env[ENV.hmacSecret] !== undefined ? { 'HR signing key': env[ENV.hmacSecret] } : {};
}
