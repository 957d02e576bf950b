/** `npm run bench`: runs every benchmark, prints its results as Markdown, and exits non-zero when a check fails. */
import './bench-env';
import '../local/env-defaults';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { renderReport, seconds, type BenchOptions, type Benchmark } from './report';
import { bundlesBenchmark } from './bundles';
import { consoleBenchmark } from './console-bundle';
import { costBenchmark } from './cost';
import { layoffBenchmark } from './layoff';
import { runListingBenchmark } from './run-listing';
import { googleBudgetBenchmark } from './google-budget';
import { sweepCostBenchmark } from './sweep-cost';
import { timeToRevokeBenchmark } from './time-to-revoke';
import { consolidationReadBenchmark } from './consolidation-read';

const BENCHMARKS: Benchmark[] = [sweepCostBenchmark, timeToRevokeBenchmark, layoffBenchmark, googleBudgetBenchmark, bundlesBenchmark, consoleBenchmark, costBenchmark, runListingBenchmark, consolidationReadBenchmark];

const USAGE = `usage: npm run bench -- [--runs <n>] [--due <n>] [--concurrency <n>] [--leavers <n>] [--workers <n>] [--quota <n>] [--connect-quota documented|off] [--only <name>]
  --runs         sweep-cost, runs-listing: runs seeded into the table (default 10000)
  --due          sweep-cost: of those, runs due at the sweep (default 100)
  --concurrency  sweep-cost, runs-listing: writes in flight while seeding (default 50)
  --leavers      time-to-revoke: leavers per round (default 20); layoff: leavers at once (default 300)
  --workers      time-to-revoke, layoff: queue workers of the local runtime (default: the local stage's 4)
  --quota        layoff, google-budget: Google requests per minute, the emulator's quota (default 2400)
  --connect-quota layoff: documented (the Connect emulator throttles each API at Connect's documented 2/s, burst 5, and Connect calls take from a budget per API) or off (default)
  --budget       google-budget: shared (the stage's budget in the table, default) or per-container
  --accounts     consolidation-read: accounts seeded into each system (default 10000)
  --only         run one benchmark: ${BENCHMARKS.map((b) => b.name).join(', ')}`;

/** A wrong command line: answered with the usage, unlike a failure inside a benchmark. */
class UsageError extends Error {}

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new UsageError(`--${name} must be a positive whole number, got "${raw}"`);
  return value;
}

/** A setting whose default belongs to the benchmark that reads it. */
function optionalPositiveInt(name: string, raw: string | undefined): number | undefined {
  return raw === undefined ? undefined : positiveInt(name, raw, 0);
}

function budgetMode(raw: string | undefined): string | undefined {
  if (raw !== undefined && raw !== 'shared' && raw !== 'per-container') throw new UsageError(`--budget must be shared or per-container, got "${raw}"`);
  return raw;
}

function connectQuota(raw: string | undefined): 'documented' | undefined {
  if (raw !== undefined && raw !== 'documented' && raw !== 'off') throw new UsageError(`--connect-quota must be documented or off, got "${raw}"`);
  return raw === 'documented' ? raw : undefined;
}

function readArgs(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        runs: { type: 'string' },
        due: { type: 'string' },
        concurrency: { type: 'string' },
        leavers: { type: 'string' },
        workers: { type: 'string' },
        quota: { type: 'string' },
        budget: { type: 'string' },
        'connect-quota': { type: 'string' },
        only: { type: 'string' },
        accounts: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

function parseOptions(argv: string[]): { options: BenchOptions; only?: string } {
  const values = readArgs(argv);
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const runs = positiveInt('runs', values.runs, 10_000);
  const due = positiveInt('due', values.due, 100);
  if (due > runs) throw new UsageError(`--due (${due}) cannot exceed --runs (${runs})`);
  if (values.only !== undefined && !BENCHMARKS.some((b) => b.name === values.only)) {
    throw new UsageError(`--only: no benchmark "${values.only}"; there are ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  }
  return {
    options: {
      runs,
      due,
      concurrency: positiveInt('concurrency', values.concurrency, 50),
      leavers: optionalPositiveInt('leavers', values.leavers),
      workers: optionalPositiveInt('workers', values.workers),
      quota: optionalPositiveInt('quota', values.quota),
      budget: budgetMode(values.budget),
      connectQuota: connectQuota(values['connect-quota']),
      accounts: optionalPositiveInt('accounts', values.accounts),
      progress: (line) => console.error(`  ${line}`),
    },
    only: values.only,
  };
}

async function main(): Promise<number> {
  const { options, only } = parseOptions(process.argv.slice(2));
  const started = performance.now();
  console.log(`# Benchmarks\n\nNode ${process.version}, ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GB RAM, dynalite in memory\n`);
  let failed = 0;
  for (const benchmark of BENCHMARKS.filter((b) => !only || b.name === only)) {
    console.error(`${benchmark.name}:`);
    const report = await benchmark.run(options);
    console.log(`${renderReport(report)}\n`);
    failed += report.checks.filter((c) => !c.ok).length;
  }
  console.log(`All benchmarks: ${seconds(performance.now() - started)}${failed ? `; ${failed} check(s) FAILED` : ''}`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(`${err.message}\n${USAGE}`);
      process.exit(2);
    }
    console.error(err);
    process.exit(1);
  },
);
