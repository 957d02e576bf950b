/** A resolved role as an operator reads it: the inheritance tree with what each role grants, then the effective access. Pure. */
import { GRANT_FIELDS, GRANT_FIELD_NAMES, type GrantField } from './role-model';
import type { ResolvedRole } from './resolve';

export interface RoleTreeGrant {
  field: GrantField;
  property: string;
  /** One line, e.g. `Google groups: support@example.com, all-staff@example.com`. */
  text: string;
}

export interface RoleTreeNode {
  role: string;
  inherits?: RoleTreeNode;
  grants: RoleTreeGrant[];
}

const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** The tree, most specific role at the root; each node holds what that role itself declares. */
export function roleTree(resolved: ResolvedRole): RoleTreeNode {
  const current = new Map<string, { value: string; by: string }>();
  const listed = new Map<string, string>();
  let node: RoleTreeNode | undefined;
  for (const role of resolved.chain) {
    const grants: RoleTreeGrant[] = [];
    for (const field of GRANT_FIELD_NAMES) {
      const spec = GRANT_FIELDS[field];
      const parts: string[] = [];
      const declared =
        spec.kind === 'single'
          ? ([[field, role.grants.single[field as keyof typeof role.grants.single]]] as [string, unknown][])
          : spec.kind === 'map'
            ? Object.entries(role.grants.maps[field as keyof typeof role.grants.maps] ?? {}).map(([k, v]) => [`${field}:${k}`, v] as [string, unknown])
            : [];
      if (spec.kind === 'list') {
        for (const value of role.grants.lists[field as keyof typeof role.grants.lists] ?? []) {
          const from = listed.get(`${field}:${value}`);
          parts.push(from ? `${value} (also from ${from})` : value);
          if (!from) listed.set(`${field}:${value}`, role.name);
        }
      } else {
        for (const [key, value] of declared) {
          if (value === undefined) continue;
          const text = spec.kind === 'map' ? `${key.slice(field.length + 1)} = ${show(value)}` : show(value);
          const before = current.get(key);
          parts.push(before ? `${text} (overrides ${before.value} from ${before.by})` : text);
          current.set(key, { value: spec.kind === 'map' ? show(value) : text, by: role.name });
        }
      }
      if (parts.length) grants.push({ field, property: spec.property, text: `${spec.label}: ${parts.join(', ')}` });
    }
    node = { role: role.name, ...(node ? { inherits: node } : {}), grants };
  }
  return node ?? { role: resolved.name, grants: [] };
}

function treeLines(node: RoleTreeNode, prefix: string): string[] {
  const children: { text: string; node?: RoleTreeNode }[] = [
    ...(node.inherits ? [{ text: `inherits ${node.inherits.role}`, node: node.inherits }] : []),
    ...node.grants.map((g) => ({ text: g.text })),
  ];
  if (children.length === 0) return [`${prefix}└─ (grants nothing)`];
  return children.flatMap((child, i) => {
    const last = i === children.length - 1;
    const line = `${prefix}${last ? '└─ ' : '├─ '}${child.text}`;
    return child.node ? [line, ...treeLines(child.node, `${prefix}${last ? '   ' : '│  '}`)] : [line];
  });
}

/** The effective access, one line per grant, each value with the role it comes from. */
export function effectiveLines(resolved: ResolvedRole): string[] {
  const lines: string[] = [];
  for (const field of GRANT_FIELD_NAMES) {
    const spec = GRANT_FIELDS[field];
    if (spec.kind === 'single') {
      const grant = resolved.single[field as keyof ResolvedRole['single']];
      if (grant) lines.push(`${spec.label}: ${grant.value} (${grant.grantedBy})`);
    } else if (spec.kind === 'list') {
      const grants = resolved.lists[field as keyof ResolvedRole['lists']];
      if (grants.length) lines.push(`${spec.label}: ${grants.map((g) => `${g.value} (${g.grantedBy})`).join(', ')}`);
    } else {
      const entries = Object.entries(resolved.maps[field as keyof ResolvedRole['maps']]);
      if (entries.length) lines.push(`${spec.label}: ${entries.map(([k, g]) => `${k} = ${show(g.value)} (${g.grantedBy})`).join(', ')}`);
    }
  }
  return lines;
}

/** The whole text: the tree, a blank line, then the effective access. */
export function renderRole(resolved: ResolvedRole): string {
  const tree = roleTree(resolved);
  const effective = effectiveLines(resolved);
  return [
    tree.role,
    ...treeLines(tree, ''),
    '',
    'Effective access:',
    ...(effective.length ? effective.map((l) => `  ${l}`) : ['  (none)']),
  ].join('\n');
}
