/**
 * Undoes google.delegateToManager and google.removeDelegation: grants mailbox access again to the delegates
 * they removed, and takes it from the manager that delegateToManager added. Each recorded address is resolved to
 * the user's primary address first: Gmail lists (and takes) delegates by primary address, and a user renamed since
 * the cut-off keeps the old one only as an alias.
 */
import * as z from '../../shared/zod';
import { google, googleFailure, isGoogleConflict, isGoogleNotFound } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { findGoogleUser, googleAddress, notApplied } from './google-user';
import { failIfAny, nothingToRestore, restoreEach, restoreMailbox } from './restore-target';
import { googleAccount } from './google-account';
import { delegateRoomRefusal, GMAIL_DELEGATES_PER_MAILBOX, GMAIL_DELEGATORS_PER_USER } from './gmail-refusals';
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
    const recordedRegrant = [...new Set(result?.removed?.delegates ?? [])];
    const recordedRevoke = [...new Set(result?.added ? result.added.delegates : result?.delegate ? [result.delegate] : [])];
    if (!recordedRegrant.length && !recordedRevoke.length) return nothingToRestore('the run changed no delegates');

    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    // users.get takes an old address (an alias since a rename) and answers the primary one; a user gone keeps the recorded address.
    const primaryOf = new Map<string, string>();
    for (const d of [...recordedRegrant, ...recordedRevoke]) {
      if (!primaryOf.has(d)) primaryOf.set(d, ((await findGoogleUser(g, d))?.primaryEmail ?? d).toLowerCase());
    }
    const regrant = [...new Set(recordedRegrant.map((d) => primaryOf.get(d)!))];
    // A delegate the step removed is never one to take away again, whatever else the result says.
    const revoke = [...new Set(recordedRevoke.map((d) => primaryOf.get(d)!))].filter((d) => !regrant.includes(d));
    await restoreMailbox(g, email, 'restore mailbox delegates');
    const gmail = await g.gmailFor(email);
    const list = async () =>
      ((await google(`listing the Gmail delegates of ${email}`, () => gmail.users.settings.delegates.list({ userId: email }))).data.delegates ?? []).map((d) =>
        (d.delegateEmail ?? '').toLowerCase(),
      );

    const before = await list();
    const toGrant = regrant.filter((d) => !before.includes(d));
    const toRevoke = revoke.filter((x) => before.includes(x));
    const granted: string[] = [];
    const grant = () =>
      restoreEach(
        toGrant,
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
    const revokeAll = async () => {
      for (const d of toRevoke) {
        await google(`removing delegate ${d} of ${email}`, () =>
          gmail.users.settings.delegates.delete({ userId: email, delegateEmail: d }).catch((err: unknown) => {
            // Removed meanwhile: the goal is met.
            if (!isGoogleNotFound(err)) throw err;
          }),
        );
        revoked.push(d);
      }
    };

    // Granting first, so the mailbox is never left with neither the old delegates nor the manager; unless granting
    // first would take the mailbox past Gmail's limit (a full mailbox the step emptied): then the manager goes first.
    let failed: Awaited<ReturnType<typeof grant>>;
    if (before.length + toGrant.length > GMAIL_DELEGATES_PER_MAILBOX) {
      await revokeAll();
      failed = await grant();
    } else {
      failed = await grant();
      await revokeAll();
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
    `${delegate} cannot be delegate of ${email} again: Gmail refused ${delegate} as delegate for lack of room (Google answered ${refusal}). ` +
      `A user may be delegate of about ${GMAIL_DELEGATORS_PER_USER} mailboxes through the API, and a mailbox have about ${GMAIL_DELEGATES_PER_MAILBOX} delegates: ` +
      `remove one of ${delegate}'s other delegations (Admin console, or wait for an earlier leaver's google.removeDelegation at day +30), or one of the mailbox's delegates, then retry this step; or skip it and delegate by hand`,
    false,
    refusal,
  );
}
