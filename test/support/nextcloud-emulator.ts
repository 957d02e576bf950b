/** Starts the Nextcloud emulator (sample server) on a free port with an action context whose Nextcloud client points at it. */
import type { ActionContext } from '../../lambdas/actions/define-action';
import type { ActionRequest } from '../../lambdas/engine/ports';
import type { NextcloudProvider } from '../../lambdas/providers/providers';
import { NextcloudClient } from '../../lambdas/providers/nextcloud/nextcloud-client';
import { LOCAL_NEXTCLOUD_ADMIN, LOCAL_NEXTCLOUD_APP_PASSWORD, NextcloudEmulator } from '../../local/emulators/nextcloud/nextcloud-emulator';
import { seedNextcloudSample } from '../../local/emulators/nextcloud/nextcloud-sample';
import { serveEmulator, stepRequest, testActionContext, useTestBed } from './emulator-test-bed';

export interface NextcloudTestBed {
  emulator: NextcloudEmulator;
  nextcloud: NextcloudProvider;
  url: string;
  ctx: ActionContext;
  stop(): Promise<void>;
}

export async function startNextcloudTestBed(): Promise<NextcloudTestBed> {
  const emulator = seedNextcloudSample(new NextcloudEmulator());
  return serveEmulator(emulator, emulator.routes(), (url) => {
    // No send again after a 429, so an injected one reaches the action; a budget no test waits on.
    const nextcloud: NextcloudProvider = { client: new NextcloudClient({ baseUrl: url, user: LOCAL_NEXTCLOUD_ADMIN, appPassword: async () => LOCAL_NEXTCLOUD_APP_PASSWORD, requestsPerMinute: 100_000, maxRetries: 0 }) };
    return { nextcloud, ctx: testActionContext({ nextcloud: () => nextcloud }) };
  });
}

export const useNextcloudTestBed = (): (() => NextcloudTestBed) => useTestBed(startNextcloudTestBed);

/** A step's request for the sample server's Ada (E100); any field may be overridden. */
export function nextcloudRequest(action: string, params: Record<string, unknown> = {}, overrides: Partial<ActionRequest> = {}): ActionRequest {
  return stepRequest(action, { eventType: action === 'nextcloud.provisionUser' ? 'hire' : 'terminate', params, ...overrides });
}

export const NORA = { id: 'E300', firstName: 'Nora', lastName: 'Cloud', email: 'nora.cloud@example.com', timezone: 'Europe/Berlin' };
