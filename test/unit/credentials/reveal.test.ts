/** The welcome link on the API: GET shows a button, POST reveals the password exactly once, on the real store (embedded). */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { LocalPasswordSealer } from '../../../local/credentials/local-sealer';
import type { PasswordSealer } from '../../../lambdas/credentials/password-sealer';
import { mintRevealToken, revealTokenHash } from '../../../lambdas/credentials/vault';
import type { EngineDeps } from '../../../lambdas/engine/ports';
import { silentLog } from '../../../lambdas/engine/ports';
import { routeApi, type ApiDeps } from '../../../lambdas/http/api-routes';
import { lazyStore, type LazyStore } from '../../support/lazy-store';

const PASSWORD = 'Initial-Pa55!<&>';
const T0 = new Date('2026-12-01T09:00:00Z');
const EXPIRES = '2026-12-08T09:00:00.000Z';

let db: LazyStore;
let now: Date;
let sealer: PasswordSealer;
beforeEach(() => {
  db = lazyStore();
  now = T0;
  sealer = LocalPasswordSealer.forDataDir(null);
});
afterEach(() => db.stop());

const deps = (overrides: Partial<ApiDeps> = {}): ApiDeps => ({
  engine: { store: db.store, clock: { now: () => now }, log: silentLog } as unknown as EngineDeps,
  hrKeys: async () => ({ current: 'unused-hr-key' }),
  operator: () => undefined,
  passwords: () => sealer,
  ...overrides,
});

const request = (method: string, token: string) => ({ httpMethod: method, path: `/v1/welcome/${token}`, headers: {}, body: null }) as unknown as APIGatewayProxyEvent;
const get = (token: string, d = deps()) => routeApi(d, request('GET', token));
const post = (token: string, d = deps()) => routeApi(d, request('POST', token));

/** A run's sealed password with a link issued for it; answers the link's token. */
async function sealedWithLink(employeeId = 'E1001', runId = 'run-1'): Promise<string> {
  await db.store.putCredential({ employeeId, runId, ciphertext: await sealer.seal(PASSWORD, { employeeId }), createdAt: T0.toISOString(), expiresAt: EXPIRES });
  const token = mintRevealToken();
  expect(await db.store.issueRevealToken(employeeId, runId, revealTokenHash(token), T0.toISOString(), EXPIRES)).toBe(true);
  return token;
}

describe('GET /v1/welcome/{token}', () => {
  it('answers a page with a POST button and burns nothing (a link preview may fetch it)', async () => {
    const token = await sealedWithLink();
    for (let i = 0; i < 3; i++) {
      const page = await get(token);
      expect(page.statusCode).toBe(200);
      expect(page.headers).toMatchObject({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      expect(page.body).toContain('<form method="post">');
      expect(page.body).not.toContain('Initial-Pa55');
    }
    expect((await post(token)).statusCode).toBe(200);
  });

  it('needs no operator token and no signature', async () => {
    const token = await sealedWithLink();
    expect((await get(token, deps({ operator: () => undefined }))).statusCode).toBe(200);
  });
});

describe('POST /v1/welcome/{token}', () => {
  it('reveals the password once, not cached, then removes the ciphertext and keeps revealedAt', async () => {
    const token = await sealedWithLink();
    const page = await post(token);
    expect(page.statusCode).toBe(200);
    expect(page.headers).toMatchObject({ 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex, nofollow', 'Referrer-Policy': 'no-referrer' });
    expect(page.body).toContain('Initial-Pa55!&lt;&amp;&gt;');
    const record = await db.store.getCredential('E1001', 'run-1');
    expect(record).toMatchObject({ revealedAt: T0.toISOString(), revealTokenHash: revealTokenHash(token) });
    expect(record?.ciphertext).toBeUndefined();

    const again = await post(token);
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('already shown');
    expect(again.body).toContain('Ask IT for a password reset');
    expect((await get(token)).statusCode).toBe(410);
  });

  it('of two concurrent POSTs exactly one gets the password', async () => {
    const token = await sealedWithLink();
    const answers = await Promise.all([post(token), post(token), post(token)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 410, 410]);
    expect(answers.filter((a) => a.body.includes('Initial-Pa55!')).length).toBe(1);
  });

  it('an expired link answers 410, reveals nothing, and deletes the sealed password and its link there and then', async () => {
    const token = await sealedWithLink();
    now = new Date(EXPIRES);
    const page = await post(token);
    expect(page.statusCode).toBe(410);
    expect(page.body).toContain('expired');
    expect(page.body).not.toContain('Initial-Pa55!');
    expect(await db.store.getCredential('E1001', 'run-1')).toBeUndefined();
    expect(await db.scanAll()).not.toContainEqual(expect.objectContaining({ PK: `REVEAL#${revealTokenHash(token)}` }));
    // Both at the same instant: their order in the trail is not fixed.
    expect((await db.store.listAudit('E1001')).map((a) => a.change).sort()).toEqual([
      'initial password reveal refused: expired',
      'unrevealed initial password deleted: its link expired',
    ]);
    // Nothing is left to point at: the link is now simply not valid.
    expect((await get(token)).statusCode).toBe(404);
  });

  it('opening an expired link (GET) deletes the sealed password too, the page offering no button', async () => {
    const token = await sealedWithLink();
    now = new Date(Date.parse(EXPIRES) + 1000);
    const page = await get(token);
    expect(page.statusCode).toBe(410);
    expect(page.body).not.toContain('<form');
    expect(await db.store.getCredential('E1001', 'run-1')).toBeUndefined();
  });

  it('does not delete a password whose link a newer welcome email renewed after it was read', async () => {
    const token = await sealedWithLink();
    const stale = await db.store.getCredential('E1001', 'run-1');
    const renewed = '2026-12-20T09:00:00.000Z';
    expect(await db.store.issueRevealToken('E1001', 'run-1', revealTokenHash(mintRevealToken()), EXPIRES, renewed)).toBe(true);
    expect(await db.store.deleteExpiredCredential(stale!, EXPIRES)).toBe(false);
    expect((await db.store.getCredential('E1001', 'run-1'))?.ciphertext).toBeDefined();
    expect(token).toBeDefined();
  });

  it('stores the expiry as the table TTL (epoch seconds) on the credential and its link, not in the record read back', async () => {
    const token = await sealedWithLink();
    const items = await db.scanAll();
    const epoch = Date.parse(EXPIRES) / 1000;
    expect(items.find((i) => String(i.SK).startsWith('CRED#'))).toMatchObject({ deleteAfter: epoch });
    expect(items.find((i) => i.PK === `REVEAL#${revealTokenHash(token)}`)).toMatchObject({ deleteAfter: epoch });
    expect(await db.store.getCredential('E1001', 'run-1')).not.toHaveProperty('deleteAfter');
  });

  it('a sealed password whose welcome email never went out carries the TTL of its own expiry', async () => {
    const sealedUntil = '2027-01-30T09:00:00.000Z';
    await db.store.putCredential({ employeeId: 'E1002', runId: 'run-2', ciphertext: await sealer.seal(PASSWORD, { employeeId: 'E1002' }), createdAt: T0.toISOString(), expiresAt: sealedUntil });
    expect((await db.scanAll()).find((i) => i.SK === 'CRED#run-2')).toMatchObject({ deleteAfter: Date.parse(sealedUntil) / 1000 });
  });

  it('an unknown or malformed token answers 404', async () => {
    await sealedWithLink();
    for (const token of [mintRevealToken(), 'short', 'x'.repeat(43) + '!']) {
      expect((await post(token)).statusCode).toBe(404);
      expect((await get(token)).statusCode).toBe(404);
    }
  });

  it('a link replaced by a newer email answers 410, and the newer one works', async () => {
    const first = await sealedWithLink();
    const second = mintRevealToken();
    await db.store.issueRevealToken('E1001', 'run-1', revealTokenHash(second), T0.toISOString(), EXPIRES);
    expect((await post(first)).statusCode).toBe(410);
    expect((await post(second)).body).toContain('Initial-Pa55!');
  });

  it('when the password cannot be opened, answers 503 and the same link works later', async () => {
    const token = await sealedWithLink();
    const broken: PasswordSealer = { seal: sealer.seal.bind(sealer), open: async () => Promise.reject(new Error('KMS unavailable')) };
    expect((await post(token, deps({ passwords: () => broken }))).statusCode).toBe(503);
    expect((await db.store.getCredential('E1001', 'run-1'))?.ciphertext).toBeDefined();
    expect((await post(token)).body).toContain('Initial-Pa55!');
  });

  it('without a configured vault the link answers 503', async () => {
    const token = await sealedWithLink();
    expect((await post(token, deps({ passwords: undefined }))).statusCode).toBe(503);
  });

  it('writes an audit entry for the reveal and the refusals, with neither password nor token', async () => {
    const token = await sealedWithLink();
    await post(token);
    now = new Date(T0.getTime() + 60_000);
    await post(token);
    const audit = await db.store.listAudit('E1001');
    expect(audit.map((a) => a.change)).toEqual(['initial password revealed through the one-time link', 'initial password reveal refused: already revealed']);
    expect(audit[0]).toMatchObject({ runId: 'run-1', actor: 'welcome-link' });
    const everything = JSON.stringify(await db.scanAll());
    expect(everything).not.toContain('Initial-Pa55!');
    expect(everything).not.toContain(token);
  });
});
