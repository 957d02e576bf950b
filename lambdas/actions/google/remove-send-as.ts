/**
 * Removes every send-as address of the mailbox but its primary one (users.settings.sendAs.delete), recording each with
 * its fields so google.restoreSendAs can make it again: whoever reads the leaver's mail (a delegate) could otherwise
 * still send as a shared or team address. Gmail keeps the primary one; it cannot be removed.
 */
import type { gmail_v1 } from '@googleapis/gmail';
import * as z from '../../shared/zod';
import { google, isGoogleNotFound } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { googleAddress, noAccount, notApplied } from './google-user';
import { checkedUser, googleAccount } from './google-account';
import { withMailService } from './gmail-refusals';

/** What is recorded of a send-as: what sendAs.create takes again (an SMTP relay's password is never readable). */
export const sendAsSchema = z.object({
  sendAsEmail: z.string().check(z.minLength(1)),
  displayName: z.nullish(z.string()),
  replyToAddress: z.nullish(z.string()),
  signature: z.nullish(z.string()),
  isDefault: z.nullish(z.boolean()),
  treatAsAlias: z.nullish(z.boolean()),
  /** Sent through another provider's SMTP server: made again without it (Gmail never shows its password). */
  smtpRelay: z.nullish(z.boolean()),
});
export type RecordedSendAs = z.infer<typeof sendAsSchema>;

export async function sendAsOf(gmail: gmail_v1.Gmail, email: string): Promise<gmail_v1.Schema$SendAs[]> {
  return (await google(`listing the send-as addresses of ${email}`, () => gmail.users.settings.sendAs.list({ userId: email }))).data.sendAs ?? [];
}

const recorded = (s: gmail_v1.Schema$SendAs): RecordedSendAs => ({
  sendAsEmail: (s.sendAsEmail ?? '').toLowerCase(),
  displayName: s.displayName ?? null,
  replyToAddress: s.replyToAddress ?? null,
  signature: s.signature ?? null,
  isDefault: s.isDefault ?? false,
  treatAsAlias: s.treatAsAlias ?? false,
  ...(s.smtpMsa ? { smtpRelay: true } : {}),
});

const earlierProgress = z.object({ removed: z.object({ sendAs: z.array(sendAsSchema) }) });

export const removeSendAs = defineAction({
  name: 'google.removeSendAs',
  account: googleAccount({ removes: true }),
  params: z.strictObject({}),
  async run(ctx, _params, request, checked) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    if (!(await checkedUser(g, email, checked))) return noAccount(email, 'remove send-as addresses from');
    return withMailService(email, 'remove its send-as addresses', async () => {
      const gmail = await g.gmailFor(email);
      const earlier = earlierProgress.safeParse(request.progress);
      const removed: RecordedSendAs[] = earlier.success ? [...earlier.data.removed.sendAs] : [];
      try {
        for (const s of (await sendAsOf(gmail, email)).filter((x) => !x.isPrimary && x.sendAsEmail)) {
          await google(`removing the send-as address ${s.sendAsEmail} of ${email}`, () =>
            gmail.users.settings.sendAs.delete({ userId: email, sendAsEmail: s.sendAsEmail! }).catch((err: unknown) => {
              if (!isGoogleNotFound(err)) throw err;
            }),
          );
          if (!removed.some((r) => r.sendAsEmail === s.sendAsEmail!.toLowerCase())) removed.push(recorded(s));
        }
        const left = (await sendAsOf(gmail, email)).filter((x) => !x.isPrimary);
        if (left.length) throw notApplied(`removing the send-as addresses of ${email}`, `sendAs.list still shows ${left.map((x) => x.sendAsEmail).join(', ')}`);
      } catch (err) {
        if (err instanceof ProviderError && removed.length) throw new ProviderError(err.message, err.retryable, err.providerAnswer, { removed: { sendAs: removed } });
        throw err;
      }
      return {
        ok: true,
        note: removed.length ? `removed ${removed.length} send-as address(es): ${removed.map((r) => r.sendAsEmail).join(', ')}` : 'no send-as address but the primary one',
        result: { removed: { sendAs: removed } },
      };
    });
  },
});
