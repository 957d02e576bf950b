/**
 * A sample downstream system for data forwarding: verifies each forward with its own receiver key and its own
 * purpose, as a real receiver must, records each delivery once (by delivery id), and can be told to fail the next N requests.
 * Given a file, its deliveries are kept there and found again after a restart, as the other emulators' state is.
 */
import { forwardPurpose, verifySignature, type KeyRing } from '../../lambdas/http/signature';
import * as z from '../../lambdas/shared/zod';
import { readJsonFile, writeJsonFile } from './json-file';
import type { EmulatorRoute } from './server';

export interface Delivery {
  deliveryId: string;
  receivedAt: string;
  times: number;
  event: unknown;
}

const savedDeliveries = z.object({
  deliveries: z.array(z.object({ deliveryId: z.string(), receivedAt: z.string(), times: z.number(), event: z.unknown() })),
});

export class DownstreamReceiver {
  readonly deliveries = new Map<string, Delivery>();
  private failures = { remaining: 0, status: 500 };

  constructor(
    /** The name we know this receiver by: the signature must say it was made for this receiver. */
    readonly name: string,
    private readonly keys: () => KeyRing,
    /** Where its deliveries are kept between starts; in memory only without one. */
    private readonly file?: string,
  ) {
    const saved = file === undefined ? undefined : readJsonFile(file);
    if (saved === undefined) return;
    const parsed = z.safeParse(savedDeliveries, saved);
    if (!parsed.success) throw new Error(`${file} does not hold downstream deliveries: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    for (const d of parsed.data.deliveries) this.deliveries.set(d.deliveryId, d);
  }

  private save(): void {
    if (this.file) writeJsonFile(this.file, { deliveries: [...this.deliveries.values()] });
  }

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
          this.save();
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
