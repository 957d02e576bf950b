/**
 * Benchmark: time to revoke. From the 202 of an urgent terminate until the leaver is locked out (its `lockout` steps
 * succeeded) and until every cut-off step has succeeded, for leavers sent one after another and then all at once,
 * through the whole local runtime and emulators.
 */
import { performance } from 'node:perf_hooks';
import { loadStageConfig } from '../config/stages';
import { seedStaff } from '../local/emulators/seed-staff';
import type { Runtime } from '../local/runtime';
import { count, seconds, type BenchOptions, type BenchReport, type Benchmark, type Check } from './report';
import { CUTOFF_STEPS, LOCKOUT_STEPS, lastStep, median, percentile, sendUrgentTerminate, startBenchRuntime, waitForCutoffs, type CutoffTiming } from './leaver-runs';

/** The target: an urgent leaver's access is cut within this long of HR's call being accepted. */
export const TARGET_MS = 5000;
export const DEFAULT_LEAVERS = 20;
/** The targets for the lockout alone: one urgent leaver locked out within this long of its 202 (p95)… */
export const LOCKOUT_TARGET_ONE_MS = 500;
/** …and each of 20 sent at once. */
export const LOCKOUT_TARGET_AT_ONCE_MS = 5000;
/** One urgent leaver: every cut-off step succeeded within this long of its 202 (p95). */
export const CUTOFF_TARGET_ONE_MS = 2000;

/** The local Google budget's burst at a rate: what the bucket holds when full (rate-limited-fetch's TokenBucket). */
const burstOf = (perMinute: number) => Math.max(1, Math.ceil(perMinute / 60));

export interface RevokeRound {
  label: string;
  timings: CutoffTiming[];
  timedOut: boolean;
  googleRequests: number;
  throttled: number;
  /** One after another: the first leaver after the runtime started, sent before the counted ones and not counted. */
  warmUp?: CutoffTiming;
  /** Google requests made from the round's start until every leaver was locked out. */
  requestsUntilLockedOut?: number;
  ms: number;
}

export interface TimeToRevokeFigures {
  leavers: number;
  workers: number;
  googlePerMinute: number;
  sequential: RevokeRound;
  /** One after another with no pause: each leaver meets the budget the previous one emptied (no check, for comparison). */
  backToBack: RevokeRound;
  atOnce: RevokeRound;
  totalMs: number;
}

/** How a round sends its leavers: one at a time on a quiet system, one right after another, or all together. */
type Pacing = 'quiet' | 'back-to-back' | 'at-once';

async function round(rt: Runtime, label: string, prefix: string, leavers: number, pacing: Pacing, options: BenchOptions, googlePerMinute: number): Promise<RevokeRound> {
  const staff = seedStaff(rt.emulators, leavers, { prefix });
  const faults = rt.emulators.google.faults;
  const before = { requests: faults.requests, throttled: faults.throttled };
  const started = performance.now();
  const timings: CutoffTiming[] = [];
  let timedOut = false;
  let requestsUntilLockedOut: number | undefined;
  let warmUp: CutoffTiming | undefined;
  if (pacing === 'at-once') {
    const sent = await Promise.all(staff.map((e) => sendUrgentTerminate(rt, e, `${prefix}-${e.id}`)));
    const out = await waitForCutoffs(rt, sent, {
      pollMs: 20,
      timeoutMs: 600_000,
      onPoll: (_settled, lockedOut) => {
        if (lockedOut === sent.length) requestsUntilLockedOut ??= faults.requests - before.requests;
      },
    });
    timings.push(...out.timings);
    timedOut = out.timedOut;
  } else {
    // Quiet: each leaver is sent once the previous one is cut off and the Google budget has refilled. Back to back:
    // at once after the previous one is cut off, when its cut-off steps (about two buckets' worth) have emptied the
    // budget, so each leaver waits for the last one's requests.
    const gapMs = pacing === 'quiet' ? (burstOf(googlePerMinute) / googlePerMinute) * 60_000 : 0;
    if (pacing === 'quiet') {
      // The first leaver after start pays the process's warm-up (first token of each scope, code compiled on first
      // use): it is sent first and reported on its own, so the counted leavers are each measured warm.
      const [first] = seedStaff(rt.emulators, 1, { prefix: `${prefix}w` });
      warmUp = (await waitForCutoffs(rt, [await sendUrgentTerminate(rt, first, `${prefix}w-${first.id}`)], { pollMs: 25, timeoutMs: 120_000 })).timings[0];
      before.requests = faults.requests;
      before.throttled = faults.throttled;
    }
    for (const [i, e] of staff.entries()) {
      if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      const sent = await sendUrgentTerminate(rt, e, `${prefix}-${e.id}`);
      const out = await waitForCutoffs(rt, [sent], { pollMs: 25, timeoutMs: 120_000 });
      timings.push(...out.timings);
      timedOut ||= out.timedOut;
      options.progress(`${label}: leaver ${i + 1}/${leavers} ${out.timings[0].ms === undefined ? 'timed out' : seconds(out.timings[0].ms)}`);
    }
  }
  return { label, timings, timedOut, googleRequests: faults.requests - before.requests, throttled: faults.throttled - before.throttled, ...(requestsUntilLockedOut === undefined ? {} : { requestsUntilLockedOut }), ...(warmUp ? { warmUp } : {}), ms: performance.now() - started };
}

export async function measureTimeToRevoke(options: BenchOptions): Promise<TimeToRevokeFigures> {
  const started = performance.now();
  const leavers = options.leavers ?? DEFAULT_LEAVERS;
  const stage = loadStageConfig('local');
  const workers = options.workers ?? stage.dispatcherMaxConcurrency;
  // What this process allows itself against Google: the stage's own figure, as deployed.
  const googlePerMinute = stage.google.requestsPerMinute;
  // Every round's leavers and the warm-up one are expected: the mass-change threshold is raised so none waits in quarantine.
  const rt = await startBenchRuntime({
    workerConcurrency: workers,
    googleRequestsPerMinute: googlePerMinute,
    settings: { massChange: { threshold: 3 * leavers + 1, windowMinutes: 60 } },
  });
  try {
    options.progress(`${leavers} leavers one after another…`);
    const sequential = await round(rt, 'one after another', 'ttrseq', leavers, 'quiet', options, googlePerMinute);
    options.progress(`${leavers} leavers back to back…`);
    const backToBack = await round(rt, 'back to back', 'ttrb2b', leavers, 'back-to-back', options, googlePerMinute);
    options.progress(`${leavers} leavers at once…`);
    const atOnce = await round(rt, 'all at once', 'ttrall', leavers, 'at-once', options, googlePerMinute);
    options.progress(`all at once: ${seconds(atOnce.ms)}`);
    return { leavers, workers, googlePerMinute, sequential, backToBack, atOnce, totalMs: performance.now() - started };
  } finally {
    await rt.stop();
  }
}

const times = (r: RevokeRound) => r.timings.flatMap((t) => (t.ms === undefined ? [] : [t.ms]));
const lockoutTimes = (r: RevokeRound) => r.timings.flatMap((t) => (t.lockoutMs === undefined ? [] : [t.lockoutMs]));
const stuck = (r: RevokeRound) => r.timings.flatMap((t) => t.needsAttention.map((id) => `${t.employeeId}/${id}`));
const allSucceeded = (r: RevokeRound) => !r.timedOut && r.timings.every((t) => t.steps.every((s) => s.status === 'succeeded'));
/**
 * The all-at-once lockout's floor at this budget: the Google requests made until every leaver was locked out, less the
 * full bucket the round starts with, at the budget's rate. No ordering can lock the last leaver out sooner.
 */
export const lockoutFloorMs = (r: RevokeRound, perMinute: number) =>
  r.requestsUntilLockedOut === undefined ? NaN : (Math.max(0, r.requestsUntilLockedOut - burstOf(perMinute)) / perMinute) * 60_000;
const retried = (r: RevokeRound) => r.timings.reduce((n, t) => n + t.steps.reduce((m, s) => m + Math.max(0, s.attempts - 1), 0), 0);

export function timeToRevokeChecks(f: TimeToRevokeFigures): Check[] {
  const seq = times(f.sequential);
  return [
    ...[f.sequential, f.atOnce].map((r) => ({
      what: `${r.label}: every cut-off step of every leaver succeeded, none in needs_attention`,
      ok: allSucceeded(r) && stuck(r).length === 0,
      seen: `${r.timings.filter((t) => t.steps.every((s) => s.status === 'succeeded')).length} of ${f.leavers} leavers cut off; ${stuck(r).length} steps in needs_attention${r.timedOut ? '; timed out' : ''}`,
    })),
    {
      what: `one after another: p95 time to revoke under ${seconds(TARGET_MS)}`,
      ok: seq.length === f.leavers && percentile(seq, 0.95) < TARGET_MS,
      seen: `p50 ${seconds(median(seq))}, p95 ${seconds(percentile(seq, 0.95))}`,
    },
    {
      what: `one after another: p95 time until every cut-off step succeeded under ${seconds(CUTOFF_TARGET_ONE_MS)}`,
      ok: seq.length === f.leavers && percentile(seq, 0.95) < CUTOFF_TARGET_ONE_MS,
      seen: `p95 ${seconds(percentile(seq, 0.95))}`,
    },
    ...([
      [f.sequential, LOCKOUT_TARGET_ONE_MS],
      [f.atOnce, LOCKOUT_TARGET_AT_ONCE_MS],
    ] as const).map(([r, target]) => {
      const t = lockoutTimes(r);
      return {
        what: `${r.label}: p95 time to lockout under ${seconds(target)}`,
        ok: t.length === f.leavers && percentile(t, 0.95) < target,
        seen: `p50 ${seconds(median(t))}, p95 ${seconds(percentile(t, 0.95))}${r === f.atOnce ? `; the budget's floor for the ${count(r.requestsUntilLockedOut ?? NaN)} requests made until all were locked out: ${seconds(lockoutFloorMs(r, f.googlePerMinute))}` : ''}`,
      };
    }),
  ];
}

export function timeToRevokeReport(f: TimeToRevokeFigures): BenchReport {
  const summary = (r: RevokeRound) => {
    const t = times(r);
    const l = lockoutTimes(r);
    return [
      `${r.label} (${f.leavers})`,
      seconds(median(l)),
      seconds(percentile(l, 0.95)),
      seconds(Math.max(...l)),
      seconds(median(t)),
      seconds(percentile(t, 0.95)),
      seconds(Math.max(...t)),
      count(r.googleRequests),
      count(r.throttled),
      count(retried(r)),
      count(stuck(r).length),
    ];
  };
  const cell = (t: CutoffTiming | undefined) => (t?.ms === undefined ? '—' : seconds(t.ms));
  const lockoutCell = (t: CutoffTiming | undefined) => (t?.lockoutMs === undefined ? '—' : seconds(t.lockoutMs));
  const lastCell = (t: CutoffTiming | undefined) => {
    if (!t || t.ms === undefined) return '—';
    const s = lastStep(t);
    return `${s.stepId} (started ${seconds(s.startMs ?? 0)}, ran ${seconds((s.doneMs ?? 0) - (s.startMs ?? 0))})`;
  };
  const perStep = CUTOFF_STEPS.map(({ stepId, action }) => {
    const of = f.sequential.timings.map((t) => t.steps.find((s) => s.stepId === stepId)!).filter((s) => s.doneMs !== undefined);
    const lastCount = f.sequential.timings.filter((t) => t.ms !== undefined && lastStep(t).stepId === stepId).length;
    return [
      `${stepId} (\`${action}\`)`,
      seconds(median(of.map((s) => s.startMs ?? 0))),
      seconds(median(of.map((s) => (s.doneMs ?? 0) - (s.startMs ?? 0)))),
      seconds(median(of.map((s) => s.doneMs ?? 0))),
      count(lastCount),
    ];
  });
  return {
    title: `Time to revoke: ${f.leavers} urgent leavers, one after another and all at once`,
    facts: [
      ['what is timed', 'from the 202 of the signed urgent terminate to the finishedAt of the last of its cut-off steps (the steps\' own timestamps, same clock)'],
      ['cut-off steps', `${CUTOFF_STEPS.length} of the default terminate playbook: ${CUTOFF_STEPS.map((s) => s.stepId).join(', ')}`],
      ['lockout', `the ${LOCKOUT_STEPS.length} cut-off steps of class \`lockout\` (${LOCKOUT_STEPS.map((s) => s.stepId).join(', ')}): time to lockout is from the 202 to the last of them succeeded`],
      ['runtime', `the local runtime in one process, in memory (store, queues, emulators); ${f.workers} queue workers (local stage dispatcherMaxConcurrency), batches of 10, up to 10 records at once; a leaver's lockout steps side by side, its other steps one after another`],
      ['Google budget', `this process's token bucket at ${count(f.googlePerMinute)} requests/min (stage setting; burst ${burstOf(f.googlePerMinute)}); no emulator quota; one after another, each leaver is sent once the bucket has refilled, after one warm-up leaver that is not counted; back to back, each the moment the previous one is cut off (no check: for comparison)`],
      ['all at once: lockout floor', `${count(f.atOnce.requestsUntilLockedOut ?? NaN)} Google requests until every leaver was locked out, less the burst, at the budget's rate: ${seconds(lockoutFloorMs(f.atOnce, f.googlePerMinute))}`],
      ['Google requests per leaver', `${(f.sequential.googleRequests / f.leavers).toFixed(1)} (one after another)`],
      ['whole benchmark', seconds(f.totalMs)],
    ],
    tables: [
      {
        columns: ['leavers sent', 'lockout p50', 'lockout p95', 'lockout max', 'cut-off p50', 'cut-off p95', 'cut-off max', 'Google requests', 'throttled (429)', 'step retries', 'needs_attention'],
        rows: [summary(f.sequential), summary(f.backToBack), summary(f.atOnce)],
      },
      {
        columns: ['leaver', 'one after another: locked out', 'cut off', 'step that finished last', 'all at once: locked out', 'cut off', 'step that finished last'],
        rows: [
          ...(f.sequential.warmUp ? [['warm-up (not counted)', lockoutCell(f.sequential.warmUp), cell(f.sequential.warmUp), lastCell(f.sequential.warmUp), '', '', '']] : []),
          ...f.sequential.timings.map((t, i) => [String(i + 1), lockoutCell(t), cell(t), lastCell(t), lockoutCell(f.atOnce.timings[i]), cell(f.atOnce.timings[i]), lastCell(f.atOnce.timings[i])]),
        ],
      },
      {
        columns: ['cut-off step, one after another', 'median start after 202', 'median run time', 'median done after 202', 'times last'],
        rows: perStep,
      },
    ],
    checks: timeToRevokeChecks(f),
  };
}

export const timeToRevokeBenchmark: Benchmark = {
  name: 'time-to-revoke',
  run: async (options) => timeToRevokeReport(await measureTimeToRevoke(options)),
};
