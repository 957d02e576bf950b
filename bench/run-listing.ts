/**
 * Benchmark: the operator console's Runs page with 10,000 runs in the table. `GET /v1/runs` with each of the page's
 * filters, through the local runtime's API over HTTP with an operator token: the first page and a walk of the next
 * ones, repeated, with the DynamoDB queries and items each page cost, beside floors measured in the same run.
 */
import { performance } from 'node:perf_hooks';
import { QueryCommand, GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { playbooks } from '../config/playbooks';
import { loadStageConfig } from '../config/stages';
import { MAX_QUERIES_PER_PAGE, RUN_PAGE } from '../lambdas/engine/run-listing';
import { engineSettingsFromEnv } from '../lambdas/shared/settings';
import { keys, TABLE } from '../lambdas/store/table-schema';
import { LOCAL_DEFAULTS } from '../config/local-defaults';
import type { Runtime } from '../local/runtime';
import { OPERATOR_TOKEN, percentile, startBenchRuntime } from './leaver-runs';
import { count, seconds, type BenchOptions, type BenchReport, type Benchmark, type Check } from './report';
import { RequestCounter } from './request-counter';
import { dayRange, planListingSeed } from './run-listing-seed';
import { writeSeed, type PlannedSeed } from './seed-runs';

/** The listing's instant: the seed's "now" (the runtime's clock plays no part in a listing). */
const NOW = new Date('2026-12-01T12:00:00.000Z');
/** Each case is listed this many times over; the first round warms the process and is not counted. */
export const DEFAULT_ROUNDS = 20;
/** Pages walked per round: the first and the four after it. */
export const PAGES_WALKED = 5;
/**
 * Each query a page makes may cost at most this many times the floor (one Query of a page of runs in process, measured
 * beside it), HTTP, authentication and the JSON answer included: a page of one query within 3 floors, a page of a
 * filter that makes ten queries within 30.
 */
export const PER_QUERY_FACTOR = 3;
/** The employee whose runs the employee case lists: one with a hire, a move and a leave. */
const EMPLOYEE_NUMBER = 5;

interface Case {
  label: string;
  query: Record<string, string>;
  /** Which seeded runs the listing must return, all pages together. */
  keeps: (seed: PlannedSeed) => boolean;
  /** The most items one page may read: a bounded walk of the index, never the whole of it. */
  maxItemsPerPage: number;
}

/**
 * A week of completed runs half a year back: few of the status index's items, far down it, so the listing reads the
 * effective index between the week's ends instead.
 */
const WEEK = dayRange(NOW, -183, -177);

function cases(seeds: readonly PlannedSeed[]): Case[] {
  const pageBound = MAX_QUERIES_PER_PAGE * RUN_PAGE.defaultLimit;
  const employeeId = seeds.find((s) => s.event.employee.id === `E${String(EMPLOYEE_NUMBER).padStart(6, '0')}`)!.run.employeeId;
  return [
    { label: 'status=completed', query: { status: 'completed' }, keeps: (s) => s.run.status === 'completed', maxItemsPerPage: RUN_PAGE.defaultLimit },
    { label: 'status=needs_attention', query: { status: 'needs_attention' }, keeps: (s) => s.run.status === 'needs_attention', maxItemsPerPage: RUN_PAGE.defaultLimit },
    {
      label: 'status=completed&type=terminate',
      query: { status: 'completed', type: 'terminate' },
      keeps: (s) => s.run.status === 'completed' && s.run.type === 'terminate',
      maxItemsPerPage: pageBound,
    },
    {
      label: `status=completed&from=${WEEK.from}&to=${WEEK.to}`,
      query: { status: 'completed', ...WEEK },
      keeps: (s) => s.run.status === 'completed' && s.run.effectiveDate >= WEEK.from && s.run.effectiveDate <= WEEK.to,
      // The effective index reads only the week: one query of a page each.
      maxItemsPerPage: RUN_PAGE.defaultLimit,
    },
    {
      label: `employee=${employeeId}`,
      query: { employee: employeeId },
      keeps: (s) => s.run.employeeId === employeeId,
      maxItemsPerPage: seeds.filter((s) => s.run.employeeId === employeeId).length,
    },
  ];
}

interface PageFigure {
  ms: number;
  queries: number;
  requests: number;
  itemsRead: number;
  runs: number;
}

interface CaseFigures {
  label: string;
  expected: number;
  maxItemsPerPage: number;
  /** Round by round: each page walked (at most PAGES_WALKED). */
  rounds: PageFigure[][];
  /** The floor, one Query of a page of runs in process, timed just before each round: read beside this case's pages. */
  floor: number[];
  /** One walk to the end, after the timed rounds. */
  all: { pages: number; runs: number; sameRuns: boolean; itemsRead: number; queries: number; pagesBeforeFirstRun: number; ms: number };
}

export interface RunListingFigures {
  runs: number;
  byStatus: Record<string, number>;
  seed: { ms: number; items: number };
  rounds: number;
  /** Measured before the cases: one GetItem, one HTTP listing that reads nothing (each case has its Query floor). */
  floors: { getItem: number[]; httpEmpty: number[] };
  cases: CaseFigures[];
  totalMs: number;
}

interface Listed {
  runs: { runId: string }[];
  next?: string;
}

async function getPage(rt: Runtime, query: Record<string, string>, next?: string): Promise<Listed> {
  const params = new URLSearchParams({ ...query, ...(next ? { next } : {}) });
  const res = await fetch(`${rt.apiUrl}/v1/runs?${params}`, { headers: { Authorization: `Bearer ${OPERATOR_TOKEN}` } });
  const body = (await res.json()) as Listed;
  if (res.status !== 200) throw new Error(`GET /v1/runs?${params}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** One page through HTTP, with what it cost the store. */
async function timedPage(rt: Runtime, counter: RequestCounter, query: Record<string, string>, next?: string): Promise<{ page: Listed; figure: PageFigure }> {
  const before = counter.snapshot();
  const readBefore = counter.itemsRead();
  const t = performance.now();
  const page = await getPage(rt, query, next);
  const ms = performance.now() - t;
  const requests = counter.since(before);
  return {
    page,
    figure: { ms, queries: requests.Query ?? 0, requests: Object.values(requests).reduce((a, b) => a + b, 0), itemsRead: counter.itemsRead() - readBefore, runs: page.runs.length },
  };
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await work();
  return performance.now() - t;
}

/** The floor: one Query of a page of runs, the newest completed ones, on the status index, in process. */
const queryFloor = (doc: DynamoDBDocumentClient) => () =>
  timed(() =>
    doc.send(
      new QueryCommand({
        TableName: LOCAL_DEFAULTS.tableName,
        IndexName: TABLE.statusIndex.name,
        KeyConditionExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': TABLE.statusIndex.partitionKey },
        ExpressionAttributeValues: { ':s': 'completed' },
        ScanIndexForward: false,
        Limit: RUN_PAGE.defaultLimit,
      }),
    ),
  );

/** Two more floors, each measured `rounds` times: one GetItem, one HTTP listing that reads nothing. */
async function measureFloors(rt: Runtime, doc: DynamoDBDocumentClient, sample: PlannedSeed, rounds: number) {
  const floors = { getItem: [] as number[], httpEmpty: [] as number[] };
  for (let r = 0; r <= rounds; r++) {
    const getItem = await timed(() => doc.send(new GetCommand({ TableName: LOCAL_DEFAULTS.tableName, Key: keys.run(sample.run.employeeId, sample.run.runId) })));
    // No run is rejected: one Query that reads nothing, behind the API's authentication, routing and answer.
    const httpEmpty = await timed(() => getPage(rt, { status: 'rejected' }));
    if (r === 0) continue;
    floors.getItem.push(getItem);
    floors.httpEmpty.push(httpEmpty);
  }
  return floors;
}

async function measureCase(rt: Runtime, counter: RequestCounter, c: Case, seeds: readonly PlannedSeed[], rounds: number, floorOnce: () => Promise<number>): Promise<CaseFigures> {
  const expected = new Set(seeds.filter(c.keeps).map((s) => s.run.runId));
  const measured: PageFigure[][] = [];
  const floor: number[] = [];
  for (let r = 0; r <= rounds; r++) {
    const floorMs = await floorOnce();
    if (r > 0) floor.push(floorMs);
    const walk: PageFigure[] = [];
    let next: string | undefined;
    for (let p = 0; p < PAGES_WALKED && (p === 0 || next); p++) {
      const { page, figure } = await timedPage(rt, counter, c.query, next);
      walk.push(figure);
      next = page.next;
    }
    if (r > 0) measured.push(walk);
  }
  // One walk to the end: every run the filter keeps, each once.
  const seen: string[] = [];
  let next: string | undefined;
  let pages = 0;
  let itemsRead = 0;
  let queries = 0;
  let pagesBeforeFirstRun = 0;
  const t = performance.now();
  do {
    const { page, figure } = await timedPage(rt, counter, c.query, next);
    pages += 1;
    itemsRead += figure.itemsRead;
    queries += figure.queries;
    if (seen.length === 0 && page.runs.length === 0) pagesBeforeFirstRun += 1;
    seen.push(...page.runs.map((run) => run.runId));
    next = page.next;
  } while (next);
  const ms = performance.now() - t;
  const sameRuns = seen.length === expected.size && new Set(seen).size === seen.length && seen.every((id) => expected.has(id));
  return { label: c.label, expected: expected.size, maxItemsPerPage: c.maxItemsPerPage, rounds: measured, floor, all: { pages, runs: seen.length, sameRuns, itemsRead, queries, pagesBeforeFirstRun, ms } };
}

export async function measureRunListing(options: BenchOptions & { rounds?: number }): Promise<RunListingFigures> {
  const started = performance.now();
  const rounds = options.rounds ?? DEFAULT_ROUNDS;
  const counter = new RequestCounter();
  let doc: DynamoDBDocumentClient | undefined;
  const rt = await startBenchRuntime({
    instrument: {
      handler: (_name, handler) => handler,
      documentClient: (client) => {
        doc = client;
        counter.attach(client);
        return client;
      },
    },
  });
  try {
    const settings = engineSettingsFromEnv(loadStageConfig('local'));
    const seeds = planListingSeed(options.runs, NOW, playbooks, settings);
    const byStatus: Record<string, number> = {};
    for (const s of seeds) byStatus[s.run.status] = (byStatus[s.run.status] ?? 0) + 1;
    options.progress(`seeding ${count(seeds.length)} runs (${Object.entries(byStatus).map(([k, v]) => `${count(v)} ${k}`).join(', ')}), ${options.concurrency} writes in flight…`);
    let t = performance.now();
    const written = await writeSeed(rt.engine.store, seeds, options.concurrency);
    const seed = { ms: performance.now() - t, items: written.items };
    if (written.runsCreated !== seeds.length) throw new Error(`seeded ${written.runsCreated} of ${seeds.length} runs`);
    options.progress(`seeded ${count(written.items)} items in ${seconds(seed.ms)}; floors…`);
    t = performance.now();
    const floors = await measureFloors(rt, doc!, seeds[0], rounds);
    const figures: CaseFigures[] = [];
    for (const c of cases(seeds)) {
      options.progress(`${c.label}: ${rounds} rounds of ${PAGES_WALKED} pages…`);
      figures.push(await measureCase(rt, counter, c, seeds, rounds, queryFloor(doc!)));
    }
    return { runs: seeds.length, byStatus, seed, rounds, floors, cases: figures, totalMs: performance.now() - started };
  } finally {
    await rt.stop();
  }
}

const ms = (v: number) => (v < 10 ? v.toFixed(1) : v.toFixed(0));
const p50 = (values: number[]) => percentile(values, 0.5);
const p95 = (values: number[]) => percentile(values, 0.95);
const firstPages = (c: CaseFigures) => c.rounds.map((walk) => walk[0]);
const laterPages = (c: CaseFigures) => c.rounds.flatMap((walk) => walk.slice(1));
const max = (values: number[]) => (values.length ? Math.max(...values) : 0);

export function runListingChecks(f: RunListingFigures): Check[] {
  return f.cases.flatMap((c): Check[] => {
    const pages = c.rounds.flat();
    const first = firstPages(c);
    const queries = p50(first.map((p) => p.queries));
    const bound = p50(c.floor) * PER_QUERY_FACTOR * Math.max(1, queries);
    return [
      {
        what: `${c.label}: the walk to the end lists the ${count(c.expected)} runs the filter keeps, each once`,
        ok: c.all.sameRuns,
        seen: `${count(c.all.runs)} listed in ${count(c.all.pages)} pages`,
      },
      {
        what: `${c.label}: the first page answers within ${PER_QUERY_FACTOR} × the floor per query it makes (p50 against one Query of ${RUN_PAGE.defaultLimit} runs in process, p50, timed beside it)`,
        ok: p50(first.map((p) => p.ms)) <= bound,
        seen: `p50 ${ms(p50(first.map((p) => p.ms)))} ms for ${queries} ${queries === 1 ? 'query' : 'queries'}, floor ${ms(p50(c.floor))} ms, bound ${ms(bound)} ms`,
      },
      {
        what: `${c.label}: no page reads more than ${count(c.maxItemsPerPage)} items or makes more than ${MAX_QUERIES_PER_PAGE} queries`,
        ok: max(pages.map((p) => p.itemsRead)) <= c.maxItemsPerPage && max(pages.map((p) => p.queries)) <= MAX_QUERIES_PER_PAGE,
        seen: `at most ${count(max(pages.map((p) => p.itemsRead)))} items, ${max(pages.map((p) => p.queries))} queries`,
      },
      {
        what: `${c.label}: the walk shows a run on its first page (no empty page before the first run)`,
        ok: c.expected === 0 || c.all.pagesBeforeFirstRun === 0,
        seen: `${count(c.all.pagesBeforeFirstRun)} empty ${c.all.pagesBeforeFirstRun === 1 ? 'page' : 'pages'} before the first run`,
      },
    ];
  });
}

export function runListingReport(f: RunListingFigures): BenchReport {
  const range = (values: number[]) => (values.length === 0 ? '—' : `${ms(p50(values))} / ${ms(p95(values))}`);
  const spread = (values: number[]) => (values.length === 0 ? '—' : Math.min(...values) === max(values) ? count(max(values)) : `${count(Math.min(...values))}–${count(max(values))}`);
  return {
    title: `Run listing: ${count(f.runs)} runs, GET /v1/runs over HTTP`,
    facts: [
      ['table', `${count(f.runs)} runs (${Object.entries(f.byStatus).sort(([, a], [, b]) => b - a).map(([k, v]) => `${count(v)} ${k}`).join(', ')}), effective dates over the year before ${NOW.toISOString().slice(0, 10)} and the 90 days after; per run also its event record, employee, run pointer and one audit line`],
      ['seeding', `${seconds(f.seed.ms)} for ${count(f.seed.items)} items`],
      ['rounds', `${f.rounds} per case (after one not counted), each the first page and up to ${PAGES_WALKED - 1} more through \`next\`; limit ${RUN_PAGE.defaultLimit}, MAX_QUERIES_PER_PAGE ${MAX_QUERIES_PER_PAGE}`],
      [
        'floors (p50 / p95, ms)',
        `one Query of ${RUN_PAGE.defaultLimit} runs on the status index in process, timed before each round of each case: see the table; ` +
          `one GetItem ${range(f.floors.getItem)}; GET /v1/runs?status=rejected over HTTP (one Query, nothing read) ${range(f.floors.httpEmpty)}`,
      ],
      ['whole benchmark', seconds(f.totalMs)],
    ],
    tables: [
      {
        columns: ['filter', 'runs kept', 'floor p50 / p95 (ms)', 'first page p50 / p95 (ms)', 'pages 2–5 p50 / p95 (ms)', 'queries per page', 'items read per page', 'runs per page'],
        rows: f.cases.map((c) => {
          const pages = c.rounds.flat();
          return [
            `\`${c.label}\``,
            count(c.expected),
            range(c.floor),
            range(firstPages(c).map((p) => p.ms)),
            range(laterPages(c).map((p) => p.ms)),
            spread(pages.map((p) => p.queries)),
            spread(pages.map((p) => p.itemsRead)),
            spread(pages.map((p) => p.runs)),
          ];
        }),
      },
      {
        columns: ['filter, walked to the end', 'pages', 'empty pages before the first run', 'queries', 'items read', 'items read per run listed', 'time'],
        rows: f.cases.map((c) => [
          `\`${c.label}\``,
          count(c.all.pages),
          count(c.all.pagesBeforeFirstRun),
          count(c.all.queries),
          count(c.all.itemsRead),
          c.all.runs === 0 ? '—' : (c.all.itemsRead / c.all.runs).toFixed(2),
          seconds(c.all.ms),
        ]),
      },
    ],
    checks: runListingChecks(f),
  };
}

export const runListingBenchmark: Benchmark = {
  name: 'runs-listing',
  run: async (options) => runListingReport(await measureRunListing(options)),
};
