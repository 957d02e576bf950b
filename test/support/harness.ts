/** Starts the local runtime in-process on free ports and talks to it as the HR system and an operator would. */
import { LOCAL_GOOGLE_CREDENTIALS } from '../../local/credentials/google-local-token';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Run } from '../../lambdas/engine/model';
import { HR_PURPOSE, signedHeaders } from '../../lambdas/http/signature';
import { startRuntime, type Runtime, type RuntimeOptions } from '../../local/runtime';
import { createGoogleClients, type GoogleClients } from '../../lambdas/providers/google/google-clients';
import { DEFAULT_RATE_LIMIT } from '../../lambdas/providers/rate-limited-fetch';
import { LOCAL_GOOGLE_ADMIN } from '../../local/emulators/provider-emulators';
import { FORWARD_ONLY_PLAYBOOKS } from './playbooks';

export const SECRET = 'e2e-secret';
export const TOKEN = 'e2e-operator-token';

export function tempDir(prefix = 'lifecycle-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function start(options: RuntimeOptions = {}): Promise<Runtime> {
  return startRuntime({
    port: 0,
    emulatorPort: 0,
    dataDir: tempDir(),
    hmacSecret: SECRET,
    operatorToken: TOKEN,
    sweepIntervalSeconds: 3600,
    visibilityTimeoutSeconds: 5,
    workerConcurrency: 2,
    settings: { retryBaseSeconds: 1 },
    // The engine's own tests run one step per event; the leaver tests pass the default playbooks.
    playbooks: FORWARD_ONLY_PLAYBOOKS,
    ...options,
  });
}

/** A signed POST /v1/events; `purpose` lets a test sign for something else than the intake. */
export async function postEvent(
  rt: Runtime,
  body: unknown,
  opts: { secret?: string; purpose?: string; timestamp?: number; contentType?: string; raw?: string; headers?: Record<string, string> } = {},
) {
  const raw = opts.raw ?? JSON.stringify(body);
  const res = await fetch(`${rt.apiUrl}/v1/events`, {
    method: 'POST',
    headers: opts.headers ?? { 'Content-Type': opts.contentType ?? 'application/json', ...signedHeaders(opts.secret ?? SECRET, opts.purpose ?? HR_PURPOSE, raw, opts.timestamp) },
    body: raw,
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** An operator call; a body, when given, is sent as JSON. */
export async function operator(rt: Runtime, method: string, path: string, body?: unknown, token = TOKEN) {
  const res = await fetch(`${rt.apiUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** Polls until `check` answers something truthy, or fails with the last value seen. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const value = await check();
    if (value) return value;
    last = value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function runOf(rt: Runtime, employeeId: string, runId: string): Promise<Run | undefined> {
  return rt.engine.store.getRun(employeeId, runId);
}

export async function runReaches(rt: Runtime, employeeId: string, runId: string, status: Run['status'], timeoutMs?: number) {
  return eventually(async () => {
    const run = await runOf(rt, employeeId, runId);
    // Idle too: a message is deleted only once its handler has written the audit trail as well.
    return run?.status === status && rt.idle() ? run : undefined;
  }, timeoutMs, `run ${runId} to be ${status}`);
}

/** The real Google clients against the runtime's emulator, acting as its admin, to read back what the actions did. */
/**
 * Waits until every run named (employee id, run id) has completed and the runtime is idle; fails at once, with what
 * it says, when a step waits for an operator, since an operator alert cannot resolve itself.
 */
export async function allRunsComplete(rt: Runtime, runs: readonly { employeeId: string; runId: string }[], timeoutMs: number): Promise<Run[]> {
  return eventually(
    async () => {
      const all = await Promise.all(runs.map((r) => rt.engine.store.getRun(r.employeeId, r.runId)));
      const stuck = all.flatMap((run) => (run?.steps ?? []).filter((s) => s.status === 'needs_attention').map((s) => `${run!.employeeId}/${s.stepId}: ${s.lastError?.message}`));
      if (stuck.length) throw new Error(`steps in needs_attention: ${stuck.join('; ')}`);
      return all.every((run) => run?.status === 'completed') && rt.idle() ? (all as Run[]) : undefined;
    },
    timeoutMs,
    'every run to complete',
  );
}

export function googleClientsOf(rt: Runtime, perMinute = DEFAULT_RATE_LIMIT.perMinute): GoogleClients {
  return createGoogleClients({
    rootUrl: `${rt.emulatorUrl}/`,
    customerId: 'my_customer',
    adminSubject: LOCAL_GOOGLE_ADMIN,
    credentials: LOCAL_GOOGLE_CREDENTIALS,
    rateLimit: { ...DEFAULT_RATE_LIMIT, perMinute },
  });
}
