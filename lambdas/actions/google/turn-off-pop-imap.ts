/**
 * Turns off POP and IMAP access to the mailbox (users.settings updatePop / updateImap), recording the settings it
 * found so google.restorePopImap can put them back: a mail client holding an app password or a token keeps reading
 * over POP or IMAP whatever else is revoked.
 */
import type { gmail_v1 } from '@googleapis/gmail';
import * as z from '../../shared/zod';
import { google } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { googleAddress, noAccount, notApplied } from './google-user';
import { checkedUser, googleAccount } from './google-account';
import { withMailService } from './gmail-refusals';

export const popSchema = z.object({ accessWindow: z.string(), disposition: z.nullish(z.string()) });
export const imapSchema = z.object({ enabled: z.boolean(), autoExpunge: z.nullish(z.boolean()), expungeBehavior: z.nullish(z.string()), maxFolderSize: z.nullish(z.number()) });
type Pop = z.infer<typeof popSchema>;
type Imap = z.infer<typeof imapSchema>;

/** POP is on unless its access window is disabled (an unspecified window gives no access either). */
export const popOn = (pop: gmail_v1.Schema$PopSettings) => Boolean(pop.accessWindow) && pop.accessWindow !== 'disabled' && pop.accessWindow !== 'accessWindowUnspecified';

/** What an earlier attempt turned off before it failed: a retry finds it off, but must record what it was. */
const earlierProgress = z.object({ removed: z.object({ pop: z.nullable(popSchema), imap: z.nullable(imapSchema) }) });

export const turnOffPopImap = defineAction({
  name: 'google.turnOffPopImap',
  account: googleAccount({ removes: true }),
  params: z.strictObject({}),
  async run(ctx, _params, request, checked) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    if (!(await checkedUser(g, email, checked))) return noAccount(email, 'turn off POP and IMAP for');
    return withMailService(email, 'turn off its POP and IMAP access', async () => {
      const gmail = await g.gmailFor(email);
      const readPop = async () => (await google(`reading the POP settings of ${email}`, () => gmail.users.settings.getPop({ userId: email }))).data;
      const readImap = async () => (await google(`reading the IMAP settings of ${email}`, () => gmail.users.settings.getImap({ userId: email }))).data;
      const earlier = earlierProgress.safeParse(request.progress);
      const pop = await readPop();
      const imap = await readImap();
      const removed: { pop: Pop | null; imap: Imap | null } = {
        pop: popOn(pop) ? { accessWindow: pop.accessWindow!, disposition: pop.disposition ?? null } : earlier.success ? earlier.data.removed.pop : null,
        imap: imap.enabled ? { enabled: true, autoExpunge: imap.autoExpunge ?? null, expungeBehavior: imap.expungeBehavior ?? null, maxFolderSize: imap.maxFolderSize ?? null } : earlier.success ? earlier.data.removed.imap : null,
      };
      try {
        if (popOn(pop)) await google(`turning off POP for ${email}`, () => gmail.users.settings.updatePop({ userId: email, requestBody: { accessWindow: 'disabled', disposition: pop.disposition } }));
        if (imap.enabled) await google(`turning off IMAP for ${email}`, () => gmail.users.settings.updateImap({ userId: email, requestBody: { ...imap, enabled: false } }));
        const popAfter = await readPop();
        const imapAfter = await readImap();
        if (popOn(popAfter)) throw notApplied(`turning off POP for ${email}`, `getPop reports accessWindow ${popAfter.accessWindow}`);
        if (imapAfter.enabled) throw notApplied(`turning off IMAP for ${email}`, 'getImap reports enabled: true');
      } catch (err) {
        if (err instanceof ProviderError && (removed.pop || removed.imap)) throw new ProviderError(err.message, err.retryable, err.providerAnswer, { removed });
        throw err;
      }
      const off = [popOn(pop) ? 'POP' : '', imap.enabled ? 'IMAP' : ''].filter(Boolean);
      return { ok: true, note: off.length ? `turned off ${off.join(' and ')}` : 'POP and IMAP already off', result: { removed } };
    });
  },
});
