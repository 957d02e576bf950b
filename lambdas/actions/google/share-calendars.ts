/**
 * Shares the role's team calendars with the joiner (Calendar API acl.insert, scope user). A rule already giving
 * the same or more access is left alone, so a joiner never loses access someone granted on purpose.
 */
import type { calendar_v3 } from '@googleapis/calendar/build/v3';
import * as z from '../../shared/zod';
import { google, googleFailure, isGoogleNotFound } from '../../providers/google/google-errors';
import type { GoogleClients } from '../../providers/google/google-clients';
import { defineAction, provider } from '../define-action';
import { ProviderError } from '../../providers/provider-error';
import { googleAddress, notApplied, requireGoogleUser } from './google-user';
import { failIfAny, restoreEach } from './restore-target';
import { googleAccount } from './google-account';

const ROLES = ['freeBusyReader', 'reader', 'writer', 'owner'] as const;
type Role = (typeof ROLES)[number];
const rank = (role: string | null | undefined) => ROLES.indexOf(role as Role);

const calendarParam = z.union([
  z.string().check(z.minLength(1)),
  z.strictObject({ calendarId: z.string().check(z.minLength(1)), role: z.optional(z.enum(ROLES)) }),
]);

/** The user's rule on the calendar, or undefined (a 404 here may also mean the calendar is unknown: insert tells). */
async function ruleOf(g: GoogleClients, calendarId: string, email: string): Promise<calendar_v3.Schema$AclRule | undefined> {
  return google(`reading the sharing of calendar ${calendarId} with ${email}`, () =>
    g.calendar.acl.get({ calendarId, ruleId: `user:${email}` }).then(
      (res) => res.data,
      (err: unknown) => {
        if (isGoogleNotFound(err)) return undefined;
        throw err;
      },
    ),
  );
}

export const shareCalendars = defineAction({
  name: 'google.shareCalendars',
  account: googleAccount(),
  params: z.strictObject({ calendars: z.array(calendarParam).check(z.minLength(1)) }),
  async run(ctx, params, request) {
    const g = provider(ctx, 'google');
    const email = googleAddress(request);
    await requireGoogleUser(g, email);
    const wanted = params.calendars.map((c) => (typeof c === 'string' ? { calendarId: c, role: 'reader' as Role } : { calendarId: c.calendarId, role: c.role ?? 'reader' }));

    const shared: { calendarId: string; role: Role }[] = [];
    const already: { calendarId: string; role: string }[] = [];
    const failed = await restoreEach(
      wanted,
      (c) => c.calendarId,
      async ({ calendarId, role }) => {
        const rule = await ruleOf(g, calendarId, email);
        if (rule && rank(rule.role) >= rank(role)) {
          already.push({ calendarId, role: rule.role ?? role });
          return;
        }
        try {
          await g.calendar.acl.insert({ calendarId, sendNotifications: false, requestBody: { role, scope: { type: 'user', value: email } } });
          shared.push({ calendarId, role });
        } catch (err) {
          if (isGoogleNotFound(err)) throw new ProviderError(`calendar ${calendarId} does not exist or the admin cannot manage its sharing: fix the role's calendars, then retry`, false, '404 notFound');
          throw googleFailure(err, `sharing calendar ${calendarId} with ${email} as ${role}`);
        }
      },
    );

    const failedKeys = new Set(failed.map((f) => f.item));
    for (const { calendarId, role } of wanted.filter((c) => !failedKeys.has(c.calendarId))) {
      const rule = await ruleOf(g, calendarId, email);
      if (rank(rule?.role) < rank(role)) throw notApplied(`sharing calendar ${calendarId} with ${email} as ${role}`, `acl.get reports ${rule ? `role ${rule.role}` : 'no rule'}`);
    }
    failIfAny(failed, shared.map((c) => `${c.calendarId} as ${c.role}`), `sharing the role's calendars with ${email}`);
    const parts = [shared.length ? `shared ${shared.map((c) => `${c.calendarId} (${c.role})`).join(', ')}` : '', already.length ? `already had ${already.map((c) => `${c.calendarId} (${c.role})`).join(', ')}` : ''].filter(Boolean);
    return { ok: true, note: parts.join('; '), result: { shared, alreadyShared: already } };
  },
});
