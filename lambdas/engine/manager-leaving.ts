/**
 * Whether a leaver's manager is leaving too: an employee at the manager's address with a termination run still in
 * progress. A handover to them would be locked out with them (their lockout may not have run yet, and their account
 * stays active until day +30), so the dispatcher tells the steps that hand things to the manager, which Google cannot.
 */
import { TO_MANAGER_ACTIONS } from './action-names';
import { normalizeTerm } from './employee-search';
import type { Run } from './model';
import type { ActionRequest, EngineDeps } from './ports';
import { ENDED } from './termination-overlap';

/** How many employees whose terms start with the address are looked at: an address is one person's. */
const CANDIDATES = 10;

export async function managerLeaving(deps: Pick<EngineDeps, 'store'>, run: Run, action: string): Promise<Pick<ActionRequest, 'managerLeaving'>> {
  const manager = run.employee.managerEmail?.trim().toLowerCase();
  if (run.type !== 'terminate' || !manager || !TO_MANAGER_ACTIONS.includes(action)) return {};
  const ids = await deps.store.searchEmployees(normalizeTerm(manager), CANDIDATES);
  for (const id of ids.filter((x) => x !== run.employee.id)) {
    const profile = await deps.store.getEmployee(id);
    if (profile?.email?.trim().toLowerCase() !== manager) continue;
    const open = (await deps.store.listRuns(id))
      .filter((r) => r.type === 'terminate' && !ENDED.includes(r.status))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];
    if (open) return { managerLeaving: { employeeId: id, runId: open.runId, effectiveDate: open.effectiveDate } };
  }
  return {};
}
