import { forwardEvent } from '../../../lambdas/actions/forward/forward-event';
import { runAction } from '../../../lambdas/actions/run-action';
import type { ActionRequest } from '../../../lambdas/engine/ports';
import { receiverWithKey, type ForwardReceiver } from '../../../lambdas/actions/forward/forward-receivers';
import { forwardPurpose, HR_PURPOSE, verifySignature } from '../../../lambdas/http/signature';
import { answer, startTarget } from '../../support/http-target';
import { forwardEventRequest } from '../../support/builders';

const request: ActionRequest = forwardEventRequest();
const ctx = (forwardTo: ForwardReceiver[]) => ({ fetch: globalThis.fetch, clock: { now: () => new Date() }, forwardTo, providers: {} });
const at = (url: string, name = 'crm') => receiverWithKey(name, url, `${name}-signing-key`);
const headersOf = (got: { headers: Record<string, unknown> }) => Object.fromEntries(Object.entries(got.headers).map(([k, v]) => [k, String(v)]));
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('forward.event', () => {
  it("POSTs the event to every receiver, signed with that receiver's own key for that receiver", async () => {
    const a = await startTarget(answer(200));
    const b = await startTarget(answer(204, ''));
    try {
      const res = await runAction(forwardEvent, ctx([at(a.url, 'crm'), at(b.url, 'billing')]), request);
      expect(res).toMatchObject({ ok: true, result: { delivered: 2, delivery: 'run-1:forward-event' } });
      for (const [target, name, other] of [[a, 'crm', 'billing'], [b, 'billing', 'crm']] as const) {
        expect(target.received).toHaveLength(1);
        const got = target.received[0];
        expect(JSON.parse(got.body)).toMatchObject({ eventId: 'hr-7781', type: 'terminate', urgent: true, employee: { id: 'E100' } });
        expect(got.headers['x-lifecycle-delivery']).toBe('run-1:forward-event');
        const headers = headersOf(got);
        expect(verifySignature({ current: `${name}-signing-key` }, forwardPurpose(name), headers, got.body, nowSeconds())).toMatchObject({ ok: true });
        // Neither the other receiver's key nor the intake's purpose accepts it.
        expect(verifySignature({ current: `${other}-signing-key` }, forwardPurpose(name), headers, got.body, nowSeconds()).ok).toBe(false);
        expect(verifySignature({ current: `${name}-signing-key` }, HR_PURPOSE, headers, got.body, nowSeconds()).ok).toBe(false);
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('signs with the current version of a rotated key', async () => {
    const t = await startTarget(answer(200));
    try {
      const rotated = receiverWithKey('crm', t.url, { current: 'crm-key-version-2', previous: 'crm-key-version-1' });
      expect(await runAction(forwardEvent, ctx([rotated]), request)).toMatchObject({ ok: true });
      const got = t.received[0];
      expect(verifySignature({ current: 'crm-key-version-2' }, forwardPurpose('crm'), headersOf(got), got.body, nowSeconds()).ok).toBe(true);
      expect(verifySignature({ current: 'crm-key-version-1' }, forwardPurpose('crm'), headersOf(got), got.body, nowSeconds()).ok).toBe(false);
    } finally {
      await t.close();
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
      const res = await runAction(forwardEvent, ctx([at(t.url)]), request);
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
    const res = await runAction(forwardEvent, ctx([at(t.url)]), request);
    expect(res).toMatchObject({ ok: false, error: { retryable: true } });
  });

  it('succeeds with a note when nothing is configured', async () => {
    expect(await runAction(forwardEvent, ctx([]), request)).toEqual({ ok: true, note: 'no downstream receivers are configured; nothing to forward' });
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
