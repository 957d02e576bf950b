/** Wipes the leaver's account (not the whole phone, unless asked) from every managed mobile device. */
import type { admin_directory_v1 } from '@googleapis/admin';
import * as z from '../../shared/zod';
import { google } from '../../providers/google/google-errors';
import type { GoogleClients } from '../../providers/google/google-clients';
import { defineAction, provider } from '../define-action';
import { googleAddress, noAccount, notApplied } from './google-user';
import { checkedUser, googleAccount } from './google-account';

/** Device statuses that mean the wipe was accepted or has happened. */
const WIPED = new Set(['ACCOUNT_WIPING', 'ACCOUNT_WIPED', 'WIPING', 'WIPED']);

async function devicesOf(g: GoogleClients, email: string): Promise<admin_directory_v1.Schema$MobileDevice[]> {
  const devices: admin_directory_v1.Schema$MobileDevice[] = [];
  let pageToken: string | undefined;
  do {
    const page = (
      await google(`listing the mobile devices of ${email}`, () =>
        g.directory.mobiledevices.list({ customerId: g.config.customerId, query: `email:${email}`, pageToken, maxResults: 100 }),
      )
    ).data;
    devices.push(...(page.mobiledevices ?? []));
    pageToken = page.nextPageToken ?? undefined;
  } while (pageToken);
  // The search matches on prefix; keep the devices whose account is exactly this one.
  return devices.filter((d) => (d.email ?? []).some((e) => e.toLowerCase() === email));
}

export const wipeMobileDevices = defineAction({
  name: 'google.wipeMobileDevices',
  account: googleAccount({ removes: true }),
  params: z.strictObject({ wipe: z._default(z.enum(['account', 'device']), 'account') }),
  async run(ctx, params, request, checked) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    if (!(await checkedUser(g, email, checked))) return noAccount(email, 'wipe');
    const action = params.wipe === 'device' ? 'admin_remote_wipe' : 'admin_account_wipe';
    const devices = await devicesOf(g, email);
    const toWipe = devices.filter((d) => !WIPED.has(d.status ?? ''));
    for (const d of toWipe) {
      await google(`wiping device ${d.resourceId} of ${email}`, () =>
        g.directory.mobiledevices.action({ customerId: g.config.customerId, resourceId: d.resourceId!, requestBody: { action } }),
      );
    }
    const notWiped = (await devicesOf(g, email)).filter((d) => !WIPED.has(d.status ?? ''));
    if (notWiped.length) throw notApplied('wiping mobile devices', `${notWiped.map((d) => `${d.model ?? d.resourceId}: ${d.status}`).join(', ')}`);
    return {
      ok: true,
      note: devices.length ? `${action} sent to ${toWipe.length} device(s); ${devices.length - toWipe.length} already wiping` : 'no managed mobile devices',
      result: { devices: devices.map((d) => ({ resourceId: d.resourceId, model: d.model, type: d.type })) },
    };
  },
});
