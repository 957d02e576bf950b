/**
 * Adds the joiner to the role's groups, recording which memberships this step made (and which were there
 * already), so a mover removes exactly those. An existing membership keeps its role: it was given by someone
 * on purpose, and changing it is a mover's decision, not a joiner's. Right after users.insert Google may not
 * know the new account as a member yet (404 naming memberKey): for an account made in the last few minutes that is
 * retried; for an older one (a mover's), and for a missing group, it is not.
 */
import * as z from '../../shared/zod';
import type { GoogleClients } from '../../providers/google/google-clients';
import { googleErrorInfo, googleFailure, isGoogleConflict, isGoogleNotFound } from '../../providers/google/google-errors';
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
    const user = await requireGoogleUser(g, email);
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
            throw await notFoundOnInsert(g, err, groupKey, email, createdRecently(user.creationTime, ctx.clock.now()));
          } else throw googleFailure(err, `adding ${email} to ${groupKey} as ${role}`);
        }
      },
    ).catch((err: unknown) => {
      // A retry must still know the memberships made before it, this attempt's and the earlier ones'.
      if (err instanceof ProviderError) throw new ProviderError(err.message, err.retryable, err.providerAnswer, { added: ownSoFar(earlier.success ? earlier.data : [], added) });
      throw err;
    });

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
      if (err instanceof ProviderError) throw new ProviderError(err.message, err.retryable, err.providerAnswer, { added: ownSoFar(earlier.success ? earlier.data : [], added) });
      throw err;
    }
    const parts = [added.length ? `added to ${added.map((m) => m.groupKey).join(', ')}` : '', alreadyMember.length ? `already a member of ${alreadyMember.map((m) => `${m.groupKey} (${m.role}, left as is)`).join(', ')}` : ''].filter(Boolean);
    return { ok: true, note: parts.join('; '), result: { added: { groups: added }, alreadyMember } };
  },
});

/** The memberships this step has made over all its attempts, one per group. */
function ownSoFar(earlier: Membership[], now: Membership[]): Membership[] {
  const byGroup = new Map(earlier.map((m) => [m.groupKey, m]));
  for (const m of now) byGroup.set(m.groupKey, m);
  return [...byGroup.values()];
}

/**
 * How long after users.insert a 404 naming memberKey is taken for Google still creating the account. Google's delay
 * lasts seconds ("Retrying the calls after some time can help", users.insert reference); a few minutes covers it with
 * room for clock skew, and leaves out the accounts movers touch, made long before.
 */
export const CREATION_PENDING_WINDOW_MS = 5 * 60_000;

/** Whether the account's Directory creationTime lies within CREATION_PENDING_WINDOW_MS of now. */
function createdRecently(creationTime: string | null | undefined, now: Date): boolean {
  const created = creationTime ? Date.parse(creationTime) : NaN;
  return Number.isFinite(created) && now.getTime() - created < CREATION_PENDING_WINDOW_MS;
}

/**
 * members.insert answered 404: Google names the key it could not find. groupKey: the group is missing, which no
 * retry mends. memberKey, although users.get found the user just before: for an account made minutes ago Google
 * has not finished creating it (the answer a user made seconds ago gets), which passes on a later try; for an older
 * account no wait helps, so an operator gets Google's answer. Without a key named, the group is looked up to tell
 * a missing group from the rest.
 */
async function notFoundOnInsert(g: GoogleClients, err: unknown, groupKey: string, email: string, recent: boolean): Promise<ProviderError> {
  const info = googleErrorInfo(err);
  const answer = `404${info.reason ? ` ${info.reason}` : ''}: ${info.message}`;
  const missingGroup = new ProviderError(`group ${groupKey} does not exist: fix the role's groups or create the group, then retry`, false, answer);
  if (/groupKey/i.test(info.message)) return missingGroup;
  if (!/memberKey/i.test(info.message)) {
    try {
      await g.directory.groups.get({ groupKey });
    } catch (lookup) {
      if (isGoogleNotFound(lookup)) return missingGroup;
      return googleFailure(lookup, `looking up group ${groupKey} after members.insert answered 404`);
    }
  }
  if (!recent) {
    return new ProviderError(
      `adding ${email} to ${groupKey}: members.insert answered ${answer}, though users.get finds ${email} and the account was not created in the last ${CREATION_PENDING_WINDOW_MS / 60_000} minutes; check the account and the group in the Admin console, then retry`,
      false,
      answer,
    );
  }
  return new ProviderError(
    `adding ${email} to ${groupKey}: Google does not know ${email} as a member yet (members.insert answered ${answer}); Google had not finished creating the account, made minutes ago`,
    true,
    answer,
  );
}
