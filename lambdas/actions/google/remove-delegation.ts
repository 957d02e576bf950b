/** Removes every Gmail delegate of the leaver's mailbox, recording who had access so a restore can grant it again. */
import * as z from '../../shared/zod';
import { google, isGoogleNotFound } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { googleAddress, noAccount, notApplied } from './google-user';
import { checkedUser, googleAccount } from './google-account';
import { withMailService } from './gmail-refusals';

const ignoreNotFound = (err: unknown): undefined => {
  if (isGoogleNotFound(err)) return undefined;
  throw err;
};

export const removeDelegation = defineAction({
  name: 'google.removeDelegation',
  account: googleAccount({ removes: true }),
  params: z.strictObject({}),
  async run(ctx, _params, request, checked) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    const user = await checkedUser(g, email, checked);
    if (!user) return noAccount(email, 'remove delegates from');
    // Gmail refuses every settings call on a suspended mailbox, so no retry helps: the playbook must order this first.
    if (user.suspended) {
      throw new ProviderError(`${email} is suspended and Gmail refuses its settings: run google.removeDelegation before google.suspendUser`, false);
    }
    return withMailService(email, 'remove its delegates', async () => {
      const gmail = await g.gmailFor(email);
      // The mailbox's own address as userId rather than 'me': Google takes either, and the emulator cannot read a subject from a fake token.
      const list = async () =>
        (await google(`listing the Gmail delegates of ${email}`, () => gmail.users.settings.delegates.list({ userId: email }))).data.delegates ?? [];
      const delegates = await list();
      // Delegates an earlier attempt removed before failing: a retry no longer lists them, but a restore must grant them again.
      const earlier = z.safeParse(z.array(z.string()), request.progress?.removed);
      const removedBefore = earlier.success ? earlier.data : [];
      const removed: string[] = [];
      const soFar = () => [...new Set([...removedBefore, ...removed])];
      try {
        for (const d of delegates) {
          const delegateEmail = d.delegateEmail ?? '';
          // A 404 is a delegate someone removed between our list and our delete: the goal is met.
          await google(`removing Gmail delegate ${delegateEmail} of ${email}`, () =>
            gmail.users.settings.delegates.delete({ userId: email, delegateEmail }).catch(ignoreNotFound),
          );
          removed.push(delegateEmail);
        }
      } catch (err) {
        // A retry will not list who this try removed: handed on as the step's progress, and named for the audit trail.
        if (err instanceof ProviderError && removed.length) throw new ProviderError(`${err.message} (already removed: ${removed.join(', ')})`, err.retryable, err.providerAnswer, { removed: soFar() });
        throw err;
      }
      const left = await list();
      if (left.length) throw notApplied(`removing the Gmail delegates of ${email}`, `still delegated to ${left.map((d) => d.delegateEmail).join(', ')}`);
      return {
        ok: true,
        note: [delegates.length ? `removed ${delegates.length} Gmail delegate(s)` : 'the mailbox had no delegates', removedBefore.length ? `${removedBefore.length} removed by an earlier attempt` : '']
          .filter(Boolean)
          .join('; '),
        result: { removed: { delegates: soFar() } },
      };
    });
  },
});
