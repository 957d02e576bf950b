/**
 * A sample downstream system for data forwarding: verifies each forward with its own receiver key and its own
 * purpose, as a real receiver must, records each delivery once (by delivery id), and can be told to fail the next N requests.
 */
import { forwardPurpose, verifySignature, type KeyRing } from '../../lambdas/http/signature';
import type { EmulatorRoute } from './server';

export interface Delivery {
  deliveryId: string;
  receivedAt: string;
  times: number;
  event: unknown;
}

export class DownstreamReceiver {
  readonly deliveries = new Map<string, Delivery>();
  private failures = { remaining: 0, status: 500 };

  constructor(
    /** The name we know this receiver by: the signature must say it was made for this receiver. */
    readonly name: string,
    private readonly keys: () => KeyRing,
  ) {}

  failNext(count: number, status = 500) {
    this.failures = { remaining: count, status };
  }

  routes(): EmulatorRoute[] {
    return [
      {
        method: 'POST',
        pattern: /^\/downstream\/events$/,
        handle: (req) => {
          if (this.failures.remaining > 0) {
            this.failures.remaining -= 1;
            return { status: this.failures.status, body: { error: 'downstream told to fail' } };
          }
          const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
          const check = verifySignature(this.keys(), forwardPurpose(this.name), headers, req.body, Math.floor(Date.now() / 1000));
          if (!check.ok) return { status: 401, body: { error: check.error } };
          const id = String(headers['x-lifecycle-delivery'] ?? 'none');
          const seen = this.deliveries.get(id);
          if (seen) seen.times += 1;
          else this.deliveries.set(id, { deliveryId: id, receivedAt: new Date().toISOString(), times: 1, event: JSON.parse(req.body) });
          return { status: 200, body: { accepted: id, duplicate: Boolean(seen) } };
        },
      },
      { method: 'GET', pattern: /^\/downstream\/events$/, handle: () => ({ status: 200, body: { deliveries: [...this.deliveries.values()] } }) },
      {
        method: 'POST',
        pattern: /^\/downstream\/_fail$/,
        handle: (req) => {
          const { count = 1, status = 500 } = JSON.parse(req.body || '{}') as { count?: number; status?: number };
          this.failNext(count, status);
          return { status: 200, body: { failNext: count, status } };
        },
      },
    ];
  }
}
