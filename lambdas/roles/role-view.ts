/** What the role endpoints answer: the catalog listing, and one role resolved, checked and rendered. */
import type { RawRole, RoleError } from './role-model';
import { GRANT_FIELDS, type SingleField, type ListField, type MapField } from './role-model';
import { catalogSummary, resolveRole, validate, type KnownReferences } from './resolve';
import { renderRole, roleTree } from './render';

export function catalogView(catalog: RawRole[]) {
  const roles = catalogSummary(catalog);
  return { roles, valid: roles.every((r) => r.errors.length === 0) };
}

/** The resolved role, or undefined when no role has that name. */
export function roleView(catalog: RawRole[], name: string, known?: KnownReferences) {
  const { role, errors } = resolveRole(catalog, name);
  if (!role) return { found: false as const, errors };
  const all: RoleError[] = [...errors, ...(known ? validate(role, known) : [])];
  const withProperty = <F extends SingleField | ListField | MapField, T>(entries: [F, T][]) =>
    Object.fromEntries(entries.map(([field, value]) => [field, { property: GRANT_FIELDS[field].property, ...value }]));
  return {
    found: true as const,
    view: {
      name: role.name,
      inherits: role.chain.slice(0, -1).map((r) => r.name).reverse(),
      grants: {
        single: withProperty(Object.entries(role.single) as [SingleField, object][]),
        lists: withProperty((Object.entries(role.lists) as [ListField, object[]][]).filter(([, g]) => g.length).map(([f, grants]) => [f, { grants }] as [ListField, object])),
        maps: withProperty((Object.entries(role.maps) as [MapField, object][]).filter(([, m]) => Object.keys(m).length).map(([f, entries]) => [f, { entries }] as [MapField, object])),
      },
      /** A hire into this role waits for an operator's approval, because of this role (itself or an ancestor). */
      ...(role.approvalRequiredBy ? { approvalRequiredBy: role.approvalRequiredBy } : {}),
      tree: roleTree(role),
      text: renderRole(role),
      referencesChecked: Boolean(known),
      errors: all,
      valid: all.length === 0,
    },
  };
}
