/** The Google clients of an action Lambda, from its environment: imported only by Google actions. */
import { ENV } from '../../shared/env-names';
import { secretSource } from '../../shared/secrets';
import { createGoogleClients, type GoogleClients } from './google-clients';
import { googleConfigFromEnv, type ServiceAccountKey } from './google-config';

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
    clients = createGoogleClients(googleConfigFromEnv(key));
    return clients;
  };
}
