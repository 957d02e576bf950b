/**
 * Takes a mover out of the SCIM groups of an app their old role named, after the grace period, recording each
 * membership it removed (result.removed) so a cancel puts it back (scim.reactivateUser).
 */
import * as z from '../../shared/zod';
import { defineAction } from '../define-action';
import { appParam, applyMemberships, checkedUser, scimAccount, groupsParam, names, scimClient, type ScimRemoved } from './scim-account';
import type { ScimGroup } from '../../providers/scim/scim-client';

export const removeScimUserFromGroups = defineAction({
  name: 'scim.removeFromGroups',
  account: scimAccount({ removes: true }),
  params: z.strictObject({ app: appParam, groups: groupsParam }),
  async run(ctx, { app, groups }, request, checked) {
    const client = scimClient(ctx, request, app);
    const user = checkedUser(checked);
    if (!user) return { ok: true, note: `no SCIM user of employee ${request.employee.id} in ${app}: no group to leave`, result: { removed: null } };
    // A group gone from the app holds nobody: nothing to take the user out of.
    const found = (await Promise.all(groups.map((g) => client.findGroupByName(g)))).filter((g): g is ScimGroup => g !== undefined);
    const out = await applyMemberships(client, user.id, found, false);
    const removed: ScimRemoved | null = out.changed.length ? { app, userId: user.id, userName: user.userName, groups: out.changed } : null;
    return {
      ok: true,
      note: out.changed.length ? `removed ${user.userName} from ${names(out.changed)} in ${app}` : `${user.userName} was in none of ${groups.join(', ')} in ${app}`,
      result: { removed },
    };
  },
});
