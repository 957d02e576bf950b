/** The Google clients of an action Lambda, from its environment: imported only by Google actions. */
import { ENV } from '../../shared/env-names';
import { logger } from '../../shared/observability';
import { errorFields } from '../../shared/log-fields';
import { secretSource } from '../../shared/secrets';
import { createDocumentClient } from '../../store/dynamo/dynamo-table';
import { DynamoBudgetStore } from '../../store/dynamo/budget-repository';
import { providerBucket, type RequestBudget } from '../rate-limited-fetch';
import { fallbackPerMinute, SharedBudget } from '../shared-budget';

export { fallbackPerMinute };
import { createGoogleClients, type GoogleClients } from './google-clients';
import { googleConfigFromEnv, type ServiceAccountKey } from './google-config';

/** The stage's Google budget in its table, when the function is given one; this process's share of it backs it up. */
export function googleBudgetFromEnv(perMinute: number, env: NodeJS.ProcessEnv = process.env): RequestBudget | undefined {
  const table = env[ENV.googleBudgetTable];
  if (!table) return undefined;
  return new SharedBudget({
    name: 'google',
    perMinute,
    store: new DynamoBudgetStore({ doc: createDocumentClient(), name: table }),
    fallback: providerBucket('google', fallbackPerMinute(perMinute, Number(env[ENV.googleBudgetContainers]))),
    onStoreError: (err) => logger.warn('the shared Google budget could not be read; this process keeps to its share of it', errorFields(err)),
  });
}

export function googleFromEnv(): () => GoogleClients {
  let clients: GoogleClients | undefined;
  return () => {
    if (clients) return clients;
    const raw = secretSource(ENV.googleServiceAccountSecretArn);
    const key = async (): Promise<ServiceAccountKey> => {
      const parsed = JSON.parse(await raw()) as Partial<ServiceAccountKey>;
      if (!parsed.client_email || !parsed.private_key) throw new Error('the Google service account secret lacks client_email or private_key');
      return { client_email: parsed.client_email, private_key: parsed.private_key };
    };
    const config = googleConfigFromEnv(key);
    clients = createGoogleClients({ ...config, budget: googleBudgetFromEnv(config.rateLimit.perMinute) });
    return clients;
  };
}
