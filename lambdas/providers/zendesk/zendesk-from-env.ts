/** The Zendesk provider of an action Lambda, from its environment: imported only by Zendesk actions. */
import type { ZendeskProvider } from '../providers';
import { ENV } from '../../shared/env-names';
import { secretsManagerValue } from '../../shared/secrets';
import { ProviderError } from '../provider-error';
import { ZendeskClient, zendeskWaitBudgetMs } from './zendesk-client';
import { DEFAULT_ACTION_TIMEOUT_SECONDS } from '../../../config/dispatch-timing';

export function zendeskFromEnv(env: NodeJS.ProcessEnv = process.env): () => ZendeskProvider {
  let provider: ZendeskProvider | undefined;
  return () => {
    if (provider) return provider;
    const baseUrl = env[ENV.zendeskBaseUrl];
    const email = env[ENV.zendeskEmail];
    if (!baseUrl || !email) throw new ProviderError('this stage has no zendesk settings (config/stages.ts: zendesk.subdomain or baseUrl, email, leaverTicketGroup)', false);
    // Secrets Manager on AWS (cached); the token itself locally.
    const arn = env[ENV.zendeskTokenSecretArn];
    const secret = arn ? secretsManagerValue(arn) : async () => env[ENV.zendeskToken] ?? '';
    const token = async () => {
      const value = (await secret()).trim();
      // The secret holds the token itself, or {"token": "..."}.
      const parsed = value.startsWith('{') ? tokenField(value) : value;
      if (typeof parsed !== 'string' || !parsed) throw new ProviderError('the Zendesk API token secret is empty: put the API token in it (docs/zendesk.md)', false);
      return parsed;
    };
    provider = {
      client: new ZendeskClient({ baseUrl, email, token, requestsPerMinute: Number(env[ENV.zendeskRequestsPerMinute]) || undefined, waitBudgetMs: zendeskWaitBudgetMs(Number(env[ENV.actionTimeoutSeconds]) || DEFAULT_ACTION_TIMEOUT_SECONDS) }),
      leaverTicketGroup: env[ENV.zendeskLeaverTicketGroup] || undefined,
    };
    return provider;
  };
}

/** The `token` field of a JSON secret; a value that is not JSON is named without a word of it (a parse error quotes the input). */
function tokenField(value: string): unknown {
  try {
    return (JSON.parse(value) as { token?: unknown }).token;
  } catch {
    throw new ProviderError('the Zendesk API token secret starts with "{" but is not JSON: put {"token": "..."} or the token alone in it (docs/zendesk.md)', false);
  }
}
