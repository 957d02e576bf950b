/**
 * The provider emulators `npm start` runs on one port: Google Workspace, Amazon Connect, Notion and
 * the sample downstream receiver, each with its state on disk beside the store (or in memory), seeded
 * with sample data on first start. Notion's role catalog is read-only over the API, so it is seeded
 * in memory on every start.
 */
import { join } from 'node:path';
import type { KeyRing } from '../../lambdas/http/signature';
import { ConnectEmulator } from './connect/connect-emulator';
import { connectEmulatorRoutes } from './connect/connect-routes';
import { SAMPLE_CONNECT_INSTANCE_ID, seedConnectSample } from './connect/connect-sample';
import { DownstreamReceiver } from './downstream';
import { GoogleWorkspaceEmulator, openSampleTenant, seedSample } from './google';
import { readJsonFile, writeJsonFile } from './json-file';
import { NotionEmulator } from './notion/notion-emulator';
import { SAMPLE_NOTION, seedNotionSample } from './notion/notion-sample';
import { startEmulatorServer, type EmulatorServer } from './server';
import { ZendeskEmulator } from './zendesk/zendesk-emulator';
import { zendeskEmulatorRoutes } from './zendesk/zendesk-routes';
import { seedZendeskSample } from './zendesk/zendesk-sample';

/** Zendesk's per-minute limit the local account answers 429 past (the Suite Professional plan's). */
export const LOCAL_ZENDESK_REQUESTS_PER_MINUTE = 700;
import { ScimEmulator } from './scim/scim-emulator';
import { seedScimSample } from './scim/scim-sample';
import { JiraEmulator } from './jira/jira-emulator';
import { seedJiraSample } from './jira/jira-sample';
import { jiraControlRoutes, type JiraWebhookTarget } from './jira/jira-webhook-sender';
import { FrontEmulator } from './front/front-emulator';
import { seedFrontSample } from './front/front-sample';
import { NextcloudEmulator } from './nextcloud/nextcloud-emulator';
import { seedNextcloudSample } from './nextcloud/nextcloud-sample';
import { OpenProjectEmulator } from './openproject/openproject-emulator';
import { seedOpenProjectSample } from './openproject/openproject-sample';
import { MatrixEmulator, type MatrixState } from './matrix/matrix-emulator';
import { seedMatrixSample } from './matrix/matrix-sample';

/** Front's per-minute limit the local company answers 429 past (an Enterprise plan with the rate limit add-on, docs/front.md). */
export const LOCAL_FRONT_REQUESTS_PER_MINUTE = 600;
/** The per-minute limit the local Nextcloud answers 429 past (docs/nextcloud.md). */
export const LOCAL_NEXTCLOUD_REQUESTS_PER_MINUTE = 600;
/** The per-minute limit the local OpenProject answers 429 past (docs/openproject.md). */
export const LOCAL_OPENPROJECT_REQUESTS_PER_MINUTE = 600;

/** The sample tenant's admin: the account the Google clients act as locally. */
export const LOCAL_GOOGLE_ADMIN = 'admin@example.com';
export const LOCAL_CONNECT_INSTANCE_ID = SAMPLE_CONNECT_INSTANCE_ID;
export const LOCAL_NOTION_ROLES_DATA_SOURCE_ID = SAMPLE_NOTION.rolesDataSourceId;

export interface ProviderEmulators {
  server: EmulatorServer;
  google: GoogleWorkspaceEmulator;
  connect: ConnectEmulator;
  notion: NotionEmulator;
  /** Jira Cloud's REST API v3 (issues, comments, transitions): in memory, empty but for the write-back's account. */
  jira: JiraEmulator;
  /** Where the Jira emulator's control routes deliver the webhooks of the changes they make (the local API, once it listens). */
  setJiraWebhook(target: JiraWebhookTarget): void;
  downstream: DownstreamReceiver;
  zendesk: ZendeskEmulator;
  /** SCIM 2.0 apps, each at /scim/<app>/v2 (the sample app `wiki`). */
  scim: ScimEmulator;
  /** Front: its Core API under /front and its SCIM API at /scim/front/v2 (docs/front.md). */
  front: FrontEmulator;
  /** Nextcloud: OCS at /ocs/v1.php and /ocs/v2.php, WebDAV at /remote.php/dav (docs/nextcloud.md). */
  nextcloud: NextcloudEmulator;
  /** OpenProject: API v3 at /api/v3 (docs/openproject.md). */
  openproject: OpenProjectEmulator;
  /** A Matrix homeserver: the client-server API at /_matrix/client, the room "Ask the bot" (docs/matrix.md). */
  matrix: MatrixEmulator;
  stop(): Promise<void>;
}

function openConnect(file: string | undefined): { emulator: ConnectEmulator; save: () => void } {
  const saved = file === undefined ? undefined : readJsonFile(file);
  const emulator = saved === undefined ? seedConnectSample(new ConnectEmulator()) : ConnectEmulator.fromJSON(saved);
  const save = () => {
    if (file) writeJsonFile(file, emulator.toJSON());
  };
  save();
  return { emulator, save };
}

function openZendesk(file: string | undefined): { emulator: ZendeskEmulator; save: () => void } {
  const saved = file === undefined ? undefined : readJsonFile(file);
  const emulator = saved === undefined ? seedZendeskSample(new ZendeskEmulator()) : ZendeskEmulator.fromJSON(saved);
  emulator.faults.setQuota(LOCAL_ZENDESK_REQUESTS_PER_MINUTE);
  const save = () => {
    if (file) writeJsonFile(file, emulator.toJSON());
  };
  save();
  return { emulator, save };
}

function openScim(file: string | undefined, now?: () => number): { emulator: ScimEmulator; save: () => void } {
  const saved = file === undefined ? undefined : readJsonFile(file);
  const emulator = saved === undefined ? seedScimSample(new ScimEmulator(now)) : ScimEmulator.fromJSON(saved, now);
  const save = () => {
    if (file) writeJsonFile(file, emulator.toJSON());
  };
  save();
  return { emulator, save };
}

function openFront(file: string | undefined, now?: () => number): { emulator: FrontEmulator; save: () => void } {
  const saved = file === undefined ? undefined : readJsonFile(file);
  const emulator = saved === undefined ? seedFrontSample(new FrontEmulator(undefined, now)) : FrontEmulator.fromJSON(saved, now);
  emulator.setQuota(LOCAL_FRONT_REQUESTS_PER_MINUTE);
  const save = () => {
    if (file) writeJsonFile(file, emulator.toJSON());
  };
  save();
  return { emulator, save };
}

function openNextcloud(file: string | undefined, now?: () => number): { emulator: NextcloudEmulator; save: () => void } {
  const saved = file === undefined ? undefined : readJsonFile(file);
  const emulator = saved === undefined ? seedNextcloudSample(new NextcloudEmulator(undefined, now)) : NextcloudEmulator.fromJSON(saved as ConstructorParameters<typeof NextcloudEmulator>[0] & object, now);
  emulator.faults.setQuota(LOCAL_NEXTCLOUD_REQUESTS_PER_MINUTE);
  const save = () => {
    if (file) writeJsonFile(file, emulator.toJSON());
  };
  save();
  return { emulator, save };
}

function openOpenProject(file: string | undefined, now?: () => number): { emulator: OpenProjectEmulator; save: () => void } {
  const saved = file === undefined ? undefined : readJsonFile(file);
  const emulator = saved === undefined ? seedOpenProjectSample(new OpenProjectEmulator(undefined, now)) : OpenProjectEmulator.fromJSON(saved as ConstructorParameters<typeof OpenProjectEmulator>[0] & object, now);
  emulator.faults.setQuota(LOCAL_OPENPROJECT_REQUESTS_PER_MINUTE);
  const save = () => {
    if (file) writeJsonFile(file, emulator.toJSON());
  };
  save();
  return { emulator, save };
}

export async function startProviderEmulators(options: {
  port: number;
  dataDir: string | null;
  /** The sample downstream receiver: its name and its key (both versions), as forwards to it are signed. */
  downstream: { name: string; keys: () => KeyRing };
  /** The Google emulator's clock (when Gmail accepted a mail, when a transfer completes); the system clock by default. */
  now?: () => number;
}): Promise<ProviderEmulators> {
  const dir = options.dataDir ? join(options.dataDir, 'emulators') : undefined;
  const google = dir ? openSampleTenant(join(dir, 'google.json'), { now: options.now }) : new GoogleWorkspaceEmulator({ now: options.now });
  if (!dir) seedSample(google);
  const connect = openConnect(dir ? join(dir, 'connect.json') : undefined);
  const notion = seedNotionSample(new NotionEmulator());
  const jira = seedJiraSample(new JiraEmulator(options.now));
  let jiraWebhook: JiraWebhookTarget | undefined;
  const downstream = new DownstreamReceiver(options.downstream.name, options.downstream.keys, dir ? join(dir, 'downstream.json') : undefined);
  // Connect keeps its state in memory between saves; a write route saves after it answers.
  const connectRoutes = connectEmulatorRoutes(connect.emulator).map((route) =>
    route.method === 'GET' ? route : { ...route, handle: async (req: Parameters<typeof route.handle>[0]) => {
      const out = await route.handle(req);
      connect.save();
      return out;
    } },
  );
  const zendesk = openZendesk(dir ? join(dir, 'zendesk.json') : undefined);
  const zendeskRoutes = zendeskEmulatorRoutes(zendesk.emulator).map((route) =>
    route.method === 'GET' && !/job_statuses|search/.test(route.pattern.source) ? route : { ...route, handle: async (req: Parameters<typeof route.handle>[0]) => {
      const out = await route.handle(req);
      zendesk.save();
      return out;
    } },
  );
  const scim = openScim(dir ? join(dir, 'scim.json') : undefined, options.now);
  const scimRoutes = scim.emulator.routes().map((route) => (route.method === 'GET' ? route : { ...route, handle: async (req: Parameters<typeof route.handle>[0]) => {
    const out = await route.handle(req);
    scim.save();
    return out;
  } }));
  const front = openFront(dir ? join(dir, 'front.json') : undefined, options.now);
  const frontRoutes = front.emulator.routes().map((route) => (route.method === 'GET' ? route : { ...route, handle: async (req: Parameters<typeof route.handle>[0]) => {
    const out = await route.handle(req);
    front.save();
    return out;
  } }));
  const nextcloud = openNextcloud(dir ? join(dir, 'nextcloud.json') : undefined, options.now);
  const nextcloudRoutes = nextcloud.emulator.routes().map((route) => (route.method === 'GET' || route.method === 'PROPFIND' ? route : { ...route, handle: async (req: Parameters<typeof route.handle>[0]) => {
    const out = await route.handle(req);
    nextcloud.save();
    return out;
  } }));
  const openproject = openOpenProject(dir ? join(dir, 'openproject.json') : undefined, options.now);
  const openprojectRoutes = openproject.emulator.routes().map((route) => (route.method === 'GET' ? route : { ...route, handle: async (req: Parameters<typeof route.handle>[0]) => {
    const out = await route.handle(req);
    openproject.save();
    return out;
  } }));
  const matrixFile = dir ? join(dir, 'matrix.json') : undefined;
  const savedMatrix = matrixFile === undefined ? undefined : readJsonFile(matrixFile);
  const matrix = savedMatrix === undefined ? seedMatrixSample(new MatrixEmulator(undefined, options.now)) : MatrixEmulator.fromJSON(savedMatrix as MatrixState, options.now);
  const saveMatrix = () => {
    if (matrixFile) writeJsonFile(matrixFile, matrix.toJSON());
  };
  const matrixRoutes = matrix.routes().map((route) => (route.method === 'GET' ? route : { ...route, handle: async (req: Parameters<typeof route.handle>[0]) => {
    const out = await route.handle(req);
    saveMatrix();
    return out;
  } }));
  const server = await startEmulatorServer([...google.routes(), ...connectRoutes, ...notion.routes(), ...jira.routes(), ...jiraControlRoutes(jira, () => jiraWebhook), ...downstream.routes(), ...zendeskRoutes, ...scimRoutes, ...frontRoutes, ...nextcloudRoutes, ...openprojectRoutes, ...matrixRoutes], options.port);
  return {
    server,
    google,
    connect: connect.emulator,
    notion,
    jira,
    setJiraWebhook(target) {
      jiraWebhook = target;
    },
    downstream,
    zendesk: zendesk.emulator,
    scim: scim.emulator,
    front: front.emulator,
    nextcloud: nextcloud.emulator,
    openproject: openproject.emulator,
    matrix,
    async stop() {
      matrix.release();
      await server.stop();
      saveMatrix();
      connect.save();
      zendesk.save();
      scim.save();
      front.save();
      nextcloud.save();
      openproject.save();
    },
  };
}
