/** Starts the SCIM emulator (the sample app `wiki`, PATCH supported, and `crm`, PATCH not supported) on a free port with an action context pointing at it. */
import type { ActionContext } from '../../lambdas/actions/define-action';
import type { ActionRequest } from '../../lambdas/engine/ports';
import { createScimProvider } from '../../lambdas/providers/scim/scim-provider';
import { ScimEmulator } from '../../local/emulators/scim/scim-emulator';
import { sampleScimBaseUrl, seedScimSample } from '../../local/emulators/scim/scim-sample';
import { serveEmulator, stepRequest, testActionContext, useTestBed } from './emulator-test-bed';

export interface ScimTestBed {
  emulator: ScimEmulator;
  url: string;
  ctx: ActionContext;
  /** Every request the apps were sent, as `METHOD /path`. */
  requests: string[];
  stop(): Promise<void>;
}

export async function startScimTestBed(options: { fetch?: typeof fetch } = {}): Promise<ScimTestBed> {
  const emulator = seedScimSample(new ScimEmulator());
  const crm = emulator.addApp('crm', { token: 'local-scim-crm-token', patch: false });
  crm.addGroup('Sales');
  crm.addGroup('Support');
  return serveEmulator(emulator, emulator.routes(), (url) => {
    const requests: string[] = [];
    const base = options.fetch ?? globalThis.fetch;
    const recording: typeof fetch = (input, init) => {
      const at = new URL(String(input));
      requests.push(`${init?.method ?? 'GET'} ${at.pathname}`);
      return base(input, init);
    };
    // No retry inside a call, so an injected 429 or 503 reaches the action as the step's error.
    const scim = createScimProvider(
      // Each token as the app had it at the start: an app that changes its token since refuses the client's.
      [...emulator.apps.values()].map((app) => ({ name: app.name, baseUrl: sampleScimBaseUrl(url, app.name), token: ((token) => async () => token)(app.state.token), requestsPerSecond: 100 })),
      { fetch: recording, rateLimit: { maxRetries: 0 } },
    );
    return { ctx: testActionContext({ scim: () => scim }), requests };
  });
}

/** A fresh SCIM test bed for each test of the calling file, stopped after it. */
export const useScimTestBed = (options: { fetch?: typeof fetch } = {}): (() => ScimTestBed) => useTestBed(() => startScimTestBed(options));

/** A step's request for Ada (E100); any field may be overridden. */
export function scimRequest(action: string, params: Record<string, unknown>, overrides: Partial<ActionRequest> = {}): ActionRequest {
  return stepRequest(action, { eventType: 'hire', params, ...overrides });
}
