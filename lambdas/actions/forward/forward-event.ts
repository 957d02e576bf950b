/** Data forwarding: POSTs the lifecycle event to every downstream receiver, signed with that receiver's own key. */
import * as z from '../../shared/zod';
import { forwardPurpose, signedHeaders } from '../../http/signature';
import { defineAction } from '../define-action';
import { isRetryableStatus, ProviderError } from '../../providers/provider-error';

export const DELIVERY_HEADER = 'X-Lifecycle-Delivery';

const TIMEOUT_MS = 10_000;

export const forwardEvent = defineAction({
  name: 'forward.event',
  params: z.strictObject({}),
  async run(ctx, _params, request) {
    const receivers = ctx.forwardTo ?? [];
    if (receivers.length === 0) return { ok: true, note: 'no downstream receivers are configured; nothing to forward' };
    const body = JSON.stringify({
      eventId: request.eventId,
      type: request.eventType,
      effectiveDate: request.effectiveDate,
      urgent: request.urgent,
      runId: request.runId,
      employee: request.employee,
    });
    const answers: string[] = [];
    // Every receiver gets the same delivery id on every try, so a retry is recognisable as one.
    const delivery = `${request.runId}:${request.stepId}`;
    for (const receiver of receivers) {
      // Each receiver's own key and name: what one receiver holds signs nothing another, or our intake, accepts.
      const { current } = await receiver.keys();
      // Signed with the wall clock, not the engine's: the receiver checks the timestamp against its own.
      const res = await ctx.fetch(receiver.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [DELIVERY_HEADER]: delivery, ...signedHeaders(current, forwardPurpose(receiver.name), body) },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      const text = (await res.text()).slice(0, 300);
      const url = new URL(receiver.url);
      const answer = `${receiver.name} (${url.origin}${url.pathname}) answered ${res.status}${text ? `: ${text}` : ''}`;
      if (!res.ok) throw new ProviderError(`forwarding to ${receiver.name} at ${receiver.url} failed with ${res.status}`, isRetryableStatus(res.status), answer);
      answers.push(answer);
    }
    return { ok: true, result: { delivered: receivers.length, delivery }, providerAnswer: answers.join('; ') };
  },
});
