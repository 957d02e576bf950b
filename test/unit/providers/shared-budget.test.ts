/**
 * One Google budget per stage: processes that each keep their own bucket send the quota times their number; processes
 * drawing from the shared budget send what it allows together, whatever their number. The window counters' store is
 * checked on the embedded DynamoDB-compatible server (conditional writes, no transactions).
 */
import { LOCAL_AWS, startEmbeddedStore, type EmbeddedStore } from '../../../local/embedded-store';
import { createDocumentClient } from '../../../lambdas/store/dynamo-store';
import { DynamoBudgetStore } from '../../../lambdas/store/dynamo/budget-repository';
import { TokenBucket, type RequestBudget, type RequestPriority } from '../../../lambdas/providers/rate-limited-fetch';
import { BUDGET_WINDOW_MS, SharedBudget, windowCapacity, type BudgetStore } from '../../../lambdas/providers/shared-budget';
import { MemoryBudgetStore } from '../../support/memory-budget-store';


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
    await budget.take('lockout');
    expect(taken).toHaveBeenCalledTimes(1);
    // The process's own bucket serves it in its class too.
    expect(taken).toHaveBeenCalledWith('lockout');
    expect(errors).toHaveLength(1);
  });

  it('refuses a budget that is not a positive number of requests, naming it', () => {
    expect(() => new SharedBudget({ name: 'google', perMinute: 0, store: new MemoryBudgetStore(), fallback: new TokenBucket(1) })).toThrow(/google: perMinute must be positive/);
  });
});

interface Grant {
  priority: RequestPriority;
  askedAt: number;
  window: number;
}

/** One request of class `priority` from `budget`, asked now; answers the window it went out in. */
async function ask(budget: RequestBudget, priority: RequestPriority, grants: Grant[]): Promise<void> {
  const askedAt = Date.now();
  await budget.take(priority);
  grants.push({ priority, askedAt, window: Math.floor(Date.now() / BUDGET_WINDOW_MS) });
}

/** Grants per window and class. */
function perWindow(grants: Grant[], priority: RequestPriority, from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => grants.filter((g) => g.priority === priority && g.window === from + i).length);
}

describe('the shared budget spent on lockout first', () => {
  beforeEach(() => jest.useFakeTimers({ now: Date.parse('2026-12-04T09:00:00.250Z') }));
  afterEach(() => jest.useRealTimers());

  const capacity = windowCapacity(PER_MINUTE);
  const budgetOn = (store: BudgetStore) => new SharedBudget({ name: 'google', perMinute: PER_MINUTE, store, fallback: new TokenBucket(PER_MINUTE) });

  /** Housekeeping callers in `process` send back to back until `end`; answers when they have stopped. */
  function housekeepingFlatOut(process: RequestBudget, callers: number, end: number, grants: Grant[]) {
    const caller = async () => {
      while (Date.now() < end) await ask(process, 'housekeeping', grants);
    };
    return Promise.all(Array.from({ length: callers }, caller));
  }

  async function drive(ms: number) {
    for (let t = 0; t < ms; t += 50) await jest.advanceTimersByTimeAsync(50);
  }

  it('never gives a lower class a request a waiting lockout call needs, though the lockouts come from another process', async () => {
    const store = new MemoryBudgetStore();
    const housekeeper = budgetOn(store);
    const locker = budgetOn(store);
    const grants: Grant[] = [];
    const start = Math.floor(Date.now() / BUDGET_WINDOW_MS);
    const stopped = housekeepingFlatOut(housekeeper, 3 * capacity, Date.now() + 12_000, grants);
    // Mid-window, with the window already spent on housekeeping, two and a half windows of lockout calls arrive.
    await drive(2_000);
    const lockouts = Math.round(2.5 * capacity);
    const locked = Promise.all(Array.from({ length: lockouts }, () => ask(locker, 'lockout', grants)));
    // The callers still waiting at the end take a few windows more to be served.
    await drive(15_000);
    await Promise.all([stopped, locked]);

    const lockoutGrants = grants.filter((g) => g.priority === 'lockout');
    expect(lockoutGrants).toHaveLength(lockouts);
    const arrived = Math.floor(lockoutGrants[0].askedAt / BUDGET_WINDOW_MS);
    const lastLockout = Math.max(...lockoutGrants.map((g) => g.window));
    // From the window after they arrived, every request goes to a lockout call until the last of them has its own.
    for (let w = arrived + 1; w < lastLockout; w++) expect([w, perWindow(grants, 'housekeeping', w, w)[0]]).toEqual([w, 0]);
    // They are served in the windows that open next, each window to its capacity: no lockout call waits a window for nothing.
    expect(lastLockout).toBeLessThanOrEqual(arrived + Math.ceil(lockouts / capacity));
    // The window the last of them goes out in gives its rest to housekeeping: nothing of the budget is wasted.
    expect(perWindow(grants, 'lockout', lastLockout, lastLockout)[0] + perWindow(grants, 'housekeeping', lastLockout, lastLockout)[0]).toBe(capacity);
    // Before the lockouts and after them, housekeeping has every window whole: it is not starved once no lockout waits.
    expect(perWindow(grants, 'housekeeping', start + 1, arrived - 1)).toEqual(Array(arrived - start - 1).fill(capacity));
    expect(perWindow(grants, 'housekeeping', lastLockout + 1, start + 10)).toEqual(Array(start + 10 - lastLockout).fill(capacity));
  });

  it('with no lockout waiting, protect and housekeeping from several processes share the whole budget', async () => {
    const store = new MemoryBudgetStore();
    const grants: Grant[] = [];
    const end = Date.now() + 10_000;
    const processes = Array.from({ length: 4 }, () => budgetOn(store));
    const all = Promise.all(
      processes.map(async (p, i) => {
        const priority: RequestPriority = i % 2 ? 'protect' : 'housekeeping';
        const caller = async () => {
          while (Date.now() < end) await ask(p, priority, grants);
        };
        await Promise.all(Array.from({ length: capacity }, caller));
      }),
    );
    await drive(15_000);
    await all;
    const start = Math.floor(end / BUDGET_WINDOW_MS) - 10;
    const used = Array.from({ length: 8 }, (_, i) => grants.filter((g) => g.window === start + 1 + i).length);
    expect(used).toEqual(Array(8).fill(capacity));
    expect(grants.some((g) => g.priority === 'protect')).toBe(true);
    expect(grants.some((g) => g.priority === 'housekeeping')).toBe(true);
  });

  it('serves a lockout call that joins one process\'s line before the other classes already waiting there', async () => {
    const store = new MemoryBudgetStore();
    const budget = budgetOn(store);
    const order: string[] = [];
    // A window spent by another process: everyone here waits for the next one.
    const window = Math.floor(Date.now() / BUDGET_WINDOW_MS);
    await store.take('google', window, capacity, capacity);
    const waiting = [
      ...Array.from({ length: capacity - 1 }, (_, i) => budget.take('housekeeping').then(() => order.push(`housekeeping ${i}`))),
      budget.take('lockout').then(() => order.push('lockout')),
    ];
    await drive(1_500);
    await Promise.all(waiting);
    expect(order[0]).toBe('lockout');
  });
});

describe('the process bucket spent on lockout first', () => {
  it('lets a lockout call that joins the line go before the other classes already waiting', async () => {
    let now = 0;
    const bucket = new TokenBucket(6000, 1, () => now);
    const order: string[] = [];
    await bucket.take('housekeeping');
    const waiting = [
      bucket.take('housekeeping').then(() => order.push('housekeeping 1')),
      bucket.take(undefined).then(() => order.push('no class')),
      bucket.take('protect').then(() => order.push('protect')),
      bucket.take('lockout').then(() => order.push('lockout 1')),
      bucket.take('lockout').then(() => order.push('lockout 2')),
    ];
    now += 60_000;
    for (let i = 0; i < waiting.length; i++) {
      now += 10;
      await new Promise((r) => setTimeout(r, 15));
    }
    await Promise.all(waiting);
    // Below lockout the classes keep the order they asked in: none of them is held back by a later one.
    expect(order).toEqual(['lockout 1', 'lockout 2', 'housekeeping 1', 'no class', 'protect']);
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

  // Windows later than now, on slots of their own: a window older than one a slot already holds gets nothing, so a
  // fixed window number would collide with the first test's (this second's) one time in sixty.
  const later = (offset: number) => Math.floor(Date.now() / BUDGET_WINDOW_MS) + offset;

  it('gives a slot to the next window that maps to it, and none back to an older one', async () => {
    const window = later(1_000);
    expect(await store.take('google', window, 4, 4)).toBe(4);
    expect(await store.take('google', window, 1, 4)).toBe(0);
    expect(await store.take('google', window + 60, 3, 4)).toBe(3);
    expect(await store.take('google', window, 1, 4)).toBe(0);
    expect(await store.take('google', window + 60, 1, 4)).toBe(1);
  });

  it('keeps each budget to its own counters', async () => {
    const window = later(1_010);
    expect(await store.take('google', window, 2, 2)).toBe(2);
    expect(await store.take('notion', window, 2, 2)).toBe(2);
  });
});
