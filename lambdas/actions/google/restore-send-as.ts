/**
 * Undoes google.removeSendAs: makes each recorded send-as address again with its display name, reply-to, signature and
 * default (users.settings.sendAs.create). Gmail accepts at once an address the mailbox owns (its aliases, restored
 * before); any other waits, pending, until its owner follows Gmail's verification mail, which the note says.
 */
import * as z from '../../shared/zod';
import { googleFailure, isGoogleConflict } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { googleAddress, notApplied } from './google-user';
import { failIfAny, nothingToRestore, restoreEach, restoreMailbox } from './restore-target';
import { googleAccount } from './google-account';
import { sendAsOf, sendAsSchema } from './remove-send-as';

export const restoreSendAs = defineAction({
  name: 'google.restoreSendAs',
  account: googleAccount(),
  params: z.strictObject({
    /** google.removeSendAs' result. */
    result: z.nullish(z.object({ removed: z.nullish(z.object({ sendAs: z.array(sendAsSchema) })) })),
  }),
  async run(ctx, { result }, request) {
    const wanted = result?.removed?.sendAs ?? [];
    if (!wanted.length) return nothingToRestore('the run removed no send-as addresses');
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    await restoreMailbox(g, email, 'restore its send-as addresses');
    const gmail = await g.gmailFor(email);
    const present = new Set((await sendAsOf(gmail, email)).map((s) => (s.sendAsEmail ?? '').toLowerCase()));
    const already = wanted.filter((s) => present.has(s.sendAsEmail.toLowerCase())).map((s) => s.sendAsEmail);
    const made: string[] = [];
    const failed = await restoreEach(
      wanted.filter((s) => !present.has(s.sendAsEmail.toLowerCase())),
      (s) => s.sendAsEmail,
      async (s) => {
        try {
          await gmail.users.settings.sendAs.create({
            userId: email,
            requestBody: {
              sendAsEmail: s.sendAsEmail,
              ...(s.displayName ? { displayName: s.displayName } : {}),
              ...(s.replyToAddress ? { replyToAddress: s.replyToAddress } : {}),
              ...(s.signature ? { signature: s.signature } : {}),
              ...(s.isDefault ? { isDefault: true } : {}),
              ...(s.treatAsAlias ? { treatAsAlias: true } : {}),
            },
          });
          made.push(s.sendAsEmail);
        } catch (err) {
          // Made by an earlier try whose answer was lost.
          if (isGoogleConflict(err)) already.push(s.sendAsEmail);
          else throw googleFailure(err, `making the send-as address ${s.sendAsEmail} of ${email} again`);
        }
      },
    );
    const after = await sendAsOf(gmail, email);
    const byEmail = new Map(after.map((s) => [(s.sendAsEmail ?? '').toLowerCase(), s]));
    const missing = made.filter((m) => !byEmail.has(m.toLowerCase()));
    if (missing.length) throw notApplied(`making send-as addresses of ${email} again`, `sendAs.list shows no ${missing.join(', ')}`);
    failIfAny(failed, [...made, ...already], `restoring the send-as addresses of ${email}`);
    const pending = made.filter((m) => byEmail.get(m.toLowerCase())?.verificationStatus === 'pending');
    const relays = wanted.filter((s) => s.smtpRelay && made.includes(s.sendAsEmail)).map((s) => s.sendAsEmail);
    const parts = [
      made.length ? `made again ${made.join(', ')}` : '',
      already.length ? `already there: ${already.join(', ')}` : '',
      pending.length ? `pending until their owner confirms Gmail's verification mail: ${pending.join(', ')}` : '',
      relays.length ? `sent through Gmail, not the SMTP server they had (its password is not kept): ${relays.join(', ')}` : '',
    ].filter(Boolean);
    return { ok: true, note: parts.join('; '), result: { restored: { sendAs: made }, ...(pending.length ? { pending } : {}) } };
  },
});
