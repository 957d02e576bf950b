/** Secrets: from Secrets Manager on AWS (cached), from the environment locally. Never logged. */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { parseKeyRing, type KeyRing } from '../http/signature';
import { ENV, type EnvName } from './env-names';

const CACHE_MS = 5 * 60 * 1000;
let client: SecretsManagerClient | undefined;
/** Loaded on first use: most functions never read a secret, and the client costs ~85 ms to load. */
const secretsManager = () => import('@aws-sdk/client-secrets-manager');

/** A cached reader of one Secrets Manager secret's string value. */
export function secretsManagerValue(arn: string): () => Promise<string> {
  let cached: { value: string; until: number } | undefined;
  return async () => {
    if (cached && cached.until > Date.now()) return cached.value;
    const { GetSecretValueCommand, SecretsManagerClient } = await secretsManager();
    client ??= new SecretsManagerClient({});
    const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    if (!out.SecretString) throw new Error(`secret ${arn} has no string value`);
    cached = { value: out.SecretString, until: Date.now() + CACHE_MS };
    return cached.value;
  };
}

/** A secret named by an ARN variable on AWS, or given directly by a value variable locally. */
export function secretSource(arnVar: EnvName, valueVar?: EnvName): () => Promise<string> {
  const arn = process.env[arnVar];
  if (arn) return secretsManagerValue(arn);
  return async () => {
    const value = valueVar ? process.env[valueVar] : undefined;
    if (!value) throw new Error(`neither ${arnVar}${valueVar ? ` nor ${valueVar}` : ''} is set`);
    return value;
  };
}

/** A signing key's versions from a secret's value, parsed on every read so a rotation shows within the cache time. */
export function keyRingSource(read: () => Promise<string>, source: string): () => Promise<KeyRing> {
  return async () => parseKeyRing(await read(), source);
}

/** The key HR signs events in with: granted to the API function only. */
export function hrKeySource(): () => Promise<KeyRing> {
  return keyRingSource(secretSource(ENV.hrKeyArn, ENV.hmacSecret), process.env[ENV.hrKeyArn] ? 'the HR signing key secret' : ENV.hmacSecret);
}

export function notionTokenSource(): () => Promise<string> {
  return secretSource(ENV.notionTokenSecretArn, ENV.notionToken);
}
