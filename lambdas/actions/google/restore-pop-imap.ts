/**
 * Undoes google.turnOffPopImap: turns POP and IMAP back on with the settings recorded, if they are still off as the
 * run left them (one turned on since, by the employee or an admin, is theirs).
 */
import * as z from '../../shared/zod';
import { google } from '../../providers/google/google-errors';
import { defineAction, provider } from '../define-action';
import { googleAddress, notApplied } from './google-user';
import { nothingToRestore, restoreMailbox } from './restore-target';
import { googleAccount } from './google-account';
import { imapSchema, popOn, popSchema } from './turn-off-pop-imap';

export const restorePopImap = defineAction({
  name: 'google.restorePopImap',
  account: googleAccount(),
  params: z.strictObject({
    /** google.turnOffPopImap's result. */
    result: z.nullish(z.object({ removed: z.nullish(z.object({ pop: z.nullish(popSchema), imap: z.nullish(imapSchema) })) })),
  }),
  async run(ctx, { result }, request) {
    const pop = result?.removed?.pop;
    const imap = result?.removed?.imap;
    if (!pop && !imap) return nothingToRestore('the run turned off neither POP nor IMAP');
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    await restoreMailbox(g, email, 'turn POP and IMAP back on');
    const gmail = await g.gmailFor(email);
    const readPop = async () => (await google(`reading the POP settings of ${email}`, () => gmail.users.settings.getPop({ userId: email }))).data;
    const readImap = async () => (await google(`reading the IMAP settings of ${email}`, () => gmail.users.settings.getImap({ userId: email }))).data;

    const back: string[] = [];
    const already: string[] = [];
    if (pop) {
      if (popOn(await readPop())) already.push('POP');
      else {
        await google(`turning POP back on for ${email}`, () =>
          gmail.users.settings.updatePop({ userId: email, requestBody: { accessWindow: pop.accessWindow, ...(pop.disposition ? { disposition: pop.disposition } : {}) } }),
        );
        const after = await readPop();
        if (after.accessWindow !== pop.accessWindow) throw notApplied(`turning POP back on for ${email}`, `getPop reports accessWindow ${after.accessWindow}`);
        back.push('POP');
      }
    }
    if (imap) {
      if ((await readImap()).enabled) already.push('IMAP');
      else {
        const settings = Object.fromEntries(Object.entries(imap).filter(([, v]) => v !== null && v !== undefined));
        await google(`turning IMAP back on for ${email}`, () => gmail.users.settings.updateImap({ userId: email, requestBody: { ...settings, enabled: true } }));
        if (!(await readImap()).enabled) throw notApplied(`turning IMAP back on for ${email}`, 'getImap reports enabled: false');
        back.push('IMAP');
      }
    }
    const parts = [back.length ? `turned ${back.join(' and ')} back on` : '', already.length ? `${already.join(' and ')} already on` : ''].filter(Boolean);
    return { ok: true, note: parts.join('; '), result: { restored: back } };
  },
});
