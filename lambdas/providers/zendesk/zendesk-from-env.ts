/** The Zendesk provider of an action Lambda, from its environment: imported only by Zendesk actions. */
import type { ZendeskProvider } from '../providers';
import { ENV } from '../../shared/env-names';
import { apiTokenFromEnv, onFirstUse } from '../api-token-from-env';
import { ProviderError } from '../provider-error';
import { ZendeskClient, zendeskWaitBudgetMs } from './zendesk-client';
import { DEFAULT_ACTION_TIMEOUT_SECONDS } from '../../../config/dispatch-timing';

export function zendeskFromEnv(env: NodeJS.ProcessEnv = process.env): () => ZendeskProvider {
  return onFirstUse(() => {
    const baseUrl = env[ENV.zendeskBaseUrl];
    const email = env[ENV.zendeskEmail];
    if (!baseUrl || !email) throw new ProviderError('this stage has no zendesk settings (config/stages.ts: zendesk.subdomain or baseUrl, email, leaverTicketGroup)', false);
    // Secrets Manager on AWS (cached); the token itself locally; the secret holds the token itself, or {"token": "..."}.
    const token = apiTokenFromEnv(env, { arn: ENV.zendeskTokenSecretArn, local: ENV.zendeskToken }, { provider: 'Zendesk', token: 'API token', doc: 'docs/zendesk.md' });
    return {
      client: new ZendeskClient({ baseUrl, email, token, requestsPerMinute: Number(env[ENV.zendeskRequestsPerMinute]) || undefined, waitBudgetMs: zendeskWaitBudgetMs(Number(env[ENV.actionTimeoutSeconds]) || DEFAULT_ACTION_TIMEOUT_SECONDS) }),
      leaverTicketGroup: env[ENV.zendeskLeaverTicketGroup] || undefined,
    };
  });
}
