/** Benchmark: items the real sweep reads to find the due runs, against a Scan-based sweep, on one seeded embedded table. */
import { performance } from 'node:perf_hooks';
import { playbooks } from '../config/playbooks';
import { loadStageConfig } from '../config/stages';
import type { EngineDeps } from '../lambdas/engine/ports';
import { noMetrics, silentLog } from '../lambdas/engine/ports';
import { sweep, type SweepReport } from '../lambdas/engine/sweep';
import { actionCatalog } from '../lambdas/handlers/engine-deps';
import { engineSettingsFromEnv } from '../lambdas/shared/settings';
import { createDocumentClient, DynamoStore } from '../lambdas/store/dynamo-store';
import type { LifecycleStore } from '../lambdas/store/lifecycle-store';
import { LOCAL_AWS, startEmbeddedStore } from '../local/embedded-store';
import { LocalQueue, LocalStepQueue } from '../local/local-queue';
import { count, ratio, seconds, type BenchOptions, type BenchReport, type Benchmark, type Check } from './report';
import { describeRequests, RequestCounter, totalRequests, type RequestCounts } from './request-counter';
import { countItems, scanSweep } from './scan-sweep';
import { planSeed, stepsDueAt, writeSeed } from './seed-runs';

/** The sweep's target: items read per item due. */
export const MAX_READ_RATIO = 1.1;

/** The instant of the measured sweep: 02:00 UTC, when the dev and prod sweeps run. Fixed, so runs repeat exactly. */
const SWEEP_AT = new Date('2026-03-02T02:00:00.000Z');
/** The second sweep comes this soon after the first: well inside requeueAfterSeconds. */
const AGAIN_AFTER_SECONDS = 60;
const TABLE_NAME = 'bench-lifecycle';

export interface SweepFigures extends SweepReport {
  /** Seconds after the first sweep that this one ran at (clock time, not wall time). */
  atSeconds: number;
  messagesSent: number;
  requests: RequestCounts;
  ms: number;
}

export interface SweepCostFigures {
  runs: number;
  due: number;
  tableItems: number;
  dueShards: number;
  requeueAfterSeconds: number;
  sweepAt: string;
  seed: { ms: number; itemsWritten: number; runsCreated: number; runsInDueIndex: number; requests: RequestCounts };
  /** Runs whose planned wake-up is at or before the sweep, from the planned runs themselves. */
  plannedDue: number;
  /** Steps the first sweep must queue, from the planned runs. */
  expectedSteps: number;
  first: SweepFigures;
  /** Messages of the first sweep that are not exactly the expected (run, step) pairs, plus expected ones missing. */
  messageMismatches: number;
  /** The index queries alone, before the sweep: the like-for-like time against the Scan. */
  find: { itemsRead: number; runsDue: number; requests: RequestCounts; ms: number };
  scan: { itemsRead: number; runsDue: number; pages: number; sameRunsAsExpected: boolean; requests: RequestCounts; ms: number };
  again: SweepFigures;
  requeue: SweepFigures;
  totalMs: number;
}

/** Finding only: the sweep's own queryDue calls over every shard, without the updates that follow; timed against the Scan. */
async function findThroughIndex(store: LifecycleStore, dueShards: number, now: Date) {
  let itemsRead = 0;
  let runsDue = 0;
  for (let shard = 0; shard < dueShards; shard++) {
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await store.queryDue(shard, now.toISOString(), cursor);
      itemsRead += page.itemsRead;
      runsDue += page.runs.length;
      cursor = page.cursor;
    } while (cursor);
  }
  return { itemsRead, runsDue };
}

const key = (m: { runId: string; stepId: string }) => `${m.runId}/${m.stepId}`;

/** Seeds a fresh in-memory table, then runs the Scan-based sweep and the real sweep three times over it. */
export async function measureSweepCost(options: BenchOptions): Promise<SweepCostFigures> {
  const started = performance.now();
  const settings = engineSettingsFromEnv(loadStageConfig('local'));
  const embedded = await startEmbeddedStore({ tableName: TABLE_NAME });
  try {
    const doc = createDocumentClient({ ...LOCAL_AWS, endpoint: embedded.endpoint });
    const counter = new RequestCounter().attach(doc);
    const store = new DynamoStore(doc, TABLE_NAME);
    const steps = new LocalQueue({ name: 'bench-steps', visibilityTimeoutSeconds: 30 });
    let now = SWEEP_AT;
    const deps: EngineDeps = {
      store,
      queue: new LocalStepQueue(steps),
      invoker: { invoke: () => Promise.reject(new Error('the sweep invokes no action')) },
      actions: actionCatalog,
      alerts: { publish: () => Promise.reject(new Error('the sweep raises no alert')) },
      clock: { now: () => now },
      settings,
      playbooks,
      log: silentLog,
      metrics: noMetrics,
    };

    const seeds = planSeed(options.runs, options.due, SWEEP_AT, playbooks, settings);
    const dueSeeds = seeds.filter((s) => s.run.dueAt !== undefined && s.run.dueAt <= SWEEP_AT.toISOString());
    const expected = new Set(dueSeeds.flatMap((s) => stepsDueAt(s.run, SWEEP_AT).map((stepId) => key({ runId: s.run.runId, stepId }))));
    const expectedRunIds = new Set(dueSeeds.map((s) => s.run.runId));

    options.progress(`seeding ${count(options.runs)} runs (${count(options.due)} due), ${options.concurrency} writes in flight…`);
    let mark = counter.snapshot();
    let t = performance.now();
    const seeded = await writeSeed(store, seeds, options.concurrency);
    const seed = {
      ms: performance.now() - t,
      itemsWritten: seeded.items,
      runsCreated: seeded.runsCreated,
      runsInDueIndex: seeds.filter((s) => s.run.dueShard !== undefined).length,
      requests: counter.since(mark),
    };
    options.progress(`seeded ${count(seeded.items)} items in ${seconds(seed.ms)}`);
    const tableItems = await countItems(doc, TABLE_NAME);

    options.progress('Scan-based sweep…');
    mark = counter.snapshot();
    t = performance.now();
    const scanned = await scanSweep(doc, TABLE_NAME, SWEEP_AT);
    const scan = {
      itemsRead: scanned.itemsRead,
      runsDue: scanned.runsDue,
      pages: scanned.pages,
      sameRunsAsExpected: scanned.runIds.length === expectedRunIds.size && scanned.runIds.every((id) => expectedRunIds.has(id)),
      requests: counter.since(mark),
      ms: performance.now() - t,
    };

    mark = counter.snapshot();
    t = performance.now();
    const found = await findThroughIndex(store, settings.dueShards, SWEEP_AT);
    const find = { ...found, requests: counter.since(mark), ms: performance.now() - t };

    const measure = async (atSeconds: number): Promise<SweepFigures> => {
      now = new Date(SWEEP_AT.getTime() + atSeconds * 1000);
      const before = counter.snapshot();
      const messagesBefore = steps.peek().length;
      const begun = performance.now();
      const report = await sweep(deps);
      return { ...report, atSeconds, messagesSent: steps.peek().length - messagesBefore, requests: counter.since(before), ms: performance.now() - begun };
    };

    options.progress('sweep (due index)…');
    const first = await measure(0);
    const sent = steps.peek().map((m) => key(JSON.parse(m.body) as { runId: string; stepId: string }));
    const messageMismatches = sent.filter((k) => !expected.has(k)).length + [...expected].filter((k) => !sent.includes(k)).length;
    const again = await measure(AGAIN_AFTER_SECONDS);
    const requeue = await measure(settings.requeueAfterSeconds + 1);

    return {
      runs: options.runs,
      due: options.due,
      tableItems,
      dueShards: settings.dueShards,
      requeueAfterSeconds: settings.requeueAfterSeconds,
      sweepAt: SWEEP_AT.toISOString(),
      seed,
      plannedDue: dueSeeds.length,
      expectedSteps: expected.size,
      first,
      messageMismatches,
      find,
      scan,
      again,
      requeue,
      totalMs: performance.now() - started,
    };
  } finally {
    await embedded.stop();
  }
}

const withinRatio = (read: number, due: number) => (due === 0 ? read === 0 : read / due <= MAX_READ_RATIO);

export function sweepCostChecks(f: SweepCostFigures): Check[] {
  return [
    { what: `every seeded run was created`, ok: f.seed.runsCreated === f.runs, seen: `${count(f.seed.runsCreated)} of ${count(f.runs)}` },
    { what: `the seed plans ${count(f.due)} due runs`, ok: f.plannedDue === f.due, seen: `${count(f.plannedDue)} planned due` },
    { what: `the sweep finds every due run`, ok: f.first.runsDue === f.due, seen: `${count(f.first.runsDue)} found` },
    {
      what: `the sweep reads at most ${MAX_READ_RATIO} items per item due`,
      ok: withinRatio(f.first.itemsRead, f.due),
      seen: `${count(f.first.itemsRead)} read for ${count(f.due)} due: ${ratio(f.first.itemsRead, f.due)}`,
    },
    {
      what: `the sweep queues the ${count(f.expectedSteps)} due steps, without failures`,
      ok: f.first.stepsQueued === f.expectedSteps && f.first.failures === 0,
      seen: `${count(f.first.stepsQueued)} queued, ${f.first.failures} failures`,
    },
    {
      what: 'the queue holds one message per due step and nothing else',
      ok: f.first.messagesSent === f.expectedSteps && f.messageMismatches === 0,
      seen: `${count(f.first.messagesSent)} messages, ${f.messageMismatches} not matching`,
    },
    { what: 'the Scan-based sweep finds the same runs', ok: f.scan.sameRunsAsExpected, seen: `${count(f.scan.runsDue)} found` },
    {
      what: `a sweep ${f.again.atSeconds} s later reads nothing and queues nothing`,
      ok: f.again.itemsRead === 0 && f.again.stepsQueued === 0,
      seen: `${count(f.again.itemsRead)} read, ${count(f.again.stepsQueued)} queued`,
    },
    {
      what: `after requeueAfterSeconds (${f.requeueAfterSeconds} s) the quiet steps are queued again, at the same cost`,
      ok: f.requeue.stepsQueued === f.expectedSteps && withinRatio(f.requeue.itemsRead, f.due),
      seen: `${count(f.requeue.itemsRead)} read, ${count(f.requeue.stepsQueued)} queued`,
    },
  ];
}

/** Items a sweep read in all: the index pages plus the run it reads again (GetItem) before each update. */
const allItemsRead = (s: SweepFigures) => s.itemsRead + (s.requests.GetItem ?? 0);

export function sweepCostReport(f: SweepCostFigures): BenchReport {
  const at = (s: number) => (s === 0 ? 'T' : `T + ${s} s`);
  const sweepRow = (label: string, s: SweepFigures) => [
    label,
    at(s.atSeconds),
    count(s.itemsRead),
    count(s.runsDue),
    ratio(s.itemsRead, s.runsDue),
    count(s.stepsQueued),
    seconds(s.ms),
  ];
  return {
    title: `Sweep cost: ${count(f.runs)} runs, ${count(f.due)} due`,
    facts: [
      ['table', `${count(f.tableItems)} items: per run its event record, employee profile, run item, run pointer and one audit line`],
      ['due index', `${count(f.seed.runsInDueIndex)} of ${count(f.runs)} runs carry dueShard/dueAt (every run waits on a time); ${count(f.plannedDue)} are due at T`],
      ['settings', `stage local: dueShards ${f.dueShards}, requeueAfterSeconds ${f.requeueAfterSeconds}`],
      ['T', `${f.sweepAt} (fixed clock)`],
      [
        'seeding',
        `${seconds(f.seed.ms)} for ${count(f.seed.itemsWritten)} items (${describeRequests(f.seed.requests)}; ` +
          `${count(Math.round(totalRequests(f.seed.requests) / (f.seed.ms / 1000)))} requests/s)`,
      ],
      ['whole benchmark', seconds(f.totalMs)],
    ],
    tables: [
      {
        columns: ['sweep', 'clock', 'items read', 'runs due', 'read / due', 'steps queued', 'time'],
        rows: [
          sweepRow('due-index sweep (`sweep`)', f.first),
          ['due index, finding only (`queryDue` per shard)', at(0), count(f.find.itemsRead), count(f.find.runsDue), ratio(f.find.itemsRead, f.find.runsDue), '—', seconds(f.find.ms)],
          ['Scan-based sweep (`bench/scan-sweep.ts`)', at(0), count(f.scan.itemsRead), count(f.scan.runsDue), ratio(f.scan.itemsRead, f.scan.runsDue), '—', seconds(f.scan.ms)],
          sweepRow('due-index sweep, again', f.again),
          sweepRow('due-index sweep, after requeueAfterSeconds', f.requeue),
        ],
      },
      {
        columns: ['sweep', 'DynamoDB requests', 'items read incl. GetItem before each update'],
        rows: [
          ['due-index sweep (`sweep`)', describeRequests(f.first.requests), count(allItemsRead(f.first))],
          ['due index, finding only', describeRequests(f.find.requests), count(f.find.itemsRead)],
          ['Scan-based sweep (finding only)', describeRequests(f.scan.requests), count(f.scan.itemsRead)],
          ['due-index sweep, again', describeRequests(f.again.requests), count(allItemsRead(f.again))],
          ['due-index sweep, after requeueAfterSeconds', describeRequests(f.requeue.requests), count(allItemsRead(f.requeue))],
        ],
      },
    ],
    checks: sweepCostChecks(f),
  };
}

export const sweepCostBenchmark: Benchmark = {
  name: 'sweep-cost',
  run: async (options) => sweepCostReport(await measureSweepCost(options)),
};
