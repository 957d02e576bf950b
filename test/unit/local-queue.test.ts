import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalQueue } from '../../local/local-queue';

function queues(file?: string) {
  let now = 1_000_000;
  const clock = { now: () => now, advance: (s: number) => (now += s * 1000) };
  const dlq = new LocalQueue({ name: 'dlq', visibilityTimeoutSeconds: 30, now: clock.now });
  const q = new LocalQueue({ name: 'q', visibilityTimeoutSeconds: 30, redrive: { deadLetter: dlq, maxReceiveCount: 4 }, file, now: clock.now });
  return { q, dlq, clock };
}

describe('LocalQueue (SQS semantics)', () => {
  it('hides a received message for the visibility timeout', () => {
    const { q, clock } = queues();
    q.send('a');
    expect(q.receive().map((m) => m.body)).toEqual(['a']);
    expect(q.receive()).toEqual([]);
    clock.advance(30);
    expect(q.receive()[0]).toMatchObject({ body: 'a', receiveCount: 2 });
  });

  it('delays a message sent with a delay', () => {
    const { q, clock } = queues();
    q.send('later', 10);
    expect(q.receive()).toEqual([]);
    clock.advance(10);
    expect(q.receive()).toHaveLength(1);
  });

  it('deletes only with the current receipt handle', () => {
    const { q, clock } = queues();
    q.send('a');
    const first = q.receive()[0];
    clock.advance(30);
    const second = q.receive()[0];
    expect(q.delete(first.receiptHandle!)).toBe(false);
    expect(q.delete(second.receiptHandle!)).toBe(true);
    clock.advance(60);
    expect(q.receive()).toEqual([]);
  });

  it('changes visibility for a retry backoff', () => {
    const { q, clock } = queues();
    q.send('a');
    const m = q.receive()[0];
    q.changeVisibility(m.receiptHandle!, 2);
    clock.advance(2);
    expect(q.receive()).toHaveLength(1);
  });

  it('moves a message to the dead-letter queue on the receive after the fourth', () => {
    const { q, dlq, clock } = queues();
    q.send('poison');
    for (let i = 1; i <= 4; i++) {
      expect(q.receive()[0].receiveCount).toBe(i);
      clock.advance(30);
    }
    expect(q.receive()).toEqual([]);
    expect(dlq.receive().map((m) => m.body)).toEqual(['poison']);
    expect(q.stats()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('keeps its messages, in flight or not, across a restart', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'queue-')), 'q.json');
    const first = queues(file);
    first.q.send('a');
    first.q.send('b');
    first.q.receive(1);
    first.q.flush();
    const again = new LocalQueue({ name: 'q', visibilityTimeoutSeconds: 30, file });
    expect(again.peek().map((m) => [m.body, m.receiveCount])).toEqual([
      ['a', 1],
      ['b', 0],
    ]);
  });
});
