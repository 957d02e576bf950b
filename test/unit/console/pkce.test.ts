/** The console's PKCE sign-in pieces (console/src/pkce.ts), with Node's Web Crypto standing in for the browser's. */
import { webcrypto } from 'node:crypto';
import {
  accessTokenOf,
  authorizeUrl,
  base64url,
  checkCallback,
  codeChallengeOf,
  logoutUrl,
  newCodeVerifier,
  newState,
  parsePending,
  safeReturnPath,
  tokenRequest,
  type CognitoSettings,
  type PendingSignIn,
  type WebCrypto,
} from '../../../console/src/pkce';

const crypto = webcrypto as unknown as WebCrypto;

const settings: CognitoSettings = {
  domain: 'https://lifecycle-dev-123456789012.auth.eu-central-1.amazoncognito.com',
  clientId: 'console-client-id',
  redirectUri: 'https://d111111abcdef8.cloudfront.net/console/callback',
  signOutUri: 'https://d111111abcdef8.cloudfront.net/console/',
};

describe('the code verifier and its challenge (RFC 7636)', () => {
  it('derives the challenge RFC 7636 appendix B documents for its verifier', async () => {
    await expect(codeChallengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', crypto)).resolves.toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes verifiers of 43 to 128 unreserved characters, a different one each time', () => {
    const a = newCodeVerifier(crypto);
    const b = newCodeVerifier(crypto);
    expect(a).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);
    expect(a).not.toBe(b);
    expect(newState(crypto)).not.toBe(newState(crypto));
  });

  it('refuses to derive a challenge from a verifier RFC 7636 does not allow', async () => {
    await expect(codeChallengeOf('too-short', crypto)).rejects.toThrow(/43 to 128/);
    await expect(codeChallengeOf('a'.repeat(129), crypto)).rejects.toThrow(/43 to 128/);
  });

  it('encodes base64url without padding', () => {
    expect(base64url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
    expect(base64url(new Uint8Array([1, 2, 3, 4]))).toBe('AQIDBA');
    expect(base64url(new TextEncoder().encode('any carnal pleas'))).toBe('YW55IGNhcm5hbCBwbGVhcw');
  });
});

describe('the hosted sign-in URLs and the token request', () => {
  it('asks /oauth2/authorize for a code with the S256 challenge, the state and the console callback', () => {
    const url = new URL(authorizeUrl({ ...settings, domain: `${settings.domain}/` }, { state: 's1', codeChallenge: 'c1' }));
    expect(url.origin + url.pathname).toBe(`${settings.domain}/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'console-client-id',
      redirect_uri: 'https://d111111abcdef8.cloudfront.net/console/callback',
      scope: 'openid email profile',
      state: 's1',
      code_challenge: 'c1',
      code_challenge_method: 'S256',
    });
  });

  it('exchanges the code at /oauth2/token with the verifier and no secret, form-encoded', () => {
    const request = tokenRequest(settings, { code: 'the-code', codeVerifier: 'the-verifier' });
    expect(request.url).toBe(`${settings.domain}/oauth2/token`);
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      grant_type: 'authorization_code',
      client_id: 'console-client-id',
      code: 'the-code',
      redirect_uri: settings.redirectUri,
      code_verifier: 'the-verifier',
    });
  });

  it('signs out through /logout back to the console', () => {
    const url = new URL(logoutUrl(settings));
    expect(url.origin + url.pathname).toBe(`${settings.domain}/logout`);
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: 'console-client-id', logout_uri: 'https://d111111abcdef8.cloudfront.net/console/' });
  });
});

describe('the callback', () => {
  const pending: PendingSignIn = { state: 'state-sent', codeVerifier: 'verifier-kept', returnTo: '/runs?status=failed' };

  it('accepts a code that comes back with the state this tab sent', () => {
    expect(checkCallback('?code=abc&state=state-sent', pending)).toEqual({ ok: true, code: 'abc', codeVerifier: 'verifier-kept', returnTo: '/runs?status=failed' });
  });

  it('refuses a code that comes back with another state', () => {
    expect(checkCallback('?code=abc&state=someone-elses', pending)).toEqual({ ok: false, error: expect.stringMatching(/state mismatch/) });
    expect(checkCallback('?code=abc', pending)).toEqual({ ok: false, error: expect.stringMatching(/state mismatch/) });
  });

  it('refuses a callback this tab did not start', () => {
    expect(checkCallback('?code=abc&state=state-sent', undefined)).toEqual({ ok: false, error: expect.stringMatching(/started no sign-in/) });
  });

  it("passes on the hosted page's own error", () => {
    expect(checkCallback('?error=access_denied&error_description=User+is+disabled&state=state-sent', pending)).toEqual({
      ok: false,
      error: 'the sign-in page answered access_denied: User is disabled',
    });
  });

  it('reads back only a well-formed pending sign-in, and returns only inside the console', () => {
    expect(parsePending(JSON.stringify(pending))).toEqual(pending);
    expect(parsePending('not json')).toBeUndefined();
    expect(parsePending(JSON.stringify({ state: 's' }))).toBeUndefined();
    expect(parsePending(JSON.stringify({ ...pending, returnTo: '//evil.example/x' }))?.returnTo).toBe('/');
    expect(safeReturnPath('https://evil.example/')).toBe('/');
    expect(safeReturnPath('/\\evil.example')).toBe('/');
    expect(safeReturnPath('/callback?code=x')).toBe('/');
    expect(safeReturnPath('/employees/e-1')).toBe('/employees/e-1');
  });

  it("takes the access token from the token endpoint's answer, or names its error", () => {
    expect(accessTokenOf(200, { access_token: 'at', id_token: 'it', token_type: 'Bearer', expires_in: 3600 })).toEqual({ ok: true, accessToken: 'at' });
    expect(accessTokenOf(400, { error: 'invalid_grant' })).toEqual({ ok: false, error: expect.stringMatching(/invalid_grant/) });
    expect(accessTokenOf(502, undefined)).toEqual({ ok: false, error: expect.stringMatching(/HTTP 502/) });
  });
});
