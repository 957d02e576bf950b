/** Starts the Amazon Connect emulator (sample instance) on a free port with an action context whose Connect client points at it. */
import type { ActionContext } from '../../lambdas/actions/define-action';
import type { ActionRequest } from '../../lambdas/engine/ports';
import { createConnectClient, LOCAL_CONNECT_CREDENTIALS } from '../../lambdas/providers/connect/connect-client';
import { ConnectEmulator } from '../../local/emulators/connect/connect-emulator';
import { connectEmulatorRoutes } from '../../local/emulators/connect/connect-routes';
import { SAMPLE_CONNECT_INSTANCE_ID, seedConnectSample } from '../../local/emulators/connect/connect-sample';
import { serveEmulator, stepRequest, testActionContext, useTestBed } from './emulator-test-bed';

export interface ConnectTestBed {
  emulator: ConnectEmulator;
  ctx: ActionContext;
  stop(): Promise<void>;
}

export async function startConnectTestBed(): Promise<ConnectTestBed> {
  const emulator = seedConnectSample(new ConnectEmulator());
  return serveEmulator(emulator, connectEmulatorRoutes(emulator), (url) => {
    // One attempt per call, so an injected fault reaches the action instead of the SDK's own retry.
    const connect = { client: createConnectClient({ region: 'eu-central-1', endpoint: url, credentials: LOCAL_CONNECT_CREDENTIALS, maxAttempts: 1 }), instanceId: SAMPLE_CONNECT_INSTANCE_ID };
    return { ctx: testActionContext({ connect: () => connect }) };
  });
}

/** A fresh Connect test bed for each test of the calling file, stopped after it. */
export const useConnectTestBed = (): (() => ConnectTestBed) => useTestBed(startConnectTestBed);

/** A terminate step's request for the sample instance's leaver (Ada); any field may be overridden. */
export function connectRequest(action: string, overrides: Partial<ActionRequest> = {}): ActionRequest {
  return stepRequest(action, { urgent: true, employee: { id: 'E100', firstName: 'Ada', email: 'ada.lovelace@example.com', timezone: 'Europe/Berlin' }, ...overrides });
}
