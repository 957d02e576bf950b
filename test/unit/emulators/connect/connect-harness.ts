/** The seeded Connect emulator on a free port, and real ConnectClients pointed at it. */
import type { ConnectClient } from '@aws-sdk/client-connect';
import { createConnectClient, LOCAL_CONNECT_CREDENTIALS } from '../../../../lambdas/providers/connect/connect-client';
import { ConnectEmulator, type ConnectEmulatorOptions } from '../../../../local/emulators/connect/connect-emulator';
import { connectEmulatorRoutes } from '../../../../local/emulators/connect/connect-routes';
import { seedConnectSample } from '../../../../local/emulators/connect/connect-sample';
import { startEmulatorServer, type EmulatorServer } from '../../../../local/emulators/server';

/** A fixed clock: LastModifiedTime is then known to the second. */
export const FIXED_NOW = Date.UTC(2026, 10, 30, 9, 0, 0);

export interface ConnectHarness {
  emulator: ConnectEmulator;
  server: EmulatorServer;
  /** A new client each call, so one test's adaptive rate limiting never slows the next. */
  client(maxAttempts?: number): ConnectClient;
  stop(): Promise<void>;
}

export async function startConnect(options: ConnectEmulatorOptions & { emulator?: ConnectEmulator } = {}): Promise<ConnectHarness> {
  const emulator = options.emulator ?? seedConnectSample(new ConnectEmulator({ now: () => FIXED_NOW, ...options }));
  const server = await startEmulatorServer(connectEmulatorRoutes(emulator), 0);
  const clients: ConnectClient[] = [];
  return {
    emulator,
    server,
    client(maxAttempts = 1) {
      const client = createConnectClient({ region: 'eu-central-1', endpoint: server.url, credentials: LOCAL_CONNECT_CREDENTIALS, maxAttempts });
      clients.push(client);
      return client;
    },
    async stop() {
      for (const c of clients) c.destroy();
      await server.stop();
    },
  };
}

/** The rejection of a promise, for asserting on the SDK's error object. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (err) {
    return err as Error & { $metadata?: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
