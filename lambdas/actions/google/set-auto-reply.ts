/** Turns on an auto-reply with the HR-approved text. Fails on a suspended account, so it runs at cut-off. */
import * as z from '../../shared/zod';
import { google } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { googleAddress, noAccount, notApplied } from './google-user';
import { checkedUser, googleAccount } from './google-account';
import { withMailService } from './gmail-refusals';

export const setAutoReply = defineAction({
  name: 'google.setAutoReply',
  account: googleAccount({ removes: true, beneficiary: true }),
  params: z.strictObject({
    subject: z.string().check(z.minLength(1), z.maxLength(200)),
    /** HR-approved text; `{managerEmail}` is replaced with the manager's address. */
    message: z.string().check(z.minLength(1), z.maxLength(10_000)),
  }),
  async run(ctx, params, request, checked) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    if (!(await checkedUser(g, email, checked))) return noAccount(email, 'set an auto-reply on');
    return withMailService(email, 'set an auto-reply', async () => {
      const text = params.message.replaceAll('{managerEmail}', request.employee.managerEmail ?? 'your contact');
      const gmail = await g.gmailFor(email);
      const before = (await google(`reading the auto-reply of ${email}`, () => gmail.users.settings.getVacation({ userId: email }))).data;
      await google(`setting the auto-reply of ${email}`, () =>
        gmail.users.settings.updateVacation({
          userId: email,
          requestBody: { enableAutoReply: true, responseSubject: params.subject, responseBodyPlainText: text, restrictToContacts: false, restrictToDomain: false },
        }),
      );
      const after = (await google(`reading the auto-reply of ${email}`, () => gmail.users.settings.getVacation({ userId: email }))).data;
      if (!after.enableAutoReply || after.responseBodyPlainText !== text) throw notApplied('setting the auto-reply', 'the vacation settings do not show it');
      return {
        ok: true,
        note: 'auto-reply on',
        result: { previous: { enableAutoReply: before.enableAutoReply ?? false, responseSubject: before.responseSubject, responseBodyPlainText: before.responseBodyPlainText } },
      };
    });
  },
});
