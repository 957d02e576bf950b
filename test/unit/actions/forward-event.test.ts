import { forwardEvent } from '../../../lambdas/actions/forward/forward-event';
import { runAction } from '../../../lambdas/actions/run-action';
import type { ActionRequest } from '../../../lambdas/engine/ports';
import { verifySignature } from '../../../lambdas/http/signature';
import { answer, startTarget } from '../../support/http-target';

const secret = 'forward-secret';
const request: ActionRequest = {
  action: 'forward.event',
  runId: 'run-1',
  stepId: 'forward-event',
  eventId: 'hr-7781',
  eventType: 'terminate',
  effectiveDate: '2026-11-30',
  urgent: true,
  attempt: 1,
  employee: { id: 'E100', firstName: 'Ada', timezone: 'Europe/Berlin' },
  params: {},
};
const ctx = (forwardUrls: string[]) => ({ fetch: globalThis.fetch, clock: { now: () => new Date() }, hmacSecret: async () => secret, forwardUrls, providers: {} });

describe('forward.event', () => {
  it('POSTs the signed event to every downstream URL', async () => {
    const a = await startTarget(answer(200));
    const b = await startTarget(answer(204, ''));
    try {
      const res = await runAction(forwardEvent, ctx([a.url, b.url]), request);
      expect(res).toMatchObject({ ok: true, result: { delivered: 2, delivery: 'run-1:forward-event' } });
      for (const target of [a, b]) {
        expect(target.received).toHaveLength(1);
        const got = target.received[0];
        expect(JSON.parse(got.body)).toMatchObject({ eventId: 'hr-7781', type: 'terminate', urgent: true, employee: { id: 'E100' } });
        expect(got.headers['x-lifecycle-delivery']).toBe('run-1:forward-event');
        const headers = Object.fromEntries(Object.entries(got.headers).map(([k, v]) => [k, String(v)]));
        expect(verifySignature(secret, headers, got.body, Math.floor(Date.now() / 1000))).toEqual({ ok: true });
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  it.each([
    [500, true],
    [503, true],
    [429, true],
    [400, false],
    [403, false],
  ])('a %i answer fails, retryable: %s, with the answer recorded', async (status, retryable) => {
    const t = await startTarget(answer(status, '{"error":"nope"}'));
    try {
      const res = await runAction(forwardEvent, ctx([t.url]), request);
      expect(res.ok).toBe(false);
      if (!res.ok) {
        expect(res.error.retryable).toBe(retryable);
        expect(res.error.providerAnswer).toContain(`answered ${status}: {"error":"nope"}`);
      }
    } finally {
      await t.close();
    }
  });

  it('treats an unreachable receiver as retryable', async () => {
    const t = await startTarget(answer(200));
    await t.close();
    const res = await runAction(forwardEvent, ctx([t.url]), request);
    expect(res).toMatchObject({ ok: false, error: { retryable: true } });
  });

  it('succeeds with a note when nothing is configured', async () => {
    expect(await runAction(forwardEvent, ctx([]), request)).toEqual({ ok: true, note: 'no downstream URLs are configured; nothing to forward' });
  });

  it('rejects parameters it does not know, without retrying', async () => {
    const res = await runAction(forwardEvent, ctx([]), { ...request, params: { url: 'x' } });
    expect(res).toMatchObject({ ok: false, error: { retryable: false } });
    expect(!res.ok && res.error.message).toContain('invalid parameters');
  });

  it('refuses a request meant for another action', async () => {
    const res = await runAction(forwardEvent, ctx([]), { ...request, action: 'google.signOut' });
    expect(res).toMatchObject({ ok: false, error: { retryable: false } });
  });
});
