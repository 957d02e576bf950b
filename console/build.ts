/**
 * Builds the operator console: one script and one style sheet, every dependency bundled (nothing from a CDN at run
 * time), minified. The one place its build options live: `npm run build:console` writes console/dist/, and the local
 * runtime builds it in memory at start.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const ROOT = __dirname;

export interface ConsoleFile {
  /** Under /console/, e.g. "app.js". */
  name: string;
  contentType: string;
  body: Buffer;
}

/** The first load's JavaScript, gzipped, stays under this (the console must open fast on a busy Monday). */
export const FIRST_LOAD_JS_GZIP_LIMIT = 150_000;

const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', html: 'text/html; charset=utf-8' };

export async function buildConsole(): Promise<ConsoleFile[]> {
  const out = await build({
    entryPoints: { app: join(ROOT, 'src/main.tsx') },
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: join(ROOT, 'tsconfig.json'),
    outdir: join(ROOT, 'dist'),
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const files = out.outputFiles.map((f) => {
    const name = f.path.slice(join(ROOT, 'dist').length + 1);
    return { name, contentType: TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream', body: Buffer.from(f.contents) };
  });
  return [...files, { name: 'index.html', contentType: TYPES.html, body: readFileSync(join(ROOT, 'index.html')) }];
}

if (require.main === module) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { mkdirSync, writeFileSync } = require('node:fs') as typeof import('node:fs');
  buildConsole()
    .then((files) => {
      mkdirSync(join(ROOT, 'dist'), { recursive: true });
      for (const f of files) writeFileSync(join(ROOT, 'dist', f.name), f.body);
      console.log(files.map((f) => `console/dist/${f.name} ${f.body.length} bytes`).join('\n'));
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
