/** POST /v1/events on the real intake and store (embedded): the HR key, its purpose, skew, and the replay memory of refusals. */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { noMetrics, silentLog, type EngineDeps } from '../../../lambdas/engine/ports';
import { routeApi, type ApiDeps } from '../../../lambdas/http/api-routes';
import { rememberIfRefused } from '../../../lambdas/http/refusal-memory';
import { actionCatalog } from '../../../lambdas/handlers/engine-deps';
import { json } from '../../../lambdas/http/responses';
import { forwardPurpose, HR_PURPOSE, signedHeaders, type KeyRing } from '../../../lambdas/http/signature';
import { daysFromToday, hrBody, settings } from '../../support/builders';
import { lazyStore, type LazyStore } from '../../support/lazy-store';
import { FORWARD_ONLY_PLAYBOOKS } from '../../support/playbooks';

const HR_KEY = 'hr-key-version-1';

let db: LazyStore;
let hrKeys: KeyRing;
beforeEach(() => {
  db = lazyStore();
  hrKeys = { current: HR_KEY };
});
afterEach(() => db.stop());

const deps = (): ApiDeps => ({
  engine: {
    store: db.store,
    queue: { send: async () => {}, retryLater: async () => {} },
    actions: actionCatalog,
    clock: { now: () => new Date('2026-11-23T10:00:00Z') },
    settings,
    playbooks: FORWARD_ONLY_PLAYBOOKS,
    log: silentLog,
    metrics: noMetrics,
  } as unknown as EngineDeps,
  hrKeys: async () => hrKeys,
  operator: () => undefined,
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A request exactly as HR would send it; the same object can be sent again to replay it byte for byte. */
function signed(body: unknown, opts: { key?: string; purpose?: string; offset?: number } = {}): APIGatewayProxyEvent {
  const raw = JSON.stringify(body);
  const headers = { 'Content-Type': 'application/json', ...signedHeaders(opts.key ?? HR_KEY, opts.purpose ?? HR_PURPOSE, raw, nowSeconds() + (opts.offset ?? 0)) };
  return { httpMethod: 'POST', path: '/v1/events', headers, body: raw, isBase64Encoded: false } as unknown as APIGatewayProxyEvent;
}

const send = async (request: APIGatewayProxyEvent) => {
  const out = await routeApi(deps(), request);
  return { status: out.statusCode, body: JSON.parse(out.body) as Record<string, any> };
};

const terminate = (eventId: string, employeeId = `E-${eventId}`) =>
  hrBody({ eventId, effectiveDate: daysFromToday(200), employee: { ...hrBody().employee, id: employeeId } });

describe('the HR key at POST /v1/events', () => {
  it("refuses a forward's signature (401) even when a receiver was configured with the HR key's bytes, and writes nothing", async () => {
    const res = await send(signed(terminate('fwd-1'), { purpose: forwardPurpose('crm') }));
    expect(res.status).toBe(401);
    expect(res.body.error).toContain('signature does not match');
    expect(await db.store.getEvent('fwd-1')).toBeUndefined();
  });

  it('accepts a signature with the previous key version while the key is rotated, and refuses a retired one', async () => {
    hrKeys = { current: 'hr-key-version-2', previous: HR_KEY };
    expect((await send(signed(terminate('rot-1')))).status).toBe(202);
    expect((await send(signed(terminate('rot-2'), { key: 'hr-key-version-2' }))).status).toBe(202);
    hrKeys = { current: 'hr-key-version-3', previous: 'hr-key-version-2' };
    const retired = await send(signed(terminate('rot-3')));
    expect(retired.status).toBe(401);
    expect(await db.store.getEvent('rot-3')).toBeUndefined();
  });

  it('refuses a timestamp 31 s ahead of the clock and accepts one 29 s ahead', async () => {
    const ahead = await send(signed(terminate('skew-1'), { offset: 31 }));
    expect(ahead.status).toBe(401);
    expect(ahead.body.error).toContain('more than 30 s ahead');
    expect((await send(signed(terminate('skew-2'), { offset: 29 }))).status).toBe(202);
  });
});

describe('a known path with the wrong method', () => {
  it.each([
    ['POST', '/health', 'use GET /health'],
    ['GET', '/v1/events', 'use POST /v1/events'],
    ['DELETE', '/v1/welcome/secret-token-in-the-path', 'use GET or POST /v1/welcome/{token}'],
  ])('%s %s answers 405 naming the route, never the path itself', async (httpMethod, path, said) => {
    const out = await send({ httpMethod, path, headers: {}, body: null } as unknown as APIGatewayProxyEvent);
    expect(out).toEqual({ status: 405, body: { error: said } });
  });
});

describe('replay memory', () => {
  it('a refused request sent again is refused (409), even once what made it fail has gone', async () => {
    const cancel = signed({ eventId: 'cancel-late-1', type: 'cancel', cancels: 'late-1' });
    const first = await send(cancel);
    expect(first.status).toBe(400);
    expect(first.body.error).toContain('no event late-1 was received');

    // The termination it meant to cancel arrives after it.
    const target = await send(signed(terminate('late-1', 'E-LATE')));
    expect(target.status).toBe(202);

    const replay = await send(cancel);
    expect(replay.status).toBe(409);
    expect(replay.body.error).toContain('this signed request was refused before (400: invalid request: cancels: no event late-1 was received)');
    expect(await db.store.getEvent('cancel-late-1')).toBeUndefined();
    expect((await db.store.getRun('E-LATE', target.body.runId))?.status).toBe('scheduled');

    // Signed anew, the same cancel is judged on its own.
    const fresh = await send(signed({ eventId: 'cancel-late-1', type: 'cancel', cancels: 'late-1' }, { offset: -30 }));
    expect(fresh.status).toBe(202);
    expect(fresh.body).toMatchObject({ type: 'cancel', cancelsRunId: target.body.runId });
  });

  it('an accepted request sent again answers 200 with the same run, as often as HR retries it', async () => {
    const request = signed(terminate('ok-1'));
    const first = await send(request);
    expect(first.status).toBe(202);
    for (let i = 0; i < 2; i++) {
      const again = await send(request);
      expect(again.status).toBe(200);
      expect(again.body.runId).toBe(first.body.runId);
    }
  });

  it('a 409 conflict is remembered too, and the memory keeps only a hash of the signature', async () => {
    await send(signed(terminate('dup-1')));
    const conflicting = signed({ ...terminate('dup-1'), effectiveDate: daysFromToday(201) });
    expect((await send(conflicting)).status).toBe(409);
    const replay = await send(conflicting);
    expect(replay.body.error).toContain('refused before (409: event dup-1 was already received with a different body)');
    const items = await db.scanAll();
    const refusals = items.filter((i) => String(i.PK).startsWith('REFUSED#'));
    expect(refusals).toHaveLength(1);
    const signature = String((conflicting.headers as Record<string, string>)['X-Lifecycle-Signature']).slice(3);
    expect(JSON.stringify(items)).not.toContain(signature);
    expect(refusals[0]).toMatchObject({ status: 409, deleteAfter: expect.any(Number) });
  });

  it('a request refused before its signature was checked (401) is not remembered', async () => {
    await send(signed(terminate('bad-1'), { key: 'not-the-hr-key' }));
    expect((await db.scanAll()).filter((i) => String(i.PK).startsWith('REFUSED#'))).toEqual([]);
  });
});

describe('rememberIfRefused', () => {
  const request = { signature: 'v2=abc', timestamp: 1_800_000_000 };
  const at = new Date(1_800_000_010_000);

  it('remembers 400 and 409 until the signature could no longer pass, and forgets after, TTL or not', async () => {
    await rememberIfRefused(db.store, request, json(400, { error: 'invalid request: x: y' }), at);
    const items = await db.scanAll();
    expect(items).toHaveLength(1);
    // 300 s after the signed second, to the end of that second, and the TTL attribute on the same instant.
    expect(items[0]).toMatchObject({ status: 400, error: 'invalid request: x: y', expiresAt: '2027-01-15T08:05:01.000Z', deleteAfter: 1_800_000_301 });
    const hash = String(items[0].signatureHash);
    expect(await db.store.findRefusal(hash, '2027-01-15T08:05:00.999Z')).toMatchObject({ status: 400 });
    // The embedded store never expires items: the read compares the expiry itself.
    expect(await db.store.findRefusal(hash, '2027-01-15T08:05:01.000Z')).toBeUndefined();
  });

  it.each([202, 200, 401, 503])('does not remember a %i answer', async (status) => {
    // A 503 (the role catalog unavailable) in particular: HR must be able to retry it as it is.
    await rememberIfRefused(db.store, request, json(status, { error: 'x' }), at);
    expect(await db.scanAll()).toEqual([]);
  });
});
