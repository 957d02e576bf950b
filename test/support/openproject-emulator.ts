/** Starts the OpenProject emulator (sample instance) on a free port with an action context whose OpenProject client points at it. */
import type { ActionContext } from '../../lambdas/actions/define-action';
import type { ActionRequest } from '../../lambdas/engine/ports';
import type { OpenProjectProvider } from '../../lambdas/providers/providers';
import { OpenProjectClient } from '../../lambdas/providers/openproject/openproject-client';
import { LOCAL_OPENPROJECT_TOKEN, OpenProjectEmulator } from '../../local/emulators/openproject/openproject-emulator';
import { SAMPLE_OPENPROJECT, seedOpenProjectSample } from '../../local/emulators/openproject/openproject-sample';
import { serveEmulator, stepRequest, testActionContext, useTestBed } from './emulator-test-bed';

export interface OpenProjectTestBed {
  emulator: OpenProjectEmulator;
  openproject: OpenProjectProvider;
  url: string;
  ctx: ActionContext;
  stop(): Promise<void>;
}

export async function startOpenProjectTestBed(): Promise<OpenProjectTestBed> {
  const emulator = seedOpenProjectSample(new OpenProjectEmulator());
  return serveEmulator(emulator, emulator.routes(), (url) => {
    // No send again after a 429, so an injected one reaches the action; a budget no test waits on.
    const openproject: OpenProjectProvider = { client: new OpenProjectClient({ baseUrl: url, apiToken: async () => LOCAL_OPENPROJECT_TOKEN, requestsPerMinute: 100_000, maxRetries: 0 }), employeeIdField: SAMPLE_OPENPROJECT.employeeIdField };
    return { openproject, ctx: testActionContext({ openproject: () => openproject }) };
  });
}

export const useOpenProjectTestBed = (): (() => OpenProjectTestBed) => useTestBed(startOpenProjectTestBed);

/** A step's request for Ada (E100, ada.lovelace@example.com); any field may be overridden. */
export function openProjectRequest(action: string, params: Record<string, unknown> = {}, overrides: Partial<ActionRequest> = {}): ActionRequest {
  return stepRequest(action, { eventType: action === 'openproject.provisionUser' ? 'hire' : 'terminate', params, ...overrides });
}
