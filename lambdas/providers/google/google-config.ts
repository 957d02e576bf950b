/** How this process reaches Google: endpoint, credentials and limits, from the environment. */
import { ENV } from '../../shared/env-names';
import { DEFAULT_RATE_LIMIT, type RateLimit, type RequestBudget } from '../rate-limited-fetch';
import { parseScopeList } from './google-scopes';

export interface ServiceAccountKey {
  client_email: string;
  private_key: string;
}

export type GoogleCredentials =
  /** Domain-wide delegation: the key signs a token for whichever user a call must act as. */
  | { kind: 'service-account'; key: () => Promise<ServiceAccountKey> }
  /**
   * For a local emulator only (local/credentials/google-local-token.ts): a token naming the user and scopes each call
   * acts with, which Google would know from its own token. Never built from a function's environment.
   */
  | { kind: 'emulator'; tokenFor: (subject: string, scopes: readonly string[]) => string };

export interface GoogleConfig {
  /** Root URL of the Google APIs; the emulator's locally. */
  rootUrl?: string;
  customerId: string;
  /** The admin impersonated for Directory, Data Transfer and Licensing. */
  adminSubject: string;
  credentials: GoogleCredentials;
  rateLimit: RateLimit;
  /** What every Google request takes first: the stage's shared budget; unset, this process's bucket at rateLimit.perMinute. */
  budget?: RequestBudget;
  /**
   * The scopes this process may request (an action Lambda's own, from its environment); every scope the code
   * knows when absent (the local runtime, read-back clients in tests).
   */
  scopes?: readonly string[];
}

export function googleConfigFromEnv(serviceAccountKey: () => Promise<ServiceAccountKey>): GoogleConfig {
  const rootUrl = process.env[ENV.googleRootUrl] || undefined;
  const perMinute = Number(process.env[ENV.googleRequestsPerMinute] ?? DEFAULT_RATE_LIMIT.perMinute);
  if (!Number.isFinite(perMinute) || perMinute <= 0) throw new Error(`${ENV.googleRequestsPerMinute} must be a positive number`);
  const adminSubject = process.env[ENV.googleAdminSubject];
  if (!adminSubject) throw new Error(`${ENV.googleAdminSubject} is not set: the Google actions need an admin to act as`);
  // A deployed function without its key must stop here, not call Google (or anything at rootUrl) with a made-up token.
  if (!process.env[ENV.googleServiceAccountSecretArn]) {
    throw new Error(`${ENV.googleServiceAccountSecretArn} is not set: the Google actions need the service account key's secret`);
  }
  return {
    rootUrl,
    customerId: process.env[ENV.googleCustomerId] || 'my_customer',
    adminSubject,
    credentials: { kind: 'service-account', key: serviceAccountKey },
    rateLimit: { ...DEFAULT_RATE_LIMIT, perMinute },
    ...(process.env[ENV.googleScopes] ? { scopes: parseScopeList(process.env[ENV.googleScopes]!) } : {}),
  };
}
