/** How many queries a page of the run listing costs, when the filter keeps some of the runs read or few of them. */
import type { Run } from '../../../lambdas/engine/model';
import { listRunPage, MAX_QUERIES_PER_PAGE } from '../../../lambdas/engine/run-listing';
import type { LifecycleStore } from '../../../lambdas/store/lifecycle-store';
import { memoryEngine, type MemoryEngine } from '../../support/memory-engine';

/** A completed run; every third a terminate, effective on its own day of 2026. */
function completed(n: number): Run {
  const id = String(n).padStart(3, '0');
  const day = new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10);
  return {
    runId: `run-${id}`,
    employeeId: `E${id}`,
    eventId: `hr-${id}`,
    type: n % 3 === 0 ? 'terminate' : 'hire',
    status: 'completed',
    effectiveDate: day,
    urgent: false,
    steps: [],
    version: 2,
    createdAt: `${day}T08:00:00.000Z`,
    updatedAt: `${day}T09:00:00.000Z`,
    employee: { id: `E${id}`, firstName: 'Ada', timezone: 'Europe/Berlin' },
  };
}

/** The engine's store, counting the status-index queries it is asked for. */
function counting(engine: MemoryEngine): { deps: MemoryEngine['deps']; queries: () => number } {
  let queries = 0;
  const store = engine.store as LifecycleStore;
  const wrapped: LifecycleStore = Object.create(store);
  wrapped.pageRunsByStatus = (...args) => {
    queries += 1;
    return store.pageRunsByStatus(...args);
  };
  return { deps: { ...engine.deps, store: wrapped }, queries: () => queries };
}

describe('listRunPage', () => {
  let engine: MemoryEngine;
  beforeEach(async () => {
    engine = memoryEngine();
    for (let n = 1; n <= 300; n++) await engine.store.createRun(completed(n));
  });

  it('fills a page of a filter keeping one run in three in a few queries of a page each, the next page starting after the last run shown', async () => {
    const { deps, queries } = counting(engine);
    const first = await listRunPage(deps, { status: 'completed', type: 'terminate', limit: 20 });
    if (!first.ok) throw new Error(first.message);
    expect(first.runs).toHaveLength(20);
    expect(queries()).toBe(3);
    const second = await listRunPage(deps, { status: 'completed', type: 'terminate', limit: 20, next: first.next });
    if (!second.ok) throw new Error(second.message);
    // Newest first: run 300 is the newest terminate; page two goes on from the 21st.
    expect(first.runs.map((r) => r.runId).slice(0, 2)).toEqual(['run-300', 'run-297']);
    expect(second.runs[0].runId).toBe(`run-${300 - 3 * 20}`);
  });

  it('stops a page of a filter keeping few runs after MAX_QUERIES_PER_PAGE queries, answering what it found and a cursor', async () => {
    const { deps, queries } = counting(engine);
    const page = await listRunPage(deps, { status: 'completed', type: 'cancel', limit: 10 });
    if (!page.ok) throw new Error(page.message);
    expect(queries()).toBe(MAX_QUERIES_PER_PAGE);
    expect(page.runs).toEqual([]);
    expect(page.next).toBeDefined();
  });

  it('answers a date range far down the status index in one query, latest effective date first, and pages on from there', async () => {
    const { deps, queries } = counting(engine);
    const first = await listRunPage(deps, { status: 'completed', from: '2026-01-02', to: '2026-01-09', limit: 5 });
    if (!first.ok) throw new Error(first.message);
    expect(queries()).toBe(1);
    expect(first.runs.map((r) => r.effectiveDate)).toEqual(['2026-01-09', '2026-01-08', '2026-01-07', '2026-01-06', '2026-01-05']);
    const second = await listRunPage(deps, { status: 'completed', from: '2026-01-02', to: '2026-01-09', limit: 5, next: first.next });
    if (!second.ok) throw new Error(second.message);
    expect(second.runs.map((r) => r.effectiveDate)).toEqual(['2026-01-04', '2026-01-03', '2026-01-02']);
    expect(second.next).toBeUndefined();
  });

  it('keeps the type a filter within a date range', async () => {
    const page = await listRunPage(engine.deps, { status: 'completed', type: 'terminate', from: '2026-01-02', to: '2026-01-09', limit: 10 });
    if (!page.ok) throw new Error(page.message);
    expect(page.runs.map((r) => r.runId)).toEqual(['run-006', 'run-003']);
  });

  it.each([
    ['a cursor of the listing by update on a date range', {}, { from: '2026-01-02' }],
    ['a cursor of a date range on the listing by update', { to: '2026-06-01' }, {}],
  ])('refuses %s as a bad next, without asking the store', async (_what, firstFilter, secondFilter) => {
    const first = await listRunPage(engine.deps, { status: 'completed', limit: 2, ...firstFilter });
    if (!first.ok) throw new Error(first.message);
    expect(first.next).toBeDefined();
    const { deps, queries } = counting(engine);
    const second = await listRunPage(deps, { status: 'completed', limit: 2, ...secondFilter, next: first.next });
    expect(second).toMatchObject({ ok: false, path: 'next' });
    expect(queries()).toBe(0);
  });
});
