/**
 * The Zendesk steps a role diff calls for: a user to provision, to change, or to suspend, depending on whether each
 * role gives one. A role gives a Zendesk user when it names a Zendesk role, custom role or group (an agent unless its
 * Zendesk role says otherwise: groups and custom roles are agents'). Pure.
 */
import type { RoleDiff, SingleDiff } from '../diff';
import { values, type StepPlanner } from './planner';

const before = (d: SingleDiff | undefined) => d?.kept?.value ?? d?.changed?.from?.value;
const after = (d: SingleDiff | undefined) => d?.kept?.value ?? d?.changed?.to?.value;

export function zendeskSteps(diff: RoleDiff, { add, remove }: StepPlanner): void {
  const { single, lists } = diff;
  const groups = lists.zendeskGroups;
  const oldGroups = [...groups.kept, ...groups.removed];
  const newGroups = [...groups.kept, ...groups.added];
  const had = Boolean(before(single.zendeskRole) ?? before(single.zendeskCustomRole)) || oldGroups.length > 0;
  const has = Boolean(after(single.zendeskRole) ?? after(single.zendeskCustomRole)) || newGroups.length > 0;
  if (has && !had) {
    const customRole = after(single.zendeskCustomRole);
    add('provision-zendesk-user', 'zendesk.provisionUser', {
      role: after(single.zendeskRole) ?? 'agent',
      ...(customRole ? { customRole } : {}),
      ...(newGroups.length ? { groups: values(newGroups) } : {}),
    });
  } else if (has && had) {
    const oldRole = before(single.zendeskRole) ?? 'agent';
    const newRole = after(single.zendeskRole) ?? 'agent';
    const newCustomRole = after(single.zendeskCustomRole);
    const update = {
      ...(newRole !== oldRole ? { role: newRole } : {}),
      ...(single.zendeskCustomRole?.changed?.to ? { customRole: newCustomRole } : {}),
      ...(groups.added.length ? { addGroups: values(groups.added) } : {}),
    };
    if (Object.keys(update).length) add('update-zendesk-user', 'zendesk.updateUser', update);
    // The old role's groups and a custom role the new role does not name go after the grace period.
    const clearCustomRole = single.zendeskCustomRole?.changed && !single.zendeskCustomRole.changed.to;
    const removal = { ...(groups.removed.length ? { removeGroups: values(groups.removed) } : {}), ...(clearCustomRole ? { customRole: null } : {}) };
    if (Object.keys(removal).length) remove('remove-zendesk-access', 'zendesk.updateUser', removal, 'update-zendesk-user');
  } else if (had && !has) {
    // A leaver (or a mover to a role without Zendesk): suspended, out of every group, open tickets handed over.
    const customRole = before(single.zendeskCustomRole);
    const granted = { role: before(single.zendeskRole) ?? 'agent', ...(customRole ? { customRole } : {}), ...(oldGroups.length ? { groups: values(oldGroups) } : {}) };
    remove('suspend-zendesk-user', 'zendesk.suspendUser', { granted });
  }
}
