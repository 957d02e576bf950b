/** What a mover gains and loses: the difference of two resolved roles, and the steps that apply it. Pure. */
import { LIST_FIELDS, MAP_FIELDS, SINGLE_FIELDS, type ListField, type MapField, type SingleField } from './role-model';
import type { Grant, ResolvedRole } from './resolve';
import { dict, own } from '../shared/dict';
import { CONNECTOR_STEPS } from './steps';
import type { StepPlanner } from './steps/planner';

/** Days access only the old role had is kept after the effective date, unless config says otherwise. */
export const DEFAULT_GRACE_DAYS = 7;

/** A value in both roles: named by the role that grants it now, and by the old one when that differs. */
export interface KeptGrant<T = string> extends Grant<T> {
  previouslyGrantedBy?: string;
}

export interface ListDiff {
  /** In the new role only, with the role that grants it. */
  added: Grant[];
  /** In the old role only, with the role that granted it. */
  removed: Grant[];
  kept: KeptGrant[];
}

/** Absent from `RoleDiff.single` when neither role grants the field. */
export type SingleDiff = { changed: { from?: Grant; to?: Grant }; kept?: never } | { kept: KeptGrant; changed?: never };

/** Keyed `schema.field`. */
export interface MapDiff {
  set: Record<string, Grant<unknown>>;
  changed: Record<string, { from: Grant<unknown>; to: Grant<unknown> }>;
  removed: Record<string, Grant<unknown>>;
  kept: Record<string, KeptGrant<unknown>>;
}

export interface RoleDiff {
  /** The old role's name; absent when no previous role is known (everything is added). */
  from?: string;
  to: string;
  single: Partial<Record<SingleField, SingleDiff>>;
  lists: Record<ListField, ListDiff>;
  maps: Record<MapField, MapDiff>;
}

export interface MoverStepPlan {
  /** Stable and readable (`add-groups`, `remove-license`), unique within a plan. */
  id: string;
  action: string;
  params: Record<string, unknown>;
  phase: 'add' | 'remove';
  /** Days after the effective date. */
  offsetDays: number;
  /** Step ids that must have succeeded first. */
  after?: string[];
}

/** Google compares addresses and org unit paths without regard to case (and a path's trailing slash). */
const KEY_OF: Partial<Record<SingleField | ListField, (v: string) => string>> = {
  googleGroups: (v) => v.toLowerCase(),
  googleCalendars: (v) => v.toLowerCase(),
  googleOrgUnit: (v) => v.replace(/\/+$/, '').toLowerCase() || '/',
};
const keyOf = (field: SingleField | ListField, value: string) => (KEY_OF[field] ?? ((v: string) => v))(value);

const grant = <T>(g: Grant<T>): Grant<T> => ({ value: g.value, grantedBy: g.grantedBy });
const kept = <T>(to: Grant<T>, from: Grant<T>): KeptGrant<T> => ({ ...grant(to), ...(from.grantedBy !== to.grantedBy ? { previouslyGrantedBy: from.grantedBy } : {}) });
/** Custom schema values are JSON: equal when they serialize the same. */
const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function diffList(field: ListField, from: Grant[], to: Grant[]): ListDiff {
  const before = new Map(from.map((g) => [keyOf(field, g.value), g]));
  const after = new Set(to.map((g) => keyOf(field, g.value)));
  const out: ListDiff = { added: [], removed: [], kept: [] };
  for (const g of to) {
    const old = before.get(keyOf(field, g.value));
    if (old) out.kept.push(kept(g, old));
    else out.added.push(grant(g));
  }
  for (const g of from) if (!after.has(keyOf(field, g.value))) out.removed.push(grant(g));
  return out;
}

function diffMap(from: Record<string, Grant<unknown>>, to: Record<string, Grant<unknown>>): MapDiff {
  // Keyed by schema and field names from Notion (or a run stored before they were checked).
  const out: MapDiff = { set: dict(), changed: dict(), removed: dict(), kept: dict() };
  for (const [key, g] of Object.entries(to)) {
    const old = own(from, key);
    if (!old) out.set[key] = grant(g);
    else if (sameJson(old.value, g.value)) out.kept[key] = kept(g, old);
    else out.changed[key] = { from: grant(old), to: grant(g) };
  }
  for (const [key, g] of Object.entries(from)) if (own(to, key) === undefined) out.removed[key] = grant(g);
  return out;
}

/** The difference between the old role and the new one; `from` undefined means nothing is known to be held, so all of `to` is added. */
export function diffRoles(from: ResolvedRole | undefined, to: ResolvedRole): RoleDiff {
  const single: RoleDiff['single'] = {};
  for (const field of SINGLE_FIELDS) {
    const a = from?.single[field];
    const b = to.single[field];
    if (!a && !b) continue;
    single[field] = a && b && keyOf(field, a.value) === keyOf(field, b.value) ? { kept: kept(b, a) } : { changed: { ...(a ? { from: grant(a) } : {}), ...(b ? { to: grant(b) } : {}) } };
  }
  const lists = Object.fromEntries(LIST_FIELDS.map((f) => [f, diffList(f, from?.lists[f] ?? [], to.lists[f])])) as Record<ListField, ListDiff>;
  const maps = Object.fromEntries(MAP_FIELDS.map((f) => [f, diffMap(from?.maps[f] ?? {}, to.maps[f])])) as Record<MapField, MapDiff>;
  return { ...(from ? { from: from.name } : {}), to: to.name, single, lists, maps };
}

/**
 * The steps that apply a diff: new access on the effective date (offset 0), old access after `graceDays`. A removal
 * runs after the add of the same kind (the old groups only once the new ones are added), so a failed add never
 * leaves the mover with less than before. Each system plans its own steps (lambdas/roles/steps/); only steps with
 * something to do are planned.
 */
export function moverSteps(diff: RoleDiff, opts: { graceDays: number }): MoverStepPlan[] {
  const adds: MoverStepPlan[] = [];
  const removes: MoverStepPlan[] = [];
  const planner: StepPlanner = {
    add: (id, action, params) => adds.push({ id, action, params, phase: 'add', offsetDays: 0 }),
    remove: (id, action, params, afterId) => {
      const after = afterId && adds.some((s) => s.id === afterId) ? [afterId] : undefined;
      removes.push({ id, action, params, phase: 'remove', offsetDays: opts.graceDays, ...(after ? { after } : {}) });
    },
  };
  for (const plan of CONNECTOR_STEPS) plan(diff, planner);
  return [...adds, ...removes];
}
