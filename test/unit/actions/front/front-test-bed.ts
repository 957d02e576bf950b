/** Starts the Front emulator (sample company) on a free port with an action context whose Front clients point at it. */
import type { ActionContext } from '../../../../lambdas/actions/define-action';
import type { ActionRequest } from '../../../../lambdas/engine/ports';
import { createFrontProvider, type FrontProvider } from '../../../../lambdas/providers/front/front-provider';
import { FrontEmulator, frontCoreBaseUrl, frontScimBaseUrl, LOCAL_FRONT_TOKEN } from '../../../../local/emulators/front/front-emulator';
import { seedFrontSample } from '../../../../local/emulators/front/front-sample';
import { startEmulatorServer } from '../../../../local/emulators/server';

export interface FrontTestBed {
  emulator: FrontEmulator;
  front: FrontProvider;
  url: string;
  ctx: ActionContext;
  stop(): Promise<void>;
}

export async function startFrontTestBed(): Promise<FrontTestBed> {
  const emulator = seedFrontSample(new FrontEmulator());
  const server = await startEmulatorServer(emulator.routes(), 0);
  // No send again after a 429, so an injected one reaches the action; a budget no test waits on.
  const front = createFrontProvider({ baseUrl: frontCoreBaseUrl(server.url), scimBaseUrl: frontScimBaseUrl(server.url), token: async () => LOCAL_FRONT_TOKEN, requestsPerMinute: 100_000 }, { maxRetries: 0 });
  const ctx: ActionContext = { fetch, clock: { now: () => new Date() }, providers: { front: () => front } };
  return { emulator, front, url: server.url, ctx, stop: () => server.stop() };
}

/** A fresh Front test bed for each test of the calling file, stopped after it. */
export function useFrontTestBed(): () => FrontTestBed {
  let bed: FrontTestBed | undefined;
  beforeEach(async () => {
    bed = await startFrontTestBed();
  });
  afterEach(async () => {
    await bed?.stop();
  });
  return () => bed!;
}

/** A step's request for the sample company's Ada (E100); any field may be overridden. */
export function frontRequest(action: string, params: Record<string, unknown> = {}, overrides: Partial<ActionRequest> = {}): ActionRequest {
  return {
    action,
    runId: 'r',
    stepId: action,
    eventId: 'e',
    eventType: action === 'front.provisionTeammate' ? 'hire' : 'terminate',
    effectiveDate: '2026-11-30',
    urgent: false,
    attempt: 1,
    employee: { id: 'E100', firstName: 'Ada', lastName: 'Lovelace', email: 'ada.lovelace@example.com', timezone: 'Europe/Berlin' },
    params,
    ...overrides,
  };
}

export const ZOE = { id: 'E200', firstName: 'Zoe', lastName: 'Desk', email: 'zoe.desk@example.com', timezone: 'Europe/Berlin' };
