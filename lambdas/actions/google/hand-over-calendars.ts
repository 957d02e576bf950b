/**
 * Before the cut-off, gives the manager (or the stage's handover owner) the owner role on every calendar the leaver
 * alone owns besides their primary one (a team rota, a room plan), so none is left without an owner once the account
 * goes; acting as the leaver (calendarList.list with minAccessRole owner, then each calendar's access rules); read back.
 */
import type { calendar_v3 } from '@googleapis/calendar/build/v3';
import * as z from '../../shared/zod';
import { google, isGoogleNotFound } from '../../providers/google/google-errors';
import { ProviderError } from '../../providers/provider-error';
import { defineAction, provider } from '../define-action';
import { googleAddress, noAccount, notApplied } from './google-user';
import { checkedUser, googleAccount } from './google-account';
import { handoverTarget, leaverAddresses } from './handover-target';
import { everyPage } from '../../providers/google/every-page';

const handedSchema = z.object({ calendarId: z.string(), summary: z.string(), to: z.string(), previousRole: z.optional(z.string()) });
type Handed = z.infer<typeof handedSchema>;
/** What an earlier attempt handed over before it failed: those calendars have two owners now, so no later look finds them. */
const earlierProgress = z.object({ handedOver: z.array(handedSchema) });

async function ownedCalendars(calendar: calendar_v3.Calendar, email: string, own: Set<string>): Promise<calendar_v3.Schema$CalendarListEntry[]> {
  const found = await everyPage(
    async (pageToken) => (await google(`listing the calendars ${email} owns, acting as ${email}`, () => calendar.calendarList.list({ minAccessRole: 'owner', showHidden: true, pageToken, maxResults: 250 }))).data,
    (page) => page.items,
  );
  // The primary calendar is the account's own: its events go with the Drive and Calendar transfer.
  return found.filter((c) => !c.primary && !own.has(c.id?.toLowerCase() ?? ''));
}

/** The calendar's access rules, or undefined when it is gone (deleted since the listing). */
async function rulesOf(calendar: calendar_v3.Calendar, calendarId: string): Promise<calendar_v3.Schema$AclRule[] | undefined> {
  try {
    return await everyPage(async (pageToken) => (await calendar.acl.list({ calendarId, pageToken, maxResults: 250 })).data, (page) => page.items);
  } catch (err) {
    if (isGoogleNotFound(err)) return undefined;
    return google(`listing the access rules of calendar ${calendarId}`, () => Promise.reject(err));
  }
}

export const handOverCalendars = defineAction({
  name: 'google.handOverCalendars',
  account: googleAccount({ removes: true }),
  params: z.strictObject({}),
  async run(ctx, _params, request, checked) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    const leaver = await checkedUser(g, email, checked);
    if (!leaver) return noAccount(email, 'hand over');
    // Google does not let a suspended user be acted as: their calendars are for an admin in the Admin console.
    if (leaver.suspended) throw new ProviderError(`${email} is suspended, and Google does not act as a suspended user: hand their calendars over in the Admin console, then skip this step`, false);
    // Calendar acts as, and names an owner by, the primary address; the event may name the account by an alias.
    const own = leaverAddresses(leaver, email);
    const primary = leaver.primaryEmail?.toLowerCase() ?? email;
    const calendar = await g.calendarFor(primary);
    const earlier = earlierProgress.safeParse(request.progress);
    const handed: Handed[] = earlier.success ? [...earlier.data.handedOver] : [];
    const sole: { calendarId: string; summary: string; rules: calendar_v3.Schema$AclRule[] }[] = [];
    for (const c of await ownedCalendars(calendar, primary, own)) {
      const rules = await rulesOf(calendar, c.id!);
      const owners = (rules ?? []).filter((r) => r.role === 'owner' && r.scope?.type !== 'default');
      if (rules && owners.every((r) => r.scope?.type === 'user' && own.has(r.scope.value?.toLowerCase() ?? ''))) sole.push({ calendarId: c.id!, summary: c.summaryOverride ?? c.summary ?? c.id!, rules });
    }
    if (!sole.length && !handed.length) return { ok: true, note: `no calendar has ${email} as its only owner`, result: { handedOver: [] } };
    const target = await handoverTarget(ctx, g, request, leaver);
    try {
      for (const { calendarId, summary, rules } of sole) {
        const existing = rules.find((r) => r.scope?.type === 'user' && r.scope.value?.toLowerCase() === target.address);
        await google(`making ${target.address} an owner of calendar ${calendarId}`, () =>
          calendar.acl.insert({ calendarId, sendNotifications: false, requestBody: { role: 'owner', scope: { type: 'user', value: target.address } } }),
        );
        handed.push({ calendarId, summary, to: target.address, ...(existing?.role ? { previousRole: existing.role } : {}) });
      }
      for (const h of handed) {
        const rule = await google(`reading ${h.to}'s access to calendar ${h.calendarId}`, () => calendar.acl.get({ calendarId: h.calendarId, ruleId: `user:${h.to}` }));
        if (rule.data.role !== 'owner') throw notApplied(`making ${h.to} an owner of calendar ${h.calendarId}`, `acl.get shows ${rule.data.role}`);
      }
    } catch (err) {
      if (err instanceof ProviderError && handed.length) throw new ProviderError(err.message, err.retryable, err.providerAnswer, { handedOver: handed });
      throw err;
    }
    const whom = `${target.address} (${target.as === 'manager' ? 'the manager' : "the stage's handover owner"})`;
    return {
      ok: true,
      note: `${whom} now owns ${handed.length} calendar(s) ${email} alone owned: ${handed.map((h) => h.summary).join(', ')}`,
      result: { handedOver: handed, to: target.address, as: target.as },
    };
  },
});
