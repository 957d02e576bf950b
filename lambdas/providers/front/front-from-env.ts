/** The Front provider of an action Lambda, from its environment: imported only by Front actions. */
import { ENV } from '../../shared/env-names';
import { apiTokenFromEnv, apiTokenOf, onFirstUse, type ApiTokenNames } from '../api-token-from-env';
import { ProviderError } from '../provider-error';
import { createFrontProvider, type FrontProvider } from './front-provider';

const FRONT_TOKEN: ApiTokenNames = { provider: 'Front', token: 'company API token', doc: 'docs/front.md' };

/** The token in a secret's value: the whole string, or its `token` field when the value is JSON. Never quotes the value. */
export const frontTokenOf = (value: string): string => apiTokenOf(value, FRONT_TOKEN);

export function frontFromEnv(env: NodeJS.ProcessEnv = process.env): () => FrontProvider {
  return onFirstUse(() => {
    const baseUrl = env[ENV.frontBaseUrl];
    const scimBaseUrl = env[ENV.frontScimBaseUrl];
    if (!baseUrl || !scimBaseUrl) throw new ProviderError('this stage has no front settings (config/stages.ts: front)', false);
    // Secrets Manager on AWS (cached); the token itself locally.
    const token = apiTokenFromEnv(env, { arn: ENV.frontTokenSecretArn, local: ENV.frontToken }, FRONT_TOKEN);
    return createFrontProvider({ baseUrl, scimBaseUrl, token, requestsPerMinute: Number(env[ENV.frontRequestsPerMinute]) || undefined });
  });
}
