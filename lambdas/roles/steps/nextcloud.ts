/**
 * The Nextcloud steps a role diff calls for (docs/nextcloud.md): a user to provision, to change, or to disable,
 * depending on whether each role gives one. A role gives a Nextcloud user when it names a Nextcloud group or quota.
 * Joiner = the diff from nothing, leaver = the diff to nothing; a mover's old groups go after the grace period, after
 * the add step. Pure.
 */
import type { RoleDiff, SingleDiff } from '../diff';
import { values, type StepPlanner } from './planner';

const before = (d: SingleDiff | undefined) => d?.kept?.value ?? d?.changed?.from?.value;
const after = (d: SingleDiff | undefined) => d?.kept?.value ?? d?.changed?.to?.value;

export function nextcloudSteps(diff: RoleDiff, { add, remove }: StepPlanner): void {
  const { single, lists } = diff;
  const groups = lists.nextcloudGroups;
  const oldGroups = [...groups.kept, ...groups.removed];
  const newGroups = [...groups.kept, ...groups.added];
  const had = Boolean(before(single.nextcloudQuota)) || oldGroups.length > 0;
  const has = Boolean(after(single.nextcloudQuota)) || newGroups.length > 0;
  if (has && !had) {
    const quota = after(single.nextcloudQuota);
    add('provision-nextcloud-user', 'nextcloud.provisionUser', { ...(newGroups.length ? { groups: values(newGroups) } : {}), ...(quota ? { quota } : {}) });
  } else if (has && had) {
    const quota = single.nextcloudQuota?.changed?.to?.value;
    const update = { ...(groups.added.length ? { addGroups: values(groups.added) } : {}), ...(quota ? { quota } : {}) };
    if (Object.keys(update).length) add('update-nextcloud-user', 'nextcloud.updateUser', update);
    if (groups.removed.length) remove('remove-nextcloud-groups', 'nextcloud.removeGroups', { groups: values(groups.removed) }, 'update-nextcloud-user');
  } else if (had && !has) {
    // A leaver (or a mover to a role without Nextcloud): out of every group, disabled; their files kept.
    const quota = before(single.nextcloudQuota);
    remove('disable-nextcloud-user', 'nextcloud.disableUser', { granted: { ...(oldGroups.length ? { groups: values(oldGroups) } : {}), ...(quota ? { quota } : {}) } });
  }
}
