/**
 * Before the cut-off removes the leaver from their groups, makes the manager (or the stage's handover owner) an OWNER of
 * every group where the leaver is the only owner, so no group is left without one; read back with members.get.
 */
import type { admin_directory_v1 } from '@googleapis/admin';
import * as z from '../../shared/zod';
import { google, isGoogleNotFound } from '../../providers/google/google-errors';
import type { GoogleClients } from '../../providers/google/google-clients';
import { ProviderError } from '../../providers/provider-error';
import { defineAction, provider } from '../define-action';
import { googleAddress, memberOf, noAccount, notApplied } from './google-user';
import { checkedUser, googleAccount } from './google-account';
import { handoverTarget, leaverAddresses } from './handover-target';
import { groupsOf } from './user-groups';
import { everyPage } from '../../providers/google/every-page';

const handedSchema = z.object({ groupKey: z.string(), to: z.string(), previousRole: z.optional(z.string()) });
type Handed = z.infer<typeof handedSchema>;
/** What an earlier attempt handed over before it failed: those groups have two owners now, so no later look finds them. */
const earlierProgress = z.object({ handedOver: z.array(handedSchema) });

function ownersOf(g: GoogleClients, groupKey: string): Promise<admin_directory_v1.Schema$Member[]> {
  return everyPage(
    async (pageToken) =>
      (
        await google(`listing the owners of ${groupKey}`, () =>
          // A group deleted since the listing has no owner to hand over.
          g.directory.members.list({ groupKey, roles: 'OWNER', pageToken, maxResults: 200 }).catch((err: unknown) => {
            if (isGoogleNotFound(err)) return { data: { members: [] } as admin_directory_v1.Schema$Members };
            throw err;
          }),
        )
      ).data,
    (page) => page.members,
  );
}

export const handOverGroups = defineAction({
  name: 'google.handOverGroups',
  account: googleAccount({ removes: true }),
  params: z.strictObject({}),
  async run(ctx, _params, request, checked) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    const leaver = await checkedUser(g, email, checked);
    if (!leaver) return noAccount(email, 'hand over');
    const earlier = earlierProgress.safeParse(request.progress);
    const handed: Handed[] = earlier.success ? [...earlier.data.handedOver] : [];
    const own = leaverAddresses(leaver, email);
    const sole: string[] = [];
    for (const group of await groupsOf(g, email)) {
      const groupKey = group.email ?? group.id!;
      const owners = await ownersOf(g, groupKey);
      if (owners.length === 1 && (owners[0].id === leaver.id || own.has(owners[0].email?.toLowerCase() ?? ''))) sole.push(groupKey);
    }
    if (!sole.length && !handed.length) return { ok: true, note: `no group has ${email} as its only owner`, result: { handedOver: [] } };
    const target = await handoverTarget(ctx, g, request, leaver);
    try {
      for (const groupKey of sole) {
        const doing = `making ${target.address} an owner of ${groupKey}`;
        const existing = await memberOf(g, groupKey, target.address);
        if (existing) await google(doing, () => g.directory.members.patch({ groupKey, memberKey: target.address, requestBody: { role: 'OWNER' } }));
        else await google(doing, () => g.directory.members.insert({ groupKey, requestBody: { email: target.address, role: 'OWNER' } }));
        handed.push({ groupKey, to: target.address, ...(existing?.role ? { previousRole: existing.role } : {}) });
      }
      for (const h of handed) {
        const member = await memberOf(g, h.groupKey, h.to);
        if (member?.role !== 'OWNER') throw notApplied(`making ${h.to} an owner of ${h.groupKey}`, `members.get shows ${member ? member.role : 'no membership'}`);
      }
    } catch (err) {
      if (err instanceof ProviderError && handed.length) throw new ProviderError(err.message, err.retryable, err.providerAnswer, { handedOver: handed });
      throw err;
    }
    const whom = `${target.address} (${target.as === 'manager' ? 'the manager' : "the stage's handover owner"})`;
    return {
      ok: true,
      note: `${whom} now owns ${handed.length} group(s) ${email} alone owned: ${handed.map((h) => h.groupKey).join(', ')}`,
      result: { handedOver: handed, to: target.address, as: target.as },
    };
  },
});
