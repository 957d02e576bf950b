/** The OpenProject provider of an action Lambda, from its environment: imported only by OpenProject actions. */
import type { OpenProjectProvider } from '../providers';
import { ENV } from '../../shared/env-names';
import { apiTokenFromEnv, onFirstUse } from '../api-token-from-env';
import { ProviderError } from '../provider-error';
import { OpenProjectClient } from './openproject-client';

export function openProjectFromEnv(env: NodeJS.ProcessEnv = process.env): () => OpenProjectProvider {
  return onFirstUse(() => {
    const baseUrl = env[ENV.openprojectBaseUrl];
    const employeeIdField = env[ENV.openprojectEmployeeIdField];
    if (!baseUrl || !employeeIdField) throw new ProviderError('this stage has no openproject settings (config/stages.ts: openproject.baseUrl, employeeIdField)', false);
    // Secrets Manager on AWS (cached); the token itself locally; the secret holds it alone, or {"token": "..."}.
    const apiToken = apiTokenFromEnv(env, { arn: ENV.openprojectTokenSecretArn, local: ENV.openprojectToken }, { provider: 'OpenProject', token: "an administrator's API token", doc: 'docs/openproject.md' });
    return { client: new OpenProjectClient({ baseUrl, apiToken, requestsPerMinute: Number(env[ENV.openprojectRequestsPerMinute]) || undefined }), employeeIdField };
  });
}
