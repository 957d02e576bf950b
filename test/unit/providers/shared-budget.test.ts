/**
 * One Google budget per stage: processes that each keep their own bucket send the quota times their number; processes
 * drawing from the shared budget send what it allows together, whatever their number. The window counters' store is
 * checked on the embedded DynamoDB-compatible server (conditional writes, no transactions).
 */
import { LOCAL_AWS, startEmbeddedStore, type EmbeddedStore } from '../../../local/embedded-store';
import { createDocumentClient } from '../../../lambdas/store/dynamo-store';
import { DynamoBudgetStore } from '../../../lambdas/store/dynamo/budget-repository';
import { TokenBucket, type RequestBudget } from '../../../lambdas/providers/rate-limited-fetch';
import { BUDGET_WINDOW_MS, SharedBudget, windowCapacity, type BudgetStore } from '../../../lambdas/providers/shared-budget';

/** The store's semantics in memory, for runs on a driven clock. */
class MemoryBudgetStore implements BudgetStore {
  private readonly slots = new Map<string, { window: number; taken: number }>();
  writes = 0;
  async take(budget: string, window: number, want: number, capacity: number) {
    this.writes += 1;
    const key = `${budget}#${window % 60}`;
    const slot = this.slots.get(key);
    if (!slot || slot.window < window) {
      this.slots.set(key, { window, taken: want });
      return want;
    }
    if (slot.window === window && slot.taken + want <= capacity) {
      slot.taken += want;
      return want;
    }
    return 0;
  }
}

const PER_MINUTE = 600;
const PROCESSES = 10;
const CALLERS_PER_PROCESS = 5;
const RUN_MS = 120_000;

/** Every process's callers send requests back to back for two minutes; answers when each request went out. */
async function sendFlatOut(budgets: RequestBudget[]): Promise<number[]> {
  const sent: number[] = [];
  const end = Date.now() + RUN_MS;
  const caller = async (budget: RequestBudget) => {
    for (;;) {
      await budget.take();
      if (Date.now() >= end) return;
      sent.push(Date.now());
    }
  };
  const all = Promise.all(budgets.flatMap((b) => Array.from({ length: CALLERS_PER_PROCESS }, () => caller(b))));
  for (let t = 0; t < RUN_MS + 5_000; t += 100) await jest.advanceTimersByTimeAsync(100);
  await all;
  return sent;
}

/** The most requests in any 60 s: what Google's per-minute quota counts. */
function busiestMinute(sent: number[]): number {
  const sorted = [...sent].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= 60_000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('one request budget shared by every process', () => {
  beforeEach(() => jest.useFakeTimers({ now: Date.parse('2026-12-04T09:00:00.250Z') }));
  afterEach(() => jest.useRealTimers());

  it('keeps ten processes together within the stage budget, where ten own buckets send ten times it', async () => {
    const own = await sendFlatOut(Array.from({ length: PROCESSES }, () => new TokenBucket(PER_MINUTE)));
    expect(busiestMinute(own)).toBeGreaterThan(5 * PER_MINUTE);

    const store = new MemoryBudgetStore();
    const shared = await sendFlatOut(Array.from({ length: PROCESSES }, () => new SharedBudget({ name: 'google', perMinute: PER_MINUTE, store, fallback: new TokenBucket(PER_MINUTE) })));
    // Any 60 s spans at most 61 one-second windows.
    expect(busiestMinute(shared)).toBeLessThanOrEqual(windowCapacity(PER_MINUTE) * 61);
    // And the budget is used, not wasted: at least 95 % of it in the busiest minute.
    expect(busiestMinute(shared)).toBeGreaterThanOrEqual(0.95 * PER_MINUTE);
  });

  it('falls back to the process bucket when the store cannot be reached, and says so', async () => {
    const errors: unknown[] = [];
    const broken: BudgetStore = { take: () => Promise.reject(new Error('ProvisionedThroughputExceededException')) };
    const fallback = new TokenBucket(PER_MINUTE);
    const taken = jest.spyOn(fallback, 'take');
    const budget = new SharedBudget({ name: 'google', perMinute: PER_MINUTE, store: broken, fallback, onStoreError: (e) => errors.push(e) });
    await budget.take();
    expect(taken).toHaveBeenCalledTimes(1);
    expect(errors).toHaveLength(1);
  });

  it('refuses a budget that is not a positive number of requests, naming it', () => {
    expect(() => new SharedBudget({ name: 'google', perMinute: 0, store: new MemoryBudgetStore(), fallback: new TokenBucket(1) })).toThrow(/google: perMinute must be positive/);
  });
});

describe('the budget windows in the table', () => {
  let server: EmbeddedStore;
  let store: DynamoBudgetStore;
  beforeAll(async () => {
    server = await startEmbeddedStore({ tableName: 'budget-test' });
    store = new DynamoBudgetStore({ doc: createDocumentClient({ ...LOCAL_AWS, endpoint: server.endpoint }), name: 'budget-test' });
  });
  afterAll(() => server.stop());

  it('grants a window exactly its capacity, however many take from it at once', async () => {
    const window = Math.floor(Date.now() / BUDGET_WINDOW_MS);
    const granted = await Promise.all(Array.from({ length: 50 }, () => store.take('google', window, 1, 36)));
    expect(granted.reduce((a, b) => a + b, 0)).toBe(36);
  });

  it('gives a slot to the next window that maps to it, and none back to an older one', async () => {
    const window = 1_000_000;
    expect(await store.take('google', window, 4, 4)).toBe(4);
    expect(await store.take('google', window, 1, 4)).toBe(0);
    expect(await store.take('google', window + 60, 3, 4)).toBe(3);
    expect(await store.take('google', window, 1, 4)).toBe(0);
    expect(await store.take('google', window + 60, 1, 4)).toBe(1);
  });

  it('keeps each budget to its own counters', async () => {
    const window = 2_000_000;
    expect(await store.take('google', window, 2, 2)).toBe(2);
    expect(await store.take('notion', window, 2, 2)).toBe(2);
  });
});
