/** Starts the Google Workspace emulator (sample tenant) on a free port and builds the action context Google actions run with against it. */
import { LOCAL_GOOGLE_CREDENTIALS } from '../../local/credentials/google-local-token';
import type { ActionContext } from '../../lambdas/actions/define-action';
import type { ActionRequest, ActionResponse } from '../../lambdas/engine/ports';
import { googleScopesOf, priorityOf } from '../../lambdas/actions/catalog';
import { createGoogleClients, type GoogleClients } from '../../lambdas/providers/google/google-clients';
import { DEFAULT_RATE_LIMIT } from '../../lambdas/providers/rate-limited-fetch';
import { GoogleWorkspaceEmulator, seedSample, type SampleTenant } from '../../local/emulators/google';
import { startEmulatorServer } from '../../local/emulators/server';
import { LocalPasswordSealer } from '../../local/credentials/local-sealer';
import { lazyStore, type LazyStore } from './lazy-store';

/** The public API URL the welcome email's link points at in these tests. */
export const TEST_PUBLIC_API_URL = 'https://lifecycle.example.test/dev';

export interface GoogleTestBed {
  emulator: GoogleWorkspaceEmulator;
  sample: SampleTenant;
  url: string;
  ctx: ActionContext;
  /**
   * The Google clients an action runs with: its step's class and its declared scopes, the very objects it calls
   * (the clients cache each variant), so a test can spy on them. `ctx.providers.google()` holds every scope, for setting up and reading back.
   */
  clientsFor(action: string): GoogleClients;
  /** The lifecycle store behind the credential vault (started on first use) and the vault's sealer. */
  credentials: LazyStore & { sealer: LocalPasswordSealer };
  /** Moves the action's clock (not the emulator's), for checkAgainAt. */
  clock: { now(): Date; set(at: Date): void };
  /** A step request for the sample leaver (Ada, managed by Grace); employee and other fields may be overridden. */
  request(action: string, overrides?: Partial<Omit<ActionRequest, 'employee'>> & { employee?: Partial<ActionRequest['employee']> }): ActionRequest;
  stop(): Promise<void>;
}

export interface GoogleTestBedOptions {
  /**
   * Retries the transport makes on 429/503 before answering; 0 by default, so an injected 503 reaches the
   * action as it is instead of being retried away.
   */
  maxRetries?: number;
  /** The emulator's clock (transfers complete by it), so a test can move time instead of sleeping. */
  emulatorNow?: () => number;
  /** What every test of the file starts from, done on each fresh bed (useGoogleTestBed). */
  setUp?: (bed: GoogleTestBed) => void;
}

export async function startGoogleTestBed(options: GoogleTestBedOptions = {}): Promise<GoogleTestBed> {
  const emulator = new GoogleWorkspaceEmulator({ now: options.emulatorNow });
  const sample = seedSample(emulator);
  const server = await startEmulatorServer(emulator.routes(), 0);
  let now: Date | undefined;
  const clock = { now: () => now ?? new Date(), set: (at: Date) => void (now = at) };
  const google = createGoogleClients({
    rootUrl: `${server.url}/`,
    customerId: 'my_customer',
    adminSubject: sample.users.admin.email,
    credentials: LOCAL_GOOGLE_CREDENTIALS,
    rateLimit: { ...DEFAULT_RATE_LIMIT, perMinute: 60_000, maxRetries: options.maxRetries ?? 0, baseDelayMs: 10, maxDelayMs: 50 },
  });
  const credentials = { ...lazyStore(), sealer: LocalPasswordSealer.forDataDir(null) };
  const ctx: ActionContext = {
    fetch: globalThis.fetch,
    clock,
    providers: { google: () => google },
    credentials: () => ({ store: credentials.store, sealer: credentials.sealer }),
    welcomeEmail: () => ({ sender: sample.users.admin.email, linkValidDays: 7, publicApiUrl: () => TEST_PUBLIC_API_URL }),
  };
  const request: GoogleTestBed['request'] = (action, overrides = {}) => {
    const { employee, ...rest } = overrides;
    return {
      action,
      runId: 'run-1',
      stepId: action,
      eventId: 'hr-1',
      eventType: 'terminate',
      effectiveDate: '2026-11-30',
      urgent: false,
      attempt: 1,
      priority: priorityOf(action),
      params: {},
      ...rest,
      employee: { id: 'E100', firstName: 'Ada', lastName: 'Lovelace', email: sample.users.ada.email, managerEmail: sample.users.grace.email, timezone: 'Europe/London', ...employee },
    };
  };
  const clientsFor = (action: string) => {
    const scopes = googleScopesOf(action);
    if (!scopes) throw new Error(`${action} declares no Google scopes`);
    return google.withPriority(priorityOf(action)).withScopes(scopes);
  };
  return {
    emulator,
    sample,
    url: server.url,
    ctx,
    clientsFor,
    credentials,
    clock,
    request,
    stop: async () => {
      await server.stop();
      await credentials.stop();
    },
  };
}

/** Starts a fresh test bed before each test of the file and stops it after; read it through the getter. */
export function useGoogleTestBed(options: GoogleTestBedOptions = {}): () => GoogleTestBed {
  let bed: GoogleTestBed | undefined;
  beforeEach(async () => {
    bed = await startGoogleTestBed(options);
    options.setUp?.(bed);
  });
  afterEach(async () => {
    await bed?.stop();
  });
  return () => bed!;
}

/**
 * A fresh bed per test for a Data Transfer step: the steps' clock at `at`, the emulator on the clock the test moves,
 * and every transfer taking a second of it, so a test moves time instead of sleeping.
 */
export function useTransferTestBed(at: Date, emulatorNow: () => number): () => GoogleTestBed {
  return useGoogleTestBed({
    emulatorNow,
    setUp: (bed) => {
      bed.clock.set(at);
      bed.emulator.setTransferBehaviour({ delayMs: 1000 });
    },
  });
}

/**
 * The handover before the cut-off gave the group Ada alone owns another owner (google.removeFromGroups leaves a group's
 * only owner in it): the state the mover and restore tests start from.
 */
export function soleOwnedGroupHandedOver(bed: GoogleTestBed): void {
  bed.emulator.addMember(bed.sample.groups.analyticalEngine, bed.sample.users.grace.email, 'OWNER');
}

/** Short reads of a bed's sample tenant: the clients with every scope, and the sample users' addresses. */
export function sampleOf(bed: () => GoogleTestBed) {
  return {
    g: () => bed().ctx.providers.google!(),
    ada: () => bed().sample.users.ada.email,
    grace: () => bed().sample.users.grace.email,
    alan: () => bed().sample.users.alan.email,
  };
}

/** The failure an action answered; a success fails the test, showing what came back. */
export function expectFailure(res: ActionResponse): Extract<ActionResponse, { ok: false }>['error'] {
  if (res.ok) throw new Error(`expected a failure, got ${JSON.stringify(res)}`);
  return res.error;
}

/** The success answer of an action, or a failure that names what the provider said. */
export function expectOk(res: ActionResponse): Extract<ActionResponse, { ok: true }> {
  if (!res.ok) throw new Error(`expected success, got ${JSON.stringify(res.error)}`);
  return res;
}
