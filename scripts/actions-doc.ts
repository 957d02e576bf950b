/** docs/actions.md, written from the action catalog and the modules it names: the one source of the action table. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ACTION_CATALOG, isKnownAction, type ActionSpec } from '../lambdas/actions/catalog';
import { actionDefinition } from '../lambdas/actions/registry';
import { actionModuleFile } from '../lib/action-entries';

const ROOT = resolve(__dirname, '..');
export const ACTIONS_DOC = 'docs/actions.md';

const code = (s: string) => `\`${s}\``;
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function needsOf(spec: ActionSpec): string {
  const { needs } = spec;
  const out: string[] = [];
  if (needs.google) out.push('google');
  if (needs.connect) out.push(`connect (${needs.connect.map((p) => p.replace('connect:', '')).join(', ')})`);
  if (needs.credentials) out.push(`credentials (${needs.credentials})`);
  if (needs.welcomeEmail) out.push('welcomeEmail');
  if (needs.operatorEmails) out.push('operatorEmails');
  if (needs.forwardTo) out.push('forwardTo');
  return out.join(', ') || '—';
}

function restoreOf(spec: ActionSpec, specs: readonly ActionSpec[]): string {
  if (spec.restore) {
    const when = spec.restore.onRehire === false ? ', not on a rehire' : '';
    const phase = spec.restore.phaseFor ? `phase ${spec.restore.phase}, or as what it recorded says` : `phase ${spec.restore.phase}`;
    return `snapshot; undone by ${code(spec.restore.by)} (${phase}${when})`;
  }
  const undoes = specs.filter((s) => s.restore?.by === spec.name).map((s) => code(s.name));
  return undoes.length ? `undoes ${undoes.join(', ')}` : '—';
}

/** An action that may answer "not done yet, check again at T" waits without counting a failure. */
function checksAgain(spec: ActionSpec): boolean {
  return readFileSync(join(ROOT, actionModuleFile(spec)), 'utf8').includes('checkAgainAt');
}

function accountCheckOf(spec: ActionSpec): string {
  if (!isKnownAction(spec.name)) throw new Error(`${spec.name} is not in the catalog`);
  return actionDefinition(spec.name).account?.summary ?? 'none before it runs';
}

export function renderActionsDoc(specs: readonly ActionSpec[] = ACTION_CATALOG): string {
  const rows = specs.map((spec) =>
    [
      code(spec.name),
      spec.name.split('.')[0],
      spec.priority,
      spec.description,
      accountCheckOf(spec),
      [checksAgain(spec) ? 'checks back until done' : '', restoreOf(spec, specs)].filter((x) => x && x !== '—').join('; ') || '—',
      needsOf(spec),
      spec.needs.googleScopes?.map((s) => s.replace('https://www.googleapis.com/auth/', '')).join(', ') || '—',
    ]
      .map(cell)
      .join(' | '),
  );
  return [
    '# Actions',
    '',
    '<!-- Written by `npm run docs:actions` from lambdas/actions/catalog.ts and the modules it names; a test fails when it differs. -->',
    '',
    'Every step of a run is one of these actions: one module under `lambdas/actions/`, one catalog entry, one Lambda.',
    'Each is idempotent and reads back what it changed. Every action is retried alike: a provider error says whether',
    'another try can help (408, 429, 5xx: yes, up to three retries; other 4xx: no, the step goes to an operator at once).',
    'The account check runs before the action changes anything. One that checks back waits without counting a failure.',
    'A removal with a restore records a snapshot in its result, and its restore puts that back when HR cancels the',
    'termination or hires the leaver back, phase 0 first. `needs` is all its Lambda is given; the Google scopes are all',
    'its tokens may carry. The class is its priority: `lockout` is taken before `protect`, `protect` before',
    '`housekeeping` (docs/engine.md, "Priority: lockout first"); a playbook step may override it.',
    '',
    '| action | provider | class | what it does | account check | check again, snapshot, restore | needs | Google scopes |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r} |`),
    '',
  ].join('\n');
}
