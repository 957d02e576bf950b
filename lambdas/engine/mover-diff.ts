/**
 * A mover's diff as the console shows it beside a role change's plan: from which role to which, the access added,
 * removed and kept as plain lists (what it is, its value, the role that grants it), and the day the removals are due.
 */
import { diffRoles, type RoleDiff } from '../roles/diff';
import { GRANT_FIELDS, LIST_FIELDS, MAP_FIELDS, SINGLE_FIELDS, type GrantField } from '../roles/role-model';
import type { Grant, ResolvedRole } from '../roles/resolve';
import type { AccessItem, MoverDiffView, Run } from './model';
import { moverGraceDays, roleStepDueAt, roleTiming } from './plan';
import type { EngineDeps } from './ports';
import { localDate } from './time';

const item = (field: GrantField, g: Grant<unknown> & { previouslyGrantedBy?: string }, key?: string): AccessItem => ({
  field,
  label: GRANT_FIELDS[field].label,
  kind: GRANT_FIELDS[field].kind,
  ...(key !== undefined ? { key } : {}),
  value: g.value,
  grantedBy: g.grantedBy,
  ...(g.previouslyGrantedBy ? { previouslyGrantedBy: g.previouslyGrantedBy } : {}),
});

/** The diff as three plain lists, in the catalog's field order; a changed single value or map entry is one removed and one added. */
export function accessLists(diff: RoleDiff): Pick<MoverDiffView, 'added' | 'removed' | 'kept'> {
  const out: Pick<MoverDiffView, 'added' | 'removed' | 'kept'> = { added: [], removed: [], kept: [] };
  for (const field of SINGLE_FIELDS) {
    const d = diff.single[field];
    if (d?.kept) out.kept.push(item(field, d.kept));
    if (d?.changed?.from) out.removed.push(item(field, d.changed.from));
    if (d?.changed?.to) out.added.push(item(field, d.changed.to));
  }
  for (const field of LIST_FIELDS) {
    const d = diff.lists[field];
    out.added.push(...d.added.map((g) => item(field, g)));
    out.removed.push(...d.removed.map((g) => item(field, g)));
    out.kept.push(...d.kept.map((g) => item(field, g)));
  }
  for (const field of MAP_FIELDS) {
    const d = diff.maps[field];
    for (const [key, g] of Object.entries(d.set)) out.added.push(item(field, g, key));
    for (const [key, c] of Object.entries(d.changed)) {
      out.removed.push(item(field, c.from, key));
      out.added.push(item(field, c.to, key));
    }
    for (const [key, g] of Object.entries(d.removed)) out.removed.push(item(field, g, key));
    for (const [key, g] of Object.entries(d.kept)) out.kept.push(item(field, g, key));
  }
  return out;
}

/**
 * The removals' due time as planned: the run's removal steps say it; a run that removes nothing says when removals
 * would have been due, from the same playbook timing and stage setting the planner uses.
 */
function removalsDueAt(run: Run, schedule: Pick<EngineDeps, 'playbooks' | 'settings'>): string {
  const planned = run.steps
    .filter((s) => s.removes)
    .map((s) => s.dueAt)
    .sort()
    .at(0);
  return planned ?? roleStepDueAt(run, roleTiming(schedule.playbooks.role_change), moverGraceDays(schedule.settings));
}

/**
 * The diff of a role change planned from a resolved role; undefined for any other run (another type, no role, or a
 * role that cannot be resolved: its errors say why). `previous` is the resolved role of the run that granted the
 * role held before (run.role.previous), or undefined when that run cannot be read.
 */
export function moverDiffView(run: Run, previous: ResolvedRole | undefined, schedule: Pick<EngineDeps, 'playbooks' | 'settings'>): MoverDiffView | undefined {
  const role = run.role;
  if (run.type !== 'role_change' || !role?.resolved) return undefined;
  const before = role.previous;
  const known = Boolean(before && previous);
  const note = !before
    ? 'no earlier role is on record for this employee: everything the role grants is listed as added, nothing as removed'
    : !previous
      ? `the role held before (${before.name}, run ${before.runId}) cannot be read: everything the role grants is listed as added, nothing as removed`
      : undefined;
  const dueAt = removalsDueAt(run, schedule);
  return {
    ...(before ? { from: before.name, fromRunId: before.runId } : {}),
    to: role.name,
    previousKnown: known,
    ...(note ? { note } : {}),
    ...accessLists(diffRoles(known ? previous : undefined, role.resolved)),
    removalsDueAt: dueAt,
    graceDate: localDate(new Date(dueAt), run.employee.timezone),
  };
}

/** The mover's diff of a stored run: reads the run that granted the role held before. */
export async function runMoverDiff(deps: Pick<EngineDeps, 'store' | 'playbooks' | 'settings'>, run: Run): Promise<MoverDiffView | undefined> {
  if (run.type !== 'role_change' || !run.role?.resolved) return undefined;
  const before = run.role.previous;
  const previousRun = before ? await deps.store.getRun(run.employeeId, before.runId) : undefined;
  return moverDiffView(run, previousRun?.role?.resolved, deps);
}
