/**
 * ECDSA P-256 signatures in DER (SEQUENCE { INTEGER r, INTEGER s }) and their low-S form. For any valid (r, s), (r, n - s)
 * verifies too: a signature's s is kept at most n/2, as signed and as checked, so one document has one signed text.
 */

/** The order n of the NIST P-256 group. */
export const P256_ORDER = BigInt('0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551');
const HALF_ORDER = P256_ORDER >> 1n;

/** r and s of a strict DER ECDSA signature (minimal lengths and integers, nothing after), or undefined. */
export function parseEcdsaDer(der: Uint8Array): { r: bigint; s: bigint } | undefined {
  const bytes = Buffer.from(der);
  // A P-256 signature is at most 72 bytes: the sequence's length always fits in one byte.
  if (bytes.length < 8 || bytes[0] !== 0x30 || bytes[1] !== bytes.length - 2) return undefined;
  const ints: bigint[] = [];
  let at = 2;
  for (let i = 0; i < 2; i++) {
    if (bytes[at] !== 0x02) return undefined;
    const len = bytes[at + 1];
    if (len === undefined || len === 0 || len > 33 || at + 2 + len > bytes.length) return undefined;
    const body = bytes.subarray(at + 2, at + 2 + len);
    // Negative, or a leading zero byte not needed to keep it positive: not DER.
    if (body[0] & 0x80 || (body[0] === 0 && len > 1 && !(body[1] & 0x80))) return undefined;
    ints.push(BigInt(`0x${body.toString('hex')}`));
    at += 2 + len;
  }
  if (at !== bytes.length) return undefined;
  return { r: ints[0], s: ints[1] };
}

const derInteger = (value: bigint): Buffer => {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let body = Buffer.from(hex, 'hex');
  if (body[0] & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return Buffer.concat([Buffer.from([0x02, body.length]), body]);
};

/** The DER of (r, s). */
export function encodeEcdsaDer(r: bigint, s: bigint): Uint8Array {
  const body = Buffer.concat([derInteger(r), derInteger(s)]);
  return new Uint8Array(Buffer.concat([Buffer.from([0x30, body.length]), body]));
}

/** True when the signature is strict DER with 0 < s <= n/2. */
export function isLowS(der: Uint8Array): boolean {
  const sig = parseEcdsaDer(der);
  return sig !== undefined && sig.s > 0n && sig.s <= HALF_ORDER;
}

/** The signature with s replaced by n - s when s is above n/2; refuses what is not a DER ECDSA signature. */
export function toLowS(der: Uint8Array): Uint8Array {
  const sig = parseEcdsaDer(der);
  if (!sig || sig.s <= 0n || sig.s >= P256_ORDER) throw new Error('not a DER ECDSA P-256 signature');
  return sig.s <= HALF_ORDER ? new Uint8Array(der) : encodeEcdsaDer(sig.r, P256_ORDER - sig.s);
}
