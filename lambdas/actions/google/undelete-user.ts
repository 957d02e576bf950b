/** Undoes google.deleteUser: brings the account back with users.undelete, which Google allows for 20 days after a deletion. */
import { googleErrorInfo, googleFailure, google } from '../../providers/google/google-errors';
import type { GoogleClients } from '../../providers/google/google-clients';
import * as z from '../../shared/zod';
import { defineAction, provider } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { findGoogleUser, notApplied } from './google-user';
import { nothingToRestore } from './restore-target';

export const undeleteUser = defineAction({
  name: 'google.undeleteUser',
  // No address check: it acts on the user id its own run's deletion recorded (of the account bound then), not on whoever holds the address now.
  params: z.strictObject({
    /** google.deleteUser's result: the id users.undelete takes, and the account as it was when deleted. */
    result: z.nullish(
      z.object({
        removed: z.nullish(
          z.object({
            userId: z.string().check(z.minLength(1)),
            primaryEmail: z.nullish(z.string()),
            orgUnitPath: z.nullish(z.string()),
            suspended: z.nullish(z.boolean()),
          }),
        ),
      }),
    ),
  }),
  async run(ctx, { result }, request) {
    const removed = result?.removed;
    if (!removed) return nothingToRestore('no account was deleted');
    const g = provider(ctx, 'google');
    const { userId } = removed;
    const email = (removed.primaryEmail ?? request.employee.email ?? `user id ${userId}`).toLowerCase();

    // By id throughout: the address may belong to a new account by now.
    let user = await findGoogleUser(g, userId);
    const notes: string[] = [];
    if (user) notes.push(`${email} (user id ${userId}) is not deleted`);
    else {
      notes.push(await undelete(g, userId, email, removed.orgUnitPath || '/'));
      user = await findGoogleUser(g, userId);
      if (!user) throw notApplied(`undeleting ${email}`, `users.get still finds no user id ${userId}`);
    }
    // Google brings an account back suspended when its Drive was transferred away; this one was active when deleted.
    if (removed.suspended === false && user.suspended) {
      await google(`lifting the suspension Google put on the undeleted user ${email}`, () => g.directory.users.patch({ userKey: userId, requestBody: { suspended: false } }));
      user = await findGoogleUser(g, userId);
      if (user?.suspended !== false) throw notApplied(`lifting the suspension of the undeleted user ${email}`, user ? 'users.get still reports suspended: true' : 'the user vanished after the patch');
      notes.push('active again, as when it was deleted');
    }
    return {
      ok: true,
      note: notes.join('; '),
      result: { restored: { userId, primaryEmail: user.primaryEmail, orgUnitPath: user.orgUnitPath, suspended: user.suspended ?? false } },
    };
  },
});

/** users.undelete into the org unit the account was in, or the top level if that unit is gone; says where it went. */
async function undelete(g: GoogleClients, userId: string, email: string, orgUnitPath: string): Promise<string> {
  const call = (path: string) => g.directory.users.undelete({ userKey: userId, requestBody: { orgUnitPath: path } });
  try {
    await call(orgUnitPath);
    return `undeleted into ${orgUnitPath}`;
  } catch (err) {
    const info = googleErrorInfo(err);
    const answer = `${info.status ?? 'no answer'}${info.reason ? ` ${info.reason}` : ''}: ${info.message}`;
    if (info.status === 404) {
      throw new ProviderError(
        `cannot undelete ${email}: Google holds no deleted user with id ${userId}. An account can be undeleted for 20 days after its deletion only; past that it is gone for good`,
        false,
        answer,
      );
    }
    if (info.status === 409) {
      throw new ProviderError(`cannot undelete ${email} (user id ${userId}): its address is taken by a user, group or alias created since the deletion`, false, answer);
    }
    // Someone else (or our own earlier try whose answer was lost) brought it back meanwhile.
    if (info.status === 412 && /undelete/i.test(info.message)) return 'undeleted meanwhile';
    if (info.status === 400 && /INVALID_OU_ID/.test(info.message) && orgUnitPath !== '/') {
      await google(`undeleting Google user ${email} into /`, () => call('/'));
      return `undeleted into / (its org unit ${orgUnitPath} no longer exists)`;
    }
    throw googleFailure(err, `undeleting Google user ${email} (user id ${userId})`);
  }
}
