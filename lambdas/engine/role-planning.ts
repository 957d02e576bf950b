/** Finds the role a hire or role change names in the catalog, checked, so the run can be planned from it. */
import { renderRole } from '../roles/render';
import { resolveRole, validate } from '../roles/resolve';
import type { RoleError } from '../roles/role-model';
import type { PlannedEvent, Run } from './model';
import { heldRole, type PlannedRole } from './plan';
import type { EngineDeps } from './ports';
import { errorFields } from '../shared/log-fields';

export type RoleLookup =
  /** No role to plan from (a leaver, or an event naming none), or the role as found, errors and all. */
  | { ok: true; role?: PlannedRole }
  /** The catalog cannot be read now: nothing is written, the sender tries again. */
  | { ok: false; message: string };

/**
 * Reads the catalog (cached for a short while) and resolves the event's role. Problems with the role
 * itself (unknown, a cycle, a bad property, a group or profile that does not exist) come back as
 * errors to hold the run with; only an unreadable catalog is a refusal.
 */
export async function roleForEvent(
  deps: Pick<EngineDeps, 'roles' | 'log'>,
  event: PlannedEvent,
  runs: Run[],
  runId: string,
  planned: number,
): Promise<RoleLookup> {
  // A leaver's role is the one held, as the runs that granted it recorded it: no catalog read, so a catalog that
  // cannot be read, or a role changed or deleted since, never holds or changes a leaver's revocation.
  if (event.type === 'terminate') return { ok: true, role: leaverRole(runs, runId, planned) };
  const name = event.employee.role;
  if (!name) return { ok: true };
  if (!deps.roles) return { ok: false, message: `employee.role names "${name}", but no role catalog is configured to plan from` };
  let catalog;
  try {
    catalog = await deps.roles.catalog.load();
  } catch (err) {
    return { ok: false, message: `the role catalog could not be read (${err instanceof Error ? err.message : String(err)}); nothing was recorded, send the event again` };
  }
  const { role, errors } = resolveRole(catalog, name);
  const problems: RoleError[] = [...errors];
  if (role && deps.roles.knownReferences) {
    try {
      problems.push(...validate(role, await deps.roles.knownReferences()));
    } catch (err) {
      // The references are checked again by each action, which fails clearly on an unknown group or profile.
      deps.log.warn('the role references could not be checked', { role: name, ...errorFields(err) });
    }
  }
  if (!role || problems.length) return { ok: true, role: { name, errors: problems, planned } };
  const previous = event.type === 'role_change' ? heldRole(runs, runId) : undefined;
  return { ok: true, role: { name, resolved: role, text: renderRole(role), ...(previous ? { previous } : {}), planned } };
}

/** The role a leaver held (their latest hire's or role change's, not undone), to revoke its grants; none on record, nothing. */
export function leaverRole(runs: Run[], runId: string, planned: number): PlannedRole | undefined {
  const held = heldRole(runs, runId);
  if (!held) return undefined;
  return { name: held.role.name, resolved: held.role, text: renderRole(held.role), grantedByRunId: held.runId, planned };
}

/**
 * What a leaver's run says when their event names a role no earlier run granted (someone hired before the role catalog
 * was used): the role's own grants are not revoked, since what it granted is not on record.
 */
export function unrevokedRoleNote(name: string): string {
  return `the event names role ${name}, which no earlier run granted: its grants that the playbook does not remove wholesale (team calendars, custom schema fields) are not revoked; check them by hand`;
}

/** The company address the employee's runs know, newest first: a mover's event may leave it out. */
export function knownAddress(runs: Run[]): string | undefined {
  return [...runs].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).find((r) => r.employee.email)?.employee.email;
}
