/** Undoes google.setAutoReply: puts the vacation auto-reply back as it was before the HR text replaced it. */
import type { gmail_v1 } from '@googleapis/gmail';
import * as z from '../../shared/zod';
import { google } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { googleAddress, notApplied } from './google-user';
import { nothingToRestore, restoreMailbox } from './restore-target';
import { googleAccount } from './google-account';

const previousSchema = z.object({
  enableAutoReply: z._default(z.boolean(), false),
  responseSubject: z.nullish(z.string()),
  responseBodyPlainText: z.nullish(z.string()),
});
type Previous = z.infer<typeof previousSchema>;

/** Whether the mailbox's vacation settings are those recorded: the texts matter only while the auto-reply is on. */
function matches(v: gmail_v1.Schema$VacationSettings, previous: Previous): boolean {
  if (Boolean(v.enableAutoReply) !== previous.enableAutoReply) return false;
  if (!previous.enableAutoReply) return true;
  return (v.responseSubject ?? '') === (previous.responseSubject ?? '') && (v.responseBodyPlainText ?? '') === (previous.responseBodyPlainText ?? '');
}

export const restoreAutoReply = defineAction({
  name: 'google.restoreAutoReply',
  account: googleAccount(),
  params: z.strictObject({
    /** google.setAutoReply's result. */
    result: z.nullish(z.object({ previous: z.nullish(previousSchema) })),
  }),
  async run(ctx, { result }, request) {
    const previous = result?.previous;
    if (!previous) return nothingToRestore('the run recorded no earlier auto-reply');
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    await restoreMailbox(g, email, 'restore the auto-reply');
    const gmail = await g.gmailFor(email);
    const read = async () => (await google(`reading the auto-reply of ${email}`, () => gmail.users.settings.getVacation({ userId: email }))).data;

    const what = previous.enableAutoReply ? 'the earlier auto-reply' : 'no auto-reply';
    if (matches(await read(), previous)) return { ok: true, note: `already ${what}` };
    await google(`putting back the auto-reply of ${email}`, () =>
      gmail.users.settings.updateVacation({
        userId: email,
        requestBody: {
          enableAutoReply: previous.enableAutoReply,
          // The earlier texts go back even when off, so turning the auto-reply on again shows what the employee had written.
          ...(previous.responseSubject != null ? { responseSubject: previous.responseSubject } : {}),
          ...(previous.responseBodyPlainText != null ? { responseBodyPlainText: previous.responseBodyPlainText } : {}),
        },
      }),
    );
    const after = await read();
    if (!matches(after, previous)) throw notApplied(`putting back the auto-reply of ${email}`, `the vacation settings show enableAutoReply: ${Boolean(after.enableAutoReply)}`);
    return { ok: true, note: `back to ${what}`, result: { restored: { enableAutoReply: previous.enableAutoReply } } };
  },
});
