/**
 * The provider emulators `npm start` runs on one port: Google Workspace, Amazon Connect, Notion and
 * the sample downstream receiver, each with its state on disk beside the store (or in memory), seeded
 * with sample data on first start. Notion's role catalog is read-only over the API, so it is seeded
 * in memory on every start.
 */
import type { KeyRing } from '../../lambdas/http/signature';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConnectEmulator } from './connect/connect-emulator';
import { SAMPLE_CONNECT_INSTANCE_ID } from './connect/connect-sample';
import { DownstreamReceiver } from './downstream';
import { GoogleWorkspaceEmulator } from './google';
import { NotionEmulator } from './notion/notion-emulator';
import { SAMPLE_NOTION } from './notion/notion-sample';
import { startEmulatorServer, type EmulatorServer } from './server';

/** The sample tenant's admin: the account the Google clients act as locally. */
export const LOCAL_GOOGLE_ADMIN = 'admin@example.com';
export const LOCAL_CONNECT_INSTANCE_ID = SAMPLE_CONNECT_INSTANCE_ID;
export const LOCAL_NOTION_ROLES_DATA_SOURCE_ID = SAMPLE_NOTION.rolesDataSourceId;

export interface ProviderEmulators {
  server: EmulatorServer;
  google: GoogleWorkspaceEmulator;
  connect: ConnectEmulator;
  notion: NotionEmulator;
  downstream: DownstreamReceiver;
  stop(): Promise<void>;
}

function openConnect(file: string | undefined): { emulator: ConnectEmulator; save: () => void } {
  const emulator = file && existsSync(file) ? ConnectEmulator.fromJSON(JSON.parse(readFileSync(file, 'utf8'))) : new ConnectEmulator().seedSample();
  const save = () => {
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, JSON.stringify(emulator.toJSON()));
    renameSync(`${file}.tmp`, file);
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
  const google = dir ? GoogleWorkspaceEmulator.open(join(dir, 'google.json'), { now: options.now }) : new GoogleWorkspaceEmulator({ now: options.now });
  if (!dir) google.seedSample();
  const connect = openConnect(dir ? join(dir, 'connect.json') : undefined);
  const notion = new NotionEmulator().seedSample();
  const downstream = new DownstreamReceiver(options.downstream.name, options.downstream.keys);
  // Connect keeps its state in memory between saves; a write route saves after it answers.
  const connectRoutes = connect.emulator.routes().map((route) =>
    route.method === 'GET' ? route : { ...route, handle: async (req: Parameters<typeof route.handle>[0]) => {
      const out = await route.handle(req);
      connect.save();
      return out;
    } },
  );
  const server = await startEmulatorServer([...google.routes(), ...connectRoutes, ...notion.routes(), ...downstream.routes()], options.port);
  return {
    server,
    google,
    connect: connect.emulator,
    notion,
    downstream,
    async stop() {
      await server.stop();
      connect.save();
    },
  };
}
