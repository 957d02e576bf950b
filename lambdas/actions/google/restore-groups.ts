/** Undoes google.removeFromGroups: puts the employee back into each recorded group with the role held there. */
import * as z from '../../shared/zod';
import { googleFailure, isGoogleConflict } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { googleAddress, memberOf, notApplied } from './google-user';
import { failIfAny, nothingToRestore, restoreEach, restoreTarget } from './restore-target';
import { googleAccount } from './google-account';

const membership = z.object({ groupKey: z.string().check(z.minLength(1)), role: z._default(z.string().check(z.minLength(1)), 'MEMBER') });

export const restoreGroups = defineAction({
  name: 'google.restoreGroups',
  account: googleAccount(),
  params: z.strictObject({
    /** google.removeFromGroups' result. */
    result: z.nullish(z.object({ removed: z.nullish(z.object({ groups: z.array(membership) })) })),
  }),
  async run(ctx, { result }, request) {
    const groups = result?.removed?.groups ?? [];
    if (!groups.length) return nothingToRestore('the run removed no group memberships');
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    await restoreTarget(g, email, 'restore group memberships');

    const added: string[] = [];
    const already: string[] = [];
    const failed = await restoreEach(
      groups,
      (m) => m.groupKey,
      async ({ groupKey, role }) => {
        try {
          await g.directory.members.insert({ groupKey, requestBody: { email, role: role.toUpperCase() } });
          added.push(groupKey);
        } catch (err) {
          // A member already: put back by an earlier try whose answer was lost, or by someone else.
          if (isGoogleConflict(err)) already.push(groupKey);
          else throw googleFailure(err, `adding ${email} to ${groupKey} as ${role}`);
        }
      },
    );

    const failedKeys = new Set(failed.map((f) => f.item));
    const otherRole: string[] = [];
    for (const { groupKey, role } of groups.filter((m) => !failedKeys.has(m.groupKey))) {
      const member = await memberOf(g, groupKey, email);
      if (!member) throw notApplied(`adding ${email} to ${groupKey}`, `members.get finds no membership in ${groupKey}`);
      const now = (member.role ?? 'MEMBER').toUpperCase();
      if (now === role.toUpperCase()) continue;
      // Only a membership this step just created must carry the recorded role; one found in place was set by someone since, and is theirs.
      if (added.includes(groupKey)) throw notApplied(`adding ${email} to ${groupKey} as ${role}`, `members.get reports role ${now}`);
      otherRole.push(`${groupKey} (${now}, was ${role})`);
    }
    const restored = groups.filter((m) => !failedKeys.has(m.groupKey)).map((m) => `${m.groupKey} as ${m.role}`);
    failIfAny(failed, restored, `restoring the group memberships of ${email}`);

    const parts = [
      added.length ? `re-added to ${added.length} group(s)` : '',
      already.length ? `already a member of ${already.join(', ')}` : '',
      otherRole.length ? `left with the role set since in ${otherRole.join(', ')}` : '',
    ].filter(Boolean);
    return { ok: true, note: parts.join('; '), result: { restored: { groups: groups.map(({ groupKey, role }) => ({ groupKey, role })) } } };
  },
});
