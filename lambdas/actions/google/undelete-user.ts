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
            /** The Workspace licenses it held when deleted (absent in records made before they were kept). */
            licenses: z.nullish(z.array(z.object({ productId: z.string(), skuId: z.string(), skuName: z.nullish(z.string()) }))),
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
      notes.push(await undelete(g, userId, email, removed.orgUnitPath || '/', removed.licenses ?? undefined));
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

type HeldLicense = { productId: string; skuId: string; skuName?: string | null };

/**
 * Google's refusal to undelete while no seat of a license the account held is free: "You can't restore a user if you
 * don't have an available user license" (support.google.com/a/answer/1397578); the reason the API gives is taken as
 * limitExceeded (GAMADV-XTD3's undelete expects it), the wording as the help centre's. No source gives the status
 * (Google's usual one for limitExceeded is 403), so the reason or the wording decides, whatever the status.
 */
function isNoFreeSeat(info: { status?: number; reason?: string; message: string }): boolean {
  return info.reason === 'limitExceeded' || /available user license/i.test(info.message);
}

/**
 * Not retryable: a seat frees only when someone releases one or the subscription grows, which backoff does not wait
 * for; the operator frees or buys one within the 20 days Google keeps the account, then retries the step.
 */
function noFreeSeat(email: string, userId: string, licenses: HeldLicense[] | undefined, answer: string): ProviderError {
  const names = licenses?.length ? licenses.map((l) => l.skuName ?? `${l.productId}/${l.skuId}`).join(' or ') : `the license ${email} held when deleted`;
  return new ProviderError(
    `cannot undelete ${email} (user id ${userId}): no free seat of ${names}: free one or buy one, then retry (Google keeps the account for 20 days after its deletion)`,
    false,
    answer,
  );
}

/** users.undelete into the org unit the account was in, or the top level if that unit is gone; says where it went. */
async function undelete(g: GoogleClients, userId: string, email: string, orgUnitPath: string, licenses: HeldLicense[] | undefined): Promise<string> {
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
    if (isNoFreeSeat(info)) throw noFreeSeat(email, userId, licenses, answer);
    if (info.status === 409) {
      throw new ProviderError(`cannot undelete ${email} (user id ${userId}): its address is taken by a user, group or alias created since the deletion`, false, answer);
    }
    // Someone else (or our own earlier try whose answer was lost) brought it back meanwhile.
    if (info.status === 412 && /undelete/i.test(info.message)) return 'undeleted meanwhile';
    if (info.status === 400 && /INVALID_OU_ID/.test(info.message) && orgUnitPath !== '/') {
      await call('/').catch((e: unknown) => {
        const again = googleErrorInfo(e);
        if (isNoFreeSeat(again)) throw noFreeSeat(email, userId, licenses, `${again.status} ${again.reason ?? ''}: ${again.message}`);
        throw googleFailure(e, `undeleting Google user ${email} into /`);
      });
      return `undeleted into / (its org unit ${orgUnitPath} no longer exists)`;
    }
    throw googleFailure(err, `undeleting Google user ${email} (user id ${userId})`);
  }
}
