/** Starts the Front emulator (sample company) on a free port with an action context whose Front clients point at it. */
import type { ActionContext } from '../../lambdas/actions/define-action';
import type { ActionRequest } from '../../lambdas/engine/ports';
import { createFrontProvider, type FrontProvider } from '../../lambdas/providers/front/front-provider';
import { FrontEmulator, frontCoreBaseUrl, frontScimBaseUrl, LOCAL_FRONT_TOKEN } from '../../local/emulators/front/front-emulator';
import { seedFrontSample } from '../../local/emulators/front/front-sample';
import { serveEmulator, stepRequest, testActionContext, useTestBed } from './emulator-test-bed';

export interface FrontTestBed {
  emulator: FrontEmulator;
  front: FrontProvider;
  url: string;
  ctx: ActionContext;
  stop(): Promise<void>;
}

export async function startFrontTestBed(): Promise<FrontTestBed> {
  const emulator = seedFrontSample(new FrontEmulator());
  return serveEmulator(emulator, emulator.routes(), (url) => {
    // No send again after a 429, so an injected one reaches the action; a budget no test waits on.
    const front = createFrontProvider({ baseUrl: frontCoreBaseUrl(url), scimBaseUrl: frontScimBaseUrl(url), token: async () => LOCAL_FRONT_TOKEN, requestsPerMinute: 100_000 }, { maxRetries: 0 });
    return { front, ctx: testActionContext({ front: () => front }) };
  });
}

/** A fresh Front test bed for each test of the calling file, stopped after it. */
export const useFrontTestBed = (): (() => FrontTestBed) => useTestBed(startFrontTestBed);

/** A step's request for the sample company's Ada (E100); any field may be overridden. */
export function frontRequest(action: string, params: Record<string, unknown> = {}, overrides: Partial<ActionRequest> = {}): ActionRequest {
  return stepRequest(action, { eventType: action === 'front.provisionTeammate' ? 'hire' : 'terminate', params, ...overrides });
}

export const ZOE = { id: 'E200', firstName: 'Zoe', lastName: 'Desk', email: 'zoe.desk@example.com', timezone: 'Europe/Berlin' };
