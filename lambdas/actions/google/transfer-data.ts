/** Hands the leaver's Drive files and the Calendar events Google moves to their manager with the Data Transfer API, checking back until it is done. */
import type { ActionResponse } from '../../engine/ports';
import type { GoogleClients } from '../../providers/google/google-clients';
import { google } from '../../providers/google/google-errors';
import * as z from '../../shared/zod';
import { defineAction, provider, type ActionContext } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { findGoogleUser, googleAddress, noAccount } from './google-user';
import { checkedUser, googleAccount } from './google-account';
import { CALENDAR_SCOPE, readTransfer, startOrFollowTransfer, transferState, type Application, type DataTransfer } from './data-transfers';

type Success = Extract<ActionResponse, { ok: true }>;

/** Calendar events are not counted here (google.handOverMeetings counts and reads back the meetings it hands over). */
const CALENDAR_NOT_COUNTED = { ...CALENDAR_SCOPE, counted: false } as const;
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
  /** Release the rooms the moved meetings book (Data Transfer's RELEASE_RESOURCES); kept by default, as the meetings go on. */
  releaseRooms: z._default(z.boolean(), false),
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
      return settle(ctx, g, await readTransfer(g, transferId, email), p, email, managerEmail, drive);
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

    // Counted as the leaver before anything moves (when following a running transfer, some may have moved already:
    // the check that counts is that none are left). Google does not let a suspended user be impersonated.
    const drive: Omit<Progress, 'transferId'> = !p.applications.includes('drive')
      ? { driveNotCounted: 'Drive is not part of this transfer' }
      : leaver.suspended
        ? { driveNotCounted: `${email} was suspended when the transfer started, and Google does not act as a suspended user` }
        : { driveFilesBefore: await countDriveFiles(g, email) };
    const transfer = await startOrFollowTransfer(g, { id: leaverId, email }, { id: managerId, email: managerEmail }, p.applications, { releaseRooms: p.releaseRooms });
    return settle(ctx, g, transfer, p, email, managerEmail, drive);
  },
});

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
  const progress: Progress = { transferId: t.id ?? '', ...drive };
  const state = transferState(t, email, progress);
  const { id, applications, answer } = state;
  if (state.running) {
    const checkAgainAt = new Date(ctx.clock.now().getTime() + pollSeconds * 1000).toISOString();
    return { ok: true, checkAgainAt, progress, note: `transfer ${id} in progress`, providerAnswer: answer };
  }
  const withCalendar = apps.includes('calendar');
  const done = { transferId: id, applications, newOwner: managerEmail ?? t.newOwnerUserId, newOwnerUserId: t.newOwnerUserId, ...(withCalendar ? { calendar: CALENDAR_NOT_COUNTED } : {}) };
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
