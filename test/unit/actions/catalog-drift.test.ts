/**
 * The catalog is the one place an action is listed: its module, its Lambda entry and its needs must agree with it.
 * Each check here fails on drift: a definition the catalog does not name, an entry with no module, a need the
 * action's code does not use or a client it uses without the need.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ACTION_CATALOG, actionSpec, isKnownAction, type ActionSpec } from '../../../lambdas/actions/catalog';
import { definitionsIn } from '../../../lambdas/actions/action-module';
import { actionDefinition } from '../../../lambdas/actions/registry';
import { actionLambda } from '../../../lambdas/handlers/action-handler';
import { actionEntryPath, actionEntrySource, actionModuleFile, CONTEXT_PARTS_DIR, contextPartsOf, NEED_CONTEXT_PARTS } from '../../../lib/action-entries';

const ROOT = resolve(__dirname, '..', '..', '..');
const ACTIONS_DIR = join(ROOT, 'lambdas', 'actions');
const specs: readonly ActionSpec[] = ACTION_CATALOG;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The action modules' own files a module reaches through relative imports, itself included (the framework left out). */
function reachableActionFiles(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
    const target = [`${resolve(dirname(file), spec)}.ts`, join(resolve(dirname(file), spec), 'index.ts')].find((f) => existsSync(f));
    if (target && target.startsWith(ACTIONS_DIR + '/') && !FRAMEWORK.has(relative(ACTIONS_DIR, target))) reachableActionFiles(target, seen);
  }
  return seen;
}
/** The files every action shares: they name the context's members without using them. */
const FRAMEWORK = new Set(['define-action.ts', 'action-context.ts', 'run-action.ts', 'catalog.ts', 'registry.ts', 'action-module.ts']);

type Need = 'google' | 'connect' | 'zendesk' | 'scim' | 'front' | 'nextcloud' | 'openproject' | 'credentials' | 'welcomeEmail' | 'operatorEmails' | 'forwardTo' | 'mailboxDelegation' | 'mailRetention';

/** What an action's code takes from its context: `provider(ctx, 'google')`, `ctx.credentials`, a vault's sealer… */
function contextUses(source: string): { needs: Set<Need>; seals: boolean } {
  const needs = new Set<Need>();
  for (const [, name] of source.matchAll(/provider\(\s*ctx\s*,\s*'(\w+)'\s*\)/g)) needs.add(name as Need);
  for (const [, name] of source.matchAll(/\bctx\.(credentials|welcomeEmail|operatorEmails|forwardTo|mailboxDelegation|mailRetention)\b/g)) needs.add(name as Need);
  return { needs, seals: /\.sealer\b/.test(source) };
}

/** The catalog's needs against the uses: one line per difference, none when they agree. */
function needsDrift(spec: Pick<ActionSpec, 'name' | 'needs'>, uses: { needs: Set<Need>; seals: boolean }): string[] {
  const declared = new Set<Need>((['google', 'connect', 'zendesk', 'scim', 'front', 'nextcloud', 'openproject', 'credentials', 'welcomeEmail', 'operatorEmails', 'forwardTo', 'mailboxDelegation', 'mailRetention'] as const).filter((n) => spec.needs[n]));
  const out: string[] = [];
  for (const n of uses.needs) if (!declared.has(n)) out.push(`${spec.name} uses ${n} but its catalog needs do not name it`);
  for (const n of declared) if (!uses.needs.has(n)) out.push(`${spec.name} names ${n} in its needs but its code never uses it`);
  if (spec.needs.credentials && (spec.needs.credentials === 'seal') !== uses.seals) {
    out.push(`${spec.name} needs credentials '${spec.needs.credentials}' but ${uses.seals ? 'seals passwords' : 'never seals one'}`);
  }
  if (Boolean(spec.needs.google) !== Boolean(spec.needs.googleScopes?.length)) out.push(`${spec.name}: Google actions, and only they, declare their Google scopes`);
  return out;
}

function usesOf(spec: ActionSpec): { needs: Set<Need>; seals: boolean } {
  const source = [...reachableActionFiles(join(ROOT, actionModuleFile(spec)))].map((f) => readFileSync(f, 'utf8')).join('\n');
  return contextUses(source);
}

describe('the action catalog against the code', () => {
  it('names every action once, each in a module of its own that exists', () => {
    expect(new Set(specs.map((s) => s.name)).size).toBe(specs.length);
    expect(new Set(specs.map((s) => s.module)).size).toBe(specs.length);
    const missing = specs.filter((s) => !existsSync(join(ROOT, actionModuleFile(s)))).map((s) => `${s.name}: ${actionModuleFile(s)}`);
    expect(missing).toEqual([]);
  });

  it.each(specs.map((s) => [s.name, s] as const))('%s: its module exports its definition, and the registry runs that one', async (name, spec) => {
    const exported = definitionsIn((await import(join(ROOT, actionModuleFile(spec)))) as object);
    expect(exported.map((d) => d.name)).toEqual([name]);
    if (!isKnownAction(spec.name)) throw new Error(`${spec.name} is not a known action`);
    expect(actionDefinition(spec.name)).toBe(exported[0]);
  });

  it('every action definition in lambdas/actions is in the catalog, under the module that exports it', async () => {
    const stray: string[] = [];
    for (const file of filesUnder(ACTIONS_DIR)) {
      for (const definition of definitionsIn((await import(file)) as object)) {
        const spec = actionSpec(definition.name);
        const module = relative(ACTIONS_DIR, file).replace(/\.ts$/, '');
        if (spec?.module !== module) stray.push(`${module} exports ${definition.name}, which the catalog ${spec ? `places in ${spec.module}` : 'does not list'}`);
      }
    }
    expect(stray).toEqual([]);
  });

  it.each(specs.map((s) => [s.name, s] as const))('%s: its needs name exactly the clients and settings its code takes from its context', (_name, spec) => {
    expect(needsDrift(spec, usesOf(spec))).toEqual([]);
  });

  it('catches a need the code does not use, a client used without its need, and a vault that seals without saying so', () => {
    const uses = contextUses("const g = provider(ctx, 'google'); const v = ctx.credentials?.(); await v.sealer.seal(p);");
    expect(needsDrift({ name: 'x.a', needs: { google: true, googleScopes: ['s' as never], credentials: 'seal' } }, uses)).toEqual([]);
    expect(needsDrift({ name: 'x.a', needs: { credentials: 'link' } }, uses)).toEqual([
      'x.a uses google but its catalog needs do not name it',
      "x.a needs credentials 'link' but seals passwords",
    ]);
    expect(needsDrift({ name: 'x.b', needs: { connect: ['connect:ListUsers'] } }, contextUses('nothing'))).toEqual(['x.b names connect in its needs but its code never uses it']);
  });
});

describe('the Lambda entries, derived from the catalog', () => {
  it('the entries folder holds only the context parts, one per need, each exporting contextFor', async () => {
    const parts = Object.values(NEED_CONTEXT_PARTS).filter((p): p is string => p !== null);
    expect(readdirSync(join(ROOT, CONTEXT_PARTS_DIR)).sort()).toEqual(parts.map((p) => `${p}.ts`).sort());
    for (const part of parts) expect(typeof ((await import(join(ROOT, CONTEXT_PARTS_DIR, part))) as { contextFor?: unknown }).contextFor).toBe('function');
  });

  it.each(specs.map((s) => [s.name, s] as const))('%s: its entry imports its own module and exactly the parts its needs name, all of which exist', (_name, spec) => {
    const source = actionEntrySource(spec);
    const imports = [...source.matchAll(/from '([^']+)'/g)].map(([, p]) => relative(ROOT, resolve(ROOT, dirname(actionEntryPath(spec)), p)));
    expect(imports).toEqual([
      actionModuleFile(spec).replace(/\.ts$/, ''),
      'lambdas/handlers/action-handler',
      ...contextPartsOf(spec).map((part) => `${CONTEXT_PARTS_DIR}/${part}`),
    ]);
    for (const p of imports) expect(existsSync(join(ROOT, `${p}.ts`))).toBe(true);
    expect(source).toContain(`actionLambda(${JSON.stringify(spec.name)}, actionModule,`);
  });

  it('a Connect action brings in no Google part, and a Google action no Connect part', () => {
    for (const spec of specs) {
      const parts = contextPartsOf(spec);
      if (spec.needs.connect) expect(parts).not.toContain('google');
      if (spec.needs.google) expect(parts).not.toContain('connect');
    }
  });

  it('an entry whose module lacks the definition its catalog entry names fails as it loads', () => {
    expect(() => actionLambda('google.signOut', {}, [])).toThrow('lambdas/actions/google/sign-out exports 0 definitions of google.signOut');
  });
});
