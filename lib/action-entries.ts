/**
 * Each action's Lambda entry, written from its catalog entry: the action's module and the context parts its needs
 * name, and nothing else, so its bundle holds only its own action and its own provider clients. Shared by the Actions
 * Stack and the bundles benchmark; no aws-cdk-lib here.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { ActionSpec } from '../lambdas/actions/catalog';

const REPO_ROOT = resolve(__dirname, '..');

/** Where the entries are written, relative to the repository root (ignored by git: they are derived). */
export const ACTION_ENTRIES_DIR = '.build/action-entries';

/** The folder of the context parts, one file per need: lambdas/handlers/actions/<file>.ts exports `contextFor`. */
export const CONTEXT_PARTS_DIR = 'lambdas/handlers/actions';

/**
 * Which context part each catalog need brings into the bundle; null for a need the stack alone serves (the Google
 * scopes: an environment variable the run reads through the catalog). A new need fails the typecheck until named here.
 */
export const NEED_CONTEXT_PARTS: { readonly [K in keyof Required<ActionSpec['needs']>]: string | null } = {
  forwardTo: 'forward-to',
  google: 'google',
  googleScopes: null,
  credentials: 'credentials',
  welcomeEmail: 'welcome-email',
  operatorEmails: 'operator-emails',
  mailboxDelegation: 'mailbox-delegation',
  mailRetention: 'mail-retention',
  handover: 'handover',
  connect: 'connect',
  zendesk: 'zendesk',
  scim: 'scim',
  front: 'front',
  nextcloud: 'nextcloud',
  openproject: 'openproject',
};

/** The action's module file, relative to the repository root. */
export function actionModuleFile(spec: Pick<ActionSpec, 'module'>): string {
  return `lambdas/actions/${spec.module}.ts`;
}

/** The context part files an action's needs bring in, in NEED_CONTEXT_PARTS order. */
export function contextPartsOf(spec: Pick<ActionSpec, 'needs'>): string[] {
  const parts: string[] = [];
  for (const [need, part] of Object.entries(NEED_CONTEXT_PARTS)) {
    if (part && spec.needs[need as keyof ActionSpec['needs']]) parts.push(part);
  }
  return parts;
}

/** `google.createUser` -> `.build/action-entries/google-create-user.ts`. */
export function actionEntryPath(spec: Pick<ActionSpec, 'name'>): string {
  const slug = spec.name.replace(/\./g, '-').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return `${ACTION_ENTRIES_DIR}/${slug}.ts`;
}

/** The entry's source: import the module and the parts, hand them to actionLambda. */
export function actionEntrySource(spec: Pick<ActionSpec, 'name' | 'module' | 'needs'>): string {
  const from = dirname(actionEntryPath(spec));
  const importPath = (file: string) => {
    const rel = relative(from, file).replace(/\.ts$/, '');
    return rel.startsWith('.') ? rel : `./${rel}`;
  };
  const parts = contextPartsOf(spec).map((part) => ({ part, id: part.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) }));
  return [
    `/** Lambda entry of ${spec.name}, written from its catalog entry by lib/action-entries.ts: do not edit. */`,
    `import * as actionModule from '${importPath(actionModuleFile(spec))}';`,
    `import { actionLambda } from '${importPath('lambdas/handlers/action-handler.ts')}';`,
    ...parts.map(({ part, id }) => `import { contextFor as ${id} } from '${importPath(`${CONTEXT_PARTS_DIR}/${part}.ts`)}';`),
    '',
    `export const handler = actionLambda(${JSON.stringify(spec.name)}, actionModule, [${parts.map((p) => p.id).join(', ')}]);`,
    '',
  ].join('\n');
}

/**
 * Writes the action's entry (only when its content changed, through a rename so a bundler reading it never sees half a
 * file) and answers its path relative to the repository root, as a function's `entry`.
 */
export function writeActionEntry(spec: Pick<ActionSpec, 'name' | 'module' | 'needs'>): string {
  const entry = actionEntryPath(spec);
  const file = join(REPO_ROOT, entry);
  const source = actionEntrySource(spec);
  let current: string | undefined;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  if (current !== source) {
    mkdirSync(dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, source);
    renameSync(partial, file);
  }
  return entry;
}
