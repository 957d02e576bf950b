/**
 * Gives the joiner their Nextcloud user as the role says: the user whose id is the employee id (or an adopted one at
 * the company address), else created with the company address, so Nextcloud mails a link to set a password; in the
 * role's groups, with the role's quota; a disabled one (a rehire) enabled again. Reads the user back.
 */
import * as z from '../../shared/zod';
import { defineAction } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { NextcloudApiError, quotaAsStored, quotaBytes, type NextcloudUser } from '../../providers/nextcloud/nextcloud-client';
import { NextcloudVerificationError } from '../../providers/nextcloud/nextcloud-errors';
import { checkedUser, groupsParam, missingGroups, nextcloudAccount, nextcloudAccountOf, nextcloudCall, nextcloudEmail, nextcloudFor, nextcloudUserId } from './nextcloud-account';

export const quotaParam = z
  .string()
  .check(z.refine((q) => quotaBytes(q) !== undefined, { message: 'a quota like "5 GB", "512 MB", "none" or "default" (Nextcloud counts in 1024s and reads "5 GiB" as 5 bytes)' }));

/** The server's default quota: a user's effective quota does not show whether it is the default, so it is set, never compared. */
export const isDefaultQuota = (wanted: string | undefined): boolean => wanted !== undefined && quotaBytes(wanted) === 'default';

/**
 * Whether the user's quota is not the one wanted. Nextcloud answers the effective quota (bytes, or -3 for none) and
 * stores a size rounded as it writes it ("1500 MB" as "1.5 GB"), so the wanted one is compared as Nextcloud stores it;
 * `default` (the server's, whatever it is) cannot be compared.
 */
export function quotaDiffers(user: NextcloudUser, wanted: string | undefined): boolean {
  if (wanted === undefined || isDefaultQuota(wanted)) return false;
  return quotaAsStored(wanted) !== quotaBytes(user.quota?.quota as string | number | undefined);
}

export const provisionNextcloudUser = defineAction({
  name: 'nextcloud.provisionUser',
  account: nextcloudAccount(),
  params: z.strictObject({
    groups: z.optional(groupsParam),
    /** "5 GB", "512 MB", "none" (unlimited) or "default" (the server's default). */
    quota: z.optional(quotaParam),
  }),
  async run(ctx, params, request, checked) {
    const nextcloud = nextcloudFor(ctx, request);
    const { client } = nextcloud;
    const email = nextcloudEmail(request);
    const wanted = params.groups ?? [];
    return nextcloudCall(async () => {
      const missing = await missingGroups(nextcloud, wanted);
      if (missing.length) throw new ProviderError(`Nextcloud has no group ${missing.join(', ')}: make it in Nextcloud or fix the role's Nextcloud groups`, false);
      let user = checkedUser(checked);
      let created = false;
      const changed: string[] = [];
      let previous: { enabled: boolean; quota: unknown; groups: string[] } | undefined;
      if (!user) {
        const userid = nextcloudUserId(request);
        const displayName = [request.employee.firstName, request.employee.lastName].filter(Boolean).join(' ');
        try {
          // No quota in the creation: Nextcloud sets it after making the user and before its email, so a quota it
          // refuses (102, the same code as "User already exists") would leave a user with no email and no welcome mail.
          await client.createUser({ userid, email, ...(displayName ? { displayName } : {}), groups: wanted });
          created = true;
        } catch (err) {
          // Made since the account check looked (an earlier try whose answer was lost): the next try finds it by its id.
          if (err instanceof NextcloudApiError && err.statuscode === 102) throw new ProviderError(`Nextcloud user ${userid} appeared while it was being created: the next try checks it`, true, `${err.status} OCS 102`);
          throw err;
        }
        user = await client.getUser(userid);
        if (!user) throw new NextcloudVerificationError(`Nextcloud user ${userid} was created but cannot be read back`);
        if (quotaDiffers(user, params.quota)) await client.editUser(userid, 'quota', params.quota!.trim());
      } else {
        previous = { enabled: user.enabled, quota: user.quota?.quota ?? null, groups: user.groups };
        if (!user.enabled) {
          await client.enableUser(user.id);
          changed.push('enabled again');
        }
        if (quotaDiffers(user, params.quota) || isDefaultQuota(params.quota)) {
          await client.editUser(user.id, 'quota', params.quota!.trim());
          changed.push(isDefaultQuota(params.quota) ? "quota set to the server's default" : `quota ${params.quota}`);
        }
      }
      const have = new Set(await client.userGroups(user.id));
      const added = wanted.filter((g) => !have.has(g));
      for (const g of added) await client.addToGroup(user.id, g);

      // Read back: enabled, in every group, the quota set.
      const after = await client.getUser(user.id);
      const wrong: string[] = [];
      if (!after) wrong.push('the user itself');
      else {
        if (!after.enabled) wrong.push('disabled');
        const notIn = wanted.filter((g) => !after.groups.includes(g));
        if (notIn.length) wrong.push(`not in ${notIn.join(', ')}`);
        if (quotaDiffers(after, params.quota)) wrong.push(`quota ${JSON.stringify(after.quota?.quota)}`);
      }
      if (wrong.length || !after) throw new NextcloudVerificationError(`Nextcloud user ${user.id} does not match the role after ${created ? 'creation' : 'the update'}: ${wrong.join(', ')}`);
      const done = [...changed, ...(!created && added.length ? [`added to ${added.join(', ')}`] : [])];
      const record = { userId: after.id, email, groups: wanted, ...(params.quota ? { quota: params.quota } : {}) };
      return {
        ok: true as const,
        note: created
          ? `created Nextcloud user ${after.id} (${email})${wanted.length ? ` in ${wanted.join(', ')}` : ''}${params.quota ? ` with quota ${params.quota}` : ''}; Nextcloud mails them a link to set a password`
          : done.length
            ? `Nextcloud user ${after.id} already existed: ${done.join('; ')}`
            : `Nextcloud user ${after.id} already as the role says`,
        result: created ? { created: record } : { existing: record, previous, changed: done },
        account: nextcloudAccountOf(after, created ? 'created' : (checked?.account.boundBy ?? 'binding')),
      };
    });
  },
});
