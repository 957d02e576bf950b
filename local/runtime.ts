/**
 * The whole system in one process: embedded store, local queues with SQS semantics, the HTTP API,
 * the sweep on a timer, the queue workers and the emulators, all running the real handler code.
 */
import { join } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { LOCAL_API_URL, LOCAL_DEFAULTS } from '../config/local-defaults';
import { playbooksForSet } from '../config/playbooks';
import type { Playbooks } from '../config/schema';
import { loadStageConfig } from '../config/stages';
import { InProcessActionInvoker } from '../lambdas/adapters/in-process-action-invoker';
import type { AccountPolicy } from '../lambdas/actions/account-policy';
import type { Alert } from '../lambdas/engine/model';
import { systemClock, type Clock, type EngineDeps, type EngineSettings } from '../lambdas/engine/ports';
import { header, parseKeyRing, type KeyRing } from '../lambdas/http/signature';
import { receiverWithKey, type ForwardReceiver } from '../lambdas/actions/forward/forward-receivers';
import { createApiHandler } from '../lambdas/handlers/api';
import { createDeadLetterHandler } from '../lambdas/handlers/dead-letter';
import { createDispatcherHandler } from '../lambdas/handlers/dispatcher';
import { createSweepHandler } from '../lambdas/handlers/sweep';
import { engineMetrics } from '../lambdas/shared/metrics';
import { engineLog } from '../lambdas/shared/observability';
import { engineSettingsFromEnv } from '../lambdas/shared/settings';
import { createDocumentClient, DynamoStore } from '../lambdas/store/dynamo-store';
import { LOCAL_AWS, startEmbeddedStore } from './embedded-store';
import type { DownstreamReceiver } from './emulators/downstream';
import { LOCAL_CONNECT_INSTANCE_ID, LOCAL_GOOGLE_ADMIN, LOCAL_NOTION_ROLES_DATA_SOURCE_ID, startProviderEmulators, type ProviderEmulators } from './emulators/provider-emulators';
import { LOCAL_NOTION_TOKEN } from './emulators/notion/notion-emulator';
import { createNotionClient } from '../lambdas/providers/notion/notion-client';
import { NotionRoleCatalog } from '../lambdas/providers/notion/role-catalog';
import { readKnownReferences } from '../lambdas/roles/known-references';
import { createGoogleClients } from '../lambdas/providers/google/google-clients';
import { DEFAULT_RATE_LIMIT } from '../lambdas/providers/rate-limited-fetch';
import { createConnectClient, LOCAL_CONNECT_CREDENTIALS } from '../lambdas/providers/connect/connect-client';
import { LocalPasswordSealer } from '../lambdas/credentials/local-sealer';
import { startHttpServer } from './http-server';
import { localContext } from './lambda-context';
import { LocalQueue, LocalStepQueue } from './local-queue';
import { LocalScheduler } from './local-scheduler';
import { startQueueWorker } from './queue-worker';
import { errorFields } from '../lambdas/shared/log-fields';


export interface RuntimeOptions {
  port?: number;
  emulatorPort?: number;
  /** Where the store and queues keep their data; null keeps everything in memory. */
  dataDir?: string | null;
  /** The key HR signs events with (bare, or both versions). */
  hmacSecret?: string | KeyRing;
  operatorToken?: string;
  /** The downstream receivers of data forwarding, each with its key; by default the sample receiver on the emulator server. */
  forwardTo?: ForwardReceiver[];
  /** The sample receiver's key (bare, or both versions); LOCAL_DEFAULTS.downstreamKey unless given. */
  downstreamKey?: string | KeyRing;
  sweepIntervalSeconds?: number;
  visibilityTimeoutSeconds?: number;
  /** Protected accounts and adoption of unbound ones; default: the local stage's `accounts`. */
  accountPolicy?: AccountPolicy;
  settings?: Partial<EngineSettings>;
  workerConcurrency?: number;
  playbooks?: Playbooks;
  clock?: Clock;
  /** The provider emulators' clock (e.g. the time Gmail stamps on a sent mail); the system clock unless given. */
  providerClock?: Clock;
  onAlert?: (alert: Alert) => void;
  /** What this process allows itself against Google (the emulator may enforce its own quota). */
  googleRequestsPerMinute?: number;
  /** How long the role catalog read from Notion is kept, in milliseconds. */
  roleCacheMs?: number;
}

export interface Runtime {
  apiUrl: string;
  emulatorUrl: string;
  emulators: ProviderEmulators;
  storeEndpoint: string;
  dataDir: string | null;
  /** Where forwarded events go (the keys stay inside). */
  forwardTo: { name: string; url: string }[];
  engine: EngineDeps;
  steps: LocalQueue;
  /** Exact-time step wakes (EventBridge Scheduler on AWS). */
  wakes: LocalScheduler;
  deadLetters: LocalQueue;
  downstream: DownstreamReceiver;
  sweepNow(): Promise<unknown>;
  /** True when no step message is waiting or being worked on. */
  idle(): boolean;
  stop(): Promise<void>;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const stage = loadStageConfig('local');
  const dataDir = options.dataDir === undefined ? LOCAL_DEFAULTS.dataDir : options.dataDir;
  const asRing = (key: string | KeyRing, source: string) => (typeof key === 'string' ? parseKeyRing(key, source) : key);
  const hrKeys = asRing(options.hmacSecret ?? LOCAL_DEFAULTS.hmacSecret, 'the HR signing key');
  const downstreamKeys = asRing(options.downstreamKey ?? LOCAL_DEFAULTS.downstreamKey, 'the sample receiver key');
  const operatorToken = options.operatorToken ?? LOCAL_DEFAULTS.operatorToken;
  const settings: EngineSettings = { ...engineSettingsFromEnv(stage), ...options.settings };
  const visibility = options.visibilityTimeoutSeconds ?? LOCAL_DEFAULTS.visibilityTimeoutSeconds;

  // Whatever has started is stopped again, in reverse order, if a later part fails to start.
  const started: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of started.reverse()) await stop();
  };
  try {
    return await assemble();
  } catch (err) {
    await stopAll();
    throw err;
  }

  async function assemble(): Promise<Runtime> {
  const store = await startEmbeddedStore({ path: dataDir ? join(dataDir, 'db') : undefined, tableName: LOCAL_DEFAULTS.tableName });
  started.push(() => store.stop());
  const emulators = await startProviderEmulators({ port: options.emulatorPort ?? LOCAL_DEFAULTS.emulatorPort, dataDir, downstream: { name: LOCAL_DEFAULTS.downstreamName, keys: () => downstreamKeys }, now: options.providerClock && (() => options.providerClock!.now().getTime()) });
  started.push(() => emulators.stop());
  const emulatorUrl = emulators.server.url;
  const downstream = emulators.downstream;
  const forwardTo = options.forwardTo ?? [receiverWithKey(LOCAL_DEFAULTS.downstreamName, `${emulatorUrl}/downstream/events`, downstreamKeys)];
  // The real clients, pointed at the emulators: only the root URL, endpoint and credentials differ.
  const google = createGoogleClients({
    rootUrl: `${emulatorUrl}/`,
    customerId: 'my_customer',
    adminSubject: LOCAL_GOOGLE_ADMIN,
    credentials: { kind: 'static-token', token: 'local' },
    rateLimit: { ...DEFAULT_RATE_LIMIT, perMinute: options.googleRequestsPerMinute ?? DEFAULT_RATE_LIMIT.perMinute },
  });
  const connect = {
    client: createConnectClient({ region: emulators.connect.region, endpoint: emulatorUrl, credentials: LOCAL_CONNECT_CREDENTIALS }),
    instanceId: LOCAL_CONNECT_INSTANCE_ID,
  };

  const notion = createNotionClient({ auth: LOCAL_NOTION_TOKEN, baseUrl: emulatorUrl });
  const roleCatalog = new NotionRoleCatalog({ client: () => notion, dataSourceId: LOCAL_NOTION_ROLES_DATA_SOURCE_ID, ttlMs: options.roleCacheMs });

  const deadLetters = new LocalQueue({ name: 'steps-dlq', visibilityTimeoutSeconds: visibility, file: dataDir ? join(dataDir, 'queues', 'steps-dlq.json') : undefined });
  const steps = new LocalQueue({
    name: 'steps',
    visibilityTimeoutSeconds: visibility,
    redrive: { deadLetter: deadLetters, maxReceiveCount: settings.maxReceiveCount },
    file: dataDir ? join(dataDir, 'queues', 'steps.json') : undefined,
  });

  const clock = options.clock ?? systemClock;
  const lifecycleStore = new DynamoStore(createDocumentClient({ ...LOCAL_AWS, endpoint: store.endpoint }), LOCAL_DEFAULTS.tableName);
  // Initial passwords are sealed with a key kept beside the local data (mode 0600), or in memory without a data dir.
  const passwordSealer = LocalPasswordSealer.forDataDir(dataDir);
  // Known once the API listens; the welcome email's link points at it.
  let publicApiUrl = LOCAL_API_URL;
  // A wake runs the sweep handler with the wake as its input, as Scheduler invokes the sweep Lambda on AWS.
  const wakes = new LocalScheduler({
    file: dataDir ? join(dataDir, 'wakes.json') : undefined,
    clock,
    log: engineLog,
    fire: (wake) => sweepHandler({ wake: { employeeId: wake.employeeId, runId: wake.runId } }, localContext('sweep')),
  });
  const roles = { catalog: roleCatalog, knownReferences: () => readKnownReferences(google, connect) };
  const engine: EngineDeps = {
    store: lifecycleStore,
    queue: new LocalStepQueue(steps),
    invoker: new InProcessActionInvoker({
      fetch: globalThis.fetch,
      clock,
      forwardTo,
      providers: { google: () => google, connect: () => connect },
      credentials: () => ({ store: lifecycleStore, sealer: passwordSealer }),
      welcomeEmail: () => ({ sender: stage.welcomeEmail.sender, linkValidDays: stage.welcomeEmail.linkValidDays, publicApiUrl: () => publicApiUrl }),
      operatorEmails: () => stage.alertEmails,
      accountPolicy: () => options.accountPolicy ?? stage.accounts,
    }),
    alerts: {
      publish: async (alert) => {
        options.onAlert?.(alert);
      },
    },
    clock,
    settings,
    playbooks: options.playbooks ?? playbooksForSet(stage.playbookSet),
    log: engineLog,
    metrics: engineMetrics,
    wakes,
    roles,
  };

  const api = createApiHandler(() => ({
    engine,
    hrKeys: async () => hrKeys,
    operator: (event: APIGatewayProxyEvent) => {
      const auth = header(event.headers, 'authorization') ?? '';
      const token = /^Bearer (.+)$/i.exec(auth)?.[1];
      return token && sameSecret(token, operatorToken) ? 'local-operator' : undefined;
    },
    roles,
    passwords: () => passwordSealer,
  }));
  const concurrency = options.workerConcurrency ?? stage.dispatcherMaxConcurrency;
  const dispatcher = startQueueWorker({ queue: steps, handler: createDispatcherHandler(() => engine), functionName: 'dispatcher', concurrency, batchSize: 10 });
  const deadLetterWorker = startQueueWorker({ queue: deadLetters, handler: createDeadLetterHandler(() => engine), functionName: 'dead-letter' });
  started.push(async () => {
    await Promise.all([dispatcher.stop(), deadLetterWorker.stop()]);
    steps.flush();
    deadLetters.flush();
  });
  const http = await startHttpServer(api, options.port ?? LOCAL_DEFAULTS.port);
  publicApiUrl = http.url;
  started.push(
    () =>
      new Promise<void>((resolve) => {
        http.server.close(() => resolve());
        http.server.closeAllConnections();
      }),
  );
  const sweepHandler = createSweepHandler(() => engine);
  const sweepNow = () => sweepHandler({}, localContext('sweep'));
  const sweepMs = (options.sweepIntervalSeconds ?? LOCAL_DEFAULTS.sweepIntervalSeconds) * 1000;
  const timer = setInterval(() => {
    sweepNow().catch((err: unknown) => engineLog.error('sweep failed', errorFields(err)));
  }, sweepMs);
  started.push(async () => clearInterval(timer));
  // A restart catches up at once on whatever fell due while the system was down.
  await sweepNow();
  await wakes.start();
  started.push(() => wakes.stop());

  return {
    apiUrl: http.url,
    emulatorUrl,
    emulators,
    storeEndpoint: store.endpoint,
    dataDir,
    forwardTo: forwardTo.map(({ name, url }) => ({ name, url })),
    engine,
    steps,
    wakes,
    deadLetters,
    downstream,
    sweepNow,
    idle: () => steps.stats().visible + steps.stats().inFlight + deadLetters.stats().visible + deadLetters.stats().inFlight === 0,
    stop: stopAll,
  };
  }
}
