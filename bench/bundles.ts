/**
 * Benchmark: bundle sizes. Each action's Lambda entry bundled with esbuild as the CDK bundles it, its
 * size and the time a fresh node process takes to require it, beside the same handler bundled with
 * the `googleapis` monolith in place of the per-API `@googleapis/*` packages.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { build, version as esbuildVersion, type BuildOptions, type Plugin } from 'esbuild';
import { ACTION_CATALOG, type ActionSpec } from '../lambdas/actions/catalog';
import { writeActionEntry } from '../lib/action-entries';
import { bundlesSdk, FUNCTION_NODE_OPTIONS, sdkBundling } from '../lib/bundling';
import { count, type BenchOptions, type BenchReport, type Benchmark, type Check } from './report';

/** Catalog entries are relative to the repository root, as the CDK's REPO_ROOT resolves them (not imported: it would load aws-cdk-lib). */
const REPO_ROOT = resolve(__dirname, '..');

export const MAX_BYTES = 1_000_000;
export const MAX_REQUIRE_MS = 100;
const REQUIRE_RUNS = 5;

/**
 * What `BundledFunctionFactory` asks of NodejsFunction (lib/constructs/lifecycle-function.ts), as the
 * CDK passes it to esbuild: node platform, cjs (its default format), target node22, minified, a source map
 * beside the code without the sources, and the v3 SDK as lib/bundling.ts says for the function.
 */
function cdkLike(bundleSdk: boolean): BuildOptions {
  const sdk = sdkBundling(bundleSdk);
  return {
    absWorkingDir: REPO_ROOT,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    external: sdk.externalModules,
    ...(sdk.mainFields ? { mainFields: sdk.mainFields } : {}),
    metafile: true,
    logLevel: 'error',
  };
}

/**
 * The monolith variant: the same handler, every per-API client module it imports (`@googleapis/admin/build/directory_v1`,
 * `@googleapis/gmail/build/v1`, …) served from `googleapis` instead.
 */
const MONOLITH_SHIM = resolve(REPO_ROOT, 'bench/googleapis-monolith/apis.ts');
const GOOGLE_FLOOR = 'bench/floor/google-directory.ts';
const CONNECT_FLOOR = 'bench/floor/connect-client.ts';
const monolithPlugin: Plugin = {
  name: 'googleapis-monolith',
  setup(b) {
    b.onResolve({ filter: /^@googleapis\/(admin|gmail|drive)(\/.*)?$/ }, () => ({ path: MONOLITH_SHIM }));
  },
};

export interface BundleFigures {
  bytes: number;
  gzipBytes: number;
  /** Median of REQUIRE_RUNS fresh processes. */
  requireMs: number;
  requireRuns: number[];
  /** The same with the SDK externals already loaded: the bundle's own share. */
  ownRequireMs: number;
  /** Largest packages in the bundle, by bytes of output. */
  topPackages: [string, number][];
  /** The handler export is a function, required with no LIFECYCLE_* or AWS variables set. */
  loadsWithoutEnv: boolean;
  loadError?: string;
  /** The v3 SDK packages the bundle leaves to the runtime and requires when loaded. */
  sdkExternals: string[];
  buildMs: number;
}

export interface ActionBundle {
  name: string;
  entry: string;
  google: boolean;
  connect: boolean;
  /** The v3 SDK is bundled (tree-shaken), not the runtime's. */
  sdkBundled: boolean;
  ours: BundleFigures;
  monolith?: BundleFigures;
}

export interface BundlesFigures {
  actions: ActionBundle[];
  /** The Directory client alone, bundled as an action is: the part of a Google action's load that is not ours. */
  googleFloor: BundleFigures;
  /** The Connect client alone, bundled as a Connect action is. */
  connectFloor: BundleFigures;
  /** Require time of each external SDK package alone (median), the part of a bundle's load that is not in the bundle. */
  sdkRequireMs: Record<string, number>;
  googleapisVersion: string;
  nodeVersion: string;
  totalMs: number;
}

/**
 * Runs `script` in a fresh node with only PATH, NODE_PATH (so the SDK externals resolve, as the Lambda runtime
 * provides them) and the functions' NODE_OPTIONS (source maps on, as deployed).
 */
function freshNode(script: string, arg: string): { ok: true; out: string } | { ok: false; error: string } {
  const res = spawnSync(process.execPath, ['-e', script, arg], {
    env: { PATH: process.env.PATH ?? '', NODE_PATH: join(REPO_ROOT, 'node_modules'), NODE_OPTIONS: FUNCTION_NODE_OPTIONS },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (res.status !== 0) return { ok: false, error: (res.stderr || res.error?.message || `exit ${res.status}`).trim().split('\n').slice(0, 3).join(' ') };
  return { ok: true, out: res.stdout.trim() };
}

/** argv[1]: JSON { target, preload }: the preloaded modules are required first, untimed. */
const REQUIRE_SCRIPT = `const { performance } = require('node:perf_hooks');
const { target, preload } = JSON.parse(process.argv[1]);
for (const p of preload) require(p);
const t = performance.now();
const m = require(target);
const ms = performance.now() - t;
process.stdout.write(JSON.stringify({ ms, handler: typeof m.handler }));`;

function timeRequire(target: string, preload: string[] = []): { runs: number[]; handler: boolean; error?: string } {
  const runs: number[] = [];
  let handler = true;
  for (let i = 0; i < REQUIRE_RUNS; i++) {
    const res = freshNode(REQUIRE_SCRIPT, JSON.stringify({ target, preload }));
    if (!res.ok) return { runs, handler: false, error: res.error };
    const parsed = JSON.parse(res.out) as { ms: number; handler: string };
    runs.push(parsed.ms);
    handler &&= parsed.handler === 'function';
  }
  return { runs, handler };
}

const medianOf = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

/** 'node_modules/@scope/name/…' → '@scope/name'; our own files by their top folders. */
function packageOf(file: string): string {
  const parts = file.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return parts.slice(0, 2).join('/');
  return parts[at + 1]?.startsWith('@') ? parts.slice(at + 1, at + 3).join('/') : parts[at + 1] ?? file;
}

async function bundle(entry: string, outfile: string, bundleSdk: boolean, plugins: Plugin[] = []): Promise<BundleFigures> {
  const started = performance.now();
  const result = await build({ ...cdkLike(bundleSdk), entryPoints: [entry], outfile, plugins });
  const buildMs = performance.now() - started;
  const code = readFileSync(outfile);
  // The source map is written beside the bundle; the figures are the bundle's.
  const output = result.metafile?.outputs[Object.keys(result.metafile.outputs).find((o) => o.endsWith('.js')) ?? ''];
  // Only what loading the bundle requires: an `import()` (the Secrets Manager client, read on first use) loads later.
  const sdkExternals = [
    ...new Set((output?.imports ?? []).filter((i) => i.external && i.kind !== 'dynamic-import' && i.path.startsWith('@aws-sdk/')).map((i) => i.path)),
  ].sort();
  const timed = timeRequire(outfile);
  const own = sdkExternals.length ? timeRequire(outfile, sdkExternals) : timed;
  const byPackage = new Map<string, number>();
  for (const [file, input] of Object.entries(output?.inputs ?? {})) {
    byPackage.set(packageOf(file), (byPackage.get(packageOf(file)) ?? 0) + input.bytesInOutput);
  }
  return {
    bytes: code.length,
    gzipBytes: gzipSync(code).length,
    requireMs: medianOf(timed.runs),
    requireRuns: timed.runs,
    ownRequireMs: medianOf(own.runs),
    topPackages: [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 6),
    loadsWithoutEnv: timed.handler && !timed.error,
    loadError: timed.error,
    sdkExternals,
    buildMs,
  };
}

const usesGoogle = (spec: ActionSpec) => Boolean(spec.needs.google);

export async function measureBundles(options: BenchOptions): Promise<BundlesFigures> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'lifecycle-bundles-'));
  try {
    const actions: ActionBundle[] = [];
    const specs: readonly ActionSpec[] = ACTION_CATALOG;
    for (const [i, spec] of specs.entries()) {
      const slug = spec.name.replace(/[^A-Za-z0-9]+/g, '-');
      const entry = writeActionEntry(spec);
      const ours = await bundle(entry, join(dir, 'ours', slug, 'index.js'), bundlesSdk(spec));
      const monolith = usesGoogle(spec) ? await bundle(entry, join(dir, 'monolith', slug, 'index.js'), bundlesSdk(spec), [monolithPlugin]) : undefined;
      options.progress(
        `${i + 1}/${specs.length} ${spec.name}: ${count(ours.bytes)} B, require ${ours.requireMs.toFixed(0)} ms` +
          (monolith ? `; monolith ${count(monolith.bytes)} B, require ${monolith.requireMs.toFixed(0)} ms` : ''),
      );
      actions.push({ name: spec.name, entry, google: usesGoogle(spec), connect: Boolean(spec.needs.connect), sdkBundled: bundlesSdk(spec), ours, ...(monolith ? { monolith } : {}) });
    }
    const googleFloor = await bundle(GOOGLE_FLOOR, join(dir, 'floor', 'google-directory', 'index.js'), false);
    options.progress(`the Directory client alone: ${count(googleFloor.bytes)} B, require ${googleFloor.requireMs.toFixed(0)} ms`);
    const connectSpec = ACTION_CATALOG.find((a) => 'connect' in a.needs);
    const connectFloor = await bundle(CONNECT_FLOOR, join(dir, 'floor', 'connect-client', 'index.js'), connectSpec ? bundlesSdk(connectSpec) : false);
    options.progress(`the Connect client alone: ${count(connectFloor.bytes)} B, require ${connectFloor.requireMs.toFixed(0)} ms`);
    const sdkRequireMs: Record<string, number> = {};
    for (const pkg of [...new Set(actions.flatMap((a) => a.ours.sdkExternals))].sort()) {
      const timed = timeRequire(pkg);
      sdkRequireMs[pkg] = timed.error ? NaN : medianOf(timed.runs);
    }
    const googleapisVersion = (JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'googleapis', 'package.json'), 'utf8')) as { version: string }).version;
    return { actions, googleFloor, connectFloor, sdkRequireMs, googleapisVersion, nodeVersion: process.version, totalMs: performance.now() - started };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(0)} kB`;

/** What an action's load takes beyond the provider client it must load: the Directory client, or the Connect SDK client. */
export function floorOf(f: BundlesFigures, a: ActionBundle): number | undefined {
  if (a.google) return f.googleFloor.requireMs;
  if (a.connect) return f.connectFloor.requireMs;
  const sdk = a.ours.sdkExternals.map((p) => f.sdkRequireMs[p]).filter((t) => Number.isFinite(t));
  return sdk.length ? Math.max(...sdk) : undefined;
}
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : '—');

export function bundlesChecks(f: BundlesFigures): Check[] {
  const over = (pred: (b: ActionBundle) => boolean) => f.actions.filter(pred).map((a) => a.name);
  const tooBig = over((a) => a.ours.bytes >= MAX_BYTES);
  const tooSlow = over((a) => !(a.ours.requireMs < MAX_REQUIRE_MS));
  const broken = f.actions.filter((a) => !a.ours.loadsWithoutEnv);
  const largest = Math.max(...f.actions.map((a) => a.ours.bytes));
  const slowest = Math.max(...f.actions.map((a) => a.ours.requireMs));
  return [
    {
      what: 'every action bundle loads in a fresh node with no configuration in the environment and exports a handler',
      ok: broken.length === 0,
      seen: broken.length ? broken.map((a) => `${a.name}: ${a.ours.loadError ?? 'no handler'}`).join('; ') : `${f.actions.length} of ${f.actions.length}`,
    },
    { what: `every action bundle under ${count(MAX_BYTES)} bytes`, ok: tooBig.length === 0, seen: `largest ${count(largest)} B${tooBig.length ? `; over: ${tooBig.join(', ')}` : ''}` },
    { what: `every action bundle required in under ${MAX_REQUIRE_MS} ms (median of ${REQUIRE_RUNS})`, ok: tooSlow.length === 0, seen: `slowest ${ms(slowest)}${tooSlow.length ? `; over: ${tooSlow.join(', ')}` : ''}; alone, the Directory client takes ${ms(f.googleFloor.requireMs)} here, the Connect client ${ms(f.connectFloor.requireMs)}` },
  ];
}

export function bundlesReport(f: BundlesFigures): BenchReport {
  const google = f.actions.filter((a) => a.monolith);
  return {
    title: `Bundle sizes: ${f.actions.length} action Lambdas, and the Google ones with the googleapis monolith`,
    facts: [
      ['bundling', `esbuild ${esbuildVersion} with the CDK's options for our functions: bundle, platform node, target node22, format cjs, minify, source map beside the code (not counted in the size); the v3 SDK external (the runtime's), except for the Connect actions, which bundle it from its ES modules, tree-shaken (lib/bundling.ts)`],
      ['monolith', `the same entries with every \`@googleapis/admin\`, \`@googleapis/gmail\` and \`@googleapis/drive\` module resolved to a shim re-exporting admin_directory_v1, admin_datatransfer_v1, gmail_v1 and drive_v3 from googleapis ${f.googleapisVersion} (same googleapis-common 8 and google-auth-library)`],
      ['require time', `\`require(bundle)\` timed inside a fresh \`node\` (${f.nodeVersion}; Lambda runs node22) with only PATH, NODE_PATH and the functions' NODE_OPTIONS (\`${FUNCTION_NODE_OPTIONS}\`, so the source map is read as on Lambda) set, median of ${REQUIRE_RUNS} processes; the @aws-sdk externals load from node_modules, as the runtime's own copy would`],
      ['the Directory client alone', `\`${GOOGLE_FLOOR}\`: \`@googleapis/admin/build/directory_v1\` and nothing of ours, bundled the same way: ${kb(f.googleFloor.bytes)}, require ${ms(f.googleFloor.requireMs)} (median of ${REQUIRE_RUNS}). No Google action can load faster than this.`],
      ['the Connect client alone', `\`${CONNECT_FLOOR}\`: \`ConnectClient\` and nothing of ours, bundled as a Connect action is: ${kb(f.connectFloor.bytes)}, require ${ms(f.connectFloor.requireMs)}. No Connect action can load faster than this.`],
      ['SDK externals alone (median require)', Object.entries(f.sdkRequireMs).map(([pkg, t]) => `${pkg} ${ms(t)}`).join(', ') || 'none'],
      ...f.actions
        .filter((a, i, all) => all.findIndex((b) => b.google === a.google && b.name.split('.')[0] === a.name.split('.')[0]) === i)
        .map((a): [string, string] => [`largest packages in \`${a.name}\``, a.ours.topPackages.map(([p, b]) => `${p} ${kb(b)}`).join(', ')]),
      ['whole benchmark', `${(f.totalMs / 1000).toFixed(1)} s`],
    ],
    tables: [
      {
        columns: ['action', 'bundle', 'gzip', 'require', 'beyond its client alone', 'require, SDK preloaded', 'SDK: runtime\'s packages required, or bundled', 'googleapis monolith: bundle', 'gzip', 'require'],
        rows: f.actions.map((a) => [
          `\`${a.name}\``,
          kb(a.ours.bytes),
          kb(a.ours.gzipBytes),
          ms(a.ours.requireMs),
          floorOf(f, a) === undefined ? '—' : ms(a.ours.requireMs - floorOf(f, a)!),
          a.ours.sdkExternals.length ? ms(a.ours.ownRequireMs) : '—',
          a.sdkBundled ? 'bundled' : a.ours.sdkExternals.map((x) => x.replace('@aws-sdk/', '')).join(', ') || '—',
          a.monolith ? kb(a.monolith.bytes) : '—',
          a.monolith ? kb(a.monolith.gzipBytes) : '—',
          a.monolith ? ms(a.monolith.requireMs) : '—',
        ]),
      },
      {
        columns: ['Google actions', 'median bundle', 'median require'],
        rows: [
          ['per-API `@googleapis/*` packages (ours)', kb(medianOf(google.map((a) => a.ours.bytes))), ms(medianOf(google.map((a) => a.ours.requireMs)))],
          [`\`googleapis\` ${f.googleapisVersion} monolith`, kb(medianOf(google.map((a) => a.monolith!.bytes))), ms(medianOf(google.map((a) => a.monolith!.requireMs)))],
        ],
      },
    ],
    checks: bundlesChecks(f),
  };
}

export const bundlesBenchmark: Benchmark = {
  name: 'bundles',
  run: async (options) => bundlesReport(await measureBundles(options)),
};
