/**
 * One Google budget per stage, small: 10 urgent leavers, 10 dispatchers, and their Google requests spread over 10
 * action containers that each take from the stage's budget in the table. Together they keep to the budget's share of
 * each second (ten own buckets send several times it at the start), no call is refused and nothing is
 * left for an operator. A layoff long enough to meet the per-minute quota itself takes minutes: that is the
 * google-budget benchmark's (`npm run bench -- --only google-budget`, 300 leavers at 2,400 a minute).
 */
import type { Playbooks } from '../../config/schema';
import { TokenBucket, type RequestBudget } from '../../lambdas/providers/rate-limited-fetch';
import { SharedBudget, windowCapacity } from '../../lambdas/providers/shared-budget';
import { DynamoBudgetStore } from '../../lambdas/store/dynamo/budget-repository';
import { seedStaff, type StaffRecord } from '../../local/emulators/seed-staff';
import type { Runtime } from '../../local/runtime';
import { fastPolling } from '../support/fast-playbooks';
import { allRunsComplete, postEvent, start } from '../support/harness';

const LEAVERS = 10;
const CONTAINERS = 10;
/** The emulator's quota, scaled down from 2,400 so that ten own buckets would overrun it. */
const QUOTA_PER_MINUTE = 1_200;
/** The stage's budget: 90 % of the quota (a rolling minute spans up to 61 one-second windows). */
const BUDGET_PER_MINUTE = 1_080;

const cutoffOnly: Playbooks = { ...fastPolling, terminate: { steps: fastPolling.terminate.steps.filter((s) => s.cutoff) } };

/** Each request to the next container in turn, each container with its own SharedBudget object; `sent` gets when each went. */
function containers(budgets: RequestBudget[], sent: number[]): RequestBudget {
  let next = 0;
  return {
    take: async () => {
      await budgets[next++ % budgets.length].take();
      sent.push(Date.now());
    },
  };
}

/** The most requests let through in one second (the budget's window). */
function busiestSecond(sent: number[]): number {
  const perSecond = new Map<number, number>();
  for (const at of sent) perSecond.set(Math.floor(at / 1000), (perSecond.get(Math.floor(at / 1000)) ?? 0) + 1);
  return Math.max(0, ...perSecond.values());
}

describe('one Google budget shared by ten dispatchers and their action containers', () => {
  let rt: Runtime;
  let staff: StaffRecord[];
  const sent: number[] = [];

  beforeAll(async () => {
    rt = await start({
      playbooks: cutoffOnly,
      workerConcurrency: 10,
      visibilityTimeoutSeconds: 60,
      googleRequestsPerMinute: BUDGET_PER_MINUTE,
      googleBudget: (table, perMinute) => {
        const store = new DynamoBudgetStore(table);
        return containers(Array.from({ length: CONTAINERS }, () => new SharedBudget({ name: 'google', perMinute, store, fallback: new TokenBucket(perMinute) })), sent);
      },
      settings: { retryBaseSeconds: 1, massChange: { threshold: LEAVERS, windowMinutes: 60 } },
    });
    staff = seedStaff(rt.emulators, LEAVERS, { prefix: 'budget' });
    // The meetings handover's transfer completes before its first look again.
    rt.emulators.google.setTransferBehaviour({ delayMs: 200 });
  });
  afterAll(async () => {
    await rt?.stop();
  });

  it('cuts every leaver off with no call refused for the quota and no step for an operator', async () => {
    const faults = rt.emulators.google.faults;
    faults.setQuota(QUOTA_PER_MINUTE);
    const before = { requests: faults.requests, throttled: faults.throttled };
    const today = new Date().toISOString().slice(0, 10);
    const answers = await Promise.all(staff.map((employee) => postEvent(rt, { eventId: `budget-${employee.id}`, type: 'terminate', effectiveDate: today, urgent: true, employee })));
    for (const res of answers) expect(res.status).toBe(202);

    const runs = await allRunsComplete(rt, staff.map((e, i) => ({ employeeId: e.id, runId: answers[i].body.runId as string })), 150_000);

    expect(runs.every((run) => run.steps.every((s) => s.status === 'succeeded'))).toBe(true);
    expect(faults.requests - before.requests).toBeGreaterThan(QUOTA_PER_MINUTE / 4);
    expect(faults.throttled - before.throttled).toBe(0);
    // A request granted late in its second (the write still in flight at its end) goes out early in the next, beside
    // that second's own: never more than two seconds' share (each grant counts in one window, so a minute stays
    // within 61 shares). Ten own buckets send about six shares in their first second.
    expect(busiestSecond(sent)).toBeLessThanOrEqual(2 * windowCapacity(BUDGET_PER_MINUTE));
  }, 180_000);
});
