/** Starts the Google emulator with the sample tenant on a free port and builds the real Google clients against it. */
import { admin_datatransfer_v1, admin_directory_v1 } from '@googleapis/admin';
import { drive_v3 } from '@googleapis/drive';
import { gmail_v1 } from '@googleapis/gmail';
import { OAuth2Client } from 'google-auth-library';
import { GOOGLE_TOKEN_SCOPES as GOOGLE_SCOPES } from '../../../../lambdas/providers/google/google-scopes';
import { localAccessToken } from '../../../../local/credentials/google-local-token';
import { GoogleWorkspaceEmulator, seedSample, type GoogleEmulatorOptions, type SampleTenant } from '../../../../local/emulators/google';
import { startEmulatorServer, type EmulatorServer } from '../../../../local/emulators/server';

export interface GoogleHarness {
  emulator: GoogleWorkspaceEmulator;
  sample: SampleTenant;
  server: EmulatorServer;
  rootUrl: string;
  auth: OAuth2Client;
  directory: admin_directory_v1.Admin;
  transfer: admin_datatransfer_v1.Admin;
  gmail: gmail_v1.Gmail;
  /** Drive acting as a user, with a token that names them and its scopes (what impersonation gives on Google). */
  driveAs(email: string, scopes?: readonly string[]): drive_v3.Drive;
  /** Enterprise License Manager has no package here: raw requests through google-auth-library, as the provider makes them. */
  licensing<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, data?: unknown): Promise<T>;
  stop(): Promise<void>;
}

export async function startGoogle(options: GoogleEmulatorOptions = {}): Promise<GoogleHarness> {
  const emulator = new GoogleWorkspaceEmulator(options);
  const sample = seedSample(emulator);
  const server = await startEmulatorServer(emulator.routes(), 0);
  const rootUrl = `${server.url}/`;
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: 'local' });
  // The clients' own retries are off so a test sees each answer the emulator gives. gaxios 7 would dynamic-import
  // node-fetch (ESM), which Jest's CommonJS runtime refuses; Node's own fetch is what it uses outside Jest anyway.
  const common = { rootUrl, auth, retry: false, fetchImplementation: fetch };
  return {
    emulator,
    sample,
    server,
    rootUrl,
    auth,
    directory: new admin_directory_v1.Admin(common),
    transfer: new admin_datatransfer_v1.Admin(common),
    gmail: new gmail_v1.Gmail(common),
    driveAs: (email, scopes = GOOGLE_SCOPES.drive) => {
      const userAuth = new OAuth2Client();
      userAuth.setCredentials({ access_token: localAccessToken('local', email, scopes) });
      return new drive_v3.Drive({ ...common, auth: userAuth });
    },
    licensing: async <T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, data?: unknown) =>
      (await auth.request<T>({ url: `${rootUrl}apps/licensing/v1/${path}`, method, data, retry: false, fetchImplementation: fetch })).data,
    stop: () => server.stop(),
  };
}

export interface CaughtGoogleError {
  status: number;
  headers: Record<string, string>;
  error: { code: number; message: string; status: string; errors: { message: string; domain: string; reason: string }[] };
}

/** Awaits a call that must fail and returns the HTTP status, headers and Google error body the client saw. */
export async function googleError(call: Promise<unknown>): Promise<CaughtGoogleError> {
  try {
    await call;
  } catch (err) {
    const response = (err as { response?: { status: number; data: { error: CaughtGoogleError['error'] }; headers: Headers } }).response;
    if (!response) throw err;
    return { status: response.status, headers: Object.fromEntries(response.headers.entries()), error: response.data.error };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Polls until the check passes or the deadline is reached; no fixed sleeps. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, deadlineMs = 3000): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
}
