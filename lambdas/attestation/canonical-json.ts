/**
 * Canonical JSON: object keys sorted (by UTF-16 code unit, as Array#sort compares), no whitespace, strings and numbers
 * written as JSON.stringify writes them. For the plain data an attestation holds this is RFC 8785 (JCS): the same value
 * always gives the same bytes, so a hash or signature over them can be checked again from the parsed file.
 */

/** The text of `value` in canonical form. Values JSON cannot hold are read as a JSON round trip reads them (undefined keys dropped, NaN as null). */
export function canonicalJson(value: unknown): string {
  // The round trip first: what is hashed is exactly what a reader of the saved JSON gets back.
  const text = JSON.stringify(value);
  if (text === undefined) throw new Error('canonical JSON: the value has no JSON form');
  return write(JSON.parse(text) as Json);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function write(value: Json): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(write).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${write(value[k])}`).join(',')}}`;
}

/** True when `text` is, byte for byte, the canonical form of what it parses to. */
export function isCanonical(text: string): { ok: true; value: unknown } | { ok: false; reason: string; at?: number } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  const canonical = write(value as Json);
  if (canonical === text) return { ok: true, value };
  let at = 0;
  while (at < text.length && text[at] === canonical[at]) at++;
  return { ok: false, reason: `not in canonical form from character ${at} on (sorted keys, no whitespace)`, at };
}
