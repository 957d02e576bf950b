/**
 * What a function's code reads and calls, derived from the code itself: its entry bundled as deployed (esbuild,
 * tree-shaken, so only the code it can run), the `ENV.<name>` reads left in it and the AWS SDK commands it constructs
 * (`new XxxCommand(`, `paginateXxx(`), each command mapped to the IAM action it needs. The engine's ports (queue, alerts, action invoker) count only for a function
 * whose code calls them: every engine entry reaches the one module that builds all three, each only when its
 * environment names it.
 */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import * as esbuild from 'esbuild';
import { ACTION_CATALOG, type ActionSpec } from '../../lambdas/actions/catalog';
import { ENV, type EnvName } from '../../lambdas/shared/env-names';
import { ACTION_ENTRIES_DIR, actionEntryPath, actionEntrySource } from '../../lib/action-entries';
import { REPO_ROOT } from '../../lib/constructs/lifecycle-function';

export interface FunctionReads {
  /** Environment variables the code reads (names from ENV). */
  readonly env: ReadonlySet<EnvName>;
  /** IAM actions its AWS SDK calls need, e.g. `sns:Publish`. */
  readonly iam: ReadonlySet<string>;
  /** Each env read and IAM action with the file it comes from, for a readable failure. */
  readonly sources: ReadonlyMap<string, string>;
}

/** The engine ports built in lambdas/adapters/aws/aws-engine-deps.ts: the variable that enables each, its adapter, the calls that use it. */
export const ENGINE_PORTS = [
  { port: 'queue', env: ENV.stepsQueueUrls, adapter: 'lambdas/adapters/aws/sqs-step-queue.ts', calls: ['send', 'retryLater'] },
  { port: 'alerts', env: ENV.alertTopicArn, adapter: 'lambdas/adapters/aws/sns-alert-publisher.ts', calls: ['publish'] },
  { port: 'invoker', env: ENV.actionRegistryPath, adapter: 'lambdas/adapters/aws/lambda-action-invoker.ts', calls: ['invoke'] },
] as const;
export const ENGINE_DEPS_FILE = 'lambdas/adapters/aws/aws-engine-deps.ts';

/** `@aws-sdk/client-<x>` -> the IAM service prefix, where the two differ. */
const SERVICE_OF_CLIENT: Readonly<Record<string, string>> = { 'secrets-manager': 'secretsmanager' };

/** DocumentClient commands -> the DynamoDB actions they send. */
const DOCUMENT_CLIENT_ACTIONS: Readonly<Record<string, string>> = {
  GetCommand: 'dynamodb:GetItem',
  PutCommand: 'dynamodb:PutItem',
  UpdateCommand: 'dynamodb:UpdateItem',
  DeleteCommand: 'dynamodb:DeleteItem',
  QueryCommand: 'dynamodb:Query',
  ScanCommand: 'dynamodb:Scan',
  BatchGetCommand: 'dynamodb:BatchGetItem',
  BatchWriteCommand: 'dynamodb:BatchWriteItem',
};

/** Commands whose IAM action is not their name, or that need a second one. */
const COMMAND_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  'sqs:SendMessageBatch': ['sqs:SendMessage'],
  'sqs:DeleteMessageBatch': ['sqs:DeleteMessage'],
  'sqs:ChangeMessageVisibilityBatch': ['sqs:ChangeMessageVisibility'],
  // A schedule names the role Scheduler assumes to invoke its target: creating it passes that role.
  'scheduler:CreateSchedule': ['scheduler:CreateSchedule', 'iam:PassRole'],
  'lambda:Invoke': ['lambda:InvokeFunction'],
};

/** The IAM actions one command of one SDK package needs; throws for a package or command not mapped here. */
export function iamActionsOf(pkg: string, command: string): readonly string[] {
  if (pkg === '@aws-sdk/lib-dynamodb') {
    const action = DOCUMENT_CLIENT_ACTIONS[command];
    if (!action) throw new Error(`${command} of ${pkg}: name its DynamoDB action in DOCUMENT_CLIENT_ACTIONS`);
    return [action];
  }
  const client = /^@aws-sdk\/client-([a-z0-9-]+)$/.exec(pkg)?.[1];
  if (!client || !command.endsWith('Command')) throw new Error(`${command} of ${pkg}: not an AWS SDK v3 client command`);
  const action = `${SERVICE_OF_CLIENT[client] ?? client}:${command.slice(0, -'Command'.length)}`;
  return COMMAND_ACTIONS[action] ?? [action];
}

const ENV_KEYS = new Map(Object.entries(ENV) as [string, EnvName][]);

/** How a function is bundled for the derivation: as deployed (esbuild, tree-shaken), packages left as imports. */
const BUNDLE_OPTIONS: esbuild.BuildOptions = {
  bundle: true,
  write: false,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  treeShaking: true,
  minify: false,
  logLevel: 'silent',
};

/** The bundle of a handler file, or of an action's entry written from its catalog entry. */
function bundle(entry: string, catalog: readonly ActionSpec[]): string {
  const action = catalog.find((a) => actionEntryPath(a) === entry);
  // esbuild resolves the entry's relative imports from this folder, which must exist (it is ignored by git).
  if (action) mkdirSync(join(REPO_ROOT, ACTION_ENTRIES_DIR), { recursive: true });
  const result = action
    ? esbuild.buildSync({ ...BUNDLE_OPTIONS, stdin: { contents: actionEntrySource(action), resolveDir: join(REPO_ROOT, ACTION_ENTRIES_DIR), sourcefile: entry.split('/').pop(), loader: 'ts' } })
    : esbuild.buildSync({ ...BUNDLE_OPTIONS, entryPoints: [join(REPO_ROOT, entry)] });
  return result.outputFiles?.[0]?.text ?? '';
}

/** The bundle cut into the code each source file left after tree-shaking (esbuild marks each with `// <path>`). */
function segments(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let file = '(entry)';
  for (const line of text.split('\n')) {
    const marker = /^\/\/ ((?:lambdas|config|\.build)\/\S+\.ts)$/.exec(line);
    if (marker) {
      file = marker[1];
      continue;
    }
    out.set(file, `${out.get(file) ?? ''}${line}\n`);
  }
  return out;
}

/** `import { A, B as C } from "pkg"` -> C -> pkg, A -> pkg. */
function importedNames(text: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*"([^"]+)"/g)) {
    for (const part of m[1].split(',')) {
      const [, local] = /(?:\w+\s+as\s+)?(\w+)/.exec(part.trim().replace(/^(\w+)\s+as\s+(\w+)$/, '$2')) ?? [];
      if (local) names.set(local, m[2]);
    }
  }
  return names;
}

const readsCache = new Map<string, FunctionReads>();

/** What the code of one function (by the entry its template metadata records) reads and calls, once tree-shaken. */
export function readsOfEntry(entry: string, catalog: readonly ActionSpec[] = ACTION_CATALOG): FunctionReads {
  const cached = readsCache.get(entry);
  if (cached) return cached;
  const text = bundle(entry, catalog);
  const parts = segments(text);
  const imports = importedNames(text);
  const adapters = new Set<string>(ENGINE_PORTS.map((p) => p.adapter));
  const callers = [...parts].filter(([file]) => !adapters.has(file)).map(([, code]) => code).join('\n');
  const unused = ENGINE_PORTS.filter((p) => !p.calls.some((call) => callers.includes(`.${p.port}.${call}(`)));
  const env = new Set<EnvName>();
  const iam = new Set<string>();
  const sources = new Map<string, string>();
  for (const [file, code] of parts) {
    if (unused.some((p) => p.adapter === file)) continue;
    for (const m of code.matchAll(/\bENV\d*\.(\w+)/g)) {
      const name = ENV_KEYS.get(m[1]);
      if (!name) throw new Error(`${file}: ENV.${m[1]} is not in lambdas/shared/env-names.ts`);
      if (file === ENGINE_DEPS_FILE && unused.some((p) => p.env === name)) continue;
      env.add(name);
      if (!sources.has(name)) sources.set(name, file);
    }
    // paginateListUsers(…) sends ListUsersCommand page by page
    for (const m of code.matchAll(/\bpaginate(\w+?)\d*\(/g)) {
      const local = m[0].slice(0, -1);
      const pkg = imports.get(local);
      if (!pkg?.startsWith('@aws-sdk/')) continue;
      for (const action of iamActionsOf(pkg, `${m[1]}Command`)) {
        iam.add(action);
        if (!sources.has(action)) sources.set(action, `${file} (${local})`);
      }
    }
    const dynamic = [...code.matchAll(/import\("(@aws-sdk\/[^"]+)"\)/g)].map((m) => m[1]);
    for (const m of code.matchAll(/new (\w+Command)\d*\(/g)) {
      const local = m[0].slice(4, -1);
      const pkg = imports.get(local) ?? (new Set(dynamic).size === 1 ? dynamic[0] : undefined);
      if (!pkg) throw new Error(`${file}: cannot tell which AWS SDK package ${local} comes from`);
      for (const action of iamActionsOf(pkg, m[1])) {
        iam.add(action);
        if (!sources.has(action)) sources.set(action, `${file} (${m[1]})`);
      }
    }
  }
  const reads = { env, iam, sources };
  readsCache.set(entry, reads);
  return reads;
}
