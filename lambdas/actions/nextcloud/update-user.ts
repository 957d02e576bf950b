/**
 * Gives a mover's Nextcloud user what the new role adds: its groups and its quota, read back. The old role's groups
 * go after the grace period (nextcloud.removeGroups). The quota it had is recorded.
 */
import * as z from '../../shared/zod';
import { defineAction } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { NextcloudVerificationError } from '../../providers/nextcloud/nextcloud-errors';
import { checkedUser, groupsParam, missingGroups, nextcloudAccount, nextcloudAccountOf, nextcloudCall, nextcloudFor } from './nextcloud-account';
import { isDefaultQuota, quotaDiffers, quotaParam } from './provision-user';

export const updateNextcloudUser = defineAction({
  name: 'nextcloud.updateUser',
  account: nextcloudAccount(),
  params: z
    .strictObject({ addGroups: z.optional(groupsParam), quota: z.optional(quotaParam) })
    .check(z.refine((p) => Boolean(p.addGroups?.length || p.quota), { message: 'name at least one of addGroups, quota' })),
  async run(ctx, params, request, checked) {
    const user = checkedUser(checked);
    if (!user) throw new ProviderError(`no Nextcloud user bound to employee ${request.employee.id}: the joiner's nextcloud.provisionUser makes it`, false);
    const nextcloud = nextcloudFor(ctx, request);
    const { client } = nextcloud;
    const wanted = params.addGroups ?? [];
    return nextcloudCall(async () => {
      const missing = await missingGroups(nextcloud, wanted);
      if (missing.length) throw new ProviderError(`Nextcloud has no group ${missing.join(', ')}: make it in Nextcloud or fix the role's Nextcloud groups`, false);
      const previousQuota = user.quota?.quota ?? null;
      const done: string[] = [];
      // A move to the server's default quota is always set: the quota Nextcloud answers does not show it is the default.
      if (quotaDiffers(user, params.quota) || isDefaultQuota(params.quota)) {
        await client.editUser(user.id, 'quota', params.quota!.trim());
        done.push(isDefaultQuota(params.quota) ? "quota set to the server's default" : `quota ${params.quota}`);
      }
      const have = new Set(await client.userGroups(user.id));
      const added = wanted.filter((g) => !have.has(g));
      for (const g of added) await client.addToGroup(user.id, g);
      if (added.length) done.push(`added to ${added.join(', ')}`);
      const after = await client.getUser(user.id);
      const notIn = wanted.filter((g) => !after?.groups.includes(g));
      const wrong = [...(!after ? ['the user itself'] : []), ...(notIn.length ? [`not in ${notIn.join(', ')}`] : []), ...(after && quotaDiffers(after, params.quota) ? [`quota ${JSON.stringify(after.quota?.quota)}`] : [])];
      if (wrong.length || !after) throw new NextcloudVerificationError(`Nextcloud user ${user.id} does not match the new role: ${wrong.join(', ')}`);
      return {
        ok: true as const,
        note: done.length ? `Nextcloud user ${user.id}: ${done.join('; ')}` : `Nextcloud user ${user.id} already as the new role says`,
        result: { changed: done, added, previousQuota },
        account: nextcloudAccountOf(after, checked?.account.boundBy ?? 'binding'),
      };
    });
  },
});
