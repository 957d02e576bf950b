/**
 * Before the cut-off, hands the future meetings the leaver organizes to the manager (or the stage's handover owner)
 * with a Data Transfer of Calendar, so the meetings keep an organizer who can change them once the account goes.
 * Counted before (acting as the leaver, events.list on the primary calendar) and read back after: none that Google
 * moves may be left with the leaver. What Google does not move (private and solo events) is counted and named.
 */
import type { calendar_v3 } from '@googleapis/calendar/build/v3';
import type { ActionResponse } from '../../engine/ports';
import type { GoogleClients } from '../../providers/google/google-clients';
import { everyPage } from '../../providers/google/every-page';
import { google } from '../../providers/google/google-errors';
import { ProviderError } from '../../providers/provider-error';
import * as z from '../../shared/zod';
import { defineAction, provider, type ActionContext } from '../define-action';
import { CALENDAR_SCOPE, readTransfer, startOrFollowTransfer, transferState, type DataTransfer } from './data-transfers';
import { checkedUser, googleAccount } from './google-account';
import { googleAddress, noAccount } from './google-user';
import { handoverTarget, type HandoverTarget } from './handover-target';

type Success = Extract<ActionResponse, { ok: true }>;

const params = z.strictObject({
  /** How long to wait between looks at a transfer in progress. */
  pollSeconds: z._default(z.int().check(z.gte(1), z.lte(3600)), 30),
});

/** What an earlier attempt recorded: the transfer it started, to whom, and the meetings counted before it. */
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
  /** Future meetings Google's transfer moves: organized by the user, not private, with a guest or a room. */
  moves: number;
  /** Future events it leaves: private ones with guests, and those with nobody else on them. */
  private: number;
  solo: number;
}

/** Counts the user's future events on their primary calendar by what a Data Transfer of Calendar does with them. */
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
  const counts: Meetings = { moves: 0, private: 0, solo: 0 };
  for (const e of events) {
    if (e.status === 'cancelled' || !e.organizer?.self) continue;
    const others = (e.attendees ?? []).some((a) => !a.self);
    if (!others) counts.solo += 1;
    else if (e.visibility === 'private' || e.visibility === 'confidential') counts.private += 1;
    else counts.moves += 1;
  }
  return counts;
}

const staysNote = (m: Meetings, email: string) =>
  m.private + m.solo ? `; ${m.private} private and ${m.solo} solo future event(s) stay with ${email}, as Google moves neither` : '';

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
    // Google does not let a suspended user be acted as: their meetings cannot be counted, but the transfer still runs.
    const before = leaver.suspended ? undefined : await countMeetings(await g.calendarFor(primary), primary, ctx.clock.now());
    if (before && !before.moves) {
      return { ok: true, note: `${email} organizes no future meeting that Google would move${staysNote(before, email)}`, result: { meetingsHandedOver: 0, stays: { private: before.private, solo: before.solo } } };
    }
    const target = await handoverTarget(ctx, g, request, leaver);
    const transfer = await startOrFollowTransfer(g, { id: leaver.id, email }, { id: target.userId, email: target.address }, ['calendar']);
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
 * the leaver's (made since the count, or the calendar lagging the transfer) is retried with a new transfer, which
 * moves whatever is left.
 */
async function settle(ctx: ActionContext, g: GoogleClients, t: DataTransfer, pollSeconds: number, email: string, recorded: Omit<Progress, 'transferId'>): Promise<Success> {
  const progress: Progress = { transferId: t.id ?? '', ...recorded };
  const state = transferState(t, email, progress);
  if (state.running) {
    const checkAgainAt = new Date(ctx.clock.now().getTime() + pollSeconds * 1000).toISOString();
    return { ok: true, checkAgainAt, progress, note: `transfer ${state.id} of ${email}'s meetings in progress`, providerAnswer: state.answer };
  }
  const target: Pick<HandoverTarget, 'address' | 'as'> = { address: recorded.to, as: recorded.as };
  const whom = `${target.address} (${target.as === 'manager' ? 'the manager' : "the stage's handover owner"})`;
  const done = { transferId: state.id, to: target.address, as: target.as, calendar: CALENDAR_SCOPE };
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
    const { transferId: _done, ...again } = progress;
    throw new ProviderError(
      `data transfer ${state.id} of ${email}'s meetings completed but ${email} still organizes ${after.moves} future meeting(s) with guests (${recorded.meetingsBefore} before it): another transfer moves them`,
      true,
      `${state.answer}; meetings organized: ${recorded.meetingsBefore} before, ${after.moves} now`,
      again,
    );
  }
  return {
    ok: true,
    note: `${whom} now organizes the ${recorded.meetingsBefore} future meeting(s) with guests ${email} organized (transfer ${state.id}, read back: none left)${staysNote(after, email)}`,
    result: { ...done, meetingsHandedOver: recorded.meetingsBefore, meetingsLeft: 0, stays: { private: after.private, solo: after.solo }, verified: 'meetings read back' },
    providerAnswer: state.answer,
  };
}
