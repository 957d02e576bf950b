/** The Front provider of an action Lambda, from its environment: imported only by Front actions. */
import { ENV } from '../../shared/env-names';
import { secretsManagerValue } from '../../shared/secrets';
import { ProviderError } from '../provider-error';
import { createFrontProvider, type FrontProvider } from './front-provider';

/** The token in a secret's value: the whole string, or its `token` field when the value is JSON. Never quotes the value. */
export function frontTokenOf(value: string): string {
  const trimmed = value.trim();
  let token: unknown = trimmed;
  if (trimmed.startsWith('{')) {
    try {
      token = (JSON.parse(trimmed) as { token?: unknown }).token;
    } catch {
      // A parse error quotes the input: the secret's value is never put in a message.
      throw new ProviderError('the Front API token secret starts with "{" but is not JSON: put {"token": "..."} or the token alone in it (docs/front.md)', false);
    }
  }
  if (typeof token !== 'string' || !token) throw new ProviderError('the Front API token secret is empty: put the company API token in it (docs/front.md)', false);
  return token;
}

export function frontFromEnv(env: NodeJS.ProcessEnv = process.env): () => FrontProvider {
  let provider: FrontProvider | undefined;
  return () => {
    if (provider) return provider;
    const baseUrl = env[ENV.frontBaseUrl];
    const scimBaseUrl = env[ENV.frontScimBaseUrl];
    if (!baseUrl || !scimBaseUrl) throw new ProviderError('this stage has no front settings (config/stages.ts: front)', false);
    // Secrets Manager on AWS (cached); the token itself locally.
    const arn = env[ENV.frontTokenSecretArn];
    const secret = arn ? secretsManagerValue(arn) : async () => env[ENV.frontToken] ?? '';
    provider = createFrontProvider({ baseUrl, scimBaseUrl, token: async () => frontTokenOf(await secret()), requestsPerMinute: Number(env[ENV.frontRequestsPerMinute]) || undefined });
    return provider;
  };
}
