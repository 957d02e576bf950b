/** What a benchmark hands back to the runner: its tables, its checks, and how they print as Markdown. */

export interface BenchOptions {
  /** Runs seeded into the table. */
  runs: number;
  /** Of those, runs due at the sweep. */
  due: number;
  /** Writes in flight while seeding. */
  concurrency: number;
  /** Leavers for the leaver benchmarks; each has its own default when absent. */
  leavers?: number;
  /** Queue workers of the local runtime; the local stage's dispatcherMaxConcurrency when absent. */
  workers?: number;
  /** Google quota per minute for the layoff benchmark (the emulator's and this process's). */
  quota?: number;
  /** layoff: `documented` throttles the Connect emulator at Connect's documented per-API rates, and budgets Connect calls to match; absent: off. */
  connectQuota?: 'documented';
  /** google-budget: `shared` (the stage's budget in the table, default) or `per-container` (each its own bucket). */
  budget?: string;
  /** consolidation-read: accounts seeded into each system (default 10,000). */
  accounts?: number;
  /** Progress lines (stderr), not part of the results. */
  progress: (line: string) => void;
}

/** A claim the benchmark makes about the code it measures; a false one fails the run. */
export interface Check {
  what: string;
  ok: boolean;
  /** What was measured, so a failure says by how much. */
  seen: string;
}

export interface ResultTable {
  columns: string[];
  /** Cells already formatted; the first column is left-aligned, the rest right-aligned. */
  rows: string[][];
}

export interface BenchReport {
  title: string;
  /** Setup facts (table size, seeding time, settings), as label and value. */
  facts: [string, string][];
  tables: ResultTable[];
  checks: Check[];
}

export interface Benchmark {
  name: string;
  run(options: BenchOptions): Promise<BenchReport>;
}

export const count = (n: number) => n.toLocaleString('en-US');
export const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
/** Items read per item due; a dash when nothing was due (0 / 0 is not a ratio). */
export const ratio = (read: number, due: number) => (due === 0 ? '—' : (read / due).toFixed(2));

export function markdownTable(table: ResultTable): string {
  const widths = table.columns.map((c, i) => Math.max(c.length, ...table.rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(table.columns), rule, ...table.rows.map(line)].join('\n');
}

export function renderReport(report: BenchReport): string {
  const out = [`## ${report.title}`, ''];
  for (const [label, value] of report.facts) out.push(`- ${label}: ${value}`);
  for (const table of report.tables) out.push('', markdownTable(table));
  out.push('', 'Checks:');
  for (const check of report.checks) out.push(`- [${check.ok ? 'ok' : 'FAILED'}] ${check.what} (${check.seen})`);
  return out.join('\n');
}
