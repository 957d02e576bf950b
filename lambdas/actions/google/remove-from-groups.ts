/**
 * Removes the employee from groups, recording each group and the role held there so google.restoreGroups can put
 * them back: every group for a leaver, only the listed groups for a mover. A group's only OWNER is not removed (that
 * would leave the group with nobody to manage it): every other membership goes, then the step goes to an operator
 * naming those groups.
 */
import type { admin_directory_v1 } from '@googleapis/admin';
import * as z from '../../shared/zod';
import { google, isGoogleNotFound } from '../../providers/google/google-errors';
import type { GoogleClients } from '../../providers/google/google-clients';
import { defineAction, provider } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { googleAddress, noAccount, notApplied } from './google-user';
import { checkedUser, googleAccount } from './google-account';
import { groupsOf } from './user-groups';

interface Removed {
  groupKey: string;
  role: string;
}

/** What an earlier attempt removed before it failed: a retry no longer finds those memberships, but must record them. */
const earlierProgress = z.object({ removed: z.array(z.object({ groupKey: z.string(), role: z.string() })) });

/** Whether the member is the group's only OWNER (members.list with roles=OWNER): removing them would orphan it. */
async function onlyOwner(g: GoogleClients, groupKey: string, member: admin_directory_v1.Schema$Member): Promise<boolean> {
  if (member.role !== 'OWNER') return false;
  const owners: admin_directory_v1.Schema$Member[] = [];
  let pageToken: string | undefined;
  do {
    // A failure is the caller's to name: a group deleted meanwhile (404) is one the employee is no longer in.
    const page = (await g.directory.members.list({ groupKey, roles: 'OWNER', pageToken, maxResults: 200 })).data;
    owners.push(...(page.members ?? []));
    pageToken = page.nextPageToken ?? undefined;
  } while (pageToken);
  return owners.every((o) => (member.id && o.id === member.id) || o.email?.toLowerCase() === member.email?.toLowerCase());
}

/** Google compares group addresses without regard to case, and a group answers to its aliases too. */
function selector(groups: string[] | undefined): (group: admin_directory_v1.Schema$Group) => boolean {
  if (!groups) return () => true;
  const wanted = new Set(groups.map((x) => x.toLowerCase()));
  return (group) => [group.email, ...(group.aliases ?? [])].some((address) => address && wanted.has(address.toLowerCase()));
}

export const removeFromGroups = defineAction({
  name: 'google.removeFromGroups',
  account: googleAccount({ removes: true }),
  params: z.strictObject({
    /** Group addresses to leave; absent means every group (a leaver). */
    groups: z.optional(z.array(z.string().check(z.minLength(1))).check(z.minLength(1))),
  }),
  async run(ctx, { groups }, request, checked) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    if (!(await checkedUser(g, email, checked))) return noAccount(email, 'remove from groups');
    const chosen = selector(groups);
    const earlier = earlierProgress.safeParse(request.progress);
    const removed: Removed[] = earlier.success ? [...earlier.data.removed] : [];
    const recorded = new Set(removed.map((r) => r.groupKey.toLowerCase()));
    /** Groups the employee is left in because they are its only owner. */
    const kept: string[] = [];
    try {
      for (const group of (await groupsOf(g, email)).filter(chosen)) {
        const groupKey = group.email ?? group.id!;
        let role = 'MEMBER';
        try {
          const member = (await g.directory.members.get({ groupKey, memberKey: email })).data;
          role = member.role ?? role;
          // Checked now, at the removal: a handover read back a day ago may have been undone since.
          if (await onlyOwner(g, groupKey, member)) {
            kept.push(groupKey);
            continue;
          }
          await g.directory.members.delete({ groupKey, memberKey: email });
        } catch (err) {
          // Gone between the list and the delete: already what we want.
          if (isGoogleNotFound(err)) continue;
          await google(`removing ${email} from ${groupKey}`, () => Promise.reject(err));
        }
        if (!recorded.has(groupKey.toLowerCase())) removed.push({ groupKey, role });
        recorded.add(groupKey.toLowerCase());
      }
      const isKept = (x: admin_directory_v1.Schema$Group) => kept.some((k) => k.toLowerCase() === (x.email ?? x.id)?.toLowerCase());
      const left = (await groupsOf(g, email)).filter(chosen).filter((x) => !isKept(x));
      if (left.length) throw notApplied('removing from groups', `still in ${left.map((x) => x.email).join(', ')}`);
      if (kept.length) {
        const done = removed.length ? `removed from ${removed.length} other group(s) (${removed.map((r) => r.groupKey).join(', ')}); ` : '';
        throw new ProviderError(
          `${done}${email} is left in ${kept.length} group(s) because they are its only owner: ${kept.join(', ')}. ` +
            'Make someone else an owner of each, then retry this step; or skip it and leave them there ' +
            '(a skipped step records nothing to restore: the groups removed here would not be put back)',
          false,
        );
      }
    } catch (err) {
      // The memberships already removed are in no later listing: the next attempt must learn them from here.
      if (err instanceof ProviderError && removed.length) throw new ProviderError(err.message, err.retryable, err.providerAnswer, { removed });
      throw err;
    }
    const scope = groups ? `of the ${groups.length} listed group(s)` : 'groups';
    return {
      ok: true,
      note: removed.length ? `removed from ${removed.length} group(s): ${removed.map((r) => r.groupKey).join(', ')}` : groups ? `in none ${scope}` : 'in no groups',
      result: { removed: { groups: removed } },
    };
  },
});
