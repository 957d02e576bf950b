/**
 * What the emulator test beds share: an emulator served over HTTP on a free port with the action context whose
 * provider clients point at it, a fresh bed for each test, and a step's request for the sample leaver (Ada, E100).
 */
import type { ActionContext } from '../../lambdas/actions/define-action';
import type { ActionRequest } from '../../lambdas/engine/ports';
import { startEmulatorServer, type EmulatorRoute } from '../../local/emulators/server';

/** The action context of a test bed: the real fetch and clock, and the given providers. */
export function testActionContext(providers: ActionContext['providers']): ActionContext {
  return { fetch, clock: { now: () => new Date() }, providers };
}

/**
 * Serves the emulator's routes on a free port; `pointAt` builds what the bed adds (its clients, its context) for the
 * server's URL.
 */
export async function serveEmulator<E, B extends object>(emulator: E, routes: EmulatorRoute[], pointAt: (url: string) => B): Promise<B & { emulator: E; url: string; stop(): Promise<void> }> {
  const server = await startEmulatorServer(routes, 0);
  return { ...pointAt(server.url), emulator, url: server.url, stop: () => server.stop() };
}

/** A fresh test bed for each test of the calling file, stopped after it. */
export function useTestBed<B extends { stop(): Promise<void> }>(start: () => Promise<B>): () => B {
  let bed: B | undefined;
  beforeEach(async () => {
    bed = await start();
  });
  afterEach(async () => {
    await bed?.stop();
  });
  return () => bed!;
}

/** A step's request for Ada (E100), a terminate by default; any field may be overridden. */
export function stepRequest(action: string, overrides: Partial<ActionRequest> = {}): ActionRequest {
  return {
    action,
    runId: 'r',
    stepId: action,
    eventId: 'e',
    eventType: 'terminate',
    effectiveDate: '2026-11-30',
    urgent: false,
    attempt: 1,
    employee: { id: 'E100', firstName: 'Ada', lastName: 'Lovelace', email: 'ada.lovelace@example.com', timezone: 'Europe/Berlin' },
    params: {},
    ...overrides,
  };
}
