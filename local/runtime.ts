/**
 * The whole system in one process: embedded store, local queues with SQS semantics, the HTTP API,
 * the sweep on a timer, the queue workers and the emulators, all running the real handler code.
 */
import type { ConnectBudgets } from '../lambdas/providers/connect/connect-budget';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { LOCAL_API_URL, LOCAL_DEFAULTS, LOCAL_OPERATOR_TOKENS } from '../config/local-defaults';
import { callerFromClaims, type Caller } from '../lambdas/http/operator-auth';
import { checkDeletionKeepsMail, playbooksForSet } from '../config/playbooks';
import type { Playbooks, StageConfig } from '../config/schema';
import { loadStageConfig } from '../config/stages';
import { InProcessActionInvoker } from '../lambdas/adapters/in-process-action-invoker';
import type { AccountPolicy } from '../lambdas/actions/account-policy';
import type { Alert } from '../lambdas/engine/model';
import { systemClock, type Clock, type EngineDeps, type EngineSettings, type StepMessage } from '../lambdas/engine/ports';
import { actionCatalog } from '../lambdas/handlers/engine-deps';
import { releaseAbandonedStep } from '../lambdas/engine/recovery';
import { header, parseKeyRing, type KeyRing } from '../lambdas/http/signature';
import { receiverWithKey, type ForwardReceiver } from '../lambdas/actions/forward/forward-receivers';
import { createApiHandler } from '../lambdas/handlers/api';
import type { ApiDeps } from '../lambdas/http/api-routes';
import type { JiraIntake } from '../lambdas/http/jira-route';
import type { JiraSettings } from '../config/jira';
import { JiraClient } from '../lambdas/providers/jira/jira-client';
import { jiraWriteBack, type JiraWriteBack } from '../lambdas/jira/jira-write-back';
import { combineReports } from '../lambdas/engine/run-reports';
import { memberTaskReports, type MemberTaskDeps } from '../lambdas/openproject/member-tasks';
import type { OpenProjectIntake } from '../lambdas/http/openproject-route';
import { OpenProjectClient } from '../lambdas/providers/openproject/openproject-client';
import { LOCAL_OPENPROJECT_TOKEN, LOCAL_OPENPROJECT_WEBHOOK_SECRET } from './emulators/openproject/openproject-emulator';
import { createDeadLetterHandler } from '../lambdas/handlers/dead-letter';
import { createDispatcherHandler } from '../lambdas/handlers/dispatcher';
import { createSweepHandler } from '../lambdas/handlers/sweep';
import { engineMetrics } from '../lambdas/shared/metrics';
import { engineLog } from '../lambdas/shared/observability';
import { engineSettingsFromEnv } from '../lambdas/shared/settings';
import { createDocumentClient, DynamoStore } from '../lambdas/store/dynamo-store';
import type { DynamoTable } from '../lambdas/store/dynamo/dynamo-table';
import { DEFAULT_RATE_LIMIT, type RequestBudget } from '../lambdas/providers/rate-limited-fetch';
import { LOCAL_AWS, startEmbeddedStore, type EmbeddedStore } from './embedded-store';
import type { DownstreamReceiver } from './emulators/downstream';
import { startProviderEmulators, type ProviderEmulators } from './emulators/provider-emulators';
import { LocalPasswordSealer } from './credentials/local-sealer';
import { LocalAttestationSigner } from './attestation/local-signer';
import { startHttpServer, type ApiHandler, type StaticFiles } from './http-server';
import { consoleFiles } from './console-files';
import { cognitoTokenVerifier, withCognitoAuthorizer, type LocalCognito } from './cognito-authorizer';
import { buildConsole } from '../console/build';
import { consoleCallbackUrl, consoleSignOutUrl } from '../console/sign-in-config';
import { localProviderClients, type ProviderClients } from './provider-clients';
import { DynamoConsolidationRepository } from '../lambdas/store/dynamo/consolidation-repository';
import { directoryReaders } from '../lambdas/consolidation/readers';
import { runConsolidation } from '../lambdas/consolidation/consolidate';
import { applyFix, type RevokeSystemAccess } from '../lambdas/consolidation/fix';
import type { ConsolidationApi } from '../lambdas/consolidation/consolidation-api';
import type { RecoveryReport } from './recovery';
import { localContext } from './lambda-context';
import { noInstrument, type RuntimeInstrument } from './instrument';
import { LocalAlertChannel } from './local-alert-channel';
import { LocalQueue, LocalStepQueue } from './local-queue';
import { PriorityQueues } from './priority-queues';
import { DEFAULT_PRIORITY, type PriorityClass } from '../config/priority';
import { LocalScheduler } from './local-scheduler';
import { startQueueWorker } from './queue-worker';
import { errorFields } from '../lambdas/shared/log-fields';
import type { DirectoryReader } from '../lambdas/consolidation/directory';
import { SCHEDULE_ACTOR } from '../lambdas/consolidation/directory-read';
import { checkInactivity, type InactivityReport } from '../lambdas/inactivity/check';
import { gmailInactivityMailer } from '../lambdas/inactivity/notice-mailer';
import type { InactivitySettings } from '../config/inactivity';
import { revokeSystemAccess } from '../lambdas/engine/system-revoke';
import { localMatrix } from './matrix-bot';
import { proposalFollowUps } from '../lambdas/openproject/member-tasks';
import { memberTaskPollTurn, type MemberTaskPollTurn } from '../lambdas/openproject/member-task-poll';
import { DynamoMemberTaskPollStore } from '../lambdas/store/dynamo/member-task-poll-repository';
import type { MemberTaskPollSettings } from '../config/openproject';
import type { MatrixSettings } from '../config/matrix';

export interface RuntimeOptions {
  port?: number;
  emulatorPort?: number;
  /** Where the store and queues keep their data; null keeps everything in memory. */
  dataDir?: string | null;
  /** The key HR signs events with (bare, or both versions). */
  hmacSecret?: string | KeyRing;
  /** The token of the `local-admin` operator (groups operator and approver); LOCAL_DEFAULTS.operatorToken unless given. */
  operatorToken?: string;
  /** Bearer tokens and who each is; default: LOCAL_OPERATOR_TOKENS with the admin token replaced by `operatorToken`. */
  operatorTokens?: readonly LocalOperatorToken[];
  /**
   * A Cognito user pool (the Cognito emulator's) whose access tokens the API accepts beside the local tokens, verified
   * as API Gateway's authorizer verifies them; with its `console` client the console signs people in there.
   */
  cognito?: LocalCognito;
  /** The downstream receivers of data forwarding, each with its key; by default the sample receiver on the emulator server. */
  forwardTo?: ForwardReceiver[];
  /** The secret Jira webhooks are signed with; LOCAL_DEFAULTS.jiraWebhookSecret unless given. */
  jiraWebhookSecret?: string;
  /** Changes to the local stage's jira setting (e.g. `transitions`, `serviceDesk`), laid over it. */
  jira?: Partial<JiraSettings>;
  /** The sample receiver's key (bare, or both versions); LOCAL_DEFAULTS.downstreamKey unless given. */
  downstreamKey?: string | KeyRing;
  sweepIntervalSeconds?: number;
  visibilityTimeoutSeconds?: number;
  /** Protected accounts and adoption of unbound ones; default: the local stage's `accounts`. */
  accountPolicy?: AccountPolicy;
  settings?: Partial<EngineSettings>;
  workerConcurrency?: number;
  /** How long a lower priority class may wait unserved while higher ones are taken (DEFAULT_STARVATION_SECONDS). */
  starvationSeconds?: number;
  playbooks?: Playbooks;
  clock?: Clock;
  /** The provider emulators' clock (e.g. the time Gmail stamps on a sent mail); the system clock unless given. */
  providerClock?: Clock;
  onAlert?: (alert: Alert) => void;
  /** What this process allows itself against Google (the emulator may enforce its own quota). */
  googleRequestsPerMinute?: number;
  /**
   * What Google requests take from, built on the runtime's own table (e.g. the stage's shared budget as several action
   * containers draw on it); by default this process's bucket at googleRequestsPerMinute.
   */
  googleBudget?: (table: DynamoTable, perMinute: number) => RequestBudget;
  /** What each Connect request takes from, per API (e.g. this process's bucket per API at the stage's rate); unset: no Connect budget. */
  connectBudgets?: ConnectBudgets;
  /** How long the role catalog read from Notion is kept, in milliseconds. */
  roleCacheMs?: number;
  /** Sees each handler and the store's client as they are assembled (the cost benchmark counts them); none by default. */
  instrument?: RuntimeInstrument;
  /** The readers the inactivity check reads (docs/inactivity.md); by default one over the Google emulator's state. */
  inactivityReaders?: (emulators: ProviderEmulators) => DirectoryReader[];
  /** How often the inactivity check runs, in seconds (default once a day); 0: only when asked (inactivityNow). */
  inactivityIntervalSeconds?: number;
  /** Changes to the local stage's inactivity setting (days, exclusions, …), laid over it. */
  inactivity?: Partial<InactivitySettings>;
  /** Changes to the local stage's matrix setting (e.g. `startInDays`, `powerLevel`) laid over it; false: no bot even when the stage has one. */
  matrix?: Partial<MatrixSettings> | false;
  /** The Matrix bot's access token on the homeserver emulator; LOCAL_DEFAULTS.matrixAccessToken unless given. */
  matrixAccessToken?: string;
  /** The system-scoped revoke run a consolidation `remove` fix starts; by default the engine's revokeSystemAccess. */
  revokeSystemAccess?: RevokeSystemAccess;
  /** The member task poll's schedule, laid over the stage's `openproject.memberTasks.poll`; false: no timer (memberTaskPollNow still polls). */
  memberTaskPoll?: MemberTaskPollSettings | false;
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
  /** The steps queues, one per priority class, read highest class first. */
  steps: PriorityQueues;
  /** Exact-time step wakes (EventBridge Scheduler on AWS). */
  wakes: LocalScheduler;
  deadLetters: LocalQueue;
  /** The operator alert channel (the SNS topic on AWS); `onAlert`, when given, is its subscriber `console`. */
  alerts: LocalAlertChannel;
  downstream: DownstreamReceiver;
  /** The Jira intake's URL when the stage has a `jira` setting (the emulator delivers its webhooks there). */
  jiraIntakeUrl?: string;
  /** The OpenProject member tasks when the stage has `openproject.memberTasks` (the emulator delivers its webhooks to the intake). */
  memberTasks?: MemberTaskDeps;
  /** The Matrix bot when the stage has one: its user and the rooms it answers in. */
  matrix?: { userId: string; rooms: readonly string[] };
  /** What a restart found on disk and caught up on; undefined on a first start or without a data dir. */
  recovery?: RecoveryReport;
  sweepNow(): Promise<unknown>;
  /** Runs the inactivity check now, as its daily timer does; `dryRun` only reports. */
  inactivityNow(options?: { dryRun?: boolean }): Promise<InactivityReport>;
  /** One turn of the member task poll now, as its timer does (the position in the table); only with member tasks. */
  memberTaskPollNow?(): Promise<MemberTaskPollTurn>;
  /** Consolidation: its latest report, a read of every system now (as the API's), a finding's fix. */
  consolidation: ConsolidationApi;
  /** True when no step message is waiting or being worked on. */
  idle(): boolean;
  stop(): Promise<void>;
}

/** The playbooks the runtime runs (a file given at start, or the stage's set), refused when they delete what the stage keeps on a Vault hold. */
function checkedPlaybooks(playbooks: Playbooks, stage: StageConfig): Playbooks {
  checkDeletionKeepsMail(playbooks, stage.mailRetention, stage.stage);
  return playbooks;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Whatever has started, stopped again in reverse order: on stop, or when a later part fails to start. */
class StartedParts {
  private readonly stops: (() => Promise<void>)[] = [];

  add(stop: () => Promise<void>): void {
    this.stops.push(stop);
  }

  async stopAll(): Promise<void> {
    for (const stop of this.stops.splice(0).reverse()) await stop();
  }
}

/** The options resolved against the local stage and the local defaults. */
interface RuntimeSettings {
  stage: StageConfig;
  dataDir: string | null;
  hrKeys: KeyRing;
  downstreamKeys: KeyRing;
  operatorTokens: readonly LocalOperatorToken[];
  engine: EngineSettings;
  visibilityTimeoutSeconds: number;
  clock: Clock;
}

function runtimeSettings(options: RuntimeOptions): RuntimeSettings {
  const local = loadStageConfig('local');
  const stage = options.jira && local.jira ? { ...local, jira: { ...local.jira, ...options.jira } } : local;
  const asRing = (key: string | KeyRing, source: string) => (typeof key === 'string' ? parseKeyRing(key, source) : key);
  return {
    stage,
    dataDir: options.dataDir === undefined ? LOCAL_DEFAULTS.dataDir : options.dataDir,
    hrKeys: asRing(options.hmacSecret ?? LOCAL_DEFAULTS.hmacSecret, 'the HR signing key'),
    downstreamKeys: asRing(options.downstreamKey ?? LOCAL_DEFAULTS.downstreamKey, 'the sample receiver key'),
    operatorTokens: options.operatorTokens ?? localOperatorTokens(options.operatorToken),
    engine: { ...engineSettingsFromEnv(stage), ...options.settings },
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? LOCAL_DEFAULTS.visibilityTimeoutSeconds,
    clock: options.clock ?? systemClock,
  };
}

/** A file under the data dir, or undefined when everything is kept in memory. */
const dataFile = (dataDir: string | null, ...path: string[]) => (dataDir ? join(dataDir, ...path) : undefined);

/** The embedded store and the provider emulators, each stopped with the runtime. */
async function startBackends(options: RuntimeOptions, s: RuntimeSettings, started: StartedParts): Promise<{ store: EmbeddedStore; emulators: ProviderEmulators }> {
  const store = await startEmbeddedStore({ path: dataFile(s.dataDir, 'db'), tableName: LOCAL_DEFAULTS.tableName });
  started.add(() => store.stop());
  const providerClock = options.providerClock;
  const emulators = await startProviderEmulators({
    port: options.emulatorPort ?? LOCAL_DEFAULTS.emulatorPort,
    dataDir: s.dataDir,
    downstream: { name: LOCAL_DEFAULTS.downstreamName, keys: () => s.downstreamKeys },
    now: providerClock && (() => providerClock.now().getTime()),
  });
  started.add(() => emulators.stop());
  return { store, emulators };
}

/**
 * The steps queues, one per priority class, and their shared dead-letter queue, with SQS semantics, kept on disk beside
 * the store. The default class's queue keeps the file of the single queue before it, so a restart loses no message.
 */
function openQueues(s: RuntimeSettings, starvationSeconds?: number): { steps: PriorityQueues; deadLetters: LocalQueue } {
  const visibilityTimeoutSeconds = s.visibilityTimeoutSeconds;
  const deadLetters = new LocalQueue({ name: 'steps-dlq', visibilityTimeoutSeconds, file: dataFile(s.dataDir, 'queues', 'steps-dlq.json') });
  const queueOf = (priority: PriorityClass) =>
    new LocalQueue({
      name: `steps-${priority}`,
      visibilityTimeoutSeconds,
      redrive: { deadLetter: deadLetters, maxReceiveCount: s.engine.maxReceiveCount },
      file: dataFile(s.dataDir, 'queues', priority === DEFAULT_PRIORITY ? 'steps.json' : `steps-${priority}.json`),
    });
  const steps = new PriorityQueues({ lockout: queueOf('lockout'), protect: queueOf('protect'), housekeeping: queueOf('housekeeping') }, starvationSeconds);
  return { steps, deadLetters };
}

/** The engine's ports, each with its local adapter; actions run in process against the emulators. */
function localEngine(
  options: RuntimeOptions,
  s: RuntimeSettings,
  parts: { store: DynamoStore; clients: ProviderClients; steps: PriorityQueues; wakes: LocalScheduler; forwardTo: ForwardReceiver[]; sealer: LocalPasswordSealer; publicApiUrl: () => string; alerts: LocalAlertChannel },
): EngineDeps {
  const { stage } = s;
  const { google, connect, zendesk, scim, front, nextcloud, openproject, roles } = parts.clients;
  return {
    store: parts.store,
    queue: new LocalStepQueue(parts.steps),
    invoker: new InProcessActionInvoker({
      fetch: globalThis.fetch,
      clock: s.clock,
      forwardTo: parts.forwardTo,
      providers: { google: () => google, connect: () => connect, zendesk: () => zendesk, scim: () => scim, front: () => front, nextcloud: () => nextcloud, openproject: () => openproject },
      credentials: () => ({ store: parts.store, sealer: parts.sealer }),
      welcomeEmail: () => ({ sender: stage.welcomeEmail.sender, linkValidDays: stage.welcomeEmail.linkValidDays, publicApiUrl: parts.publicApiUrl }),
      operatorEmails: () => stage.alertEmails,
      mailboxDelegation: () => stage.mailboxDelegation,
      mailRetention: () => stage.mailRetention,
      handover: () => stage.handover,
      accountPolicy: () => options.accountPolicy ?? stage.accounts,
    }, { timeoutSeconds: stage.actionTimeoutSeconds }),
    actions: actionCatalog,
    alerts: parts.alerts,
    clock: s.clock,
    settings: s.engine,
    playbooks: checkedPlaybooks(options.playbooks ?? playbooksForSet(stage.playbookSet), stage),
    log: engineLog,
    metrics: engineMetrics,
    wakes: parts.wakes,
    roles,
  };
}

export type LocalOperatorToken = (typeof LOCAL_OPERATOR_TOKENS)[number];

/** The local tokens, the default one replaced when LIFECYCLE_OPERATOR_TOKEN (or the option) names another. */
export function localOperatorTokens(adminToken: string = LOCAL_DEFAULTS.operatorToken): LocalOperatorToken[] {
  return LOCAL_OPERATOR_TOKENS.map((t) => (t.token === LOCAL_DEFAULTS.operatorToken ? { ...t, token: adminToken } : t));
}

/** Who a request's bearer token is, compared in constant time against every local token: API Gateway's authorizer locally. */
export function localCaller(tokens: readonly LocalOperatorToken[], event: Pick<APIGatewayProxyEvent, 'headers'>): Caller | undefined {
  const auth = header(event.headers, 'authorization') ?? '';
  const token = /^Bearer (.+)$/i.exec(auth)?.[1];
  if (!token) return undefined;
  const found = tokens.filter((t) => sameSecret(token, t.token)).at(0);
  return found && { name: found.name, kind: 'person', groups: found.groups };
}

/**
 * The API handler, with the bearer token mapped to a local operator in place of API Gateway's Cognito authorizer; with
 * a user pool, its verified access tokens are read from the authorizer's claims as on AWS.
 */
function localApiHandler(engine: EngineDeps, s: RuntimeSettings, sealer: LocalPasswordSealer, signer: LocalAttestationSigner, cognito?: LocalCognito, jira?: JiraIntake, inactivity?: Pick<ApiDeps, 'inactivity' | 'inactivityRun'>, openproject?: OpenProjectIntake, consolidation?: ConsolidationApi): ApiHandler {
  const handler = createApiHandler(() => ({
    jira,
    ...inactivity,
    openproject,
    consolidation,
    engine,
    hrKeys: async () => s.hrKeys,
    operator: (event: APIGatewayProxyEvent) =>
      localCaller(s.operatorTokens, event) ?? (cognito ? callerFromClaims(event.requestContext?.authorizer?.claims as Record<string, unknown> | undefined) : undefined),
    roles: engine.roles,
    passwords: () => sealer,
    attestation: () => signer,
  }));
  return cognito ? withCognitoAuthorizer(handler, cognitoTokenVerifier(cognito)) : handler;
}

/**
 * The local stage's Jira write-back, its site the Jira emulator: the engine's reports (a step needing an operator, the
 * run's end, then the ticket's move) and the intake's (the plan) go through this one, as on AWS.
 */
function localJiraWriteBack(s: RuntimeSettings, emulatorUrl: string, engine: EngineDeps): JiraWriteBack | undefined {
  const email = s.stage.jira?.writeBackEmail;
  if (!s.stage.jira || !email) return undefined;
  const { transitions, serviceDesk, startStatus } = s.stage.jira;
  return jiraWriteBack(async () => new JiraClient({ baseUrl: emulatorUrl, email, apiToken: LOCAL_DEFAULTS.jiraApiToken }), engine.log, {
    ...(transitions ? { transitions, startStatus } : {}),
    ...(serviceDesk ? { internal: true } : {}),
    latest: (run) => engine.store.getRun(run.employeeId, run.runId),
  });
}

/** The local stage's member tasks, in the OpenProject emulator with its admin's token; only the base URL differs from AWS. */
function localMemberTasks(s: RuntimeSettings, emulatorUrl: string): ((engine: EngineDeps) => MemberTaskDeps) | undefined {
  const op = s.stage.openproject;
  if (!op?.memberTasks) return undefined;
  const client = new OpenProjectClient({ baseUrl: emulatorUrl, apiToken: async () => LOCAL_OPENPROJECT_TOKEN, requestsPerMinute: op.requestsPerMinute });
  const settings = op.memberTasks;
  return (engine) => ({ engine, openproject: () => client, settings });
}

/** The local stage's Jira intake, its site the Jira emulator, its webhook secret the local default unless given. */
function localJiraIntake(s: RuntimeSettings, options: RuntimeOptions, emulatorUrl: string, writeBack: JiraWriteBack | undefined): JiraIntake | undefined {
  if (!s.stage.jira) return undefined;
  const secret = options.jiraWebhookSecret ?? LOCAL_DEFAULTS.jiraWebhookSecret;
  return { settings: { ...s.stage.jira, baseUrl: emulatorUrl }, webhookSecret: async () => secret, ...(writeBack ? { writeBack } : {}) };
}

/** The dispatcher and the dead-letter handler, each on its queue; stopping them waits for the steps in hand. */
async function startWorkers(engine: EngineDeps, queues: { steps: PriorityQueues; deadLetters: LocalQueue }, concurrency: number, timeoutSeconds: number, started: StartedParts, instrument: RuntimeInstrument): Promise<void> {
  // No worker outlives this process: a step the last one left running is queued again and its message delivered now.
  for (const m of queues.steps.peek()) {
    if (await releaseAbandonedStep(engine, JSON.parse(m.body) as StepMessage)) queues.steps.changeVisibility(m.receiptHandle ?? '', 0);
  }
  const dispatcher = startQueueWorker({ queue: queues.steps, handler: instrument.handler('dispatcher', createDispatcherHandler(() => engine)), functionName: 'dispatcher', concurrency, batchSize: 10, timeoutSeconds });
  const deadLetterWorker = startQueueWorker({ queue: queues.deadLetters, handler: instrument.handler('dead-letter', createDeadLetterHandler(() => engine)), functionName: 'dead-letter' });
  started.add(async () => {
    await Promise.all([dispatcher.stop(), deadLetterWorker.stop()]);
    queues.steps.flush();
    queues.deadLetters.flush();
  });
}

async function startApi(api: ApiHandler, port: number, started: StartedParts, files?: StaticFiles): Promise<string> {
  const http = await startHttpServer(api, port, undefined, files);
  started.add(
    () =>
      new Promise<void>((resolve) => {
        http.server.close(() => resolve());
        http.server.closeAllConnections();
      }),
  );
  return http.url;
}

/** Consolidation as the local runtime runs it: the emulators read through the same clients the actions use. */
function localConsolidation(engine: EngineDeps, s: RuntimeSettings, options: RuntimeOptions, table: DynamoTable, clients: ProviderClients): ConsolidationApi {
  const store = new DynamoConsolidationRepository(table);
  const policy = options.accountPolicy ?? s.stage.accounts;
  const deps = { engine, store, readers: () => directoryReaders(clients, policy), keep: s.stage.consolidation.reportsKept };
  return {
    latest: () => store.latestReport(),
    run: async (requestedBy) => ({ report: await runConsolidation(deps, requestedBy) }),
    // A remove fix is a system-scoped revoke run sent by the operator, so a second person approves it.
    fix: (findingId, request, actor, subject) => applyFix({ engine, store, revokeSystemAccess: options.revokeSystemAccess ?? revokeSystemAccess }, findingId, request, actor, subject),
  };
}

/** Consolidation on its schedule (every scheduleHours), as its EventBridge rule runs it on AWS. */
function startConsolidationTimer(consolidation: ConsolidationApi, hours: number, started: StartedParts): void {
  const timer = setInterval(() => {
    consolidation.run(SCHEDULE_ACTOR).catch((err: unknown) => engineLog.error('consolidation failed', errorFields(err)));
  }, hours * 3600 * 1000);
  timer.unref();
  started.add(async () => clearInterval(timer));
}

/** The sweep on a timer, as the EventBridge rule runs it on AWS. */
function startSweepTimer(sweepNow: () => Promise<unknown>, intervalSeconds: number, started: StartedParts): void {
  const timer = setInterval(() => {
    sweepNow().catch((err: unknown) => engineLog.error('sweep failed', errorFields(err)));
  }, intervalSeconds * 1000);
  started.add(async () => clearInterval(timer));
}

/** The inactivity check once a day, as its EventBridge rule would run it on AWS. */
const INACTIVITY_INTERVAL_SECONDS = 86_400;

function startInactivityTimer(check: () => Promise<InactivityReport>, intervalSeconds: number, started: StartedParts): void {
  if (intervalSeconds <= 0) return;
  const timer = setInterval(() => {
    check().catch((err: unknown) => engineLog.error('inactivity check failed', errorFields(err)));
  }, intervalSeconds * 1000);
  timer.unref();
  started.add(async () => clearInterval(timer));
}

/** The member task poll every `everyMinutes`, as its EventBridge rule runs it on AWS (docs/openproject.md#polling-without-webhooks). */
function startMemberTaskPollTimer(turn: () => Promise<MemberTaskPollTurn>, settings: MemberTaskPollSettings, started: StartedParts): void {
  let running = false;
  const timer = setInterval(() => {
    // One turn at a time here; on AWS overlapping turns are harmless too (the position is compared and set).
    if (running) return;
    running = true;
    turn()
      .catch((err: unknown) => engineLog.error('member task poll failed', errorFields(err)))
      .finally(() => (running = false));
  }, settings.everyMinutes * 60_000);
  timer.unref();
  started.add(async () => clearInterval(timer));
}

/** Catches up at once on whatever fell due while the system was down, and says what a restart found. */
async function catchUp(engine: EngineDeps, steps: PriorityQueues, sweepNow: () => Promise<unknown>, restarted: boolean): Promise<RecoveryReport | undefined> {
  const kept = steps.stats();
  const stepsRequeued = kept.visible + kept.inFlight + kept.delayed;
  const swept = await sweepNow();
  if (!restarted) return undefined;
  const dueStepsCaughtUp = swept && typeof swept === 'object' && 'stepsQueued' in swept && typeof swept.stepsQueued === 'number' ? swept.stepsQueued : 0;
  const runsInProgress = (await engine.store.listAllRunsByStatus('in_progress')).length;
  return { runsInProgress, stepsRequeued, dueStepsCaughtUp };
}

export async function startRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const s = runtimeSettings(options);
  const started = new StartedParts();
  try {
    return await assemble(options, s, started);
  } catch (err) {
    await started.stopAll();
    throw err;
  }
}

async function assemble(options: RuntimeOptions, s: RuntimeSettings, started: StartedParts): Promise<Runtime> {
  const restarted = s.dataDir !== null && existsSync(join(s.dataDir, 'db'));
  const { store, emulators } = await startBackends(options, s, started);
  const emulatorUrl = emulators.server.url;
  const forwardTo = options.forwardTo ?? [receiverWithKey(LOCAL_DEFAULTS.downstreamName, `${emulatorUrl}/downstream/events`, s.downstreamKeys)];
  const queues = openQueues(s, options.starvationSeconds);
  // Initial passwords are sealed with a key kept beside the local data (mode 0600), or in memory without a data dir.
  const sealer = LocalPasswordSealer.forDataDir(s.dataDir);
  // Attestations are signed with a P-256 key kept the same way (the private key file mode 0600), in memory without a data dir.
  const attestationSigner = LocalAttestationSigner.forDataDir(s.dataDir);
  // Known once the API listens; the welcome email's link points at it.
  let publicApiUrl = LOCAL_API_URL;
  // A wake runs the sweep handler with the wake as its input, as Scheduler invokes the sweep Lambda on AWS.
  const instrument = options.instrument ?? noInstrument;
  const sweepHandler = instrument.handler('sweep', createSweepHandler(() => engine));
  const wakes = new LocalScheduler({
    file: dataFile(s.dataDir, 'wakes.json'),
    clock: s.clock,
    log: engineLog,
    fire: (wake) => sweepHandler({ wake: { employeeId: wake.employeeId, runId: wake.runId } }, localContext('sweep')),
  });
  const alerts = new LocalAlertChannel();
  if (options.onAlert) alerts.subscribe({ name: 'console', receive: options.onAlert });
  const doc = instrument.documentClient(createDocumentClient({ ...LOCAL_AWS, endpoint: store.endpoint }));
  const googleBudget = options.googleBudget?.({ doc, name: LOCAL_DEFAULTS.tableName }, options.googleRequestsPerMinute ?? DEFAULT_RATE_LIMIT.perMinute);
  const clients = localProviderClients(emulators, { googleRequestsPerMinute: options.googleRequestsPerMinute, googleBudget, connectBudgets: options.connectBudgets, actionTimeoutSeconds: s.stage.actionTimeoutSeconds, roleCacheMs: options.roleCacheMs, zendesk: s.stage.zendesk, front: s.stage.front, nextcloud: s.stage.nextcloud, openproject: s.stage.openproject });
  const platform = localEngine(options, s, {
    store: new DynamoStore(doc, LOCAL_DEFAULTS.tableName),
    clients,
    steps: queues.steps,
    wakes,
    forwardTo,
    sealer,
    publicApiUrl: () => publicApiUrl,
    alerts,
  });
  // A run from a Jira ticket is reported there when a step needs an operator and when it ends, as on AWS.
  const jiraReports = localJiraWriteBack(s, emulatorUrl, platform);
  // A run proposed from a member task is reported on it too, and a run proposed in Matrix in its thread, when it needs
  // an operator and when it ends, beside Jira's report (combineReports).
  const tasksFor = localMemberTasks(s, emulatorUrl);
  const matrix = s.stage.matrix && options.matrix !== false ? localMatrix({ ...s.stage.matrix, ...options.matrix }, emulatorUrl, options.matrixAccessToken ?? LOCAL_DEFAULTS.matrixAccessToken, { doc, name: LOCAL_DEFAULTS.tableName }, engineLog) : undefined;
  const reports = combineReports(jiraReports, tasksFor && memberTaskReports(tasksFor(platform)), matrix?.reports);
  const engine: EngineDeps = reports ? { ...platform, reports } : platform;
  const memberTasks = tasksFor?.(engine);
  const openproject: OpenProjectIntake | undefined = memberTasks && { memberTasks, webhookSecret: async () => LOCAL_OPENPROJECT_WEBHOOK_SECRET };
  const jira = localJiraIntake(s, options, emulatorUrl, jiraReports);
  await startWorkers(engine, queues, options.workerConcurrency ?? s.stage.dispatcherMaxConcurrency, s.stage.dispatcherTimeoutSeconds, started, instrument);
  // The operator console is served beside the API, at /console, built at start.
  const files = consoleFiles(await buildConsole(), s.operatorTokens, options.cognito && { cognito: options.cognito, consoleOrigin: () => publicApiUrl });
  // The inactivity check: the systems' directory readers (as consolidation reads them, over the emulators' APIs), the
  // notice sent as the welcome sender.
  const inactivityReaders = options.inactivityReaders?.(emulators) ?? directoryReaders(clients, options.accountPolicy ?? s.stage.accounts);
  const inactivitySettings = { ...s.stage.inactivity, ...options.inactivity };
  const inactivityNow = ({ dryRun = false, requestedBy }: { dryRun?: boolean; requestedBy?: string } = {}) =>
    checkInactivity(
      { engine, readers: inactivityReaders, settings: inactivitySettings, policy: options.accountPolicy ?? s.stage.accounts, mailer: gmailInactivityMailer(() => clients.google, s.stage.welcomeEmail.sender, () => s.clock.now()) },
      { dryRun, ...(requestedBy ? { requestedBy } : {}) },
    );
  const inactivityApi: Pick<ApiDeps, 'inactivity' | 'inactivityRun'> = {
    inactivity: () => inactivityNow({ dryRun: true }),
    // Locally the check runs at once and answers its report; on AWS it is handed to the directory read function.
    inactivityRun: async (requestedBy) => (inactivitySettings.enabled ? { report: await inactivityNow({ requestedBy }) } : { off: true }),
  };
  const consolidation = localConsolidation(engine, s, options, { doc, name: LOCAL_DEFAULTS.tableName }, clients);
  // For an OpenProject without webhooks: the member tasks polled, the position kept in the table as on AWS.
  const memberTaskPollNow = memberTasks && (() => memberTaskPollTurn({ memberTasks, store: new DynamoMemberTaskPollStore({ doc, name: LOCAL_DEFAULTS.tableName }), clock: s.clock, log: engineLog }));
  const pollSettings = options.memberTaskPoll === false ? undefined : (options.memberTaskPoll ?? s.stage.openproject?.memberTasks?.poll);
  const apiUrl = await startApi(instrument.handler('api', localApiHandler(engine, s, sealer, attestationSigner, options.cognito, jira, inactivityApi, openproject, consolidation)), options.port ?? LOCAL_DEFAULTS.port, started, files);
  publicApiUrl = apiUrl;
  if (jira) emulators.setJiraWebhook({ url: `${apiUrl}/v1/intake/jira`, secret: options.jiraWebhookSecret ?? LOCAL_DEFAULTS.jiraWebhookSecret });
  // A person's edit of a member task in the emulator delivers the signed webhook to the intake, as OpenProject does.
  if (openproject) {
    emulators.openproject.webhook = {
      secret: LOCAL_OPENPROJECT_WEBHOOK_SECRET,
      deliver: async (body, headers) => void (await fetch(`${apiUrl}/v1/intake/openproject`, { method: 'POST', headers, body }).then((r) => r.text())),
    };
  }
  // A stage set up for a Jira Service Management desk runs against a desk: the emulated project is one.
  if (s.stage.jira?.serviceDesk) emulators.jira.setProjectType(s.stage.jira.projectKey, 'service_desk');
  if (options.cognito?.console?.register) options.cognito.console.register({ callbackUrl: consoleCallbackUrl(apiUrl), signOutUrl: consoleSignOutUrl(apiUrl) });
  const sweepNow = () => sweepHandler({}, localContext('sweep'));
  startSweepTimer(sweepNow, options.sweepIntervalSeconds ?? LOCAL_DEFAULTS.sweepIntervalSeconds, started);
  startInactivityTimer(() => inactivityNow(), options.inactivityIntervalSeconds ?? INACTIVITY_INTERVAL_SECONDS, started);
  if (s.stage.consolidation.enabled) startConsolidationTimer(consolidation, s.stage.consolidation.scheduleHours, started);
  if (memberTaskPollNow && pollSettings) startMemberTaskPollTimer(memberTaskPollNow, pollSettings, started);
  const recovery = await catchUp(engine, queues.steps, sweepNow, restarted);
  await wakes.start();
  started.add(() => wakes.stop());
  // The bot's own long-poll loop: stopped before the emulators and the store it talks to.
  if (matrix) {
    matrix.start(engine, proposalFollowUps(memberTasks));
    started.add(() => matrix.stop());
  }

  const { steps, deadLetters } = queues;
  return {
    apiUrl,
    emulatorUrl,
    emulators,
    storeEndpoint: store.endpoint,
    dataDir: s.dataDir,
    forwardTo: forwardTo.map(({ name, url }) => ({ name, url })),
    engine,
    ...(jira ? { jiraIntakeUrl: `${apiUrl}/v1/intake/jira` } : {}),
    ...(memberTasks ? { memberTasks } : {}),
    ...(matrix && s.stage.matrix ? { matrix: { userId: (options.matrix || {}).userId ?? s.stage.matrix.userId, rooms: (options.matrix || {}).rooms ?? s.stage.matrix.rooms } } : {}),
    ...(memberTaskPollNow ? { memberTaskPollNow } : {}),
    steps,
    wakes,
    deadLetters,
    alerts,
    downstream: emulators.downstream,
    recovery,
    sweepNow,
    inactivityNow,
    consolidation,
    idle: () => steps.stats().visible + steps.stats().inFlight + deadLetters.stats().visible + deadLetters.stats().inFlight === 0,
    stop: () => started.stopAll(),
  };
}
