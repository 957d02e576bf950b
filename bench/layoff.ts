/**
 * Benchmark: a layoff. Hundreds of urgent leavers at once against a Google quota: how long until every
 * leaver is locked out (its `lockout` steps succeeded) and until every cut-off step has succeeded, how many
 * Google calls that took, how many the quota refused, and how close each comes to the quota's own lower bound.
 */
import { performance } from 'node:perf_hooks';
import { loadStageConfig } from '../config/stages';
import type { RuntimeOptions } from '../local/runtime';
import { seedStaff } from '../local/emulators/seed-staff';
import { BudgetWaitTooLong, TokenBucket, type RequestBudget, type RequestPriority, type TakeOptions } from '../lambdas/providers/rate-limited-fetch';
import { connectBudgets, DEFAULT_CONNECT_REQUESTS_PER_SECOND, type ConnectBudgets } from '../lambdas/providers/connect/connect-budget';
import { count, seconds, type BenchOptions, type BenchReport, type Benchmark, type Check, type ResultTable } from './report';
import { CUTOFF_STEPS, LOCKOUT_STEPS, lastStep, median, percentile, releaseQuarantine, sendUrgentTerminate, startBenchRuntime, waitForCutoffs, type CutoffTiming } from './leaver-runs';

export const DEFAULT_LEAVERS = 300;
export const DEFAULT_QUOTA_PER_MINUTE = 2400;
/** How often progress is sampled (leavers done, Google calls, 429s). */
const SAMPLE_MS = 15_000;

export interface LayoffSample {
  atMs: number;
  /** Leavers whose `lockout` steps have all succeeded. */
  leaversLockedOut: number;
  leaversDone: number;
  googleRequests: number;
  throttled: number;
}

export interface LayoffFigures {
  leavers: number;
  quotaPerMinute: number;
  workers: number;
  seedMs: number;
  /** Epoch ms of the first event sent: the layoff's time zero. */
  firstSentAt: number;
  /** From the first event sent to the last 202. */
  acceptMs: number;
  /** The mass-change guard: its threshold, how many ran at once and how many waited in quarantine. */
  threshold: number;
  windowMinutes: number;
  proceeded: number;
  held: number;
  /** The one release call: when it was sent (ms after the first event), how long it took, how many it released. */
  releaseAtMs: number;
  releaseMs: number;
  released: number;
  /** From the first event sent to the last cut-off step's finishedAt. */
  wallMs?: number;
  /** From the first event sent until every leaver's `lockout` steps had succeeded: the last leaver locked out. */
  lockoutWallMs?: number;
  /** Google requests sent for `lockout` steps (the budget's takes of that class, retries of a 429 included). */
  lockoutRequests: number;
  timedOut: boolean;
  timings: CutoffTiming[];
  googleRequests: number;
  throttled: number;
  samples: LayoffSample[];
  totalMs: number;
  /** Set when the Connect emulator throttled at Connect's documented rates and Connect calls took from a budget per API. */
  connect?: ConnectFigures;
}

/** Connect under its documented quota: what the layoff sent, what was refused, and the lockout steps' share per API. */
export interface ConnectFigures {
  /** Each API's rate in the emulator and in this process's budget of it, requests a second. */
  perSecond: number;
  requests: number;
  throttled: number;
  /** By API: requests the emulator answered (429s included) and refused. */
  byApi: Record<string, { requests: number; throttled: number }>;
  /** By API: requests the budget let out for `lockout` steps. */
  lockoutByApi: Record<string, number>;
  /** Tries of a Connect step beyond its first (a step that came back after leaving a budget's line included). */
  stepRetries: number;
  /** Requests that left a budget's line rather than wait past their limit: their steps answered "check again later". */
  budgetDeferrals: number;
}

/** The whole layoff's Connect floor: its busiest API's accepted requests at that API's rate. */
export const connectFloorMs = (c: ConnectFigures) => Math.max(0, ...Object.values(c.byApi).map((a) => ((a.requests - a.throttled) / c.perSecond) * 1000));

/** The lockout's Connect floor: its busiest API's lockout requests at that API's rate. */
export const connectLockoutFloorMs = (c: ConnectFigures) => Math.max(0, ...Object.values(c.lockoutByApi).map((n) => (n / c.perSecond) * 1000));

/** How the layoff's Google requests are budgeted; by default this process's bucket at the quota. */
export interface LayoffSetup {
  workers?: number;
  googleRequestsPerMinute?: number;
  googleBudget?: RuntimeOptions['googleBudget'];
  /** Terminates in flight at once while sending; all of them by default. */
  sendConcurrency?: number;
}

/** Connect's budgets per API at `perSecond`, each counting what it lets out by class. */
function countedConnectBudgets(perSecond: number): { budgets: ConnectBudgets; counted: Map<string, CountedBudget> } {
  const counted = new Map<string, CountedBudget>();
  const budgets = connectBudgets((name) => {
    const budget = new CountedBudget(new TokenBucket(perSecond * 60, undefined, undefined, name));
    counted.set(name.replace(/^connect\./, ''), budget);
    return budget;
  });
  return { budgets, counted };
}

/** A budget that counts what it lets out by class: how many of the layoff's Google requests served a lockout step. */
export class CountedBudget implements RequestBudget {
  readonly taken = new Map<RequestPriority | 'none', number>();
  constructor(private readonly inner: RequestBudget) {}
  /** Callers that left the line rather than wait past their limit (their step came back later). */
  gaveUp = 0;
  async take(priority?: RequestPriority, options?: TakeOptions): Promise<void> {
    const key = priority ?? 'none';
    try {
      await this.inner.take(priority, options);
    } catch (err) {
      if (err instanceof BudgetWaitTooLong) this.gaveUp += 1;
      throw err;
    }
    this.taken.set(key, (this.taken.get(key) ?? 0) + 1);
  }
}

/** `send` on every item, at most `limit` at once, answers in the items' order. */
async function inBatches<T, R>(items: T[], limit: number, send: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += limit) out.push(...(await Promise.all(items.slice(i, i + limit).map(send))));
  return out;
}

export async function measureLayoff(options: BenchOptions, setup: LayoffSetup = {}): Promise<LayoffFigures> {
  const started = performance.now();
  const leavers = options.leavers ?? DEFAULT_LEAVERS;
  const quotaPerMinute = options.quota ?? DEFAULT_QUOTA_PER_MINUTE;
  const workers = setup.workers ?? options.workers ?? loadStageConfig('local').dispatcherMaxConcurrency;
  // This process's bucket and the emulator's quota at the same figure, as a deployment sized to its quota would be.
  let counted: CountedBudget | undefined;
  const googleBudget: RuntimeOptions['googleBudget'] = (table, perMinute) => (counted = new CountedBudget(setup.googleBudget?.(table, perMinute) ?? new TokenBucket(perMinute)));
  // Connect at its documented quota: the emulator throttles each API, and this process takes from a budget per API at the same rate.
  const connectPerSecond = DEFAULT_CONNECT_REQUESTS_PER_SECOND;
  const connect = options.connectQuota === 'documented' ? countedConnectBudgets(connectPerSecond) : undefined;
  const rt = await startBenchRuntime({
    workerConcurrency: workers,
    googleRequestsPerMinute: setup.googleRequestsPerMinute ?? quotaPerMinute,
    googleBudget,
    ...(connect ? { connectBudgets: connect.budgets } : {}),
  });
  try {
    options.progress(`seeding ${count(leavers)} employees…`);
    let t = performance.now();
    const staff = seedStaff(rt.emulators, leavers, { prefix: 'layoff' });
    const seedMs = performance.now() - t;
    const faults = rt.emulators.google.faults;
    faults.setQuota(quotaPerMinute);
    const before = { requests: faults.requests, throttled: faults.throttled };
    if (connect) rt.emulators.connect.throttle.set('documented');

    options.progress(`${count(leavers)} urgent terminates at once, quota ${count(quotaPerMinute)}/min…`);
    const firstSentAt = Date.now();
    t = performance.now();
    const sent = await inBatches(staff, setup.sendConcurrency ?? staff.length, (e) => sendUrgentTerminate(rt, e, `layoff-${e.id}`, { mayBeHeld: true }));
    const acceptMs = performance.now() - t;
    // The layoff procedure: past the guard's threshold the rest wait; one release call naming the count sends them on.
    const held = sent.filter((s) => s.held).length;
    options.progress(`${count(sent.length - held)} leavers ran at once, ${count(held)} quarantined; releasing them…`);
    const releaseAtMs = Date.now() - firstSentAt;
    t = performance.now();
    const { released } = held ? await releaseQuarantine(rt, held) : { released: 0 };
    const releaseMs = performance.now() - t;

    const samples: LayoffSample[] = [];
    let nextSample = 0;
    const out = await waitForCutoffs(rt, sent, {
      pollMs: 1000,
      timeoutMs: 60 * 60_000,
      onPoll: (leaversDone, leaversLockedOut) => {
        const atMs = Date.now() - firstSentAt;
        if (atMs < nextSample && leaversDone < leavers) return;
        nextSample = atMs + SAMPLE_MS;
        const sample = { atMs, leaversLockedOut, leaversDone, googleRequests: faults.requests - before.requests, throttled: faults.throttled - before.throttled };
        samples.push(sample);
        options.progress(
          `${seconds(atMs)}: ${count(leaversLockedOut)} leavers locked out, ${count(leaversDone)} cut off, ${count(sample.googleRequests)} Google requests, ${count(sample.throttled)} throttled`,
        );
      },
    });
    const finished = out.timings.filter((x) => x.ms !== undefined);
    const wallMs = out.timedOut ? undefined : Math.max(...finished.map((x) => x.acceptedAt + x.ms! - firstSentAt));
    const lockedOut = out.timings.filter((x) => x.lockoutMs !== undefined);
    const lockoutWallMs = lockedOut.length < leavers ? undefined : Math.max(...lockedOut.map((x) => x.acceptedAt + x.lockoutMs! - firstSentAt));
    return {
      leavers,
      quotaPerMinute,
      workers,
      seedMs,
      firstSentAt,
      acceptMs,
      threshold: rt.engine.settings.massChange?.threshold ?? 0,
      windowMinutes: rt.engine.settings.massChange?.windowMinutes ?? 0,
      proceeded: sent.length - held,
      held,
      releaseAtMs,
      releaseMs,
      released,
      wallMs,
      lockoutWallMs,
      lockoutRequests: counted?.taken.get('lockout') ?? 0,
      timedOut: out.timedOut,
      timings: out.timings,
      googleRequests: faults.requests - before.requests,
      throttled: faults.throttled - before.throttled,
      samples,
      totalMs: performance.now() - started,
      ...(connect ? { connect: connectFigures(rt.emulators.connect.throttle, connect.counted, connectPerSecond, out.timings) } : {}),
    };
  } finally {
    await rt.stop();
  }
}

const CONNECT_STEP_IDS = new Set(CUTOFF_STEPS.filter((s) => s.action.startsWith('connect.')).map((s) => s.stepId));

function connectFigures(
  throttle: { requests: Map<string, number>; throttled: Map<string, number>; totals(): { requests: number; throttled: number } },
  counted: Map<string, CountedBudget>,
  perSecond: number,
  timings: CutoffTiming[],
): ConnectFigures {
  const byApi: ConnectFigures['byApi'] = {};
  for (const [api, requests] of throttle.requests) byApi[api] = { requests, throttled: throttle.throttled.get(api) ?? 0 };
  const lockoutByApi: Record<string, number> = {};
  for (const [api, budget] of counted) lockoutByApi[api] = budget.taken.get('lockout') ?? 0;
  const stepRetries = timings.reduce((n, t) => n + t.steps.filter((s) => CONNECT_STEP_IDS.has(s.stepId)).reduce((m, s) => m + Math.max(0, s.attempts - 1), 0), 0);
  const budgetDeferrals = [...counted.values()].reduce((n, b) => n + b.gaveUp, 0);
  return { perSecond, ...throttle.totals(), byApi, lockoutByApi, stepRetries, budgetDeferrals };
}

const minutes = (ms: number) => `${(ms / 60_000).toFixed(2)} min`;
export const stuckSteps = (f: LayoffFigures) => f.timings.flatMap((t) => t.needsAttention.map((id) => `${t.employeeId}/${id}`));
export const retries = (f: LayoffFigures) => f.timings.reduce((n, t) => n + t.steps.reduce((m, s) => m + Math.max(0, s.attempts - 1), 0), 0);
/** The quota's own floor: no schedule can make these calls faster than the quota lets them through. */
const lowerBoundMs = (requests: number, perMinute: number) => (requests / perMinute) * 60_000;

/** How close to the quota's floor the layoff must end, the quarantine and its release included. */
export const MAX_WALL_OVER_BOUND = 1.1;
/** How close to their own floor every leaver must be locked out. */
export const MAX_LOCKOUT_OVER_BOUND = 1.2;

/**
 * The lockout's floor: no schedule locks everyone out before the last event is accepted and released, nor before the
 * lockout steps' Google requests have passed the quota. Each alone is a true lower bound, so the larger one is.
 */
export const lockoutBoundMs = (f: LayoffFigures) =>
  Math.max(f.releaseAtMs + f.releaseMs, lowerBoundMs(f.lockoutRequests, f.quotaPerMinute), f.connect ? connectLockoutFloorMs(f.connect) : 0);

/**
 * The issue's estimate of that floor: the events accepted and released, plus the lockout requests at the quota. The
 * requests sent while events were still arriving count twice, so it lies above the true floor: printed, not checked.
 */
export const lockoutEstimateMs = (f: LayoffFigures) =>
  f.releaseAtMs + f.releaseMs + Math.max(lowerBoundMs(f.lockoutRequests, f.quotaPerMinute), f.connect ? connectLockoutFloorMs(f.connect) : 0);

/** The whole layoff's floor: its accepted Google requests at the quota, or Connect's busiest API at its rate, whichever is longer. */
export const wallBoundMs = (f: LayoffFigures) => Math.max(lowerBoundMs(f.googleRequests - f.throttled, f.quotaPerMinute), f.connect ? connectFloorMs(f.connect) : 0);

export function layoffChecks(f: LayoffFigures): Check[] {
  const cutOff = f.timings.filter((t) => t.steps.every((s) => s.status === 'succeeded')).length;
  const ratio = f.wallMs === undefined ? undefined : f.wallMs / wallBoundMs(f);
  const lockoutRatio = f.lockoutWallMs === undefined ? undefined : f.lockoutWallMs / lockoutBoundMs(f);
  return [
    {
      what: `the mass-change guard let the threshold run and held the rest, all released by one call`,
      ok: f.proceeded === Math.min(f.threshold, f.leavers) && f.released === f.held,
      seen: `${count(f.proceeded)} ran at once (threshold ${count(f.threshold)}), ${count(f.held)} quarantined, ${count(f.released)} released`,
    },
    // A smaller layoff spends a larger share of its time accepting events and starting up: the bound holds at full size.
    ...(f.leavers >= DEFAULT_LEAVERS
      ? [
          { what: `wall time within ${MAX_WALL_OVER_BOUND} × the quota's lower bound`, ok: ratio !== undefined && ratio <= MAX_WALL_OVER_BOUND, seen: ratio === undefined ? 'timed out' : ratio.toFixed(2) },
          {
            what: `every leaver locked out within ${MAX_LOCKOUT_OVER_BOUND} × the lockout's floor (the later of: the events accepted and released; the lockout steps' Google requests at the quota)`,
            ok: lockoutRatio !== undefined && lockoutRatio <= MAX_LOCKOUT_OVER_BOUND,
            seen: lockoutRatio === undefined ? 'not all locked out' : `${seconds(f.lockoutWallMs!)} ÷ ${seconds(lockoutBoundMs(f))} = ${lockoutRatio.toFixed(2)}`,
          },
        ]
      : []),
    // The layoff outgrows the quota: some calls were refused with 429 and waited out, none lost.
    ...(f.googleRequests > f.quotaPerMinute
      ? [{ what: 'the quota was hit and its 429s absorbed', ok: f.throttled > 0, seen: `${count(f.throttled)} of ${count(f.googleRequests)} Google calls answered 429` }]
      : []),
    { what: 'every cut-off step of every leaver succeeded', ok: !f.timedOut && cutOff === f.leavers, seen: `${count(cutOff)} of ${count(f.leavers)} leavers cut off${f.timedOut ? '; timed out' : ''}` },
    { what: 'no step in needs_attention', ok: stuckSteps(f).length === 0, seen: `${stuckSteps(f).length}${stuckSteps(f).length ? `: ${stuckSteps(f).slice(0, 5).join(', ')}` : ''}` },
  ];
}

export function layoffReport(f: LayoffFigures): BenchReport {
  const accepted = f.googleRequests - f.throttled;
  const bound = wallBoundMs(f);
  const perLeaver = f.googleRequests / f.leavers;
  const times = f.timings.flatMap((t) => (t.ms === undefined ? [] : [t.ms]));
  const lockoutTimes = f.timings.flatMap((t) => (t.lockoutMs === undefined ? [] : [t.lockoutMs]));
  const lockoutBound = lockoutBoundMs(f);
  const lastCounts = new Map<string, number>();
  for (const t of f.timings) if (t.ms !== undefined) lastCounts.set(lastStep(t).stepId, (lastCounts.get(lastStep(t).stepId) ?? 0) + 1);
  const facts: [string, string][] = [
    ['leavers', `${count(f.leavers)} urgent terminates sent at once (seeded like the sample's Ada in ${seconds(f.seedMs)}); all ${count(f.leavers)} accepted (202) within ${seconds(f.acceptMs)}`],
    [
      'mass-change guard',
      `threshold ${count(f.threshold)} per ${f.windowMinutes} minutes (the local stage's setting): ${count(f.proceeded)} ran at once, ${count(f.held)} were quarantined behind one alert; ` +
        `one release call naming ${count(f.held)} was sent ${seconds(f.releaseAtMs)} after the first event and answered in ${seconds(f.releaseMs)} (${count(f.released)} released)`,
    ],
    ['Google quota', `emulator quota ${count(f.quotaPerMinute)} requests per rolling minute (429 + Retry-After past it) and this process's token bucket at ${count(f.quotaPerMinute)}/min`],
    ...(f.connect
      ? ([
          [
            'Connect quota',
            `the emulator throttles each Connect API at ${f.connect.perSecond} requests a second with a burst of 5 (Connect's documented default), 429 ThrottlingException past it; ` +
              `every Connect request takes from this process's bucket for its API at ${f.connect.perSecond}/s, \`lockout\` first`,
          ],
          [
            'Connect',
            `${count(f.connect.requests)} requests (${(f.connect.requests / f.leavers).toFixed(1)} per leaver), ${count(f.connect.throttled)} answered 429, ${count(f.connect.stepRetries)} Connect step retries (${count(f.connect.budgetDeferrals)} of them coming back after leaving a budget's line); ` +
              `the lockout's Connect floor ${seconds(connectLockoutFloorMs(f.connect))}, the whole layoff's ${seconds(connectFloorMs(f.connect))}`,
          ],
        ] as [string, string][])
      : []),
    ['runtime', `the local runtime in one process, in memory; ${f.workers} queue workers; default playbooks (${CUTOFF_STEPS.length} cut-off steps per leaver)`],
    [
      'lockout steps',
      `${LOCKOUT_STEPS.length} per leaver (class \`lockout\`: ${LOCKOUT_STEPS.map((x) => x.stepId).join(', ')}), ${count(f.lockoutRequests)} Google requests in all (${(f.lockoutRequests / f.leavers).toFixed(1)} per leaver)`,
    ],
    ['per leaver', `${perLeaver.toFixed(1)} Google requests (incl. refused ones); time from its own 202 to cut off: p50 ${seconds(median(times))}, p95 ${seconds(percentile(times, 0.95))}, max ${seconds(Math.max(...times))}`],
    [
      'per leaver, locked out',
      `time from its own 202 until its lockout steps succeeded: p50 ${seconds(median(lockoutTimes))}, p95 ${seconds(percentile(lockoutTimes, 0.95))}, max ${seconds(Math.max(...lockoutTimes))}`,
    ],
    [
      "the issue's estimate of the lockout floor",
      `release answered + lockout requests at the quota: ${seconds(lockoutEstimateMs(f))}, every leaver locked out at ${f.lockoutWallMs === undefined ? '—' : `${(f.lockoutWallMs / lockoutEstimateMs(f)).toFixed(2)} × it`} (above the true floor: requests sent while events arrived count twice)`,
    ],
    ['step that finished last, per leaver', [...lastCounts].sort((a, b) => b[1] - a[1]).map(([id, n]) => `${id} ${n}`).join(', ')],
    ['whole benchmark', seconds(f.totalMs)],
  ];
  if (f.leavers !== DEFAULT_LEAVERS) {
    const scaled = (perLeaver * DEFAULT_LEAVERS) / f.quotaPerMinute;
    facts.push([
      `EXTRAPOLATED to ${DEFAULT_LEAVERS} leavers (not measured)`,
      `${count(Math.round(perLeaver * DEFAULT_LEAVERS))} Google requests → a quota lower bound of about ${scaled.toFixed(2)} min; ` +
        `at this run's ratio of wall time to bound (${f.wallMs !== undefined ? (f.wallMs / bound).toFixed(2) : '—'}) about ${f.wallMs !== undefined ? `${((scaled * f.wallMs) / bound).toFixed(1)} min` : '—'}`,
    ]);
  }
  return {
    title: `Layoff: ${count(f.leavers)} urgent leavers at once, Google quota ${count(f.quotaPerMinute)}/min${f.connect ? `, Connect at its documented ${f.connect.perSecond}/s per API` : ''}`,
    facts,
    tables: [
      {
        columns: [
          'leavers',
          'wall time until every leaver locked out',
          `lockout floor (the later of: release answered; ${count(f.lockoutRequests)} lockout requests ÷ ${count(f.quotaPerMinute)}/min)`,
          'lockout ÷ floor',
          'wall time to every cut-off step succeeded',
          'Google requests',
          'throttled (429)',
          'step retries',
          'needs_attention',
          f.connect ? `lower bound (${count(accepted)} accepted Google requests ÷ ${count(f.quotaPerMinute)}/min, or Connect's busiest API ÷ ${f.connect.perSecond}/s)` : `quota lower bound (${count(accepted)} accepted requests ÷ ${count(f.quotaPerMinute)}/min)`,
          'wall ÷ bound',
        ],
        rows: [
          [
            count(f.leavers),
            f.lockoutWallMs === undefined ? 'not all' : seconds(f.lockoutWallMs),
            seconds(lockoutBound),
            f.lockoutWallMs === undefined ? '—' : (f.lockoutWallMs / lockoutBound).toFixed(2),
            f.wallMs === undefined ? 'timed out' : `${seconds(f.wallMs)} (${minutes(f.wallMs)})`,
            count(f.googleRequests),
            count(f.throttled),
            count(retries(f)),
            count(stuckSteps(f).length),
            minutes(bound),
            f.wallMs === undefined ? '—' : (f.wallMs / bound).toFixed(2),
          ],
        ],
      },
      {
        columns: ['cut-off step', 'done after first event sent: p50', 'p95', 'last leaver'],
        rows: CUTOFF_STEPS.map(({ stepId, action }) => {
          const done = f.timings.flatMap((t) => {
            const step = t.steps.find((s) => s.stepId === stepId);
            return step?.doneMs === undefined ? [] : [t.acceptedAt - f.firstSentAt + step.doneMs];
          });
          return [`${stepId} (\`${action}\`)`, seconds(median(done)), seconds(percentile(done, 0.95)), seconds(Math.max(...done))];
        }),
      },
      samplesTable(f.samples),
      ...(f.connect ? [connectTable(f.connect)] : []),
    ],
    checks: layoffChecks(f),
  };
}

/** Connect per API: requests, 429s, and what the lockout steps took. */
export function connectTable(c: ConnectFigures): ResultTable {
  const apis = [...new Set([...Object.keys(c.byApi), ...Object.keys(c.lockoutByApi)])].sort();
  return {
    columns: ['Connect API', 'requests', 'throttled (429)', 'for lockout steps', `floor at ${c.perSecond}/s`],
    rows: apis.map((api) => {
      const a = c.byApi[api] ?? { requests: 0, throttled: 0 };
      return [api, count(a.requests), count(a.throttled), count(c.lockoutByApi[api] ?? 0), seconds(((a.requests - a.throttled) / c.perSecond) * 1000)];
    }),
  };
}

/** The run over time: leavers locked out, leavers cut off, and the Google requests. */
export function samplesTable(samples: LayoffSample[]): ResultTable {
  return {
    columns: ['after first event sent', 'leavers locked out', 'leavers cut off', 'Google requests', 'throttled (429)', 'requests/min since previous row'],
    rows: samples.map((s, i) => {
      const prev = samples[i - 1] ?? { atMs: 0, googleRequests: 0 };
      const rate = s.atMs > prev.atMs ? ((s.googleRequests - prev.googleRequests) / (s.atMs - prev.atMs)) * 60_000 : NaN;
      return [seconds(s.atMs), count(s.leaversLockedOut), count(s.leaversDone), count(s.googleRequests), count(s.throttled), Number.isFinite(rate) ? count(Math.round(rate)) : '—'];
    }),
  };
}

export const layoffBenchmark: Benchmark = {
  name: 'layoff',
  run: async (options) => layoffReport(await measureLayoff(options)),
};
