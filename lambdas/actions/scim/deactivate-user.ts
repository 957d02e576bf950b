/**
 * Deactivates a leaver's user in a SCIM app (or one their role no longer names): records its active flag and every
 * group membership first, takes it out of each group, sets `active: false` (PATCH replace, or PUT), and reads both back.
 * The record (result.removed) is what scim.reactivateUser puts back on a cancel or a rehire. The user is not deleted.
 */
import * as z from '../../shared/zod';
import { defineAction } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { appParam, applyMemberships, checkedUser, scimAccount, names, removedSchema, scimClient, type ScimRemoved } from './scim-account';

export const deactivateScimUser = defineAction({
  name: 'scim.deactivateUser',
  account: scimAccount({ removes: true }),
  params: z.strictObject({ app: appParam }),
  async run(ctx, { app }, request, checked) {
    const client = scimClient(ctx, request, app);
    // A snapshot an earlier attempt took before it failed: the memberships may be gone already.
    const earlier = removedSchema.safeParse(request.progress?.snapshot);
    let snapshot: ScimRemoved | undefined = earlier.success && earlier.data.app === app ? earlier.data : undefined;
    try {
      const user = checkedUser(checked);
      if (!user) return { ok: true, note: `no SCIM user of employee ${request.employee.id} in ${app}: nothing to deactivate`, result: { removed: snapshot ?? null } };
      const groups = await client.groupsOf(user.id);
      snapshot ??= { app, userId: user.id, userName: user.userName, groups: groups.map((g) => ({ id: g.id, displayName: g.displayName })), active: user.active !== false };
      await applyMemberships(client, user.id, groups, false);
      if (user.active !== false) await client.updateUser(user.id, { active: false });
      const after = await client.getUser(user.id);
      const left = await client.groupsOf(user.id);
      if (!after || after.active !== false || left.length) {
        throw new ProviderError(`SCIM app ${app}: user ${user.userName} (${user.id}) reads back ${after?.active === false ? 'inactive' : 'active'}${left.length ? `, still in ${left.map((g) => g.displayName).join(', ')}` : ''}`, true);
      }
      const alreadyInactive = snapshot.active === false && !snapshot.groups.length;
      return {
        ok: true,
        accountState: 'suspended' as const,
        note: alreadyInactive
          ? `SCIM user ${user.userName} (${user.id}) in ${app} was inactive in no group already`
          : `deactivated SCIM user ${user.userName} (${user.id}) in ${app}${snapshot.groups.length ? `, removed from ${names(snapshot.groups)}` : ''}`,
        result: { removed: snapshot },
      };
    } catch (err) {
      if (snapshot && err instanceof ProviderError && !err.progress) throw new ProviderError(err.message, err.retryable, err.providerAnswer, { snapshot });
      throw err;
    }
  },
});
