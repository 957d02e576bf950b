import { createHmac } from 'node:crypto';
import {
  forwardPurpose,
  HR_PURPOSE,
  parseKeyRing,
  signBody,
  signedHeaders,
  verifySignature,
  type KeyRing,
} from '../../lambdas/http/signature';

const key = 'local-dev-secret';
const keys: KeyRing = { current: key };
const body = '{"eventId":"hr-1"}';
const now = 1_800_000_000;

const hr = (ring: KeyRing, headers: Record<string, string>, at = now, raw = body) => verifySignature(ring, HR_PURPOSE, headers, raw, at);

describe('HMAC signatures', () => {
  it('signs "<purpose>.<timestamp>.<raw body>" with HMAC-SHA256 as v2=<hex>', () => {
    const expected = createHmac('sha256', key).update(`hr->lifecycle.${now}.${body}`).digest('hex');
    expect(signBody(key, HR_PURPOSE, now, body)).toBe(`v2=${expected}`);
    expect(forwardPurpose('crm')).toBe('lifecycle->downstream:crm');
  });

  it('accepts its own signature, saying which key version matched', () => {
    expect(hr(keys, signedHeaders(key, HR_PURPOSE, body, now))).toMatchObject({ ok: true, timestamp: now, keyVersion: 'current' });
  });

  it('finds headers whatever their case', () => {
    const headers = Object.fromEntries(Object.entries(signedHeaders(key, HR_PURPOSE, body, now)).map(([k, v]) => [k.toLowerCase(), v]));
    expect(hr(keys, headers).ok).toBe(true);
  });

  it("refuses a forward's signature at the intake, even when the same key bytes were configured for both", () => {
    const forwarded = signedHeaders(key, forwardPurpose('crm'), body, now);
    expect(hr(keys, forwarded)).toEqual({ ok: false, error: expect.stringContaining('signature does not match the body') });
    // And the other way round: an HR signature is no forward to a receiver.
    expect(verifySignature(keys, forwardPurpose('crm'), signedHeaders(key, HR_PURPOSE, body, now), body, now).ok).toBe(false);
  });

  it("refuses a forward signed for one receiver at another receiver", () => {
    const forCrm = signedHeaders(key, forwardPurpose('crm'), body, now);
    expect(verifySignature(keys, forwardPurpose('billing'), forCrm, body, now).ok).toBe(false);
    expect(verifySignature(keys, forwardPurpose('crm'), forCrm, body, now).ok).toBe(true);
  });

  describe('key rotation', () => {
    const rotated: KeyRing = { current: 'new-key-version-2', previous: key };

    it('accepts a signature made with the previous key version', () => {
      expect(hr(rotated, signedHeaders(key, HR_PURPOSE, body, now))).toMatchObject({ ok: true, keyVersion: 'previous' });
      expect(hr(rotated, signedHeaders('new-key-version-2', HR_PURPOSE, body, now))).toMatchObject({ ok: true, keyVersion: 'current' });
    });

    it('refuses a signature made with a retired key version', () => {
      const retiredAgain: KeyRing = { current: 'new-key-version-3', previous: 'new-key-version-2' };
      expect(hr(retiredAgain, signedHeaders(key, HR_PURPOSE, body, now)).ok).toBe(false);
    });
  });

  describe('clock skew', () => {
    it.each([
      ['29 s in the future', true, 29],
      ['30 s in the future', true, 30],
      ['31 s in the future', false, 31],
      ['300 s old', true, -300],
      ['301 s old', false, -301],
    ])('a timestamp %s: accepted %s', (_what, accepted, offset) => {
      const check = hr(keys, signedHeaders(key, HR_PURPOSE, body, now + offset));
      expect(check.ok).toBe(accepted);
    });

    it('names the limit it broke', () => {
      expect(hr(keys, signedHeaders(key, HR_PURPOSE, body, now + 31))).toEqual({ ok: false, error: expect.stringContaining('more than 30 s ahead') });
      expect(hr(keys, signedHeaders(key, HR_PURPOSE, body, now - 301))).toEqual({ ok: false, error: expect.stringContaining('more than 300 s old') });
    });
  });

  it.each([
    ['another key', () => hr({ current: 'other-key' }, signedHeaders(key, HR_PURPOSE, body, now)), 'signature does not match the body'],
    ['a changed body', () => hr(keys, signedHeaders(key, HR_PURPOSE, body, now), now, `${body} `), 'signature does not match the body'],
    ['no headers', () => hr(keys, {}), 'missing'],
    ['a truncated signature', () => hr(keys, { 'X-Lifecycle-Timestamp': String(now), 'X-Lifecycle-Signature': 'v2=ab' }), 'does not match'],
    ['a non-numeric timestamp', () => hr(keys, { 'X-Lifecycle-Timestamp': 'soon', 'X-Lifecycle-Signature': 'v2=ab' }), 'unix seconds'],
    [
      'a valid v1 signature (no purpose signed)',
      () => hr(keys, { 'X-Lifecycle-Timestamp': String(now), 'X-Lifecycle-Signature': `v1=${createHmac('sha256', key).update(`${now}.${body}`).digest('hex')}` }),
      'v1 is no longer accepted',
    ],
    ['a signature without a version', () => hr(keys, { 'X-Lifecycle-Timestamp': String(now), 'X-Lifecycle-Signature': 'abc' }), 'must be v2=<hex'],
  ])('rejects %s', (_what, check, message) => {
    const result = check();
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain(message);
  });
});

describe('parseKeyRing', () => {
  it('reads both versions from the JSON the secret holds', () => {
    expect(parseKeyRing('{"current":"key-version-2","previous":"key-version-1"}', 'x')).toEqual({ current: 'key-version-2', previous: 'key-version-1' });
  });

  it('reads a bare value as the current version alone, and drops a previous equal to it', () => {
    expect(parseKeyRing(' local-dev-secret\n', 'x')).toEqual({ current: 'local-dev-secret' });
    expect(parseKeyRing('{"current":"key-version-2","previous":"key-version-2"}', 'x')).toEqual({ current: 'key-version-2' });
  });

  it.each([
    ['{"current":"short"}', 'current: must be at least 8 characters'],
    ['{"previous":"key-version-1"}', 'current:'],
    ['{"current":"key-version-2","next":"key-version-3"}', 'next'],
    ['{"current":', 'not valid JSON'],
    ['tiny', 'at least 8 characters'],
  ])('refuses %s, naming the source and the field but never the value', (raw, message) => {
    expect(() => parseKeyRing(raw, 'LIFECYCLE_HMAC_SECRET')).toThrow(message);
    expect(() => parseKeyRing(raw, 'LIFECYCLE_HMAC_SECRET')).toThrow('LIFECYCLE_HMAC_SECRET');
    try {
      parseKeyRing(raw, 'LIFECYCLE_HMAC_SECRET');
    } catch (err) {
      expect(String(err)).not.toContain('key-version');
    }
  });
});
