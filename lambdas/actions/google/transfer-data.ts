/** Hands the leaver's Drive files and the Calendar events Google moves to their manager with the Data Transfer API, checking back until it is done. */
import type { admin_datatransfer_v1 } from '@googleapis/admin/build/datatransfer_v1';
import type { ActionResponse } from '../../engine/ports';
import type { GoogleClients } from '../../providers/google/google-clients';
import { google } from '../../providers/google/google-errors';
import * as z from '../../shared/zod';
import { defineAction, provider, type ActionContext } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { findGoogleUser, googleAddress, noAccount } from './google-user';
import { checkedUser, googleAccount } from './google-account';

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

/**
 * What a Data Transfer of Calendar moves, and what it leaves: "You can only transfer events that are in the future,
 * non-private, include at least one guest or resource, and are in the source user's primary calendar"
 * (developers.google.com/workspace/admin/data-transfer/v1/parameters, Calendar). Not counted: the Data Transfer API
 * reports no counts and no Calendar events scope is granted.
 */
const CALENDAR_SCOPE = {
  moves: "future, non-private events with at least one guest or resource, on the leaver's primary calendar",
  stays: 'past events, private events, events with no guest or resource, and every other calendar of the leaver',
  counted: false,
} as const;
const calendarNote = (email: string) =>
  `Calendar: Google moves only the future, non-private events with a guest or resource on the primary calendar; past, private and solo events and other calendars stay with ${email} (events not counted)`;

const params = z.strictObject({
  applications: z._default(
    z.pipe(
      z.array(z.enum(['drive', 'calendar'])).check(z.minLength(1)),
      z.transform((apps: Application[]) => [...new Set(apps)]),
    ),
    ['drive', 'calendar'],
  ),
  /** How long to wait between looks at a transfer in progress. */
  pollSeconds: z._default(z.int().check(z.gte(1), z.lte(3600)), 30),
});

/**
 * What an earlier attempt handed back: the transfer it started, and either how many Drive files the leaver
 * owned before it (all of which must have moved once Google reports it completed) or why they were not counted.
 */
const progressSchema = z.object({
  transferId: z.string().check(z.minLength(1)),
  driveFilesBefore: z.optional(z.int().check(z.gte(0))),
  driveNotCounted: z.optional(z.string()),
});
type Progress = z.infer<typeof progressSchema>;

export const transferData = defineAction({
  name: 'google.transferData',
  account: googleAccount({ removes: true, beneficiary: true }),
  params,
  async run(ctx, p, request, checked) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    const managerEmail = request.employee.managerEmail?.toLowerCase();
    const earlier = z.safeParse(progressSchema, request.progress ?? {});
    if (earlier.success) {
      const { transferId, ...drive } = earlier.data;
      const transfer = await google(`reading data transfer ${transferId} of ${email}`, () => g.dataTransfer.transfers.get({ dataTransferId: transferId }));
      return settle(ctx, g, transfer.data, p, email, managerEmail, drive);
    }

    const leaver = await checkedUser(g, email, checked);
    const leaverId = leaver?.id;
    if (!leaver || !leaverId) return noAccount(email, 'transfer');
    if (!managerEmail) {
      throw new ProviderError(`employee ${request.employee.id} has no managerEmail in the HR event: nobody to transfer Drive and Calendar to`, false);
    }
    const manager = await findGoogleUser(g, managerEmail);
    const managerId = manager?.id;
    if (!manager || !managerId) throw new ProviderError(`the manager ${managerEmail} (managerEmail of employee ${request.employee.id}) has no Google account to receive the data`, false, '404 notFound');
    if (manager.suspended) throw new ProviderError(`the manager ${managerEmail} (managerEmail of employee ${request.employee.id}) is suspended and cannot receive the data`, false);

    const wanted = await applicationTransfers(g, p.applications);
    // Counted as the leaver before anything moves (when following a running transfer, some may have moved already:
    // the check that counts is that none are left). Google does not let a suspended user be impersonated.
    const drive: Omit<Progress, 'transferId'> = !p.applications.includes('drive')
      ? { driveNotCounted: 'Drive is not part of this transfer' }
      : leaver.suspended
        ? { driveNotCounted: `${email} was suspended when the transfer started, and Google does not act as a suspended user` }
        : { driveFilesBefore: await countDriveFiles(g, email) };
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
    return settle(ctx, g, transfer, p, email, managerEmail, drive);
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

/** The files the user owns in My Drive (trash aside), listed as the user: no admin scope reads another user's Drive. */
async function countDriveFiles(g: GoogleClients, email: string): Promise<number> {
  const drive = await g.driveFor(email);
  let count = 0;
  let pageToken: string | undefined;
  do {
    const page = await google(`counting the Drive files ${email} owns, acting as ${email}`, () =>
      drive.files.list({ q: "'me' in owners and trashed = false", fields: 'nextPageToken, files(id)', pageSize: 1000, pageToken }),
    );
    count += page.data.files?.length ?? 0;
    pageToken = page.data.nextPageToken ?? undefined;
  } while (pageToken);
  return count;
}

/**
 * Not finished: check again later. Finished: every application must say completed, and the leaver must own no
 * Drive files any more. Google can report "completed" having moved nothing, and the Data Transfer API carries no
 * counts, so Drive ownership is read back; calendar events are not counted (no Calendar API is granted), and the
 * answer says which of them Google moves and which stay.
 */
async function settle(
  ctx: ActionContext,
  g: GoogleClients,
  t: DataTransfer,
  { pollSeconds, applications: apps }: { pollSeconds: number; applications: Application[] },
  email: string,
  managerEmail: string | undefined,
  drive: Omit<Progress, 'transferId'>,
): Promise<Success> {
  const id = t.id;
  if (!id) throw new ProviderError(`the data transfer of ${email} came back without an id`, true);
  const progress: Progress = { transferId: id, ...drive };
  const status = t.overallTransferStatusCode ?? 'unknown';
  const applications = (t.applicationDataTransfers ?? []).map((a) => ({ applicationId: a.applicationId ?? '', status: a.applicationTransferStatus ?? 'unknown' }));
  const answer = `transfer ${id}: ${status}; ${applications.map((a) => `${a.applicationId} ${a.status}`).join(', ')}`;
  if (status === 'new' || status === 'inProgress') {
    const checkAgainAt = new Date(ctx.clock.now().getTime() + pollSeconds * 1000).toISOString();
    return { ok: true, checkAgainAt, progress, note: `transfer ${id} in progress`, providerAnswer: answer };
  }
  // A failed transfer stays failed however often it is read: an operator must see why (a new owner without a license, say).
  if (status !== 'completed') throw new ProviderError(`data transfer ${id} of ${email} ended ${status}`, false, answer);
  const unfinished = applications.filter((a) => a.status !== 'completed');
  if (!applications.length || unfinished.length) {
    const detail = applications.length ? unfinished.map((a) => `${a.applicationId} is ${a.status}`).join(', ') : 'names no applications';
    throw new ProviderError(`data transfer ${id} of ${email} did not take effect: reported completed but ${detail}`, true, answer, progress);
  }
  const withCalendar = apps.includes('calendar');
  const done = { transferId: id, applications, newOwner: managerEmail ?? t.newOwnerUserId, newOwnerUserId: t.newOwnerUserId, ...(withCalendar ? { calendar: CALENDAR_SCOPE } : {}) };
  const calendar = withCalendar ? `; ${calendarNote(email)}` : '';
  const before = drive.driveFilesBefore;
  if (before === undefined) {
    const why = drive.driveNotCounted ?? 'not counted when the transfer started';
    return { ok: true, note: `transfer ${id} completed; Drive ownership not read back (${why})${calendar}`, result: { ...done, verified: 'transfer status only' }, providerAnswer: answer };
  }
  const left = await countDriveFiles(g, email);
  if (left > 0) {
    // Retryable: Drive ownership can lag the transfer status; if it does not catch up, an operator gets the counts.
    const owns = left <= before ? `${left} of ${before} Drive files` : `${left} Drive files (${before} when the transfer started)`;
    throw new ProviderError(`data transfer ${id} of ${email} reported completed but ${email} still owns ${owns}`, true, `${answer}; Drive files owned: ${before} before, ${left} now`, progress);
  }
  const moved = before === 0 ? `${email} owned no Drive files, so none had to move` : `${email} owned ${before} Drive files and owns none now`;
  return {
    ok: true,
    note: `transfer ${id} completed; ${moved}${calendar}`,
    result: { ...done, driveFilesBefore: before, driveFilesLeft: left, verified: 'Drive ownership read back' },
    providerAnswer: answer,
  };
}
