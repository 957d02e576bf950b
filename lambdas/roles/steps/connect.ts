/** The Amazon Connect steps a role diff calls for: an agent to create, to change, or to remove, depending on whether each role gives one. Pure. */
import type { RoleDiff } from '../diff';
import { newValue, oldValue, values, type StepPlanner } from './planner';

/** A role gives a Connect agent when it names a routing profile, a security profile or a template agent. */
const connectBefore = (diff: RoleDiff) =>
  Boolean(diff.single.connectRoutingProfile?.kept ?? oldValue(diff.single.connectRoutingProfile) ?? diff.single.connectTemplateUser?.kept ?? oldValue(diff.single.connectTemplateUser)) ||
  diff.lists.connectSecurityProfiles.kept.length + diff.lists.connectSecurityProfiles.removed.length > 0;
const connectAfter = (diff: RoleDiff) =>
  Boolean(diff.single.connectRoutingProfile?.kept ?? newValue(diff.single.connectRoutingProfile) ?? diff.single.connectTemplateUser?.kept ?? newValue(diff.single.connectTemplateUser)) ||
  diff.lists.connectSecurityProfiles.kept.length + diff.lists.connectSecurityProfiles.added.length > 0;

export function connectSteps(diff: RoleDiff, { add, remove }: StepPlanner): void {
  const { single, lists } = diff;
  const had = connectBefore(diff);
  const has = connectAfter(diff);
  const security = lists.connectSecurityProfiles;
  if (has && !had) {
    const setup = {
      routingProfileId: newValue(single.connectRoutingProfile),
      securityProfileIds: security.added.length ? values(security.added) : undefined,
      hierarchyGroupId: newValue(single.connectHierarchyGroup),
      templateUsername: newValue(single.connectTemplateUser),
    };
    add('create-connect-agent', 'connect.createAgent', Object.fromEntries(Object.entries(setup).filter(([, v]) => v !== undefined)));
  } else if (has && had) {
    const update = {
      routingProfileId: newValue(single.connectRoutingProfile),
      hierarchyGroupId: newValue(single.connectHierarchyGroup),
      templateUsername: newValue(single.connectTemplateUser),
      addSecurityProfileIds: security.added.length ? values(security.added) : undefined,
    };
    const params = Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined));
    if (Object.keys(params).length) add('update-connect-agent', 'connect.updateAgent', params);
    // Old profiles and a hierarchy group the new role does not name go after the grace period; a routing profile cannot be cleared.
    const clearHierarchy = single.connectHierarchyGroup?.changed && !single.connectHierarchyGroup.changed.to;
    const removal = { ...(security.removed.length ? { removeSecurityProfileIds: values(security.removed) } : {}), ...(clearHierarchy ? { hierarchyGroupId: null } : {}) };
    if (Object.keys(removal).length) remove('remove-connect-access', 'connect.updateAgent', removal, 'update-connect-agent');
  } else if (had && !has) {
    remove('remove-connect-agent', 'connect.removeAgent', {});
  }
}
