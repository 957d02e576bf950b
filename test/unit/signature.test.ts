import { createHmac } from 'node:crypto';
import { signBody, signedHeaders, verifySignature } from '../../lambdas/http/signature';

const secret = 'local-dev-secret';
const body = '{"eventId":"hr-1"}';
const now = 1_800_000_000;

describe('HMAC signatures', () => {
  it('signs timestamp + "." + raw body with HMAC-SHA256 as v1=<hex>', () => {
    const expected = createHmac('sha256', secret).update(`${now}.${body}`).digest('hex');
    expect(signBody(secret, now, body)).toBe(`v1=${expected}`);
  });

  it('accepts its own signature', () => {
    expect(verifySignature(secret, signedHeaders(secret, body, now), body, now)).toEqual({ ok: true });
  });

  it('finds headers whatever their case', () => {
    const headers = Object.fromEntries(Object.entries(signedHeaders(secret, body, now)).map(([k, v]) => [k.toLowerCase(), v]));
    expect(verifySignature(secret, headers, body, now).ok).toBe(true);
  });

  it.each([
    ['another secret', () => verifySignature('other', signedHeaders(secret, body, now), body, now), 'signature does not match the body'],
    ['a changed body', () => verifySignature(secret, signedHeaders(secret, body, now), `${body} `, now), 'signature does not match the body'],
    ['a replay after 301 s', () => verifySignature(secret, signedHeaders(secret, body, now), body, now + 301), 'more than 300 s'],
    ['a timestamp 301 s ahead', () => verifySignature(secret, signedHeaders(secret, body, now + 301), body, now), 'more than 300 s'],
    ['no headers', () => verifySignature(secret, {}, body, now), 'missing'],
    ['a truncated signature', () => verifySignature(secret, { 'X-Lifecycle-Timestamp': String(now), 'X-Lifecycle-Signature': 'v1=ab' }, body, now), 'does not match'],
    ['a non-numeric timestamp', () => verifySignature(secret, { 'X-Lifecycle-Timestamp': 'soon', 'X-Lifecycle-Signature': 'v1=ab' }, body, now), 'unix seconds'],
  ])('rejects %s', (_what, check, message) => {
    const result = check();
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain(message);
  });

  it('accepts a timestamp exactly 300 s old', () => {
    expect(verifySignature(secret, signedHeaders(secret, body, now), body, now + 300).ok).toBe(true);
  });
});
