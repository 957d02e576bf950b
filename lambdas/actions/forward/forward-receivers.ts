/** The downstream receivers of data forwarding, each with its own signing key, as this process's environment names them. */
import * as z from '../../shared/zod';
import { receiverList, receiverNameSchema, receiverUrlSchema } from '../../../config/schema';
import { parseKeyRing, type KeyRing } from '../../http/signature';
import { ENV } from '../../shared/env-names';
import { keyRingSource, secretsManagerValue } from '../../shared/secrets';

/** One receiver: where its events go and the key (both versions) only it and the forwarding function hold. */
export interface ForwardReceiver {
  name: string;
  url: string;
  keys(): Promise<KeyRing>;
}

const target = { name: receiverNameSchema, url: receiverUrlSchema };
/** On AWS the stack names each receiver's secret; locally the key is given as it is (bare or `{"current","previous"}`). */
const envReceiver = z.union([
  z.strictObject({ ...target, keyArn: z.string().check(z.regex(/^arn:aws[a-z-]*:secretsmanager:/, 'must be a Secrets Manager ARN')) }),
  z.strictObject({ ...target, key: z.string().check(z.minLength(1)) }),
]);
const envReceivers = receiverList(envReceiver);

/** Reads the receivers from their env form; the error names the variable and the failing field, never a key. */
export function parseForwardTo(raw: string): ForwardReceiver[] {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error(`${ENV.forwardTo} must be a JSON list of {"name","url","keyArn"} or {"name","url","key"}`);
  }
  const parsed = envReceivers.safeParse(json);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(list)'}: ${i.message}`).join('; ');
    throw new Error(`${ENV.forwardTo} is invalid: ${detail}`);
  }
  return parsed.data.map((r) => {
    const source = `the signing key of receiver ${r.name}`;
    if ('keyArn' in r) return { name: r.name, url: r.url, keys: keyRingSource(secretsManagerValue(r.keyArn), source) };
    const ring = parseKeyRing(r.key, source);
    return { name: r.name, url: r.url, keys: async () => ring };
  });
}

/** The receivers this function forwards to; none when the variable is unset. */
export function forwardReceiversFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): ForwardReceiver[] {
  const raw = env[ENV.forwardTo];
  return raw === undefined || raw.trim() === '' ? [] : parseForwardTo(raw);
}

/** A receiver whose key is given directly (the local runtime and tests). */
export function receiverWithKey(name: string, url: string, key: string | KeyRing): ForwardReceiver {
  const ring = typeof key === 'string' ? parseKeyRing(key, `the signing key of receiver ${name}`) : key;
  return { name, url, keys: async () => ring };
}
