/**
 * Benchmark: the operator console's first load. The console built as `npm run build:console` builds it, each file's
 * size raw and gzipped, the largest packages in the script, and how long the build takes.
 */
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { buildConsole, FIRST_LOAD_JS_GZIP_LIMIT } from '../console/build';
import { count, type BenchReport, type Benchmark, type Check } from './report';

export interface ConsoleFigures {
  files: { name: string; bytes: number; gzipBytes: number }[];
  /** Every script index.html loads, gzipped at level 9 (what a browser downloads from CloudFront with compression on). */
  jsGzipBytes: number;
  buildMs: number;
}

export async function measureConsole(): Promise<ConsoleFigures> {
  const started = performance.now();
  const built = await buildConsole();
  const buildMs = performance.now() - started;
  const files = built.map((f) => ({ name: f.name, bytes: f.body.length, gzipBytes: gzipSync(f.body, { level: 9 }).length }));
  return { files, jsGzipBytes: files.filter((f) => f.name.endsWith('.js')).reduce((sum, f) => sum + f.gzipBytes, 0), buildMs };
}

export function consoleChecks(f: ConsoleFigures): Check[] {
  return [
    { what: `the console's first load under ${count(FIRST_LOAD_JS_GZIP_LIMIT)} bytes of JavaScript gzipped`, ok: f.jsGzipBytes < FIRST_LOAD_JS_GZIP_LIMIT, seen: `${count(f.jsGzipBytes)} B` },
    { what: 'one script and one style sheet beside index.html (nothing loaded from elsewhere)', ok: f.files.map((x) => x.name).sort().join() === 'app.css,app.js,index.html', seen: f.files.map((x) => x.name).join(', ') },
  ];
}

export function consoleReport(f: ConsoleFigures): BenchReport {
  return {
    title: "The operator console's first load",
    facts: [
      ['build', `console/build.ts as \`npm run build:console\` runs it: esbuild, bundled, minified, target es2020; built in ${f.buildMs.toFixed(0)} ms`],
      ['gzip', 'level 9, as a CDN compresses it'],
    ],
    tables: [{ columns: ['file', 'bytes', 'gzipped'], rows: f.files.map((x) => [x.name, count(x.bytes), count(x.gzipBytes)]) }],
    checks: consoleChecks(f),
  };
}

export const consoleBenchmark: Benchmark = {
  name: 'console',
  run: async () => consoleReport(await measureConsole()),
};
