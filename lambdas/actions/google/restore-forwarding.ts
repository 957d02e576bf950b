/** Undoes google.removeExternalForwarding: re-creates the forwarding addresses it deleted and turns auto-forwarding back on as it was. */
import * as z from '../../shared/zod';
import { google, googleFailure, isGoogleConflict } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { googleAddress, notApplied } from './google-user';
import { failIfAny, nothingToRestore, restoreEach, restoreMailbox } from './restore-target';
import { googleAccount } from './google-account';

const address = z.pipe(z.string().check(z.minLength(1)), z.transform((s) => s.toLowerCase()));

export const restoreForwarding = defineAction({
  name: 'google.restoreForwarding',
  account: googleAccount(),
  params: z.strictObject({
    /** google.removeExternalForwarding's result. */
    result: z.nullish(
      z.object({
        removed: z.nullish(
          z.object({
            autoForwarding: z.nullish(z.object({ emailAddress: address, disposition: z.nullish(z.string().check(z.minLength(1))) })),
            forwardingAddresses: z._default(z.array(address), []),
          }),
        ),
      }),
    ),
  }),
  async run(ctx, { result }, request) {
    const auto = result?.removed?.autoForwarding ?? undefined;
    // Auto-forwarding needs its address to exist, whether or not the removal recorded deleting it.
    const addresses = [...new Set([...(result?.removed?.forwardingAddresses ?? []), ...(auto ? [auto.emailAddress] : [])])];
    if (!addresses.length) return nothingToRestore('the run stopped no forwarding');

    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    await restoreMailbox(g, email, 'restore mail forwarding');
    const gmail = await g.gmailFor(email);
    const list = async () =>
      (await google(`listing forwarding addresses of ${email}`, () => gmail.users.settings.forwardingAddresses.list({ userId: email }))).data.forwardingAddresses ?? [];
    const readAuto = async () => (await google(`reading auto-forwarding of ${email}`, () => gmail.users.settings.getAutoForwarding({ userId: email }))).data;

    const existing = new Set((await list()).map((a) => (a.forwardingEmail ?? '').toLowerCase()));
    const created: string[] = [];
    const failed = await restoreEach(
      addresses.filter((a) => !existing.has(a)),
      (a) => a,
      async (forwardingEmail) => {
        try {
          await gmail.users.settings.forwardingAddresses.create({ userId: email, requestBody: { forwardingEmail } });
        } catch (err) {
          // Created by an earlier try whose answer was lost.
          if (!isGoogleConflict(err)) throw googleFailure(err, `re-creating forwarding address ${forwardingEmail} of ${email}`);
        }
        created.push(forwardingEmail);
      },
    );

    const now = new Map((await list()).map((a) => [(a.forwardingEmail ?? '').toLowerCase(), a.verificationStatus ?? 'unknown']));
    const failedAddresses = new Set(failed.map((f) => f.item));
    const missing = addresses.filter((a) => !failedAddresses.has(a) && !now.has(a));
    if (missing.length) throw notApplied(`re-creating forwarding addresses of ${email}`, `${missing.join(', ')} not listed`);
    failIfAny(failed, created, `restoring the forwarding of ${email}`);
    // Gmail asks the owner of an outside address to confirm it again, and forwards to none until then.
    const pending = addresses.filter((a) => now.get(a) !== 'accepted');

    let autoNote = '';
    if (auto) {
      const disposition = auto.disposition ?? 'leaveInInbox';
      const current = await readAuto();
      if (current.enabled && current.emailAddress?.toLowerCase() === auto.emailAddress && current.disposition === disposition) {
        autoNote = `already auto-forwarding to ${auto.emailAddress}`;
      } else {
        if (pending.includes(auto.emailAddress)) {
          throw new ProviderError(
            `forwarding address ${auto.emailAddress} of ${email} is back but awaits its owner's confirmation (Gmail mailed them a verification link); auto-forwarding to it can be turned on only after that: retry this step once confirmed, or skip it`,
            false,
            `verificationStatus: ${now.get(auto.emailAddress)}`,
          );
        }
        await google(`turning auto-forwarding of ${email} back on`, () =>
          gmail.users.settings.updateAutoForwarding({ userId: email, requestBody: { enabled: true, emailAddress: auto.emailAddress, disposition } }),
        );
        const after = await readAuto();
        if (!after.enabled || after.emailAddress?.toLowerCase() !== auto.emailAddress) {
          throw notApplied(`turning auto-forwarding of ${email} back on`, after.enabled ? `it forwards to ${after.emailAddress}` : 'it is off');
        }
        autoNote = `auto-forwarding to ${auto.emailAddress} again${current.enabled ? ` (it forwarded to ${current.emailAddress})` : ''}`;
      }
    }

    const parts = [
      created.length ? `re-created forwarding address(es) ${created.join(', ')}` : 'forwarding addresses already there',
      pending.length ? `awaiting their owners' confirmation: ${pending.join(', ')}` : '',
      autoNote,
    ].filter(Boolean);
    return { ok: true, note: parts.join('; '), result: { restored: { forwardingAddresses: addresses, autoForwarding: auto ? { emailAddress: auto.emailAddress } : null } } };
  },
});
