/**
 * Chromium for the console's browser tests: Debian's /usr/bin/chromium (or CHROMIUM_PATH) driven by playwright-core,
 * headless, with a fresh profile each launch (playwright gives every launch a new temporary user data directory);
 * and axe-core run in the page.
 */
import { readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface AxeViolation {
  id: string;
  impact?: string;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's serious and critical findings on the page as it stands. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol: the console's CSP rightly refuses an inline script tag.
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const found = await page.evaluate(async () => {
    const page = globalThis as unknown as { document: unknown; axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } };
    return (await page.axe.run(page.document, { resultTypes: ['violations'] })).violations;
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * A new page signed in to the local console as one of its operators: a well-known local identity is chosen on the
 * sign-in page; `local-admin` is the runtime's own token (as LIFECYCLE_OPERATOR_TOKEN sets one), never offered, so
 * pasted. `atSignIn` runs on the sign-in page first. Signed in once the header names the person: their permissions
 * (GET /v1/me) have arrived.
 */
export async function signedInPage(
  browser: Browser,
  apiUrl: string,
  who: string,
  adminToken: string,
  opts: { height?: number; atSignIn?: (page: Page) => Promise<void> } = {},
): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: opts.height ?? 800 } });
  await page.goto(`${apiUrl}/console/`);
  await page.getByRole('heading', { name: 'Sign in to account-lifecycle' }).waitFor();
  await opts.atSignIn?.(page);
  if (who === 'local-admin') {
    await page.getByLabel(/token set with LIFECYCLE_OPERATOR_TOKEN/).fill(adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
  } else {
    await page.getByRole('button', { name: new RegExp(`^${who}\\b`) }).click();
  }
  await page.getByRole('heading', { name: 'Needs attention' }).waitFor();
  await page.getByText(new RegExp(`^${who} \\(`)).waitFor();
  return page;
}
