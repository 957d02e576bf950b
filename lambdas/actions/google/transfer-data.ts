/** Hands the leaver's Drive files and calendar to their manager with the Data Transfer API, checking back until it is done. */
import type { admin_datatransfer_v1 } from '@googleapis/admin';
import { z } from 'zod';
import type { ActionResponse } from '../../engine/ports';
import type { GoogleClients } from '../../providers/google/google-clients';
import { google } from '../../providers/google/google-errors';
import { defineAction, provider, ProviderError, type ActionContext } from '../define-action';
import { findGoogleUser, googleAddress, noAccount, notApplied } from './google-user';

type DataTransfer = admin_datatransfer_v1.Schema$DataTransfer;
type Success = Extract<ActionResponse, { ok: true }>;

/**
 * What each application is called in applications.list (ids are looked up, not hard-coded), and the parameters
 * that make it move everything: Drive defaults to SHARED files only, which would leave private files behind, and
 * Calendar releases the leaver's room bookings only when asked (developers.google.com/workspace/admin/data-transfer/v1/parameters).
 */
const APPLICATIONS = {
  drive: { name: 'Drive and Docs', params: [{ key: 'PRIVACY_LEVEL', value: ['PRIVATE', 'SHARED'] }] },
  calendar: { name: 'Calendar', params: [{ key: 'RELEASE_RESOURCES', value: ['TRUE'] }] },
} as const;
type Application = keyof typeof APPLICATIONS;

const params = z
  .object({
    applications: z
      .array(z.enum(['drive', 'calendar']))
      .min(1)
      .transform((apps) => [...new Set(apps)])
      .default(['drive', 'calendar']),
    /** How long to wait between looks at a transfer in progress. */
    pollSeconds: z.number().int().min(1).max(3600).default(30),
  })
  .strict();

/** What an earlier attempt handed back: the transfer it started. */
const progressSchema = z.object({ transferId: z.string().min(1) });

export const transferData = defineAction({
  name: 'google.transferData',
  params,
  async run(ctx, p, request) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    const earlier = progressSchema.safeParse(request.progress ?? {});
    if (earlier.success) {
      const transfer = await google(`reading data transfer ${earlier.data.transferId} of ${email}`, () =>
        g.dataTransfer.transfers.get({ dataTransferId: earlier.data.transferId }),
      );
      return settle(ctx, transfer.data, p.pollSeconds, email, request.employee.managerEmail?.toLowerCase());
    }

    const leaverId = (await findGoogleUser(g, email))?.id;
    if (!leaverId) return noAccount(email, 'transfer');
    const managerEmail = request.employee.managerEmail?.toLowerCase();
    if (!managerEmail) {
      throw new ProviderError(`employee ${request.employee.id} has no managerEmail in the HR event: nobody to transfer Drive and Calendar to`, false);
    }
    const manager = await findGoogleUser(g, managerEmail);
    const managerId = manager?.id;
    if (!manager || !managerId) throw new ProviderError(`the manager ${managerEmail} (managerEmail of employee ${request.employee.id}) has no Google account to receive the data`, false, '404 notFound');
    if (manager.suspended) throw new ProviderError(`the manager ${managerEmail} (managerEmail of employee ${request.employee.id}) is suspended and cannot receive the data`, false);

    const wanted = await applicationTransfers(g, p.applications);
    // An earlier try whose answer was lost may have started the transfer already: follow it rather than start a second.
    const running = await google(`listing data transfers of ${email}`, () =>
      g.dataTransfer.transfers.list({ ...customer(g), oldOwnerUserId: leaverId, newOwnerUserId: managerId }),
    );
    const same = (running.data.dataTransfers ?? []).find(
      (t) =>
        (t.overallTransferStatusCode === 'new' || t.overallTransferStatusCode === 'inProgress') &&
        wanted.every((w) => t.applicationDataTransfers?.some((a) => a.applicationId === w.applicationId)),
    );
    const transfer =
      same ??
      (
        await google(`starting the data transfer of ${email} to ${managerEmail}`, () =>
          g.dataTransfer.transfers.insert({ requestBody: { oldOwnerUserId: leaverId, newOwnerUserId: managerId, applicationDataTransfers: wanted } }),
        )
      ).data;
    return settle(ctx, transfer, p.pollSeconds, email, managerEmail);
  },
});

/** Data Transfer wants the customer's immutable id; without one it takes the admin's own account, which the my_customer alias means. */
const customer = (g: GoogleClients) => (g.config.customerId === 'my_customer' ? {} : { customerId: g.config.customerId });

/** The applications' ids from applications.list, with the parameters each needs to move everything. */
async function applicationTransfers(g: GoogleClients, apps: Application[]): Promise<admin_datatransfer_v1.Schema$ApplicationDataTransfer[]> {
  const known: admin_datatransfer_v1.Schema$Application[] = [];
  let pageToken: string | undefined;
  do {
    const page = await google('listing Data Transfer applications', () => g.dataTransfer.applications.list({ ...customer(g), pageToken }));
    known.push(...(page.data.applications ?? []));
    pageToken = page.data.nextPageToken ?? undefined;
  } while (pageToken);
  return apps.map((app) => {
    const { name, params } = APPLICATIONS[app];
    const found = known.find((a) => a.name === name);
    if (!found?.id) throw new ProviderError(`Data Transfer offers no application named "${name}" (it lists: ${known.map((a) => a.name).join(', ')})`, false);
    return { applicationId: found.id, applicationTransferParams: params.map((x) => ({ key: x.key, value: [...x.value] })) };
  });
}

/** Not finished: check again later. Finished: every application must say completed. */
function settle(ctx: ActionContext, t: DataTransfer, pollSeconds: number, email: string, managerEmail?: string): Success {
  const id = t.id;
  if (!id) throw new ProviderError(`the data transfer of ${email} came back without an id`, true);
  const status = t.overallTransferStatusCode ?? 'unknown';
  const applications = (t.applicationDataTransfers ?? []).map((a) => ({ applicationId: a.applicationId ?? '', status: a.applicationTransferStatus ?? 'unknown' }));
  const answer = `transfer ${id}: ${status}; ${applications.map((a) => `${a.applicationId} ${a.status}`).join(', ')}`;
  if (status === 'new' || status === 'inProgress') {
    const checkAgainAt = new Date(ctx.clock.now().getTime() + pollSeconds * 1000).toISOString();
    return { ok: true, checkAgainAt, progress: { transferId: id }, note: `transfer ${id} in progress`, providerAnswer: answer };
  }
  // A failed transfer stays failed however often it is read: an operator must see why (a new owner without a license, say).
  if (status !== 'completed') throw new ProviderError(`data transfer ${id} of ${email} ended ${status}`, false, answer);
  const unfinished = applications.filter((a) => a.status !== 'completed');
  if (!applications.length || unfinished.length) {
    throw notApplied(`data transfer ${id} of ${email}`, `reported completed but ${applications.length ? unfinished.map((a) => `${a.applicationId} is ${a.status}`).join(', ') : 'names no applications'}`);
  }
  return {
    ok: true,
    // Known limit: Google can report "completed" having moved nothing, and the Data Transfer API has no counts to tell;
    // only a Drive/Calendar read of what the leaver still owns could, and this function is not granted those APIs.
    note: `transfer ${id} completed; what moved is as Google reports it (no file or event counts are checked)`,
    result: {
      transferId: id,
      applications,
      newOwner: managerEmail ?? t.newOwnerUserId,
      newOwnerUserId: t.newOwnerUserId,
      verified: 'transfer status only',
    },
    providerAnswer: answer,
  };
}
