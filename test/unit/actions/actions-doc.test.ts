/** docs/actions.md is written from the catalog: it must say what `npm run docs:actions` would write now. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ACTION_CATALOG, type ActionSpec } from '../../../lambdas/actions/catalog';
import { ACTIONS_DOC, renderActionsDoc } from '../../../scripts/actions-doc';

const ROOT = resolve(__dirname, '..', '..', '..');

describe('docs/actions.md', () => {
  it('is what npm run docs:actions writes from the catalog and the modules (run it after changing an action)', () => {
    expect(readFileSync(join(ROOT, ACTIONS_DOC), 'utf8')).toBe(renderActionsDoc());
  });

  it('has one row per catalog action, naming its account check, restore, needs and scopes', () => {
    const doc = renderActionsDoc();
    for (const spec of ACTION_CATALOG) expect(doc).toContain(`| \`${spec.name}\` |`);
    const row = (name: string) => doc.split('\n').find((l) => l.startsWith(`| \`${name}\` |`)) ?? '';
    expect(row('google.suspendUser')).toContain('snapshot; undone by `google.unsuspendUser` (phase 1)');
    expect(row('google.suspendUser')).toContain('held when protected');
    expect(row('google.unsuspendUser')).toContain('undoes `google.suspendUser`');
    expect(row('google.transferData')).toContain('checks back until done');
    expect(row('google.createUser')).toContain('credentials (seal)');
    expect(row('connect.removeAgent')).toContain('connect (ListUsers, DescribeUser, DeleteUser, TagResource, GetCurrentUserData)');
  });

  it('changes when the catalog does: a description edited there shows in the table', () => {
    const specs: ActionSpec[] = ACTION_CATALOG.map((s) => (s.name === 'google.signOut' ? { ...s, description: 'Sign out, differently.' } : s));
    expect(renderActionsDoc(specs)).not.toBe(renderActionsDoc());
    expect(renderActionsDoc(specs)).toContain('| `google.signOut` | google | lockout | Sign out, differently. |');
  });
});
