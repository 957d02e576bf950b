/** The Nextcloud provider of an action Lambda, from its environment: imported only by Nextcloud actions. */
import type { NextcloudProvider } from '../providers';
import { ENV } from '../../shared/env-names';
import { apiTokenFromEnv, onFirstUse } from '../api-token-from-env';
import { ProviderError } from '../provider-error';
import { NextcloudClient } from './nextcloud-client';

export function nextcloudFromEnv(env: NodeJS.ProcessEnv = process.env): () => NextcloudProvider {
  return onFirstUse(() => {
    const baseUrl = env[ENV.nextcloudBaseUrl];
    const user = env[ENV.nextcloudUser];
    if (!baseUrl || !user) throw new ProviderError('this stage has no nextcloud settings (config/stages.ts: nextcloud.baseUrl, user)', false);
    // Secrets Manager on AWS (cached); the app password itself locally; the secret holds it alone, or {"token": "..."}.
    const appPassword = apiTokenFromEnv(env, { arn: ENV.nextcloudAppPasswordSecretArn, local: ENV.nextcloudAppPassword }, { provider: 'Nextcloud', token: "admin's app password", doc: 'docs/nextcloud.md' });
    return { client: new NextcloudClient({ baseUrl, user, appPassword, requestsPerMinute: Number(env[ENV.nextcloudRequestsPerMinute]) || undefined }) };
  });
}
