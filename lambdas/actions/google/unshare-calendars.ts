/**
 * Takes the employee's sharing off team calendars (Calendar API acl.delete of rule `user:<email>`), recording the
 * role each rule gave. A calendar not shared with the employee is already done. An owner rule is left alone and
 * reported: ownership is given by hand, and a calendar must keep an owner.
 */
import type { calendar_v3 } from '@googleapis/calendar/build/v3';
import * as z from '../../shared/zod';
import { google, isGoogleNotFound } from '../../providers/google/google-errors';
import type { GoogleClients } from '../../providers/google/google-clients';
import { defineAction, provider } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { googleAddress, noAccount, notApplied } from './google-user';
import { failIfAny, restoreEach } from './restore-target';
import { checkedUser, googleAccount } from './google-account';

interface Unshared {
  calendarId: string;
  role: string;
}

/** What an earlier attempt removed before it failed: a retry finds no rule left there, but must record it. */
const earlierProgress = z.object({ removed: z.array(z.object({ calendarId: z.string(), role: z.string() })) });

/** The user's rule on the calendar, or undefined when there is none; a calendar the admin cannot see is an error. */
async function ruleOf(g: GoogleClients, calendarId: string, email: string): Promise<calendar_v3.Schema$AclRule | undefined> {
  const rule = await google(`reading the sharing of calendar ${calendarId} with ${email}`, () =>
    g.calendar.acl.get({ calendarId, ruleId: `user:${email}` }).then(
      (res) => res.data,
      (err: unknown) => {
        if (isGoogleNotFound(err)) return undefined;
        throw err;
      },
    ),
  );
  if (rule) return rule;
  // acl.get answers 404 both for "no such rule" and "no such calendar": acl.list tells them apart.
  await google(`reading the sharing of calendar ${calendarId}`, () => g.calendar.acl.list({ calendarId, maxResults: 1 })).catch((err: unknown) => {
    if (err instanceof ProviderError && err.providerAnswer?.startsWith('404')) {
      throw new ProviderError(`calendar ${calendarId} does not exist or the admin cannot manage its sharing: check the role's calendars, then retry or skip`, false, err.providerAnswer);
    }
    throw err;
  });
  return undefined;
}

export const unshareCalendars = defineAction({
  name: 'google.unshareCalendars',
  account: googleAccount({ removes: true }),
  params: z.strictObject({ calendars: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)) }),
  async run(ctx, { calendars }, request, checked) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    if (!(await checkedUser(g, email, checked))) return noAccount(email, 'unshare');
    const unique = [...new Map(calendars.map((c) => [c.toLowerCase(), c])).values()];

    const earlier = earlierProgress.safeParse(request.progress);
    const removed: Unshared[] = earlier.success ? [...earlier.data.removed] : [];
    const recorded = new Set(removed.map((r) => r.calendarId.toLowerCase()));
    const notShared: string[] = [];
    const ownerKept: string[] = [];
    const withProgress = (err: unknown) => (err instanceof ProviderError && removed.length ? new ProviderError(err.message, err.retryable, err.providerAnswer, { removed }) : err);

    try {
      const failed = await restoreEach(
        unique,
        (c) => c,
        async (calendarId) => {
          const rule = await ruleOf(g, calendarId, email);
          if (!rule) {
            if (!recorded.has(calendarId.toLowerCase())) notShared.push(calendarId);
            return;
          }
          if (rule.role === 'owner') {
            ownerKept.push(calendarId);
            return;
          }
          await google(`removing the sharing of calendar ${calendarId} with ${email}`, () =>
            g.calendar.acl.delete({ calendarId, ruleId: `user:${email}` }).catch((err: unknown) => {
              // Removed meanwhile: the read-back below decides.
              if (!isGoogleNotFound(err)) throw err;
            }),
          );
          if (!recorded.has(calendarId.toLowerCase())) removed.push({ calendarId, role: rule.role ?? 'reader' });
          recorded.add(calendarId.toLowerCase());
        },
      );
      const failedKeys = new Set(failed.map((f) => f.item));
      for (const calendarId of unique.filter((c) => !failedKeys.has(c) && !ownerKept.includes(c))) {
        const rule = await ruleOf(g, calendarId, email);
        if (rule) throw notApplied(`removing the sharing of calendar ${calendarId} with ${email}`, `acl.get still reports role ${rule.role}`);
      }
      failIfAny(failed, removed.map((r) => r.calendarId), `unsharing the calendars with ${email}`);
    } catch (err) {
      throw withProgress(err);
    }
    const parts = [
      removed.length ? `unshared ${removed.map((r) => `${r.calendarId} (${r.role})`).join(', ')}` : '',
      notShared.length ? `not shared: ${notShared.join(', ')}` : '',
      ownerKept.length ? `owner of ${ownerKept.join(', ')}: left as is, change by hand if meant` : '',
    ].filter(Boolean);
    return { ok: true, note: parts.join('; '), result: { removed: { calendars: removed }, notShared, ownerKept } };
  },
});
