/**
 * The Cognito emulator answers as a user pool's hosted domain does: its tokens verify with aws-jwt-verify's
 * Cognito verifier, and each endpoint's errors carry Cognito's codes and statuses.
 */
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { codeChallengeOf, newLoginSecrets } from '../../../bin/cli/sign-in/pkce';
import { SAMPLE_COGNITO, sampleCognito, startCognitoEmulator, type RunningCognito } from '../../../local/emulators/cognito/cognito-sample';

const CALLBACK = 'http://localhost:8976/callback';
const POOL_ISSUER = `https://cognito-idp.eu-central-1.amazonaws.com/${SAMPLE_COGNITO.userPoolId}`;

let cognito: RunningCognito;
let nowMs: number;

beforeEach(async () => {
  nowMs = Date.parse('2026-12-04T12:00:00.000Z');
  cognito = await startCognitoEmulator(0, sampleCognito({ now: () => nowMs, issuer: POOL_ISSUER }));
});
afterEach(() => cognito.stop());

const authorize = async (params: Record<string, string>) => {
  const res = await fetch(`${cognito.url}/oauth2/authorize?${new URLSearchParams(params)}`, { redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location') ?? '', text: await res.text() };
};

const form = async (path: string, body: Record<string, string>, headers: Record<string, string> = {}) => {
  const res = await fetch(`${cognito.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(body).toString(),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Record<string, any> | undefined };
};

const codeRequest = (secrets = newLoginSecrets()) => ({
  response_type: 'code',
  client_id: SAMPLE_COGNITO.cliClientId,
  redirect_uri: CALLBACK,
  state: secrets.state,
  scope: 'openid email profile',
  code_challenge_method: 'S256',
  code_challenge: secrets.codeChallenge,
});

async function codeFor(secrets = newLoginSecrets()): Promise<string> {
  const answer = await authorize(codeRequest(secrets));
  expect(answer.status).toBe(302);
  const back = new URL(answer.location);
  expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
  expect(back.searchParams.get('state')).toBe(secrets.state);
  return back.searchParams.get('code')!;
}

const redeem = (code: string, verifier: string, overrides: Record<string, string> = {}) =>
  form('/oauth2/token', { grant_type: 'authorization_code', client_id: SAMPLE_COGNITO.cliClientId, code, redirect_uri: CALLBACK, code_verifier: verifier, ...overrides });

async function signIn() {
  const secrets = newLoginSecrets();
  const answer = await redeem(await codeFor(secrets), secrets.codeVerifier);
  expect(answer.status).toBe(200);
  return answer.body as { id_token: string; access_token: string; refresh_token: string; expires_in: number; token_type: string };
}

describe('Cognito emulator tokens', () => {
  it('verify with aws-jwt-verify as Cognito user pool tokens, with the pool groups and the client', async () => {
    const tokens = await signIn();
    expect(tokens).toEqual({ id_token: expect.any(String), access_token: expect.any(String), refresh_token: expect.any(String), expires_in: 3600, token_type: 'Bearer' });
    const jwks = (await (await fetch(`${cognito.url}/${SAMPLE_COGNITO.userPoolId}/.well-known/jwks.json`)).json()) as { keys: Array<Record<string, string>> };
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });

    const ids = CognitoJwtVerifier.create({ userPoolId: SAMPLE_COGNITO.userPoolId, tokenUse: 'id', clientId: SAMPLE_COGNITO.cliClientId, groups: 'approver' });
    ids.cacheJwks(jwks as never);
    const id = await ids.verify(tokens.id_token, { clientId: SAMPLE_COGNITO.cliClientId, tokenUse: 'id', groups: 'approver', graceSeconds: Number.MAX_SAFE_INTEGER });
    expect(id).toMatchObject({
      iss: POOL_ISSUER,
      aud: SAMPLE_COGNITO.cliClientId,
      token_use: 'id',
      'cognito:username': 'ada',
      'cognito:groups': ['operator', 'approver'],
      email: 'ada.lovelace@example.com',
      email_verified: true,
      name: 'Ada Lovelace',
      exp: nowMs / 1000 + 3600,
      iat: nowMs / 1000,
    });

    const access = CognitoJwtVerifier.create({ userPoolId: SAMPLE_COGNITO.userPoolId, tokenUse: 'access', clientId: SAMPLE_COGNITO.cliClientId });
    access.cacheJwks(jwks as never);
    const claims = await access.verify(tokens.access_token, { clientId: SAMPLE_COGNITO.cliClientId, tokenUse: 'access', graceSeconds: Number.MAX_SAFE_INTEGER });
    expect(claims).toMatchObject({ client_id: SAMPLE_COGNITO.cliClientId, token_use: 'access', username: 'ada', scope: 'openid email profile', 'cognito:groups': ['operator', 'approver'] });
    expect(claims.sub).toBe(id.sub);
    // A verifier for another client refuses them.
    const other = CognitoJwtVerifier.create({ userPoolId: SAMPLE_COGNITO.userPoolId, tokenUse: 'id', clientId: 'someoneelse' });
    other.cacheJwks(jwks as never);
    await expect(other.verify(tokens.id_token, { clientId: 'someoneelse', tokenUse: 'id', graceSeconds: Number.MAX_SAFE_INTEGER })).rejects.toThrow(/[Cc]lient/);
  });

  it('answer a single-page app on another origin: the token endpoint, its preflight and the keys allow any origin', async () => {
    const token = await fetch(`${cognito.url}/oauth2/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost:3000' }, body: 'grant_type=authorization_code' });
    expect(token.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await fetch(`${cognito.url}/oauth2/token`, { method: 'OPTIONS', headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'POST' } });
    expect([preflight.status, preflight.headers.get('access-control-allow-methods')]).toEqual([204, 'GET, POST, OPTIONS']);
    const jwks = await fetch(`${cognito.url}/${SAMPLE_COGNITO.userPoolId}/.well-known/jwks.json`);
    expect(jwks.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('publish the OpenID configuration of the pool with its endpoints on the hosted domain', async () => {
    const config = (await (await fetch(`${cognito.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(config).toMatchObject({
      issuer: POOL_ISSUER,
      jwks_uri: `${POOL_ISSUER}/.well-known/jwks.json`,
      authorization_endpoint: `${cognito.url}/oauth2/authorize`,
      token_endpoint: `${cognito.url}/oauth2/token`,
      revocation_endpoint: `${cognito.url}/oauth2/revoke`,
      id_token_signing_alg_values_supported: ['RS256'],
    });
  });
});

describe('Cognito emulator /oauth2/authorize', () => {
  it('shows an error page, and sends the browser nowhere, for an unknown client', async () => {
    const answer = await authorize({ ...codeRequest(), client_id: 'nobody' });
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('An error was encountered with the requested page');
  });

  it('sends the browser to its error page for a redirect_uri the client did not register', async () => {
    const answer = await authorize({ ...codeRequest(), redirect_uri: 'http://localhost:8976/callback/' });
    expect(answer.status).toBe(302);
    expect(answer.location).toBe(`/error?client_id=${SAMPLE_COGNITO.cliClientId}&error=redirect_mismatch`);
    const page = await fetch(`${cognito.url}${answer.location}`);
    expect(page.status).toBe(400);
  });

  it.each([
    ['no response_type', 'invalid_request', { response_type: '' }],
    ['the implicit grant to a code-only client', 'unauthorized_client', { response_type: 'token' }],
    ['the plain PKCE method', 'invalid_request', { code_challenge_method: 'plain' }],
    ['a challenge without its method', 'invalid_request', { code_challenge_method: '' }],
    ['a scope the client does not have', 'invalid_scope', { scope: 'openid phone' }],
    ['email without openid', 'invalid_scope', { scope: 'email' }],
  ])('redirects %s back with error=%s and the state', async (_what, error, overrides) => {
    const secrets = newLoginSecrets();
    const params: Record<string, string> = { ...codeRequest(secrets), ...overrides };
    for (const [k, v] of Object.entries(params)) if (v === '') delete params[k];
    const answer = await authorize(params);
    expect(answer.status).toBe(302);
    const back = new URL(answer.location);
    expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
    expect(Object.fromEntries(back.searchParams)).toEqual({ error, state: secrets.state });
  });

  it('sends the browser to the sign-in page when nobody is signed in', async () => {
    cognito.emulator.signInAs(undefined);
    const answer = await authorize(codeRequest());
    expect(answer.status).toBe(302);
    expect(answer.location).toMatch(/^\/login\?/);
  });
});

describe('Cognito emulator /oauth2/token', () => {
  it('takes a code once', async () => {
    const secrets = newLoginSecrets();
    const code = await codeFor(secrets);
    expect((await redeem(code, secrets.codeVerifier)).status).toBe(200);
    expect(await redeem(code, secrets.codeVerifier)).toEqual({ status: 400, body: { error: 'invalid_grant' } });
  });

  it.each([
    ['a verifier that does not match the challenge', 'invalid_grant', (v: string) => ({ code_verifier: `${v}x` })],
    ['no verifier for a code requested with PKCE', 'invalid_request', () => ({ code_verifier: '' })],
    ['another redirect_uri than the code was issued for', 'invalid_grant', () => ({ redirect_uri: 'http://localhost:1/callback' })],
    ['an unknown client', 'invalid_client', () => ({ client_id: 'nobody' })],
    ['a client secret from a public client', 'invalid_client', () => ({ client_secret: 'guess' })],
    ['an unknown grant type', 'unsupported_grant_type', () => ({ grant_type: 'password' })],
    ['no grant type', 'invalid_request', () => ({ grant_type: '' })],
  ])('refuses %s: 400 %s', async (_what, error, overrides) => {
    const secrets = newLoginSecrets();
    const code = await codeFor(secrets);
    const body: Record<string, string> = { grant_type: 'authorization_code', client_id: SAMPLE_COGNITO.cliClientId, code, redirect_uri: CALLBACK, code_verifier: secrets.codeVerifier, ...overrides(secrets.codeVerifier) };
    for (const [k, v] of Object.entries(body)) if (v === '') delete body[k];
    expect(await form('/oauth2/token', body)).toEqual({ status: 400, body: { error } });
  });

  it('refuses a code older than five minutes', async () => {
    const secrets = newLoginSecrets();
    const code = await codeFor(secrets);
    nowMs += 5 * 60_000;
    expect(await redeem(code, secrets.codeVerifier)).toEqual({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('refuses a body that is not form-encoded', async () => {
    const res = await fetch(`${cognito.url}/oauth2/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"grant_type":"refresh_token"}' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('refreshes: new ID and access tokens, no refresh token, until the refresh token runs out', async () => {
    const first = await signIn();
    nowMs += 2 * 3600_000;
    const refreshed = await form('/oauth2/token', { grant_type: 'refresh_token', client_id: SAMPLE_COGNITO.cliClientId, refresh_token: first.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(Object.keys(refreshed.body!).sort()).toEqual(['access_token', 'expires_in', 'id_token', 'token_type']);
    nowMs += 30 * 24 * 3600_000;
    expect(await form('/oauth2/token', { grant_type: 'refresh_token', client_id: SAMPLE_COGNITO.cliClientId, refresh_token: first.refresh_token })).toEqual({
      status: 400,
      body: { error: 'invalid_grant' },
    });
  });

  it('issues machine tokens for client credentials with the client secret and its custom scopes', async () => {
    const basic = `Basic ${Buffer.from(`${SAMPLE_COGNITO.machineClientId}:${SAMPLE_COGNITO.machineClientSecret}`).toString('base64')}`;
    const answer = await form('/oauth2/token', { grant_type: 'client_credentials', scope: 'account-lifecycle/read' }, { Authorization: basic });
    expect(answer.status).toBe(200);
    const claims = JSON.parse(Buffer.from(answer.body!.access_token.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ token_use: 'access', client_id: SAMPLE_COGNITO.machineClientId, sub: SAMPLE_COGNITO.machineClientId, scope: 'account-lifecycle/read' });
    expect(answer.body!.refresh_token).toBeUndefined();
    expect((await form('/oauth2/token', { grant_type: 'client_credentials', scope: 'lifecycle/admin' }, { Authorization: basic })).body).toEqual({ error: 'invalid_scope' });
    const wrongSecret = `Basic ${Buffer.from(`${SAMPLE_COGNITO.machineClientId}:nope`).toString('base64')}`;
    expect(await form('/oauth2/token', { grant_type: 'client_credentials' }, { Authorization: wrongSecret })).toEqual({ status: 400, body: { error: 'invalid_client' } });
    expect((await form('/oauth2/token', { grant_type: 'client_credentials', client_id: SAMPLE_COGNITO.cliClientId })).body).toEqual({ error: 'unauthorized_client' });
  });
});

describe('Cognito emulator /oauth2/revoke', () => {
  it('revokes a refresh token and the tokens issued from it', async () => {
    const tokens = await signIn();
    const userInfo = () => fetch(`${cognito.url}/oauth2/userInfo`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    expect((await userInfo()).status).toBe(200);
    expect(await form('/oauth2/revoke', { token: tokens.refresh_token, client_id: SAMPLE_COGNITO.cliClientId })).toEqual({ status: 200, body: undefined });
    expect((await form('/oauth2/token', { grant_type: 'refresh_token', client_id: SAMPLE_COGNITO.cliClientId, refresh_token: tokens.refresh_token })).body).toEqual({ error: 'invalid_grant' });
    expect((await userInfo()).status).toBe(401);
  });

  it.each([
    ['no token', 400, 'invalid_request', () => ({ token: '' })],
    ['an access token', 400, 'unsupported_token_type', (t: { access_token: string }) => ({ token: t.access_token })],
    ['an unknown client', 401, 'invalid_client', () => ({ client_id: 'nobody' })],
  ])('answers %s with %s %s', async (_what, status, error, overrides) => {
    const tokens = await signIn();
    const body: Record<string, string> = { token: tokens.refresh_token, client_id: SAMPLE_COGNITO.cliClientId, ...overrides(tokens) };
    for (const [k, v] of Object.entries(body)) if (v === '') delete body[k];
    expect(await form('/oauth2/revoke', body)).toEqual({ status, body: { error } });
  });

  it('answers 200 for a token it does not know, as Cognito does', async () => {
    expect(await form('/oauth2/revoke', { token: 'a.b.c.d.e', client_id: SAMPLE_COGNITO.cliClientId })).toEqual({ status: 200, body: undefined });
  });
});

it('the S256 challenge is BASE64URL(SHA-256(verifier)) (RFC 7636 appendix B)', () => {
  expect(codeChallengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
});

describe('Cognito emulator /logout and /login', () => {
  const CONSOLE = 'http://localhost:3999/console/';
  beforeEach(() => cognito.emulator.setClientUrls(SAMPLE_COGNITO.consoleClientId, { callbackUrls: [`${CONSOLE}callback`], logoutUrls: [CONSOLE] }));

  it("ends the browser's session and goes back to a registered sign-out URL only", async () => {
    const logout = (params: Record<string, string>) => fetch(`${cognito.url}/logout?${new URLSearchParams(params)}`, { redirect: 'manual' });
    const elsewhere = await logout({ client_id: SAMPLE_COGNITO.consoleClientId, logout_uri: 'http://localhost:3999/elsewhere' });
    expect(elsewhere.headers.get('location')).toMatch(/^\/error\?.*error=redirect_mismatch/);
    expect(cognito.emulator.signedIn).toBe('ada');
    const back = await logout({ client_id: SAMPLE_COGNITO.consoleClientId, logout_uri: CONSOLE });
    expect([back.status, back.headers.get('location')]).toEqual([302, CONSOLE]);
    expect(cognito.emulator.signedIn).toBeUndefined();
    expect((await logout({ client_id: 'nobody', logout_uri: CONSOLE })).status).toBe(400);
  });

  it('offers each user of the pool on its sign-in page, and signs the chosen one in on the way back to authorize', async () => {
    cognito.emulator.signInAs(undefined);
    const query = new URLSearchParams({ ...codeRequest(), client_id: SAMPLE_COGNITO.consoleClientId, redirect_uri: `${CONSOLE}callback` }).toString();
    const page = await (await fetch(`${cognito.url}/login?${query}`)).text();
    expect(page).toContain('Sign in as grace (viewer)');
    const chosen = await fetch(`${cognito.url}/login?${query}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'username=grace', redirect: 'manual' });
    expect(chosen.headers.get('location')).toBe(`/oauth2/authorize?${query}`);
    expect(cognito.emulator.signedIn).toBe('grace');
  });
});
