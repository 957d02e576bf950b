/**
 * Benchmark: one Google budget per stage. A layoff (300 urgent leavers) with 10 dispatchers in parallel, their Google
 * requests spread over 10 action containers, against the emulator's quota of 2,400 a minute. `shared`: each container
 * takes from the stage's budget in the lifecycle table (SharedBudget on DynamoBudgetStore), as the Google action
 * functions do on AWS; `per-container`: each keeps its own bucket at the stage's figure, as they did before.
 */
import { TokenBucket, type RequestBudget, type RequestPriority } from '../lambdas/providers/rate-limited-fetch';
import { SharedBudget, windowCapacity } from '../lambdas/providers/shared-budget';
import { DynamoBudgetStore } from '../lambdas/store/dynamo/budget-repository';
import type { DynamoTable } from '../lambdas/store/dynamo/dynamo-table';
import { CUTOFF_STEPS } from './leaver-runs';
import { DEFAULT_LEAVERS, DEFAULT_QUOTA_PER_MINUTE, measureLayoff, retries, samplesTable, stuckSteps, type LayoffFigures } from './layoff';
import { count, seconds, type BenchOptions, type BenchReport, type Benchmark, type Check } from './report';

export const DISPATCHERS = 10;
export const ACTION_CONTAINERS = 10;
/** The stage's budget as a share of the quota: 61 one-second windows can fall in Google's rolling minute. */
export const BUDGET_SHARE = 0.9;
/** Terminates sent at once: 300 in the same instant time out the in-process store on a loaded 2-core machine, with 100 records already running. */
export const SEND_CONCURRENCY = 25;
export type BudgetMode = 'shared' | 'per-container';

/** Requests spread over several action containers, each with its own budget object, in turn. */
class Containers implements RequestBudget {
  private next = 0;
  constructor(private readonly budgets: RequestBudget[]) {}
  take(priority?: RequestPriority): Promise<void> {
    const budget = this.budgets[this.next];
    this.next = (this.next + 1) % this.budgets.length;
    return budget.take(priority);
  }
}

function containerBudgets(mode: BudgetMode) {
  return (table: DynamoTable, perMinute: number): RequestBudget => {
    const store = new DynamoBudgetStore(table);
    return new Containers(
      Array.from({ length: ACTION_CONTAINERS }, () =>
        mode === 'shared' ? new SharedBudget({ name: 'google', perMinute, store, fallback: new TokenBucket(perMinute), onStoreError: (err) => console.error(err) }) : new TokenBucket(perMinute),
      ),
    );
  };
}

interface BudgetFigures {
  mode: BudgetMode;
  budgetPerMinute: number;
  layoff: LayoffFigures;
}

async function measure(options: BenchOptions): Promise<BudgetFigures> {
  const mode: BudgetMode = options.budget === 'per-container' ? 'per-container' : 'shared';
  const quota = options.quota ?? DEFAULT_QUOTA_PER_MINUTE;
  const budgetPerMinute = Math.floor(quota * BUDGET_SHARE);
  options.progress(`${mode} budget of ${count(budgetPerMinute)}/min, ${DISPATCHERS} dispatchers, ${ACTION_CONTAINERS} action containers`);
  const layoff = await measureLayoff(options, { workers: options.workers ?? DISPATCHERS, googleRequestsPerMinute: budgetPerMinute, googleBudget: containerBudgets(mode), sendConcurrency: SEND_CONCURRENCY });
  return { mode, budgetPerMinute, layoff };
}

export function budgetChecks({ mode, layoff: f }: BudgetFigures): Check[] {
  const cutOff = f.timings.filter((t) => t.steps.every((s) => s.status === 'succeeded')).length;
  return [
    { what: 'every cut-off step of every leaver succeeded', ok: !f.timedOut && cutOff === f.leavers, seen: `${count(cutOff)} of ${count(f.leavers)} leavers cut off${f.timedOut ? '; timed out' : ''}` },
    { what: 'no step in needs_attention', ok: stuckSteps(f).length === 0, seen: `${stuckSteps(f).length}${stuckSteps(f).length ? `: ${stuckSteps(f).slice(0, 5).join(', ')}` : ''}` },
    ...(mode === 'shared' ? [{ what: 'the shared budget kept every container under the quota: no 429', ok: f.throttled === 0, seen: `${count(f.throttled)} of ${count(f.googleRequests)} Google calls answered 429` }] : []),
  ];
}

export function budgetReport(b: BudgetFigures): BenchReport {
  const f = b.layoff;
  const accepted = f.googleRequests - f.throttled;
  return {
    title: `Google budget (${b.mode}): ${count(f.leavers)} urgent leavers, ${f.workers} dispatchers, ${ACTION_CONTAINERS} action containers, quota ${count(f.quotaPerMinute)}/min`,
    facts: [
      ['budget', b.mode === 'shared'
        ? `the stage's ${count(b.budgetPerMinute)}/min (${BUDGET_SHARE * 100} % of the quota) in the lifecycle table: ${windowCapacity(b.budgetPerMinute)} requests per one-second window, each taken by one conditional write`
        : `each of the ${ACTION_CONTAINERS} containers its own bucket at ${count(b.budgetPerMinute)}/min (together ${count(b.budgetPerMinute * ACTION_CONTAINERS)}/min)`],
      ['runtime', `the local runtime in one process, in memory; ${f.workers} queue workers (dispatchers), each running up to 10 records at once; default playbooks (${CUTOFF_STEPS.length} cut-off steps per leaver); mass-change guard: ${count(f.proceeded)} ran at once, ${count(f.held)} released by one call`],
      ['whole benchmark', seconds(f.totalMs)],
    ],
    tables: [
      {
        columns: ['leavers', 'wall time until every leaver locked out', 'wall time to every cut-off step succeeded', 'Google requests', 'throttled (429)', 'step retries', 'needs_attention', `accepted requests ÷ ${count(f.quotaPerMinute)}/min`],
        rows: [[
          count(f.leavers),
          f.lockoutWallMs === undefined ? 'not all' : seconds(f.lockoutWallMs),
          f.wallMs === undefined ? 'timed out' : `${seconds(f.wallMs)} (${(f.wallMs / 60_000).toFixed(2)} min)`,
          count(f.googleRequests),
          count(f.throttled),
          count(retries(f)),
          count(stuckSteps(f).length),
          `${((accepted / f.quotaPerMinute)).toFixed(2)} min`,
        ]],
      },
      samplesTable(f.samples),
    ],
    checks: budgetChecks(b),
  };
}

export const googleBudgetBenchmark: Benchmark = {
  name: 'google-budget',
  run: async (options) => budgetReport(await measure({ ...options, leavers: options.leavers ?? DEFAULT_LEAVERS })),
};
