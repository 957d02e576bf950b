/** The HMAC secret: from Secrets Manager on AWS (cached), from the environment locally. Never logged. */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ENV } from './env-names';

const CACHE_MS = 5 * 60 * 1000;

export function hmacSecretSource(): () => Promise<string> {
  const arn = process.env[ENV.hmacSecretArn];
  if (!arn) {
    return async () => {
      const secret = process.env[ENV.hmacSecret];
      if (!secret) throw new Error(`neither ${ENV.hmacSecretArn} nor ${ENV.hmacSecret} is set`);
      return secret;
    };
  }
  let client: SecretsManagerClient | undefined;
  let cached: { value: string; until: number } | undefined;
  return async () => {
    if (cached && cached.until > Date.now()) return cached.value;
    client ??= new SecretsManagerClient({});
    const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    if (!out.SecretString) throw new Error(`secret ${arn} has no string value`);
    cached = { value: out.SecretString, until: Date.now() + CACHE_MS };
    return cached.value;
  };
}
