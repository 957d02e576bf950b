/** A provider's settings and API token from an action Lambda's environment (Front, Zendesk). */
import type { EnvName } from '../shared/env-names';
import { secretsManagerValue } from '../shared/secrets';
import { ProviderError } from './provider-error';

/** How the messages name a provider's token secret. */
export interface ApiTokenNames {
  /** `Front`. */
  provider: string;
  /** What an admin puts in the secret: `company API token`. */
  token: string;
  /** The provider's reference page: `docs/front.md`. */
  doc: string;
}

/** The token in a secret's value: the whole string, or its `token` field when the value is JSON. Never quotes the value. */
export function apiTokenOf(value: string, names: ApiTokenNames): string {
  const trimmed = value.trim();
  let token: unknown = trimmed;
  if (trimmed.startsWith('{')) {
    try {
      token = (JSON.parse(trimmed) as { token?: unknown }).token;
    } catch {
      // A parse error quotes the input: the secret's value is never put in a message.
      throw new ProviderError(`the ${names.provider} API token secret starts with "{" but is not JSON: put {"token": "..."} or the token alone in it (${names.doc})`, false);
    }
  }
  if (typeof token !== 'string' || !token) throw new ProviderError(`the ${names.provider} API token secret is empty: put the ${names.token} in it (${names.doc})`, false);
  return token;
}

/**
 * The token, read on each call: from the Secrets Manager secret whose ARN is in `vars.arn` (on AWS, cached), else the
 * token itself in `vars.local` (locally).
 */
export function apiTokenFromEnv(env: NodeJS.ProcessEnv, vars: { arn: EnvName; local: EnvName }, names: ApiTokenNames): () => Promise<string> {
  const arn = env[vars.arn];
  const secret = arn ? secretsManagerValue(arn) : async () => env[vars.local] ?? '';
  return async () => apiTokenOf(await secret(), names);
}

/** The provider, built on its first use and kept; a build that throws (no settings) is tried again on the next use. */
export function onFirstUse<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}
