import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forwardPurpose, parseKeyRing, signedHeaders } from '../../../lambdas/http/signature';
import { DownstreamReceiver } from '../../../local/emulators/downstream';

const KEY = 'receiver-key';
const keys = () => parseKeyRing(KEY, 'the test key');

/** Posts one signed forward to the receiver's route, as the forwarding action does. */
async function deliver(receiver: DownstreamReceiver, deliveryId: string, event: unknown) {
  const body = JSON.stringify(event);
  const route = receiver.routes().find((r) => r.method === 'POST' && r.pattern.test('/downstream/events'))!;
  const headers = { ...signedHeaders(KEY, forwardPurpose(receiver.name), body), 'x-lifecycle-delivery': deliveryId };
  return route.handle({ method: 'POST', path: '/downstream/events', query: new URLSearchParams(), headers, body, params: [] });
}

describe('the sample downstream receiver', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'downstream-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps its deliveries in its file and finds them again when opened anew', async () => {
    const file = join(dir, 'downstream.json');
    const first = new DownstreamReceiver('sample-downstream', keys, file);
    expect(await deliver(first, 'run-1:forward', { eventId: 'e-1' })).toMatchObject({ status: 200 });
    expect(await deliver(first, 'run-1:forward', { eventId: 'e-1' })).toMatchObject({ status: 200, body: { duplicate: true } });

    const reopened = new DownstreamReceiver('sample-downstream', keys, file);
    expect([...reopened.deliveries.values()]).toEqual([{ deliveryId: 'run-1:forward', receivedAt: expect.any(String), times: 2, event: { eventId: 'e-1' } }]);
    expect(await deliver(reopened, 'run-1:forward', { eventId: 'e-1' })).toMatchObject({ body: { duplicate: true } });
  });

  it('refuses a file that holds something else, naming the field', () => {
    const file = join(dir, 'downstream.json');
    writeFileSync(file, JSON.stringify({ deliveries: [{ deliveryId: 7 }] }));
    expect(() => new DownstreamReceiver('sample-downstream', keys, file)).toThrow(/downstream\.json does not hold downstream deliveries: deliveries\.0\.deliveryId/);
  });

  it('without a file keeps its deliveries in memory only', async () => {
    const receiver = new DownstreamReceiver('sample-downstream', keys);
    await deliver(receiver, 'run-2:forward', { eventId: 'e-2' });
    expect(receiver.deliveries.size).toBe(1);
    expect(new DownstreamReceiver('sample-downstream', keys).deliveries.size).toBe(0);
  });
});
