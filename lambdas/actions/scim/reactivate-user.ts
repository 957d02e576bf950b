/**
 * Undoes scim.deactivateUser and scim.removeFromGroups on a cancel or a rehire: sets the user's active flag back to
 * what was recorded and puts it back into each recorded group (by id, or by name where the group was made again),
 * reading both back. A group gone from the app is named in the note, not a failure. Only on the user id recorded,
 * still bound to the employee (externalId): any other is refused.
 */
import * as z from '../../shared/zod';
import { defineAction } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import type { ScimGroup } from '../../providers/scim/scim-client';
import { applyMemberships, checkedUser, scimAccount, names, removedSchema, scimClient } from './scim-account';

export const reactivateScimUser = defineAction({
  name: 'scim.reactivateUser',
  account: scimAccount({ restores: true }),
  params: z.strictObject({ result: z.nullish(z.object({ removed: z.nullish(removedSchema) })) }),
  async run(ctx, { result }, request, checked) {
    const removed = result?.removed;
    if (!removed) return { ok: true, note: 'nothing to restore: the step removed nothing in a SCIM app' };
    const { app } = removed;
    const client = scimClient(ctx, request, app);
    const user = checkedUser(checked);
    if (!user) throw new ProviderError(`SCIM app ${app} has no user ${removed.userName} (${removed.userId}) any more: it was deleted there, and a restore does not make a new one`, false);
    // Only the user the removal recorded (the account check refused one no longer bound to this employee): a restore
    // never gives groups to another account.
    if (user.id !== removed.userId) {
      throw new ProviderError(`SCIM app ${app}: the user of ${removed.userName} or employee ${request.employee.id} is now ${user.id}, not ${removed.userId} the step removed from its groups: nothing was restored; restore it by hand if it is the same person`, false);
    }
    const groups: ScimGroup[] = [];
    const gone: string[] = [];
    for (const recorded of removed.groups) {
      const group = (await client.getGroup(recorded.id)) ?? (await client.findGroupByName(recorded.displayName));
      if (group) groups.push(group);
      else gone.push(recorded.displayName);
    }
    const wantActive = removed.active;
    if (wantActive !== undefined && (user.active !== false) !== wantActive) await client.updateUser(user.id, { active: wantActive });
    const out = await applyMemberships(client, user.id, groups, true);
    const after = await client.getUser(user.id);
    if (wantActive !== undefined && (after?.active !== false) !== wantActive) {
      throw new ProviderError(`SCIM app ${app}: user ${user.userName} (${user.id}) does not read back ${wantActive ? 'active' : 'inactive'} after the restore`, true);
    }
    const parts = [
      wantActive === undefined ? `SCIM user ${user.userName} in ${app}` : `SCIM user ${user.userName} in ${app} ${wantActive ? 'active' : 'inactive'} again`,
      out.changed.length ? `back in ${names(out.changed)}` : '',
      out.already.length ? `already in ${names(out.already)}` : '',
      gone.length ? `${gone.join(', ')} no longer in the app: not restored` : '',
    ];
    return {
      ok: true,
      ...(wantActive !== undefined ? { accountState: wantActive ? ('active' as const) : ('suspended' as const) } : {}),
      note: parts.filter(Boolean).join('; '),
      result: { restored: { app, userId: user.id, groups: [...out.changed, ...out.already], ...(wantActive !== undefined ? { active: wantActive } : {}) }, ...(gone.length ? { groupsGone: gone } : {}) },
    };
  },
});
