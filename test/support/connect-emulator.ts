/** Starts the Amazon Connect emulator (sample instance) on a free port with an action context whose Connect client points at it. */
import type { ActionContext } from '../../lambdas/actions/define-action';
import type { ActionRequest } from '../../lambdas/engine/ports';
import { createConnectClient, LOCAL_CONNECT_CREDENTIALS } from '../../lambdas/providers/connect/connect-client';
import { ConnectEmulator } from '../../local/emulators/connect/connect-emulator';
import { connectEmulatorRoutes } from '../../local/emulators/connect/connect-routes';
import { SAMPLE_CONNECT_INSTANCE_ID, seedConnectSample } from '../../local/emulators/connect/connect-sample';
import { startEmulatorServer } from '../../local/emulators/server';

export interface ConnectTestBed {
  emulator: ConnectEmulator;
  ctx: ActionContext;
  stop(): Promise<void>;
}

export async function startConnectTestBed(): Promise<ConnectTestBed> {
  const emulator = seedConnectSample(new ConnectEmulator());
  const server = await startEmulatorServer(connectEmulatorRoutes(emulator), 0);
  // One attempt per call, so an injected fault reaches the action instead of the SDK's own retry.
  const connect = { client: createConnectClient({ region: 'eu-central-1', endpoint: server.url, credentials: LOCAL_CONNECT_CREDENTIALS, maxAttempts: 1 }), instanceId: SAMPLE_CONNECT_INSTANCE_ID };
  const ctx: ActionContext = { fetch, clock: { now: () => new Date() }, providers: { connect: () => connect } };
  return { emulator, ctx, stop: () => server.stop() };
}

/** A fresh Connect test bed for each test of the calling file, stopped after it. */
export function useConnectTestBed(): () => ConnectTestBed {
  let bed: ConnectTestBed | undefined;
  beforeEach(async () => {
    bed = await startConnectTestBed();
  });
  afterEach(async () => {
    await bed?.stop();
  });
  return () => bed!;
}

/** A terminate step's request for the sample instance's leaver (Ada); any field may be overridden. */
export function connectRequest(action: string, overrides: Partial<ActionRequest> = {}): ActionRequest {
  return {
    action,
    runId: 'r',
    stepId: action,
    eventId: 'e',
    eventType: 'terminate',
    effectiveDate: '2026-11-30',
    urgent: true,
    attempt: 1,
    employee: { id: 'E100', firstName: 'Ada', email: 'ada.lovelace@example.com', timezone: 'Europe/Berlin' },
    params: {},
    ...overrides,
  };
}
