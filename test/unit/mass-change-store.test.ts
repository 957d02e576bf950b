/** The guard's counter and batch on the embedded store: concurrent intakes get distinct places, a repeat keeps its own. */
import { lazyStore } from '../support/lazy-store';

const db = lazyStore();
afterAll(() => db.stop());

describe('the mass-change counter', () => {
  it('gives 40 concurrent events the places 1 to 40, each once', async () => {
    const places = await Promise.all(Array.from({ length: 40 }, (_, i) => db.store.countMassChange('2030-01-01T00:00:00.000Z', `burst-${i}`)));
    expect([...places].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await db.store.massChangeCount('2030-01-01T00:00:00.000Z')).toBe(40);
  });

  it('answers an event counted before with its first place and does not count it again', async () => {
    const w = '2030-01-02T00:00:00.000Z';
    expect(await db.store.countMassChange(w, 'a')).toBe(1);
    expect(await db.store.countMassChange(w, 'b')).toBe(2);
    const again = await Promise.all([db.store.countMassChange(w, 'a'), db.store.countMassChange(w, 'a')]);
    expect(again).toEqual([1, 1]);
    expect(await db.store.countMassChange(w, 'c')).toBe(3);
    expect(await db.store.massChangeCount(w)).toBe(3);
  });

  it('counts each window apart, and a window nobody was counted in as 0', async () => {
    expect(await db.store.countMassChange('2030-01-03T00:00:00.000Z', 'a')).toBe(1);
    expect(await db.store.massChangeCount('2030-01-04T00:00:00.000Z')).toBe(0);
  });
});

describe('the quarantine batch', () => {
  it('is opened by exactly one of many concurrent callers, and closed only under its own id', async () => {
    const tries = await Promise.all(
      Array.from({ length: 12 }, (_, i) => db.store.openMassChangeBatch({ batchId: `run-${i}`, alertId: `mass-change:run-${i}`, openedAt: '2030-01-01T00:00:00.000Z' })),
    );
    const openers = tries.filter((t) => t.opened);
    expect(openers).toHaveLength(1);
    expect(new Set(tries.map((t) => t.batch.batchId))).toEqual(new Set([openers[0].batch.batchId]));
    const other = openers[0].batch.batchId === 'run-0' ? 'run-1' : 'run-0';
    expect(await db.store.closeMassChangeBatch(other)).toBe(false);
    expect(await db.store.closeMassChangeBatch(openers[0].batch.batchId)).toBe(true);
    expect(await db.store.getMassChangeBatch()).toBeUndefined();
    expect((await db.store.openMassChangeBatch({ batchId: 'next', alertId: 'mass-change:next', openedAt: '2030-01-01T01:00:00.000Z' })).opened).toBe(true);
  });
});
