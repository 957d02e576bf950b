/**
 * `lifecycle login`, `whoami`, `logout` and the operator calls of a signed-in stage, end to end against the Cognito
 * emulator: the browser is an HTTP GET of the authorize URL that follows the redirect back to the CLI's listener.
 */
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { FetchLike } from '../../../bin/cli/io';
import { codeChallengeOf } from '../../../bin/cli/sign-in/pkce';
import { tokenFilePath } from '../../../bin/cli/sign-in/sign-in-files';
import { SAMPLE_COGNITO, sampleCognito, startCognitoEmulator, type RunningCognito } from '../../../local/emulators/cognito/cognito-sample';
import { runWith, type SentRequest } from './cli-harness';
import { CloudFormationClient, DescribeStacksCommand, type DescribeStacksCommandOutput } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';

const API = 'https://lifecycle-dev.example.com';
const employee = { employee: { id: 'E100', firstName: 'Ada', timezone: 'Europe/Berlin' }, runs: [], audit: [] };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let cognito: RunningCognito;
let port: number;
let nowMs: number;
let env: Record<string, string>;
/** What the CLI sent to the API (not to the hosted domain), and the grant types it posted to the token endpoint. */
let apiCalls: SentRequest[];
let grants: string[];
/** The "browser": what it got back from the CLI's listener at the end of the redirect chain. */
let browser: Promise<{ status: number; text: string }> | undefined;

/** The API is scripted; the hosted domain is the real emulator over HTTP. */
let apiStatus: number;
const fetchBoth: FetchLike = async (url, init) => {
  if (url.startsWith(API)) {
    apiCalls.push({ url, method: init.method, headers: init.headers, body: init.body });
    return { status: apiStatus, text: async () => JSON.stringify(apiStatus === 200 ? employee : { error: 'Unauthorized' }) };
  }
  if (url.endsWith('/oauth2/token')) grants.push(new URLSearchParams(init.body).get('grant_type') ?? '');
  return fetch(url, init);
};

const visit = (url: string) => {
  browser = fetch(url).then(async (r) => ({ status: r.status, text: await r.text() }));
};

const cli = (argv: string[], openBrowser: (url: string) => void = visit) =>
  runWith(argv, { env, fetch: fetchBoth, now: () => new Date(nowMs), openBrowser });

const loginArgs = () => ['--stage', 'dev', 'login', '--auth-domain', cognito.url, '--client-id', SAMPLE_COGNITO.cliClientId, '--api-url', API, '--port', String(port)];

const storedTokens = () => JSON.parse(readFileSync(tokenFilePath(env, 'dev'), 'utf8')) as { idToken: string; accessToken: string; refreshToken: string; expiresAt: string };

beforeEach(async () => {
  nowMs = Date.parse('2026-12-04T12:00:00.000Z');
  port = await freePort();
  cognito = await startCognitoEmulator(0, sampleCognito({ callbackPorts: [port], now: () => nowMs }));
  env = { XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'lifecycle-login-')) };
  apiCalls = [];
  apiStatus = 200;
  grants = [];
  browser = undefined;
});

afterEach(() => cognito.stop());

describe('lifecycle login', () => {
  it('signs in through the hosted sign-in with PKCE and keeps the tokens in a 0600 file, printing none of them', async () => {
    let opened = '';
    const result = await cli(loginArgs(), (url) => {
      opened = url;
      visit(url);
    });
    expect(result.stderr).not.toContain('failed');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('signed in to stage dev as ada (Ada Lovelace <ada.lovelace@example.com>); groups: operator, approver');

    const authorize = new URL(opened);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${cognito.url}/oauth2/authorize`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`http://localhost:${port}/callback`);
    expect(authorize.searchParams.get('scope')).toBe('openid email profile');
    expect((await browser)?.status).toBe(200);
    expect((await browser)?.text).toContain('Signed in to stage dev as ada');

    const file = tokenFilePath(env, 'dev');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(file)).mode & 0o777).toBe(0o700);
    expect(statSync(dirname(dirname(file))).mode & 0o777).toBe(0o700);
    const tokens = storedTokens();
    for (const token of [tokens.idToken, tokens.accessToken, tokens.refreshToken]) {
      expect(token.length).toBeGreaterThan(100);
      expect(result.stdout + result.stderr).not.toContain(token);
    }
    expect(tokens.expiresAt).toBe('2026-12-04T13:00:00.000Z');
  });

  it('sends the access token as the bearer of operator calls to the signed-in stage', async () => {
    expect((await cli(loginArgs())).code).toBe(0);
    const status = await cli(['--stage', 'dev', 'status', 'E100']);
    expect(status.code).toBe(0);
    expect(apiCalls).toHaveLength(1);
    expect(apiCalls[0].url).toBe(`${API}/v1/employees/E100`);
    expect(apiCalls[0].headers.Authorization).toBe(`Bearer ${storedTokens().accessToken}`);
    // The stage may also come from the environment.
    const fromEnv = await runWith(['status', 'E100'], { env: { ...env, LIFECYCLE_STAGE: 'dev' }, fetch: fetchBoth, now: () => new Date(nowMs) });
    expect(fromEnv.code).toBe(0);
    expect(apiCalls[1].headers.Authorization).toBe(`Bearer ${storedTokens().accessToken}`);
    expect(grants).toEqual(['authorization_code']);
  });

  it.each([
    ['about to run out (one minute left)', 3600_000 - 60_000],
    ['expired an hour ago', 2 * 3600_000],
  ])('refreshes a token %s before the call, and keeps the refresh token', async (_when, later) => {
    expect((await cli(loginArgs())).code).toBe(0);
    const before = storedTokens();
    nowMs += later;
    const status = await cli(['--stage', 'dev', 'status', 'E100']);
    expect(status.code).toBe(0);
    expect(grants).toEqual(['authorization_code', 'refresh_token']);
    const after = storedTokens();
    expect(after.idToken).not.toBe(before.idToken);
    expect(after.refreshToken).toBe(before.refreshToken);
    expect(after.expiresAt).toBe(new Date(nowMs + 3600_000).toISOString());
    expect(apiCalls[0].headers.Authorization).toBe(`Bearer ${after.accessToken}`);
    expect(statSync(tokenFilePath(env, 'dev')).mode & 0o777).toBe(0o600);
  });

  it('does not refresh a token with time left', async () => {
    expect((await cli(loginArgs())).code).toBe(0);
    nowMs += 30 * 60_000;
    expect((await cli(['--stage', 'dev', 'status', 'E100'])).code).toBe(0);
    expect(grants).toEqual(['authorization_code']);
  });

  it('tells the user to log in again when the refresh is refused, and calls nothing', async () => {
    expect((await cli(loginArgs())).code).toBe(0);
    nowMs += 31 * 24 * 3600_000; // past the refresh token's 30 days
    const status = await cli(['--stage', 'dev', 'status', 'E100']);
    expect(status.code).toBe(1);
    expect(status.stderr).toContain('the sign-in to stage dev has ended (the sign-in domain refused the refresh token: invalid_grant); run lifecycle login --stage dev again');
    expect(apiCalls).toHaveLength(0);
  });

  it('says to sign in again when the API refuses the token (a sign-in revoked elsewhere)', async () => {
    expect((await cli(loginArgs())).code).toBe(0);
    apiStatus = 401;
    const status = await cli(['status', 'E100', '--stage', 'dev']);
    expect(status.code).toBe(1);
    expect(status.stderr).toContain('GET /v1/employees/E100 failed: HTTP 401: Unauthorized');
    expect(status.stderr).toContain('the API did not accept the sign-in to stage dev: run lifecycle login --stage dev again');
  });

  it('asks for the API URL of a stage signed in to without one', async () => {
    const login = await cli(loginArgs().filter((a, i, all) => a !== '--api-url' && all[i - 1] !== '--api-url'));
    expect(login.code).toBe(0);
    expect(login.stdout).toContain('no API URL stored for stage dev');
    const status = await cli(['status', 'E100', '--stage', 'dev']);
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('no API URL for stage dev');
    // The environment can give it.
    const withEnv = await runWith(['status', 'E100', '--stage', 'dev'], { env: { ...env, LIFECYCLE_API_URL: API }, fetch: fetchBoth, now: () => new Date(nowMs) });
    expect(withEnv.code).toBe(0);
    expect(apiCalls[0].headers.Authorization).toBe(`Bearer ${storedTokens().accessToken}`);
  });

  it("refuses to send a stage's sign-in to another API named by the environment, and sends nothing", async () => {
    expect((await cli(loginArgs())).code).toBe(0);
    const status = await runWith(['status', 'E100', '--stage', 'dev'], { env: { ...env, LIFECYCLE_API_URL: 'https://elsewhere.example.org/v1' }, fetch: fetchBoth, now: () => new Date(nowMs) });
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('LIFECYCLE_API_URL (https://elsewhere.example.org/v1) is not the API of stage dev');
    expect(apiCalls).toHaveLength(0);
  });

  it('names a token file it cannot read, and sends nothing', async () => {
    expect((await cli(loginArgs())).code).toBe(0);
    writeFileSync(tokenFilePath(env, 'dev'), '{"stage":"dev"}');
    const status = await cli(['status', 'E100', '--stage', 'dev']);
    expect(status.code).toBe(2);
    expect(status.stderr).toContain(`${tokenFilePath(env, 'dev')} cannot be read (authDomain:`);
    expect(apiCalls).toHaveLength(0);
  });

  it('tells the user to sign in to a stage it has never signed in to (exit 2)', async () => {
    const status = await cli(['--stage', 'prod', 'status', 'E100']);
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('not signed in to stage prod: run lifecycle login --stage prod');
    expect(apiCalls).toHaveLength(0);
  });

  it('refuses a callback that does not carry the state it sent, and stores nothing', async () => {
    const result = await cli(loginArgs(), (url) => {
      // Another page sends the browser to the listener with a code of its own.
      const redirect = new URL(url).searchParams.get('redirect_uri');
      browser = fetch(`${redirect}?code=attacker-code&state=forged`).then(async (r) => ({ status: r.status, text: await r.text() }));
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('does not carry the state this login sent');
    expect((await browser)?.status).toBe(400);
    expect(grants).toEqual([]);
    expect(existsSync(tokenFilePath(env, 'dev'))).toBe(false);
  });

  it('refuses a code issued for another code verifier: the token endpoint answers invalid_grant, nothing is stored', async () => {
    const result = await cli(loginArgs(), (url) => {
      // An intercepted flow: the code is bound to someone else's challenge, so this login's verifier does not match.
      const tampered = new URL(url);
      tampered.searchParams.set('code_challenge', codeChallengeOf('another-verifier-of-at-least-forty-three-characters'));
      visit(tampered.toString());
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the token endpoint refused the code: invalid_grant');
    expect((await browser)?.status).toBe(400);
    expect(existsSync(tokenFilePath(env, 'dev'))).toBe(false);
  });

  it('reports the error the sign-in page sends back', async () => {
    const result = await cli(loginArgs(), (url) => {
      const u = new URL(url);
      u.searchParams.set('scope', 'openid phone'); // phone is not among the client's scopes
      visit(u.toString());
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the sign-in page answered invalid_scope');
  });

  it('remembers the stage settings: the next login needs no flags', async () => {
    expect((await cli(loginArgs())).code).toBe(0);
    const again = await cli(['--stage', 'dev', 'login']);
    expect(again.code).toBe(0);
    expect(grants).toEqual(['authorization_code', 'authorization_code']);
  });

  it('asks for the hosted domain and client id of a stage it does not know (exit 2)', async () => {
    const result = await cli(['--stage', 'dev', 'login']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--auth-domain <OperatorSignInUrl> --client-id <OperatorCliClientId>');
  });

  it.each([
    [['--auth-domain', 'http://lifecycle.example.com'], '--auth-domain must be an https URL'],
    [['--auth-domain', 'https://x.auth.eu-central-1.amazoncognito.com/oauth2'], 'no path or query'],
    [['--client-id', 'abc/def'], '--client-id must be the app client id'],
    [['--api-url', 'http://lifecycle.example.com'], '--api-url must be the stage'],
    [['--port', 'eighty'], '--port must be a port number'],
  ])('refuses %j before listening or sending anything', async (flags, message) => {
    const base = ['--auth-domain', 'https://x.auth.eu-central-1.amazoncognito.com', '--client-id', 'abc'];
    const result = await cli(['--stage', 'dev', 'login', ...base, ...flags]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(grants).toEqual([]);
  });

  it('refuses a stage name that is not a plain file name', async () => {
    const result = await cli(['--stage', '../etc', 'whoami']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--stage must be letters, digits');
  });
});

describe('lifecycle login --from-stack', () => {
  const cloudFormation = mockClient(CloudFormationClient);
  afterEach(() => cloudFormation.reset());
  afterAll(() => cloudFormation.restore());

  const outputsOf = (outputs: Record<string, string>): DescribeStacksCommandOutput => ({
    $metadata: {},
    Stacks: [
      { StackName: 'AccountLifecycle-dev-Core', StackStatus: 'UPDATE_COMPLETE' as const, CreationTime: new Date(), Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })) },
      { StackName: 'AccountLifecycle-prod-Core', StackStatus: 'CREATE_COMPLETE' as const, CreationTime: new Date(), Outputs: [{ OutputKey: 'ApiUrl', OutputValue: 'https://prod.example.org/prod/' }] },
    ],
  });

  it("signs in with the hosted domain, client id and API URL the stage's stacks output", async () => {
    cloudFormation.on(DescribeStacksCommand).resolves(outputsOf({ OperatorSignInUrl: cognito.url, OperatorCliClientId: SAMPLE_COGNITO.cliClientId, ApiUrl: API }));
    const result = await cli(['--stage', 'dev', 'login', '--from-stack', '--region', 'eu-central-1', '--port', String(port)]);
    expect(result.stderr).not.toContain('failed');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('signed in to stage dev as ada');
    expect(result.stdout).not.toContain('no API URL stored');
    expect(await cloudFormation.call(0).thisValue.config.region()).toBe('eu-central-1');
  });

  it('names the outputs a stage lacks, and asks for a region when none is given', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves(outputsOf({ ApiUrl: API }));
    const lacking = await cli(['--stage', 'dev', 'login', '--from-stack', '--region', 'eu-central-1', '--port', String(port)]);
    expect(lacking.code).toBe(1);
    expect(lacking.stderr).toContain('the stacks have no output OperatorSignInUrl, OperatorCliClientId');
    const noRegion = await cli(['--stage', 'dev', 'login', '--from-stack']);
    expect(noRegion.code).toBe(2);
    expect(noRegion.stderr).toContain('give --region or set AWS_REGION');
  });
});

describe('lifecycle whoami', () => {
  it('names the signed-in person and their groups from the ID token', async () => {
    expect((await cli(loginArgs())).code).toBe(0);
    const who = await cli(['--stage', 'dev', 'whoami']);
    expect(who.code).toBe(0);
    expect(who.stdout.split('\n')).toEqual([
      'stage dev: ada (Ada Lovelace <ada.lovelace@example.com>)',
      'groups: operator, approver',
      'tokens valid until 2026-12-04T13:00:00.000Z, renewed automatically',
      '',
    ]);
    const json = await cli(['--stage', 'dev', '--json', 'whoami']);
    expect(JSON.parse(json.stdout)).toEqual({
      stage: 'dev',
      username: 'ada',
      name: 'Ada Lovelace',
      email: 'ada.lovelace@example.com',
      groups: ['operator', 'approver'],
      expiresAt: '2026-12-04T13:00:00.000Z',
      expired: false,
    });
    expect(grants).toEqual(['authorization_code']);
  });

  it('says so when not signed in', async () => {
    const who = await cli(['--stage', 'dev', 'whoami']);
    expect(who.code).toBe(1);
    expect(who.stderr).toContain('not signed in to stage dev');
  });
});

describe('lifecycle logout', () => {
  it('revokes the refresh token at the hosted domain and removes the token file', async () => {
    expect((await cli(loginArgs())).code).toBe(0);
    const { refreshToken } = storedTokens();
    const out = await cli(['--stage', 'dev', 'logout']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('signed out of stage dev: the refresh token is revoked');
    expect(existsSync(tokenFilePath(env, 'dev'))).toBe(false);
    const reuse = await fetch(`${cognito.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: SAMPLE_COGNITO.cliClientId, refresh_token: refreshToken }).toString(),
    });
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toEqual({ error: 'invalid_grant' });
    // Operator calls now ask for a new sign-in.
    const status = await cli(['--stage', 'dev', 'status', 'E100']);
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('not signed in to stage dev');
  });

  it('removes the file but reports a revocation the hosted domain refused (exit 1)', async () => {
    expect((await cli(loginArgs())).code).toBe(0);
    await cognito.stop();
    const out = await cli(['--stage', 'dev', 'logout']);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('the refresh token could not be revoked: cannot reach the sign-in domain');
    expect(existsSync(tokenFilePath(env, 'dev'))).toBe(false);
    cognito = await startCognitoEmulator(0);
  });

  it('has nothing to do when not signed in', async () => {
    const out = await cli(['--stage', 'dev', 'logout']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('not signed in to stage dev: nothing to do');
  });
});

describe('the local runtime path', () => {
  it('still sends the npm start token with no stage, or with stage local and no sign-in', async () => {
    for (const argv of [['status', 'E100'], ['--stage', 'local', 'status', 'E100']]) {
      const result = await runWith(argv, { env, answer: () => ({ status: 200, body: employee }) });
      expect(result.code).toBe(0);
      expect(result.sent[0].url).toBe('http://localhost:3000/v1/employees/E100');
      expect(result.sent[0].headers.Authorization).toBe('Bearer local-operator-token');
    }
  });
});
