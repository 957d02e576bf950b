/**
 * A caller that cannot wait long in a budget's line: when its turn is reckoned to come after its limit it is refused at
 * once, saying when; when it has not come by then (a `lockout` call came in ahead of it) it leaves the line. Either
 * way it takes no request, and the callers behind it move up. The local bucket and the shared budget both.
 */
import { BudgetWaitTooLong, TokenBucket, WaitLine, type RequestPriority } from '../../../lambdas/providers/rate-limited-fetch';
import { BUDGET_WINDOW_MS, SharedBudget } from '../../../lambdas/providers/shared-budget';
import { MemoryBudgetStore } from '../../support/memory-budget-store';

const START = Date.parse('2026-12-04T09:00:00.000Z');


/** When each labelled take settled, in ms from the start, and how. */
function watch(outcomes: Record<string, { at: number; ok: boolean; err?: unknown }>, label: string, turn: Promise<void>): void {
  turn.then(
    () => void (outcomes[label] = { at: Date.now() - START, ok: true }),
    (err: unknown) => void (outcomes[label] = { at: Date.now() - START, ok: false, err }),
  );
}

describe('a budget caller that waits at most so long', () => {
  beforeEach(() => jest.useFakeTimers({ now: START }));
  afterEach(() => jest.useRealTimers());

  it('is refused at once, saying when its turn would come, when the line ahead of it is longer than it can wait: it takes no token', async () => {
    const bucket = new TokenBucket(60, 1, () => Date.now(), 'connect.DescribeUser');
    await bucket.take('housekeeping');
    const waiting = [bucket.take('housekeeping'), bucket.take('housekeeping')];
    const refused = await bucket.take('housekeeping', { maxWaitMs: 2_500 }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(BudgetWaitTooLong);
    // Two ahead of it at one a second, the bucket empty: its turn would have come in 3 s.
    expect((refused as BudgetWaitTooLong).retryAt).toBe(START + 3_000);
    expect((refused as BudgetWaitTooLong).budget).toBe('connect.DescribeUser');
    const outcomes: Record<string, { at: number; ok: boolean }> = {};
    waiting.forEach((turn, i) => watch(outcomes, `w${i}`, turn));
    const after = bucket.take('housekeeping');
    watch(outcomes, 'after', after);
    await jest.advanceTimersByTimeAsync(3_000);
    // The caller behind it has the token it would have had.
    expect(outcomes).toEqual({ w0: { at: 1_000, ok: true }, w1: { at: 2_000, ok: true }, after: { at: 3_000, ok: true } });
  });

  it('waits its turn when it comes in time', async () => {
    const bucket = new TokenBucket(60, 1, () => Date.now());
    await bucket.take();
    const outcomes: Record<string, { at: number; ok: boolean }> = {};
    watch(outcomes, 'patient', bucket.take('housekeeping', { maxWaitMs: 1_200 }));
    await jest.advanceTimersByTimeAsync(1_000);
    expect(outcomes).toEqual({ patient: { at: 1_000, ok: true } });
  });

  it('leaves the line at its limit when lockout calls came in ahead of it, and the caller behind it gets its token', async () => {
    const bucket = new TokenBucket(60, 1, () => Date.now(), 'connect.DeleteUser');
    await bucket.take();
    const outcomes: Record<string, { at: number; ok: boolean; err?: unknown }> = {};
    // Its turn is 1 s away when it joins, within its 1.5 s...
    watch(outcomes, 'removal', bucket.take('housekeeping', { maxWaitMs: 1_500 }));
    watch(outcomes, 'behind', bucket.take('housekeeping'));
    // ...until two lockout calls go ahead of it: its turn would come at 3 s.
    watch(outcomes, 'lockout1', bucket.take('lockout'));
    watch(outcomes, 'lockout2', bucket.take('lockout'));
    await jest.advanceTimersByTimeAsync(3_000);
    expect(outcomes.removal).toMatchObject({ at: 1_500, ok: false });
    expect(outcomes.removal.err).toBeInstanceOf(BudgetWaitTooLong);
    expect((outcomes.removal.err as BudgetWaitTooLong).retryAt).toBeGreaterThan(START + 1_500);
    expect(outcomes.lockout1).toEqual({ at: 1_000, ok: true });
    expect(outcomes.lockout2).toEqual({ at: 2_000, ok: true });
    // The removal's token went to the caller behind it, not a second later.
    expect(outcomes.behind).toEqual({ at: 3_000, ok: true });
    // No waiter and no timer is left behind.
    expect(jest.getTimerCount()).toBe(0);
  });

  it('clears its timer once served: nothing of it is left', async () => {
    const bucket = new TokenBucket(60, 1, () => Date.now());
    await bucket.take('housekeeping', { maxWaitMs: 10_000 });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('leaves the shared budget\'s line too: refused at once, or at its limit, the next caller served', async () => {
    const store = new MemoryBudgetStore();
    const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
    // One request a window; no jitter matters here, the test reads settled outcomes after whole windows.
    const shared = new SharedBudget({ name: 'connect.DescribeUser', perMinute: 60, store, fallback: new TokenBucket(60), now: () => Date.now(), sleep });
    await shared.take('housekeeping');
    const outcomes: Record<string, { at: number; ok: boolean; err?: unknown }> = {};
    watch(outcomes, 'first', shared.take('housekeeping'));
    watch(outcomes, 'second', shared.take('housekeeping'));
    const refused = await shared.take('housekeeping', { maxWaitMs: 1_500 }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(BudgetWaitTooLong);
    expect((refused as BudgetWaitTooLong).retryAt).toBeGreaterThanOrEqual(START + 2 * BUDGET_WINDOW_MS);

    watch(outcomes, 'leaver', shared.take('housekeeping', { maxWaitMs: 3_500 }));
    watch(outcomes, 'behind', shared.take('housekeeping'));
    watch(outcomes, 'lockout', shared.take('lockout'));
    await jest.advanceTimersByTimeAsync(5_000);
    expect(outcomes.leaver).toMatchObject({ at: 3_500, ok: false });
    expect(outcomes.leaver.err).toBeInstanceOf(BudgetWaitTooLong);
    for (const label of ['first', 'second', 'behind', 'lockout']) expect(outcomes[label]).toMatchObject({ ok: true });
    // The lockout call first, then the line in its order, the leaver's window going to the caller behind it.
    const order = ['lockout', 'first', 'second', 'behind'].sort((a, b) => outcomes[a].at - outcomes[b].at);
    expect(order).toEqual(['lockout', 'first', 'second', 'behind']);
    expect(outcomes.behind.at).toBeLessThan(4 * BUDGET_WINDOW_MS + 100);
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('a wait line place', () => {
  it('is taken off the line when left, the others keeping their order; leaving once served does nothing', async () => {
    const line = new WaitLine();
    const a = line.join('housekeeping');
    const b = line.join('housekeeping' as RequestPriority);
    const c = line.join('lockout');
    expect(line.ahead('housekeeping')).toBe(3);
    expect(line.ahead('lockout')).toBe(1);
    expect(b.leave(new Error('too long'))).toBe(true);
    await expect(b.turn).rejects.toThrow('too long');
    expect(line.size).toBe(2);
    line.next()!.resolve();
    await c.turn;
    expect(c.leave(new Error('late'))).toBe(false);
    line.next()!.resolve();
    await a.turn;
    expect(line.size).toBe(0);
  });
});
