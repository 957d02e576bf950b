/**
 * The SCIM steps a role diff calls for, per app (docs/scim.md): a user provisioned with its groups in an app the role
 * gains, groups added and (after the grace period) removed in an app it keeps, the user deactivated in an app it loses.
 * An app is the role's when `SCIM apps` names it or a `SCIM groups` entry does. Pure.
 */
import type { Grant } from '../resolve';
import type { RoleDiff } from '../diff';
import { parseScimGroup } from '../scim-grants';
import type { StepPlanner } from './planner';

/** App → group display names, from `SCIM groups` grants (an entry not of the form app/group is left out: the role model refuses it). */
function groupsByApp(grants: readonly Grant[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const g of grants) {
    const parsed = parseScimGroup(g.value);
    if (parsed) out.set(parsed.app, [...(out.get(parsed.app) ?? []), parsed.group]);
  }
  return out;
}

export function scimSteps({ lists }: RoleDiff, { add, remove }: StepPlanner): void {
  const apps = lists.scimApps;
  const groups = lists.scimGroups;
  const added = groupsByApp(groups.added);
  const removed = groupsByApp(groups.removed);
  const kept = groupsByApp(groups.kept);
  const before = new Set([...apps.kept, ...apps.removed].map((g) => g.value).concat([...kept.keys(), ...removed.keys()]));
  const after = new Set([...apps.kept, ...apps.added].map((g) => g.value).concat([...kept.keys(), ...added.keys()]));
  for (const app of after) {
    const adding = added.get(app) ?? [];
    if (!before.has(app)) add(`scim-${app}-provision`, 'scim.provisionUser', { app, groups: adding });
    else if (adding.length) add(`scim-${app}-add-groups`, 'scim.addToGroups', { app, groups: adding });
  }
  for (const app of before) {
    if (!after.has(app)) remove(`scim-${app}-deactivate`, 'scim.deactivateUser', { app });
    else if (removed.get(app)?.length) remove(`scim-${app}-remove-groups`, 'scim.removeFromGroups', { app, groups: removed.get(app) }, `scim-${app}-add-groups`);
  }
}
