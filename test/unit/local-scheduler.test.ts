import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Wake } from '../../lambdas/engine/ports';
import { LocalScheduler } from '../../local/local-scheduler';

const wake = (name: string, at: string): Wake => ({
  name,
  at,
  timezone: 'Europe/Berlin',
  localDateTime: '(not read here)',
  employeeId: 'E1',
  runId: `run-${name}`,
});

function scheduler(file?: string, start = '2026-04-01T06:00:00Z') {
  let now = Date.parse(start);
  const fired: string[] = [];
  const s = new LocalScheduler({
    file,
    clock: { now: () => new Date(now) },
    fire: async (w) => void fired.push(w.name),
    tickMs: 10,
  });
  return { s, fired, setNow: (iso: string) => (now = Date.parse(iso)) };
}

describe('LocalScheduler (EventBridge Scheduler one-off semantics)', () => {
  it('fires a wake once, when the clock reaches its time, then deletes it', async () => {
    const { s, fired, setNow } = scheduler();
    expect(await s.schedule(wake('a', '2026-04-01T07:00:00.000Z'))).toBe('scheduled');
    setNow('2026-04-01T06:59:59.999Z');
    expect(await s.fireDue()).toEqual([]);
    setNow('2026-04-01T07:00:00.000Z');
    expect(await s.fireDue()).toEqual(['a']);
    expect(await s.fireDue()).toEqual([]);
    expect(fired).toEqual(['a']);
    expect(s.list()).toEqual([]);
  });

  it('answers exists for a name already scheduled, and keeps the first', async () => {
    const { s } = scheduler();
    await s.schedule(wake('a', '2026-04-01T07:00:00.000Z'));
    expect(await s.schedule(wake('a', '2026-04-02T07:00:00.000Z'))).toBe('exists');
    expect(s.list().map((w) => w.at)).toEqual(['2026-04-01T07:00:00.000Z']);
  });

  it('may schedule a name again once it has fired', async () => {
    const { s, setNow } = scheduler();
    await s.schedule(wake('a', '2026-04-01T07:00:00.000Z'));
    setNow('2026-04-01T08:00:00.000Z');
    await s.fireDue();
    expect(await s.schedule(wake('a', '2026-04-02T07:00:00.000Z'))).toBe('scheduled');
  });

  it('does not fire a cancelled wake; cancelling an unknown name is fine', async () => {
    const { s, fired, setNow } = scheduler();
    await s.schedule(wake('a', '2026-04-01T07:00:00.000Z'));
    await s.cancel('a');
    await s.cancel('never-made');
    setNow('2026-04-01T08:00:00.000Z');
    expect(await s.fireDue()).toEqual([]);
    expect(fired).toEqual([]);
  });

  it('deletes a wake whose firing failed (the sweep covers its step)', async () => {
    const errors: string[] = [];
    const s = new LocalScheduler({
      clock: { now: () => new Date('2026-04-02T00:00:00Z') },
      fire: async () => {
        throw new Error('store down');
      },
      log: { info: () => {}, warn: () => {}, error: (m) => errors.push(m) },
    });
    await s.schedule(wake('a', '2026-04-01T07:00:00.000Z'));
    expect(await s.fireDue()).toEqual(['a']);
    expect(s.list()).toEqual([]);
    expect(errors).toHaveLength(1);
  });

  it('survives a restart through its file, and fires at start what fell due while stopped', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'wakes-')), 'wakes.json');
    const first = scheduler(file);
    await first.s.schedule(wake('due-while-stopped', '2026-04-01T07:00:00.000Z'));
    await first.s.schedule(wake('later', '2026-04-03T07:00:00.000Z'));
    expect((JSON.parse(readFileSync(file, 'utf8')) as Wake[]).map((w) => w.name)).toEqual(['due-while-stopped', 'later']);

    const second = scheduler(file, '2026-04-02T00:00:00Z');
    expect(await second.s.schedule(wake('later', '2026-04-03T07:00:00.000Z'))).toBe('exists');
    await second.s.start();
    try {
      expect(second.fired).toEqual(['due-while-stopped']);
      expect((JSON.parse(readFileSync(file, 'utf8')) as Wake[]).map((w) => w.name)).toEqual(['later']);
      // Then it watches the clock.
      second.setNow('2026-04-03T07:00:00Z');
      const deadline = Date.now() + 2000;
      while (second.fired.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(second.fired).toEqual(['due-while-stopped', 'later']);
    } finally {
      await second.s.stop();
    }
    expect(new LocalScheduler({ file, clock: { now: () => new Date() }, fire: async () => {} }).list()).toEqual([]);
  });

  it('fires a wake once even when ticks overlap a slow firing', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const fired: string[] = [];
    const s = new LocalScheduler({
      clock: { now: () => new Date('2026-04-02T00:00:00Z') },
      fire: async (w) => {
        fired.push(w.name);
        await gate;
      },
    });
    await s.schedule(wake('a', '2026-04-01T07:00:00.000Z'));
    const first = s.fireDue();
    expect(await s.fireDue()).toEqual([]);
    release();
    expect(await first).toEqual(['a']);
    expect(fired).toEqual(['a']);
  });
});
