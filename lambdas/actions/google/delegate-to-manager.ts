/** Makes the manager the mailbox's only delegate, recording the delegates it removed. */
import * as z from '../../shared/zod';
import { google, isGoogleConflict } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { findGoogleUser, googleAddress, noAccount, notApplied } from './google-user';
import { googleAccount } from './google-account';

export const delegateToManager = defineAction({
  name: 'google.delegateToManager',
  account: googleAccount({ removes: true, beneficiary: true }),
  params: z.strictObject({}),
  async run(ctx, _params, request) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    const manager = request.employee.managerEmail?.toLowerCase();
    if (!manager) throw new ProviderError(`employee ${request.employee.id} has no managerEmail: nobody to delegate the mailbox to`, false);
    if (!(await findGoogleUser(g, email))) return noAccount(email, 'delegate');
    const gmail = await g.gmailFor(email);
    const list = async () =>
      ((await google(`listing the delegates of ${email}`, () => gmail.users.settings.delegates.list({ userId: email }))).data.delegates ?? []).map((d) => d.delegateEmail!.toLowerCase());

    const before = await list();
    const others = before.filter((d) => d !== manager);
    for (const d of others) {
      await google(`removing delegate ${d} of ${email}`, () => gmail.users.settings.delegates.delete({ userId: email, delegateEmail: d }));
    }
    if (!before.includes(manager)) {
      try {
        await gmail.users.settings.delegates.create({ userId: email, requestBody: { delegateEmail: manager } });
      } catch (err) {
        // Added by an earlier try whose answer was lost: what was wanted is there.
        if (!isGoogleConflict(err)) await google(`adding ${manager} as delegate of ${email}`, () => Promise.reject(err));
      }
    }
    const after = await list();
    if (after.length !== 1 || after[0] !== manager) throw notApplied('delegating the mailbox', `delegates are now [${after.join(', ')}]`);
    return { ok: true, note: `${manager} is the only delegate`, result: { delegate: manager, added: { delegates: before.includes(manager) ? [] : [manager] }, removed: { delegates: others } } };
  },
});
