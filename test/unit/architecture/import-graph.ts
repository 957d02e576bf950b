/** The repository's own import graph (relative imports only), read with the TypeScript parser, for tests of which layer may import which. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** Repository-relative paths of the .ts files under a folder (tests and declarations left out). */
export function sourceFiles(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.test.ts')) out.push(relative(REPO_ROOT, path));
    }
  };
  walk(join(REPO_ROOT, folder));
  return out.sort();
}

const cache = new Map<string, string[]>();

/** The repository files a module imports, exports from or loads with import(): repository-relative paths. */
export function importsOf(file: string): string[] {
  let found = cache.get(file);
  if (found) return found;
  const text = readFileSync(join(REPO_ROOT, file), 'utf8');
  const specs = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName).filter((s) => s.startsWith('.'));
  found = specs.flatMap((spec) => {
    const base = resolve(REPO_ROOT, dirname(file), spec);
    const hit = [`${base}.ts`, join(base, 'index.ts'), base].find((p) => existsSync(p) && statSync(p).isFile());
    return hit ? [relative(REPO_ROOT, hit)] : [];
  });
  cache.set(file, found);
  return found;
}

/** Every file reachable from the entries, each with the chain of imports that reaches it (for a readable failure). */
export function reachable(entries: string[]): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const queue = entries.map((e) => [e]);
  for (let chain = queue.shift(); chain; chain = queue.shift()) {
    const file = chain[chain.length - 1];
    if (seen.has(file)) continue;
    seen.set(file, chain);
    for (const next of importsOf(file)) if (!seen.has(next)) queue.push([...chain, next]);
  }
  return seen;
}

/** The import cycles among the given files (strongly connected components of more than one file). */
export function importCycles(files: string[]): string[][] {
  const inSet = new Set(files);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of importsOf(v).filter((f) => inSet.has(f))) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return cycles;
}
