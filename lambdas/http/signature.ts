/** The HMAC scheme HR systems sign events with, and downstream receivers verify forwarded ones with. */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Lifecycle-Signature';
export const TIMESTAMP_HEADER = 'X-Lifecycle-Timestamp';
/** How far a signed timestamp may be from the receiver's clock. */
export const MAX_SKEW_SECONDS = 300;

export function signBody(secret: string, timestamp: number | string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Headers for a signed request, ready to merge into a fetch call. */
export function signedHeaders(secret: string, body: string, nowSeconds = Math.floor(Date.now() / 1000)): Record<string, string> {
  return { [TIMESTAMP_HEADER]: String(nowSeconds), [SIGNATURE_HEADER]: signBody(secret, nowSeconds, body) };
}

export type SignatureCheck = { ok: true } | { ok: false; error: string };

/** Case-insensitive header lookup over a plain header map. */
export function header(headers: Record<string, string | undefined> | null | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

export function verifySignature(
  secret: string,
  headers: Record<string, string | undefined> | null | undefined,
  rawBody: string,
  nowSeconds: number,
): SignatureCheck {
  const timestamp = header(headers, TIMESTAMP_HEADER);
  const signature = header(headers, SIGNATURE_HEADER);
  if (!timestamp || !signature) return { ok: false, error: `missing ${TIMESTAMP_HEADER} or ${SIGNATURE_HEADER} header` };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, error: `${TIMESTAMP_HEADER} must be unix seconds` };
  if (Math.abs(nowSeconds - Number(timestamp)) > MAX_SKEW_SECONDS) {
    return { ok: false, error: `${TIMESTAMP_HEADER} is more than ${MAX_SKEW_SECONDS} s from the server clock` };
  }
  const expected = Buffer.from(signBody(secret, timestamp, rawBody));
  const given = Buffer.from(signature.trim());
  // Compare in constant time; a length mismatch is a mismatch, checked without an early exit on content.
  const same = expected.length === given.length && timingSafeEqual(expected, given);
  return same ? { ok: true } : { ok: false, error: 'signature does not match the body' };
}
