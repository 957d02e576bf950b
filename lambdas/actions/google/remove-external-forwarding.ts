/**
 * Stops mail from leaving: turns off auto-forwarding to, and deletes, forwarding addresses outside the company. Inside
 * are the leaver's own domains: their primary address's, and those of their aliases, which include every domain alias
 * of the tenant (Google gives each user an address there, nonEditableAliases): Gmail treats those as its own too.
 */
import * as z from '../../shared/zod';
import { google } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { googleAddress, noAccount, notApplied } from './google-user';
import { checkedUser, googleAccount } from './google-account';
import { withMailService } from './gmail-refusals';

const domainOf = (email: string) => email.split('@')[1]?.toLowerCase() ?? '';

export const removeExternalForwarding = defineAction({
  name: 'google.removeExternalForwarding',
  account: googleAccount({ removes: true }),
  params: z.strictObject({
    /** Domains that count as inside the company; by default the leaver's own: their primary address's and their aliases' (domain aliases included). */
    internalDomains: z.optional(z.array(z.string().check(z.minLength(1)))),
  }),
  async run(ctx, params, request, checked) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    const user = await checkedUser(g, email, checked);
    if (!user) return noAccount(email, 'stop forwarding');
    const own = [email, user.primaryEmail, ...(user.aliases ?? []), ...(user.nonEditableAliases ?? [])].filter((a): a is string => Boolean(a)).map(domainOf);
    const internal = new Set((params.internalDomains ?? own).map((d) => d.toLowerCase()));
    const external = (address: string | null | undefined) => Boolean(address) && !internal.has(domainOf(address!));
    return withMailService(email, 'stop its forwarding', async () => {
      const gmail = await g.gmailFor(email);

      const auto = (await google(`reading auto-forwarding of ${email}`, () => gmail.users.settings.getAutoForwarding({ userId: email }))).data;
      const forwardedTo = auto.enabled && external(auto.emailAddress) ? auto : undefined;
      if (forwardedTo) {
        await google(`turning off auto-forwarding of ${email}`, () => gmail.users.settings.updateAutoForwarding({ userId: email, requestBody: { enabled: false } }));
      }
      const addresses = (await google(`listing forwarding addresses of ${email}`, () => gmail.users.settings.forwardingAddresses.list({ userId: email }))).data.forwardingAddresses ?? [];
      const outside = addresses.filter((a) => external(a.forwardingEmail));
      for (const a of outside) {
        await google(`deleting forwarding address ${a.forwardingEmail} of ${email}`, () =>
          gmail.users.settings.forwardingAddresses.delete({ userId: email, forwardingEmail: a.forwardingEmail! }),
        );
      }

      const autoAfter = (await google(`reading auto-forwarding of ${email}`, () => gmail.users.settings.getAutoForwarding({ userId: email }))).data;
      if (autoAfter.enabled && external(autoAfter.emailAddress)) throw notApplied('turning off auto-forwarding', `still forwarding to ${autoAfter.emailAddress}`);
      const left = ((await google(`listing forwarding addresses of ${email}`, () => gmail.users.settings.forwardingAddresses.list({ userId: email }))).data.forwardingAddresses ?? []).filter((a) =>
        external(a.forwardingEmail),
      );
      if (left.length) throw notApplied('deleting forwarding addresses', `${left.map((a) => a.forwardingEmail).join(', ')} remain`);

      return {
        ok: true,
        note: forwardedTo || outside.length ? `stopped forwarding outside ${[...internal].join(', ')}` : 'no forwarding outside the company',
        result: {
          removed: {
            autoForwarding: forwardedTo ? { enabled: true, emailAddress: forwardedTo.emailAddress, disposition: forwardedTo.disposition } : null,
            forwardingAddresses: outside.map((a) => a.forwardingEmail),
          },
        },
      };
    });
  },
});
