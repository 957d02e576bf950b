/**
 * The HMAC scheme: HR signs events in with the HR key, we sign each forwarded event with that receiver's own key.
 * The signed string names its purpose (direction and target), so a signature made for one never passes for another.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from '../shared/zod';

export const SIGNATURE_HEADER = 'X-Lifecycle-Signature';
export const TIMESTAMP_HEADER = 'X-Lifecycle-Timestamp';
/** The scheme's version, the prefix of every signature: v2 signs `<purpose>.<timestamp>.<raw body>`. */
export const SIGNATURE_VERSION = 'v2';
/** How long after its timestamp a signature is accepted: the replay window, and how long a refusal is remembered. */
export const MAX_AGE_SECONDS = 300;
/** How far ahead of the receiver's clock a timestamp may be: room for a fast clock, not for pre-signed requests. */
export const MAX_FUTURE_SECONDS = 30;

/** What an HR system signs for: events into this service. */
export const HR_PURPOSE = 'hr->lifecycle';
/** What we sign for when forwarding an event to the named downstream receiver. */
export const forwardPurpose = (receiver: string): string => `lifecycle->downstream:${receiver}`;

/**
 * A signing key in its two active versions: signing uses `current`; verifying accepts `current` or `previous`,
 * so a key is rotated without a moment in which either side's signatures are refused.
 */
export interface KeyRing {
  current: string;
  previous?: string;
}

const keyValue = z.string().check(z.minLength(8, 'must be at least 8 characters'));
const keyRingSchema = z.strictObject({ current: keyValue, previous: z.optional(keyValue) });

/**
 * Reads a key from where it is kept: `{"current":"…","previous":"…"}` (the form the stack generates and rotation
 * edits), or a bare string, which is a current version with no previous one. `source` names it in errors only.
 */
export function parseKeyRing(raw: string, source: string): KeyRing {
  const text = raw.trim();
  if (!text.startsWith('{')) {
    if (!keyValue.safeParse(text).success) throw new Error(`${source}: the key must be at least 8 characters`);
    return { current: text };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${source}: not valid JSON; expected {"current":"…","previous":"…"}`);
  }
  const parsed = keyRingSchema.safeParse(json);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(value)'}: ${i.message}`).join('; ');
    throw new Error(`${source}: ${detail}; expected {"current":"…","previous":"…"}`);
  }
  return parsed.data.previous && parsed.data.previous !== parsed.data.current ? parsed.data : { current: parsed.data.current };
}

export function signBody(key: string, purpose: string, timestamp: number | string, body: string): string {
  return `${SIGNATURE_VERSION}=${createHmac('sha256', key).update(`${purpose}.${timestamp}.${body}`).digest('hex')}`;
}

/** Headers for a signed request, ready to merge into a fetch call. */
export function signedHeaders(key: string, purpose: string, body: string, nowSeconds = Math.floor(Date.now() / 1000)): Record<string, string> {
  return { [TIMESTAMP_HEADER]: String(nowSeconds), [SIGNATURE_HEADER]: signBody(key, purpose, nowSeconds, body) };
}

export type SignatureCheck =
  | {
      ok: true;
      /** The signature that matched, as computed here: what a refused request is remembered by. */
      signature: string;
      /** The signed unix time; the signature is accepted until MAX_AGE_SECONDS after it. */
      timestamp: number;
      keyVersion: 'current' | 'previous';
    }
  | { ok: false; error: string };

/** Case-insensitive header lookup over a plain header map. */
export function header(headers: Record<string, string | undefined> | null | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

/** Compares in constant time; a length mismatch is a mismatch, found without an early exit on content. */
function same(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function verifySignature(
  keys: KeyRing,
  purpose: string,
  headers: Record<string, string | undefined> | null | undefined,
  rawBody: string,
  nowSeconds: number,
): SignatureCheck {
  const timestamp = header(headers, TIMESTAMP_HEADER);
  const signature = header(headers, SIGNATURE_HEADER)?.trim();
  if (!timestamp || !signature) return { ok: false, error: `missing ${TIMESTAMP_HEADER} or ${SIGNATURE_HEADER} header` };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, error: `${TIMESTAMP_HEADER} must be unix seconds` };
  const signedAt = Number(timestamp);
  if (nowSeconds - signedAt > MAX_AGE_SECONDS) {
    return { ok: false, error: `${TIMESTAMP_HEADER} is more than ${MAX_AGE_SECONDS} s old by the server clock` };
  }
  if (signedAt - nowSeconds > MAX_FUTURE_SECONDS) {
    return { ok: false, error: `${TIMESTAMP_HEADER} is more than ${MAX_FUTURE_SECONDS} s ahead of the server clock` };
  }
  // v1 signed no purpose: a receiver's signature would pass as HR's wherever the key bytes were shared.
  if (!signature.startsWith(`${SIGNATURE_VERSION}=`)) {
    const version = /^(v\d+)=/.exec(signature)?.[1];
    return {
      ok: false,
      error: version
        ? `${SIGNATURE_HEADER} ${version} is no longer accepted; sign "${purpose}.<timestamp>.<body>" as ${SIGNATURE_VERSION}=<hex>`
        : `${SIGNATURE_HEADER} must be ${SIGNATURE_VERSION}=<hex HMAC-SHA256>`,
    };
  }
  const versions: [KeyRing['current'] | undefined, 'current' | 'previous'][] = [
    [keys.current, 'current'],
    [keys.previous, 'previous'],
  ];
  for (const [key, keyVersion] of versions) {
    if (!key) continue;
    const expected = signBody(key, purpose, timestamp, rawBody);
    if (same(expected, signature)) return { ok: true, signature: expected, timestamp: signedAt, keyVersion };
  }
  return { ok: false, error: `signature does not match the body (signed for ${purpose} with its current or previous key)` };
}
