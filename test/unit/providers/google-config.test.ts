import { googleConfigFromEnv } from '../../../lambdas/providers/google/google-config';
import { ENV } from '../../../lambdas/shared/env-names';

describe('the Google settings of a deployed function', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });
  const key = async () => ({ client_email: 'sa@example.iam.gserviceaccount.com', private_key: 'k' });

  it('without the service account secret, fails loudly instead of using a local token', () => {
    process.env[ENV.googleAdminSubject] = 'admin@example.com';
    delete process.env[ENV.googleServiceAccountSecretArn];
    expect(() => googleConfigFromEnv(key)).toThrow(`${ENV.googleServiceAccountSecretArn} is not set`);
  });

  it('with the secret, signs with the service account key', () => {
    process.env[ENV.googleAdminSubject] = 'admin@example.com';
    process.env[ENV.googleServiceAccountSecretArn] = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:google-sa';
    expect(googleConfigFromEnv(key).credentials).toEqual({ kind: 'service-account', key });
  });
});
