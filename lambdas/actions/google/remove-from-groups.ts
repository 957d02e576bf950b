/** Removes the leaver from every group, recording each group and the role held there. */
import type { admin_directory_v1 } from '@googleapis/admin';
import * as z from '../../shared/zod';
import { google, isGoogleNotFound } from '../../providers/google/google-errors';
import type { GoogleClients } from '../../providers/google/google-clients';
import { defineAction, provider } from '../define-action';
import { findGoogleUser, googleAddress, noAccount, notApplied } from './google-user';

async function groupsOf(g: GoogleClients, email: string): Promise<admin_directory_v1.Schema$Group[]> {
  const groups: admin_directory_v1.Schema$Group[] = [];
  let pageToken: string | undefined;
  do {
    const page = (await google(`listing the groups of ${email}`, () => g.directory.groups.list({ userKey: email, pageToken, maxResults: 200 }))).data;
    groups.push(...(page.groups ?? []));
    pageToken = page.nextPageToken ?? undefined;
  } while (pageToken);
  return groups;
}

export const removeFromGroups = defineAction({
  name: 'google.removeFromGroups',
  params: z.strictObject({}),
  async run(ctx, _params, request) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    if (!(await findGoogleUser(g, email))) return noAccount(email, 'remove from groups');
    const removed: { groupKey: string; role: string }[] = [];
    for (const group of await groupsOf(g, email)) {
      const groupKey = group.email ?? group.id!;
      let role = 'MEMBER';
      try {
        role = (await g.directory.members.get({ groupKey, memberKey: email })).data.role ?? role;
        await g.directory.members.delete({ groupKey, memberKey: email });
      } catch (err) {
        // Gone between the list and the delete: already what we want.
        if (isGoogleNotFound(err)) continue;
        await google(`removing ${email} from ${groupKey}`, () => Promise.reject(err));
      }
      removed.push({ groupKey, role });
    }
    const left = await groupsOf(g, email);
    if (left.length) throw notApplied('removing from groups', `still in ${left.map((x) => x.email).join(', ')}`);
    return { ok: true, note: removed.length ? `removed from ${removed.length} group(s)` : 'in no groups', result: { removed: { groups: removed } } };
  },
});
