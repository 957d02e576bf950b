/**
 * Before the cut-off, hands the future meetings the leaver organizes to the manager (or the stage's handover owner)
 * with a Data Transfer of Calendar, so the meetings keep an organizer who can change them once the account goes; the
 * rooms they book stay booked unless `releaseRooms`. Counted before (acting as the leaver, events.list on the primary
 * calendar) and read back after: none that Google moves may be left with the leaver. What Google does not move
 * (private events, events with nobody else on them, events already begun) is counted and named, not failed on.
 */
import type { calendar_v3 } from '@googleapis/calendar/build/v3';
import type { ActionResponse } from '../../engine/ports';
import type { GoogleClients } from '../../providers/google/google-clients';
import { everyPage } from '../../providers/google/every-page';
import { google } from '../../providers/google/google-errors';
import { ProviderError } from '../../providers/provider-error';
import * as z from '../../shared/zod';
import { defineAction, provider, type ActionContext } from '../define-action';
import { CALENDAR_SCOPE, completedTransferSince, readTransfer, startOrFollowTransfer, transferState, type DataTransfer } from './data-transfers';
import { checkedUser, googleAccount } from './google-account';
import { googleAddress, noAccount } from './google-user';
import { handoverTarget } from './handover-target';

type Success = Extract<ActionResponse, { ok: true }>;

const params = z.strictObject({
  /** How long to wait between looks at a transfer in progress. */
  pollSeconds: z._default(z.int().check(z.gte(1), z.lte(3600)), 30),
  /** Release the rooms the moved meetings book (Data Transfer's RELEASE_RESOURCES); kept by default, as the meetings go on. */
  releaseRooms: z._default(z.boolean(), false),
});

/**
 * What an earlier attempt recorded: the transfer it started, to whom, and the meetings counted before it. A transfer
 * id of '' (a read-back that found meetings left) makes the next attempt start over: the engine merges a failed
 * attempt's progress into what it had, so the id is overwritten rather than left out.
 */
const progressSchema = z.object({
  transferId: z.string().check(z.minLength(1)),
  primary: z.string(),
  to: z.string(),
  as: z.enum(['manager', 'owner']),
  meetingsBefore: z.optional(z.int().check(z.gte(0))),
  notCounted: z.optional(z.string()),
});
type Progress = z.infer<typeof progressSchema>;

export interface Meetings {
  /** Meetings Google's transfer moves: organized by the user, starting after now, not private, with a guest or a room. */
  moves: number;
  /** The user's events it does not move: private ones with guests, those with nobody else on them, those already begun. */
  private: number;
  solo: number;
  started: number;
}

/** When an event starts: its dateTime, or the start of its all-day date (UTC, near enough for "not yet begun"). */
const startOf = (e: calendar_v3.Schema$Event) => Date.parse(e.start?.dateTime ?? (e.start?.date ? `${e.start.date}T00:00:00Z` : ''));

/**
 * Counts the user's events on their primary calendar from now on by what a Data Transfer of Calendar does with them:
 * "events that are in the future, non-private, include at least one guest or resource" move. events.list's timeMin
 * bounds an event's end, so a meeting under way (or a series begun in the past) is listed too: counted as begun.
 */
export async function countMeetings(calendar: calendar_v3.Calendar, email: string, now: Date): Promise<Meetings> {
  const events = await everyPage(
    async (pageToken) =>
      (
        await google(`listing the future events on ${email}'s calendar, acting as ${email}`, () =>
          calendar.events.list({ calendarId: 'primary', timeMin: now.toISOString(), maxResults: 2500, pageToken }),
        )
      ).data,
    (page) => page.items,
  );
  const counts: Meetings = { moves: 0, private: 0, solo: 0, started: 0 };
  for (const e of events) {
    if (e.status === 'cancelled' || !e.organizer?.self) continue;
    if (!(startOf(e) > now.getTime())) counts.started += 1;
    else if (!(e.attendees ?? []).some((a) => !a.self)) counts.solo += 1;
    else if (e.visibility === 'private' || e.visibility === 'confidential') counts.private += 1;
    else counts.moves += 1;
  }
  return counts;
}

const notMoved = (m: Meetings) => ({ private: m.private, solo: m.solo, started: m.started });
const notMovedNote = (m: Meetings, email: string) =>
  m.private + m.solo + m.started
    ? `; not moved, as Google moves none of them: ${m.private} private, ${m.solo} with nobody else on them and ${m.started} already begun, organized by ${email}`
    : '';
const receiver = (to: string, as: 'manager' | 'owner') => `${to} (${as === 'manager' ? 'the manager' : "the stage's handover owner"})`;

/** How far back a completed transfer counts as this step's own, its answer lost: the step is due a day before the cut-off. */
const EARLIER_TRANSFER_WINDOW_MS = 3 * 24 * 3600 * 1000;

export const handOverMeetings = defineAction({
  name: 'google.handOverMeetings',
  account: googleAccount({ removes: true }),
  params,
  async run(ctx, p, request, checked) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    const earlier = z.safeParse(progressSchema, request.progress ?? {});
    if (earlier.success) return settle(ctx, g, await readTransfer(g, earlier.data.transferId, email), p.pollSeconds, email, earlier.data);

    const leaver = await checkedUser(g, email, checked);
    if (!leaver?.id) return noAccount(email, 'hand over');
    const primary = leaver.primaryEmail?.toLowerCase() ?? email;
    const now = ctx.clock.now();
    // Google does not let a suspended user be acted as: their meetings cannot be counted, but the transfer still runs.
    const before = leaver.suspended ? undefined : await countMeetings(await g.calendarFor(primary), primary, now);
    if (before && !before.moves) {
      // Nothing to move, or moved already by an attempt whose answer was lost: that transfer is named.
      const done = await completedTransferSince(g, { id: leaver.id, email }, 'calendar', new Date(now.getTime() - EARLIER_TRANSFER_WINDOW_MS));
      const result = { meetingsHandedOver: 0, meetingsLeft: 0, notMoved: notMoved(before), verified: 'meetings read back', ...(done?.id ? { earlierTransferId: done.id } : {}) };
      const what = done?.id ? `handed over already by transfer ${done.id} (completed), and none is left` : 'none to hand over';
      return { ok: true, note: `${email} organizes no future meeting that Google would move: ${what}${notMovedNote(before, email)}`, result };
    }
    const target = await handoverTarget(ctx, g, request, leaver);
    const transfer = await startOrFollowTransfer(g, { id: leaver.id, email }, { id: target.userId, email: target.address }, ['calendar'], { releaseRooms: p.releaseRooms });
    const progress: Omit<Progress, 'transferId'> = {
      primary,
      to: target.address,
      as: target.as,
      ...(before ? { meetingsBefore: before.moves } : { notCounted: `${email} was suspended, and Google does not act as a suspended user` }),
    };
    return settle(ctx, g, transfer, p.pollSeconds, email, progress);
  },
});

/**
 * Running: look again later. Completed: read the leaver's calendar back. A meeting Google would move that is still
 * the leaver's (made since the count, or the calendar lagging the transfer) fails the attempt, retryable, and the
 * next attempt starts a new transfer for what is left; when retries run out, an operator has the counts.
 */
async function settle(ctx: ActionContext, g: GoogleClients, t: DataTransfer, pollSeconds: number, email: string, recorded: Omit<Progress, 'transferId'>): Promise<Success> {
  const progress: Progress = { transferId: t.id ?? '', ...recorded };
  const state = transferState(t, email, progress);
  if (state.running) {
    const checkAgainAt = new Date(ctx.clock.now().getTime() + pollSeconds * 1000).toISOString();
    return { ok: true, checkAgainAt, progress, note: `transfer ${state.id} of ${email}'s meetings in progress`, providerAnswer: state.answer };
  }
  const whom = receiver(recorded.to, recorded.as);
  const done = { transferId: state.id, to: recorded.to, as: recorded.as, calendar: CALENDAR_SCOPE };
  if (recorded.meetingsBefore === undefined) {
    return {
      ok: true,
      note: `transfer ${state.id} completed: ${whom} organizes the future meetings Google moves from ${email}; not read back (${recorded.notCounted ?? 'not counted'})`,
      result: { ...done, verified: 'transfer status only' },
      providerAnswer: state.answer,
    };
  }
  const after = await countMeetings(await g.calendarFor(recorded.primary), recorded.primary, ctx.clock.now());
  if (after.moves > 0) {
    throw new ProviderError(
      `data transfer ${state.id} of ${email}'s meetings completed, but ${email} still organizes ${after.moves} future meeting(s) with guests (${recorded.meetingsBefore} before it): the next attempt starts another transfer; ` +
        'if they stay, look for what keeps them (a Vault hold on Calendar data, a meeting made since), then retry or skip this step',
      true,
      `${state.answer}; meetings organized: ${recorded.meetingsBefore} before, ${after.moves} now`,
      { ...recorded, transferId: '' },
    );
  }
  return {
    ok: true,
    note: `${whom} now organizes the ${recorded.meetingsBefore} future meeting(s) with guests ${email} organized (transfer ${state.id}, read back: none left)${notMovedNote(after, email)}`,
    result: { ...done, meetingsHandedOver: recorded.meetingsBefore, meetingsLeft: 0, notMoved: notMoved(after), verified: 'meetings read back' },
    providerAnswer: state.answer,
  };
}
