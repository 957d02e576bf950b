/**
 * The operator console in a real browser against the real local runtime: an operator retries a failed step and sees
 * it succeed; a viewer sees no retry button, and a retry forged from the viewer's session is refused with 403. Every
 * page passes axe-core with no serious or critical violation, and each is photographed into docs/console/.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Runtime } from '../../local/runtime';
import { receiverWithKey } from '../../lambdas/actions/forward/forward-receivers';
import { hrBody } from '../support/builders';
import { launchChromium, seriousViolations, signedInPage } from '../support/browser';
import { postEvent, runReaches, start, TOKEN } from '../support/harness';
import { startTarget } from '../support/http-target';

/** Each page is photographed on every run; into docs/console/ (shown in the README) with CONSOLE_SCREENSHOTS=1. */
const SHOTS = process.env.CONSOLE_SCREENSHOTS === '1' ? join(__dirname, '..', '..', 'docs', 'console') : mkdtempSync(join(tmpdir(), 'console-shots-'));

/** The page's globals the tests read inside the browser (this project compiles without the DOM's types). */
type PageGlobals = { sessionStorage: { getItem(key: string): string | null }; document: { activeElement: { textContent: string | null } | null } };


describe('the operator console', () => {
  let rt: Runtime;
  let browser: Browser;
  let healthy = false;
  let target: Awaited<ReturnType<typeof startTarget>>;
  let runId: string;
  let signInChecked = false;

  beforeAll(async () => {
    target = await startTarget((_req, _n, res) => {
      res.writeHead(healthy ? 200 : 500, { 'Content-Type': 'application/json' });
      res.end(healthy ? '{"ok":true}' : '{"error":"downstream database unavailable"}');
    });
    rt = await start({ forwardTo: [receiverWithKey('target', target.url, 'target-signing-key')], settings: { retryBaseSeconds: 0.25 } });
    browser = await launchChromium();
    const res = await postEvent(rt, hrBody({ eventId: 'console-1', urgent: true, employee: { ...hrBody().employee, id: 'E-CONSOLE' } }));
    expect(res.status).toBe(202);
    runId = res.body.runId;
    await runReaches(rt, 'E-CONSOLE', runId, 'needs_attention', 40_000);
  });
  afterAll(async () => {
    await browser?.close();
    await rt?.stop();
    await target?.close();
  });

  /** The sign-in page is checked and photographed once, on the first sign-in. */
  const signedIn = (who: string): Promise<Page> =>
    signedInPage(browser, rt.apiUrl, who, TOKEN, {
      atSignIn: async (page) => {
        if (signInChecked) return;
        signInChecked = true;
        expect(await seriousViolations(page)).toEqual([]);
        await page.screenshot({ path: join(SHOTS, 'sign-in.png'), fullPage: true });
      },
    });

  it("shows an operator the failed step with the provider's words, and retries it in place", async () => {
    const page = await signedIn('local-admin');
    const card = page.getByRole('listitem').filter({ hasText: 'forward.event' });
    await card.locator('code', { hasText: 'answered 500' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'needs-attention.png'), fullPage: true });

    healthy = true;
    await card.getByRole('button', { name: 'Retry forward-event' }).click();
    await page.getByRole('status').filter({ hasText: 'Queued again.' }).waitFor();
    await runReaches(rt, 'E-CONSOLE', runId, 'completed');

    // The run page, by its deep link: the step succeeded, and the audit trail says who retried it.
    await page.goto(`${rt.apiUrl}/console/runs/E-CONSOLE/${runId}`);
    const row = page.locator('#step-forward-event');
    await row.getByText('succeeded').waitFor();
    await page.getByText(/retried by|retry/i).first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'run.png'), fullPage: true });
    await page.close();
  });

  it('shows a viewer no retry button, and the API refuses a retry forged from their session', async () => {
    healthy = false;
    const res = await postEvent(rt, hrBody({ eventId: 'console-2', urgent: true, employee: { ...hrBody().employee, id: 'E-VIEWER' } }));
    const failed = res.body.runId as string;
    await runReaches(rt, 'E-VIEWER', failed, 'needs_attention', 40_000);
    const page = await signedIn('local-viewer');
    const card = page.getByRole('listitem').filter({ hasText: 'E-VIEWER' });
    await card.locator('code', { hasText: 'answered 500' }).waitFor();
    expect(await card.getByRole('button').count()).toBe(0);
    const forged = await page.evaluate(async (path) => {
      const token = (globalThis as unknown as PageGlobals).sessionStorage.getItem('account-lifecycle.token');
      const r = await fetch(path, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
      return { status: r.status, body: (await r.json()) as { permission?: string } };
    }, `/v1/runs/${failed}/steps/forward-event/retry`);
    expect(forged).toMatchObject({ status: 403, body: { permission: 'retry' } });
    await page.close();
  });

  it('lists runs by status and finds an employee, each page reachable by URL and with no serious accessibility problem', async () => {
    const page = await signedIn('local-admin');
    await page.goto(`${rt.apiUrl}/console/runs?status=completed`);
    await page.getByRole('link', { name: /E-CONSOLE|Ada/ }).first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'runs.png'), fullPage: true });

    await page.goto(`${rt.apiUrl}/console/employees/E-CONSOLE`);
    await page.getByRole('table', { name: 'Runs' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'employee.png'), fullPage: true });

    // Search by the start of a name: the employee is one link away.
    await page.goto(`${rt.apiUrl}/console/employees?q=Ada`);
    await page.getByRole('link', { name: 'Ada Lovelace' }).first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // A leaver due in three days is on the agenda, under its day.
    const due = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const later = await postEvent(rt, hrBody({ eventId: 'console-3', effectiveDate: due, employee: { ...hrBody().employee, id: 'E-LATER' } }));
    expect(later.status).toBe(202);
    await page.goto(`${rt.apiUrl}/console/upcoming`);
    await page.locator(`a[href^="/console/runs/E-LATER/${later.body.runId}"]`).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'upcoming.png'), fullPage: true });

    // The back button returns to the search, then the employee, then the runs list.
    await page.goBack();
    await page.getByRole('list').filter({ hasText: 'Ada Lovelace' }).waitFor();
    await page.goBack();
    await page.getByRole('table', { name: 'Runs' }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { name: 'Runs' }).waitFor();
    await page.close();
  });

  it('moves between pages in place: a filter, a run, back again; a search, another, back again', async () => {
    const page = await signedIn('local-admin');
    await page.getByRole('link', { name: 'Runs' }).click();
    await page.getByRole('table', { name: 'Runs with status needs attention' }).waitFor();
    await page.getByLabel('Status').selectOption('completed');
    await page.getByRole('table', { name: 'Runs with status completed' }).waitFor();
    expect(new URL(page.url()).search).toBe('?status=completed');
    await page.locator('a[href^="/console/runs/E-CONSOLE/"]').click();
    await page.locator('#step-forward-event').waitFor();
    // The heading of the new page has the focus, and the title names it.
    await page.waitForFunction(() => /^terminate of/.test((globalThis as unknown as PageGlobals).document.activeElement?.textContent ?? ''));
    expect(await page.title()).toMatch(/^terminate of .* · account-lifecycle$/);
    await page.goBack();
    await page.getByRole('table', { name: 'Runs with status completed' }).waitFor();

    await page.getByRole('link', { name: 'Employees' }).click();
    await page.getByLabel('Id, name or address').fill('Ada');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('list').filter({ hasText: 'Ada Lovelace' }).waitFor();
    await page.getByLabel('Id, name or address').fill('Zed');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No employee starts with “Zed”.').waitFor();
    await page.goBack();
    await page.getByRole('list').filter({ hasText: 'Ada Lovelace' }).waitFor();
    expect(new URL(page.url()).search).toBe('?q=Ada');
    await page.close();
  });

  it('can be used with the keyboard alone: a skip link first, then the navigation in order, and focus on each new page', async () => {
    const page = await signedIn('local-admin');
    const focused = () => page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.textContent ?? '');
    // A new page puts the focus on its heading.
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.activeElement?.textContent === 'Needs attention');
    // From the top of the page (a click on its corner, outside any control, moves where Tab starts): the navigation in
    // order, and before it the skip link.
    await page.mouse.click(2, 2);
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      order.push(await focused());
    }
    expect(order).toEqual(['Needs attention', 'Runs', 'Upcoming', 'Employees']);
    for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('Skip to content');
    for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    // The link itself reads "Employees" too: wait for the new page's heading to take the focus.
    await page.waitForFunction(() => {
      const active = (globalThis as unknown as { document: { activeElement: { tagName: string; textContent: string | null } | null } }).document.activeElement;
      return active?.tagName === 'H1' && active.textContent === 'Employees';
    });
    expect(await page.title()).toBe('Employees · account-lifecycle');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('placeholder'))).toContain('Ada');
    await page.close();
  });

  it('the consolidation page reads every system on request and lists each finding with its fixes', async () => {
    const page = await signedIn('local-admin');
    await page.goto(`${rt.apiUrl}/console/consolidation`);
    await page.getByRole('button', { name: 'Run now' }).click();
    await page.getByRole('table', { name: 'Findings' }).waitFor({ timeout: 60_000 });
    expect(await page.getByRole('table', { name: 'Systems read' }).textContent()).toContain('nextcloud');
    // The sample tenant's accounts were made before this system: bound to nobody, each offering a bind.
    expect(await page.getByRole('table', { name: 'Findings' }).textContent()).toContain('Bound to nobody');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'consolidation.png'), fullPage: true });
  }, 90_000);
});
