/**
 * The local API's Cognito authorizer: an access token the pool signed for one of its clients is accepted, and its
 * claims name the caller as API Gateway's would; a token signed by another key, for another issuer or client,
 * expired, an ID token, or one without an operator scope is refused, and the handler answers as to an unknown token.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { codeChallengeOf, newLoginSecrets } from '../../../bin/cli/sign-in/pkce';
import { callerFromClaims } from '../../../lambdas/http/operator-auth';
import { cognitoTokenVerifier, withCognitoAuthorizer, type CognitoTokenVerifier } from '../../../local/cognito-authorizer';
import { SigningKey } from '../../../local/emulators/cognito/cognito-jwt';
import { SAMPLE_COGNITO, localCognitoOf, sampleCognito, startCognitoEmulator, type RunningCognito } from '../../../local/emulators/cognito/cognito-sample';
import { localContext } from '../../../local/lambda-context';

const CALLBACK = 'http://localhost:8976/callback';

let cognito: RunningCognito;
let verify: CognitoTokenVerifier;
let nowMs = Date.now();

beforeAll(async () => {
  cognito = await startCognitoEmulator(0, sampleCognito({ now: () => nowMs }));
  verify = cognitoTokenVerifier(localCognitoOf(cognito));
});
afterAll(() => cognito.stop());
beforeEach(() => {
  nowMs = Date.now();
});

/** The CLI's sign-in against the emulator: a code with PKCE, exchanged for the pool's tokens. */
async function signIn(as: string, scope = 'openid email profile'): Promise<{ access_token: string; id_token: string }> {
  cognito.emulator.signInAs(as);
  const secrets = newLoginSecrets();
  const authorize = new URLSearchParams({
    response_type: 'code',
    client_id: SAMPLE_COGNITO.cliClientId,
    redirect_uri: CALLBACK,
    state: secrets.state,
    scope,
    code_challenge_method: 'S256',
    code_challenge: codeChallengeOf(secrets.codeVerifier),
  });
  const back = await fetch(`${cognito.url}/oauth2/authorize?${authorize}`, { redirect: 'manual' });
  const code = new URL(back.headers.get('location')!).searchParams.get('code')!;
  const res = await fetch(`${cognito.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: SAMPLE_COGNITO.cliClientId, code, redirect_uri: CALLBACK, code_verifier: secrets.codeVerifier }).toString(),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { access_token: string; id_token: string };
}

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;

describe('the local Cognito authorizer', () => {
  it("accepts the pool's access token and names the person and their groups from its claims", async () => {
    const { access_token } = await signIn('ada');
    const claims = await verify(access_token);
    expect(claims).toMatchObject({ username: 'ada', client_id: SAMPLE_COGNITO.cliClientId, token_use: 'access' });
    expect(callerFromClaims(claims)).toEqual({ name: 'ada', kind: 'person', groups: ['operator', 'approver'], subject: claims!.sub });
    const grace = callerFromClaims(await verify((await signIn('grace')).access_token));
    expect(grace).toMatchObject({ name: 'grace', groups: ['viewer'] });
  });

  it("accepts a machine's client-credentials token with the groups of its scopes", async () => {
    const res = await fetch(`${cognito.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: SAMPLE_COGNITO.machineClientId, client_secret: SAMPLE_COGNITO.machineClientSecret }).toString(),
    });
    const { access_token } = (await res.json()) as { access_token: string };
    expect(callerFromClaims(await verify(access_token))).toMatchObject({ kind: 'machine', name: `client:${SAMPLE_COGNITO.machineClientId}`, groups: ['viewer', 'operator'] });
  });

  it('refuses a token signed by another key, even under the pool key id', async () => {
    const claims = claimsOf((await signIn('ada')).access_token);
    expect(await verify(new SigningKey({ kid: cognito.emulator.key.kid }).sign(claims))).toBeUndefined();
    expect(await verify(new SigningKey().sign(claims))).toBeUndefined();
  });

  it.each([
    ['another issuer', (c: Record<string, unknown>) => ({ ...c, iss: `https://cognito-idp.eu-central-1.amazonaws.com/${SAMPLE_COGNITO.userPoolId}` })],
    ['another app client', (c: Record<string, unknown>) => ({ ...c, client_id: 'someone0elses0client' })],
    ['an expired token', (c: Record<string, unknown>) => ({ ...c, exp: Math.floor(Date.now() / 1000) - 60 })],
    ['an ID token use', (c: Record<string, unknown>) => ({ ...c, token_use: 'id' })],
    ['no scope an operator route takes', (c: Record<string, unknown>) => ({ ...c, scope: 'email profile' })],
  ])('refuses a token of the pool with %s', async (_what, change) => {
    const claims = claimsOf((await signIn('ada')).access_token);
    // The same claims signed by the pool's own key verify, so only the change refuses it.
    expect(await verify(cognito.emulator.key.sign(claims))).toBeDefined();
    expect(await verify(cognito.emulator.key.sign(change(claims)))).toBeUndefined();
  });

  it('refuses a token that expired on the emulator clock, and an ID token as it comes', async () => {
    nowMs = Date.now() - 2 * 3600 * 1000;
    const old = await signIn('ada');
    expect(await verify(old.access_token)).toBeUndefined();
    nowMs = Date.now();
    expect(await verify((await signIn('ada')).id_token)).toBeUndefined();
  });

  it('hands the handler the claims where API Gateway puts them, and any other request as it came', async () => {
    const seen: unknown[] = [];
    const handler = withCognitoAuthorizer(async (event) => {
      seen.push(event.requestContext.authorizer?.claims);
      return { statusCode: 200, body: '' };
    }, verify);
    const event = (auth?: string) => ({ headers: auth ? { Authorization: auth } : {}, requestContext: {} }) as unknown as APIGatewayProxyEvent;
    const { access_token } = await signIn('ada');
    await handler(event(`Bearer ${access_token}`), localContext('api'));
    await handler(event('Bearer local-operator-token'), localContext('api'));
    await handler(event(`Bearer ${new SigningKey().sign(claimsOf(access_token))}`), localContext('api'));
    await handler(event(), localContext('api'));
    expect(seen).toEqual([expect.objectContaining({ username: 'ada' }), undefined, undefined, undefined]);
  });
});
