/**
 * Signing in to the operator console with Cognito's hosted sign-in, in a real browser against the real local runtime
 * and the Cognito emulator, as on AWS: "Sign in" goes to /oauth2/authorize with an S256 challenge and a state, comes
 * back to /console/callback, exchanges the code, and lands on the page it started from, signed in as the pool's user
 * with the groups of their token. A viewer sees no retry button, signing out leaves the hosted sign-in too, and a
 * callback whose state was changed on the way is refused with a message.
 */
import type { Browser, Page, Request } from 'playwright-core';
import { receiverWithKey } from '../../lambdas/actions/forward/forward-receivers';
import { localCognitoOf, SAMPLE_COGNITO, startCognitoEmulator, type RunningCognito } from '../../local/emulators/cognito/cognito-sample';
import type { Runtime } from '../../local/runtime';
import { hrBody } from '../support/builders';
import { launchChromium, seriousViolations } from '../support/browser';
import { postEvent, runReaches, start } from '../support/harness';
import { startTarget } from '../support/http-target';

/** The page's globals the tests read inside the browser (this project compiles without the DOM's types). */
type PageGlobals = { sessionStorage: { getItem(key: string): string | null } };
const TOKEN_KEY = 'account-lifecycle.token';

describe('the operator console signing in with Cognito', () => {
  let cognito: RunningCognito;
  let rt: Runtime;
  let browser: Browser;
  let target: Awaited<ReturnType<typeof startTarget>>;
  let failedRun: string;

  beforeAll(async () => {
    target = await startTarget((_req, _n, res) => {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end('{"error":"downstream database unavailable"}');
    });
    cognito = await startCognitoEmulator(0);
    rt = await start({ cognito: localCognitoOf(cognito), forwardTo: [receiverWithKey('target', target.url, 'target-signing-key')], settings: { retryBaseSeconds: 0.25 } });
    browser = await launchChromium();
    const res = await postEvent(rt, hrBody({ eventId: 'cognito-1', urgent: true, employee: { ...hrBody().employee, id: 'E-COGNITO' } }));
    expect(res.status).toBe(202);
    failedRun = res.body.runId as string;
    await runReaches(rt, 'E-COGNITO', failedRun, 'needs_attention', 40_000);
  });
  afterAll(async () => {
    await browser?.close();
    await rt?.stop();
    await cognito?.stop();
    await target?.close();
  });
  beforeEach(() => cognito.emulator.signInAs('ada'));

  /** A fresh tab (its own sessionStorage) that records where the browser went. */
  async function tab(): Promise<{ page: Page; requests: Request[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const requests: Request[] = [];
    page.on('request', (r) => requests.push(r));
    return { page, requests };
  }

  /** The header names the person and their groups, beside "Sign out", once GET /v1/me has answered. */
  const header = (who: string, groups: string) => new RegExp(`^${who} \\(${groups}\\) Sign out$`);

  /** Presses "Sign in" on the sign-in page and waits until the header names the person and their groups. */
  async function signInAs(page: Page, who: string, groups: string): Promise<void> {
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText(header(who, groups)).waitFor();
  }

  const tokenOf = (page: Page) => page.evaluate((key) => (globalThis as unknown as PageGlobals).sessionStorage.getItem(key), TOKEN_KEY);

  it('goes to the hosted sign-in with an S256 challenge and a state, and comes back signed in as its user with their groups', async () => {
    const { page, requests } = await tab();
    await page.goto(`${rt.apiUrl}/console/`);
    await page.getByRole('heading', { name: 'Sign in to account-lifecycle' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await signInAs(page, 'ada', 'operator, approver');
    await page.getByRole('heading', { name: 'Needs attention' }).waitFor();

    const authorize = new URL(requests.map((r) => r.url()).find((u) => u.startsWith(`${cognito.url}/oauth2/authorize?`))!);
    expect(Object.fromEntries(authorize.searchParams)).toEqual({
      response_type: 'code',
      client_id: SAMPLE_COGNITO.consoleClientId,
      redirect_uri: `${rt.apiUrl}/console/callback`,
      scope: 'openid email profile',
      state: expect.stringMatching(/^[\w-]{43}$/),
      code_challenge: expect.stringMatching(/^[\w-]{43}$/),
      code_challenge_method: 'S256',
    });
    const callback = new URL(requests.map((r) => r.url()).find((u) => u.startsWith(`${rt.apiUrl}/console/callback?`))!);
    expect(callback.searchParams.get('state')).toBe(authorize.searchParams.get('state'));
    const exchange = requests.find((r) => r.url() === `${cognito.url}/oauth2/token`)!;
    expect(exchange.method()).toBe('POST');
    expect(Object.fromEntries(new URLSearchParams(exchange.postData() ?? ''))).toMatchObject({
      grant_type: 'authorization_code',
      client_id: SAMPLE_COGNITO.consoleClientId,
      code: callback.searchParams.get('code'),
      code_verifier: expect.stringMatching(/^[\w-]{64}$/),
    });

    // The code has left the address bar; the tab holds the pool's access token, which the API takes as ada's.
    expect(page.url()).toBe(`${rt.apiUrl}/console/`);
    const token = (await tokenOf(page))!;
    const me = await fetch(`${rt.apiUrl}/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(await me.json()).toMatchObject({ name: 'ada', groups: ['operator', 'approver'] });
    // The operator sees the failed step's buttons.
    await page.getByRole('listitem').filter({ hasText: 'E-COGNITO' }).getByRole('button', { name: /^Retry/ }).waitFor();
    await page.close();
  });

  it('returns to a deep link opened before signing in', async () => {
    const { page } = await tab();
    await page.goto(`${rt.apiUrl}/console/runs/E-COGNITO/${failedRun}`);
    await signInAs(page, 'ada', 'operator, approver');
    await page.locator('#step-forward-event').waitFor();
    expect(page.url()).toBe(`${rt.apiUrl}/console/runs/E-COGNITO/${failedRun}`);
    await page.close();
  });

  it('shows a viewer no retry button, and the API refuses a retry forged from their session', async () => {
    cognito.emulator.signInAs('grace');
    const { page } = await tab();
    await page.goto(`${rt.apiUrl}/console/`);
    await signInAs(page, 'grace', 'viewer');
    const card = page.getByRole('listitem').filter({ hasText: 'E-COGNITO' });
    await card.locator('code', { hasText: 'answered 500' }).waitFor();
    expect(await card.getByRole('button').count()).toBe(0);
    const forged = await page.evaluate(
      async ({ path, key }) => {
        const token = (globalThis as unknown as PageGlobals).sessionStorage.getItem(key);
        const r = await fetch(path, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
        return { status: r.status, body: (await r.json()) as { permission?: string } };
      },
      { path: `/v1/runs/${failedRun}/steps/forward-event/retry`, key: TOKEN_KEY },
    );
    expect(forged).toMatchObject({ status: 403, body: { permission: 'retry' } });
    await page.close();
  });

  it("signs out of the hosted sign-in as well, and back on the sign-in page the next person chooses who they are", async () => {
    const { page, requests } = await tab();
    await page.goto(`${rt.apiUrl}/console/`);
    await signInAs(page, 'ada', 'operator, approver');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to account-lifecycle' }).waitFor();
    const logout = new URL(requests.map((r) => r.url()).find((u) => u.startsWith(`${cognito.url}/logout?`))!);
    expect(Object.fromEntries(logout.searchParams)).toEqual({ client_id: SAMPLE_COGNITO.consoleClientId, logout_uri: `${rt.apiUrl}/console/` });
    expect(page.url()).toBe(`${rt.apiUrl}/console/`);
    expect(await tokenOf(page)).toBeNull();
    expect(cognito.emulator.signedIn).toBeUndefined();

    // The hosted session is over: "Sign in" now shows the hosted page, which asks who is signing in.
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Sign in as linus (operator)' }).click();
    await page.getByText(header('linus', 'operator')).waitFor();
    await page.close();
  });

  it('refuses a callback whose state was changed on the way, with a message, and exchanges no code', async () => {
    const { page, requests } = await tab();
    // The hosted sign-in's answer, with its state replaced on the way back, as a forged link would carry.
    await page.route(`${cognito.url}/oauth2/authorize?**`, async (route) => {
      const answer = await route.fetch({ maxRedirects: 0 });
      const back = new URL(answer.headers().location);
      back.searchParams.set('state', 'tampered-state');
      await route.fulfill({ status: 302, headers: { Location: back.toString() } });
    });
    await page.goto(`${rt.apiUrl}/console/`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'Sign-in failed: the sign-in answer does not belong to the sign-in this tab started (state mismatch)' }).waitFor();
    expect(page.url()).toBe(`${rt.apiUrl}/console/callback`);
    expect(requests.some((r) => r.url().startsWith(`${cognito.url}/oauth2/token`))).toBe(false);
    expect(await tokenOf(page)).toBeNull();
    expect(await seriousViolations(page)).toEqual([]);

    // Signing in again, untouched, works.
    await page.unroute(`${cognito.url}/oauth2/authorize?**`);
    await page.getByRole('button', { name: 'Sign in again' }).click();
    await page.getByText(header('ada', 'operator, approver')).waitFor();
    await page.close();
  });

  it('answers a token the pool did not sign, or one for another client, as it answers an unknown local token', async () => {
    const unknownLocal = await fetch(`${rt.apiUrl}/v1/me`, { headers: { Authorization: 'Bearer not-a-local-token' } });
    const forged = `${Buffer.from('{"alg":"RS256","kid":"x"}').toString('base64url')}.${Buffer.from(JSON.stringify({ username: 'ada', token_use: 'access' })).toString('base64url')}.c2ln`;
    const refused = await fetch(`${rt.apiUrl}/v1/me`, { headers: { Authorization: `Bearer ${forged}` } });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual(await unknownLocal.json());
  });
});
