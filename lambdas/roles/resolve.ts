/** Role inheritance: a role resolved with everything its ancestors grant, and where each grant comes from. Pure. */
import { dict, own } from '../shared/dict';
import {
  GRANT_FIELDS,
  LIST_FIELDS,
  MAP_FIELDS,
  PARENT_PROPERTY,
  SINGLE_FIELDS,
  samePageId,
  type ListField,
  type MapField,
  type RawRole,
  type RoleError,
  type SingleField,
} from './role-model';
import { parseScimGroup } from './scim-grants';

export interface Grant<T = string> {
  value: T;
  grantedBy: string;
}

/** A single value with the less specific values it replaced, most general first. */
export interface SingleGrant extends Grant {
  overrides?: Grant[];
}

export interface ResolvedRole {
  name: string;
  /** The role and its ancestors, most general first; the role itself is last. */
  chain: RawRole[];
  single: Partial<Record<SingleField, SingleGrant>>;
  /** Ancestors' values first, no duplicates: the first role to grant a value is named. */
  lists: Record<ListField, Grant[]>;
  /** Keyed `schema.field`; each entry overridden on its own. */
  maps: Record<MapField, Record<string, Grant<unknown> & { overrides?: Grant<unknown>[] }>>;
  /** The most general role in the chain whose "Requires approval" box is ticked: a hire into any role below it waits for an operator. */
  approvalRequiredBy?: string;
}

export interface Resolution {
  /** Present when the role exists; resolved as far up as the chain could be followed. */
  role?: ResolvedRole;
  errors: RoleError[];
}

/** Reference sets to check a resolved role against, e.g. the groups and profiles that exist. */
export interface KnownReferences {
  groups?: Set<string>;
  licenseSkus?: Set<string>;
  orgUnits?: Set<string>;
  calendars?: Set<string>;
  routingProfiles?: Set<string>;
  securityProfiles?: Set<string>;
  hierarchyGroups?: Set<string>;
  templateUsers?: Set<string>;
  /** The stage's SCIM app names (scimApps): `SCIM apps` and the app of each `SCIM groups` entry must be one. */
  scimApps?: Set<string>;
}

const REFERENCE_SETS: Partial<Record<SingleField | ListField, { known: keyof KnownReferences; what: string }>> = {
  googleOrgUnit: { known: 'orgUnits', what: 'Google org unit' },
  googleLicenseSku: { known: 'licenseSkus', what: 'Google license SKU' },
  googleGroups: { known: 'groups', what: 'Google group' },
  googleCalendars: { known: 'calendars', what: 'calendar' },
  connectRoutingProfile: { known: 'routingProfiles', what: 'Connect routing profile' },
  connectSecurityProfiles: { known: 'securityProfiles', what: 'Connect security profile' },
  connectHierarchyGroup: { known: 'hierarchyGroups', what: 'Connect hierarchy group' },
  connectTemplateUser: { known: 'templateUsers', what: 'Connect user' },
  scimApps: { known: 'scimApps', what: 'SCIM app' },
};

/** Roles by name; a name used by two pages is an error on both. */
function index(catalog: RawRole[]): { byName: Map<string, RawRole>; errors: RoleError[] } {
  const byName = new Map<string, RawRole>();
  const errors: RoleError[] = [];
  for (const role of catalog) {
    if (byName.has(role.name)) errors.push({ role: role.name, property: 'Name', message: 'is used by more than one page; role names must be unique' });
    else byName.set(role.name, role);
  }
  return { byName, errors };
}

/** The role and its ancestors (most specific first), stopping at a cycle or a missing parent with an error. */
function ancestry(catalog: RawRole[], role: RawRole): { chain: RawRole[]; errors: RoleError[] } {
  const chain: RawRole[] = [role];
  const errors: RoleError[] = [];
  for (let current = role; current.parentId; ) {
    const parentId = current.parentId;
    const parent = catalog.find((r) => samePageId(r.id, parentId));
    if (!parent) {
      errors.push({ role: current.name, property: PARENT_PROPERTY, message: `names page ${parentId}, which is not a role in the catalog` });
      break;
    }
    const seen = chain.findIndex((r) => r.id === parent.id);
    if (seen >= 0) {
      const loop = [...chain.slice(seen), parent].map((r) => r.name).join(' → ');
      errors.push({ role: current.name, property: PARENT_PROPERTY, message: `makes a cycle: ${loop}` });
      break;
    }
    chain.push(parent);
    current = parent;
  }
  return { chain, errors };
}

function emptyLists(): Record<ListField, Grant[]> {
  return Object.fromEntries(LIST_FIELDS.map((f) => [f, []])) as unknown as Record<ListField, Grant[]>;
}

function emptyMaps(): ResolvedRole['maps'] {
  // Keyed by schema and field names from Notion.
  return Object.fromEntries(MAP_FIELDS.map((f) => [f, dict()])) as unknown as ResolvedRole['maps'];
}

/** Resolves `name` against the raw catalog. Every problem found on the way is returned; nothing throws. */
export function resolveRole(catalog: RawRole[], name: string): Resolution {
  const { byName, errors: nameErrors } = index(catalog);
  const role = byName.get(name);
  if (!role) return { errors: [{ role: name, property: 'Name', message: 'no role of that name in the catalog' }] };
  const { chain: specificFirst, errors } = ancestry(catalog, role);
  const chain = [...specificFirst].reverse();

  const resolved: ResolvedRole = { name, chain, single: {}, lists: emptyLists(), maps: emptyMaps() };
  for (const r of chain) {
    for (const field of SINGLE_FIELDS) {
      const value = r.grants.single[field];
      if (value === undefined) continue;
      const before = resolved.single[field];
      const overrides = before ? [...(before.overrides ?? []), { value: before.value, grantedBy: before.grantedBy }] : undefined;
      resolved.single[field] = { value, grantedBy: r.name, ...(overrides ? { overrides } : {}) };
    }
    for (const field of LIST_FIELDS) {
      for (const value of r.grants.lists[field] ?? []) {
        if (!resolved.lists[field].some((g) => g.value === value)) resolved.lists[field].push({ value, grantedBy: r.name });
      }
    }
    for (const field of MAP_FIELDS) {
      for (const [key, value] of Object.entries(r.grants.maps[field] ?? {})) {
        const before = own(resolved.maps[field], key);
        const overrides = before ? [...(before.overrides ?? []), { value: before.value, grantedBy: before.grantedBy }] : undefined;
        resolved.maps[field][key] = { value, grantedBy: r.name, ...(overrides ? { overrides } : {}) };
      }
    }
  }
  const approver = chain.find((r) => r.requiresApproval);
  if (approver) resolved.approvalRequiredBy = approver.name;
  const chainNames = new Set(chain.map((r) => r.name));
  return {
    role: resolved,
    errors: [...nameErrors.filter((e) => chainNames.has(e.role)), ...chain.flatMap((r) => r.errors), ...errors],
  };
}

/** Checks every reference the resolved role grants against the known sets given; a set left out is not checked. */
export function validate(resolved: ResolvedRole, known: KnownReferences): RoleError[] {
  const errors: RoleError[] = [];
  const check = (field: SingleField | ListField, grant: Grant) => {
    const ref = REFERENCE_SETS[field];
    const set = ref && known[ref.known];
    if (set && !set.has(grant.value)) {
      errors.push({ role: grant.grantedBy, property: GRANT_FIELDS[field].property, message: `unknown ${ref.what} "${grant.value}"` });
    }
  };
  for (const field of SINGLE_FIELDS) {
    const grant = resolved.single[field];
    if (grant) check(field, grant);
  }
  for (const field of LIST_FIELDS) for (const grant of resolved.lists[field]) check(field, grant);
  errors.push(...scimGroupAppErrors(resolved, known));
  return errors;
}

/** A `SCIM groups` entry whose app the stage does not configure. */
function scimGroupAppErrors(resolved: ResolvedRole, known: KnownReferences): RoleError[] {
  const apps = known.scimApps;
  if (!apps) return [];
  return resolved.lists.scimGroups.flatMap((grant) => {
    const app = parseScimGroup(grant.value)?.app;
    return app && !apps.has(app) ? [{ role: grant.grantedBy, property: GRANT_FIELDS.scimGroups.property, message: `unknown SCIM app "${app}" in "${grant.value}"` }] : [];
  });
}

export interface CatalogEntry {
  name: string;
  parent?: string;
  errors: RoleError[];
}

/** The catalog as an operator lists it: each role, its parent and every error that stops it resolving. */
export function catalogSummary(catalog: RawRole[]): CatalogEntry[] {
  return catalog
    .map((role) => {
      const parent = role.parentId ? catalog.find((r) => samePageId(r.id, role.parentId!))?.name : undefined;
      const { errors } = resolveRole(catalog, role.name);
      return { name: role.name, ...(parent ? { parent } : {}), errors };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
