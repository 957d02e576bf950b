/** Data forwarding: POSTs the signed lifecycle event to every downstream URL so they run their own steps. */
import * as z from '../../shared/zod';
import { signedHeaders } from '../../http/signature';
import { defineAction, isRetryableStatus, ProviderError } from '../define-action';

export const DELIVERY_HEADER = 'X-Lifecycle-Delivery';

const TIMEOUT_MS = 10_000;

export const forwardEvent = defineAction({
  name: 'forward.event',
  params: z.strictObject({}),
  async run(ctx, _params, request) {
    if (ctx.forwardUrls.length === 0) return { ok: true, note: 'no downstream URLs are configured; nothing to forward' };
    const body = JSON.stringify({
      eventId: request.eventId,
      type: request.eventType,
      effectiveDate: request.effectiveDate,
      urgent: request.urgent,
      runId: request.runId,
      employee: request.employee,
    });
    const secret = await ctx.hmacSecret();
    // Signed with the wall clock, not the engine's: the receiver checks the timestamp against its own.
    const answers: string[] = [];
    // Every receiver gets the same delivery id on every try, so a retry is recognisable as one.
    const delivery = `${request.runId}:${request.stepId}`;
    for (const url of ctx.forwardUrls) {
      const res = await ctx.fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [DELIVERY_HEADER]: delivery, ...signedHeaders(secret, body) },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      const text = (await res.text()).slice(0, 300);
      const answer = `${new URL(url).origin}${new URL(url).pathname} answered ${res.status}${text ? `: ${text}` : ''}`;
      if (!res.ok) throw new ProviderError(`forwarding to ${url} failed with ${res.status}`, isRetryableStatus(res.status), answer);
      answers.push(answer);
    }
    return { ok: true, result: { delivered: ctx.forwardUrls.length, delivery }, providerAnswer: answers.join('; ') };
  },
});
