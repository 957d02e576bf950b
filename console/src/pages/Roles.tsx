/**
 * The role catalog from Notion (GET /v1/roles) as a tree of inheritance with each role's errors, and one role
 * (GET /v1/roles/{name}): what it inherits, what each role in its chain declares, and the access it grants in effect.
 */
import type { RoleError } from '../../../lambdas/roles/role-model';
import type { RoleTreeNode } from '../../../lambdas/roles/render';
import type { CatalogEntry } from '../../../lambdas/roles/resolve';
import { Head, Link, Loading, Problem, useApi } from '../ui';

interface Granted {
  value: unknown;
  grantedBy: string;
  overrides?: { value: unknown; grantedBy: string }[];
}

interface RoleView {
  name: string;
  inherits: string[];
  grants: {
    single: Record<string, Granted & { property: string }>;
    lists: Record<string, { property: string; grants: Granted[] }>;
    maps: Record<string, { property: string; entries: Record<string, Granted> }>;
  };
  approvalRequiredBy?: string;
  tree: RoleTreeNode;
  referencesChecked: boolean;
  errors: RoleError[];
  valid: boolean;
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const roleHref = (name: string) => `/roles/${encodeURIComponent(name)}`;

/** The catalog's roles nested under their parents; a role whose parent is missing sits at the top, with its error. */
function Branch({ parent, roles }: { parent?: string; roles: CatalogEntry[] }) {
  const names = new Set(roles.map((r) => r.name));
  const here = roles.filter((r) => (parent === undefined ? !r.parent || !names.has(r.parent) : r.parent === parent));
  if (here.length === 0) return null;
  return (
    <ul class="tree">
      {here.map((r) => (
        <li key={r.name}>
          <Link href={roleHref(r.name)}>{r.name}</Link>
          {r.errors.length > 0 && (
            <ul class="problem-inline">
              {r.errors.map((e, i) => (
                <li key={i}>
                  {e.property}: {e.message}
                </li>
              ))}
            </ul>
          )}
          {r.name !== parent && <Branch parent={r.name} roles={roles.filter((x) => x.name !== r.name)} />}
        </li>
      ))}
    </ul>
  );
}

export function Roles() {
  const catalog = useApi<{ roles: CatalogEntry[]; valid: boolean }>('/v1/roles');
  const c = catalog.data;
  const broken = c?.roles.filter((r) => r.errors.length > 0).length ?? 0;
  return (
    <section aria-labelledby="roles">
      <h1 id="roles">Roles</h1>
      <p class="muted">The role catalog in Notion: each role inherits everything its parent grants. A hire or role change names a role.</p>
      <Loading when={catalog.loading && !c} />
      <Problem error={catalog.error} />
      {c && (
        <>
          <p role="status">
            {c.roles.length} roles · {c.valid ? 'no errors' : <strong class="problem-inline">{broken} with errors: a run naming one waits for an operator</strong>}
          </p>
          <Branch roles={c.roles} />
        </>
      )}
    </section>
  );
}

/** One role's inheritance, read from the most specific role up, each node with what that role itself declares. */
function Declared({ node }: { node: RoleTreeNode }) {
  return (
    <li>
      <Link href={roleHref(node.role)}>{node.role}</Link>
      <ul>
        {node.grants.length === 0 && <li class="muted">declares nothing itself</li>}
        {node.grants.map((g) => (
          <li key={g.field}>{g.text}</li>
        ))}
        {node.inherits && (
          <li>
            inherits
            <ul class="tree">
              <Declared node={node.inherits} />
            </ul>
          </li>
        )}
      </ul>
    </li>
  );
}

export function RolePage({ name }: { name: string }) {
  const role = useApi<RoleView>(`/v1/roles/${encodeURIComponent(name)}`);
  const r = role.data;
  const rows: { what: string; value: string; by: string; note?: string }[] = [];
  if (r) {
    for (const g of Object.values(r.grants.single))
      rows.push({ what: g.property, value: show(g.value), by: g.grantedBy, note: g.overrides?.length ? `overrides ${g.overrides.map((o) => `${show(o.value)} from ${o.grantedBy}`).join(', ')}` : undefined });
    for (const l of Object.values(r.grants.lists)) for (const g of l.grants) rows.push({ what: l.property, value: show(g.value), by: g.grantedBy });
    for (const m of Object.values(r.grants.maps))
      for (const [key, g] of Object.entries(m.entries)) rows.push({ what: `${m.property}: ${key}`, value: show(g.value), by: g.grantedBy, note: g.overrides?.length ? `overrides ${g.overrides.map((o) => `${show(o.value)} from ${o.grantedBy}`).join(', ')}` : undefined });
  }
  return (
    <section aria-labelledby="role">
      <p>
        <Link href="/roles">All roles</Link>
      </p>
      <h1 id="role">Role {name}</h1>
      <Loading when={role.loading && !r} />
      <Problem error={role.error} />
      {r && (
        <>
          <p class="meta">
            {r.inherits.length ? `inherits ${r.inherits.join(' → ')}` : 'inherits nothing'}
            {r.approvalRequiredBy ? ` · a hire into it waits for an approver (set on ${r.approvalRequiredBy})` : ''}
            {r.referencesChecked ? ' · groups and profiles checked against the providers' : ' · groups and profiles not checked (a provider could not be listed)'}
          </p>
          {r.errors.length > 0 && (
            <>
              <h2>Errors</h2>
              <ul class="problem">
                {r.errors.map((e, i) => (
                  <li key={i}>
                    {e.role} · {e.property}: {e.message}
                  </li>
                ))}
              </ul>
            </>
          )}
          <h2>What it grants</h2>
          {rows.length === 0 ? (
            <p class="muted">Nothing.</p>
          ) : (
            <table>
              <Head columns={['Access', 'Value', 'Granted by']} />
              <tbody>
                {rows.map((row, i) => (
                  <tr key={i}>
                    <th scope="row">{row.what}</th>
                    <td>
                      <code>{row.value}</code>
                      {row.note && <div class="muted small">{row.note}</div>}
                    </td>
                    <td>{row.by}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>Inheritance</h2>
          <ul class="tree">
            <Declared node={r.tree} />
          </ul>
        </>
      )}
    </section>
  );
}
