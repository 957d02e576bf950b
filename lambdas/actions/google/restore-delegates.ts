/**
 * Undoes google.delegateToManager and google.removeDelegation: grants mailbox access again to the delegates
 * they removed, and takes it from the manager that delegateToManager added.
 */
import * as z from '../../shared/zod';
import { google, googleFailure, isGoogleConflict, isGoogleNotFound } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { googleAddress, notApplied } from './google-user';
import { failIfAny, nothingToRestore, restoreEach, restoreMailbox } from './restore-target';
import { googleAccount } from './google-account';
import { delegateRoomRefusal, GMAIL_DELEGATORS_PER_USER } from './gmail-refusals';
import { ProviderError } from '../../providers/provider-error';

const address = z.pipe(z.string().check(z.minLength(1)), z.transform((s) => s.toLowerCase()));

export const restoreDelegates = defineAction({
  name: 'google.restoreDelegates',
  account: googleAccount(),
  params: z.strictObject({
    /** google.delegateToManager's or google.removeDelegation's result. */
    result: z.nullish(
      z.object({
        /** delegateToManager: the manager it made the delegate. */
        delegate: z.optional(address),
        /**
         * Delegates the step added. When present it is exact (empty: the manager was a delegate already, and stays);
         * without it, `delegate` is taken as added, since a result cannot tell otherwise and leaving a manager in
         * the mailbox of someone who stays is the worse mistake.
         */
        added: z.nullish(z.object({ delegates: z.array(address) })),
        removed: z.nullish(z.object({ delegates: z.array(address) })),
      }),
    ),
  }),
  async run(ctx, { result }, request) {
    const regrant = [...new Set(result?.removed?.delegates ?? [])];
    // A delegate the step removed is never one to take away again, whatever else the result says.
    const revoke = [...new Set(result?.added ? result.added.delegates : result?.delegate ? [result.delegate] : [])].filter((d) => !regrant.includes(d));
    if (!regrant.length && !revoke.length) return nothingToRestore('the run changed no delegates');

    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    await restoreMailbox(g, email, 'restore mailbox delegates');
    const gmail = await g.gmailFor(email);
    const list = async () =>
      ((await google(`listing the Gmail delegates of ${email}`, () => gmail.users.settings.delegates.list({ userId: email }))).data.delegates ?? []).map((d) =>
        (d.delegateEmail ?? '').toLowerCase(),
      );

    const before = await list();
    // Granting first, so the mailbox is never left with neither the old delegates nor the manager.
    const granted: string[] = [];
    const failed = await restoreEach(
      regrant.filter((d) => !before.includes(d)),
      (d) => d,
      async (d) => {
        try {
          await gmail.users.settings.delegates.create({ userId: email, requestBody: { delegateEmail: d } });
        } catch (err) {
          // Added by an earlier try whose answer was lost.
          if (!isGoogleConflict(err)) throw delegateFailure(err, d, email);
        }
        granted.push(d);
      },
    );

    const revoked: string[] = [];
    for (const d of revoke.filter((x) => before.includes(x))) {
      await google(`removing delegate ${d} of ${email}`, () =>
        gmail.users.settings.delegates.delete({ userId: email, delegateEmail: d }).catch((err: unknown) => {
          // Removed meanwhile: the goal is met.
          if (!isGoogleNotFound(err)) throw err;
        }),
      );
      revoked.push(d);
    }

    const failedDelegates = new Set(failed.map((f) => f.item));
    const after = await list();
    const missing = regrant.filter((d) => !failedDelegates.has(d) && !after.includes(d));
    if (missing.length) throw notApplied(`restoring the delegates of ${email}`, `${missing.join(', ')} not among the delegates [${after.join(', ')}]`);
    const stillThere = revoke.filter((d) => after.includes(d));
    if (stillThere.length) throw notApplied(`removing delegate ${stillThere.join(', ')} of ${email}`, `delegates are now [${after.join(', ')}]`);
    failIfAny(failed, granted, `restoring the delegates of ${email}`);

    const parts = [granted.length ? `delegated again to ${granted.join(', ')}` : '', revoked.length ? `removed delegate ${revoked.join(', ')}` : ''].filter(Boolean);
    return {
      ok: true,
      note: parts.length ? parts.join('; ') : 'delegates were already as before the run',
      result: { added: { delegates: granted }, removed: { delegates: revoked } },
    };
  },
});

/** Why a delegate could not be granted again: Gmail's limit said with what an admin can do, else Google's answer. */
function delegateFailure(err: unknown, delegate: string, email: string): ProviderError {
  const refusal = delegateRoomRefusal(err);
  if (!refusal) return googleFailure(err, `adding ${delegate} as delegate of ${email}`);
  return new ProviderError(
    `${delegate} cannot be delegate of ${email} again: Gmail refuses for lack of room (${delegate} is delegate of as many mailboxes as Gmail allows, about ${GMAIL_DELEGATORS_PER_USER}, or the mailbox has as many delegates as it allows). ` +
      `Remove one of ${delegate}'s other delegations (Admin console, or wait for an earlier leaver's google.removeDelegation at day +30), then retry this step; or skip it and delegate by hand`,
    false,
    refusal,
  );
}
