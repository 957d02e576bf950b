/**
 * Adds the joiner to the role's groups, recording which memberships this step made (and which were there
 * already), so a mover removes exactly those. An existing membership keeps its role: it was given by someone
 * on purpose, and changing it is a mover's decision, not a joiner's.
 */
import * as z from '../../shared/zod';
import { googleFailure, isGoogleConflict, isGoogleNotFound } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { googleAddress, memberOf, notApplied, requireGoogleUser } from './google-user';
import { failIfAny, restoreEach } from './restore-target';
import { googleAccount } from './google-account';

const ROLES = ['MEMBER', 'MANAGER', 'OWNER'] as const;
const groupParam = z.union([
  z.string().check(z.minLength(1)),
  z.strictObject({ groupKey: z.string().check(z.minLength(1)), role: z.optional(z.enum(ROLES)) }),
]);
const membership = z.object({ groupKey: z.string(), role: z.string() });
type Membership = z.infer<typeof membership>;

export const addToGroups = defineAction({
  name: 'google.addToGroups',
  account: googleAccount(),
  params: z.strictObject({ groups: z.array(groupParam).check(z.minLength(1)) }),
  async run(ctx, params, request) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    await requireGoogleUser(g, email);
    const groups: Membership[] = params.groups.map((x) => (typeof x === 'string' ? { groupKey: x.toLowerCase(), role: 'MEMBER' } : { groupKey: x.groupKey.toLowerCase(), role: x.role ?? 'MEMBER' }));
    // Memberships an earlier attempt made before failing on another group: still this step's own.
    const earlier = z.safeParse(z.array(membership), request.progress?.added);
    const madeBefore = new Set((earlier.success ? earlier.data : []).map((m) => m.groupKey));

    const added: Membership[] = [];
    const already: string[] = [];
    const failed = await restoreEach(
      groups,
      (m) => m.groupKey,
      async ({ groupKey, role }) => {
        try {
          await g.directory.members.insert({ groupKey, requestBody: { email, role } });
          added.push({ groupKey, role });
        } catch (err) {
          if (isGoogleConflict(err)) {
            if (madeBefore.has(groupKey)) added.push({ groupKey, role });
            else already.push(groupKey);
          } else if (isGoogleNotFound(err)) {
            throw new ProviderError(`group ${groupKey} does not exist: fix the role's groups or create the group, then retry`, false, '404 notFound');
          } else throw googleFailure(err, `adding ${email} to ${groupKey} as ${role}`);
        }
      },
    );

    const failedKeys = new Set(failed.map((f) => f.item));
    const alreadyMember: Membership[] = [];
    for (const { groupKey, role } of groups.filter((m) => !failedKeys.has(m.groupKey))) {
      const member = await memberOf(g, groupKey, email);
      if (!member) throw notApplied(`adding ${email} to ${groupKey}`, `members.get finds no membership in ${groupKey}`);
      const now = (member.role ?? 'MEMBER').toUpperCase();
      if (already.includes(groupKey)) alreadyMember.push({ groupKey, role: now });
      else if (now !== role) throw notApplied(`adding ${email} to ${groupKey} as ${role}`, `members.get reports role ${now}`);
    }
    try {
      failIfAny(failed, added.map((m) => `${m.groupKey} as ${m.role}`), `adding ${email} to the role's groups`);
    } catch (err) {
      // The operator's retry must still know which memberships this step made.
      if (err instanceof ProviderError) throw new ProviderError(err.message, err.retryable, err.providerAnswer, { added });
      throw err;
    }
    const parts = [added.length ? `added to ${added.map((m) => m.groupKey).join(', ')}` : '', alreadyMember.length ? `already a member of ${alreadyMember.map((m) => `${m.groupKey} (${m.role}, left as is)`).join(', ')}` : ''].filter(Boolean);
    return { ok: true, note: parts.join('; '), result: { added: { groups: added }, alreadyMember } };
  },
});
