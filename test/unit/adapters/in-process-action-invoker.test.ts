/** The local runtime's action invoker answers within the action timeout, as an action's Lambda would be stopped there. */
import { receiverWithKey } from '../../../lambdas/actions/forward/forward-receivers';
import { InProcessActionInvoker } from '../../../lambdas/adapters/in-process-action-invoker';
import type { ActionRequest } from '../../../lambdas/engine/ports';
import { forwardEventRequest } from '../../support/builders';

const request: ActionRequest = forwardEventRequest();

/** A receiver that never answers: the forward waits on it until its own timeout. */
const hangingFetch = (() => new Promise<Response>(() => undefined)) as typeof fetch;
const ctx = (fetchFn: typeof globalThis.fetch) => ({ fetch: fetchFn, clock: { now: () => new Date() }, forwardTo: [receiverWithKey('crm', 'https://crm.example.com/hook', 'crm-signing-key')], providers: {} });

describe('InProcessActionInvoker', () => {
  it('answers a retryable timeout when an action outlasts the action timeout', async () => {
    const invoker = new InProcessActionInvoker(ctx(hangingFetch), { timeoutSeconds: 0.05 });
    await expect(invoker.invoke(request)).resolves.toEqual({
      ok: false,
      error: { message: 'forward.event did not answer within 0.05 s (the action timeout)', retryable: true },
    });
  });

  it("answers with the action's own result when it finishes in time", async () => {
    const ok = (async () => new Response(null, { status: 204 })) as typeof fetch;
    const invoker = new InProcessActionInvoker(ctx(ok), { timeoutSeconds: 5 });
    await expect(invoker.invoke(request)).resolves.toMatchObject({ ok: true, result: { delivered: 1 } });
  });

  it('refuses an action that is not in the catalog without running anything', async () => {
    const invoker = new InProcessActionInvoker(ctx(hangingFetch), { timeoutSeconds: 5 });
    await expect(invoker.invoke({ ...request, action: 'google.nothing' })).resolves.toEqual({ ok: false, error: { message: 'unknown action google.nothing', retryable: false } });
  });
});
